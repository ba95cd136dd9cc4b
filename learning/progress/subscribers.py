"""What makes the roll-up forget a month (rollup.py): the events that change a closed
month's figures. Receivers run inside the change's transaction (a roll-back keeps the
stored months), connected by signal name so progress imports none of the senders."""
from blinker import signal

from learning.progress import rollup


def attendance_recorded(session, **_):
    rollup.forget(rollup.SCHEDULE, session.starts_at)


def session_changed(session, change=None, **_):
    if change == "moved":
        # A started session moved away from its month (the old time is not sent): forget every
        # month of the sections it may have counted in when attendance was recorded for it.
        from learning.schedule.models import Rsvp
        if Rsvp.select().where(Rsvp.session == session.id, Rsvp.attendance.is_null(False)).exists():
            rollup.forget_section(rollup.SCHEDULE)
    else:
        rollup.forget(rollup.SCHEDULE, session.starts_at)


def case_submitted(case, **_):
    rollup.forget(rollup.CASES, case.submitted_at)


def case_discussed(case, **_):
    rollup.forget(rollup.CASES, case.discussed_at)


def module_completed(completion, **_):
    rollup.forget(rollup.CURRICULUM, completion.completed_at)
    rollup.forget_section(("modules",))


def enrolment_changed(enrolment, **_):
    rollup.forget_section(("modules",))


RECEIVERS = {
    "schedule.attendance-recorded": attendance_recorded,
    "schedule.session-changed": session_changed,
    "cases.case-submitted": case_submitted,
    "cases.case-discussed": case_discussed,
    "curriculum.module-completed": module_completed,
    "curriculum.enrolment-changed": enrolment_changed,
}


def connect():
    for name, receiver in RECEIVERS.items():
        signal(name).connect(receiver, weak=False)

"""Actions update themselves from what happened elsewhere in the programme.

Connected to the signals of the packages that send them: attendance recorded at a session of the action's series completes
"attend_series"; a module completed completes "complete_module"; a case
discussed completes the employee's oldest open "bring_case". Only plans that
are not completed change.

A person who leaves (`accounts.person-left`): the open plans they coach go to the coach
the admin chose, with their check-ins still to come, or are closed (completed) with
those check-ins cancelled; their own open plans as an employee are closed the same way.
"""
from learning.accounts.signals import person_left
from learning.audit.service import record
from learning.cases.signals import case_discussed
from learning.coaching.models import Action, CheckIn, Plan
from learning.coaching.signals import checkin_changed
from learning.curriculum.signals import module_completed
from learning.db import utcnow
from learning.schedule.signals import attendance_recorded
from learning.wording import count_of


def _open_actions(kind, employee_ids):
    live_plans = Plan.select(Plan.id).where(Plan.employee.in_(employee_ids), Plan.status != "completed")
    return Action.select(Action.id).where(Action.kind == kind, Action.status == "open", Action.plan.in_(live_plans))


def _complete(action_ids, what):
    return (Action.update(status="done", completed_at=utcnow(), completed_by=what[:200])
            .where(Action.id.in_(action_ids)).execute())


def on_attendance_recorded(session, rsvps=(), **extra):
    attended = [r.user_id for r in rsvps if r.attendance == "attended"]
    if attended:
        ids = _open_actions("attend_series", attended).where(Action.series == session.series_id)
        _complete(ids, f"Attended the session of {session.starts_at:%d %b %Y}")


def on_module_completed(completion, **extra):
    user_id = getattr(completion, "user_id", None) or completion.user.id
    module_id = getattr(completion, "module_id", None) or completion.module.id
    ids = _open_actions("complete_module", [user_id]).where(Action.module_id == module_id)
    _complete(ids, "Completed the module")


def on_case_discussed(case, session=None, **extra):
    author_id = getattr(case, "author_id", None) or case.author.id
    oldest = _open_actions("bring_case", [author_id]).order_by(Action.created_at, Action.id).limit(1)
    found = [row.id for row in oldest]
    if found:
        _complete(found, "A case they brought was discussed at a meetup")


def on_person_left(user, actor=None, plans_to=None, **extra):
    coached = Plan.select(Plan.id).where(Plan.coach == user.id, Plan.status != "completed")
    own = Plan.select(Plan.id).where(Plan.employee == user.id, Plan.status != "completed")
    handed = [plan_id for (plan_id,) in coached.tuples()] if plans_to is not None else []
    closing = [plan_id for (plan_id,) in own.tuples()] + ([] if handed else [p for (p,) in coached.tuples()])
    now = utcnow()
    if handed:
        Plan.update(coach=plans_to.id, updated_at=now).where(Plan.id.in_(handed)).execute()
        (CheckIn.update(coach=plans_to.id, sequence=CheckIn.sequence + 1, changed_at=now)
         .where(CheckIn.plan.in_(handed), CheckIn.status == "scheduled", CheckIn.starts_at > now).execute())
        record(actor, "plan.handed-over", user, f"{count_of(len(handed), 'open plan')} of {user.display_name} "
                                                 f"to {plans_to.display_name}")
    if closing:
        Plan.update(status="completed", updated_at=now).where(Plan.id.in_(closing)).execute()
        for checkin in CheckIn.select().where(CheckIn.plan.in_(closing), CheckIn.status == "scheduled",
                                              CheckIn.starts_at > now):
            checkin.status, checkin.sequence, checkin.changed_at = "cancelled", checkin.sequence + 1, now
            checkin.save()
            checkin_changed.send(checkin, change="cancelled")
        record(actor, "plan.closed", user, f"{count_of(len(closing), 'open plan')} of {user.display_name} closed: they left")


def connect_subscribers():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    attendance_recorded.connect(on_attendance_recorded, weak=False)
    module_completed.connect(on_module_completed, weak=False)
    case_discussed.connect(on_case_discussed, weak=False)
    person_left.connect(on_person_left, weak=False)

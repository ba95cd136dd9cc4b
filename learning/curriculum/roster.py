"""The coach's view of a cohort: every participant's units, attendance and completion,
in a fixed number of queries."""
import peewee as pw

from learning.accounts.models import User
from learning.curriculum.models import Completion, Enrolment, Unit, UnitProgress
from learning.curriculum.service import sessions_of
from learning.schedule.models import Rsvp, Session


def cohort_progress(cohort):
    """(rows, units_total, sessions_total); each row has enrolment (with user), units_done,
    attended and completion (for this cohort or None). Six queries."""
    enrolments = list(Enrolment.select(Enrolment, User).join(User, on=(Enrolment.user == User.id))
                      .where(Enrolment.cohort == cohort, Enrolment.status != "withdrawn")
                      .order_by(Enrolment.status, Enrolment.queue_number))
    user_ids = [e.user_id for e in enrolments]
    units_total = Unit.select().where(Unit.module == cohort.module_id).count()
    done = dict(UnitProgress.select(UnitProgress.user, pw.fn.COUNT(UnitProgress.id)).join(Unit)
                .where(Unit.module == cohort.module_id, UnitProgress.user.in_(user_ids))
                .group_by(UnitProgress.user).tuples())
    sessions = sessions_of(cohort)
    sessions_total = sessions.count()
    attended = dict(Rsvp.select(Rsvp.user, pw.fn.COUNT(Rsvp.id))
                    .where(Rsvp.session.in_(sessions.select(Session.id)), Rsvp.attendance == "attended",
                           Rsvp.user.in_(user_ids))
                    .group_by(Rsvp.user).tuples())
    completions = {c.user_id: c for c in Completion.select().where(
        Completion.module == cohort.module_id, Completion.user.in_(user_ids)).order_by(Completion.completed_at)}
    rows = [{"enrolment": e, "units_done": done.get(e.user_id, 0), "attended": attended.get(e.user_id, 0),
             "completion": completions.get(e.user_id)} for e in enrolments]
    return rows, units_total, sessions_total

"""Actions update themselves from what happened elsewhere in the programme.

Connected to the signals of the packages that send them: attendance recorded at a session of the action's series completes
"attend_series"; a module completed completes "complete_module"; a case
discussed completes the employee's oldest open "bring_case". Only plans that
are not completed change.
"""
from learning.cases.signals import case_discussed
from learning.coaching.models import Action, Plan
from learning.curriculum.signals import module_completed
from learning.db import utcnow
from learning.schedule.signals import attendance_recorded


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


def connect_subscribers():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    attendance_recorded.connect(on_attendance_recorded, weak=False)
    module_completed.connect(on_module_completed, weak=False)
    case_discussed.connect(on_case_discussed, weak=False)

"""Actions update themselves: attendance recorded at a session of the series, a module completed,
a case discussed. Subscribers connect by signal name; the tests use the real schedule, curriculum
and cases services, and stand-in senders for the signal contract itself."""
from datetime import datetime

from blinker import signal

from learning.coaching.models import Action
from learning.coaching.service import add_action, set_plan_status
from learning.schedule.models import Rsvp, Series, Session


def make_session(coach, title="Listening lab"):
    series = Series.create(kind="skill", title=title, duration_minutes=60, timezone="Europe/Berlin",
                           first_start_local=datetime(2030, 1, 8, 10), created_by=coach)
    session = Session.create(series=series, uid=f"{title}@test", recurrence_local=datetime(2030, 1, 8, 10),
                             starts_at=datetime(2030, 1, 8, 9), ends_at=datetime(2030, 1, 8, 10),
                             timezone="Europe/Berlin")
    return series, session


def record(session, user, attendance):
    rsvp = Rsvp.create(session=session, user=user, status="going", queue_number=1, attendance=attendance)
    signal("schedule.attendance-recorded").send(session, rsvps=[rsvp])


def test_attendance_at_a_session_of_the_series_completes_the_action(people, plan):
    series, session = make_session(people["coach_a"])
    other_series, other_session = make_session(people["coach_a"], "Other")
    action = add_action(people["coach_a"], plan, "attend_series", "Join the listening lab", series_id=series.id)
    record(other_session, people["agent"], "attended")
    assert Action.get_by_id(action.id).status == "open"
    record(session, people["agent"], "attended")
    done = Action.get_by_id(action.id)
    assert done.status == "done" and done.completed_at is not None and "Attended" in done.completed_by


def test_a_no_show_or_someone_else_attending_leaves_the_action_open(people, plan):
    series, session = make_session(people["coach_a"])
    action = add_action(people["coach_a"], plan, "attend_series", "Lab", series_id=series.id)
    record(session, people["agent"], "no_show")
    Rsvp.delete().execute()
    record(session, people["other_agent"], "attended")
    assert Action.get_by_id(action.id).status == "open"


def test_actions_of_a_completed_plan_do_not_change(people, plan):
    series, session = make_session(people["coach_a"])
    action = add_action(people["coach_a"], plan, "attend_series", "Lab", series_id=series.id)
    set_plan_status(people["coach_a"], plan, "completed")
    record(session, people["agent"], "attended")
    assert Action.get_by_id(action.id).status == "open"


def test_completing_the_module_completes_the_action(people, plan):
    from learning.curriculum.models import Module
    from learning.curriculum.service import complete_by_coach

    emotional, digital = (Module.create(title=title, area="Advanced", status="published", created_by=people["admin"])
                          for title in ("Emotional support", "Digital relations"))
    action = add_action(people["coach_a"], plan, "complete_module", "Emotional support", module_id=emotional.id)
    other = add_action(people["coach_a"], plan, "complete_module", "Digital relations", module_id=digital.id)
    complete_by_coach(people["agent"], emotional, people["coach_a"], "Finished the course work")
    assert Action.get_by_id(action.id).status == "done"
    assert Action.get_by_id(other.id).status == "open"


def test_a_discussed_case_completes_the_oldest_open_bring_a_case_action(people, plan, scheduled_case):
    from learning.cases.meetups import record_takeaways

    first = add_action(people["coach_a"], plan, "bring_case", "Bring a case")
    second = add_action(people["coach_a"], plan, "bring_case", "Bring another case")
    case, meetup = scheduled_case
    record_takeaways(people["coach_a"], case, "Calm summary", "Ask earlier", "Listen fully", [])
    assert [Action.get_by_id(a.id).status for a in (first, second)] == ["done", "open"]


def test_a_case_by_someone_else_leaves_the_action_open(people, plan, scheduled_case):
    from learning.cases.meetups import record_takeaways
    from learning.coaching.service import create_plan

    others_plan = create_plan(people["coach_a"], people["other_agent"], "Cases", [plan.competency_links[0].competency_id],
                              plan.start_date, plan.review_date)
    action = add_action(people["coach_a"], others_plan, "bring_case", "Bring a case")
    case, meetup = scheduled_case                      # written by the agent, not other_agent
    record_takeaways(people["coach_a"], case, "Calm summary", "Ask earlier", "Listen fully", [])
    assert Action.get_by_id(action.id).status == "open"

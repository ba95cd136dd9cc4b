"""Notices from case reviews, modules and coaching, sent through their agreed
signal names (stand-in senders until those packages land on main)."""
from datetime import date, timedelta
from types import SimpleNamespace as Stand

from blinker import signal

from learning.db import utcnow
from learning.notify.models import Notification


def texts(user):
    return [n.text for n in Notification.select().where(Notification.user == user).order_by(Notification.id)]


def test_case_scheduled_and_discussed_tell_the_author(app, people, make_session):
    agent = people["agent"]
    meetup = make_session(title="Case-review meetup")
    case = Stand(id=7, author_id=agent.id, title="Refund promised twice", anonymous=False)
    with app.app_context():
        signal("cases.case-scheduled").send(case, session=meetup)
        signal("cases.case-discussed").send(case, session=None)
    scheduled, discussed = Notification.select().order_by(Notification.id)
    assert scheduled.text.startswith("Your case \u201cRefund promised twice\u201d is on the agenda of Case-review meetup on ")
    assert scheduled.kind == "case" and scheduled.link == "/cases/7"
    assert "was discussed at a case-review meetup" in discussed.text


def test_a_debrief_prompt_reaches_the_coaches_and_respects_anonymity(app, people):
    case = Stand(id=8, author_id=people["agent"].id, title="An abusive caller", anonymous=True)
    with app.app_context():
        signal("cases.debrief-prompted").send(case, coach_ids=[people["coach_a"].id])
    [notice] = texts(people["coach_a"])
    assert notice.startswith("Someone on your team brought a case") and "Agent A1" not in notice
    assert texts(people["agent"]) == []


def test_enrolment_and_completion_notices(app, people):
    agent = people["agent"]
    module = Stand(id=2, title="Emotional support")
    cohort = Stand(id=3, title="Spring cohort", starts_on=date(2027, 3, 1), module=module, capacity=None)
    with app.app_context():
        signal("curriculum.enrolment-changed").send(Stand(user_id=agent.id, cohort=cohort, status="going"),
                                                    old_status="waitlisted", promoted=True)
        signal("curriculum.enrolment-changed").send(Stand(user_id=agent.id, cohort=cohort, status="withdrawn"),
                                                    old_status="going", promoted=False)
        signal("curriculum.module-completed").send(
            Stand(user_id=agent.id, module=module, expires_at=utcnow() + timedelta(days=365)))
    promoted, withdrawn, completed = texts(agent)
    assert promoted == "A place freed: you are now enrolled in Emotional support (Spring cohort, from 01 Mar 2027)."
    assert withdrawn.startswith("You are no longer enrolled in Emotional support")
    assert completed.startswith("You completed Emotional support. It stays valid until ")


def test_coaching_notices_reach_the_employee(app, people):
    agent, coach = people["agent"], people["coach_a"]
    with app.app_context():
        signal("coaching.request-answered").send(Stand(id=1, employee_id=agent.id, answered_by_id=coach.id))
        signal("coaching.plan-assigned").send(Stand(id=4, employee_id=agent.id, coach_id=coach.id,
                                                    title="Staying centred"))
        for change in ("scheduled", "moved", "cancelled"):
            signal("coaching.checkin-changed").send(
                Stand(id=5, employee_id=agent.id, coach_id=coach.id, starts_at=utcnow()), change=change)
    answered, plan, scheduled, moved, cancelled = texts(agent)
    assert answered == "Coach A answered your support request."
    assert plan == "Coach A assigned you a development plan: Staying centred."
    assert scheduled.startswith("A check-in with Coach A is scheduled for ")
    assert moved.startswith("Your check-in with Coach A has moved to ")
    assert cancelled.endswith("is cancelled.")
    assert Notification.get(Notification.link == "/plans/4").kind == "coaching"
    assert Notification.select().where(Notification.kind == "checkin").count() == 3

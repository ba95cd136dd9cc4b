"""Notices from case reviews, modules and coaching, through those packages' own
services and signals; reminders before check-ins and refreshers coming due."""
from datetime import timedelta

from learning.db import utcnow
from learning.notify import reminders
from learning.notify.models import Notification


def texts(user, kind=None):
    query = Notification.select().where(Notification.user == user)
    if kind:
        query = query.where(Notification.kind == kind)
    return [n.text for n in query.order_by(Notification.id)]


def test_a_case_put_on_an_agenda_tells_its_author(scheduled_case, people):
    case, meetup = scheduled_case
    [notice] = texts(people["agent"], "case")
    assert notice.startswith(f"Your case \u201c{case.title}\u201d is on the agenda of Case-review meetup on ")
    assert Notification.get(Notification.kind == "case").link == f"/cases/{case.id}"


def test_a_heavy_case_prompts_its_teams_coaches_to_offer_a_debrief(make_case, people):
    case = make_case(people["agent"], heaviness=5, anonymous=True)
    [notice] = texts(people["coach_a"], "debrief")
    assert notice.startswith("Someone on your team brought a case that weighed on them")
    assert case.title in notice and "Agent A1" not in notice
    assert texts(people["coach_b"]) == []


def test_a_discussed_case_tells_its_author(scheduled_case, people):
    from learning.cases import meetups

    case, meetup = scheduled_case
    meetups.record_takeaways(people["coach_a"], case, "Stayed calm.", "Ask sooner.", "Own the issue", [])
    assert "was discussed at Case-review meetup on " in texts(people["agent"], "case")[-1]


def test_enrolment_waitlist_and_completion_notices(app, people, make_module, make_cohort):
    from learning.curriculum import service as curriculum

    module = make_module(title="Emotional support", validity_months=12)
    cohort = make_cohort(module, capacity=1)
    curriculum.enrol(cohort, people["agent_b"])
    curriculum.enrol(cohort, people["agent"])
    assert texts(people["agent_b"], "module")[0].startswith("You are enrolled in Emotional support (Spring, from ")
    assert "is full: you are number 1 on the waitlist" in texts(people["agent"], "module")[0]
    curriculum.leave(curriculum.cohort_place(people["agent_b"], cohort))
    assert texts(people["agent"], "module")[1].startswith("A place freed: you are now enrolled in Emotional support")
    assert texts(people["agent_b"], "module")[1].startswith("You are no longer enrolled in Emotional support")
    curriculum.complete_by_coach(people["agent"], module, people["coach_a"], "Showed it on the floor.")
    assert texts(people["agent"], "module")[2].startswith("You completed Emotional support. It stays valid until ")


def test_plans_and_check_ins_tell_the_employee(plan, checkin, people):
    from learning.coaching import checkins
    from tests.fixtures_coaching import future_local

    checkins.move_checkin(people["coach_a"], checkin, future_local(days=8), 30)
    checkins.cancel_checkin(people["coach_a"], checkin)
    assert texts(people["agent"], "coaching") == ["Coach A assigned you a development plan: Listening plan."]
    scheduled, moved, cancelled = texts(people["agent"], "checkin")
    assert scheduled.startswith("A check-in with Coach A is scheduled for ")
    assert moved.startswith("Your check-in with Coach A has moved to ")
    assert cancelled.endswith("is cancelled.")
    assert Notification.get(Notification.kind == "checkin").link == f"/checkins/{checkin.id}"


def test_an_answered_support_request_tells_the_employee(people, competencies):
    from learning.coaching import service as coaching

    request = coaching.ask_for_support(people["agent"], [competencies[0].id], "Angry callers wear me down.")
    coaching.answer_request(people["coach_a"], request, "Let's meet on Thursday.")
    assert texts(people["agent"], "coaching") == ["Coach A answered your support request."]


def test_both_sides_are_reminded_of_a_check_in_once(app, plan, checkin, people):
    with app.app_context():
        before = checkin.starts_at - timedelta(hours=3)
        assert reminders.queue_reminders(now=before) == 2
        assert reminders.queue_reminders(now=before + timedelta(minutes=30)) == 0
    assert texts(people["agent"], "reminder")[0].startswith("Reminder: your check-in with Coach A is on ")
    assert texts(people["coach_a"], "reminder")[0].startswith("Reminder: your check-in with Agent A1 is on ")


def test_a_refresher_is_due_once_before_a_completion_runs_out_unless_renewed(app, people, make_module):
    from learning.curriculum import service as curriculum

    module = make_module(title="De-escalation", validity_months=12)
    curriculum.complete_by_coach(people["agent"], module, people["coach_a"], "Done.",
                                 now=utcnow() - timedelta(days=350))
    curriculum.complete_by_coach(people["other_agent"], module, people["coach_a"], "Done.",
                                 now=utcnow() - timedelta(days=350))
    curriculum.complete_by_coach(people["other_agent"], module, people["coach_a"], "Renewed.")
    with app.app_context():
        assert reminders.queue_reminders() == 1
        assert reminders.queue_reminders() == 0
    [notice] = texts(people["agent"], "refresher")
    assert notice.startswith("Your completion of De-escalation runs out on ") and notice.endswith("refresher.")
    assert texts(people["other_agent"], "refresher") == []

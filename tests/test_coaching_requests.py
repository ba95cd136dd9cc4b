"""Support requests: an employee asks, the team's coaches see it (badge, dashboard), one answers or accepts."""
from datetime import timedelta

from learning.coaching.models import Plan, PlanCompetency, SupportRequest, SupportRequestCompetency
from learning.coaching.service import ask_for_support
from learning.db import utcnow


def test_employee_asks_and_the_request_reaches_the_coaches_of_their_team(client, login, people, competencies):
    login(people["agent"])
    response = client.post("/coaching/requests/new", data={
        "competencies": [competencies[0].id, competencies[1].id], "description": "Angry callers throw me."})
    assert response.status_code == 302
    request = SupportRequest.get()
    assert request.employee_id == people["agent"].id and request.status == "open"
    assert SupportRequestCompetency.select().where(SupportRequestCompetency.request == request).count() == 2

    login(people["coach_a"])
    page = client.get("/coaching").get_data(as_text=True)
    assert "Angry callers throw me." in page
    assert 'title="1 waiting">1</span>' in client.get("/").get_data(as_text=True)   # nav badge
    login(people["coach_b"])
    assert "Angry callers" not in client.get("/coaching").get_data(as_text=True)
    assert client.get(f"/coaching/requests/{request.id}").status_code == 404


def test_a_request_without_competency_or_description_is_refused_and_nothing_is_written(client, login, people, competencies):
    login(people["agent"])
    response = client.post("/coaching/requests/new", data={"description": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose at least one competency." in page and "Say in a few words what is hard." in page
    assert SupportRequest.select().count() == 0


def test_coach_answers_with_a_message_and_the_employee_sees_it(client, login, people, competencies, caught_signals):
    answered = caught_signals("coaching.request-answered")
    request = ask_for_support(people["agent"], [competencies[0].id], "Explaining refunds")
    login(people["coach_a"])
    response = client.post(f"/coaching/requests/{request.id}/answer", data={"answer": "Let's pair on **Tuesday**."})
    assert response.status_code == 302
    assert [sender.id for sender, _ in answered] == [request.id]
    login(people["agent"])
    page = client.get(f"/coaching/requests/{request.id}").get_data(as_text=True)
    assert "<strong>Tuesday</strong>" in page and "Coach A" in page
    assert SupportRequest.get_by_id(request.id).status == "answered"


def test_a_request_is_answered_only_once(client, login, people, competencies):
    request = ask_for_support(people["agent"], [competencies[0].id], "Refunds")
    login(people["coach_a"])
    client.post(f"/coaching/requests/{request.id}/answer", data={"answer": "First"})
    client.post(f"/coaching/requests/{request.id}/answer", data={"answer": "Second"})
    assert SupportRequest.get_by_id(request.id).answer == "First"


def test_coach_of_another_team_cannot_answer(client, login, people, competencies):
    request = ask_for_support(people["agent"], [competencies[0].id], "Refunds")
    login(people["coach_b"])
    assert client.post(f"/coaching/requests/{request.id}/answer", data={"answer": "Hi"}).status_code == 404
    assert SupportRequest.get_by_id(request.id).status == "open"


def test_coach_turns_a_request_into_a_new_plan(client, login, people, competencies, caught_signals):
    assigned = caught_signals("coaching.plan-assigned")
    request = ask_for_support(people["agent"], [competencies[1].id], "Questions")
    login(people["coach_a"])
    form = client.get(f"/coaching/plans/new?request={request.id}").get_data(as_text=True)
    assert "Questions" in form
    today = utcnow().date()
    response = client.post(f"/coaching/plans/new?request={request.id}", data={
        "employee": people["agent"].id, "title": "Better questions", "competencies": [competencies[1].id],
        "start_date": today.isoformat(), "review_date": (today + timedelta(days=60)).isoformat(), "template": 0})
    plan = Plan.get()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan.id}")
    request = SupportRequest.get_by_id(request.id)
    assert (request.status, request.plan_id) == ("accepted", plan.id)
    assert [sender.id for sender, _ in assigned] == [plan.id]


def test_coach_adds_a_request_to_the_existing_plan(client, login, people, competencies, plan):
    request = ask_for_support(people["agent"], [competencies[2].id], "Ownership")
    login(people["coach_a"])
    response = client.post(f"/coaching/requests/{request.id}/accept", data={"plan": plan.id, "answer": ""})
    assert response.status_code == 302
    assert SupportRequest.get_by_id(request.id).status == "accepted"
    focus = {link.competency_id for link in PlanCompetency.select().where(PlanCompetency.plan == plan)}
    assert focus == {competencies[0].id, competencies[2].id}


def test_dashboard_shows_a_coach_open_requests_oldest_first(client, login, people, competencies):
    older = ask_for_support(people["agent"], [competencies[0].id], "Older")
    SupportRequest.update(created_at=utcnow() - timedelta(days=5)).where(SupportRequest.id == older.id).execute()
    ask_for_support(people["other_agent"], [competencies[0].id], "Newer")
    login(people["coach_a"])
    page = client.get("/").get_data(as_text=True)
    assert "Open support requests" in page and "waiting 5 days" in page
    assert page.index("Agent A1") < page.index("Agent A2")
    login(people["agent"])
    assert "Open support requests" not in client.get("/").get_data(as_text=True)

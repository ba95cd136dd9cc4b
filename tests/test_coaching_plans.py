"""Plans: only coaches of the employee's team create them; goals with level and due-date rules;
status history; completed plans must be reopened; templates copy goals and actions."""
from datetime import timedelta

import pytest

from learning.coaching import service
from learning.coaching.models import Action, Goal, GoalStatusChange, Plan
from learning.db import utcnow
from learning.refusals import Refused


def plan_data(people, competencies, **changes):
    today = utcnow().date()
    data = {"employee": people["agent"].id, "title": "Plan", "competencies": [competencies[0].id],
            "start_date": today.isoformat(), "review_date": (today + timedelta(days=30)).isoformat(), "template": 0}
    data.update(changes)
    return data


def test_a_plan_for_someone_outside_the_coach_teams_is_refused_and_nothing_written(people, competencies):
    today = utcnow().date()
    with pytest.raises(Refused, match="teams you coach"):
        service.create_plan(people["coach_b"], people["agent"], "Plan", [competencies[0].id], today, today)
    with pytest.raises(Refused):
        service.create_plan(people["admin"], people["agent"], "Plan", [competencies[0].id], today, today)
    assert Plan.select().count() == 0


def test_the_plan_form_offers_only_people_the_coach_coaches(client, login, people, competencies):
    login(people["coach_b"])
    response = client.post("/coaching/plans/new", data=plan_data(people, competencies))
    assert response.status_code == 200 and "Choose the employee." not in response.get_data(as_text=True)
    assert Plan.select().count() == 0
    login(people["agent"])
    assert client.get("/coaching/plans/new").status_code == 403


def test_review_before_start_is_refused(client, login, people, competencies):
    login(people["coach_a"])
    today = utcnow().date()
    response = client.post("/coaching/plans/new", data=plan_data(
        people, competencies, review_date=(today - timedelta(days=1)).isoformat()))
    assert "The review date cannot be before the start date." in response.get_data(as_text=True)
    assert Plan.select().count() == 0


def test_a_goal_due_before_the_plan_starts_is_refused(client, login, people, plan, competencies):
    login(people["coach_a"])
    response = client.post(f"/plans/{plan.id}/goals", data={
        "competency": competencies[0].id, "what_good_looks_like": "Summarises the need",
        "target_level": 3, "due_date": (plan.start_date - timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "The due date cannot be before the plan starts." in response.get_data(as_text=True)
    assert Goal.select().count() == 0


@pytest.mark.parametrize("level", [0, 6, -1])
def test_a_target_level_outside_one_to_five_is_refused(people, plan, competencies, client, login, level):
    with pytest.raises(Refused, match="1 to 5"):
        service.add_goal(people["coach_a"], plan, competencies[0].id, "Good", level, plan.review_date)
    login(people["coach_a"])
    response = client.post(f"/plans/{plan.id}/goals", data={
        "competency": competencies[0].id, "what_good_looks_like": "Good", "target_level": level,
        "due_date": plan.review_date.isoformat()})
    assert response.status_code == 400
    assert Goal.select().count() == 0


def test_goal_status_changes_are_kept_as_history(client, login, people, plan, competencies):
    goal = service.add_goal(people["coach_a"], plan, competencies[0].id, "Good", 3, plan.review_date)
    login(people["coach_a"])
    client.post(f"/coaching/goals/{goal.id}/status", data={"status": "in_progress"})
    client.post(f"/coaching/goals/{goal.id}/status", data={"status": "achieved"})
    changes = [(c.old_status, c.new_status) for c in GoalStatusChange.select().order_by(GoalStatusChange.id)]
    assert changes == [(None, "not_started"), ("not_started", "in_progress"), ("in_progress", "achieved")]
    assert "In progress → Achieved" in client.get(f"/plans/{plan.id}").get_data(as_text=True)


def test_the_employee_cannot_change_their_goals(client, login, people, plan, competencies):
    goal = service.add_goal(people["coach_a"], plan, competencies[0].id, "Good", 3, plan.review_date)
    login(people["agent"])
    assert client.post(f"/coaching/goals/{goal.id}/status", data={"status": "achieved"}).status_code == 404
    assert client.post(f"/plans/{plan.id}/goals", data={"competency": competencies[0].id, "what_good_looks_like": "x",
                                                        "target_level": 2, "due_date": plan.review_date.isoformat()}).status_code == 404
    assert Goal.get_by_id(goal.id).status == "not_started" and Goal.select().count() == 1


def test_editing_a_completed_plan_is_refused_until_it_is_reopened(client, login, people, plan, competencies):
    service.set_plan_status(people["coach_a"], plan, "completed")
    with pytest.raises(Refused, match="Reopen it"):
        service.add_goal(people["coach_a"], plan, competencies[0].id, "Good", 3, plan.review_date)
    login(people["coach_a"])
    response = client.post(f"/plans/{plan.id}/edit", data=plan_data(people, competencies, title="Renamed"))
    assert "Reopen it before changing it." in response.get_data(as_text=True)
    assert Plan.get_by_id(plan.id).title == "Listening plan"
    client.post(f"/plans/{plan.id}/status", data={"status": "active"})
    client.post(f"/plans/{plan.id}/edit", data=plan_data(people, competencies, title="Renamed"))
    assert Plan.get_by_id(plan.id).title == "Renamed"


def test_a_template_copies_its_goals_and_actions_into_a_new_plan(people, competencies):
    template = service.save_template(people["coach_a"], None, "Back from leave")
    service.add_template_goal(people["coach_a"], template, competencies[1].id, "Asks before solving", 3, 30)
    service.add_template_action(people["coach_a"], template, "bring_case", "Bring one tough case")
    today = utcnow().date()
    plan = service.create_plan(people["coach_a"], people["agent"], "Welcome back", [competencies[0].id],
                               today, today + timedelta(days=60), template=template)
    goal = Goal.get(Goal.plan == plan)
    assert (goal.competency_id, goal.target_level, goal.due_date) == (competencies[1].id, 3, today + timedelta(days=30))
    assert [a.title for a in Action.select().where(Action.plan == plan)] == ["Bring one tough case"]


def test_admins_and_coaches_maintain_templates_agents_do_not(client, login, people):
    login(people["agent"])
    assert client.get("/coaching/templates").status_code == 403
    assert client.post("/coaching/templates/new", data={"name": "X"}).status_code == 403
    login(people["admin"])
    response = client.post("/coaching/templates/new", data={"name": "New hire foundations", "description": "First 90 days"})
    assert response.status_code == 302
    login(people["coach_a"])
    assert "New hire foundations" in client.get("/coaching/templates").get_data(as_text=True)


def test_employee_acknowledges_a_new_plan_with_a_comment(client, login, people, plan):
    login(people["agent"])
    assert "Have you read your plan?" in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    client.post(f"/plans/{plan.id}/acknowledge", data={"comment": "Looks right"})
    plan = Plan.get_by_id(plan.id)
    assert plan.acknowledged_at is not None and plan.acknowledgement_comment == "Looks right"
    login(people["other_agent"])
    assert client.post(f"/plans/{plan.id}/acknowledge", data={}).status_code == 404


def test_a_coach_removes_a_goal_from_a_template(client, login, people, competencies):
    from learning.coaching.models import TemplateGoal

    template = service.save_template(people["coach_a"], None, "New hire foundations")
    goal = service.add_template_goal(people["coach_a"], template, competencies[0].id, "Listens", 3, 30)
    login(people["coach_b"])
    client.post(f"/coaching/templates/{template.id}/remove", data={"goal": goal.id})
    assert TemplateGoal.select().count() == 0

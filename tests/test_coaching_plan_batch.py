"""A plan template for a whole team at once: one plan per person with the template's goals,
focus and actions, set-based; people who have a plan from the template keep it; coaches act on
the teams they coach only."""
from datetime import date, timedelta

import pytest

from learning.coaching import plan_batch, service
from learning.coaching.models import Action, Goal, GoalStatusChange, Plan, PlanCompetency
from learning.notify.models import Notification
from learning.refusals import Refused

pytestmark = pytest.mark.usefixtures("in_app_context")
TODAY = date.today()


@pytest.fixture
def template(people, competencies):
    item = service.save_template(people["coach_a"], None, "Foundations", "For new people")
    service.add_template_goal(people["coach_a"], item, competencies[0].id, "Hears the customer out", 3, 30)
    service.add_template_goal(people["coach_a"], item, competencies[1].id, "Asks one question at a time", 3, 60)
    service.add_template_action(people["coach_a"], item, "bring_case", "Bring a case")
    return item


def assign(coach, template, **choice):
    return plan_batch.assign_template(coach, template, "Foundations", TODAY, TODAY + timedelta(days=90), **choice)


def test_each_member_gets_a_plan_with_the_templates_goals_focus_and_actions(people, template, make_user):
    extra = make_user("agent", team=people["team_a"], name="Agent A3")
    assigned = assign(people["coach_a"], template, team=people["team_a"])
    assert [u.display_name for u in assigned.created] == ["Agent A1", "Agent A2", "Agent A3"]   # not the coach
    plans = list(Plan.select().where(Plan.template == template))
    assert sorted(p.employee_id for p in plans) == sorted([people["agent"].id, people["other_agent"].id, extra.id])
    for plan in plans:
        assert [(g.target_level, g.due_date) for g in plan.goals.order_by(Goal.id)] == [
            (3, TODAY + timedelta(days=30)), (3, TODAY + timedelta(days=60))]
        assert PlanCompetency.select().where(PlanCompetency.plan == plan).count() == 2
        assert [a.title for a in plan.actions] == ["Bring a case"]
    assert GoalStatusChange.select().count() == 6
    assert Notification.select().where(Notification.user.in_([p.employee_id for p in plans])).count() == 3


def test_someone_with_a_plan_from_the_template_keeps_it(people, template):
    assign(people["coach_a"], template, user_ids=[people["agent"].id])
    assigned = assign(people["coach_a"], template, team=people["team_a"])
    assert [u.id for u in assigned.kept] == [people["agent"].id]
    assert Plan.select().where(Plan.employee == people["agent"]).count() == 1


def test_a_coach_gives_plans_to_their_own_teams_only(people, template):
    with pytest.raises(Refused) as refused:
        assign(people["coach_a"], template, team=people["team_b"])
    assert refused.value.field == "team_id"
    with pytest.raises(Refused) as refused:
        assign(people["coach_a"], template, user_ids=[people["agent_b"].id])
    assert refused.value.field == "user_ids"
    with pytest.raises(Refused):
        assign(people["admin"], template, team=people["team_a"])   # admins coach no team by default
    assert Plan.select().count() == 0 and Action.select().count() == 0


def test_bad_dates_and_a_template_without_goals_are_refused(people, template):
    with pytest.raises(Refused) as refused:
        plan_batch.assign_template(people["coach_a"], template, "X", TODAY, TODAY - timedelta(days=1), team=people["team_a"])
    assert refused.value.field == "review_date"
    empty = service.save_template(people["coach_a"], None, "Empty", "")
    with pytest.raises(Refused):
        assign(people["coach_a"], empty, team=people["team_a"])
    assert Plan.select().count() == 0


def test_plans_for_a_bigger_team_take_the_same_statements(people, template, make_team, make_user, count_queries):
    def writes(size):
        team = make_team(f"Batch {size}")
        service_coach = people["coach_a"]
        from learning.accounts import service as accounts
        accounts.set_team_coaches(team, [service_coach.id])
        for _ in range(size):
            make_user("agent", team=team)
        from learning.coaching.signals import plan_assigned
        receivers = plan_assigned.receivers.copy()
        plan_assigned.receivers.clear()   # each person's notice is the notification centre's, counted elsewhere
        try:
            with count_queries() as counter:
                assign(service_coach, template, team=team)
        finally:
            plan_assigned.receivers.update(receivers)
        return counter.count
    assert writes(3) == writes(30)


def test_the_assign_page_from_every_seat(client, login, people, template):
    url = f"/coaching/templates/{template.id}/assign"
    assert client.get(url).status_code == 302
    for seat, status in {"agent": 403, "coach_b": 200, "coach_a": 200}.items():
        login(people[seat])
        assert client.get(url).status_code == status, seat
    login(people["coach_a"])
    response = client.post(url, data={"team_id": people["team_a"].id, "title": "Foundations",
                                      "start_date": TODAY.isoformat(), "review_date": (TODAY + timedelta(days=90)).isoformat()})
    assert response.status_code == 200 and "2 plans created" in response.get_data(as_text=True)
    response = client.post(url, data={"team_id": people["team_b"].id, "title": "Foundations",
                                      "start_date": TODAY.isoformat(), "review_date": TODAY.isoformat()})
    assert response.status_code == 400 and Plan.select().count() == 2

"""/coaching stays within a fixed number of queries however many requests, plans and check-ins."""
import pytest

from learning.coaching.checkins import schedule_checkin
from learning.coaching.service import ask_for_support, create_plan
from learning.db import utcnow
from tests.fixtures_coaching import future_local


def fill(people, competencies, make_user, n):
    today = utcnow().date()
    for i in range(n):
        person = make_user("agent", team=people["team_a"])
        ask_for_support(person, [competencies[0].id], f"Request {i}")
        plan = create_plan(people["coach_a"], person, f"Plan {i}", [competencies[0].id], today, today)
        schedule_checkin(people["coach_a"], plan, future_local(days=i + 1), 30)


@pytest.mark.parametrize("who", ["coach_a", "agent", "admin"])
def test_overview_query_count_does_not_grow_with_data(client, login, people, competencies, make_user,
                                                      count_queries, who):
    counts = []
    for n in (2, 12):
        fill(people, competencies, make_user, n)
        login(people[who])
        with count_queries() as counter:
            assert client.get("/coaching").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[1] <= 14


def test_plan_page_query_count_does_not_grow_with_goals(client, login, people, plan, competencies, count_queries):
    from learning.coaching.service import add_action, add_goal

    counts = []
    for n in (1, 8):
        for _ in range(n):
            add_goal(people["coach_a"], plan, competencies[1].id, "Good", 3, plan.review_date)
            add_action(people["coach_a"], plan, "bring_case", "Bring a case")
        login(people["coach_a"])
        with count_queries() as counter:
            assert client.get(f"/plans/{plan.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]

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


@pytest.fixture
def choice_reads(monkeypatch):
    """How many times the plan page read the add-action choices (every active series, modules, cohorts)."""
    from learning.coaching import forms

    calls = []
    real = forms.ActionForm.fill_choices

    def counted(self):
        calls.append(1)
        return real(self)
    monkeypatch.setattr(forms.ActionForm, "fill_choices", counted)
    return calls


def test_the_employee_s_plan_page_reads_no_add_action_choices(client, login, people, plan, new_series, choice_reads):
    new_series(title="Listening lab")
    login(people["agent"])
    html = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert choice_reads == [] and "Add an action" not in html and "Listening lab" not in html
    login(people["coach_a"])
    html = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert choice_reads == [1] and "Add an action" in html and "Listening lab" in html


def test_a_completed_plan_reads_no_add_action_choices_even_for_its_coach(client, login, people, plan, choice_reads):
    from learning.coaching.service import set_plan_status

    set_plan_status(people["coach_a"], plan, "completed")
    login(people["coach_a"])
    assert client.get(f"/plans/{plan.id}").status_code == 200 and choice_reads == []


def test_a_refused_action_keeps_its_choices(client, login, people, plan, new_series):
    series = new_series(title="Listening lab")
    login(people["coach_a"])
    response = client.post(f"/plans/{plan.id}/actions", data={"kind": "attend_series", "title": "",
                                                             "series": series.id})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Give the action a title." in html
    assert f'<option selected value="{series.id}">Listening lab</option>' in html


@pytest.mark.parametrize("who, most", [("agent", 12), ("coach_a", 20)])
def test_plan_page_query_count_does_not_grow_with_series_for_either_viewer(client, login, people, plan, new_series,
                                                                           count_queries, who, most):
    counts = []
    for n in (1, 10):
        for i in range(n):
            new_series(title=f"Series {n}-{i}")
        login(people[who])
        with count_queries() as counter:
            assert client.get(f"/plans/{plan.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= most

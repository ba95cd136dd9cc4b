"""Coaching lists that grow: the plan list filters by status, overdue items, a part of the person's
name and a focus competency, and only ever shows plans the coach may see; open support requests
and the admin's teams come in pages."""
from datetime import date, timedelta


def test_the_plan_list_filters_by_status_overdue_person_and_competency(client, login, people, competencies, make_user):
    from learning.coaching.models import Goal
    from learning.coaching.service import add_goal, create_plan, set_plan_status

    today, coach = date.today(), people["coach_a"]
    late = create_plan(coach, people["agent"], "Late plan", [competencies[0].id], today, today + timedelta(days=30))
    add_goal(coach, late, competencies[0].id, "Listens", 3, today + timedelta(days=3))
    Goal.update(due_date=today - timedelta(days=2)).execute()
    create_plan(coach, people["other_agent"], "Asking plan", [competencies[1].id], today, today + timedelta(days=30))
    paused = create_plan(coach, people["other_agent"], "Paused plan", [competencies[2].id], today, today)
    set_plan_status(coach, paused, "paused")
    create_plan(people["coach_b"], people["agent_b"], "Other team plan", [competencies[0].id], today, today)
    login(coach)

    def titles(**args):
        page = client.get("/coaching", query_string=args).get_data(as_text=True)
        section = page[page.index('id="team-plans"'):]
        return [t for t in ("Late plan", "Asking plan", "Paused plan", "Other team plan") if t in section]
    assert titles() == ["Late plan", "Asking plan", "Paused plan"]
    assert titles(status="paused") == ["Paused plan"]
    assert titles(overdue="y") == ["Late plan"]
    assert titles(person="a2") == ["Asking plan", "Paused plan"]
    assert titles(competency=competencies[1].id) == ["Asking plan"]
    assert titles(status="active", person="A1") == ["Late plan"]
    assert client.get("/coaching", query_string={"status": "bogus", "competency": "x"}).status_code == 200


def test_open_requests_and_teams_come_in_pages(client, login, people, competencies, make_user, make_team, app):
    from learning.coaching.service import ask_for_support

    app.config["PAGE_SIZE"] = 3
    for n in range(4):
        asker = make_user("agent", team=people["team_a"], name=f"Asker {n}")
        ask_for_support(asker, [competencies[0].id], f"Request {n}")
        make_team(f"Extra team {n}")
    login(people["coach_a"])
    first = client.get("/coaching").get_data(as_text=True)
    second = client.get("/coaching?requests=2").get_data(as_text=True)
    assert [f"Asker {n}" in first for n in range(4)] == [True, True, True, False]
    assert "Asker 3" in second and "Asker 0" not in second
    login(people["admin"])
    teams = [client.get(f"/admin/teams?page={n}").get_data(as_text=True) for n in (1, 2)]
    names = ["Extra team 0", "Extra team 1", "Extra team 2", "Extra team 3", "Team A", "Team B"]
    assert [name for name in names if name in teams[0]] == names[:3]
    assert [name for name in names if name in teams[1]] == names[3:]


def test_plan_templates_come_in_pages_in_name_order(client, login, people, app):
    from learning.coaching.service import save_template

    app.config["PAGE_SIZE"] = 3
    for n in range(7):
        save_template(people["coach_a"], None, f"Template {n}")
    login(people["coach_b"])                  # templates are shared by every coach
    first = client.get("/coaching/templates").get_data(as_text=True)
    third = client.get("/coaching/templates?page=3").get_data(as_text=True)
    assert [f"Template {n}" in first for n in range(7)] == [True] * 3 + [False] * 4
    assert 'rel="next"' in first and "Template 6" in third and 'rel="next"' not in third

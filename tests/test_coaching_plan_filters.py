"""The coaches' plan list filters by status, overdue items, a part of the person's name and a focus
competency, and only ever shows plans the coach may see."""
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

"""Seeing what matters: a new rating is shown where it lands, a plan from a template is
filled with the template's goals and actions."""
from datetime import timedelta

from learning.coaching import service
from learning.coaching.models import Goal, Plan, Rating
from learning.db import utcnow


def test_a_new_rating_is_shown_opened_and_marked_after_it_is_added(client, login, people, competencies):
    agent = people["agent"]
    login(agent)
    response = client.post(f"/coaching/people/{agent.id}/ratings", data={
        "competency": competencies[1].id, "level": 3, "rated_on": utcnow().date().isoformat()})
    rating = Rating.get()
    assert response.headers["Location"].endswith(f"/coaching/people/{agent.id}?added={rating.id}#rating-{rating.id}")
    page = client.get(response.headers["Location"]).data.decode()
    assert f"Added: {competencies[1].name}, level 3" in page
    assert f'<tr id="rating-{rating.id}" class="added">' in page
    assert "<details open><summary" in page and "just added" in page


def test_a_refused_rating_shows_no_added_mark(client, login, people, competencies):
    agent = people["agent"]
    login(agent)
    response = client.post(f"/coaching/people/{agent.id}/ratings", data={
        "competency": competencies[1].id, "level": 9, "rated_on": utcnow().date().isoformat()})
    assert response.status_code == 400 and Rating.select().count() == 0
    assert "just added" not in response.data.decode()


def make_template(coach, competencies):
    template = service.save_template(coach, None, "Boundaries first", "Start with footing")
    service.add_template_goal(coach, template, competencies[2].id, "Owns every ticket to the end", 4, 30)
    service.add_template_goal(coach, template, competencies[0].id, "Listens without interrupting", 3, 60)
    service.add_template_action(coach, template, "bring_case", "Bring a tough delivery case")
    return template


def test_plan_from_a_template_fills_title_competencies_and_shows_its_goals(client, login, people, competencies):
    template = make_template(people["coach_a"], competencies)
    login(people["coach_a"])
    page = client.get(f"/coaching/plans/new?template={template.id}&employee={people['agent'].id}").data.decode()
    assert 'value="Boundaries first"' in page
    assert f'<option selected value="{template.id}">' in page or f'value="{template.id}" selected' in page
    for competency in (competencies[2], competencies[0]):
        assert f'value="{competency.id}" checked' in page or f'checked value="{competency.id}"' in page
    assert "Owns every ticket to the end" in page and "Bring a tough delivery case" in page
    assert "Plan from this template" in client.get(f"/coaching/templates/{template.id}").data.decode()


def test_a_template_plan_without_chosen_competencies_takes_the_templates(client, login, people, competencies):
    template = make_template(people["coach_a"], competencies)
    login(people["coach_a"])
    today = utcnow().date()
    response = client.post("/coaching/plans/new", data={
        "employee": people["agent"].id, "title": "Footing", "template": template.id,
        "start_date": today.isoformat(), "review_date": (today + timedelta(days=90)).isoformat()})
    assert response.status_code == 302, response.data.decode()
    plan = Plan.get()
    assert sorted(c.competency_id for c in plan.competency_links) == sorted([competencies[0].id, competencies[2].id])
    assert sorted(g.what_good_looks_like for g in Goal.select()) == [
        "Listens without interrupting", "Owns every ticket to the end"]


def test_a_plan_without_template_still_needs_a_competency(client, login, people, competencies):
    login(people["coach_a"])
    today = utcnow().date()
    response = client.post("/coaching/plans/new", data={
        "employee": people["agent"].id, "title": "Footing", "template": 0,
        "start_date": today.isoformat(), "review_date": (today + timedelta(days=90)).isoformat()})
    assert "Choose at least one competency." in response.data.decode() and Plan.select().count() == 0


def test_the_audit_log_reads_as_sentences_with_links(client, login, people, plan):
    login(people["admin"])
    page = client.get("/admin/audit").data.decode()
    coach = people["coach_a"]
    assert (f'<a href="/admin/users/{coach.id}">{coach.display_name}</a> created the plan '
            f'<a href="/plans/{plan.id}">{plan.title} ({people["agent"].display_name})</a>.') in page
    assert "plan.created" not in page
    assert "<code>" not in page
    assert client.get("/admin/audit?action=plan.").status_code == 200
    assert "created the plan" not in client.get("/admin/audit?action=rating.").data.decode()


def test_the_audit_log_names_the_system_and_unknown_actions(app, people):
    from learning.audit.sentences import sentences
    from learning.audit.service import entries_query, record

    record(None, "user.deactivated", people["agent"], "Agent A1")
    record(people["admin"], "team.merged", None, "")
    with app.test_request_context():
        lines = {line.entry.action: line for line in sentences(list(entries_query()))}
    left = lines["user.deactivated"]
    assert (left.actor.text, left.before, left.subject.text, left.subject.url) == (
        "The system", "deactivated ", "Agent A1", f"/admin/users/{people['agent'].id}")
    unknown = lines["team.merged"]
    assert unknown.subject is None and unknown.before == "did team: merged"

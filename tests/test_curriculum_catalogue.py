"""The catalogue: every published module with the viewer's state; drafts hidden from agents;
authoring for coaches and admins only; a bounded number of queries."""
from datetime import timedelta

from learning.curriculum import authoring, service
from learning.curriculum.models import Module, Unit
from learning.db import utcnow


def card(html, title):
    """The catalogue card of one module (its HTML up to the next card)."""
    start = html.index(f'data-module="{title}"')
    end = html.find("<li class=\"card module-card\"", start)
    return html[start:end if end > 0 else None]


def test_the_catalogue_shows_each_state_for_the_viewer(make_module, make_cohort, people, login):
    agent = people["agent"]
    foundation = make_module("Professional boundaries foundation", validity_months=12)
    locked = make_module("Cultural sensitivity", prerequisites=[make_module("Never done")])
    enrolled = make_module("Digital client relations", units=4)
    waitlisted = make_module("Waitlisted one")
    completed = make_module("Completed one")
    due = make_module("Due one", validity_months=12)
    expired = make_module("Expired one", validity_months=6)
    available = make_module("Emotional support practice", prerequisites=[foundation])

    service.complete_by_coach(agent, foundation, people["coach_a"], "Done")
    service.enrol(make_cohort(enrolled), agent)
    service.tick_unit(agent, enrolled.units.order_by(Unit.position).first())
    full = make_cohort(waitlisted, capacity=1)
    service.enrol(full, people["other_agent"])
    service.enrol(full, agent)
    service.complete_by_coach(agent, completed, people["coach_a"], "Done", now=utcnow() - timedelta(days=3))
    service.complete_by_coach(agent, due, people["coach_a"], "Done", now=utcnow() - timedelta(days=350))
    service.complete_by_coach(agent, expired, people["coach_a"], "Done", now=utcnow() - timedelta(days=200))

    html = login(agent).get("/modules").get_data(as_text=True)
    assert 'data-state="locked"' in card(html, "Cultural sensitivity")
    assert "Never done" in card(html, "Cultural sensitivity")
    enrolled_card = card(html, "Digital client relations")
    assert 'data-state="enrolled"' in enrolled_card and "1 of 4 units done" in enrolled_card
    assert 'data-state="waitlisted"' in card(html, "Waitlisted one")
    assert 'data-state="completed"' in card(html, "Completed one") and "<time" in card(html, "Completed one")
    assert 'data-state="coming_due"' in card(html, "Due one") and "refresh by" in card(html, "Due one")
    assert 'data-state="expired"' in card(html, "Expired one")
    assert 'data-state="available"' in card(html, "Emotional support practice")


def test_a_locked_card_links_the_missing_prerequisite(make_module, people, login):
    foundation = make_module("Professional boundaries foundation")
    make_module("Cultural sensitivity", prerequisites=[foundation])
    html = login(people["agent"]).get("/modules").get_data(as_text=True)
    locked = card(html, "Cultural sensitivity")
    assert f'href="/modules/{foundation.id}"' in locked and "Complete" in locked


def test_a_draft_is_invisible_to_agents_and_visible_to_coaches(make_module, people, login):
    draft = make_module("Draft module", published=False)
    client = login(people["agent"])
    assert "Draft module" not in client.get("/modules").get_data(as_text=True)
    assert client.get(f"/modules/{draft.id}").status_code == 404
    client = login(people["coach_a"])
    assert "Draft module" in client.get("/modules").get_data(as_text=True)
    assert client.get(f"/modules/{draft.id}").status_code == 200


def test_the_catalogue_narrows_to_an_area_and_pages_with_the_foundation_first(app, make_module, people, login):
    from learning.competencies.service import FOUNDATION_AREA

    app.config["PAGE_SIZE"] = 2
    make_module("Zeta care", area="Emotional support")
    make_module("Alpha care", area="Emotional support")
    make_module("Boundaries basics", area=FOUNDATION_AREA)
    make_module("Hidden draft", area="Emotional support", published=False)
    client = login(people["agent"])
    first = client.get("/modules").get_data(as_text=True)
    assert first.index("Boundaries basics") < first.index("Alpha care") and "Zeta care" not in first
    second = client.get("/modules?page=2").get_data(as_text=True)
    assert "Zeta care" in second and "Alpha care" not in second and "Hidden draft" not in second
    narrowed = client.get("/modules?area=Emotional+support").get_data(as_text=True)
    assert "Alpha care" in narrowed and "Boundaries basics" not in narrowed and "Hidden draft" not in narrowed
    coach = login(people["coach_a"]).get("/modules?area=Emotional+support&page=2").get_data(as_text=True)
    assert "Zeta care" in coach                               # drafts count for coaches: Alpha, Hidden, Zeta


def test_agents_cannot_author(make_module, people, login):
    module = make_module()
    client = login(people["agent"])
    for url in ("/modules/new", f"/modules/{module.id}/edit", f"/modules/{module.id}/units/new",
                f"/modules/{module.id}/cohorts/new"):
        assert client.get(url).status_code == 403
    assert client.post("/modules/new", data={"title": "Mine", "area": "X", "estimated_hours": "2"}).status_code == 403
    assert client.post(f"/modules/{module.id}/publish", data={"published": "0"}).status_code == 403
    assert Module.select().count() == 1 and Module.get_by_id(module.id).is_published


def test_a_coach_writes_a_module_with_units_and_publishes_it(people, login):
    client = login(people["coach_a"])
    response = client.post("/modules/new", data={"title": "Digital client relations", "area": "Digital client relations",
                                                  "summary": "Chat and e-mail.", "estimated_hours": "6"})
    module = Module.get(Module.title == "Digital client relations")
    assert response.status_code == 302 and module.status == "draft"
    client.post(f"/modules/{module.id}/units/new", data={"title": "Tone in writing",
                                                         "material": "<script>x()</script>**Warm**, clear."})
    client.post(f"/modules/{module.id}/publish", data={"published": "1"})
    html = login(people["agent"]).get(f"/modules/{module.id}").get_data(as_text=True)
    assert "Tone in writing" in html and "<strong>Warm</strong>" in html and "<script>x()" not in html


def test_bad_module_input_is_refused_per_field_with_nothing_written(people, login):
    client = login(people["coach_a"])
    response = client.post("/modules/new", data={"title": "", "area": "X", "estimated_hours": "0",
                                                 "validity_months": "500"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter a title." in html
    assert "Use a whole number from 1 to 500." in html and "Use 1 to 120 months" in html
    assert Module.select().count() == 0


def test_the_catalogue_answers_in_the_same_number_of_queries_at_two_sizes(make_module, make_cohort, people,
                                                                          login, count_queries):
    client = login(people["agent"])
    foundation = make_module("Professional boundaries foundation")

    def add(n):
        for _ in range(n):
            module = make_module(prerequisites=[foundation], units=2)
            service.enrol(make_cohort(module), people["agent"], by=people["coach_a"], override_note="Test")

    def measure():
        with count_queries() as counter:
            assert client.get("/modules").status_code == 200
        return counter.count

    add(2)
    small = measure()
    add(8)
    assert measure() == small


def test_the_coach_sees_every_participants_progress_in_the_same_queries_at_two_sizes(
        make_module, make_cohort, make_user, people, login, count_queries):
    module = make_module(units=3)
    cohort = make_cohort(module, sessions=2)
    client = login(people["coach_a"])

    def add(n):
        for _ in range(n):
            agent = make_user("agent", team=people["team_a"])
            service.enrol(cohort, agent)
            service.tick_unit(agent, module.units.order_by(Unit.position).first())

    def measure():
        with count_queries() as counter:
            html = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
        assert "1 / 3" in html and "0 / 2" in html
        return counter.count

    add(2)
    small = measure()
    add(6)
    assert measure() == small


def test_agents_see_their_own_place_on_a_cohort_page_but_not_the_others_progress(make_module, make_cohort, people,
                                                                                  login):
    cohort = make_cohort(make_module())
    service.enrol(cohort, people["other_agent"])
    service.enrol(cohort, people["agent"])
    html = login(people["agent"]).get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "You are enrolled" in html
    assert people["other_agent"].display_name not in html and "Participants’ progress" not in html


def test_catalogue_summaries_are_rendered_safely_and_follow_edits(make_module, people, login):
    module = make_module("Listening deeply")
    authoring.save_module(module, people["coach_a"], module.title, "Bring **one** call <script>alert(1)</script>",
                          module.area, 4, None)
    client = login(people["agent"])
    html = client.get("/modules").get_data(as_text=True)
    assert "Bring <strong>one</strong> call" in html and "<script>alert" not in html
    authoring.save_module(module, people["coach_a"], module.title, "Now _two_ calls", module.area, 4, None)
    html = client.get("/modules").get_data(as_text=True)
    assert "Now <em>two</em> calls" in html and "Bring <strong>one</strong>" not in html

"""The ratings grid: a team's members by the framework's competencies, the last coach rating in
each cell; saving adds ratings to the history for the changed cells only. The team's coaches rate,
admins read, everyone else gets a 404."""
from datetime import date, timedelta

import pytest

from learning.audit.models import AuditEntry
from learning.coaching import rating_grid
from learning.coaching.models import Rating
from learning.coaching.ratings import rate
from learning.competencies.service import save_competency
from learning.refusals import NotAllowed, Refused

pytestmark = pytest.mark.usefixtures("in_app_context")


def url(team):
    return f"/coaching/teams/{team.id}/ratings"


def cell(person, competency):
    return f"{person.id}-{competency.id}"


def test_the_grid_shows_each_members_last_coach_rating_and_their_self_assessment(people, competencies):
    listen, ask, _ = competencies
    rate(people["coach_a"], people["agent"], listen.id, 2, date.today() - timedelta(days=30))
    rate(people["coach_a"], people["agent"], listen.id, 4, date.today())
    rate(people["coach_a"], people["agent"], ask.id, 3, date.today() - timedelta(days=1))
    rate(people["agent"], people["agent"], ask.id, 5, date.today())
    grid = rating_grid.team_grid(people["team_a"], people["coach_a"])
    assert [m.display_name for m in grid.members] == ["Agent A1", "Agent A2"]   # not the coach themselves
    assert [c.name for c in grid.competencies] == ["Listen fully", "Ask targeted questions", "Own the issue"]
    assert grid.latest[(people["agent"].id, listen.id)] == {"coach": 4}
    assert grid.latest[(people["agent"].id, ask.id)] == {"coach": 3, "self": 5}


def test_saving_adds_ratings_for_the_changed_cells_only(client, login, people, competencies):
    listen, ask, own = competencies
    rate(people["coach_a"], people["agent"], listen.id, 3, date.today() - timedelta(days=7))
    login(people["coach_a"])
    page = client.get(url(people["team_a"])).get_data(as_text=True)
    assert f'name="c{cell(people["agent"], listen)}" value="3"' in page
    response = client.post(url(people["team_a"]), data={
        "rated_on": date.today().isoformat(),
        f"c{cell(people['agent'], listen)}": "3",          # unchanged
        f"c{cell(people['agent'], ask)}": "4",             # new
        f"c{cell(people['other_agent'], own)}": "2",
        f"c{cell(people['other_agent'], listen)}": ""})    # emptied: left as it was
    assert response.status_code == 302
    added = {(r.employee_id, r.competency_id, r.level, r.source, r.rater_id) for r in
             Rating.select().where(Rating.rated_on == date.today())}
    assert added == {(people["agent"].id, ask.id, 4, "coach", people["coach_a"].id),
                     (people["other_agent"].id, own.id, 2, "coach", people["coach_a"].id)}
    assert Rating.select().count() == 3   # the earlier rating stays: history
    assert AuditEntry.select().where(AuditEntry.action == "rating.added").count() == 2   # the first, then one for the grid
    assert "2 ratings added" in client.get(url(people["team_a"])).get_data(as_text=True)


@pytest.mark.parametrize("bad", ["7", "x", "0"])
def test_a_cell_that_is_not_a_level_is_marked_and_nothing_is_written(client, login, people, competencies, bad):
    listen, ask, _ = competencies
    login(people["coach_a"])
    response = client.post(url(people["team_a"]), data={
        "rated_on": date.today().isoformat(), f"c{cell(people['agent'], listen)}": "4",
        f"c{cell(people['agent'], ask)}": bad})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "nothing was saved" in page and 'aria-invalid="true"' in page
    assert f'name="c{cell(people["agent"], listen)}" value="4"' in page   # what was typed stays
    assert Rating.select().count() == 0


def test_a_future_date_is_refused_beside_its_field(client, login, people, competencies):
    login(people["coach_a"])
    response = client.post(url(people["team_a"]), data={
        "rated_on": (date.today() + timedelta(days=2)).isoformat(),
        f"c{cell(people['agent'], competencies[0])}": "4"})
    assert response.status_code == 400 and Rating.select().count() == 0


def test_a_level_without_a_descriptor_is_refused(people, competencies):
    sparse = save_competency(None, "Sparse", "Other area", "", 9, ["one", "two", "three", "four", "five"])
    from learning.competencies.models import CompetencyLevel
    CompetencyLevel.delete().where(CompetencyLevel.competency == sparse, CompetencyLevel.level == 5).execute()
    grid = rating_grid.team_grid(people["team_a"], people["coach_a"])
    with pytest.raises(Refused):
        rating_grid.rate_cells(people["coach_a"], grid, {(people["agent"].id, sparse.id): 5}, date.today())
    assert Rating.select().count() == 0


def test_cells_outside_the_grid_are_refused(people, competencies):
    grid = rating_grid.team_grid(people["team_a"], people["coach_a"])
    with pytest.raises(Refused):
        rating_grid.rate_cells(people["coach_a"], grid, {(people["agent_b"].id, competencies[0].id): 3}, date.today())
    assert Rating.select().count() == 0


def test_an_area_shows_only_its_competencies(client, login, people, competencies):
    save_competency(None, "Stay centred", "Boundaries", "", 0, ["a", "b", "c", "d", "e"])
    grid = rating_grid.team_grid(people["team_a"], people["coach_a"], area="Boundaries")
    assert [c.name for c in grid.competencies] == ["Stay centred"]
    login(people["coach_a"])
    page = client.get(url(people["team_a"]) + "?area=Boundaries").get_data(as_text=True)
    assert "Stay centred" in page and "Listen fully" not in page


def test_the_grid_from_every_seat(client, login, people, competencies):
    assert client.get(url(people["team_a"])).status_code == 302   # anonymous: sign in
    for seat, status in {"agent": 403, "coach_b": 404, "coach_a": 200, "admin": 200}.items():
        login(people[seat])
        assert client.get(url(people["team_a"])).status_code == status, seat


def test_an_admin_reads_the_grid_but_ratings_are_given_by_the_teams_coaches(client, login, people, competencies):
    login(people["admin"])
    page = client.get(url(people["team_a"])).get_data(as_text=True)
    assert "Agent A1" in page and f'name="c{cell(people["agent"], competencies[0])}"' not in page
    response = client.post(url(people["team_a"]), data={
        "rated_on": date.today().isoformat(), f"c{cell(people['agent'], competencies[0])}": "4"})
    assert response.status_code == 302 and Rating.select().count() == 0
    with pytest.raises(NotAllowed):
        rating_grid.rate_cells(people["admin"], rating_grid.team_grid(people["team_a"], people["admin"]),
                               {(people["agent"].id, competencies[0].id): 4}, date.today())


def test_the_grid_page_runs_a_fixed_number_of_queries_whatever_the_team_size(client, login, people, make_user,
                                                                           competencies, count_queries):
    login(people["coach_a"])

    def queries(extra):
        for _ in range(extra):
            member = make_user("agent", team=people["team_a"])
            rate(people["coach_a"], member, competencies[0].id, 3, date.today())
        with count_queries() as counter:
            assert client.get(url(people["team_a"])).status_code == 200
        return counter.count
    assert queries(1) == queries(20)


def test_a_cell_left_as_shown_keeps_a_co_coachs_rating_saved_meanwhile(client, login, people, make_user,
                                                                      competencies):
    listen, ask, _ = competencies
    co_coach = make_user("coach", team=people["team_a"], coach_of=[people["team_a"]], name="Co Coach")
    rate(people["coach_a"], people["agent"], listen.id, 2, date.today() - timedelta(days=3))
    login(people["coach_a"])
    page = client.get(url(people["team_a"])).get_data(as_text=True)
    seen = page.split('name="seen"')[1].split('value="')[1].split('"')[0] if 'name="seen"' in page else None
    assert seen and f'name="c{cell(people["agent"], listen)}" value="2"' in page
    rate(co_coach, people["agent"], listen.id, 4, date.today())          # saved while the grid is open
    client.post(url(people["team_a"]), data={"rated_on": date.today().isoformat(), "seen": seen,
                                             f"c{cell(people['agent'], listen)}": "2",    # as it was shown
                                             f"c{cell(people['agent'], ask)}": "3"})
    latest = rating_grid.latest_levels([people["agent"].id], [listen.id, ask.id], 10 ** 9)
    assert latest[(people["agent"].id, listen.id)] == {"coach": 4} and latest[(people["agent"].id, ask.id)] == {"coach": 3}

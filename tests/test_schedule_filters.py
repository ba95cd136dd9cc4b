"""The upcoming-sessions filters offer the viewer's own world (their team, the teams they coach,
those teams' coaches, and what is chosen now), never every team or facilitator of the
organisation; others are found by name, a bounded number at a time."""
import re

import pytest

from learning.schedule import session_filters

pytestmark = pytest.mark.usefixtures("in_app_context")


def options(html, name):
    """{value: label} of the <select name=...> on the page."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def found_links(html):
    section = re.search(r'<section class="card found".*?</section>', html, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]*)</a>', section.group(0)) if section else []


def test_an_agent_is_offered_their_own_team_and_its_coaches_only(client, login, people, make_team, make_user):
    make_user("coach", team=make_team("Team C"), name="Coach C", coach_of=())
    login(people["agent"])
    html = client.get("/sessions").get_data(as_text=True)
    assert options(html, "team") == {str(people["team_a"].id): "Team A"}
    assert options(html, "facilitator") == {str(people["coach_a"].id): "Coach A"}


def test_a_coach_is_offered_every_team_they_coach_and_those_teams_coaches(client, login, people, make_user):
    both = make_user("coach", team=people["team_a"], name="Coach AB", coach_of=[people["team_a"], people["team_b"]])
    login(both)
    html = client.get("/sessions").get_data(as_text=True)
    assert set(options(html, "team").values()) == {"Team A", "Team B"}
    assert set(options(html, "facilitator").values()) == {"Coach A", "Coach B", "Coach AB"}


def test_a_team_or_facilitator_chosen_from_elsewhere_stays_selected(client, login, people, new_series):
    new_series(title="B meetup", kind="case_review", team=people["team_b"])
    login(people["agent"])
    html = client.get(f"/sessions?team={people['team_b'].id}&facilitator={people['coach_b'].id}").get_data(as_text=True)
    assert f'<option value="{people["team_b"].id}" selected>Team B</option>' in html
    assert f'<option value="{people["coach_b"].id}" selected>Coach B</option>' in html
    assert "B meetup" not in html            # the series is the admin's: Coach B does not run it


def test_an_admin_without_teams_finds_teams_and_facilitators_by_name(client, login, people, new_series):
    new_series(title="Listening", facilitator_ids=[people["coach_b"].id])
    login(people["admin"])
    html = client.get("/sessions?kind=skill").get_data(as_text=True)
    assert options(html, "team") == {} and options(html, "facilitator") == {}
    html = client.get("/sessions?kind=skill&find=  b  ").get_data(as_text=True)
    assert found_links(html) == []        # one letter is too short to search
    html = client.get("/sessions?kind=skill&find=Team%20b").get_data(as_text=True)
    assert found_links(html) == [(f"/sessions?kind=skill&amp;team={people['team_b'].id}", "Team B")]
    html = client.get("/sessions?kind=skill&find=coach").get_data(as_text=True)
    # Coach B runs a series; Coach A runs none, so is no facilitator to filter by
    assert found_links(html) == [(f"/sessions?kind=skill&amp;facilitator={people['coach_b'].id}", "Coach B")]
    assert "Listening" in client.get(found_links(html)[0][0].replace("&amp;", "&")).get_data(as_text=True)


def test_a_search_without_matches_says_so_and_wildcards_match_literally(client, login, people):
    login(people["agent"])
    html = client.get("/sessions?find=%25%25").get_data(as_text=True)
    assert "No team or facilitator name contains “%%”." in html
    html = client.get("/sessions?find=" + "x" * 101).get_data(as_text=True)
    assert 'class="card found"' not in html


def test_a_search_shows_a_bounded_number_and_says_so(client, login, people, make_team):
    for n in range(session_filters.FOUND_LIMIT + 3):
        make_team(f"Night shift {n:02d}")
    login(people["agent"])
    html = client.get("/sessions?find=night").get_data(as_text=True)
    assert [name for _, name in found_links(html)] == [f"Night shift {n:02d}" for n in range(session_filters.FOUND_LIMIT)]
    assert "type more of the name" in html


def test_the_choices_do_not_grow_with_the_organisation(client, login, people, make_team, make_user, count_queries):
    login(people["agent"])
    with count_queries() as small:
        small_html = client.get("/sessions").get_data(as_text=True)
    for n in range(6):
        team = make_team(f"Far team {n}")
        make_user("coach", team=team, coach_of=[team], name=f"Far coach {n}")
    with count_queries() as large:
        large_html = client.get("/sessions").get_data(as_text=True)
    assert large.count == small.count
    assert "Far team" not in large_html and "Far coach" not in large_html
    assert options(large_html, "team") == options(small_html, "team")
    assert options(large_html, "facilitator") == options(small_html, "facilitator")

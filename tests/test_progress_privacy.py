"""Who sees which progress: everyone their own, coaches their teams (another team
is a 404), admins every team and the programme."""
import pytest


def test_my_progress_shows_my_measures_not_a_colleagues(people, login, record_measure, months):
    record_measure(people["other_agent"], months[-2], "csat", 42.5)
    record_measure(people["agent"], months[-2], "csat", 91.5)
    page = login(people["agent"]).get("/progress").get_data(as_text=True)
    assert "91.5" in page and "42.5" not in page


def test_an_agent_cannot_open_a_team_view(people, login):
    assert login(people["agent"]).get(f"/progress/team/{people['team_a'].id}").status_code == 403


def test_a_coach_sees_their_own_team(people, login):
    response = login(people["coach_a"]).get(f"/progress/team/{people['team_a'].id}")
    assert response.status_code == 200 and "Agent A1" in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix", ["", "?format=csv&table=members"])
def test_a_coach_gets_not_found_for_another_team(people, login, suffix):
    assert login(people["coach_b"]).get(f"/progress/team/{people['team_a'].id}{suffix}").status_code == 404


def test_an_admin_sees_any_team_and_the_programme(people, login):
    client = login(people["admin"])
    assert client.get(f"/progress/team/{people['team_b'].id}").status_code == 200
    assert client.get("/progress/programme").status_code == 200


@pytest.mark.parametrize("role", ["agent", "coach_a"])
def test_only_admins_see_the_programme(people, login, role):
    assert login(people[role]).get("/progress/programme").status_code == 403


def test_my_page_links_a_coach_to_their_teams_only(people, login):
    page = login(people["coach_a"]).get("/progress").get_data(as_text=True)
    assert f"/progress/team/{people['team_a'].id}" in page
    assert f"/progress/team/{people['team_b'].id}" not in page and "/progress/programme" not in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/progress").status_code == 302

"""Who sees which case: one rule set (visible_cases / can_view_case) behind every page;
anything else is a 404."""
from datetime import timedelta

from learning.cases import meetups
from learning.cases.models import Case
from learning.cases.visibility import can_view_case, visible_cases


def sees(client, login, person, case):
    login(person)
    return client.get(f"/cases/{case.id}").status_code == 200


def test_a_draft_is_seen_by_its_author_only(client, login, people, make_case):
    draft = make_case(people["agent"], status="draft")
    assert can_view_case(people["agent"], draft)
    for someone in ("other_agent", "coach_a", "coach_b", "admin"):
        assert not can_view_case(people[someone], draft)
        assert not sees(client, login, people[someone], draft)


def test_a_queued_case_is_seen_by_its_author_coaches_and_admins(client, login, people, make_case):
    case = make_case(people["agent"])
    for someone in ("agent", "coach_a", "coach_b", "admin"):
        assert sees(client, login, people[someone], case), someone


def test_a_peer_not_going_to_a_meetup_gets_404_for_a_queued_case(client, login, people, make_case):
    case = make_case(people["agent"])
    assert not sees(client, login, people["other_agent"], case)
    assert not sees(client, login, people["agent_b"], case)


def test_people_going_to_a_team_meetup_see_that_teams_queued_cases(client, login, people, make_case,
                                                                      make_meetup):
    case = make_case(people["agent"])
    make_meetup(team=people["team_a"], going=[people["other_agent"], people["agent_b"]])
    assert sees(client, login, people["other_agent"], case)
    assert sees(client, login, people["agent_b"], case)  # going to team A's meetup, though in team B


def test_people_going_to_another_teams_meetup_do_not_see_the_case(client, login, people, make_case,
                                                                     make_meetup):
    case = make_case(people["agent"])
    make_meetup(team=people["team_b"], going=[people["agent_b"]])
    assert not sees(client, login, people["agent_b"], case)


def test_people_going_to_a_programme_wide_meetup_see_every_queued_case(client, login, people, make_case,
                                                                          make_meetup, make_user):
    case = make_case(people["agent"])
    teamless = make_case(make_user("agent"))
    make_meetup(team=None, going=[people["agent_b"]])
    assert sees(client, login, people["agent_b"], case)
    assert sees(client, login, people["agent_b"], teamless)


def test_waitlisted_past_or_cancelled_meetups_do_not_open_the_queue(client, login, people, make_case,
                                                                     make_meetup):
    from learning.schedule.models import Rsvp

    case = make_case(people["agent"])
    make_meetup(team=people["team_a"], going=[people["other_agent"]], starts_in=timedelta(days=-3))
    make_meetup(team=people["team_a"], going=[people["other_agent"]], status="cancelled")
    waitlisted = make_meetup(team=people["team_a"])
    Rsvp.create(session=waitlisted, user=people["other_agent"], status="waitlisted", queue_number=1)
    assert not sees(client, login, people["other_agent"], case)


def test_going_to_the_meetup_that_holds_the_case_keeps_it_visible_after_the_meetup(
        client, login, people, scheduled_case):
    from learning.schedule.models import Session

    case, meetup = scheduled_case
    Session.update(starts_at=meetup.starts_at - timedelta(days=8),
                   ends_at=meetup.ends_at - timedelta(days=8)).where(Session.id == meetup.id).execute()
    assert sees(client, login, people["other_agent"], case)


def test_a_discussed_case_is_seen_by_every_employee(client, login, people, scheduled_case):
    case, meetup = scheduled_case
    meetups.record_takeaways(people["coach_a"], case, "Calm tone", "Promise less", "Own the issue", [])
    for someone in ("agent_b", "other_agent", "coach_b", "admin"):
        assert sees(client, login, people[someone], case), someone


def test_a_withdrawn_case_is_seen_by_its_author_and_admins_only(client, login, people, make_case):
    from learning.cases import service

    case = make_case(people["agent"])
    service.withdraw_case(people["agent"], case)
    assert sees(client, login, people["agent"], case)
    assert sees(client, login, people["admin"], case)
    assert not sees(client, login, people["coach_a"], case)


def test_guessed_case_urls_answer_404_on_every_case_page(client, login, people, make_case):
    case = make_case(people["agent"])
    login(people["agent_b"])
    assert client.get("/cases/99999").status_code == 404
    for url in (f"/cases/{case.id}", f"/cases/{case.id}/edit"):
        assert client.get(url).status_code == 404
    for url in (f"/cases/{case.id}/vote", f"/cases/{case.id}/comments", f"/cases/{case.id}/withdraw"):
        assert client.post(url, data={"body": "hello"}).status_code == 404
    assert Case.get_by_id(case.id).status == "submitted"


def test_the_case_list_shows_the_same_cases_as_the_rule(client, login, people, make_case, make_meetup):
    visible = make_case(people["agent"], title="Visible to the meetup")
    hidden = make_case(people["agent_b"], title="Only for team B")
    make_meetup(team=people["team_a"], going=[people["other_agent"]])
    login(people["other_agent"])
    page = client.get("/cases?show=queue").data.decode()
    assert visible.title in page and hidden.title not in page
    assert {c.id for c in visible_cases(people["other_agent"])} == {visible.id}


def test_a_team_meetups_agenda_is_for_people_going_and_those_who_run_it(client, login, people, make_meetup):
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    for someone, status in (("other_agent", 200), ("coach_a", 200), ("admin", 200), ("coach_b", 404),
                            ("agent", 404), ("agent_b", 404)):
        login(people[someone])
        assert client.get(f"/sessions/{meetup.id}/agenda").status_code == status, someone
    login(people["coach_a"])
    assert client.get("/sessions/99999/agenda").status_code == 404


def test_agents_are_shown_the_meetups_they_are_going_to_and_coaches_every_coming_one(
        client, login, people, make_meetup):
    going = make_meetup(team=people["team_a"], going=[people["agent"]], title="Meetup I am going to")
    make_meetup(team=people["team_a"], title="Meetup I skip")
    login(people["agent"])
    page = client.get("/cases").data.decode()
    assert going.series.title in page and "Meetup I skip" not in page
    login(people["coach_a"])
    page = client.get("/cases").data.decode()
    assert "Meetup I am going to" in page and "Meetup I skip" in page

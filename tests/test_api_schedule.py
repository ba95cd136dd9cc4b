"""Sessions and series over the API: the pages' rules from every seat, the seats rule for RSVP
and the waitlist, the series form's rules for bodies, and times in UTC with the zone named."""
from datetime import date, datetime, time, timedelta

import pytest

from learning.db import utcnow
from learning.schedule.models import Rsvp, Series, Session
from learning.timezones import to_utc
from tests.test_api_foundation import assert_problem


@pytest.fixture
def team_series(new_series, people):
    """Team A's weekly series of four, run by Team A's coach."""
    return new_series(team=people["team_a"], created_by=people["coach_a"], rrule="FREQ=WEEKLY;COUNT=4",
                      capacity=1, title="Team A boundaries")


def test_a_session_reads_in_utc_with_its_zone_and_the_callers_place(app, people, api_as, one_session):
    api = api_as(people["agent"])
    api.post(f"/api/v1/sessions/{one_session.id}/rsvp")
    body = api.get(f"/api/v1/sessions/{one_session.id}").get_json()
    assert body["starts_at"] == one_session.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["timezone"] == "Europe/Berlin"
    assert body["my_place"] == {"status": "going", "waitlist_position": None}
    assert body["going"] == 1 and body["seats_left"] == 1
    assert body["page"].endswith(f"/sessions/{one_session.id}")


def test_the_session_list_filters_like_the_page(app, people, api_as, new_series, team_series):
    new_series(kind="case_review", title="Meetup")
    api = api_as(people["agent"])
    kinds = {item["series"]["kind"] for item in api.get("/api/v1/sessions?kind=case_review").get_json()["items"]}
    assert kinds == {"case_review"}
    team = api.get(f"/api/v1/sessions?team={people['team_a'].id}").get_json()["items"]
    assert {item["series"]["id"] for item in team} == {team_series.id} and len(team) == 4
    assert api.get(f"/api/v1/sessions?team={people['team_b'].id}").get_json()["items"] == []


def test_a_full_session_puts_the_next_person_on_the_waitlist_and_a_withdrawal_promotes_them(
        app, people, api_as, team_series):
    session = team_series.sessions.order_by(Session.starts_at).first()
    first, second = api_as(people["agent"]), api_as(people["other_agent"])
    assert first.post(f"/api/v1/sessions/{session.id}/rsvp").get_json()["place"]["status"] == "going"
    waiting = second.post(f"/api/v1/sessions/{session.id}/rsvp")
    assert waiting.status_code == 201
    assert waiting.get_json()["place"] == {"status": "waitlisted", "waitlist_position": 1}
    gone = first.delete(f"/api/v1/sessions/{session.id}/rsvp")
    assert gone.status_code == 200 and gone.get_json()["place"] is None and gone.get_json()["promoted"] == 1
    assert Rsvp.get(Rsvp.user == people["other_agent"]).status == "going"


def test_rsvp_refusals_are_409_problems_and_write_nothing(app, people, api_as, team_series):
    session = team_series.sessions.order_by(Session.starts_at).first()
    outsider = api_as(people["agent_b"])
    body = assert_problem(outsider.post(f"/api/v1/sessions/{session.id}/rsvp"), 409)
    assert "for its team" in body["detail"]
    assert_problem(outsider.delete(f"/api/v1/sessions/{session.id}/rsvp"), 409)   # no place to give up
    Session.update(status="cancelled").where(Session.id == session.id).execute()
    assert "cancelled" in assert_problem(api_as(people["agent"]).post(f"/api/v1/sessions/{session.id}/rsvp"), 409)["detail"]
    assert Rsvp.select().count() == 0


def test_my_schedule_lists_places_held_and_sessions_run(app, people, api_as, team_series, one_session):
    api_as(people["agent"]).post(f"/api/v1/sessions/{one_session.id}/rsvp")
    mine = api_as(people["agent"]).get("/api/v1/me/schedule").get_json()["items"]
    assert [item["id"] for item in mine] == [one_session.id]
    coach = api_as(people["coach_a"])
    from learning.schedule.models import SeriesFacilitator
    SeriesFacilitator.create(series=team_series, user=people["coach_b"])
    assert len(api_as(people["coach_b"]).get("/api/v1/me/schedule").get_json()["items"]) == 4
    assert coach.get("/api/v1/me/schedule").status_code == 200


def series_body(**changes):
    day = (utcnow() + timedelta(days=10)).date()
    body = {"kind": "skill", "title": "Own the issue", "timezone": "Europe/Lisbon", "start_date": day.isoformat(),
            "start_time": "09:30", "end_time": "10:30", "pattern": "weekly", "ends": "count", "count": 3,
            "capacity": 8}
    body.update(changes)
    return body


def test_a_coach_creates_a_series_with_the_forms_rules(app, people, api_as):
    response = api_as(people["coach_a"]).post("/api/v1/series", json=series_body(team_id=people["team_a"].id))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/series/{body['id']}")
    assert body["team"]["id"] == people["team_a"].id and body["timezone"] == "Europe/Lisbon"
    assert body["facilitators"] == [{"id": people["coach_a"].id, "name": "Coach A"}]   # the form's default
    sessions = list(Session.select().where(Session.series == body["id"]).order_by(Session.starts_at))
    first_local = datetime.combine(date.fromisoformat(series_body()["start_date"]), time(9, 30))
    assert len(sessions) == 3 and sessions[0].starts_at == to_utc(first_local, "Europe/Lisbon")


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"), ({"end_time": "09:00"}, "end_time"), ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"capacity": 0}, "capacity"), ({"count": 0}, "count"), ({"start_date": "tomorrow"}, "start_date"),
    ({"title": {"nested": 1}}, "title"), ({"colour": "blue"}, "colour"), ({"kind": "party"}, "kind"),
    ({"confirm": "no"}, "confirm"),
])
def test_a_refused_series_body_names_its_field_and_writes_nothing(app, people, api_as, changes, field):
    body = assert_problem(api_as(people["coach_a"]).post("/api/v1/series", json=series_body(**changes)), 422)
    assert field in body["errors"]
    assert Series.select().count() == 0


def test_a_coach_plans_only_for_their_teams_and_agents_not_at_all(app, people, api_as):
    body = assert_problem(api_as(people["coach_a"]).post("/api/v1/series", json=series_body(
        team_id=people["team_b"].id)), 422)
    assert body["errors"]["team_id"]
    assert_problem(api_as(people["agent"]).post("/api/v1/series", json=series_body()), 403)
    assert api_as(people["admin"]).post("/api/v1/series", json=series_body(team_id=people["team_b"].id)).status_code == 201


def test_a_series_body_must_be_a_json_object(app, people, api_as):
    api = api_as(people["coach_a"])
    assert_problem(api.post("/api/v1/series", data="title=x", content_type="application/x-www-form-urlencoded"), 415)
    assert_problem(api.post("/api/v1/series", data="{", content_type="application/json"), 400)
    assert_problem(api.post("/api/v1/series", json=[1, 2]), 422)


def test_changing_a_series_asks_to_confirm_when_places_would_go(app, people, api_as, team_series):
    sessions = list(team_series.sessions.order_by(Session.starts_at))
    api_as(people["agent"]).post(f"/api/v1/sessions/{sessions[-1].id}/rsvp")
    coach = api_as(people["coach_a"])
    asked = assert_problem(coach.patch(f"/api/v1/series/{team_series.id}", json={"count": 2}), 409)
    assert asked["needs_confirmation"] is True
    assert team_series.sessions.count() == 4
    done = coach.patch(f"/api/v1/series/{team_series.id}", json={"count": 2, "confirm": True, "title": "Renamed"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["removed"] == 2 and done.get_json()["series"]["title"] == "Renamed"


def test_only_those_who_manage_a_series_change_it(app, people, api_as, team_series):
    assert_problem(api_as(people["coach_b"]).patch(f"/api/v1/series/{team_series.id}", json={"title": "X"}), 404)
    assert_problem(api_as(people["agent"]).patch(f"/api/v1/series/{team_series.id}", json={"title": "X"}), 403)
    assert api_as(people["admin"]).patch(f"/api/v1/series/{team_series.id}", json={"title": "X"}).status_code == 200
    assert Series.get_by_id(team_series.id).title == "X"


def test_an_inactive_series_is_not_found(app, people, api_as, team_series):
    Series.update(active=False).where(Series.id == team_series.id).execute()
    api = api_as(people["admin"])
    assert_problem(api.get(f"/api/v1/series/{team_series.id}"), 404)
    assert api.get("/api/v1/series").get_json()["items"] == []


def test_a_manager_moves_and_cancels_a_session_and_others_get_404(app, people, api_as, team_series):
    session = team_series.sessions.order_by(Session.starts_at).first()
    url = f"/api/v1/sessions/{session.id}"
    assert_problem(api_as(people["coach_b"]).patch(url, json={"location": "Room 2"}), 404)
    assert_problem(api_as(people["agent"]).patch(url, json={"location": "Room 2"}), 404)
    coach = api_as(people["coach_a"])
    moved = coach.patch(url, json={"start_time": "11:00", "end_time": "12:30", "location": "Room 2"})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["location"] == "Room 2"
    assert Session.get_by_id(session.id).ends_at - Session.get_by_id(session.id).starts_at == timedelta(minutes=90)
    api_as(people["agent"]).post(f"{url}/rsvp")
    assert assert_problem(coach.patch(url, json={"status": "cancelled"}), 409)["needs_confirmation"]
    assert coach.patch(url, json={"status": "cancelled", "confirm": True}).get_json()["status"] == "cancelled"
    assert coach.patch(url, json={"status": "scheduled"}).get_json()["status"] == "scheduled"


@pytest.mark.parametrize("body, field", [({"status": "gone"}, "status"), ({"confirm": "yes"}, "confirm"),
                                         ({"end_time": "01:00"}, "end_time"), ({"video_url": "ftp://x"}, "video_url")])
def test_a_refused_session_change_names_its_field_and_changes_nothing(app, people, api_as, team_series, body, field):
    session = team_series.sessions.order_by(Session.starts_at).first()
    refused = assert_problem(api_as(people["coach_a"]).patch(f"/api/v1/sessions/{session.id}", json=body), 422)
    assert field in refused["errors"]
    assert Session.get_by_id(session.id).sequence == 0

"""Schedule pages: listing, session page, RSVP, forms, permissions and query counts."""
from datetime import timedelta

import pytest

from learning.schedule import service
from learning.schedule.models import Rsvp, Series, Session, SessionFeedback
from learning.schedule.recurrence import build_rule
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.usefixtures("in_app_context")


def series_form(**changes):
    first = next_weekday_at(10, days_ahead=10)
    data = {"kind": "skill", "title": "Own the issue", "description": "**Bring** a case", "team_id": "0",
            "location": "Room 2", "video_url": "", "capacity": "8", "timezone": "Europe/Berlin",
            "start_date": first.strftime("%Y-%m-%d"), "start_time": "10:00", "end_time": "11:00",
            "pattern": "weekly", "interval": "2", "ends": "count", "until": "", "count": "5", "save": "1"}
    data.update(changes)
    return data


def test_coach_creates_a_weekly_series_from_the_form(client, login, people):
    login(people["coach_a"])
    response = client.post("/series/new", data=series_form())
    assert response.status_code == 302
    series = Series.get()
    assert series.sessions.count() == 5 and series.capacity == 8
    assert "Own the issue" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_preview_lists_next_dates_and_writes_nothing(client, login, people):
    login(people["coach_a"])
    data = series_form(pattern="every_n_weeks", save="", preview="1")
    html = client.post("/series/new", data=data).get_data(as_text=True)
    assert "Next sessions" in html and html.count("Europe/Berlin</li>") == 5
    assert Series.select().count() == 0


@pytest.mark.parametrize("changes, message", [
    (dict(end_time="09:00"), "must end after it starts"),
    (dict(capacity="-3"), "Capacity is a number"),
    (dict(timezone="Moon/Base"), "Choose a time zone"),
    (dict(start_date="2020-01-07"), "must be in the future"),
    (dict(ends="until", until="2020-01-01"), "gives no session"),
    (dict(title="t" * 201), "under 200"),
    (dict(start_date="not a date"), "Not a valid date"),
    (dict(count="0"), "1 to 500"),
    (dict(video_url="ftp://x"), "video link"),
])
def test_bad_series_form_says_what_is_wrong_and_writes_nothing(client, login, people, changes, message):
    login(people["coach_a"])
    response = client.post("/series/new", data=series_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert Series.select().count() == 0 and Session.select().count() == 0


def test_agents_cannot_create_series(client, login, people):
    login(people["agent"])
    assert client.get("/series/new").status_code == 403
    assert client.post("/series/new", data=series_form()).status_code == 403
    assert Series.select().count() == 0


def test_rsvp_through_the_page_and_see_it_under_my_schedule(client, login, people, one_session):
    login(people["agent"])
    response = client.post(f"/sessions/{one_session.id}/rsvp", data={"action": "going"}, follow_redirects=True)
    assert "You are going." in response.get_data(as_text=True)
    html = client.get("/my/schedule").get_data(as_text=True)
    assert "Listen fully" in html and "going" in html
    client.post(f"/sessions/{one_session.id}/rsvp", data={"action": "withdraw"})
    assert Rsvp.get().status == "withdrawn"


def test_attendee_names_are_shown_to_attendees_and_coaches_only(client, login, people, one_session):
    service.rsvp(one_session, people["other_agent"])
    login(people["agent"])
    assert "Agent A2" not in client.get(f"/sessions/{one_session.id}").get_data(as_text=True)
    service.rsvp(one_session, people["agent"])
    assert "Agent A2" in client.get(f"/sessions/{one_session.id}").get_data(as_text=True)
    login(people["coach_b"])
    assert "Agent A2" in client.get(f"/sessions/{one_session.id}").get_data(as_text=True)


def make_past(session):
    Session.update(starts_at=session.starts_at - timedelta(days=30), ends_at=session.ends_at - timedelta(days=30)
                   ).where(Session.id == session.id).execute()
    return Session.get_by_id(session.id)


def test_attendance_screen_is_for_coaches_and_facilitators_and_records_walk_ins(client, login, people, one_session):
    service.rsvp(one_session, people["agent"])
    service.rsvp(one_session, people["other_agent"])
    past = make_past(one_session)
    login(people["agent"])
    assert client.get(f"/sessions/{past.id}/attendance").status_code == 404
    login(people["coach_a"])
    assert "Agent A1" in client.get(f"/sessions/{past.id}/attendance").get_data(as_text=True)
    client.post(f"/sessions/{past.id}/attendance", data={
        f"mark-{people['agent'].id}": "attended", f"mark-{people['other_agent'].id}": "no_show",
        "walk_in_ids": [str(people["agent_b"].id)]})
    marks = {r.user_id: (r.attendance, r.walk_in) for r in Rsvp.select()}
    assert marks == {people["agent"].id: ("attended", False), people["other_agent"].id: ("no_show", False),
                     people["agent_b"].id: ("attended", True)}


def test_attendees_rate_a_past_session_and_facilitators_see_the_average(client, login, people, one_session):
    service.rsvp(one_session, people["agent"])
    past = make_past(one_session)
    login(people["agent"])
    client.post(f"/sessions/{past.id}/feedback", data={"rating": "4", "comment": "Useful <b>role play</b>"})
    assert SessionFeedback.get().rating == 4
    login(people["other_agent"])
    client.post(f"/sessions/{past.id}/feedback", data={"rating": "1"})
    assert SessionFeedback.select().count() == 1        # did not attend
    login(people["coach_a"])
    html = client.get(f"/sessions/{past.id}").get_data(as_text=True)
    assert "4.0 / 5" in html and "&lt;b&gt;role play" in html
    assert "4.0 (1)" in client.get(f"/series/{past.series_id}").get_data(as_text=True)


def test_coach_cancels_a_session_after_confirming(client, login, people, one_session):
    service.rsvp(one_session, people["agent"])
    login(people["coach_a"])
    html = client.post(f"/sessions/{one_session.id}/cancel").get_data(as_text=True)
    assert "1 person will be told" in html and Session.get_by_id(one_session.id).status == "scheduled"
    client.post(f"/sessions/{one_session.id}/cancel", data={"confirm": "1"})
    assert Session.get_by_id(one_session.id).status == "cancelled"
    assert "Cancelled" in client.get("/sessions").get_data(as_text=True)


def test_coach_moves_one_session_through_the_form(client, login, people, one_session):
    login(people["coach_a"])
    local = one_session.recurrence_local + timedelta(days=1)
    client.post(f"/sessions/{one_session.id}/edit", data={
        "start_date": local.strftime("%Y-%m-%d"), "start_time": "14:00", "end_time": "15:30",
        "location": "Room 9", "video_url": "", "facilitator_id": "0"})
    moved = Session.get_by_id(one_session.id)
    assert moved.sequence == 1 and moved.location == "Room 9"
    assert moved.ends_at - moved.starts_at == timedelta(minutes=90)


def test_edit_series_from_a_date_through_the_form(client, login, people, new_series):
    first = next_weekday_at(10)
    series = new_series(first_start_local=first, rrule=build_rule("weekly", first, count=4))
    third = series.sessions.order_by(Session.starts_at)[2]
    login(people["coach_a"])
    form = client.get(f"/series/{series.id}/edit?from={third.id}").get_data(as_text=True)
    assert 'value="2"' in form      # two sessions left from here
    client.post(f"/series/{series.id}/edit?from={third.id}", data=series_form(
        title="Listen fully", start_date=third.recurrence_local.strftime("%Y-%m-%d"), start_time="12:00",
        end_time="13:00", count="2", capacity=""))
    hours = [s.recurrence_local.hour for s in series.sessions.order_by(Session.starts_at)]
    assert hours == [10, 10, 12, 12]


def seed_sessions(new_series, make_user, series_count):
    users = [make_user("agent") for _ in range(3)]
    for n in range(series_count):
        first = next_weekday_at(9 + n % 8, days_ahead=2 + n)
        series = new_series(title=f"Series {n}", first_start_local=first, capacity=2,
                             rrule=build_rule("weekly", first, count=3))
        for session in series.sessions:
            for user in users:
                service.rsvp(session, user)
    return users[0]


@pytest.mark.parametrize("path", ["/sessions", "/my/schedule", "/"])
def test_list_pages_run_the_same_number_of_queries_at_two_sizes(client, login, new_series, make_user,
                                                                   count_queries, path):
    viewer = seed_sessions(new_series, make_user, 2)
    login(viewer)
    with count_queries() as small:
        assert client.get(path).status_code == 200
    seed_sessions(new_series, make_user, 8)
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large.count == small.count
    assert small.count <= 15


def test_filters_narrow_the_list(client, login, people, new_series):
    new_series(title="Team meetup", kind="case_review", team=people["team_b"])
    new_series(title="Skill for all")
    login(people["agent"])
    html = client.get(f"/sessions?kind=case_review&team={people['team_b'].id}").get_data(as_text=True)
    assert "Team meetup" in html and "Skill for all" not in html
    html = client.get(f"/sessions?facilitator={people['coach_a'].id}").get_data(as_text=True)
    assert "Skill for all" not in html
    assert client.get("/sessions?kind=zzz&team=abc&page=-4").status_code == 200

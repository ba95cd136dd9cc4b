"""Teams are boundaries: who manages a session, who may take a place at a team's session and
see its queue, what facilitators see of the sessions they run, and recording a past session.

The world: team A's weekly case-review meetups (created by an admin, facilitated by a coach
of team B), the second of them handed to an agent of team B as its own facilitator, and a
programme-wide skill series created by team B's coach. Every rule is checked from every seat.
"""
from datetime import timedelta

import pytest

from learning.accounts.models import TeamCoach, User
from learning.calendars.choices import editable_series
from learning.cases import meetups
from learning.cases.models import AgendaItem
from learning.cases.service import CaseError
from learning.cases.visibility import visible_cases
from learning.db import utcnow
from learning.notify.models import Notification, OutboxMessage, ReminderSent
from learning.notify.reminders import queue_reminders
from learning.schedule import editing, service
from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.recurrence import build_rule
from learning.timezones import to_local
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.usefixtures("in_app_context")

SEATS = ("admin", "coach_a", "coach_b", "facilitator", "agent", "agent_b", "anonymous")
MANAGES_TEAM_MEETUP = {"admin", "coach_a", "facilitator"}


@pytest.fixture
def teams(app, people, make_user, new_series):
    facilitator = make_user("coach", team=people["team_b"], coach_of=[people["team_b"]], name="Facilitator B")
    first = next_weekday_at(9, days_ahead=3)
    with app.test_request_context():
        meetup = new_series(kind="case_review", title="Team A meetup", team=people["team_a"],
                            created_by=people["admin"], rrule=build_rule("weekly", first, count=3),
                            first_start_local=first, facilitator_ids=[facilitator.id])
        open_to_all = new_series(title="Open clinic", created_by=people["coach_b"])
    first_meetup, handed_over, _ = meetup.sessions.order_by(Session.starts_at)
    Session.update(facilitator=people["agent_b"]).where(Session.id == handed_over.id).execute()
    return dict(people, facilitator=facilitator, meetup=meetup, open_to_all=open_to_all,
                session=load(first_meetup), handed_over=load(handed_over),
                open_session=load(open_to_all.sessions.get()))


def load(session):
    return Session.select(Session, Series).join(Series).where(Session.id == session.id).get()


def sign_in(client, login, world, seat):
    if seat == "anonymous":
        client.post("/logout")
        return client
    return login(world[seat])


# --- who manages ---------------------------------------------------------------------

@pytest.mark.parametrize("seat", SEATS[:-1])
def test_a_session_is_managed_by_its_teams_coaches_its_facilitators_and_admins(teams, seat):
    person = teams[seat]
    assert service.can_manage_session(person, teams["session"]) == (seat in MANAGES_TEAM_MEETUP)
    # a session's own facilitator manages it, as the series' facilitator and the team's coaches do
    assert service.can_manage_session(person, teams["handed_over"]) == (seat in MANAGES_TEAM_MEETUP | {"agent_b"})
    # a programme-wide series: its creator (and admins) only, not every coach
    assert service.can_manage_session(person, teams["open_session"]) == (seat in {"admin", "coach_b"})
    assert service.can_manage_series(person, teams["meetup"]) == (seat in MANAGES_TEAM_MEETUP)


MANAGEMENT_PAGES = ("/sessions/{id}/edit", "/sessions/{id}/attendance", "/series/{series}/edit",
                    "/sessions/{id}/agenda")


@pytest.mark.parametrize("seat", SEATS)
def test_management_pages_answer_404_to_everyone_who_does_not_manage_the_session(client, login, teams, seat):
    session = teams["session"]
    sign_in(client, login, teams, seat)
    for page in MANAGEMENT_PAGES:
        status = client.get(page.format(id=session.id, series=session.series_id)).status_code
        if seat == "anonymous":
            assert status == 302, page
        elif page.startswith("/series") and seat in {"agent", "agent_b"}:
            assert status == 403, page                # editing a series is for coaches (who manage it)
        else:
            assert status == (200 if seat in MANAGES_TEAM_MEETUP else 404), page


@pytest.mark.parametrize("seat", SEATS)
def test_only_those_who_manage_a_session_can_cancel_resize_or_fill_it(client, login, teams, seat):
    session = teams["session"]
    sign_in(client, login, teams, seat)
    answers = [client.post(f"/sessions/{session.id}/capacity", data={"capacity": "3"}).status_code,
               client.post(f"/sessions/{session.id}/people", data={"user_id": teams["agent"].id}).status_code,
               client.post(f"/sessions/{session.id}/cancel", data={"confirm": "1"}).status_code]
    stored = Session.get_by_id(session.id)
    if seat in MANAGES_TEAM_MEETUP:
        assert answers == [302, 302, 302]
        assert (stored.capacity, stored.status) == (3, "cancelled")
        assert Rsvp.get(Rsvp.session == session.id).user_id == teams["agent"].id
    else:
        assert answers == ([302] * 3 if seat == "anonymous" else [404] * 3)
        assert (stored.capacity, stored.status) == (None, "scheduled") and Rsvp.select().count() == 0


def test_a_coach_who_stops_coaching_a_team_stops_managing_its_sessions(teams):
    coach = teams["coach_a"]
    assert service.can_manage_session(coach, teams["session"])
    TeamCoach.delete().where(TeamCoach.user == coach).execute()
    assert not service.can_manage_session(coach, teams["session"])
    assert teams["meetup"].id not in {s.id for s in editable_series(coach)}


@pytest.mark.parametrize("seat, sees", [
    ("admin", {"meetup", "open_to_all"}), ("coach_a", {"meetup"}), ("coach_b", {"open_to_all"}),
    ("facilitator", {"meetup"})])
def test_calendar_import_offers_only_the_series_a_coach_manages(teams, seat, sees):
    assert {s.id for s in editable_series(teams[seat])} == {teams[name].id for name in sees}


# --- places and the queue ---------------------------------------------------------------

@pytest.mark.parametrize("seat, takes", [
    ("agent", True), ("agent_b", False), ("coach_a", True), ("coach_b", False), ("facilitator", True),
    ("admin", True)])
def test_a_team_session_takes_rsvps_from_its_team_and_those_who_run_it(client, login, teams, seat, takes):
    session = teams["session"]
    login(teams[seat])
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert ("a coach of the team can add you" in page) != takes
    response = client.post(f"/sessions/{session.id}/rsvp", data={"action": "going"}, follow_redirects=True)
    assert ("You are going." in response.get_data(as_text=True)) == takes
    assert Rsvp.select().where(Rsvp.session == session.id).count() == int(takes)


@pytest.mark.parametrize("seat", ["agent", "agent_b", "coach_b"])
def test_a_programme_wide_session_takes_rsvps_from_everyone(teams, seat):
    assert service.rsvp(teams["open_session"], teams[seat]).status == "going"


def test_someone_who_moved_teams_takes_places_at_their_new_teams_sessions_not_their_old(teams, new_series):
    mover = teams["agent"]
    User.update(team=teams["team_b"]).where(User.id == mover.id).execute()
    mover = User.get_by_id(mover.id)
    with pytest.raises(service.ScheduleError, match="a coach of the team can add you"):
        service.rsvp(teams["session"], mover)
    team_b = new_series(kind="case_review", title="Team B meetup", team=teams["team_b"],
                        created_by=teams["coach_b"]).sessions.get()
    assert service.rsvp(load(team_b), mover).status == "going"
    assert Rsvp.select().where(Rsvp.session == teams["session"].id).count() == 0


def test_a_person_a_coach_adds_from_another_team_sees_the_teams_queue(client, login, teams, make_case):
    case = make_case(teams["agent"], title="Refund refused twice")
    session = teams["session"]
    login(teams["agent_b"])
    assert client.get(f"/sessions/{session.id}/agenda").status_code == 404
    assert case.id not in {c.id for c in visible_cases(teams["agent_b"])}
    login(teams["coach_a"])
    client.post(f"/sessions/{session.id}/people", data={"user_id": teams["agent_b"].id})
    login(teams["agent_b"])
    assert "Refund refused twice" in client.get(f"/sessions/{session.id}/agenda").get_data(as_text=True)
    assert case.id in {c.id for c in visible_cases(teams["agent_b"])}


@pytest.mark.parametrize("seat, status", [
    ("admin", 200), ("coach_a", 200), ("facilitator", 200), ("coach_b", 404), ("agent", 200), ("other_agent", 404),
    ("agent_b", 404)])
def test_a_team_meetups_queue_is_for_its_people_going_and_those_who_run_it(client, login, teams, seat, status):
    service.rsvp(teams["session"], teams["agent"])
    login(teams[seat])
    assert client.get(f"/sessions/{teams['session'].id}/agenda").status_code == status


def test_a_programme_wide_meetups_queue_is_open_to_every_coach_but_run_by_its_creator(teams, new_series, make_case):
    meetup = load(new_series(kind="case_review", title="Open meetup", created_by=teams["coach_b"]).sessions.get())
    case = make_case(teams["agent"])
    assert meetups.can_open_meetup(teams["coach_a"], meetup) and not meetups.can_open_meetup(teams["agent"], meetup)
    with pytest.raises(CaseError):
        meetups.add_to_agenda(teams["coach_a"], meetup, case.id, 10)
    meetups.add_to_agenda(teams["coach_b"], meetup, case.id, 10)
    assert AgendaItem.get().session_id == meetup.id


def test_a_coach_of_another_team_cannot_change_a_team_meetups_agenda(teams, make_case):
    case = make_case(teams["agent"])
    with pytest.raises(CaseError):
        meetups.add_to_agenda(teams["coach_b"], teams["session"], case.id, 10)
    meetups.add_to_agenda(teams["facilitator"], teams["session"], case.id, 10)
    assert AgendaItem.get().session_id == teams["session"].id


# --- facilitators see what they run -------------------------------------------------------

def test_series_facilitators_find_the_sessions_they_run_in_my_schedule_dashboard_and_feed(
        client, login, teams, feed_url):
    session, handed_over = teams["session"], teams["handed_over"]
    for seat, runs in (("facilitator", {session.uid}), ("agent_b", {handed_over.uid}), ("coach_b", set())):
        body = client.get(feed_url(teams[seat])).get_data(as_text=True)
        meetup_uids = {uid for uid in (session.uid, handed_over.uid) if f"UID:{uid}" in body.replace("\r\n ", "")}
        assert meetup_uids == runs, seat
        login(teams[seat])
        schedule = client.get("/my/schedule").get_data(as_text=True)
        dashboard = client.get("/").get_data(as_text=True)
        for page in (schedule, dashboard):
            assert (f'href="/sessions/{session.id}"' in page) == (session.uid in runs), seat
            assert (f'href="/sessions/{handed_over.id}"' in page) == (handed_over.uid in runs), seat


def make_past(session, days=2):
    Session.update(starts_at=session.starts_at - timedelta(days=days + 3),
                   ends_at=session.ends_at - timedelta(days=days + 3)).where(Session.id == session.id).execute()
    return load(session)


@pytest.mark.parametrize("seat", SEATS[:-1])
def test_past_sessions_without_attendance_are_flagged_to_those_who_ran_them(client, login, teams, seat):
    past = make_past(teams["session"])
    login(teams[seat])
    page = client.get("/").get_data(as_text=True)
    link = f'href="/sessions/{past.id}/attendance"'
    assert ("Attendance to take" in page and link in page) == (seat == "facilitator")


def test_the_attendance_flag_goes_once_attendance_is_taken_and_never_shows_cancelled_sessions(client, login, teams):
    past, cancelled = make_past(teams["session"]), make_past(teams["handed_over"])
    Session.update(status="cancelled", facilitator=None).where(Session.id == cancelled.id).execute()
    login(teams["facilitator"])
    page = client.get("/").get_data(as_text=True)
    assert f'href="/sessions/{past.id}/attendance"' in page
    assert f'href="/sessions/{cancelled.id}/attendance"' not in page
    client.post(f"/sessions/{past.id}/attendance", data={"walk_in_ids": [str(teams["agent"].id)]})
    assert Rsvp.get(Rsvp.session == past.id).attendance == "attended"
    assert "Attendance to take" not in client.get("/").get_data(as_text=True)


# --- recording a session that already happened ---------------------------------------------

def past_one_off(team_id, days_ago=2):
    day = to_local(utcnow() - timedelta(days=days_ago), "Europe/Berlin").date()
    return {"kind": "case_review", "title": "Tuesday huddle", "description": "", "team_id": str(team_id),
            "location": "Room 1", "video_url": "", "capacity": "", "timezone": "Europe/Berlin",
            "start_date": day.isoformat(), "start_time": "10:00", "end_time": "11:00", "pattern": "once",
            "ends": "count", "until": "", "count": "1", "save": "1"}


def test_a_coach_records_a_past_meetup_and_its_attendance_without_any_notice(client, login, teams):
    login(teams["coach_a"])
    response = client.post("/series/new", data=past_one_off(teams["team_a"].id))
    session = Session.get(Session.series == Series.get(Series.title == "Tuesday huddle"))
    assert response.status_code == 302 and response.location.endswith(f"/sessions/{session.id}/attendance")
    assert session.starts_at < utcnow()
    client.post(f"/sessions/{session.id}/attendance", data={
        "walk_in_ids": [str(teams["agent"].id), str(teams["other_agent"].id)]})
    assert {r.user_id: r.attendance for r in Rsvp.select()} == {
        teams["agent"].id: "attended", teams["other_agent"].id: "attended"}
    queue_reminders()
    assert (Notification.select().count(), OutboxMessage.select().count(), ReminderSent.select().count()) == (0, 0, 0)


def test_a_past_session_takes_no_rsvp_and_no_added_person(client, login, teams):
    login(teams["coach_a"])
    client.post("/series/new", data=past_one_off(teams["team_a"].id))
    session = load(Session.get(Session.series == Series.get(Series.title == "Tuesday huddle")))
    with pytest.raises(service.ScheduleError, match="already started"):
        service.rsvp(session, teams["agent"])
    with pytest.raises(service.ScheduleError, match="attendance screen"):
        editing.add_person(session, teams["agent"])
    assert Rsvp.select().count() == 0 and Notification.select().count() == 0


def test_a_repeating_series_still_starts_in_the_future(client, login, teams):
    login(teams["coach_a"])
    form = dict(past_one_off(teams["team_a"].id), pattern="weekly", count="3")
    page = client.post("/series/new", data=form).get_data(as_text=True)
    assert "must be in the future" in page and Series.select().where(Series.title == "Tuesday huddle").count() == 0


# --- planning for a team -----------------------------------------------------------------

@pytest.mark.parametrize("seat, team, allowed", [
    ("coach_a", "team_a", True), ("coach_a", "team_b", False), ("coach_b", "team_a", False),
    ("admin", "team_a", True), ("admin", "team_b", True)])
def test_a_coach_plans_series_for_the_teams_they_coach_or_everyone_never_another_coachs_team(
        client, login, teams, seat, team, allowed):
    login(teams[seat])
    form = dict(past_one_off(teams[team].id, days_ago=-3), title="Planned for a team")
    page = client.post("/series/new", data=form)
    created = Series.select().where(Series.title == "Planned for a team").exists()
    assert created is allowed
    if not allowed:
        assert page.status_code == 200 and "Choose one of the teams you coach, or everyone." in page.get_data(as_text=True)
        form_page = client.get("/series/new").get_data(as_text=True)
        assert f'<option value="{teams[team].id}">{teams[team].name}</option>' not in form_page   # not even offered
        assert "Everyone (programme-wide)" in form_page


def test_the_service_refuses_a_series_for_another_coachs_team_whoever_calls_it(teams, new_series, app):
    with app.test_request_context(), pytest.raises(service.ScheduleError) as refused:
        new_series(title="Sneaked in", team=teams["team_b"], created_by=teams["coach_a"])
    assert refused.value.field == "team_id"
    assert not Series.select().where(Series.title == "Sneaked in").exists()


def test_a_past_session_can_be_recorded_up_to_ninety_days_back(client, login, teams):
    login(teams["coach_a"])
    page = client.post("/series/new", data=dict(past_one_off(teams["team_a"].id, days_ago=120), title="Too old"))
    assert "can be recorded up to 90 days later" in page.get_data(as_text=True)
    assert not Series.select().where(Series.title == "Too old").exists()
    client.post("/series/new", data=dict(past_one_off(teams["team_a"].id, days_ago=80), title="Recent enough"))
    assert Series.select().where(Series.title == "Recent enough").exists()

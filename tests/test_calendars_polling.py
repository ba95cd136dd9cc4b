"""Polling a feed: an unchanged feed answers 304 in a couple of queries and writes nothing; every
change a feed shows changes its ETag; a programme feed lists only what its owner can attend,
within its window, and follows the owner when they move teams."""
from datetime import datetime, timedelta

import pytest

from learning.accounts.models import User
from learning.calendars import feeds
from learning.calendars.models import FeedToken
from learning.db import db, utcnow
from learning.schedule.models import Rsvp, Series, SeriesFacilitator, Session
from learning.schedule.editing import cancel_session
from learning.schedule.service import SEATS


def poll(client, url, etag=None):
    return client.get(url, headers={"If-None-Match": etag} if etag else {})


def uids(response):
    return {line.split(":", 1)[1] for line in response.get_data(as_text=True).split("\r\n")
            if line.startswith("UID:")}


def statements(queries):
    return [record.msg[0].split(None, 1)[0].upper() for record in queries.get_queries()]


def test_an_unchanged_personal_feed_answers_304_in_three_queries(client, dst_programme, feed_url, count_queries):
    url = feed_url(dst_programme["agent"])
    etag = poll(client, url).headers["ETag"]
    with count_queries() as queries:
        answer = poll(client, url, etag)
    assert answer.status_code == 304 and answer.headers["ETag"] == etag and answer.data == b""
    assert queries.count == 3  # the feed and its owner; the sessions' aggregates; the check-ins


def test_an_unchanged_programme_feed_answers_304_in_three_queries(client, dst_programme, feed_url, count_queries):
    url = feed_url(dst_programme["agent"], "kind", "skill")
    etag = poll(client, url).headers["ETag"]
    with count_queries() as queries:
        answer = poll(client, url, etag)
    assert answer.status_code == 304 and queries.count == 3  # the feed; its edges; the sessions' aggregates


@pytest.mark.parametrize("scope, key", [("personal", ""), ("kind", "skill")])
def test_a_feed_poll_writes_nothing(client, dst_programme, feed_url, count_queries, scope, key):
    url = feed_url(dst_programme["agent"], scope, key)
    stored = [dict(row.__data__) for row in FeedToken.select().order_by(FeedToken.id)]
    with count_queries() as queries:
        first = poll(client, url, None)
        again = poll(client, url, first.headers["ETag"])
        since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert (first.status_code, again.status_code, since.status_code) == (200, 304, 304)
    assert set(statements(queries)) == {"SELECT"}
    assert [dict(row.__data__) for row in FeedToken.select().order_by(FeedToken.id)] == stored


def test_feeds_tell_calendar_apps_how_long_to_keep_them(client, dst_programme, feed_url):
    url = feed_url(dst_programme["agent"])
    first = poll(client, url)
    assert first.headers["Cache-Control"] == "private, max-age=3600"
    assert poll(client, url, first.headers["ETag"]).headers["Cache-Control"] == "private, max-age=3600"


def test_a_change_another_team_sees_leaves_the_feed_at_304(client, dst_programme, feed_url, cal_series, cal_session):
    agent = dst_programme["agent"]
    personal, meetups = feed_url(agent), feed_url(agent, "kind", "case_review")
    etags = {url: poll(client, url).headers["ETag"] for url in (personal, meetups)}
    elsewhere = cal_series("Team B's meetups", kind="case_review", team=dst_programme["team_b"])
    cal_session(elsewhere, datetime.now() + timedelta(days=3))
    assert all(poll(client, url, etag).status_code == 304 for url, etag in etags.items())


def _promote_the_agent(p):
    SEATS.release(p["seat_holder"])


WRITES = {
    "the person takes a place": lambda p: Rsvp.create(session=p["extra"], user=p["agent"], status="going",
                                                      queue_number=1, updated_at=utcnow()),
    "the person gives a place back": lambda p: SEATS.release(
        Rsvp.get(Rsvp.session == p["sessions"][0], Rsvp.user == p["agent"])),
    "a seat frees up for them": _promote_the_agent,
    "a session moves": lambda p: Session.update(location="Room 99", sequence=Session.sequence + 1,
                                                changed_at=utcnow()).where(Session.id == p["moved"].id).execute(),
    "a series is renamed": lambda p: Series.update(title="Renamed", updated_at=utcnow()).where(
        Series.id == p["berlin"].id).execute(),
    "the person is renamed": lambda p: User.update(display_name="New Name").where(User.id == p["agent"].id).execute(),
    "they are made facilitator of a series": lambda p: SeriesFacilitator.create(series=p["extra"].series,
                                                                                user=p["agent"]),
    "a session is cancelled": lambda p: cancel_session(Session.get_by_id(p["moved"].id), confirm=True),
    "a session moves to another time zone": lambda p: Session.update(
        timezone="America/New_York", sequence=Session.sequence + 1, changed_at=utcnow()).where(
        Session.id == p["moved"].id).execute(),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_change_the_personal_feed_shows_changes_its_etag(client, dst_programme, feed_url, cal_series,
                                                                cal_session, write):
    dst_programme["extra"] = cal_session(cal_series("Explaining clearly"), datetime.now() + timedelta(days=4))
    url = feed_url(dst_programme["agent"])
    first = poll(client, url)
    with db.atomic():
        WRITES[write](dst_programme)
    changed = poll(client, url, first.headers["ETag"])
    assert changed.status_code == 200 and changed.data != first.data
    assert poll(client, url, changed.headers["ETag"]).status_code == 304


def test_a_check_in_changes_the_feed(client, dst_programme, feed_url):
    from datetime import date

    from learning.coaching import checkins
    from learning.coaching.models import CheckIn, Plan

    coach, agent = dst_programme["coach_a"], dst_programme["agent"]
    url = feed_url(agent)
    etag = poll(client, url).headers["ETag"]
    plan = Plan.create(employee=agent, coach=coach, title="Plan", start_date=date.today(),
                       review_date=date.today() + timedelta(days=60))
    start = datetime.combine(date.today() + timedelta(days=3), datetime.min.time()).replace(hour=9)
    checkin = checkins.schedule_checkin(coach, plan, start, 30)
    changed = poll(client, url, etag)
    assert changed.status_code == 200 and f"checkin-{checkin.id}@".encode() in changed.data
    checkins.move_checkin(coach, CheckIn.get_by_id(checkin.id), start + timedelta(hours=1), 30)
    assert poll(client, url, changed.headers["ETag"]).status_code == 200


@pytest.fixture
def meetups(people, cal_series, cal_session):
    """A case-review meetup for each team and one programme-wide, and a team B meetup run by coach A."""
    soon = datetime.now() + timedelta(days=6)
    made = {}
    for name, team in (("team_a", people["team_a"]), ("team_b", people["team_b"]), ("everyone", None)):
        made[name] = cal_session(cal_series(f"Meetup {name}", kind="case_review", team=team), soon)
    made["run_by_coach_a"] = cal_session(made["team_b"].series, soon + timedelta(days=7),
                                         facilitator=people["coach_a"])
    return made


CAN_ATTEND = {
    "agent": {"team_a", "everyone"},
    "other_agent": {"team_a", "everyone"},
    "coach_a": {"team_a", "everyone", "run_by_coach_a"},
    "coach_b": {"team_b", "everyone", "run_by_coach_a"},
    "agent_b": {"team_b", "everyone", "run_by_coach_a"},
    "admin": {"team_a", "team_b", "everyone", "run_by_coach_a"},
}


@pytest.mark.parametrize("seat", sorted(CAN_ATTEND))
def test_a_programme_feed_lists_only_what_its_owner_can_attend(client, people, meetups, feed_url, seat):
    shown = uids(poll(client, feed_url(people[seat], "kind", "case_review")))
    assert shown == {meetups[name].uid for name in CAN_ATTEND[seat]}


def test_another_teams_meetup_feed_is_empty_for_its_non_members(client, people, meetups, feed_url):
    url = feed_url(people["coach_b"], "team", str(people["team_a"].id))
    assert uids(poll(client, url)) == set()
    assert uids(poll(client, feed_url(people["coach_a"], "team", str(people["team_a"].id)))) == {meetups["team_a"].uid}


def test_a_programme_feed_follows_its_owner_to_a_new_team(client, people, meetups, feed_url):
    agent = people["agent"]
    url = feed_url(agent, "kind", "case_review")
    before = poll(client, url)
    User.update(team=people["team_b"]).where(User.id == agent.id).execute()
    after = poll(client, url, before.headers["ETag"])
    assert after.status_code == 200
    assert uids(after) == {meetups[name].uid for name in ("team_b", "everyone", "run_by_coach_a")}


def test_a_long_programme_feed_keeps_to_the_nearest_sessions_on_each_side_of_today(client, people, feed_url,
                                                                                   cal_series, cal_session,
                                                                                   monkeypatch):
    monkeypatch.setattr(feeds, "PROGRAMME_EVENTS_BACK", 2)
    monkeypatch.setattr(feeds, "PROGRAMME_EVENTS_AHEAD", 3)
    series = cal_series("A busy programme")
    today = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    sessions = {days: cal_session(series, today + timedelta(days=days)) for days in (-20, -10, -5, -1, 1, 2, 3, 4)}
    twin = cal_session(series, today + timedelta(days=3), recurrence_local=today)
    url = feed_url(people["agent"], "series", str(series.id))
    first = poll(client, url)
    # the third ahead shares its start with a twin: both would make four, so both wait
    assert uids(first) == {sessions[days].uid for days in (-5, -1, 1, 2)}
    nearer = cal_session(series, today + timedelta(days=1, hours=3))
    second = poll(client, url, first.headers["ETag"])
    assert second.status_code == 200
    assert uids(second) == {sessions[days].uid for days in (-5, -1, 1, 2)} | {nearer.uid}
    assert twin.uid not in uids(second) and poll(client, url, second.headers["ETag"]).status_code == 304
    personal = feed_url(people["agent"])
    for session in sessions.values():
        Rsvp.create(session=session, user=people["agent"], status="going", queue_number=1)
    assert uids(poll(client, personal)) == {s.uid for s in sessions.values()}  # a person's own feed holds them all


def test_a_programme_feed_covers_thirty_days_back_and_a_year_ahead(client, people, feed_url, cal_series,
                                                                    cal_session):
    series = cal_series("A long programme")
    today = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    sessions = {days: cal_session(series, today + timedelta(days=days)) for days in (-60, -29, 0, 364, 400, 700)}
    shown = uids(poll(client, feed_url(people["agent"], "series", str(series.id))))
    assert shown == {sessions[days].uid for days in (-29, 0, 364)}


OFFERED_TEAMS = {"agent": {"team_a"}, "other_agent": {"team_a"}, "coach_a": {"team_a"}, "coach_b": {"team_b"},
                 "agent_b": {"team_b"}, "admin": {"team_a", "team_b"}}


@pytest.mark.parametrize("seat", sorted(OFFERED_TEAMS))
def test_the_calendar_page_offers_the_meetups_and_series_its_person_can_attend(client, login, people, meetups,
                                                                                seat):
    login(people[seat])
    page = client.get("/calendar").get_data(as_text=True)
    for team in ("team_a", "team_b"):
        assert (f'value="team:{people[team].id}"' in page) == (team in OFFERED_TEAMS[seat])
        assert (f'value="series:{meetups[team].series_id}"' in page) == (team in OFFERED_TEAMS[seat])
    assert f'value="series:{meetups["everyone"].series_id}"' in page
    refused = "team_b" if "team_b" not in OFFERED_TEAMS[seat] else None
    if refused:
        client.post("/calendar/feeds", data={"feed": f"team:{people[refused].id}"})
        assert not FeedToken.select().where(FeedToken.scope == "team").exists()


def test_the_calendar_page_needs_a_sign_in(client, people):
    response = client.get("/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

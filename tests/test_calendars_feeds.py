"""Feeds as calendar apps read them: icalendar, ical.js (Thunderbird) and
recurring-ical-events agree with the database across DST changes."""
from datetime import datetime, timedelta, timezone

import recurring_ical_events
from icalendar import Calendar

from learning.calendars import ical
from learning.db import utcnow
from learning.schedule.models import Rsvp, Session
from learning.schedule.service import SEATS
from learning.timezones import to_local
from tests.fixtures_calendars import unfold, utc_iso


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def events_by_uid(body):
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_personal_feed_matches_the_database_in_icalendar_and_icaljs_across_dst(client, dst_programme, feed_url,
                                                                                 icaljs):
    body = fetch(client, feed_url(dst_programme["agent"])).data
    expected = {s.uid: Session.get_by_id(s.id) for s in dst_programme["sessions"] + [dst_programme["small_session"]]}
    parsed = events_by_uid(body)
    assert set(parsed) == set(expected)
    for uid, session in expected.items():
        event = parsed[uid]
        assert event.decoded("DTSTART").astimezone(timezone.utc).replace(tzinfo=None) == session.starts_at
        assert event.decoded("DTEND").astimezone(timezone.utc).replace(tzinfo=None) == session.ends_at
        assert event["DTSTART"].params["TZID"] == session.timezone
    thunderbird = {e["uid"]: e for e in icaljs(body)["events"]}
    assert set(thunderbird) == set(expected)
    for uid, session in expected.items():
        assert (thunderbird[uid]["start"], thunderbird[uid]["end"]) == (utc_iso(session.starts_at),
                                                                       utc_iso(session.ends_at))
        assert thunderbird[uid]["tzid"] == session.timezone
        assert thunderbird[uid]["rrule"] is False


def test_sessions_keep_their_wall_clock_time_across_the_dst_change(client, dst_programme, feed_url, icaljs):
    body = fetch(client, feed_url(dst_programme["agent"])).data
    offsets = set()
    for event in icaljs(body)["events"]:
        if event["uid"] in (dst_programme["moved"].uid, dst_programme["small_session"].uid):
            continue
        start = datetime.strptime(event["start"], "%Y-%m-%dT%H:%M:%SZ")
        local = to_local(start, event["tzid"])
        assert local.hour == (10 if event["tzid"] == "Europe/Berlin" else 9)
        offsets.add((event["tzid"], local.utcoffset()))
    assert len(offsets) == 4  # both zones seen on both sides of their change


def test_moved_session_updates_in_place_and_cancelled_one_is_marked(client, dst_programme, feed_url, icaljs):
    body = fetch(client, feed_url(dst_programme["agent"])).data
    parsed = events_by_uid(body)
    moved, cancelled = dst_programme["moved"], dst_programme["cancelled"]
    assert list(parsed).count(moved.uid) == 1
    assert parsed[moved.uid]["SEQUENCE"] == 1 and str(parsed[moved.uid]["LOCATION"]) == "Room 9"
    assert parsed[cancelled.uid]["STATUS"] == "CANCELLED"
    assert str(parsed[cancelled.uid]["SUMMARY"]) == "Cancelled: Owning the issue"
    thunderbird = {e["uid"]: e for e in icaljs(body)["events"]}
    assert thunderbird[cancelled.uid]["status"] == "CANCELLED"
    assert thunderbird[cancelled.uid]["summary"].startswith("Cancelled: ")


def test_waitlisted_place_is_tentative_then_confirmed_with_a_higher_sequence_on_promotion(
        client, dst_programme, feed_url, icaljs):
    url, small = feed_url(dst_programme["agent"]), dst_programme["small_session"]
    before = events_by_uid(fetch(client, url).data)[small.uid]
    assert before["STATUS"] == "TENTATIVE"
    assert "number 1 on the waitlist" in unfold(before.to_ical())
    promoted = SEATS.release(dst_programme["seat_holder"])
    assert [p.user_id for p in promoted] == [dst_programme["agent"].id]
    body = fetch(client, url).data
    after = events_by_uid(body)[small.uid]
    assert after["STATUS"] == "CONFIRMED"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert "waitlist" not in unfold(after.to_ical())
    assert {e["uid"]: e for e in icaljs(body)["events"]}[small.uid]["status"] == "CONFIRMED"


def test_a_session_the_person_withdrew_from_leaves_their_feed(client, dst_programme, feed_url):
    session = dst_programme["sessions"][0]
    Rsvp.update(status="withdrawn", sequence=Rsvp.sequence + 1).where(
        Rsvp.session == session, Rsvp.user == dst_programme["agent"]).execute()
    assert session.uid not in events_by_uid(fetch(client, feed_url(dst_programme["agent"])).data)


def test_a_cancelled_session_leaves_the_feed_once_it_has_passed(client, dst_programme, feed_url, cal_session, cal_place):
    old = cal_session(dst_programme["berlin"], datetime.now() - timedelta(days=3), status="cancelled")
    kept = cal_session(dst_programme["berlin"], datetime.now() - timedelta(days=4))
    cal_place(old, dst_programme["agent"])
    cal_place(kept, dst_programme["agent"])
    parsed = events_by_uid(fetch(client, feed_url(dst_programme["agent"])).data)
    assert old.uid not in parsed and kept.uid in parsed


def test_recurring_ical_events_expands_the_feed_to_the_same_occurrences(client, dst_programme, feed_url):
    body = fetch(client, feed_url(dst_programme["agent"])).data
    occurrences = recurring_ical_events.of(Calendar.from_ical(body)).between(datetime(2000, 1, 1),
                                                                            datetime(2100, 1, 1))
    starts = sorted(o.decoded("DTSTART").astimezone(timezone.utc).replace(tzinfo=None) for o in occurrences)
    sessions = dst_programme["sessions"] + [dst_programme["small_session"]]
    assert starts == sorted(Session.get_by_id(s.id).starts_at for s in sessions)


def test_feed_carries_the_properties_calendar_apps_need(client, dst_programme, feed_url):
    response = fetch(client, feed_url(dst_programme["agent"]))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.data
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert body.count(b"\r\n") == body.count(b"\n")
    calendar = Calendar.from_ical(body)
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) != ""
    assert "DESCRIPTION" in calendar and "REFRESH-INTERVAL" in calendar and "X-PUBLISHED-TTL" in calendar
    assert b"RRULE" not in body
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Berlin", "America/New_York"}
    for component in calendar.walk("STANDARD") + calendar.walk("DAYLIGHT"):
        assert "RDATE" not in component and "DTSTART" in component
    session = Session.get_by_id(dst_programme["moved"].id)
    event = events_by_uid(body)[session.uid]
    assert event.decoded("DTSTAMP").replace(tzinfo=None) == session.changed_at
    assert event.decoded("LAST-MODIFIED").replace(tzinfo=None) == session.changed_at
    assert str(event["URL"]).endswith(f"/sessions/{session.id}")
    assert "https://meet.example/listen" in unfold(event.to_ical())
    assert "DTEND" in event


def test_unchanged_data_gives_byte_identical_output(client, dst_programme, feed_url):
    url = feed_url(dst_programme["agent"])
    first = fetch(client, url).data
    ical.event_cache.clear()
    assert fetch(client, url).data == first
    assert fetch(client, url).data == first


def test_conditional_get_answers_304_until_something_changes(client, dst_programme, feed_url):
    url = feed_url(dst_programme["agent"])
    first = fetch(client, url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    not_modified = client.get(url, headers={"If-Modified-Since": modified})
    assert not_modified.status_code == 304 and not_modified.data == b""
    moved = Session.get_by_id(dst_programme["moved"].id)
    moved.location, moved.sequence, moved.changed_at = "Room 12", moved.sequence + 1, utcnow()
    moved.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.last_modified >= first.last_modified


def test_last_modified_never_moves_backwards_when_events_leave(client, dst_programme, feed_url):
    url = feed_url(dst_programme["agent"])
    moved = Session.get_by_id(dst_programme["moved"].id)
    moved.changed_at = utcnow()
    moved.save()
    first = fetch(client, url)
    moved.delete_instance()
    second = fetch(client, url)
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.last_modified >= first.last_modified
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"],
                                    "If-None-Match": first.headers["ETag"]}).status_code == 200


def test_programme_feeds_per_series_kind_and_team_meetups(client, dst_programme, feed_url, cal_series, cal_session):
    meetups = cal_series("Tough cases, Team A", kind="case_review", team=dst_programme["team_a"])
    meetup = cal_session(meetups, datetime.now() + timedelta(days=5))
    agent_b = dst_programme["agent_b"]
    by_series = events_by_uid(fetch(client, feed_url(agent_b, "series", str(dst_programme["berlin"].id))).data)
    assert set(by_series) == {s.uid for s in dst_programme["sessions"] if s.series_id == dst_programme["berlin"].id}
    by_kind = events_by_uid(fetch(client, feed_url(agent_b, "kind", "case_review")).data)
    assert set(by_kind) == {meetup.uid}
    by_team = events_by_uid(fetch(client, feed_url(agent_b, "team", str(dst_programme["team_a"].id))).data)
    assert set(by_team) == {meetup.uid}
    assert all(e["STATUS"] in ("CONFIRMED", "CANCELLED") for e in by_series.values())


def test_checkin_notes_never_appear_in_any_feed(client, login, dst_programme, feed_url, icaljs):
    from datetime import date

    from learning.coaching import checkins
    from learning.coaching.models import Plan

    coach, agent = dst_programme["coach_a"], dst_programme["agent"]
    plan = Plan.create(employee=agent, coach=coach, title="Confidence plan", start_date=date.today(),
                       review_date=date.today() + timedelta(days=60))
    local_start = datetime.combine(date.today() + timedelta(days=3), datetime.min.time()).replace(hour=9)
    checkin = checkins.schedule_checkin(coach, plan, local_start, 30)
    checkins.add_note(coach, checkin, "SECRET-NOTE struggling after the escalation", private=True)
    checkins.add_note(agent, checkin, "SHARED-NOTE about the refund case")
    uid = f"checkin-{checkin.id}@support-development"
    for person in (agent, coach):
        body = fetch(client, feed_url(person)).data
        event = events_by_uid(body)[uid]
        assert str(event["SUMMARY"]).startswith("Coaching check-in")
        assert event.decoded("DTSTART").astimezone(timezone.utc).replace(tzinfo=None) == checkin.starts_at
        assert b"NOTE" not in unfold(body).encode()
        assert uid in {e["uid"] for e in icaljs(body)["events"]}
    for scope, key in (("kind", "skill"), ("series", str(dst_programme["berlin"].id))):
        assert b"NOTE" not in fetch(client, feed_url(agent, scope, key)).data
    login(agent)
    download = client.get(f"/checkins/{checkin.id}.ics")
    assert download.status_code == 200 and b"NOTE" not in unfold(download.data).encode()
    login(dst_programme["agent_b"])
    assert client.get(f"/checkins/{checkin.id}.ics").status_code == 404


def test_single_session_download_for_any_employee(client, login, dst_programme, icaljs):
    session = dst_programme["sessions"][2]
    assert client.get(f"/sessions/{session.id}.ics").status_code == 302  # sign in first
    login(dst_programme["agent_b"])
    response = client.get(f"/sessions/{session.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icaljs(response.data)
    assert parsed["method"] == "PUBLISH"
    assert [(e["uid"], e["start"]) for e in parsed["events"]] == [(session.uid, utc_iso(session.starts_at))]
    assert client.get("/sessions/999999.ics").status_code == 404


def test_personal_feed_query_count_does_not_grow_with_events(client, people, feed_url, cal_series, cal_session,
                                                               cal_place, count_queries):
    series = cal_series(capacity=1)
    url = feed_url(people["agent"])
    fetch(client, url)  # the first fetch records it; each measured fetch below follows a change
    counts = []
    for size in (3, 30):
        while Rsvp.select().where(Rsvp.user == people["agent"]).count() < size:
            n = Rsvp.select().count()
            session = cal_session(series, datetime.now() + timedelta(days=2, hours=n))
            cal_place(session, people["other_agent"])
            cal_place(session, people["agent"], status="waitlisted" if n % 2 else "going")
        ical.event_cache.clear()
        with count_queries() as counter:
            fetch(client, url)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 10  # with every event rebuilt: their sessions load in one query

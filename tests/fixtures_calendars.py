"""Fixtures for the calendar tests: series, sessions and places as rows, a
programme around the next daylight-saving changes in Berlin and New York, and
helpers to fetch feeds and read them with icalendar and with ical.js (node)."""
import fcntl
import json
import os
import re
import subprocess
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learning.calendars import service
from learning.db import utcnow
from learning.schedule.models import Rsvp, Series, Session
from learning.timezones import to_utc

JS_DIR = os.path.join(os.path.dirname(__file__), "js")


def next_dst_change(zone_name, after):
    """The first local date after `after` on which the zone's UTC offset changes."""
    zone = ZoneInfo(zone_name)
    day = after
    offset = day.replace(tzinfo=zone).utcoffset()
    while day.replace(tzinfo=zone).utcoffset() == offset:
        day += timedelta(days=1)
    return day.date()


@pytest.fixture
def cal_series(people):
    def factory(title="Listening fully", kind="skill", zone="Europe/Berlin", team=None, capacity=None, **extra):
        now = utcnow()
        return Series.create(kind=kind, title=title, timezone=zone, duration_minutes=60, first_start_local=now,
                             team=team, capacity=capacity, created_by=extra.pop("created_by", people["coach_a"]),
                             created_at=now, updated_at=extra.pop("updated_at", datetime(2026, 1, 1)), **extra)
    return factory


@pytest.fixture
def cal_session():
    def factory(series, local_start, minutes=60, **extra):
        starts_at = to_utc(local_start, series.timezone)
        fields = dict(series=series, uid=f"{uuid.uuid4()}@test", recurrence_local=local_start, starts_at=starts_at,
                      ends_at=starts_at + timedelta(minutes=minutes), timezone=series.timezone,
                      location="Room 4", changed_at=datetime(2026, 1, 2, 8, 30))
        fields.update(extra)
        return Session.create(**fields)
    return factory


@pytest.fixture
def cal_place():
    """Give `user` a place at `session` as a row (the schedule service is not needed here)."""
    def factory(session, user, status="going", sequence=0):
        queue = Rsvp.select().where(Rsvp.session == session).count() + 1
        return Rsvp.create(session=session, user=user, status=status, queue_number=queue, sequence=sequence,
                           updated_at=datetime(2026, 1, 3, 9, 0))
    return factory


@pytest.fixture
def dst_programme(people, cal_series, cal_session, cal_place):
    """Weekly sessions across the next DST change in Berlin and in New York, the agent going to all;
    one Berlin occurrence moved, one New York occurrence cancelled, and a one-seat session the agent
    is waitlisted for behind the other agent."""
    today = datetime.combine(utcnow().date(), datetime.min.time())
    org = dict(people)
    org["berlin"] = cal_series("Listening fully", zone="Europe/Berlin", video_url="https://meet.example/listen")
    org["newyork"] = cal_series("Owning the issue", zone="America/New_York")
    sessions = []
    for series, hour in ((org["berlin"], 10), (org["newyork"], 9)):
        change = next_dst_change(series.timezone, today + timedelta(days=21))
        for week in (-2, -1, 1, 2):
            local = datetime.combine(change + timedelta(days=7 * week), datetime.min.time()).replace(hour=hour)
            sessions.append(cal_session(series, local))
    for session in sessions:
        cal_place(session, org["agent"])
    moved = sessions[1]
    moved.starts_at += timedelta(hours=3)
    moved.ends_at += timedelta(hours=3)
    moved.location, moved.sequence, moved.moved = "Room 9", 1, True
    moved.changed_at = datetime(2026, 1, 5, 12, 0)
    moved.save()
    cancelled = sessions[6]
    cancelled.status, cancelled.sequence, cancelled.changed_at = "cancelled", 1, datetime(2026, 1, 6, 12, 0)
    cancelled.save()
    org["small"] = cal_series("Boundaries first", capacity=1)
    small = cal_session(org["small"], datetime.combine(today + timedelta(days=10), datetime.min.time()).replace(hour=14))
    org["seat_holder"] = cal_place(small, org["other_agent"])
    org["waiting"] = cal_place(small, org["agent"], status="waitlisted")
    org.update(sessions=sessions, moved=moved, cancelled=cancelled, small_session=small)
    return org


@pytest.fixture
def feed_url(app):
    def factory(user, scope="personal", key=""):
        with app.app_context():
            token = service.feed_token(service.subscribe(user, scope, key))
            assert token, "a feed's address is known only when it is made"
            return f"/calendar/feed/{token}.ics"
    return factory


def _install_icaljs():
    """`npm ci` once, even when several test workers ask at the same moment."""
    lock = os.open(JS_DIR, os.O_RDONLY)  # a lock on the folder itself: no lock file left behind
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "ical.js")):
            subprocess.run(["npm", "ci", "--prefix", JS_DIR, "--no-audit", "--no-fund"], check=True,
                           capture_output=True, timeout=300)
    finally:
        os.close(lock)


def parse_with_icaljs(body):
    """The feed as Thunderbird's parser reads it: {"name", "method", "events": [...]}."""
    _install_icaljs()
    result = subprocess.run(["node", os.path.join(JS_DIR, "parse_ics.mjs")], input=body, capture_output=True,
                            check=True, timeout=60)
    return json.loads(result.stdout)


@pytest.fixture
def icaljs():
    return parse_with_icaljs


def utc_iso(naive):
    return naive.strftime("%Y-%m-%dT%H:%M:%SZ")


def unfold(body):
    return re.sub(rb"\r\n[ \t]", b"", body).decode()

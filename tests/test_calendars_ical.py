"""The content-line writer of learning/calendars/ical.py: the bytes it writes for an event are
the bytes icalendar writes for the same properties (escaping, folding at 75 octets, time zones),
for any text a person may type."""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from hypothesis import example, given, strategies as st
from icalendar import Calendar

from learning.calendars import ical

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300).filter(lambda s: "\\N" not in s)
ZONES = st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Etc/UTC", "Pacific/Chatham"])


def a_session(title="Listening fully", description="", location="", video_url="", zone="Europe/Berlin",
              status="scheduled", uid="s-1@test", sequence=0):
    starts_at = datetime(2026, 3, 29, 0, 30)
    series = SimpleNamespace(title=title, description=description, location="", video_url=video_url, kind="skill",
                             updated_at=datetime(2026, 1, 1))
    return SimpleNamespace(id=7, uid=uid, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90),
                           timezone=zone, location=location, video_url="", status=status, sequence=sequence,
                           changed_at=datetime(2026, 1, 2, 8, 30, 15), series=series)


@pytest.fixture(autouse=True)
def feed_request():
    """Events link to their pages on the host the feed was asked for."""
    with Flask(__name__).test_request_context(base_url="https://learning.example/"):
        yield


def both_writers(properties):
    return ical.event_bytes(properties).data, ical.vevent(properties).to_ical()


@given(title=TEXT, description=TEXT, location=TEXT, extra=TEXT, zone=ZONES,
       status=st.sampled_from(["scheduled", "cancelled"]), video=st.sampled_from(["", "https://meet.example/a,b;c"]))
@example(title="é" * 80, description="\\" * 200, location="x" * 73 + "\\,", extra="€" * 40, zone="UTC",
         status="scheduled", video="")
def test_a_session_is_written_as_icalendar_writes_it(title, description, location, extra, zone, status, video):
    properties = ical.session_properties(a_session(title, description, location, video, zone, status),
                                         "TENTATIVE", 2, extra, datetime(2026, 2, 1, 9, 0))
    ours, theirs = both_writers(properties)
    assert ours == theirs


@given(title=TEXT, zone=ZONES)
def test_a_checkin_is_written_as_icalendar_writes_it(title, zone):
    checkin = SimpleNamespace(id=3, status="scheduled", changed_at=datetime(2026, 1, 2), sequence=1, timezone=zone,
                              starts_at=datetime(2026, 10, 25, 0, 30), ends_at=datetime(2026, 10, 25, 1, 30))
    properties = ical.checkin_properties(checkin, title)
    ours, theirs = both_writers(properties)
    assert ours == theirs


def test_folded_lines_keep_to_75_octets_and_whole_characters():
    for length in range(60, 160):
        for filler in ("a", "é", "€", "😀", "\\", ";"):
            properties = ical.session_properties(a_session(description=filler * length))
            data, theirs = both_writers(properties)
            lines = data.split(b"\r\n")
            assert all(len(line) <= 75 for line in lines)
            assert all(line.decode("utf-8") for line in lines if line)  # no character cut in two
            assert data == theirs


def test_text_escapes_survive_a_round_trip_even_a_literal_backslash_n():
    text = "C:\\New folder; a, b\nnext line \\n"
    data = ical.calendar_bytes([ical.session_properties(a_session(title="T", location=text))], "Calendar")
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == ical.one_line(text)
    assert "C:\\New folder" in str(event["LOCATION"])


def test_a_utc_session_is_written_in_utc_with_no_time_zone_block():
    for zone in ("UTC", "Etc/UTC"):
        data = ical.calendar_bytes([ical.session_properties(a_session(zone=zone))], "Calendar")
        assert b"DTSTART:20260329T003000Z\r\n" in data and b"VTIMEZONE" not in data
    berlin = ical.calendar_bytes([ical.session_properties(a_session())], "Calendar")
    assert b"DTSTART;TZID=Europe/Berlin:20260329T013000\r\n" in berlin and b"TZID:Europe/Berlin" in berlin

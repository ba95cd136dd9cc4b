"""iCalendar output (RFC 5545): VTIMEZONEs, session VEVENTs and whole calendars.

The one place that writes calendar data. Feeds, single-event downloads and the
notification centre's iTIP invitations (METHOD:REQUEST / CANCEL with the same
UIDs) all build on these functions. The calendar's head and its VTIMEZONEs are
icalendar's serialisation; events are written by the content-line writer below
(CRLF line endings, lines folded at 75 octets), byte for byte as icalendar
writes them, at a fraction of its cost.

Output depends only on the data: DTSTAMP and LAST-MODIFIED are the time of the
last change, and VTIMEZONEs cover whole calendar years, so unchanged data gives
byte-identical bytes. UTC is turned into a zone's wall-clock time by
learning.timezones.to_local, as everywhere else in the app.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from flask import current_app, has_request_context, request
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDDDTypes, vDuration

from learning.plain_text import clean_prose, fold_line
from learning.schedule.models import KIND_LABELS
from learning.timezones import aware_utc, to_local

PRODID = "-//Support Development System//Programme calendar//EN"
REFRESH = timedelta(hours=1)
CANCELLED_PREFIX = "Cancelled: "


# --- time zones ---------------------------------------------------------------

def _transition_instant(zone_name, before, after):
    """The first UTC minute in (before, after] whose offset differs from `before`'s (binary search)."""
    offset = to_local(before, zone_name).utcoffset()
    while after - before > timedelta(minutes=1):
        middle = before + (after - before) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= before:
            middle = before + timedelta(minutes=1)
        if to_local(middle, zone_name).utcoffset() == offset:
            before = middle
        else:
            after = middle
    return after


@lru_cache(maxsize=256)
def _transitions(zone_name, first_year, last_year):
    """(UTC instant, offset before, offset after, name after, is daylight) for each change in the years."""
    cursor = datetime(first_year, 1, 1)
    stop = datetime(last_year + 1, 1, 1)
    found = []
    while cursor < stop:
        step = min(cursor + timedelta(days=7), stop)
        before, after = to_local(cursor, zone_name), to_local(step, zone_name)
        if before.utcoffset() != after.utcoffset() or before.tzname() != after.tzname():
            instant = _transition_instant(zone_name, cursor, step)
            old, new = to_local(instant - timedelta(minutes=1), zone_name), to_local(instant, zone_name)
            found.append((instant, old.utcoffset(), new.utcoffset(), new.tzname(), bool(new.dst())))
            step = instant
        cursor = step
    return tuple(found)


def _zone_component(is_daylight, local_start, offset_from, offset_to, name):
    component = TimezoneDaylight() if is_daylight else TimezoneStandard()
    component.add("dtstart", local_start)
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", offset_to)
    component.add("tzname", name)
    return component


@lru_cache(maxsize=256)
def _vtimezone_bytes(zone_name, first_year, last_year):
    tz = Timezone()
    tz.add("tzid", zone_name)
    opening = to_local(datetime(first_year, 1, 1), zone_name)
    tz.add_component(_zone_component(bool(opening.dst()), datetime(first_year, 1, 1) + opening.utcoffset(),
                                     opening.utcoffset(), opening.utcoffset(), opening.tzname()))
    # One component per transition, each with a single DTSTART (no RDATE list:
    # ical.js, Thunderbird's parser, reads only the first date of an RDATE line).
    # DTSTART is the onset in the local time before the change (RFC 5545 3.6.5).
    for instant, before, after, name, daylight in _transitions(zone_name, first_year, last_year):
        tz.add_component(_zone_component(daylight, instant + before, before, after, name))
    return tz.to_ical()


def vtimezone(zone_name, start, end):
    """A VTIMEZONE for `zone_name` valid for UTC times `start`..`end`, covering whole calendar years."""
    return Timezone.from_ical(_vtimezone_bytes(zone_name, start.year - 1, end.year + 1))


# --- events -------------------------------------------------------------------
#
# An event is first a list of properties, (NAME, value, parameters), in the order
# icalendar writes an Event's (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, then
# by name). Feeds and downloads write that list straight to text with the content-line
# writer below; an iTIP invitation needs an icalendar Event it can add people to
# (`vevent`). Both give the same bytes (tests/test_calendars_ical.py compares them).
# Measured at bench scale 1 on SQLite (CPU time in-process): icalendar's Event.add
# and to_ical cost about 0.3 ms an event, and building a 204-event personal feed
# took 79 ms, the 1,410-event feed of all module sessions 640 ms; the writer below
# takes about 0.02 ms an event, and the same feeds 20 ms and 130 ms.

@dataclass(frozen=True)
class EventBytes:
    """One serialised VEVENT with what the calendar needs to know of it (its zone and times)."""
    data: bytes
    zone: str
    starts_at: datetime
    ends_at: datetime


class Uri(str):
    """A URI value (RFC 5545 3.3.13): written as it is, where TEXT would be escaped."""


def base_url():
    if has_request_context():
        return request.host_url
    return current_app.config.get("BASE_URL", "http://localhost:5000/")


# Text properties are written through these two (defence in depth: the model fields
# already keep control characters out). TEXT values escape LF (RFC 5545 3.3.11),
# but NAME / X-WR-CALNAME and URI values cannot hold it, and RFC 5545 3.1 forbids
# any other control character but HTAB in a content line.
def one_line(value):
    return fold_line(value or "").strip()


def _prose(value):
    return clean_prose(value or "")


def _session_description(session, description_extra, page_url, video_url):
    series = session.series
    parts = []
    if description_extra:
        parts.append(description_extra)
    if series.description:
        parts.append(series.description.strip())
    if video_url:
        parts.append(f"Video link: {video_url}")
    parts.append(f"Details and RSVP: {page_url}")
    return "\n\n".join(parts)


def session_properties(session, status_override=None, sequence_bump=0, description_extra="", stamp=None):
    """The VEVENT of one session occurrence, as properties.

    `status_override` sets STATUS (e.g. "TENTATIVE" for a waitlisted place),
    `sequence_bump` raises SEQUENCE above the session's own (personal changes
    such as a promotion), `description_extra` goes first in DESCRIPTION, and
    `stamp` (UTC) replaces the session's last change as DTSTAMP / LAST-MODIFIED.
    """
    series = session.series
    cancelled = session.status == "cancelled"
    page_url = f"{base_url().rstrip('/')}/sessions/{session.id}"
    video_url = session.video_url or series.video_url
    location = session.location or series.location or video_url
    changed = aware_utc(stamp or session.changed_at)
    return [p for p in (
        ("SUMMARY", (CANCELLED_PREFIX if cancelled else "") + one_line(series.title), None),
        ("DTSTART", to_local(session.starts_at, session.timezone), None),
        ("DTEND", to_local(session.ends_at, session.timezone), None),
        ("DTSTAMP", changed, None),
        ("UID", session.uid, None),
        ("SEQUENCE", session.sequence + sequence_bump, None),
        ("CATEGORIES", [KIND_LABELS.get(series.kind, series.kind)], None),
        video_url and ("CONFERENCE", Uri(one_line(video_url)), VIDEO_LINK),
        ("DESCRIPTION", _prose(_session_description(session, description_extra, page_url, video_url)), None),
        ("LAST-MODIFIED", changed, None),
        location and ("LOCATION", one_line(location), None),
        ("STATUS", "CANCELLED" if cancelled else (status_override or "CONFIRMED"), None),
        ("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE", None),
        ("URL", Uri(page_url), None),
    ) if p]


VIDEO_LINK = {"FEATURE": "VIDEO", "VALUE": "URI"}  # RFC 7986 5.11


def checkin_uid(checkin):
    return getattr(checkin, "uid", None) or f"checkin-{checkin.id}@support-development"


def checkin_properties(checkin, title=None):
    """The VEVENT of a coaching check-in, as properties: its title and time only, never its notes."""
    cancelled = checkin.status == "cancelled"
    page_url = f"{base_url().rstrip('/')}/checkins/{checkin.id}"
    changed = aware_utc(checkin.changed_at)
    return [
        ("SUMMARY", (CANCELLED_PREFIX if cancelled else "") + (one_line(title) or "Coaching check-in"), None),
        ("DTSTART", to_local(checkin.starts_at, checkin.timezone), None),
        ("DTEND", to_local(checkin.ends_at, checkin.timezone), None),
        ("DTSTAMP", changed, None),
        ("UID", checkin_uid(checkin), None),
        ("SEQUENCE", checkin.sequence, None),
        ("CLASS", "PRIVATE", None),
        ("DESCRIPTION", f"Details: {page_url}", None),
        ("LAST-MODIFIED", changed, None),
        ("STATUS", "CANCELLED" if cancelled else "CONFIRMED", None),
        ("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE", None),
        ("URL", Uri(page_url), None),
    ]


def vevent(properties):
    """The properties as an icalendar Event (for an iTIP message, which adds its people)."""
    event = Event()
    for name, value, parameters in properties:
        event.add(name, value, parameters=parameters)
    return event


def event_bytes(item):
    """Properties (a list) or an icalendar Event as EventBytes, for calendar_bytes."""
    if isinstance(item, list):
        lines = "".join(_content_line(*p) for p in item)
        data = f"BEGIN:VEVENT\r\n{lines}END:VEVENT\r\n".encode()
        start, end = (value for name, value, _ in item if name in ("DTSTART", "DTEND"))
    else:
        start, end, data = item.decoded("dtstart"), item.decoded("dtend"), item.to_ical()
    return EventBytes(data, _tzid(start.tzinfo) or "UTC", _utc_naive(start), _utc_naive(end))


def _utc_naive(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


# --- content lines (RFC 5545 3.1), written as icalendar writes them ----------

@lru_cache(maxsize=256)
def _tzid(zone):
    """The TZID a time in this zone is written with, or None for UTC (written with Z): icalendar's choice."""
    return vDDDTypes(datetime(2000, 1, 1, tzinfo=zone)).params.get("TZID")


def _text(value):
    """TEXT escaping (RFC 5545 3.3.11). Unlike icalendar, a literal backslash-N stays itself."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _content_line(name, value, parameters):
    if isinstance(value, datetime):
        tzid = _tzid(value.tzinfo)
        text = f"{value:%Y%m%dT%H%M%S}" + ("" if tzid else "Z")
        parameters = {"TZID": tzid} if tzid else parameters
    elif isinstance(value, Uri):
        text = value
    elif isinstance(value, str):
        text = _text(value)
    elif isinstance(value, int):
        text = str(value)
    else:
        text = ",".join(map(_text, value))
    # Parameter values are fixed tokens and IANA zone names: none needs quoting (3.2).
    head = name + "".join(f";{key}={parameters[key]}" for key in sorted(parameters)) if parameters else name
    return _fold(f"{head}:{text}") + "\r\n"


FOLD_AT = 74  # octets of content per physical line; a continuation adds its leading space (3.1: at most 75)


def _fold(line):
    """A content line folded into lines of at most 75 octets, as icalendar folds: never inside a
    UTF-8 sequence, and never right after a backslash or caret (some clients read an escape split
    over two lines wrongly)."""
    if line.isascii():
        if len(line) <= FOLD_AT:
            return line
        parts, start = [], 0
        while len(line) - start > FOLD_AT:
            end = start + FOLD_AT
            if line[end - 1] in "\\^":
                end -= 1
            parts.append(line[start:end])
            start = end
        parts.append(line[start:])
        return "\r\n ".join(parts)
    parts, current, octets = [], [], 0
    for char in line:
        size = len(char.encode())
        if current and octets + size > FOLD_AT:
            carried = [current.pop()] if len(current) > 1 and current[-1] in "\\^" else []
            parts.append("".join(current))
            current, octets = carried, len(carried)
        current.append(char)
        octets += size
    parts.append("".join(current))
    return "\r\n ".join(parts)


# --- calendars ----------------------------------------------------------------

def calendar_bytes(vevents, name, method="PUBLISH", description=None, refresh=REFRESH):
    """A whole VCALENDAR: header, one VTIMEZONE per zone used, then the events.

    `vevents` are property lists (session_properties, checkin_properties),
    icalendar Events or EventBytes; they keep their order. The parts are
    joined at component boundaries.
    """
    events = [item if isinstance(item, EventBytes) else event_bytes(item) for item in vevents]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    name = one_line(name)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        description = one_line(description)
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    if method == "PUBLISH":
        calendar.add("refresh-interval", refresh, parameters={"value": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    zones = []
    for zone_name in sorted({e.zone for e in events if e.zone != "UTC"}):
        in_zone = [e for e in events if e.zone == zone_name]
        start = min(e.starts_at for e in in_zone)
        end = max(e.ends_at for e in in_zone)
        # icalendar's own bytes for the VTIMEZONE, made once per zone and years.
        zones.append(_vtimezone_bytes(zone_name, start.year - 1, end.year + 1))
    head = calendar.to_ical()
    closing = b"END:VCALENDAR\r\n"
    assert head.endswith(closing)
    return head[:-len(closing)] + b"".join(zones) + b"".join(e.data for e in events) + closing


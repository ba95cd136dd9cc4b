"""iCalendar output (RFC 5545): VTIMEZONEs, session VEVENTs and whole calendars.

The one place that writes calendar data, always through the icalendar
library's serialiser (CRLF line endings, lines folded at 75 octets). Feeds,
single-event downloads and the notification centre's iTIP invitations
(METHOD:REQUEST / CANCEL with the same UIDs) all build on these functions.

Output depends only on the data: DTSTAMP and LAST-MODIFIED are the time of the
last change, and VTIMEZONEs cover whole calendar years, so unchanged data gives
byte-identical bytes. UTC is turned into a zone's wall-clock time by
learning.timezones.to_local, as everywhere else in the app.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from flask import current_app, has_request_context, request
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration

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

@dataclass(frozen=True)
class EventBytes:
    """One serialised VEVENT with what the calendar needs to know of it (its zone and times)."""
    data: bytes
    zone: str
    starts_at: datetime
    ends_at: datetime


def base_url():
    if has_request_context():
        return request.host_url
    return current_app.config.get("BASE_URL", "http://localhost:5000/")


# Text properties are written through these two (defence in depth: the model fields
# already keep control characters out). icalendar escapes LF in TEXT values
# (RFC 5545 3.3.11) but refuses it in NAME / X-WR-CALNAME and in URI values, and
# passes other control characters through, which RFC 5545 3.1 forbids in any
# content line (CONTROL excludes all but HTAB).
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


def session_vevent(session, status_override=None, sequence_bump=0, description_extra="", stamp=None):
    """The VEVENT of one session occurrence (an icalendar Event).

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
    changed = stamp or session.changed_at
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", aware_utc(changed))
    event.add("last-modified", aware_utc(changed))
    event.add("sequence", session.sequence + sequence_bump)
    event.add("summary", (CANCELLED_PREFIX if cancelled else "") + one_line(series.title))
    event.add("dtstart", to_local(session.starts_at, session.timezone))
    event.add("dtend", to_local(session.ends_at, session.timezone))
    event.add("status", "CANCELLED" if cancelled else (status_override or "CONFIRMED"))
    event.add("description", _prose(_session_description(session, description_extra, page_url, video_url)))
    if location:
        event.add("location", one_line(location))
    event.add("url", page_url)
    if video_url:
        event.add("conference", one_line(video_url), parameters={"value": "URI", "feature": "VIDEO"})
    event.add("categories", [_kind_label(series.kind)])
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def event_bytes(event):
    """An Event as EventBytes (for calendar_bytes)."""
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    zone = getattr(start.tzinfo, "key", None) or "UTC"
    return EventBytes(event.to_ical(), zone, start.astimezone(timezone.utc).replace(tzinfo=None),
                      end.astimezone(timezone.utc).replace(tzinfo=None))


def checkin_uid(checkin):
    return getattr(checkin, "uid", None) or f"checkin-{checkin.id}@support-development"


def checkin_vevent(checkin, title=None):
    """The VEVENT of a coaching check-in: its title and time only, never its notes."""
    cancelled = checkin.status == "cancelled"
    page_url = f"{base_url().rstrip('/')}/checkins/{checkin.id}"
    event = Event()
    event.add("uid", checkin_uid(checkin))
    event.add("dtstamp", aware_utc(checkin.changed_at))
    event.add("last-modified", aware_utc(checkin.changed_at))
    event.add("sequence", checkin.sequence)
    event.add("summary", (CANCELLED_PREFIX if cancelled else "") + (one_line(title) or "Coaching check-in"))
    event.add("dtstart", to_local(checkin.starts_at, checkin.timezone))
    event.add("dtend", to_local(checkin.ends_at, checkin.timezone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("description", f"Details: {page_url}")
    event.add("url", page_url)
    event.add("class", "PRIVATE")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


# --- calendars ----------------------------------------------------------------

def calendar_bytes(vevents, name, method="PUBLISH", description=None, refresh=REFRESH):
    """A whole VCALENDAR: header, one VTIMEZONE per zone used, then the events.

    `vevents` are icalendar Events or EventBytes (already serialised); they keep
    their order. Serialisation is icalendar's throughout:
    each part is its `to_ical()`, joined at component boundaries.
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


"""Sessions, series and places as the API shows them, with their OpenAPI schemas. Times are
ISO 8601 in UTC with `Z`; each session names its series' time zone. A list is described in
the same fixed number of queries as the pages' (schedule.listing.describe_sessions)."""
from flask import url_for

from learning.api.openapi import component
from learning.schedule import service
from learning.schedule.listing import describe_sessions
from learning.schedule.models import KINDS
from learning.schedule.recurrence import PATTERNS


def utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _people(users):
    return [{"id": u.id, "name": u.display_name} for u in users]


def _competencies(competencies):
    return [{"id": c.id, "name": c.name} for c in competencies]


def place_item(place, position=None):
    if place is None or place.status not in service.HOLDING:
        return None
    return {"status": place.status, "waitlist_position": position if place.status == "waitlisted" else None}


def session_items(sessions, user):
    """JSON of sessions (their series joined) as `user` sees them, in a fixed number of queries."""
    return [{
        "id": line.session.id,
        "url": url_for("api_sessions.session", session_id=line.session.id, _external=True),
        "page": url_for("schedule.session", session_id=line.session.id, _external=True),
        "series": {"id": line.session.series.id, "title": line.session.series.title,
                   "kind": line.session.series.kind},
        "starts_at": utc(line.session.starts_at), "ends_at": utc(line.session.ends_at),
        "timezone": line.session.timezone, "status": line.session.status,
        "location": line.session.location, "video_url": line.session.video_url,
        "capacity": line.session.capacity, "going": line.going, "seats_left": line.seats_left,
        "rsvp_closed": line.session.rsvp_closed,
        "facilitators": _people(line.facilitators), "competencies": _competencies(line.competencies),
        "my_place": place_item(line.place, line.position),
    } for line in describe_sessions(sessions, user)]


_PERSON = {"type": "object", "required": ["id", "name"],
           "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
_TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601 with `Z`."}
PLACE = component("Place", {
    "type": ["object", "null"], "required": ["status", "waitlist_position"],
    "description": "The caller's place: going or waitlisted (null: none).",
    "properties": {"status": {"enum": list(service.HOLDING)},
                   "waitlist_position": {"type": ["integer", "null"], "description": "1 is next in line."}}})
SESSION = component("Session", {
    "type": "object",
    "required": ["id", "url", "page", "series", "starts_at", "ends_at", "timezone", "status", "capacity",
                 "going", "seats_left", "facilitators", "competencies", "my_place"],
    "properties": {
        "id": {"type": "integer"}, "url": {"type": "string"}, "page": {"type": "string"},
        "series": {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                                    "kind": {"enum": list(KINDS)}}},
        "starts_at": _TIME, "ends_at": _TIME,
        "timezone": {"type": "string", "description": "The series' IANA time zone, e.g. Europe/Berlin."},
        "status": {"enum": ["scheduled", "cancelled"]},
        "location": {"type": "string"}, "video_url": {"type": "string"},
        "capacity": {"type": ["integer", "null"], "description": "null: no limit."},
        "going": {"type": "integer"}, "seats_left": {"type": ["integer", "null"]},
        "rsvp_closed": {"type": "boolean"},
        "facilitators": {"type": "array", "items": _PERSON},
        "competencies": {"type": "array", "items": _PERSON},
        "my_place": PLACE,
    }})


def series_items(series_rows):
    """JSON of series (their team joined when they have one), in three queries whatever their number."""
    ids = [s.id for s in series_rows]
    facilitators, competencies = service.facilitators_of(ids), service.competencies_of(ids)
    return [{
        "id": s.id,
        "url": url_for("api_series.one_series", series_id=s.id, _external=True),
        "page": url_for("schedule.series", series_id=s.id, _external=True),
        "kind": s.kind, "title": s.title, "description": s.description, "location": s.location,
        "video_url": s.video_url, "capacity": s.capacity, "duration_minutes": s.duration_minutes,
        "timezone": s.timezone, "first_start_local": s.first_start_local.strftime("%Y-%m-%dT%H:%M"),
        "rrule": s.rrule or None,
        "team": {"id": s.team.id, "name": s.team.name} if s.team_id else None,
        "facilitators": _people(facilitators[s.id]), "competencies": _competencies(competencies[s.id]),
    } for s in series_rows]


SERIES = component("Series", {
    "type": "object",
    "required": ["id", "url", "page", "kind", "title", "capacity", "duration_minutes", "timezone",
                 "first_start_local", "rrule", "team", "facilitators", "competencies"],
    "properties": {
        "id": {"type": "integer"}, "url": {"type": "string"}, "page": {"type": "string"},
        "kind": {"enum": list(KINDS)}, "title": {"type": "string"}, "description": {"type": "string"},
        "location": {"type": "string"}, "video_url": {"type": "string"},
        "capacity": {"type": ["integer", "null"]}, "duration_minutes": {"type": "integer"},
        "timezone": {"type": "string"},
        "first_start_local": {"type": "string", "description": "Wall-clock time in the series' zone, YYYY-MM-DDTHH:MM."},
        "rrule": {"type": ["string", "null"], "description": "RFC 5545 RRULE; null for a one-off."},
        "team": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "facilitators": {"type": "array", "items": _PERSON},
        "competencies": {"type": "array", "items": _PERSON},
    }})
_WALL_CLOCK = "Wall-clock, in the series' `timezone`."
SERIES_BODY = component("SeriesBody", {
    "type": "object", "description": "The fields of the series form on /series/new, with the same rules. "
                                     "A PATCH sends only what changes (the series from its next session on).",
    "properties": {
        "kind": {"enum": list(KINDS)}, "title": {"type": "string", "maxLength": 200},
        "description": {"type": "string", "description": "Markdown."},
        "competency_ids": {"type": "array", "items": {"type": "integer"}},
        "facilitator_ids": {"type": "array", "items": {"type": "integer"}},
        "team_id": {"type": "integer", "description": "0: programme-wide; else a team the caller plans for."},
        "location": {"type": "string"}, "video_url": {"type": "string"},
        "capacity": {"type": ["integer", "null"], "description": "1 to 10000; null: no limit."},
        "timezone": {"type": "string", "description": "IANA zone, e.g. Europe/Berlin (default: the caller's)."},
        "start_date": {"type": "string", "format": "date", "description": _WALL_CLOCK},
        "start_time": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$", "description": _WALL_CLOCK},
        "end_time": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$", "description": _WALL_CLOCK},
        "pattern": {"enum": list(PATTERNS)},
        "interval": {"type": "integer"}, "ends": {"enum": ["until", "count", "never"]},
        "until": {"type": "string", "format": "date"}, "count": {"type": "integer"},
        "confirm": {"type": "boolean", "description": "Go ahead with a change that takes places away (after a 409)."},
        "from_session": {"type": "integer", "description": "PATCH: change from this session of the series on "
                                                           "(default: its next one)."},
    }})
SESSION_BODY = component("SessionBody", {
    "type": "object", "description": "One occurrence: the session edit form's fields, and its status.",
    "properties": {
        "start_date": {"type": "string", "format": "date", "description": _WALL_CLOCK},
        "start_time": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
        "end_time": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
        "location": {"type": "string"}, "video_url": {"type": "string"},
        "facilitator_id": {"type": "integer", "description": "0: the series' facilitators."},
        "status": {"enum": ["scheduled", "cancelled"], "description": "cancelled cancels it (people holding "
                                                                        "places are told); scheduled restores it."},
        "confirm": {"type": "boolean", "description": "Cancel although people hold places (after a 409)."},
    }})

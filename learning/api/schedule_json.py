"""Sessions, series and places as the API shows them, with their OpenAPI schemas. Times are
ISO 8601 in UTC with `Z`; each session names its series' time zone. A list is described in
the same fixed number of queries as the pages' (schedule.listing.describe_sessions)."""
from flask import url_for

from learning.api.openapi import component
from learning.schedule import service
from learning.schedule.listing import describe_sessions
from learning.schedule.models import KINDS


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

"""The events a webhook may subscribe to, what each payload holds, and queuing them.

A payload is `{"id", "event", "occurred_at", "data"}`: ids, titles, times (UTC, ISO 8601 with
Z) and links, only what an integration needs. A case's text is sent only as stored, which is
its redacted form; an anonymous case names no author. Queuing writes one INSERT for every
active endpoint subscribed, inside the caller's transaction: a roll-back sends nothing.
"""
import json
import uuid

from learning.db import utcnow
from learning.notify.mail import absolute_url
from learning.webhooks.models import Delivery, Endpoint

EVENTS = {
    "session.created": "Sessions created (a new series or one-off)",
    "session.changed": "A session moved, edited or restored",
    "session.cancelled": "A session cancelled",
    "case.submitted": "A case submitted for review",
    "plan.acknowledged": "A development plan acknowledged by its employee",
    "person.imported": "People added (by the people import or by hand)",
}
TEST_EVENT = "ping"
PEOPLE_PER_PAYLOAD = 500


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def payload(event, data):
    return json.dumps({"id": f"evt_{uuid.uuid4().hex}", "event": event, "occurred_at": iso(utcnow()),
                       "data": data}, separators=(",", ":"), ensure_ascii=False)


def queue(event, data, endpoints=None):
    """Queue `event` for `endpoints`, or for every active webhook subscribed to it; returns how many.
    `data()` builds the payload's data, only when some endpoint wants it."""
    if endpoints is None:
        endpoints = [e for e in Endpoint.select().where(Endpoint.kind == "webhook", Endpoint.active == True)  # noqa: E712
                     if event in e.event_names]
    if not endpoints:
        return 0
    body = payload(event, data())
    Delivery.insert_many([{"endpoint": e.id, "event": event, "payload": body, "created_at": utcnow(),
                           "due_at": utcnow()} for e in endpoints]).execute()
    return len(endpoints)


def session_data(session, series):
    return {"id": session.id, "series_id": series.id, "title": series.title, "kind": series.kind,
            "team_id": series.team_id, "starts_at": iso(session.starts_at), "ends_at": iso(session.ends_at),
            "timezone": session.timezone, "status": session.status, "location": session.location,
            "video_url": session.video_url, "url": absolute_url(f"/sessions/{session.id}")}


def series_data(series, sessions):
    return {"series_id": series.id, "title": series.title, "kind": series.kind, "team_id": series.team_id,
            "timezone": series.timezone, "repeats": bool(series.rrule), "sessions": sessions,
            "url": absolute_url(f"/series/{series.id}")}


def case_data(case):
    return {"id": case.id, "title": case.title, "channel": case.channel, "team_id": case.team_id,
            "author_id": None if case.anonymous else case.author_id, "submitted_at": iso(case.submitted_at),
            "customer_need": case.customer_need, "ask": case.ask, "url": absolute_url(f"/cases/{case.id}")}


def plan_data(plan):
    return {"id": plan.id, "title": plan.title, "employee_id": plan.employee_id, "coach_id": plan.coach_id,
            "acknowledged_at": iso(plan.acknowledged_at), "url": absolute_url(f"/plans/{plan.id}")}


def person_data(user):
    return {"id": user.id, "name": user.display_name, "email": user.email, "employee_id": user.employee_id,
            "team_id": user.team_id, "role": user.role}

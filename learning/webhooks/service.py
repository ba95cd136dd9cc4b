"""Admins' webhooks: adding, editing, switching off and deleting endpoints, the test event,
the delivery log and "retry now". Only admins reach these (the routes say so); the rules that
hold whoever calls (an https address, known events) live here."""
from urllib.parse import urlsplit

import peewee as pw
from flask import current_app

from learning.audit.service import record
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.webhooks import events
from learning.webhooks.models import Delivery, Endpoint
from learning.webhooks.signing import new_secret

LOCAL_HOSTS = ("localhost", "127.0.0.1")


def checked_url(url, field="url"):
    """The address stripped, or Refused: https only (plain http to this machine when
    WEBHOOKS_ALLOW_HTTP_LOCALHOST is set, for trials and tests)."""
    url = (url or "").strip()
    if not url:
        raise Refused("Enter the receiver's address.", field)
    if len(url) > 500:
        raise Refused("Keep the address under 500 characters.", field)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise Refused("This is not a web address.", field) from None
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS and current_app.config[
        "WEBHOOKS_ALLOW_HTTP_LOCALHOST"]
    if not parts.hostname or not (parts.scheme == "https" or local):
        raise Refused("Use an https:// address.", field)
    return url


def checked_events(names):
    names = [name for name in names or () if name]
    unknown = [name for name in names if name not in events.EVENTS]
    if unknown or not names:
        raise Refused("Choose at least one of the listed events.", "events")
    return " ".join(name for name in events.EVENTS if name in names)


@db.atomic()
def save_endpoint(admin, endpoint, url, event_names, active=True):
    """Add (endpoint None: a new secret is made) or change a webhook; returns it."""
    url, names = checked_url(url), checked_events(event_names)
    action = "webhook.changed" if endpoint else "webhook.added"
    if endpoint is None:
        endpoint = Endpoint(kind="webhook", secret=new_secret(), created_by=admin)
    endpoint.url, endpoint.events, endpoint.active = url, names, bool(active)
    endpoint.save()
    record(admin, action, endpoint, f"{url}: {names}" + ("" if active else " (off)"))
    return endpoint


@db.atomic()
def new_secret_for(admin, endpoint):
    """A fresh secret; bodies already queued are signed with it when sent."""
    endpoint.secret = new_secret()
    endpoint.save()
    record(admin, "webhook.secret-renewed", endpoint)
    return endpoint


@db.atomic()
def delete_endpoint(admin, endpoint):
    """Gone with its delivery log (switch it off instead to keep the log)."""
    record(admin, "webhook.deleted", endpoint, endpoint.url)
    Delivery.delete().where(Delivery.endpoint == endpoint).execute()
    endpoint.delete_instance()


@db.atomic()
def send_test(endpoint):
    """A `ping` for this endpoint only, whatever it subscribes to."""
    if not endpoint.active:
        raise Refused("Switch the endpoint on first: nothing is sent to one switched off.")
    events.queue(events.TEST_EVENT, lambda: {"endpoint_id": endpoint.id,
                                              "message": "A test from the Support Development System."}, [endpoint])
    return endpoint


@db.atomic()
def retry_now(delivery):
    """Make a delivery not yet made due at once: the worker's next round tries it."""
    if delivery.delivered_at is not None:
        raise Refused("This one was delivered: there is nothing to retry.")
    (Delivery.update(due_at=utcnow()).where(Delivery.id == delivery.id, Delivery.delivered_at.is_null())
     .execute())
    return delivery


def webhooks():
    return Endpoint.select().where(Endpoint.kind == "webhook").order_by(Endpoint.id)


def deliveries_of(endpoint):
    """The endpoint's log, newest first."""
    return Delivery.select().where(Delivery.endpoint == endpoint).order_by(Delivery.id.desc())


def last_deliveries(endpoint_ids):
    """{endpoint id: its newest Delivery} in one query, for a page of endpoints."""
    newest = (Delivery.select(pw.fn.MAX(Delivery.id)).where(Delivery.endpoint.in_(list(endpoint_ids)))
              .group_by(Delivery.endpoint))
    return {d.endpoint_id: d for d in Delivery.select().where(Delivery.id.in_(newest))} if endpoint_ids else {}

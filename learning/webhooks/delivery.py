"""Posting what is owed: the mail worker's loop (`flask send-mail`) calls `deliver_due` each
round, after the mail. Rows are claimed, retried with backoff and marked done by the outbox's
own lease rule (notify/leases.py); a delivery for an endpoint switched off waits until it is
switched on again. HTTP is the standard library with a short timeout and no redirects (a
receiver that moved must be edited, not followed); 2xx is delivered, anything else a failure
kept with its status code and the first 2 KB of the answer."""
import logging
import time
import urllib.error
import urllib.request

from flask import current_app

from learning.db import utcnow
from learning.notify.leases import Leases, worker_name
from learning.webhooks.models import Delivery, Endpoint
from learning.webhooks.signing import signature_header

log = logging.getLogger("learning.webhooks")

DELIVERIES = Leases(Delivery, Delivery.delivered_at)
ANSWER_KEPT = 2000   # characters of the receiver's answer kept in the log
USER_AGENT = "SupportDevelopment-Webhooks/1"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def headers_for(delivery, body):
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if delivery.endpoint.kind == "webhook":
        headers.update({"X-Learning-Event": delivery.event, "X-Learning-Delivery": str(delivery.id),
                        "X-Learning-Signature": signature_header(delivery.endpoint.secret, int(time.time()), body)})
    return headers


def post(delivery):
    """POST the delivery; returns (status code, answer text). Raises on a refusal, timeout or network fault."""
    body = delivery.payload.encode()
    request = urllib.request.Request(delivery.endpoint.url, data=body, method="POST",
                                     headers=headers_for(delivery, body))
    with OPENER.open(request, timeout=current_app.config["WEBHOOKS_TIMEOUT_SECONDS"]) as answer:
        return answer.status, answer.read(ANSWER_KEPT * 2).decode("utf-8", "replace")[:ANSWER_KEPT]


def attempt(delivery, worker, now):
    """One try; True when delivered."""
    try:
        code, answer = post(delivery)
    except urllib.error.HTTPError as refusal:
        answer = refusal.read(ANSWER_KEPT * 2).decode("utf-8", "replace")[:ANSWER_KEPT]
        failed(delivery, worker, f"HTTP {refusal.code}", now, refusal.code, answer)
        return False
    except Exception as error:  # timeout, refused connection, TLS: retry later
        failed(delivery, worker, error, now, None, "")
        return False
    DELIVERIES.finish(delivery.id, worker, status="delivered", last_status_code=code, last_response=answer,
                      last_error="")
    return True


def failed(delivery, worker, error, now, code, answer):
    attempts = DELIVERIES.fail(delivery, worker, error, now, status="failed", last_status_code=code,
                               last_response=answer)
    log.warning("Delivery %s of %s to %s failed (attempt %s): %s", delivery.id, delivery.event,
                delivery.endpoint.url, attempts, error)


def deliver_due(now=None, worker=None, limit=100):
    """Post what is due now; returns how many were delivered. Safe to run in parallel."""
    now = now or utcnow()
    worker = worker or worker_name()
    switched_on = Endpoint.select(Endpoint.id).where(Endpoint.active == True)  # noqa: E712
    delivered = 0
    for delivery_id in DELIVERIES.due_ids(now, limit, Delivery.endpoint.in_(switched_on)):
        if not DELIVERIES.claim(delivery_id, worker, now):
            continue
        delivery = Delivery.select(Delivery, Endpoint).join(Endpoint).where(Delivery.id == delivery_id).get()
        delivered += attempt(delivery, worker, now)
    return delivered

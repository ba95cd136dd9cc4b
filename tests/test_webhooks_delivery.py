"""Webhooks: each event queued once per endpoint subscribed, in the change's transaction;
delivered signed by the mail worker's loop to a local receiver that checks the signature;
retried with backoff on an error answer and on a timeout."""
import json
from datetime import timedelta

import pytest

from learning.accounts import service as accounts
from learning.coaching.service import acknowledge_plan
from learning.db import db, utcnow
from learning.notify.cli import run_once
from learning.schedule import editing
from learning.schedule import service as schedule
from learning.webhooks import delivery, service
from learning.webhooks.models import Delivery
from learning.webhooks.signing import signature_header, verify
from tests.fixtures_schedule import next_weekday_at


def deliver(app, now=None):
    with app.app_context():
        return delivery.deliver_due(now=now)


def queue_ping(app, endpoint):
    with app.app_context():
        service.send_test(endpoint)
    return endpoint


def test_a_test_event_arrives_signed_and_the_receiver_verifies_it(app, make_endpoint, receiver):
    endpoint = queue_ping(app, make_endpoint(events=["case.submitted"]))
    assert deliver(app) == 1
    [request] = receiver.requests
    row = Delivery.get()
    assert request["verified"] is True
    assert request["headers"]["X-Learning-Event"] == "ping"
    assert request["headers"]["X-Learning-Delivery"] == str(row.id)
    assert request["headers"]["Content-Type"] == "application/json"
    body = request["json"]
    assert body["event"] == "ping" and body["id"].startswith("evt_") and body["occurred_at"].endswith("Z")
    assert body["data"]["endpoint_id"] == endpoint.id
    assert (row.status, row.last_status_code, row.last_response, row.attempts) == ("delivered", 200, "ok", 0)
    assert row.delivered_at is not None
    assert deliver(app) == 0 and len(receiver.requests) == 1          # delivered once, never again


def test_the_signature_fails_for_another_secret_a_changed_body_or_an_old_time():
    body = b'{"event":"ping"}'
    header = signature_header("whsec_right", 1_700_000_000, body)
    assert verify("whsec_right", header, body, 1_700_000_100)
    assert not verify("whsec_wrong", header, body, 1_700_000_100)
    assert not verify("whsec_right", header, body + b" ", 1_700_000_100)
    assert not verify("whsec_right", header, body, 1_700_000_000 + 301)   # replayed later
    assert not verify("whsec_right", "t=abc,v1=00", body, 1_700_000_000)
    assert not verify("whsec_right", "", body, 1_700_000_000)


def test_an_error_answer_is_retried_with_growing_backoff_and_its_answer_kept(app, make_endpoint, receiver):
    app.config.update(MAIL_RETRY_BASE_SECONDS=60)
    receiver.answers = [(500, "database down"), (503, "still down"), (204, "")]
    queue_ping(app, make_endpoint())
    now = utcnow()
    assert deliver(app, now) == 0
    first = Delivery.get()
    assert (first.status, first.attempts, first.last_status_code, first.last_response) == ("failed", 1, 500, "database down")
    assert first.due_at == now + timedelta(seconds=60) and first.delivered_at is None
    assert deliver(app, now + timedelta(seconds=30)) == 0 and len(receiver.requests) == 1   # not due yet
    assert deliver(app, now + timedelta(seconds=61)) == 0
    second = Delivery.get()
    assert (second.attempts, second.last_status_code, second.due_at) == (2, 503, now + timedelta(seconds=61 + 120))
    assert deliver(app, now + timedelta(seconds=200)) == 1
    done = Delivery.get()
    assert (done.status, done.last_status_code, done.last_error) == ("delivered", 204, "")
    assert [r["headers"]["X-Learning-Delivery"] for r in receiver.requests] == [str(done.id)] * 3   # one id: idempotent
    assert all(r["verified"] for r in receiver.requests)


def test_a_receiver_that_does_not_answer_in_time_is_retried(app, make_endpoint, receiver):
    app.config.update(WEBHOOKS_TIMEOUT_SECONDS=0.2, MAIL_RETRY_BASE_SECONDS=60)
    receiver.delay = 1
    queue_ping(app, make_endpoint())
    now = utcnow()
    assert deliver(app, now) == 0
    row = Delivery.get()
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 1, None)
    assert "timed out" in row.last_error
    receiver.delay = 0
    assert deliver(app, now + timedelta(seconds=61)) == 1
    assert Delivery.get().status == "delivered"


def test_a_redirect_is_a_failure_not_followed(app, make_endpoint, receiver):
    receiver.answers = [(302, "moved")]
    queue_ping(app, make_endpoint())
    assert deliver(app) == 0
    assert Delivery.get().last_status_code == 302 and len(receiver.requests) == 1


def test_an_answer_with_control_characters_is_kept_without_them(app, make_endpoint, receiver):
    receiver.answers = [(500, "bad\x00gateway\x1b[31m\nline two")]
    queue_ping(app, make_endpoint())
    assert deliver(app) == 0
    assert Delivery.get().last_response == "badgateway[31m\nline two"


def fire_every_event(app, people, plan, make_case):
    """Each kind of event once, through the services people use."""
    with app.test_request_context():
        series = schedule.create_series(people["admin"], "skill", "Own the issue", "Europe/Berlin",
                                        next_weekday_at(10), 60, team=people["team_a"])
        session = series.sessions.get()
        editing.edit_session(session, next_weekday_at(11), 60)
        editing.cancel_session(session, confirm=True)
        make_case(people["agent"])
        acknowledge_plan(people["agent"], plan, "Read it")
        accounts.add_person(people["admin"], "new.starter@example.org", "New Starter", team=people["team_a"])


def test_each_event_is_queued_once_per_endpoint_subscribed_and_not_for_others(
        app, people, plan, make_case, make_endpoint):
    everything = make_endpoint()
    cases_only = make_endpoint(events=["case.submitted"])
    switched_off = make_endpoint(active=False)
    fire_every_event(app, people, plan, make_case)
    by_endpoint = {}
    for row in Delivery.select().order_by(Delivery.id):
        by_endpoint.setdefault(row.endpoint_id, []).append(row.event)
    assert sorted(by_endpoint[everything.id]) == sorted(["session.created", "session.changed", "session.cancelled",
                                                         "case.submitted", "plan.acknowledged", "person.imported"])
    assert by_endpoint[cases_only.id] == ["case.submitted"]
    assert switched_off.id not in by_endpoint


def test_payloads_carry_ids_times_and_links_and_a_case_only_redacted(app, people, plan, make_case, make_endpoint):
    endpoint = make_endpoint()
    fire_every_event(app, people, plan, make_case)
    with app.test_request_context():
        make_case(people["other_agent"], anonymous=True, customer_need="Call me on 0151 2345678 about my bill.")
    data = {row.event: json.loads(row.payload)["data"] for row in Delivery.select().where(Delivery.endpoint == endpoint)
            .order_by(Delivery.id)}
    assert data["session.created"]["sessions"] == 1 and data["session.created"]["team_id"] == people["team_a"].id
    assert data["session.cancelled"]["status"] == "cancelled" and data["session.cancelled"]["url"].endswith(
        f"/sessions/{data['session.cancelled']['id']}")
    assert data["session.changed"]["change"] == "moved" and data["session.changed"]["starts_at"].endswith("Z")
    assert data["plan.acknowledged"] == {**data["plan.acknowledged"], "id": plan.id, "employee_id": people["agent"].id}
    assert [p["email"] for p in data["person.imported"]["people"]] == ["new.starter@example.org"]
    case = data["case.submitted"]       # the last one: anonymous, with a phone number in its text
    assert case["author_id"] is None
    assert "2345678" not in case["customer_need"] and "bill" in case["customer_need"]


def test_an_event_in_a_rolled_back_change_queues_nothing(app, people, make_case, make_endpoint):
    make_endpoint()
    with app.test_request_context(), pytest.raises(RuntimeError):
        with db.atomic():
            make_case(people["agent"])
            assert Delivery.select().count() == 1
            raise RuntimeError("the change failed after the case was submitted")
    assert Delivery.select().count() == 0


def test_the_mail_worker_round_delivers_webhooks_too(app, make_endpoint, receiver):
    queue_ping(app, make_endpoint())
    with app.app_context():
        run_once()
    db.connect(reuse_if_open=True)
    assert receiver.events() == ["ping"] and Delivery.get().status == "delivered"


def test_a_switched_off_endpoint_keeps_its_queue_until_switched_on(app, people, make_endpoint, receiver):
    endpoint = queue_ping(app, make_endpoint())
    with app.app_context():
        service.save_endpoint(people["admin"], endpoint, endpoint.url, endpoint.event_names, active=False)
    assert deliver(app) == 0 and receiver.requests == []
    with app.app_context():
        service.save_endpoint(people["admin"], endpoint, endpoint.url, endpoint.event_names, active=True)
    assert deliver(app) == 1

"""Webhooks fixtures: a local HTTP receiver that checks the signature, endpoint factories and
the route-by-role declarations for tests/test_trust_routes.py. No test reaches the network."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from learning.webhooks.signing import verify


class Receiver:
    """Records every POST; answers each with the next of `answers` (status, body), the last one
    repeating, or sleeps `delay` seconds first (for timeouts). `secret`: check signatures with it."""

    def __init__(self):
        self.requests, self.answers, self.delay, self.secret = [], [(200, "ok")], 0, None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        # a short poll: shutdown() waits for the loop's next one (0.5 s by default)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                signed = self.headers.get("X-Learning-Signature", "")
                receiver.requests.append({
                    "headers": dict(self.headers), "body": body, "json": json.loads(body),
                    "verified": bool(receiver.secret) and verify(receiver.secret, signed, body, int(time.time()))})
                time.sleep(receiver.delay)
                status, text = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args):
                pass
        return Handler

    def events(self):
        return [r["json"]["event"] for r in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def make_endpoint(app, people, receiver):
    """An active webhook to the receiver for `events` (all by default); the receiver learns its secret."""
    from learning.webhooks import service
    from learning.webhooks.events import EVENTS

    def factory(events=tuple(EVENTS), url=None, active=True):
        with app.app_context():
            endpoint = service.save_endpoint(people["admin"], None, url or receiver.url, list(events), active)
        receiver.secret = endpoint.secret
        return endpoint
    return factory


def trust_endpoint(world):
    """An admin's webhook with one failed delivery (made again if a route deleted it)."""
    from learning.webhooks.models import Delivery, Endpoint
    from learning.webhooks.signing import new_secret

    endpoint = Endpoint.get_or_none(Endpoint.id == world.get("endpoint_id", 0))
    if endpoint is None:
        endpoint = Endpoint.create(kind="webhook", url="https://hooks.example.com/in", secret=new_secret(),
                                   events="case.submitted", created_by=world["admin"])
        world["endpoint_id"] = endpoint.id
        world["delivery"] = Delivery.create(endpoint=endpoint, event="ping", payload="{}", status="failed",
                                            attempts=1, last_status_code=500)
    return endpoint


def pytest_collection_finish(session):
    """Declare once the test modules are imported (importing them earlier defeats assertion rewriting)."""
    from tests import test_trust_routes as trust

    trust.OBJECT_FACTORIES.setdefault("endpoint_id", lambda world: trust_endpoint(world).id)
    trust.OBJECT_FACTORIES.setdefault("delivery_id", lambda world: (trust_endpoint(world), world["delivery"])[1].id)
    trust.VISIBLE_TO.update({f"webhooks.{name}": {"admin"} for name in (
        "endpoint", "send_test", "new_secret", "delete", "retry")})
    trust.VISIBLE_TO["webhooks.team_chat"] = {"coach_same", "admin"}

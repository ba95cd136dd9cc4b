"""Notification fixtures: a real SMTP server on 127.0.0.1 (aiosmtpd) that keeps
what it receives, an app configured to send through it, and a session factory."""
import email
import socket
from datetime import datetime, timedelta
from email import policy

import pytest


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


class RefusingInbox(Inbox):
    """Answers every mail with a temporary failure while `refusing` is set."""
    refusing = True

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 Try again later"
        return await super().handle_DATA(server, session, envelope)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(handler):
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller


@pytest.fixture
def smtp_server():
    """A real SMTP server; yields (inbox, port)."""
    inbox = Inbox()
    controller = _serve(inbox)
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def refusing_smtp_server():
    inbox = RefusingInbox()
    controller = _serve(inbox)
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    """The app sending through the test SMTP server; yields its inbox."""
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        yield inbox


@pytest.fixture
def notify_session(app, people):
    """A scheduled session (its own one-off series) starting `hours` from now."""
    from learning.db import utcnow
    from learning.schedule.models import Series, Session

    counter = iter(range(1, 10000))

    def factory(hours=48, capacity=None, title=None):
        n = next(counter)
        start = utcnow().replace(second=0) + timedelta(hours=hours)
        series = Series.create(kind="skill", title=title or f"Listening fully {n}", duration_minutes=60,
                               timezone="Europe/Berlin", first_start_local=datetime(2026, 1, 1, 9),
                               capacity=capacity, created_by=people["coach_a"], location="Room 2")
        return Session.create(series=series, uid=f"session-{n}-{start:%Y%m%d%H%M}@test", recurrence_local=start,
                              starts_at=start, ends_at=start + timedelta(hours=1), timezone="Europe/Berlin",
                              capacity=capacity, facilitator=people["coach_a"], location="Room 2")
    return factory


def calendar_of(message):
    """The parsed text/calendar part of a mail (icalendar), and its method parameter."""
    from icalendar import Calendar

    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_content()), part.get_param("method")
    return None, None

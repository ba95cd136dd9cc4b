"""The mail outbox: queued in the change's transaction, sent by the worker
through real SMTP, retried with backoff, never sent twice once marked sent."""
import threading
from datetime import timedelta

import pytest

from learning.db import db, utcnow
from learning.notify import outbox
from learning.notify.models import Notification, OutboxMessage
from learning.notify.service import notify


def test_a_notice_by_email_arrives_as_a_multipart_mail_with_text_and_html(mail_app, people):
    agent = people["agent"]
    notify([agent.id], "coaching", "Coach A answered your support request.", "/coaching")
    assert outbox.send_due() == 1
    [mail] = mail_app.to(agent.email)
    assert mail["Subject"] == "Coach A answered your support request."
    assert mail.get_content_type() == "multipart/alternative"
    assert "Coach A answered" in mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert 'href="http://localhost:5000/coaching"' in html
    assert mail["List-Unsubscribe"].startswith("<http://localhost:5000/notifications/unsubscribe/")
    assert OutboxMessage.get().sent_at is not None


def test_a_change_that_rolls_back_sends_nothing(mail_app, people):
    with pytest.raises(RuntimeError):
        with db.atomic():
            notify([people["agent"].id], "coaching", "Your plan is ready.", "/coaching")
            raise RuntimeError("the change failed after the notice was queued")
    assert OutboxMessage.select().count() == 0
    assert Notification.select().count() == 0
    assert outbox.send_due() == 0
    assert mail_app.messages == []


def test_without_a_mail_server_mail_is_logged_and_marked_sent(app, people, caplog):
    with app.app_context():
        assert not app.config["MAIL_SERVER"]
        notify([people["agent"].id], "coaching", "Your plan is ready.", "/coaching")
        with caplog.at_level("INFO", logger="learning.notify.mail"):
            assert outbox.send_due() == 1
        assert "Your plan is ready." in caplog.text
        assert "/notifications/unsubscribe/[token]" in caplog.text     # secrets stay out of logs
        assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 0


def test_a_refused_mail_is_retried_with_growing_backoff_and_never_lost(app, people, refusing_smtp_server):
    inbox, port = refusing_smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_BASE_SECONDS=60)
    with app.app_context():
        notify([people["agent"].id], "coaching", "Your plan is ready.", "/coaching")
        now = utcnow()
        assert outbox.send_due(now=now) == 0
        first = OutboxMessage.get()
        assert (first.attempts, first.due_at) == (1, now + timedelta(seconds=60))
        assert "451" in first.last_error
        assert outbox.send_due(now=now + timedelta(seconds=30)) == 0   # not due yet: no attempt
        assert OutboxMessage.get().attempts == 1
        assert outbox.send_due(now=now + timedelta(seconds=61)) == 0
        second = OutboxMessage.get()
        assert (second.attempts, second.due_at) == (2, now + timedelta(seconds=61 + 120))
        inbox.refusing = False
        assert outbox.send_due(now=now + timedelta(seconds=200)) == 1
        assert len(inbox.messages) == 1
        assert OutboxMessage.get().sent_at is not None


def test_a_crash_between_sending_and_marking_resends_the_same_message_once_then_never(
        mail_app, people, monkeypatch):
    notify([people["agent"].id], "coaching", "Your plan is ready.", "/coaching")
    now = utcnow()

    def crash(message_id, worker):
        raise SystemExit("worker killed after the SMTP server accepted the mail")
    monkeypatch.setattr(outbox, "mark_sent", crash)
    with pytest.raises(SystemExit):
        outbox.send_due(now=now)
    monkeypatch.undo()
    assert len(mail_app.messages) == 1
    assert outbox.send_due(now=now + timedelta(seconds=10)) == 0      # the dead worker's lease holds
    lease = mail_app_lease()
    assert outbox.send_due(now=now + timedelta(seconds=lease + 1)) == 1  # never lost
    first, second = mail_app.messages
    assert first["Message-ID"] == second["Message-ID"]                 # the receiver can drop the copy
    for later in (2, 3):
        assert outbox.send_due(now=now + timedelta(seconds=lease * later + 1)) == 0
    assert len(mail_app.messages) == 2


def mail_app_lease():
    from flask import current_app
    return current_app.config["MAIL_LEASE_SECONDS"]


def test_two_workers_at_once_send_each_message_exactly_once(app, people, smtp_server):
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        for n in range(12):
            notify([people["agent"].id, people["other_agent"].id], "coaching", f"Notice {n}", "/coaching")
    db.close()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                db.connect(reuse_if_open=True)
                barrier.wait()
                results.append(outbox.send_due())
                db.close()
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.connect(reuse_if_open=True)
    assert errors == []
    assert sum(results) == 24
    ids = [m["Message-ID"] for m in inbox.messages]
    assert len(ids) == 24 and len(set(ids)) == 24
    assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 0


def test_a_message_marked_sent_is_never_claimed_again(mail_app, people):
    notify([people["agent"].id], "coaching", "Your plan is ready.", "/coaching")
    assert outbox.send_due() == 1
    message = OutboxMessage.get()
    assert outbox.MAIL.claim(message.id, "another-worker", utcnow() + timedelta(days=1)) is False
    assert outbox.send_due(now=utcnow() + timedelta(days=1)) == 0
    assert len(mail_app.messages) == 1


def test_send_mail_once_command_sends_what_is_due(app, people, smtp_server):
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        notify([people["agent"].id], "coaching", "Your plan is ready.", "/coaching")
    db.close()
    result = app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 mail." in result.output
    assert len(inbox.messages) == 1
    db.connect(reuse_if_open=True)

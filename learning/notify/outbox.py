"""The mail worker: claims due outbox rows with a lease, sends, marks sent.

A row is claimed by one conditional UPDATE (it succeeds for exactly one worker
on both engines: PostgreSQL re-checks the WHERE on the locked row, SQLite
serialises writers), so two workers never send the same row while its lease
holds. A row marked sent is never picked again. A worker that dies between
sending and marking leaves its lease to expire; the row is then sent again
with the same Message-ID (at least once, never lost; receivers can drop the
duplicate). A failed send is retried with exponential backoff, without limit.
"""
import logging
import os
import socket
import uuid
from datetime import timedelta

from flask import current_app
from peewee import Case

from learning.db import db, utcnow
from learning.notify import mail as mail_module
from learning.notify.account_mail import SECRET_LINK_KINDS
from learning.notify.models import OutboxMessage

log = logging.getLogger("learning.notify.outbox")


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(attempts):
    """Seconds to wait after the n-th failed attempt: base * 2^(n-1), capped."""
    config = current_app.config
    return min(config["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0), config["MAIL_RETRY_MAX_SECONDS"])


def due_ids(now, limit):
    free = OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < now)
    query = (OutboxMessage.select(OutboxMessage.id)
             .where(OutboxMessage.sent_at.is_null(), OutboxMessage.due_at <= now, free)
             .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit))
    return [row.id for row in query]


def claim(message_id, worker, now):
    """Take the row for `worker` until the lease ends; False if another has it or it is sent."""
    lease = now + timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    free = OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < now)
    with db.atomic():
        taken = (OutboxMessage.update(claimed_by=worker, claimed_until=lease)
                 .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_null(), free).execute())
    return taken == 1


def mark_sent(message_id, worker):
    # A sign-in link is a secret: once it is mailed, the outbox keeps no copy of it.
    link = Case(None, [(OutboxMessage.kind.in_(SECRET_LINK_KINDS), "")], OutboxMessage.link)
    with db.atomic():
        return (OutboxMessage.update(sent_at=utcnow(), claimed_until=None, link=link)
                .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
                       OutboxMessage.sent_at.is_null()).execute())


def mark_failed(message, worker, error, now):
    attempts = message.attempts + 1
    with db.atomic():
        (OutboxMessage.update(attempts=attempts, last_error=str(error)[:2000], claimed_until=None,
                              due_at=now + timedelta(seconds=backoff(attempts)))
         .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == worker).execute())
    log.warning("Mail %s to %s failed (attempt %s): %s", message.id, message.to_address, attempts, error)


def send_due(now=None, worker=None, limit=100):
    """Send what is due now; returns how many were sent. Safe to run in parallel."""
    now = now or utcnow()
    worker = worker or worker_name()
    sent = 0
    for message_id in due_ids(now, limit):
        if not claim(message_id, worker, now):
            continue
        message = OutboxMessage.get_by_id(message_id)
        try:
            mail_module.deliver(mail_module.build_message(message))
        except Exception as error:  # any refusal or network fault: retry later
            mark_failed(message, worker, error, now)
            continue
        mark_sent(message_id, worker)
        sent += 1
    return sent

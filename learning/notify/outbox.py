"""The mail worker: claims due outbox rows with a lease, sends, marks sent.

The lease, the retries with backoff and "at least once, never lost" are the shared rule in
leases.py. A worker that dies between sending and marking leaves its lease to expire; the
row is then sent again with the same Message-ID (receivers can drop the duplicate).
"""
import logging

from peewee import Case

from learning.db import utcnow
from learning.notify import mail as mail_module
from learning.notify.account_mail import SECRET_LINK_KINDS
from learning.notify.leases import Leases, worker_name
from learning.notify.models import OutboxMessage

log = logging.getLogger("learning.notify.outbox")

MAIL = Leases(OutboxMessage, OutboxMessage.sent_at)


def mark_sent(message_id, worker):
    # A sign-in link is a secret: once it is mailed, the outbox keeps no copy of it.
    link = Case(None, [(OutboxMessage.kind.in_(SECRET_LINK_KINDS), "")], OutboxMessage.link)
    return MAIL.finish(message_id, worker, link=link)


def mark_failed(message, worker, error, now):
    attempts = MAIL.fail(message, worker, error, now)
    log.warning("Mail %s to %s failed (attempt %s): %s", message.id, message.to_address, attempts, error)


def send_due(now=None, worker=None, limit=100):
    """Send what is due now; returns how many were sent. Safe to run in parallel."""
    now = now or utcnow()
    worker = worker or worker_name()
    sent = 0
    for message_id in MAIL.due_ids(now, limit):
        if not MAIL.claim(message_id, worker, now):
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

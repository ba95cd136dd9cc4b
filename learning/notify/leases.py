"""Rows that workers take with a lease, retry with backoff and mark done: the rule the mail
outbox (outbox.py) and the webhook and chat deliveries (learning/webhooks/delivery.py) share.

A row is claimed by one conditional UPDATE (it succeeds for exactly one worker on both engines:
PostgreSQL re-checks the WHERE on the locked row, SQLite serialises writers), so two workers
never handle the same row while its lease holds. A row marked done is never picked again. A
worker that dies between handling and marking leaves its lease to expire; the row is then
handled again (at least once, never lost). A failure is retried with exponential backoff,
without limit. A table using it has `due_at`, `attempts`, `last_error`, `claimed_by`,
`claimed_until` and the timestamp field that marks a row done.
"""
import os
import socket
import uuid
from datetime import timedelta

from flask import current_app

from learning.db import db, utcnow


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(attempts):
    """Seconds to wait after the n-th failed attempt: base * 2^(n-1), capped."""
    config = current_app.config
    return min(config["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0), config["MAIL_RETRY_MAX_SECONDS"])


class Leases:
    """The lease rule over one table; `done` is the field set when a row is finished."""

    def __init__(self, model, done):
        self.model, self.done = model, done

    def _free(self, now):
        return self.model.claimed_until.is_null() | (self.model.claimed_until < now)

    def due_ids(self, now, limit, *conditions):
        """Ids of rows not done, due by `now`, not held by a live lease (and meeting `conditions`)."""
        model = self.model
        query = (model.select(model.id)
                 .where(self.done.is_null(), model.due_at <= now, self._free(now), *conditions)
                 .order_by(model.due_at, model.id).limit(limit))
        return [row.id for row in query]

    def claim(self, row_id, worker, now):
        """Take the row for `worker` until the lease ends; False if another has it or it is done."""
        model = self.model
        lease = now + timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
        with db.atomic():
            taken = (model.update(claimed_by=worker, claimed_until=lease)
                     .where(model.id == row_id, self.done.is_null(), self._free(now)).execute())
        return taken == 1

    def finish(self, row_id, worker, **values):
        """Mark the row done (with `values`) if `worker` still holds it; returns rows changed."""
        model = self.model
        with db.atomic():
            return (model.update({self.done: utcnow(), model.claimed_until: None}, **values)
                    .where(model.id == row_id, model.claimed_by == worker, self.done.is_null()).execute())

    def fail(self, row, worker, error, now, **values):
        """Count a failed attempt and set the next one after the backoff; returns the attempts so far."""
        model, attempts = self.model, row.attempts + 1
        with db.atomic():
            (model.update(attempts=attempts, last_error=str(error)[:2000], claimed_until=None,
                          due_at=now + timedelta(seconds=backoff(attempts)), **values)
             .where(model.id == row.id, model.claimed_by == worker).execute())
        return attempts

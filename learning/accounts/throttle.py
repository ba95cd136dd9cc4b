"""Sign-in throttling: after repeated failures for an account or from an address,
further attempts are refused for a while. Kept in the database, not in a
worker's memory, so several app servers agree."""
from datetime import timedelta

import peewee as pw

from learning.db import BaseModel, utcnow

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginFailure(BaseModel):
    email = pw.CharField(max_length=254)
    address = pw.CharField(max_length=64)
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("email", "at"), False), (("address", "at"), False))


def minutes_blocked(email, address):
    """Minutes until this account or address may try again; 0 when allowed now."""
    since = utcnow() - WINDOW
    for column, value, limit in ((LoginFailure.email, email, MAX_FAILURES_PER_ACCOUNT),
                                 (LoginFailure.address, address, MAX_FAILURES_PER_ADDRESS)):
        recent = (LoginFailure.select(LoginFailure.at).where(column == value, LoginFailure.at > since)
                  .order_by(LoginFailure.at.desc()).limit(limit))
        times = [row.at for row in recent]
        if len(times) >= limit:
            oldest_counted = times[-1]
            remaining = (oldest_counted + WINDOW - utcnow()).total_seconds()
            return max(1, int(remaining // 60) + 1)
    return 0


def record_failure(email, address):
    LoginFailure.create(email=email, address=(address or "")[:64])


def clear_failures(email):
    LoginFailure.delete().where(LoginFailure.email == email).execute()

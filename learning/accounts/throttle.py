"""Sign-in throttling, kept in the database (not a worker's memory) so several
app servers agree.

Failures are counted where guessing happens, not by address alone: many people
share one address (an office behind NAT), so an attacker there must not lock
them all out. Within WINDOW:
- one account from one address: MAX_FAILURES_PER_ACCOUNT_ADDRESS, then that
  address waits for that account;
- one account from anywhere: MAX_FAILURES_PER_ACCOUNT, then the account waits
  (guessing spread over many addresses);
- one address over every account: MAX_FAILURES_PER_ADDRESS, a ceiling well above
  what an office's typos reach, that still stops a spray over many accounts.

Password-reset requests are counted the same way (every request, known address or
not, so the answer never tells whether an account exists): a few per address typed
in RESET_WINDOW, and a ceiling per network address.
"""
from datetime import timedelta

import peewee as pw

from learning.db import BaseModel, utcnow
from learning.plain_text import LineField

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT_ADDRESS = 5
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ADDRESS = 100
RESET_WINDOW = timedelta(hours=1)
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 20


class LoginFailure(BaseModel):
    email = LineField(max_length=254)
    address = LineField(max_length=64)
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("email", "at"), False), (("address", "at"), False))


class ResetRequest(BaseModel):
    email = LineField(max_length=254)
    address = LineField(max_length=64)
    at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("email", "at"), False), (("address", "at"), False))


def _limits(email, address):
    """(condition, limit) for each count that can block this attempt."""
    return (
        ((LoginFailure.email == email) & (LoginFailure.address == address), MAX_FAILURES_PER_ACCOUNT_ADDRESS),
        (LoginFailure.email == email, MAX_FAILURES_PER_ACCOUNT),
        (LoginFailure.address == address, MAX_FAILURES_PER_ADDRESS),
    )


def _minutes_to_wait(model, window, limits):
    """Minutes until the first of `limits` ((condition, limit), ...) over `model`'s rows
    within `window` lets another attempt through; 0 when all do now."""
    since = utcnow() - window
    for condition, limit in limits:
        recent = (model.select(model.at).where(condition, model.at > since)
                  .order_by(model.at.desc()).limit(limit))
        times = [row.at for row in recent]
        if len(times) >= limit:
            remaining = (times[-1] + window - utcnow()).total_seconds()
            return max(1, int(remaining // 60) + 1)
    return 0


def minutes_blocked(email, address):
    """Minutes until this account may be tried again from this address; 0 when allowed now."""
    return _minutes_to_wait(LoginFailure, WINDOW, _limits(email, (address or "")[:64]))


def reset_minutes_blocked(email, address):
    """Minutes until another password-reset mail may be asked for this address from there."""
    address = (address or "")[:64]
    return _minutes_to_wait(ResetRequest, RESET_WINDOW, (
        (ResetRequest.email == email, MAX_RESETS_PER_ACCOUNT),
        (ResetRequest.address == address, MAX_RESETS_PER_ADDRESS),
    ))


def record_reset_request(email, address):
    ResetRequest.create(email=email, address=(address or "")[:64])


def record_failure(email, address):
    LoginFailure.create(email=email, address=(address or "")[:64])


def clear_failures(email, address):
    """A successful sign-in forgets that address's failures for the account; failures
    from other addresses (someone else guessing) still count."""
    LoginFailure.delete().where(LoginFailure.email == email, LoginFailure.address == (address or "")[:64]).execute()

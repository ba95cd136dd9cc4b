"""Calendar feed tokens: one secret URL per feed a person subscribed to.

Only a SHA-256 hash of each token is stored, so a leaked database exposes no
feed. `high_water` is the feed's Last-Modified: it only moves forward, also
when events leave the feed, and `state_key` is what it was computed from.
"""
import peewee as pw

from learning.accounts.models import User
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField

SCOPES = ("personal", "series", "kind", "team")


class FeedToken(BaseModel):
    user = pw.ForeignKeyField(User, backref="calendar_feeds", on_delete="CASCADE")
    scope = LineField(max_length=12)                # personal | series | kind | team
    scope_key = LineField(max_length=64, default="")  # series id, kind name or team id
    # Feeds made when tokens were HMAC(SECRET_KEY, nonce); "" for random tokens (calendars/service.py).
    nonce = LineField(max_length=64, default="")
    token_hash = LineField(max_length=64, unique=True)
    created_at = pw.DateTimeField(default=utcnow)
    regenerated_at = pw.DateTimeField(default=utcnow)
    last_fetched_at = pw.DateTimeField(null=True)
    last_user_agent = LineField(max_length=300, default="")
    high_water = pw.DateTimeField(null=True)
    state_key = LineField(max_length=64, default="")
    # The change counter, day and address `state_key` was computed at: while
    # they hold, a poll answers from `state_key` without recomputing it.
    checked = LineField(max_length=120, default="")

    class Meta:
        indexes = ((("user", "scope", "scope_key"), True),)


class CalendarChange(BaseModel):
    """One row whose counter database triggers move on every write to what
    feeds show (migration 0015): sessions, series, places, check-ins, names."""
    counter = pw.BigIntegerField(default=0)
    txid = pw.BigIntegerField(null=True)   # PostgreSQL: the transaction that moved it last (0015)


MODELS = [FeedToken, CalendarChange]

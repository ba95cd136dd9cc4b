"""Calendar feed tokens: one secret URL per feed a person subscribed to.

Only a SHA-256 hash of each token is stored, so a leaked database exposes no
feed. Serving a feed writes nothing here (calendars/service.py).
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

    class Meta:
        indexes = ((("user", "scope", "scope_key"), True),)


MODELS = [FeedToken]

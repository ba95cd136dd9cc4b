"""Feed tokens and serving feeds: who may fetch what, and the conditional GET.

A feed URL's token is 256 random bits; only its SHA-256 hash is stored, so the
database exposes no feed and SECRET_KEY is no part of it: changing the key
leaves every feed URL working. The page shows a new address once, when it is
made (or regenerated). Feeds made before this, whose token was
HMAC-SHA256(SECRET_KEY, nonce), keep working (their hash is stored the same
way) and are shown again while the current key still reproduces them.
Lookup is by the hash, compared again in constant time, and every feed query
is scoped to the token's owner. Regenerating draws a new token, so the old URL
answers 404 at once.
"""
import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from learning.audit.service import record
from learning.accounts.models import Team, User
from learning.calendars import feeds
from learning.calendars.models import FeedToken
from learning.prepared_sql import Prepared
from learning.db import db, utcnow
from learning.forms_common import DB_INT_MAX
from learning.refusals import Refused
from learning.schedule.models import KINDS, KIND_LABELS, Series

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _legacy_token(nonce):
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"calendar-feed:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token(feed):
    """The secret token in this feed's URL, or None when it cannot be shown again:
    a token is known only just after it is made; an older feed's while SECRET_KEY
    still reproduces it."""
    token = getattr(feed, "token", None)
    if token is None and feed.nonce:
        token = _legacy_token(feed.nonce)
    if token is None or not hmac.compare_digest(_hash(token), feed.token_hash):
        return None
    return token


def _new_secret(feed):
    feed.token = secrets.token_urlsafe(32)
    feed.nonce = ""
    feed.token_hash = _hash(feed.token)
    feed.regenerated_at = utcnow()


def _check_scope(scope, key):
    if scope == "personal":
        return ""
    if scope == "kind" and key in KINDS:
        return key
    if scope in ("series", "team") and str(key).isdigit() and int(key) <= DB_INT_MAX:
        model = Series if scope == "series" else Team
        condition = (model.id == int(key)) & ((Series.active == True) if scope == "series" else True)  # noqa: E712
        if model.select().where(condition).exists():
            return str(int(key))
    raise Refused("That calendar is not available.")


@db.atomic()
def subscribe(user, scope, key=""):
    """The user's feed for this scope, created when missing (one feed per scope)."""
    if scope not in ("personal", "series", "kind", "team"):
        raise Refused("That calendar is not available.")
    key = _check_scope(scope, key)
    feed = FeedToken.get_or_none(FeedToken.user == user, FeedToken.scope == scope, FeedToken.scope_key == key)
    if feed is None:
        feed = FeedToken(user=user, scope=scope, scope_key=key)
        _new_secret(feed)
        feed.save()
    return feed


def owned_feed(user, feed_id):
    """One of the user's own feeds, or None."""
    return FeedToken.get_or_none(FeedToken.id == feed_id, FeedToken.user == user)


@db.atomic()
def regenerate(feed):
    """A new secret URL for this feed only; the old one stops working at once."""
    _new_secret(feed)
    feed.save()
    record(feed.user, "calendar.token-regenerated", feed, f"{feed.scope} feed of {feed.user.display_name}")
    return feed


@db.atomic()
def revoke(feed):
    record(feed.user, "calendar.token-revoked", feed, f"{feed.scope} feed of {feed.user.display_name}")
    feed.delete_instance()


def feeds_of(user):
    """The user's feeds with their titles, personal first (one query, plus names of series and teams)."""
    rows = list(FeedToken.select().where(FeedToken.user == user).order_by(FeedToken.scope != "personal",
                                                                           FeedToken.created_at, FeedToken.id))
    series_ids = [int(f.scope_key) for f in rows if f.scope == "series"]
    team_ids = [int(f.scope_key) for f in rows if f.scope == "team"]
    series = {s.id: s.title for s in Series.select(Series.id, Series.title).where(Series.id.in_(series_ids))} \
        if series_ids else {}
    teams = {t.id: t.name for t in Team.select(Team.id, Team.name).where(Team.id.in_(team_ids))} if team_ids else {}
    for feed in rows:
        feed.user = user
        feed.title = _title(feed, series, teams)
    return rows


def _title(feed, series, teams):
    if feed.scope == "personal":
        return "My learning programme"
    if feed.scope == "kind":
        return f"All {KIND_LABELS.get(feed.scope_key, feed.scope_key).lower()}s"
    if feed.scope == "series":
        return series.get(int(feed.scope_key), "A series that has ended")
    return f"{teams.get(int(feed.scope_key), 'A team')}: case-review meetups"


# --- serving ------------------------------------------------------------------

@dataclass
class FeedAnswer:
    etag: str
    last_modified: datetime
    body: bytes = None  # None: the client's copy is current (304)


def find_feed(token):
    """The active feed for a token from a URL, or None (malformed, revoked, or its owner deactivated)."""
    if not TOKEN_SHAPE.match(token or ""):
        return None
    wanted = _hash(token)
    feed = _feed_by_hash(wanted)
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted) or not feed.user.active:
        return None
    return feed


_FEED_FIELDS, _USER_FIELDS = FeedToken._meta.sorted_fields, User._meta.sorted_fields
# Every poll starts here; compiled once (prepared.py).
_FEED_BY_HASH = Prepared(
    lambda token_hash: (FeedToken.select(*_FEED_FIELDS, *_USER_FIELDS).join(User)
                        .where(FeedToken.token_hash == token_hash)),
    {"token_hash": str}, converters=[field.python_value for field in _FEED_FIELDS + _USER_FIELDS])


def _feed_by_hash(token_hash):
    """The FeedToken with this hash and its owner, or None."""
    rows = _FEED_BY_HASH.rows(token_hash=token_hash)
    if not rows:
        return None
    values = rows[0]
    feed = FeedToken(**{field.name: value for field, value in zip(_FEED_FIELDS, values)})
    feed.user = User(**{field.name: value for field, value in zip(_USER_FIELDS, values[len(_FEED_FIELDS):])})
    return feed


def serve(feed, client_etags, client_since):
    """Answer a poll, writing nothing: the ETag and Last-Modified from one query of aggregates
    per source, the body only when the client's copy is out of date.

    Last-Modified is the newest change the feed's aggregates see, and at least the start of
    the day (the window moves daily). An event that leaves without a stamp of its own (a
    session deleted, a facilitator unlinked) changes the ETag at once; a client that sends only
    If-Modified-Since sees it by the next day. If-None-Match, when sent, decides alone
    (RFC 9110 13.1.3)."""
    window = feeds.window_for(feed)
    sources = feeds.sources_for(feed)
    state = feeds.feed_state(feed, window, sources)
    etag = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    last_modified = max(window.today, _newest(state) or window.today).replace(microsecond=0)
    fresh = etag in client_etags if client_etags else (
        client_since is not None and client_since >= last_modified)
    if fresh:
        return FeedAnswer(etag, last_modified)
    return FeedAnswer(etag, last_modified, feeds.feed_bytes(feed, window, sources))


def _newest(value):
    """The latest datetime anywhere in a nested state tuple."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, (tuple, list)):
        found = [t for t in map(_newest, value) if t is not None]
        return max(found) if found else None
    return None

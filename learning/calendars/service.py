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
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from flask import current_app

from learning.audit.service import record
from learning.accounts.models import Team, User
from learning.calendars import feeds
from learning.calendars import ical
from learning.calendars.models import CalendarChange, FeedToken
from learning.db import db, utcnow
from learning.forms_common import DB_INT_MAX
from learning.schedule.models import KINDS, Series

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
FETCH_RECORD_EVERY = 300  # seconds: a poll every minute does not write every minute


class BodyCache:
    """Whole feed bodies per process, keyed by (feed, state): the state holds everything
    the bytes depend on, so an entry is never stale, only unused. Many calendar clients
    poll without a conditional header; this answers them without rebuilding. Bounded by size."""

    def __init__(self, max_bytes=8 * 1024 * 1024):
        self.max_bytes, self.used, self.entries, self.lock = max_bytes, 0, OrderedDict(), Lock()

    def get(self, key, build):
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
                return body
        body = build()
        with self.lock:
            if key not in self.entries and len(body) <= self.max_bytes // 4:
                self.entries[key] = body
                self.used += len(body)
                while self.used > self.max_bytes:
                    self.used -= len(self.entries.popitem(last=False)[1])
        return body

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.used = 0


body_cache = BodyCache()


class FeedError(ValueError):
    """A refused feed request, with a message for the person."""


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
    raise FeedError("That calendar is not available.")


@db.atomic()
def subscribe(user, scope, key=""):
    """The user's feed for this scope, created when missing (one feed per scope)."""
    if scope not in ("personal", "series", "kind", "team"):
        raise FeedError("That calendar is not available.")
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
    feed.last_fetched_at, feed.last_user_agent = None, ""
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
    from learning.schedule.models import KIND_LABELS
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
    counter = CalendarChange.select(CalendarChange.counter).where(CalendarChange.id == 1)
    feed = (FeedToken.select(FeedToken, User, counter.alias("change_counter")).join(User)
            .where(FeedToken.token_hash == wanted).first())
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted) or not feed.user.active:
        return None
    return feed


def serve(feed, client_etags, client_since, user_agent):
    """Answer a poll: the ETag and Last-Modified from a few aggregates, the body only when needed.

    When nothing a feed shows has changed anywhere since its state was last
    computed (same change counter, day and address), the stored state answers:
    the poll costs the one query that found the feed."""
    window = feeds.current_window()
    checked = f"{getattr(feed, 'change_counter', None)}|{window.today.isoformat()}|{ical.base_url()}"
    sources = feeds.sources_for(feed)
    if feed.state_key and feed.checked == checked:
        state = feed.state_key
    else:
        state_tuple = feeds.feed_state(feed, window, sources)
        state = hashlib.sha256(repr(state_tuple).encode()).hexdigest()[:40]
        _advance_high_water(feed, state, window, _newest(state_tuple[4:]) or window.today)
        FeedToken.update(checked=checked).where(FeedToken.id == feed.id).execute()
    _record_fetch(feed, user_agent)
    etag = state[:32]
    fresh = etag in client_etags if client_etags else (
        client_since is not None and client_since >= feed.high_water)
    if fresh:
        return FeedAnswer(etag, feed.high_water)
    return FeedAnswer(etag, feed.high_water,
                      body_cache.get((feed.id, state), lambda: feeds.feed_bytes(feed, window, sources)))


def _advance_high_water(feed, state, window, newest):
    """Last-Modified is the newest change the feed shows and moves forward whenever its content
    may have changed, never backwards (also when events left it, which lowers `newest`)."""
    if feed.state_key == state:
        return
    candidate = max(newest, window.today)
    if feed.high_water is not None and candidate <= feed.high_water:
        candidate = utcnow()
    candidate = max(candidate, feed.high_water or candidate)
    FeedToken.update(high_water=candidate, state_key=state).where(
        FeedToken.id == feed.id, (FeedToken.high_water.is_null()) | (FeedToken.high_water <= candidate)).execute()
    feed.high_water, feed.state_key = candidate, state


def _newest(value):
    """The latest datetime anywhere in a nested state tuple."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, (tuple, list)):
        found = [t for t in map(_newest, value) if t is not None]
        return max(found) if found else None
    return None


def _record_fetch(feed, user_agent):
    now = utcnow()
    user_agent = (user_agent or "")[:300]
    recent = feed.last_fetched_at and (now - feed.last_fetched_at).total_seconds() < FETCH_RECORD_EVERY
    if recent and feed.last_user_agent == user_agent:
        return
    FeedToken.update(last_fetched_at=now, last_user_agent=user_agent).where(FeedToken.id == feed.id).execute()

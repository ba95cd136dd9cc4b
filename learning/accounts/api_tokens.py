"""Personal access tokens for the JSON API: a person makes them on their profile (a name and a
scope), sees each secret once, and revokes them. Only the SHA-256 hash of a secret is stored;
secrets start with `sds_` so secret scanners (GitHub's, for one) can find a leaked one.

A token works while it is not revoked and its owner is active. Its last use is written at most
once a minute, so a busy integration does not write a row per request."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from learning.accounts.models import ApiToken, User
from learning.db import db, utcnow
from learning.refusals import NotFound, Refused

PREFIX = "sds_"
SCOPES = {"read": "Read only", "write": "Read and write"}
LAST_USE_STEP = timedelta(minutes=1)
MAX_TOKENS = 20   # live tokens per person: enough for every integration, few enough to review


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@db.atomic()
def issue_token(user, name, scope):
    """A new token for `user`: (the ApiToken row, its secret, which is shown once and never again)."""
    name = (name or "").strip()
    if not name:
        raise Refused("Name the token after what will use it, e.g. \"Helpdesk sync\".", "name")
    if len(name) > 100:
        raise Refused("Keep the name under 100 characters.", "name")
    if scope not in SCOPES:
        raise Refused("Choose read only, or read and write.", "scope")
    if live_tokens(user).count() >= MAX_TOKENS:
        raise Refused(f"You have {MAX_TOKENS} tokens: revoke one you no longer use first.", "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.create(user=user, name=name, scope=scope, prefix=secret[:len(PREFIX) + 4],
                            token_hash=_hash(secret))
    return token, secret


def live_tokens(user):
    """The person's tokens not revoked, newest first."""
    return (ApiToken.select().where(ApiToken.user == user.id, ApiToken.revoked_at.is_null())
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))


@db.atomic()
def revoke_token(user, token_id):
    """Revoke one of `user`'s own tokens; anyone else's, or one already revoked, is not found."""
    revoked = (ApiToken.update(revoked_at=utcnow())
               .where(ApiToken.id == token_id, ApiToken.user == user.id, ApiToken.revoked_at.is_null()).execute())
    if not revoked:
        raise NotFound()


def token_for_secret(secret):
    """The live token with this secret, its active owner joined as `token.user`; else None."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    wanted = _hash(secret)
    token = (ApiToken.select(ApiToken, User).join(User)
             .where(ApiToken.token_hash == wanted, ApiToken.revoked_at.is_null(), User.active == True)  # noqa: E712
             .first())
    if token is None or not hmac.compare_digest(token.token_hash, wanted):
        return None
    return token


def note_use(token, now=None):
    """Stamp the token's last use, at most once a minute. Called on API requests only, GETs
    included: a GET writing this one column is accepted for API tokens (it says nothing to the
    caller and needs no CSRF guard, since only the Bearer header authenticates the API). The
    condition in the UPDATE keeps concurrent requests from writing more than once."""
    now = now or utcnow()
    if token.last_used_at is not None and token.last_used_at > now - LAST_USE_STEP:
        return
    (ApiToken.update(last_used_at=now)
     .where(ApiToken.id == token.id,
            ApiToken.last_used_at.is_null() | (ApiToken.last_used_at <= now - LAST_USE_STEP)).execute())
    token.last_used_at = now

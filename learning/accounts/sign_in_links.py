"""Sign-in links: the invitation that lets a new person choose a password (valid 7 days)
and the password-reset link (valid 1 hour), both single use.

A link's token is `<selector>.<secret>`: the selector finds the row (unique index), and the
row keeps only a SHA-256 of the secret together with the password hash the person had
when it was issued. So a stolen table opens nothing, and a link dies once any password is
chosen (by this link, another one, or in the profile). A used, expired or
deactivated person's link opens nothing either. Redeeming claims the row with one
conditional UPDATE, so two tabs posting the same link at once set one password.

Mail goes out through notify, which subscribes to `sign_in_links_issued`; accounts sit
below notify and only announce the links.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

import peewee as pw

from learning.accounts import throttle
from learning.accounts.models import User
from learning.accounts.service import end_sessions, normalise_email, password_problem, provider_only
from learning.accounts.signals import sign_in_links_issued
from learning.db import BaseModel, db, utcnow
from learning.plain_text import LineField
from learning.refusals import Refused
from learning.wording import count_of

LIFETIMES = {"invitation": timedelta(days=7), "reset": timedelta(hours=1)}
BATCH = 500


class SignInLink(BaseModel):
    user = pw.ForeignKeyField(User, backref="sign_in_links", on_delete="CASCADE")
    purpose = LineField(max_length=20)
    selector = LineField(max_length=32, unique=True)
    token_hash = LineField(max_length=64)
    created_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField()
    used_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "purpose", "created_at"), False),)


def _seal(secret, password_hash):
    return hashlib.sha256(f"{secret}:{password_hash or ''}".encode()).hexdigest()


def _new_link(user, purpose, now):
    """(row values, token) for one link; the token is only ever in the mail."""
    selector, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    row = {"user": user.id, "purpose": purpose, "selector": selector, "token_hash": _seal(secret, user.password_hash),
           "created_at": now, "expires_at": now + LIFETIMES[purpose]}
    return row, f"{selector}.{secret}"


@db.atomic()
def issue(users, purpose):
    """New links for these people (earlier unused ones of the same purpose are dropped),
    announced for mailing. People who sign in only through single sign-on get a welcome
    without a link instead of an invitation. Returns [(user, token or None)]."""
    now, issued, welcomes, rows = utcnow(), [], [], []
    for user in users:
        if purpose == "invitation" and provider_only(user):
            welcomes.append((user, None, None))
            continue
        row, token = _new_link(user, purpose, now)
        rows.append(row)
        issued.append((user, token, row["expires_at"]))
    ids = [user.id for user, _, _ in issued]
    for start in range(0, len(ids), BATCH):
        (SignInLink.delete().where(SignInLink.user.in_(ids[start:start + BATCH]), SignInLink.purpose == purpose,
                                   SignInLink.used_at.is_null()).execute())
        SignInLink.insert_many(rows[start:start + BATCH]).execute()
    if issued:
        sign_in_links_issued.send(purpose, links=issued)
    if welcomes:
        sign_in_links_issued.send("welcome", links=welcomes)
    return [(user, token) for user, token, _ in issued + welcomes]


def invite(user_ids):
    """Invite the active people among `user_ids` (e.g. just created)."""
    found = []
    for start in range(0, len(user_ids), BATCH):
        found += list(User.select().where(User.id.in_(list(user_ids)[start:start + BATCH]),
                                          User.active == True))  # noqa: E712
    return issue(found, "invitation")


def on_people_created(sender=None, user_ids=(), **_):
    invite(list(user_ids))


def never_signed_in():
    """Active people who have not signed in yet (the people list offers to invite them again)."""
    return User.select().where(User.active == True, User.last_sign_in_at.is_null())  # noqa: E712


def reinvite_never_signed_in():
    """A fresh invitation to everyone active who never signed in; returns how many."""
    return len(issue(list(never_signed_in().order_by(User.id)), "invitation"))


@db.atomic()
def request_reset(email, address):
    """Mail a reset link when `email` is an active account's. Refused only by the throttle,
    which counts every request alike, so the answer never says whether the account exists."""
    email = normalise_email(email)
    minutes = throttle.reset_minutes_blocked(email, address)
    if minutes:
        raise Refused(f"Too many requests. Please wait {count_of(minutes, 'minute')} and try again.")
    throttle.record_reset_request(email, address)
    user = User.get_or_none(User.email == email, User.active == True)  # noqa: E712
    if user is not None and not provider_only(user):
        issue([user], "reset")


def holder_of(token, purpose):
    """(link, user) when `token` opens a link of this purpose now; None otherwise."""
    selector, _, secret = (token or "").partition(".")
    if not selector or not secret or len(selector) > 32:
        return None
    found = (SignInLink.select(SignInLink, User).join(User)
             .where(SignInLink.selector == selector, SignInLink.purpose == purpose).first())
    if found is None or found.used_at is not None or found.expires_at <= utcnow() or not found.user.active:
        return None
    if not hmac.compare_digest(found.token_hash, _seal(secret, found.user.password_hash)):
        return None
    return found, found.user


@db.atomic()
def choose_password(token, purpose, password):
    """Set the password a link was sent for; the link is used up and every session the
    person had ends. Returns the user (with their new session version)."""
    held = holder_of(token, purpose)
    if held is None:
        raise Refused("This link has expired or was already used.")
    link, user = held
    problem = password_problem(password, user.email)
    if problem:
        raise Refused(problem, "password")
    claimed = (SignInLink.update(used_at=utcnow())
               .where(SignInLink.id == link.id, SignInLink.used_at.is_null()).execute())
    if claimed != 1:
        raise Refused("This link has expired or was already used.")
    user.set_password(password)
    user.save()
    return end_sessions(user)

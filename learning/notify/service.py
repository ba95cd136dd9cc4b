"""Notices and their mail: `notify(...)` is what every package's subscriber
calls. It writes the notice and, by the person's preference for the kind, an
outbox row or a digest mark, all in the caller's transaction.

Public: notify, unread_count, notifications_for, mark_read, mark_all_read,
channel_for, preferences_for, save_preferences, unsubscribe.
"""
from flask import has_request_context
from flask_login import current_user

from learning.accounts.models import User
from learning.db import db, utcnow
from learning.notify.kinds import DEFAULT_CHANNEL, KINDS
from learning.notify.models import CHANNELS, Notification, OutboxMessage, Preference
from learning.refusals import Refused


def _users(people):
    """The active people among `people` (User rows, or ids read in one query), by id."""
    loaded = {p.id: p for p in people if isinstance(p, User)}
    ids = sorted({int(p) for p in people if p is not None and not isinstance(p, User)} - set(loaded))
    found = list(User.select().where(User.id.in_(ids), User.active == True)) if ids else []  # noqa: E712
    return sorted([u for u in loaded.values() if u.active] + found, key=lambda u: u.id)


def channels_for(users, kind):
    """{user_id: channel} for many people in one query."""
    chosen = dict(Preference.select(Preference.user, Preference.channel)
                  .where(Preference.user.in_([u.id for u in users]), Preference.kind == kind)
                  .tuples()) if users else {}
    return {u.id: chosen.get(u.id, DEFAULT_CHANNEL) for u in users}


def channel_for(user, kind):
    return channels_for([user], kind)[user.id]


def notify(people, kind, text, link="", subject=None, calendar=None, body=None, mail=True):
    """Tell these people (User rows or ids): a notice each, and mail by their preference.

    `text` is a string or `text(user)` (e.g. a time in each person's zone);
    `calendar(user)` may return (ics_text, method) for an invitation that goes
    with the mail; `body` is the mail's text when it says more than the notice.
    `mail=False` keeps it in the app whatever the preference (a coach chose not
    to e-mail). The person acting (signed in to this request) gets no notice of their own
    action. Returns the notices written.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notice kind {kind!r}")
    users = _users(people)
    if not users:
        return []
    now = utcnow()
    channels = channels_for(users, kind) if mail else {u.id: "app" for u in users}
    notices = []
    actor_id = acting_user_id()
    with db.atomic():
        for user in users:
            channel = channels[user.id]
            words = text(user) if callable(text) else text
            if user.id == actor_id:
                # Nobody is told what they just did themselves; a calendar invitation still
                # goes by mail to those who take mail, so their calendar holds the event.
                if channel == "email" and calendar:
                    ics, method = calendar(user)
                    if ics:
                        queue_mail(user, kind, subject or words, body or words, link, ics, method)
                continue
            notices.append(Notification.create(user=user, kind=kind, text=words[:500], link=link,
                                               created_at=now, digest_pending=channel == "digest"))
            if channel == "email":
                ics, method = calendar(user) if calendar else (None, None)
                queue_mail(user, kind, subject or words, body or words, link, ics, method)
    return notices


def acting_user_id():
    """The signed-in person whose request causes the notices, or None (a command, the worker)."""
    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return None
    return current_user.id


def queue_mail(user, kind, subject, body, link="", calendar=None, calendar_method=None):
    """One outbox row: sent by the worker after this transaction commits."""
    return OutboxMessage.create(user=user, to_address=user.email, kind=kind, subject=subject[:300],
                                body=body, link=link, calendar=calendar, calendar_method=calendar_method)


# --- the notification centre ---------------------------------------------------

def unread_count(user, most=None):
    """How many notices this person has not read, counted up to `most` when given (the nav badge)."""
    query = Notification.select(Notification.id).where(Notification.user == user.id, Notification.read_at.is_null())
    return (query if most is None else query.limit(most)).count()


def notifications_for(user, unread_only=False):
    query = Notification.select().where(Notification.user == user)
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user, notification_id):
    """Mark one of this person's notices read; False when it is not theirs (or none)."""
    notice = Notification.get_or_none(Notification.id == notification_id, Notification.user == user)
    if notice is None:
        return None
    if notice.read_at is None:
        notice.read_at = utcnow()
        Notification.update(read_at=notice.read_at).where(Notification.id == notice.id).execute()
    return notice


def mark_all_read(user):
    return (Notification.update(read_at=utcnow())
            .where(Notification.user == user, Notification.read_at.is_null()).execute())


# --- preferences -----------------------------------------------------------------

def preferences_for(user):
    chosen = dict(Preference.select(Preference.kind, Preference.channel).where(Preference.user == user).tuples())
    return {kind: chosen.get(kind, DEFAULT_CHANNEL) for kind in KINDS}


def save_preferences(user, choices):
    """Store a channel per kind (unknown kinds or channels are refused, nothing written)."""
    for kind, channel in choices.items():
        if kind not in KINDS:
            raise Refused("That kind of notice does not exist.")
        if channel not in CHANNELS:
            raise Refused("Choose in the app only, e-mail at once, or a daily digest.", field=kind)
    with db.atomic():
        for kind, channel in choices.items():
            set_channel(user, kind, channel)


def set_channel(user, kind, channel):
    updated = (Preference.update(channel=channel)
               .where(Preference.user == user, Preference.kind == kind).execute())
    if not updated:
        Preference.insert(user=user, kind=kind, channel=channel).on_conflict(
            conflict_target=[Preference.user, Preference.kind],
            update={Preference.channel: channel}).execute()


def unsubscribe(user, kind):
    """From a mail's link: this kind (or, for "digest", every kind in the
    digest) stays in the app only. Returns the kinds changed."""
    if kind == "digest":
        kinds = [k for k, channel in preferences_for(user).items() if channel == "digest"]
    elif kind in KINDS:
        kinds = [kind]
    else:
        raise Refused("That kind of notice does not exist.")
    with db.atomic():
        for each in kinds:
            set_channel(user, each, "app")
    return kinds

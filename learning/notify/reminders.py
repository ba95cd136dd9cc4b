"""Reminders before sessions (and check-ins, once coaching lands) and the daily
digest. Each is recorded in ReminderSent under a unique index, in the same
transaction as its notice and mail, so it goes out once per person and
occurrence however often and however many workers run."""
from datetime import datetime, timedelta

import peewee as pw
from flask import current_app

from learning.accounts.models import User
from learning.db import db, utcnow
from learning.notify.kinds import KIND_SHORT
from learning.notify.models import Notification, ReminderSent
from learning.notify.service import notify, queue_mail
from learning.web import format_local


def record_once(kind, user_id, object_id, occurrence):
    """True when this is the first time; False when some worker already did it."""
    try:
        with db.atomic():
            ReminderSent.create(kind=kind, user=user_id, object_id=object_id, occurrence=occurrence)
    except pw.IntegrityError:
        return False
    return True


def session_reminders_due(now, lead):
    from learning.schedule.models import Rsvp, Series, Session

    return (Rsvp.select(Rsvp, Session, Series, User).join(Session).join(Series)
            .switch(Rsvp).join(User)
            .where(Rsvp.status == "going", Session.status == "scheduled",
                   Session.starts_at > now, Session.starts_at <= now + lead, User.active == True)  # noqa: E712
            .order_by(Session.starts_at))


def queue_session_reminders(now=None):
    """Reminders for sessions starting within REMINDER_LEAD_HOURS; returns how many were queued."""
    now = now or utcnow()
    lead = timedelta(hours=current_app.config["REMINDER_LEAD_HOURS"])
    queued = 0
    # Read the whole list before writing: on SQLite an open read cursor holds a
    # snapshot, and a write from it fails once another worker has committed.
    for rsvp in list(session_reminders_due(now, lead)):
        session, user = rsvp.session, rsvp.user
        with db.atomic():
            if not record_once("session", user.id, session.id, session.starts_at):
                continue
            at = format_local(session.starts_at, zone_name=user.timezone)
            notify([user.id], "reminder", f"Reminder: {session.series.title} starts on {at}.",
                   f"/sessions/{session.id}")
        queued += 1
    return queued


# --- the daily digest ----------------------------------------------------------

def queue_digests(now=None, force=False):
    """One digest mail per person with notices waiting, at most once a day;
    before DIGEST_HOUR (UTC) only when forced. Returns how many were queued."""
    now = now or utcnow()
    if not force and now.hour < current_app.config["DIGEST_HOUR"]:
        return 0
    day = datetime(now.year, now.month, now.day)
    user_ids = [row[0] for row in Notification.select(Notification.user).distinct()
                .where(Notification.digest_pending == True).tuples()]  # noqa: E712
    queued = 0
    for user in list(User.select().where(User.id.in_(user_ids))):
        with db.atomic():
            if not record_once("digest", user.id, 0, day):
                continue
            notices = list(Notification.select().where(Notification.user == user,
                                                       Notification.digest_pending == True)  # noqa: E712
                           .order_by(Notification.created_at, Notification.id))
            if notices:
                queue_mail(user, "digest", digest_subject(notices), digest_body(notices, user), "/notifications")
                (Notification.update(digest_pending=False)
                 .where(Notification.id.in_([n.id for n in notices])).execute())
                queued += 1
    return queued


def digest_subject(notices):
    return f"Your daily digest: {len(notices)} notice{'s' if len(notices) != 1 else ''}"


def digest_body(notices, user):
    lines = ["What happened in your learning programme since the last digest:", ""]
    for notice in notices:
        lines.append(f"- {KIND_SHORT.get(notice.kind, notice.kind)} "
                     f"({format_local(notice.created_at, zone_name=user.timezone)}): {notice.text}")
    return "\n".join(lines)


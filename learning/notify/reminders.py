"""Reminders before sessions and check-ins, refreshers coming due, and the daily digest. Each is recorded in ReminderSent under a unique index, in the same
transaction as its notice and mail, so it goes out once per person and
occurrence however often and however many workers run."""
from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee as pw
from flask import current_app

from learning.accounts.models import User
from learning.coaching.models import CheckIn
from learning.curriculum.models import Completion, Module
from learning.db import db, utcnow
from learning.notify.kinds import KIND_SHORT
from learning.notify.models import Notification, ReminderSent
from learning.notify.service import notify, queue_mail
from learning.schedule.models import Rsvp, Series, Session
from learning.web import format_local


@dataclass
class Reminder:
    record: str          # what ReminderSent records it under
    user: User
    object_id: int
    occurrence: datetime
    kind: str            # the notice kind
    text: str
    link: str


def record_once(kind, user_id, object_id, occurrence):
    """True when this is the first time; False when some worker already did it."""
    try:
        with db.atomic():
            ReminderSent.create(kind=kind, user=user_id, object_id=object_id, occurrence=occurrence)
    except pw.IntegrityError:
        return False
    return True


def session_reminders_due(now, lead):
    rows = (Rsvp.select(Rsvp, Session, Series, User).join(Session).join(Series)
            .switch(Rsvp).join(User)
            .where(Rsvp.status == "going", Session.status == "scheduled",
                   Session.starts_at > now, Session.starts_at <= now + lead, User.active == True)  # noqa: E712
            .order_by(Session.starts_at))
    for rsvp in rows:
        session, user = rsvp.session, rsvp.user
        at = format_local(session.starts_at, zone_name=user.timezone)
        yield Reminder("session", user, session.id, session.starts_at, "reminder",
                       f"Reminder: {session.series.title} starts on {at}.", f"/sessions/{session.id}")


def checkin_reminders_due(now, lead):
    """Both the employee and the coach are reminded of a check-in."""
    checkins = list(CheckIn.select().where(CheckIn.status == "scheduled", CheckIn.starts_at > now,
                                           CheckIn.starts_at <= now + lead))
    people = {u.id: u for u in User.select().where(
        User.id.in_({c.employee_id for c in checkins} | {c.coach_id for c in checkins}), User.active == True)}  # noqa: E712
    for checkin in checkins:
        other = {checkin.employee_id: checkin.coach_id, checkin.coach_id: checkin.employee_id}
        for user_id in (checkin.employee_id, checkin.coach_id):
            user, with_whom = people.get(user_id), people.get(other[user_id])
            if user is None or with_whom is None:
                continue
            at = format_local(checkin.starts_at, zone_name=user.timezone)
            yield Reminder("checkin", user, checkin.id, checkin.starts_at, "reminder",
                           f"Reminder: your check-in with {with_whom.display_name} is on {at}.",
                           f"/checkins/{checkin.id}")


def refreshers_due(now, lead):
    """A module completion that expires within REFRESHER_LEAD_DAYS, unless renewed since."""
    renewed = Completion.alias()
    newer = (renewed.select().where(renewed.user == Completion.user, renewed.module == Completion.module,
                                    renewed.completed_at > Completion.completed_at))
    rows = (Completion.select(Completion, Module, User).join(Module).switch(Completion).join(User)
            .where(Completion.expires_at > now, Completion.expires_at <= now + lead, ~pw.fn.EXISTS(newer),
                   User.active == True))  # noqa: E712
    for completion in rows:
        module = completion.module
        yield Reminder("refresher", completion.user, module.id, completion.expires_at, "refresher",
                       f"Your completion of {module.title} runs out on {completion.expires_at:%d %b %Y}: "
                       "time for a refresher.", f"/modules/{module.id}")


def queue_reminders(now=None):
    """Reminders for sessions and check-ins starting within REMINDER_LEAD_HOURS and
    refreshers due within REFRESHER_LEAD_DAYS; returns how many were queued."""
    now = now or utcnow()
    lead = timedelta(hours=current_app.config["REMINDER_LEAD_HOURS"])
    refresher_lead = timedelta(days=current_app.config["REFRESHER_LEAD_DAYS"])
    # Read each whole list before writing: on SQLite an open read cursor holds
    # a snapshot, and a write from it fails once another worker has committed.
    due = (list(session_reminders_due(now, lead)) + list(checkin_reminders_due(now, lead))
           + list(refreshers_due(now, refresher_lead)))
    queued = 0
    for reminder in due:
        with db.atomic():
            if not record_once(reminder.record, reminder.user.id, reminder.object_id, reminder.occurrence):
                continue
            notify([reminder.user.id], reminder.kind, reminder.text, reminder.link)
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


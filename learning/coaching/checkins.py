"""Check-ins: scheduling in the coach's zone, moving and cancelling (calendar
sequence), agenda, shared and private notes, agreed actions and the employee's
acknowledgement. The calendar feed query is `service.checkins_for_feed`."""
import re
from datetime import timedelta

from learning.accounts.models import User
from learning.coaching import access
from learning.coaching.models import CheckIn, CheckInAgendaItem, CheckInNote
from learning.coaching.service import _editable, _require, _text, clean, checkins_with_people
from learning.coaching.signals import checkin_changed
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.timezones import to_utc

URL = re.compile(r"^https?://[^\s<>\"']+$")
LONGEST_MINUTES = 240
LONGEST_CHECKIN = timedelta(minutes=LONGEST_MINUTES)   # lists of check-ins still running look back this far


def _times(local_start, duration_minutes, zone_name):
    if local_start is None:
        raise Refused("Enter the date and time.", "date")
    if duration_minutes is None or not 10 <= duration_minutes <= LONGEST_MINUTES:
        raise Refused("Use a duration from 10 to 240 minutes.", "duration")
    starts_at = to_utc(local_start, zone_name)
    if starts_at <= utcnow():
        raise Refused("A check-in cannot be in the past.", "date")
    return starts_at, starts_at + timedelta(minutes=duration_minutes)


def _video(url):
    url = clean(url)
    if url and (len(url) > 500 or not URL.match(url)):
        raise Refused("Enter a web address starting with https://, or leave it empty.", "video_url")
    return url


@db.atomic()
def schedule_checkin(coach, plan, local_start, duration_minutes, video_url=""):
    """A check-in at `local_start`, wall-clock time in the coach's zone."""
    _require(access.can_coach(coach, plan.employee))
    _editable(plan)
    starts_at, ends_at = _times(local_start, duration_minutes, coach.timezone)
    checkin = CheckIn.create(plan=plan, employee=plan.employee_id, coach=coach, starts_at=starts_at,
                             ends_at=ends_at, timezone=coach.timezone, video_url=_video(video_url))
    checkin_changed.send(checkin, change="scheduled")
    return checkin


def _bump(checkin):
    checkin.sequence += 1
    checkin.changed_at = utcnow()


@db.atomic()
def move_checkin(user, checkin, local_start, duration_minutes, video_url=""):
    _require(access.can_coach(user, checkin.employee))
    if checkin.is_cancelled:
        raise Refused("This check-in is cancelled.", "date")
    checkin.starts_at, checkin.ends_at = _times(local_start, duration_minutes, checkin.timezone)
    checkin.video_url = _video(video_url)
    _bump(checkin)
    checkin.save()
    checkin_changed.send(checkin, change="moved")
    return checkin


@db.atomic()
def cancel_checkin(user, checkin):
    _require(access.can_coach(user, checkin.employee))
    if not checkin.is_cancelled:
        checkin.status = "cancelled"
        _bump(checkin)
        checkin.save()
        checkin_changed.send(checkin, change="cancelled")
    return checkin


@db.atomic()
def add_agenda_item(user, checkin, text):
    _require(access.can_take_part(user, checkin))
    text = _text(text, "text", "Write the agenda item.", 500)
    return CheckInAgendaItem.create(checkin=checkin, author=user, text=text)


@db.atomic()
def add_note(user, checkin, body, private=False):
    allowed = access.can_read_private_notes(user, checkin.employee) if private else access.can_take_part(user, checkin)
    _require(allowed)
    return CheckInNote.create(checkin=checkin, author=user, private=bool(private),
                              body=_text(body, "body", "Write the note.", 5000))


@db.atomic()
def record_agreed_actions(user, checkin, text):
    """The coach writes what was agreed; the employee's earlier acknowledgement no longer applies."""
    _require(access.can_coach(user, checkin.employee))
    checkin.agreed_actions = _text(text, "agreed_actions", "Write what you agreed.", 5000)
    checkin.acknowledgement, checkin.acknowledgement_comment, checkin.acknowledged_at = "", "", None
    checkin.save()
    return checkin


@db.atomic()
def acknowledge_checkin(employee, checkin, agreed, comment=""):
    _require(employee.id == checkin.employee_id)
    if not checkin.agreed_actions:
        raise Refused("There are no agreed actions to acknowledge yet.", "comment")
    comment = clean(comment)
    if not agreed and not comment:
        raise Refused("Write a comment, or tick that you agree.", "comment")
    if len(comment) > 2000:
        raise Refused("Keep this under 2000 characters.", "comment")
    checkin.acknowledgement = "agreed" if agreed else "comment"
    checkin.acknowledgement_comment, checkin.acknowledged_at = comment, utcnow()
    checkin.save()
    return checkin


def notes_for(user, checkin):
    """The notes `user` may read: shared notes, and private ones only for the employee's coaches."""
    query = (CheckInNote.select(CheckInNote, User).join(User, on=(CheckInNote.author == User.id))
             .where(CheckInNote.checkin == checkin).order_by(CheckInNote.created_at, CheckInNote.id))
    if not access.can_read_private_notes(user, checkin.employee):
        query = query.where(CheckInNote.private == False)  # noqa: E712
    return list(query)


def agenda_for(checkin):
    item = CheckInAgendaItem
    return list(item.select(item, User).join(User, on=(item.author == User.id))
                .where(item.checkin == checkin).order_by(item.created_at, item.id))


def upcoming_checkins(user, limit=10):
    """Scheduled check-ins from now on that `user` may see, soonest first (their time and people)."""
    now = utcnow()
    # The start bound lets the index on scheduled check-ins' starts_at be read from now (an
    # admin sees every check-in: without it, PostgreSQL sorted all of them). Anyone else's
    # people are read first, as values: given them as a subquery, PostgreSQL guessed ~50 people
    # for everyone and walked every upcoming check-in of the organisation in time order for an
    # agent with two (scale 1: 6,000 check-ins, 20 ms; with the ids, the agent's own through
    # check_in(employee, starts_at), 0.2 ms).
    query = (CheckIn.select(CheckIn.id, CheckIn.starts_at, CheckIn.employee, CheckIn.coach)
             .where(CheckIn.status == "scheduled", CheckIn.ends_at > now, CheckIn.starts_at > now - LONGEST_CHECKIN))
    if not user.is_admin:
        query = query.where(CheckIn.employee.in_(access.visible_employee_ids(user.id)))
    return list(checkins_with_people(query).order_by(CheckIn.starts_at).limit(limit))

"""Recurring check-ins: a series per person with their coach, every N weeks at a wall-clock
time in the PERSON's zone (schedule.recurrence expands the rule on wall-clock time, so 10:00
stays 10:00 across daylight-saving changes). A coach starts series for many people in one
go; each occurrence is an ordinary CheckIn (moved, cancelled, reminded and shown in both
people's feeds like any other), made when the series starts, up to a year ahead.

Open agenda items of a series' earlier check-ins show on its later ones until marked done
(`agenda_for`), so nothing is copied and nothing is lost when a check-in is moved.
"""
from datetime import datetime, timedelta

import peewee as pw

from learning.accounts.models import User
from learning.accounts.service import coached_team_ids
from learning.coaching import access
from learning.coaching.models import CheckIn, CheckInAgendaItem, CheckInSeries
from learning.coaching.service import _require
from learning.coaching.signals import checkin_series_changed
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.schedule.recurrence import build_rule, occurrences
from learning.timezones import to_utc

LONGEST = timedelta(days=366)
INTERVALS = {1: "Every week", 2: "Every second week", 3: "Every third week", 4: "Every fourth week"}


def _check_rhythm(first_day, local_time, interval_weeks, until, duration_minutes):
    if first_day is None or local_time is None:
        raise Refused("Enter the date and time of the first check-in.", "first_day")
    if first_day < utcnow().date():
        raise Refused("The first check-in cannot be in the past.", "first_day")
    if interval_weeks not in INTERVALS:
        raise Refused("Choose every 1 to 4 weeks.", "interval_weeks")
    if until is None or until < first_day:
        raise Refused("The last date must be on or after the first check-in.", "until")
    if until - first_day > LONGEST:
        raise Refused("A series runs for at most a year; start a new one after it.", "until")
    if duration_minutes is None or not 10 <= duration_minutes <= 240:
        raise Refused("Use a duration from 10 to 240 minutes.", "duration")


def chosen_people(coach, team_ids=(), person_ids=()):
    """The active members of the chosen teams and the chosen people, all of whom `coach` must coach."""
    team_ids, person_ids = set(team_ids or ()), set(person_ids or ())
    if not team_ids and not person_ids:
        raise Refused("Choose at least one team or person.", "people")
    if team_ids - set(coached_team_ids(coach)):
        raise Refused("Choose teams you coach.", "teams")
    coachable = (User.id.in_(access.coached_member_ids(coach))) & (User.id != coach.id) & (User.active == True)  # noqa: E712
    people = list(User.select().where(coachable, User.team.in_(team_ids) | User.id.in_(person_ids))
                  .order_by(User.display_name, User.id))
    if person_ids - {p.id for p in people}:
        raise Refused("Choose people of the teams you coach.", "people")
    if not people:
        raise Refused("These teams have nobody in them yet.", "teams")
    return people


def _occurrence_rows(series, person, until, now):
    ends = timedelta(minutes=series.duration_minutes)
    last = datetime.combine(until, datetime.max.time())
    for local in occurrences(series.rrule, series.first_start_local, last):
        starts_at = to_utc(local, person.timezone)
        if starts_at > now:
            yield {"series": series.id, "plan": None, "employee": person.id, "coach": series.coach_id,
                   "starts_at": starts_at, "ends_at": starts_at + ends, "timezone": person.timezone,
                   "changed_at": now, "created_at": now}


@db.atomic()
def start_checkin_series(coach, team_ids, person_ids, first_day, local_time, interval_weeks, until,
                         duration_minutes=30):
    """One series per member of the chosen teams and chosen person (skipping those who already have
    a running series with this coach). Returns (started series, people skipped)."""
    _check_rhythm(first_day, local_time, interval_weeks, until, duration_minutes)
    people = chosen_people(coach, team_ids, person_ids)
    running = {series.employee_id for series in CheckInSeries.select(CheckInSeries.employee).where(
        CheckInSeries.coach == coach.id, CheckInSeries.active == True,  # noqa: E712
        CheckInSeries.employee.in_([p.id for p in people]))}
    first_local = datetime.combine(first_day, local_time)
    rule = build_rule("every_n_weeks" if interval_weeks > 1 else "weekly", first_local, interval_weeks, until=until)
    started, skipped, rows, now = [], [], [], utcnow()
    for person in people:
        if person.id in running:
            skipped.append(person)
            continue
        series = CheckInSeries.create(employee=person, coach=coach, rrule=rule, first_start_local=first_local,
                                      timezone=person.timezone, duration_minutes=duration_minutes, created_at=now)
        rows.extend(_occurrence_rows(series, person, until, now))
        started.append(series)
    if not rows and started:
        raise Refused("No check-in of this series would be in the future.", "first_day")
    for start in range(0, len(rows), 500):
        CheckIn.insert_many(rows[start:start + 500]).execute()
    for series in started:
        checkin_series_changed.send(series, change="started")
    return started, skipped


def can_stop(user, series):
    """The series' coach, or another coach of the person's team."""
    return user.id == series.coach_id or access.can_coach(user, series.employee)


@db.atomic()
def stop_checkin_series(user, series):
    """Cancel the series' future check-ins (each a calendar change) and stop it."""
    _require(can_stop(user, series))
    if not series.active:
        return 0
    now = utcnow()
    cancelled = (CheckIn.update(status="cancelled", sequence=CheckIn.sequence + 1, changed_at=now)
                 .where(CheckIn.series == series.id, CheckIn.status == "scheduled", CheckIn.starts_at > now)
                 .execute())
    series.active = False
    series.save()
    checkin_series_changed.send(series, change="stopped")
    return cancelled


def series_of_coach(coach):
    """The series `coach` runs, running ones first, with the person loaded (page it)."""
    return (CheckInSeries.select(CheckInSeries, User).join(User, on=(CheckInSeries.employee == User.id))
            .where(CheckInSeries.coach == coach.id)
            .order_by(CheckInSeries.active.desc(), User.display_name, CheckInSeries.id))


def next_checkins(series_ids, now=None):
    """{series id: its next scheduled CheckIn}, in two queries whatever the series' length."""
    if not series_ids:
        return {}
    coming = ((CheckIn.series.in_(series_ids)) & (CheckIn.status == "scheduled")
              & (CheckIn.starts_at > (now or utcnow())))
    first = dict(CheckIn.select(CheckIn.series, pw.fn.MIN(CheckIn.starts_at)).where(coming)
                 .group_by(CheckIn.series).tuples())
    if not first:
        return {}
    found = {}
    for checkin in CheckIn.select().where(coming, CheckIn.starts_at.in_(list(set(first.values())))):
        if first.get(checkin.series_id) == checkin.starts_at:
            found.setdefault(checkin.series_id, checkin)
    return found


def interval_label(series):
    parts = dict(part.split("=", 1) for part in series.rrule.split(";") if "=" in part)
    return INTERVALS.get(int(parts.get("INTERVAL", "1")), "Recurring")


@db.atomic()
def mark_agenda_item_done(user, checkin, item, done=True):
    """The employee or their coach ticks an item off (or opens it again); a ticked item stops carrying."""
    _require(access.can_take_part(user, checkin) and shows_on(item, checkin))
    item.done_at = utcnow() if done else None
    CheckInAgendaItem.update(done_at=item.done_at).where(CheckInAgendaItem.id == item.id).execute()
    return item


def shows_on(item, checkin):
    """Is the agenda item on this check-in, or carried to it from the same series?"""
    if item.checkin_id == checkin.id:
        return True
    return item.checkin.series_id is not None and item.checkin.series_id == checkin.series_id


def carried_items(checkin):
    """Open agenda items of the series' earlier check-ins, oldest first, with their check-in."""
    if checkin.series_id is None:
        return []
    earlier = CheckIn.select(CheckIn.id).where(CheckIn.series == checkin.series_id,
                                               CheckIn.starts_at < checkin.starts_at, CheckIn.id != checkin.id)
    item = CheckInAgendaItem
    return list(item.select(item, User, CheckIn).join(User, on=(item.author == User.id))
                .switch(item).join(CheckIn, on=(item.checkin == CheckIn.id))
                .where(item.checkin.in_(earlier), item.done_at.is_null())
                .order_by(CheckIn.starts_at, item.created_at, item.id))

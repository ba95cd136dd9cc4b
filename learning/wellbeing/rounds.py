"""Pulse rounds: the rhythm in force on a day and the round that day falls in.

Days are programme days (`LEARNING_TIMEZONE`). A round runs from its first day until the next
round (or the next rhythm) begins; answers go to the open round only and a round's figures are
shown once it has closed, so nobody can read one person's answer as the change between two
looks at an open round. A new rhythm starts tomorrow at the earliest: rounds already under way
or closed never move, and a closed round never opens again."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, has_app_context

from config import Config

from learning.db import db
from learning.refusals import Refused
from learning.timezones import now_in
from learning.wellbeing.models import PulseRhythm

MAX_WEEKS = 8


@dataclass(frozen=True)
class Round:
    starts_on: date
    ends_on: date       # the first day of the next round: not part of this one

    @property
    def last_day(self):
        return self.ends_on - timedelta(days=1)


def programme_today():
    """Today in the programme's zone (the configured default outside a request or command)."""
    zone = current_app.config["LEARNING_TIMEZONE"] if has_app_context() else Config.LEARNING_TIMEZONE
    return now_in(zone).date()


def rhythms():
    return list(PulseRhythm.select().order_by(PulseRhythm.starts_on))


def round_on(day, schedule):
    """The round `day` falls in under `schedule` (rhythms oldest first), or None (no pulse)."""
    current, following = None, None
    for rhythm in schedule:
        if rhythm.starts_on <= day:
            current = rhythm
        elif following is None:
            following = rhythm
    if current is None or not current.active:
        return None
    length = timedelta(weeks=current.every_weeks)
    start = current.starts_on + length * ((day - current.starts_on) // length)
    end = start + length
    if following is not None and following.starts_on < end:
        end = following.starts_on
    return Round(start, end)


def open_round(today=None, schedule=None):
    today = today or programme_today()
    return round_on(today, rhythms() if schedule is None else schedule)


def closed_before(today=None):
    """Rounds that started before this day are closed: the open round's first day, or tomorrow."""
    today = today or programme_today()
    current = open_round(today)
    return current.starts_on if current else today + timedelta(days=1)


@db.atomic()
def set_rhythm(starts_on, every_weeks, active, actor, today=None):
    """A new rhythm from `starts_on` (tomorrow or later), replacing rhythms planned after today."""
    today = today or programme_today()
    if starts_on <= today:
        raise Refused("Start the new rhythm tomorrow or later, so that rounds under way keep their answers.",
                      "starts_on")
    if active and not 1 <= (every_weeks or 0) <= MAX_WEEKS:
        raise Refused(f"Choose every 1 to {MAX_WEEKS} weeks.", "every_weeks")
    PulseRhythm.delete().where(PulseRhythm.starts_on > today).execute()
    return PulseRhythm.create(starts_on=starts_on, every_weeks=every_weeks or 1, active=active, set_by=actor)


def upcoming_rounds(today=None, count=4):
    """The first days of the next `count` rounds (for the rhythm page)."""
    today = today or programme_today()
    schedule, found, day = rhythms(), [], today
    for _ in range(count):
        following = _next_start(day, schedule)
        if following is None:
            break
        found.append(following)
        day = following
    return found


def _next_start(day, schedule):
    current = round_on(day, schedule)
    candidates = [current.ends_on] if current else []
    candidates += [r.starts_on for r in schedule if r.starts_on > day]
    for candidate in sorted(candidates):
        started = round_on(candidate, schedule)
        if started is not None and started.starts_on == candidate:
            return candidate
    return None

"""Changing the schedule: one occurrence (move, place, facilitator, cancel, capacity,
closing RSVPs, coach adds or removes people) and a series "from this date on".

A session keeps its UID for ever; every change of time, place or status counts
in `sequence` and stamps `changed_at`, so calendar clients replace their copy.
Changes that take places away from people ask for confirmation first.
"""
from datetime import datetime, timedelta

from learning.accounts.models import User
from learning.db import db, utcnow
from learning.refusals import NeedsConfirmation, Refused
from learning.schedule import signals
from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.service import (HOLDING, SEATS, announce_promotions, check_capacity, check_duration,
    check_start, check_texts, check_zone, checked_people, claim_place, expand, horizon_days, insert_sessions,
    release_place, session_seat_counts, set_links)
from learning.timezones import to_utc
from learning.wording import count_of


def holder_ids(session_ids):
    return sorted({uid for (uid,) in Rsvp.select(Rsvp.user).where(
        Rsvp.session.in_(list(session_ids)), Rsvp.status.in_(HOLDING)).tuples()})


def announce(session, change):
    signals.session_changed.send(session, change=change, user_ids=holder_ids([session.id]))


def mark_changed(session):
    session.sequence += 1
    session.changed_at = utcnow()
    session.moved = True


def edit_session(session, starts_local, duration_minutes, location="", video_url="", facilitator_id=None):
    """Move one occurrence or change its place or facilitator; the others stay as they are."""
    with db.atomic():
        session = SEATS.lock_parent(session)
        if session.is_cancelled:
            raise Refused("This session is cancelled; restore it before editing.")
        check_texts("-", "", location, video_url)
        check_duration(duration_minutes)
        check_start(starts_local)
        starts_at = to_utc(starts_local, session.timezone)
        ends_at = starts_at + timedelta(minutes=duration_minutes)
        if starts_at != session.starts_at and starts_at <= utcnow():
            raise Refused("Move the session to a time in the future.", "start_date")
        if facilitator_id and not User.get_or_none(User.id == facilitator_id, User.active == True):  # noqa: E712
            raise Refused("Choose a facilitator from the list.", "facilitator_id")
        moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
        placed = (location, video_url) != (session.location, session.video_url)
        session.facilitator = facilitator_id or None
        session.starts_at, session.ends_at, session.location, session.video_url = starts_at, ends_at, location, video_url
        if moved or placed:
            mark_changed(session)
        session.save()
        if moved or placed:
            announce(session, "moved" if moved else "updated")
        return session


def cancel_session(session, confirm=False):
    """Cancel one occurrence; it stays visible as cancelled. Asks first when people hold places."""
    with db.atomic():
        session = SEATS.lock_parent(session)
        if session.is_cancelled:
            return session
        affected = len(holder_ids([session.id]))
        if affected and not confirm:
            raise NeedsConfirmation(f"{affected} {people(affected)} will be told this session is cancelled.",
                                    affected=affected)
        session.status = "cancelled"
        mark_changed(session)
        session.save()
        announce(session, "cancelled")
        return session


def restore_session(session):
    with db.atomic():
        session = SEATS.lock_parent(session)
        if not session.is_cancelled:
            return session
        if session.starts_at <= utcnow():
            raise Refused("A past session cannot be restored.")
        session.status = "scheduled"
        mark_changed(session)
        session.save()
        announce(session, "restored")
        return session


def people(count):
    return "person" if count == 1 else "people"


def set_capacity(session, capacity, confirm=False):
    """A new seat limit; growing it promotes from the waitlist. Below those going asks first
    (they keep their seats; new RSVPs wait)."""
    with db.atomic():
        session = SEATS.lock_parent(session)
        check_capacity(capacity)
        going = SEATS.going_count(session)
        if capacity is not None and capacity < going and not confirm:
            raise NeedsConfirmation(f"{going} {people(going)} are already going: they keep their seats and new "
                                    "RSVPs join the waitlist.", "capacity", affected=going)
        session.capacity = capacity
        session.save()
        promoted = SEATS.fill_free_seats(session)
        announce_promotions(promoted)
        return promoted


def set_rsvp_closed(session, closed):
    with db.atomic():
        Session.update(rsvp_closed=bool(closed)).where(Session.id == session.id).execute()


def add_person(session, user):
    """A coach adds someone: a seat if one is free (or no limit), else the waitlist."""
    with db.atomic():
        session = SEATS.lock_parent(session)
        if session.is_cancelled:
            raise Refused("This session is cancelled.")
        if session.starts_at <= utcnow():
            raise Refused("This session has started: record who came on its attendance screen.")
        return claim_place(session, user)


def remove_person(session, user):
    with db.atomic():
        place = Rsvp.get_or_none(Rsvp.session == session, Rsvp.user == user)
        if place is None or place.status not in HOLDING:
            raise Refused("That person has no place at this session.")
        return release_place(place)


# --- a series from a date on --------------------------------------------------------

def edit_series_from(series, from_date, title, timezone, first_start_local, duration_minutes, rrule="",
                     capacity=None, team=None, description="", location="", video_url="",
                     competency_ids=(), facilitator_ids=(), confirm=False):
    """Apply a series' new rule and details to its occurrences from `from_date` (a local date) on.

    Future occurrences edited on their own (moved, cancelled) are left alone; the
    others are matched to the new rule by their original start, then by day, and
    keep their UID and places; occurrences the rule no longer gives are removed
    (cancelled when people hold places, which asks for confirmation first).
    Returns {"added", "changed", "removed"} counts.
    """
    with db.atomic():
        series = Series.select().where(Series.id == series.id).get()
        check_texts(title, description, location, video_url)
        check_zone(timezone)
        check_duration(duration_minutes)
        check_capacity(capacity)
        check_start(first_start_local)
        if first_start_local.date() < from_date:
            raise Refused("The new first session must be on or after the date the change starts.",
                          "start_date")
        facilitators, competencies = checked_people(facilitator_ids, competency_ids)
        cutoff = datetime.combine(from_date, datetime.min.time())
        now = utcnow()
        starts = [s for s in expand(rrule, first_start_local, timezone, max(cutoff, first_start_local))
                  if to_utc(s, timezone) > now]
        future = list(Session.select().where(Session.series == series, Session.recurrence_local >= cutoff,
                                             Session.starts_at > now).order_by(Session.recurrence_local))
        if not starts and not any(s.moved for s in future):
            raise Refused("This repeat rule gives no session from that date on.", "pattern")
        taken = {s.recurrence_local.date() for s in future if s.moved}
        plan = match_occurrences([s for s in future if not s.moved], starts, taken)
        affected = holder_ids([s.id for s in plan["removed"]])
        if affected and not confirm:
            raise NeedsConfirmation(f"{len(affected)} {people(len(affected))} hold places at the "
                                    f"{count_of(len(plan['removed']), 'session')} this change removes.",
                                    "pattern", affected=len(affected))
        _confirm_capacity_of_kept(plan["kept"], capacity, confirm)
        update_series_row(series, title, timezone, first_start_local, duration_minutes, rrule, capacity, team,
                          description, location, video_url)
        set_links(series, facilitators, competencies)
        remove_occurrences(plan["removed"])
        changed = sum(apply_to_occurrence(session, start, series) for session, start in plan["kept"])
        added = insert_sessions(series, plan["new"])
        return {"added": added, "changed": changed, "removed": len(plan["removed"])}


def _confirm_capacity_of_kept(kept, capacity, confirm):
    """Fewer seats than people already going at a kept session asks first; those people keep their places."""
    if capacity is None or confirm:
        return

    over = [n for n in session_seat_counts([session.id for session, _ in kept]).values() if n > capacity]
    if over:
        raise NeedsConfirmation(f"{count_of(len(over), 'session')} already {'has' if len(over) == 1 else 'have'} more than {capacity} people going "
                                f"(up to {max(over)}); they keep their places.", "capacity", affected=sum(over))


def match_occurrences(editable, starts, taken_days):
    """Pair editable sessions with new starts: same original start first, then same day.
    A day whose occurrence was edited on its own (`taken_days`) gets no new one."""
    by_start = {s.recurrence_local: s for s in editable}
    kept, unmatched = [], []
    for start in starts:
        if start in by_start:
            kept.append((by_start.pop(start), start))
        elif start.date() not in taken_days:
            unmatched.append(start)
    by_day = {}
    for session in by_start.values():
        by_day.setdefault(session.recurrence_local.date(), session)
    new = []
    for start in unmatched:
        session = by_day.pop(start.date(), None)
        if session is not None:
            del by_start[session.recurrence_local]
            kept.append((session, start))
        else:
            new.append(start)
    return {"kept": kept, "new": new, "removed": list(by_start.values())}


def update_series_row(series, title, timezone, first_start_local, duration_minutes, rrule, capacity, team,
                      description, location, video_url):
    series.title, series.description, series.timezone = title.strip(), description or "", timezone
    series.first_start_local, series.duration_minutes, series.rrule = first_start_local, duration_minutes, rrule or ""
    series.capacity, series.team, series.location, series.video_url = capacity, team, location or "", video_url or ""
    series.generated_until = utcnow() + timedelta(days=horizon_days())
    series.updated_at = utcnow()
    series.save()


def remove_occurrences(sessions):
    """Occurrences the rule no longer gives: cancelled when anyone holds or held a place, else deleted."""
    with_places = {sid for (sid,) in Rsvp.select(Rsvp.session).where(
        Rsvp.session.in_([s.id for s in sessions])).tuples()} if sessions else set()
    for session in sessions:
        if session.id in with_places:
            session.status = "cancelled"
            mark_changed(session)
            session.save()
            announce(session, "cancelled")
    gone = [s.id for s in sessions if s.id not in with_places]
    if gone:
        Session.delete().where(Session.id.in_(gone)).execute()


def apply_to_occurrence(session, start, series):
    """Bring a kept occurrence in line with the series. Returns 1 when its time or place changed."""
    starts_at = to_utc(start, series.timezone)
    ends_at = starts_at + timedelta(minutes=series.duration_minutes)
    changed = ((starts_at, ends_at, series.location, series.video_url)
               != (session.starts_at, session.ends_at, session.location, session.video_url))
    session.recurrence_local, session.starts_at, session.ends_at = start, starts_at, ends_at
    session.timezone, session.location, session.video_url = series.timezone, series.location, series.video_url
    old_capacity, session.capacity = session.capacity, series.capacity
    if changed:
        session.sequence += 1
        session.changed_at = utcnow()
    session.save()
    if changed:
        announce(session, "moved")
    if session.capacity != old_capacity:
        announce_promotions(SEATS.fill_free_seats(session))
    return int(changed)

"""Schedule rules: creating a series and its sessions, RSVP and withdrawal, and the
queries the pages, feeds and other capabilities read.

Every function runs in one transaction; a refusal raises Refused (with
the form field it concerns) and writes nothing. Editing occurrences and series
lives in `editing.py`, attendance and feedback in `attendance.py`.
"""
import re
from datetime import timedelta

import peewee as pw
from flask import current_app, has_app_context

from learning.accounts.models import Team, TeamCoach, User
from learning.competencies.models import Competency
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.schedule import signals
from learning.schedule.models import (KINDS, Rsvp, Series, SeriesCompetency, SeriesFacilitator,
                                      SeriesMember, Session)
from learning.schedule.recurrence import occurrences
from learning.schedule.seats import Seats, capacity_refusal
from learning.timezones import is_valid_zone, to_local, to_utc

UID_DOMAIN = "support-development.app"
HOLDING = ("going", "waitlisted")
LIMITS = {"title": 200, "description": 5000, "location": 200, "video_url": 500}
LONGEST_SESSION = timedelta(hours=12)   # check_duration's limit: lists of sessions still running look back this far
SEATS = Seats(Rsvp, "session")


def horizon_days():
    return current_app.config.get("SCHEDULE_HORIZON_DAYS", 365) if has_app_context() else 365


def session_uid(series_id, recurrence_local):
    return f"session-{series_id}-{recurrence_local:%Y%m%dT%H%M}@{UID_DOMAIN}"


# --- validation ----------------------------------------------------------------

def check_texts(title, description, location, video_url):
    if not (title or "").strip():
        raise Refused("Give the series a title.", "title")
    for name, value in (("title", title), ("description", description), ("location", location),
                        ("video_url", video_url)):
        if len(value or "") > LIMITS[name]:
            raise Refused(f"Keep this under {LIMITS[name]} characters (it has {len(value)}).", name)
        if "\x00" in (value or ""):
            raise Refused("This contains a character that cannot be stored.", name)
    if video_url and not re.match(r"^https?://[^\s]+$", video_url):
        raise Refused("A video link starts with https:// (or http://).", "video_url")


def check_capacity(capacity):
    if capacity_refusal(capacity):
        raise Refused(capacity_refusal(capacity), "capacity")


def check_duration(duration_minutes):
    if duration_minutes is None or duration_minutes <= 0:
        raise Refused("The session must end after it starts.", "end_time")
    if duration_minutes > LONGEST_SESSION.total_seconds() // 60:
        raise Refused(f"A session lasts at most {LONGEST_SESSION.total_seconds() // 3600:.0f} hours.", "end_time")


def check_start(first_start_local, field="start_date"):
    """A start within the next five years (far dates overflow time-zone arithmetic)."""
    if first_start_local is None:
        raise Refused("Give the date and time of the first session.", field)
    if not (2000 <= first_start_local.year <= utcnow().year + 5):
        raise Refused("Choose a date within the next five years.", field)


def check_zone(timezone):
    if not is_valid_zone(timezone):
        raise Refused("Choose a time zone from the list, e.g. Europe/Berlin.", "timezone")


def expand(rule, first_start_local, timezone, after_local=None):
    """The rule's wall-clock starts from `after_local` up to the horizon (refusing bad rules)."""
    until_local = to_local(utcnow() + timedelta(days=horizon_days()), timezone).replace(tzinfo=None)
    try:
        return occurrences(rule, first_start_local, max(until_local, first_start_local), after_local)
    except Refused as error:
        raise Refused(str(error), "pattern") from None


def checked_people(facilitator_ids, competency_ids):
    facilitators = list(User.select().where(User.id.in_(list(facilitator_ids)), User.active == True))  # noqa: E712
    if len(facilitators) != len(set(facilitator_ids)):
        raise Refused("Choose facilitators from the list.", "facilitator_ids")
    competencies = list(Competency.select().where(Competency.id.in_(list(competency_ids))))
    if len(competencies) != len(set(competency_ids)):
        raise Refused("Choose competencies from the list.", "competency_ids")
    return facilitators, competencies


# How far back a one-off can be recorded: the same 90 days that "Attendance to take" looks back.
RECORDING_WINDOW = timedelta(days=90)


def validate_series(kind, title, timezone, first_start_local, duration_minutes, rrule, capacity,
                    description, location, video_url, history=False):
    if kind not in KINDS:
        raise Refused("Choose what kind of series this is.", "kind")
    check_texts(title, description, location, video_url)
    check_zone(timezone)
    check_duration(duration_minutes)
    check_capacity(capacity)
    check_start(first_start_local)
    first_utc = to_utc(first_start_local, timezone)
    if not history and rrule and first_utc <= utcnow():
        raise Refused("The first session of a repeating series must be in the future "
                      "(a one-off session may be in the past, to record it).", "start_date")
    if not history and first_utc < utcnow() - RECORDING_WINDOW:
        raise Refused(f"A session that already happened can be recorded up to {RECORDING_WINDOW.days} days "
                      "later; choose a later date.", "start_date")
    starts = expand(rrule, first_start_local, timezone)
    if not starts:
        raise Refused("This repeat rule gives no session: check the end date or number of times.",
                      "pattern")
    return starts


# --- series ---------------------------------------------------------------------

def create_series(created_by, kind, title, timezone, first_start_local, duration_minutes, rrule="",
                  capacity=None, team=None, description="", location="", video_url="",
                  competency_ids=(), facilitator_ids=(), history=False):
    """Write a series and its sessions over the horizon, or refuse with Refused.
    A one-off may be dated in the past: it records a session that already happened (no RSVP,
    reminder or notice follows: those are for sessions to come). `history=True` records a
    repeating series that began in the past (demo data, imports)."""
    with db.atomic():
        check_team_choice(created_by, team)
        starts = validate_series(kind, title, timezone, first_start_local, duration_minutes, rrule, capacity,
                                 description, location, video_url, history)
        facilitators, competencies = checked_people(facilitator_ids, competency_ids)
        series = Series.create(
            kind=kind, title=title.strip(), description=description or "", location=location or "",
            video_url=video_url or "", capacity=capacity, duration_minutes=duration_minutes,
            timezone=timezone, first_start_local=first_start_local, rrule=rrule or "", team=team,
            created_by=created_by, generated_until=utcnow() + timedelta(days=horizon_days()))
        set_links(series, facilitators, competencies)
        signals.series_created.send(series, sessions=insert_sessions(series, starts))
        return series


def set_links(series, facilitators, competencies):
    SeriesFacilitator.delete().where(SeriesFacilitator.series == series).execute()
    SeriesCompetency.delete().where(SeriesCompetency.series == series).execute()
    if facilitators:
        SeriesFacilitator.insert_many([{"series": series.id, "user": u.id} for u in facilitators]).execute()
    if competencies:
        SeriesCompetency.insert_many([{"series": series.id, "competency": c.id} for c in competencies]).execute()


def insert_sessions(series, starts):
    """Session rows for the wall-clock `starts` of a series, in bulk. Returns how many."""
    now = utcnow()
    rows = []
    for start in starts:
        starts_at = to_utc(start, series.timezone)
        rows.append({
            "series": series.id, "uid": session_uid(series.id, start), "recurrence_local": start,
            "starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=series.duration_minutes),
            "timezone": series.timezone, "location": series.location, "video_url": series.video_url,
            "capacity": series.capacity, "changed_at": now,
        })
    for offset in range(0, len(rows), 200):
        Session.insert_many(rows[offset:offset + 200]).execute()
    give_members_places(series, starts)
    return len(rows)


def future_sessions(series, now=None):
    """The series' sessions still to start and not cancelled, in time order: what enrolment covers."""
    return (Session.select().where(Session.series == series, Session.status == "scheduled",
                                   Session.starts_at > (now or utcnow()))
            .order_by(Session.starts_at, Session.id))


def give_members_places(series, starts):
    """The series' members (SeriesMember) take places at its sessions that start at `starts` (wall clock),
    in the order they joined."""
    members = list(User.select(User.id).join(SeriesMember, on=(SeriesMember.user == User.id))
                   .where(SeriesMember.series == series.id, User.active == True)  # noqa: E712
                   .order_by(SeriesMember.id))
    if members and starts:
        SEATS.claim_many(list(future_sessions(series).where(Session.recurrence_local.in_(list(starts)))), members)


def extend_horizon():
    """Generate the sessions of every active recurring series up to today + horizon.
    Idempotent (safe to run daily). Returns the number of sessions added."""
    added = 0
    horizon_end = utcnow() + timedelta(days=horizon_days())
    for series in Series.select().where(Series.active == True, Series.rrule != ""):  # noqa: E712
        with db.atomic():
            known = {row.recurrence_local for row in
                     Session.select(Session.recurrence_local).where(Session.series == series)}
            after = to_local(series.generated_until, series.timezone).replace(tzinfo=None) \
                if series.generated_until else series.first_start_local
            starts = [s for s in expand(series.rrule, series.first_start_local, series.timezone, after)
                      if s not in known]
            added += insert_sessions(series, starts)
            Series.update(generated_until=horizon_end).where(Series.id == series.id).execute()
    return added


# --- RSVP -------------------------------------------------------------------------

def rsvp_refusal(session, user=None):
    """Why nobody (or `user`) may RSVP now, or None."""
    if session.status == "cancelled":
        return "This session is cancelled."
    if session.starts_at <= utcnow():
        return "This session has already started, so RSVPs are closed."
    if session.rsvp_closed:
        return "RSVPs for this session are closed."
    if user is not None and not may_take_place(user, session):
        return "This session is for its team: a coach of the team can add you."
    return None


def rsvp(session, user):
    """Claim a seat (going) or a waitlist place, first come first served."""
    with db.atomic():
        locked = SEATS.lock_parent(session)
        locked.series = session.series   # the lock re-reads the session's row only
        refusal = rsvp_refusal(locked, user)
        if refusal:
            raise Refused(refusal)
        return claim_place(locked, user, locked=True)


def claim_place(session, user, locked=False, **extra):
    place = SEATS.claim(session, user, locked=locked, **extra)
    signals.rsvp_changed.send(place, old_status=place.previous_status, promoted=False)
    return place


def withdraw(session, user):
    """Give up a seat or waitlist place; the first in line is promoted. Returns those promoted."""
    with db.atomic():
        place = Rsvp.get_or_none(Rsvp.session == session, Rsvp.user == user)
        if place is None or place.status not in HOLDING:
            raise Refused("You have no place at this session.")
        place.session, place.user = session, user   # at hand for the lock and the listeners
        if session.starts_at <= utcnow():
            raise Refused("This session has already started.")
        return release_place(place)


def release_place(place):
    old = place.status
    promoted = SEATS.release(place)
    signals.rsvp_changed.send(place, old_status=old, promoted=False)
    announce_promotions(promoted)
    return promoted


def announce_promotions(promoted):
    for place in promoted:
        signals.rsvp_changed.send(place, old_status="waitlisted", promoted=True)


def waitlist_position(place):
    return SEATS.waitlist_position(place)


# --- queries ------------------------------------------------------------------------

def upcoming_sessions_query(kind=None, competency_id=None, team_id=None, facilitator_id=None,
                            since=None, include_cancelled=True, earliest_start=None):
    """Sessions not yet over at `since` (default now) in time order, with their series joined.

    A session still running started at most LONGEST_SESSION ago, so the start bound reads
    the `starts_at` index from there in list order (a page reads its rows and stops) instead of
    every future session; the series' `active` flag is asked per row (EXISTS) so that, without
    other filters on the series, the database walks sessions in time order rather than series."""
    since = since or utcnow()
    earliest_start = earliest_start or since - LONGEST_SESSION
    active = Series.alias("active_series")
    query = (Session.select(Session, Series).join(Series)
             .where(Session.starts_at >= earliest_start, Session.ends_at >= since,
                    pw.fn.EXISTS(active.select(active.id).where(active.id == Session.series,
                                                                active.active == True)))  # noqa: E712
             .order_by(Session.starts_at, Session.id))
    if kind:
        query = query.where(Series.kind == kind)
    if not include_cancelled:
        query = query.where(Session.status == "scheduled")
    if competency_id:
        query = query.where(Series.id.in_(SeriesCompetency.select(SeriesCompetency.series)
                                          .where(SeriesCompetency.competency == competency_id)))
    if team_id:
        query = query.where(Series.team == team_id)
    if facilitator_id:
        query = query.where(led_sessions_rule(facilitator_id))
    return query


def session_and_series(session_id):
    """The query for one session with its series joined (what a session's page and API answer read)."""
    return Session.select(Session, Series).join(Series).where(Session.id == session_id)


def held_or_led_rule(user_id):
    """The WHERE condition for a person's own sessions: a place held (going or waitlisted) or run by them."""
    # One IN over a UNION of the person's own session ids (each part through its index): with an
    # OR of the three, the planner walked the programme's sessions in time order instead.
    held = Rsvp.select(Rsvp.session).where(Rsvp.user == user_id, Rsvp.status.in_(HOLDING))
    led = Session.select(Session.id).where(Session.facilitator == user_id)
    series_led = (Session.select(Session.id).join(SeriesFacilitator, on=(SeriesFacilitator.series == Session.series))
                  .where(SeriesFacilitator.user == user_id, Session.facilitator.is_null()))
    return Session.id.in_(held | led | series_led)


def own_sessions(user_id, *columns):
    """A person's own sessions (held or run) with their series and, when they have one, their place."""
    place = (Rsvp.session == Session.id) & (Rsvp.user == user_id)
    return (Session.select(*(columns or (Session, Series, Rsvp))).join(Series)
            .switch(Session).join(Rsvp, pw.JOIN.LEFT_OUTER, on=place, attr="place")
            .where(held_or_led_rule(user_id)))


def next_sessions_of(user_id, now, limit=5):
    """The dashboard's "Your next sessions": places held and sessions run, soonest first
    (what the panel shows of each: its time, status, title and the person's place)."""
    # The start bound lets the starts_at index be read from now, not from the first session ever.
    columns = (Session.id, Session.starts_at, Session.status, Series.id, Series.title, Rsvp.id, Rsvp.status)
    return list(own_sessions(user_id, *columns).where(Session.ends_at >= now, Session.starts_at >= now - LONGEST_SESSION)
                .order_by(Session.starts_at, Session.id).limit(limit))


ATTENDANCE_LOOKBACK = RECORDING_WINDOW


def attendance_to_take(user, now, limit=10):
    """Sessions `user` runs that are over, not cancelled and have no attendance recorded yet
    (the last ATTENDANCE_LOOKBACK), most recent first."""
    # NOT EXISTS per session (through the rsvp index by session), not NOT IN over every recorded place.
    recorded = Rsvp.select(Rsvp.id).where(Rsvp.session == Session.id, Rsvp.attendance.is_null(False))
    return list(Session.select(Session.id, Session.starts_at, Series.id, Series.title).join(Series)
                .where(led_sessions_rule(user.id), Session.status == "scheduled", Series.active == True,  # noqa: E712
                       Session.ends_at < now, Session.ends_at >= now - ATTENDANCE_LOOKBACK,
                       ~pw.fn.EXISTS(recorded))
                .order_by(Session.starts_at.desc()).limit(limit))



def session_seat_counts(session_ids):
    """{session id: number going}, one query."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    counts = dict.fromkeys(ids, 0)
    counts.update(Rsvp.select(Rsvp.session, pw.fn.COUNT(Rsvp.id)).where(Rsvp.session.in_(ids), Rsvp.status == "going")
                  .group_by(Rsvp.session).tuples())
    return counts


def places_of(user, session_ids):
    """{session id: this person's Rsvp}, one query."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    columns = (Rsvp.id, Rsvp.session, Rsvp.status, Rsvp.queue_number, Rsvp.attendance)
    return {r.session_id: r for r in Rsvp.select(*columns).where(Rsvp.user == user.id, Rsvp.session.in_(ids))}


def people_by_id(user_ids):
    """{id: User with id and name} for these ids (a session's own facilitator, say); no query for none."""
    ids = sorted(set(user_ids))
    return {u.id: u for u in User.select(User.id, User.display_name).where(User.id.in_(ids))} if ids else {}


def waitlist_positions(places):
    """{rsvp id: position in line} for waitlisted places, one query."""
    waiting = [p.id for p in places if p.status == "waitlisted"]
    if not waiting:
        return {}
    ahead = Rsvp.alias()
    rows = (Rsvp.select(Rsvp.id, pw.fn.COUNT(ahead.id))
            .join(ahead, on=((ahead.session == Rsvp.session) & (ahead.status == "waitlisted")
                             & (ahead.queue_number <= Rsvp.queue_number)))
            .where(Rsvp.id.in_(waiting)).group_by(Rsvp.id).tuples())
    return dict(rows)


def facilitators_of(series_ids):
    """{series id: [User with id and name]}, one query."""
    result = {sid: [] for sid in series_ids}
    if not result:
        return result
    for link in (SeriesFacilitator.select(SeriesFacilitator.series, User.id, User.display_name).join(User)
                 .where(SeriesFacilitator.series.in_(list(result))).order_by(User.display_name)):
        result[link.series_id].append(link.user)
    return result


def competencies_of(series_ids):
    """{series id: [Competency with id and name]}, one query."""
    result = {sid: [] for sid in series_ids}
    if not result:
        return result
    for link in (SeriesCompetency.select(SeriesCompetency.series, Competency.id, Competency.name).join(Competency)
                 .where(SeriesCompetency.series.in_(list(result))).order_by(Competency.position)):
        result[link.series_id].append(link.competency)
    return result


# --- who runs and who manages a session: the one place these rules live ----------------

def led_sessions_rule(user_id):
    """The WHERE condition for the sessions a person runs: those they facilitate themselves,
    and those of series they facilitate that name no facilitator of their own."""
    series_led = SeriesFacilitator.select(SeriesFacilitator.series).where(SeriesFacilitator.user == user_id)
    return (Session.facilitator == user_id) | (Session.facilitator.is_null() & Session.series.in_(series_led))


def managed_series_rule(user):
    """The WHERE condition for the series `user` manages: admins all; everyone the series they
    facilitate; coaches their own teams' series and the programme-wide series they created."""
    if user.is_admin:
        return Series.id.is_null(False)
    rule = Series.id.in_(SeriesFacilitator.select(SeriesFacilitator.series).where(SeriesFacilitator.user == user.id))
    if user.is_coach:
        coached = TeamCoach.select(TeamCoach.team).where(TeamCoach.user == user.id)
        rule |= Series.team.in_(coached) | (Series.team.is_null() & (Series.created_by == user.id))
    return rule


def managed_sessions_rule(user):
    """The WHERE condition for the sessions `user` manages (edit, cancel, seats, people,
    attendance, agenda): those of the series they manage and those they facilitate themselves."""
    if user.is_admin:
        return Session.id.is_null(False)
    return (Session.facilitator == user.id) | Session.series.in_(Series.select(Series.id).where(managed_series_rule(user)))


def can_manage_series(user, series):
    return user.is_admin or Series.select().where(Series.id == series.id, managed_series_rule(user)).exists()


def can_manage_session(user, session):
    """managed_sessions_rule for one session: its facilitator, or someone who manages its series."""
    return (user.is_admin or session.facilitator_id == user.id
            or Series.select().where(Series.id == session.series_id, managed_series_rule(user)).exists())


def plannable_teams(user):
    """The teams `user` may plan series for: admins every team, coaches the teams they coach."""
    query = Team.select().order_by(Team.name)
    return query if user.is_admin else query.where(
        Team.id.in_(TeamCoach.select(TeamCoach.team).where(TeamCoach.user == user.id)))


def check_team_choice(user, team):
    """A coach plans for the teams they coach or for everyone, never for another coach's team."""
    if team is not None and not plannable_teams(user).where(Team.id == team.id).exists():
        raise Refused("Choose one of the teams you coach, or everyone.", "team_id")


def may_take_place(user, session):
    """A programme-wide session takes everyone; a team's session its members and the people who
    manage it (its coaches add others by name)."""
    team_id = session.series.team_id
    return team_id is None or user.team_id == team_id or can_manage_session(user, session)


def holders(session):
    """People going or waitlisted, in queue order."""
    return list(Rsvp.select(Rsvp, User).join(User)
                .where(Rsvp.session == session, Rsvp.status.in_(HOLDING)).order_by(Rsvp.queue_number))

"""What each feed shows, and its cheap fingerprint for conditional GETs.

A feed is a list of event sources. Each source answers two questions: its
`state(window)`, a few aggregates of what it shows (how many events, the newest
change among them), read in one query on every poll to make the ETag and
Last-Modified; and its `events(window)`, the VEVENTs, built only when the
calendar app's copy is out of date. The personal feed is the person's sessions
(places held and sessions run) and their coaching check-ins; programme feeds
are the sessions of one series, one kind or one team's meetups that the feed's
owner can attend: programme-wide sessions, their own team's, and those they
run or manage.

A feed covers a window counted from the start of the current UTC day, so output
is the same all day for unchanged data: a programme feed the last 30 days and
the next 365, the personal feed 90 days back. A programme feed also keeps to the
nearest sessions (50 before today, 150 from today on), so a large organisation's
programme never makes it heavier than a busy person's year. A cancelled
occurrence stays until the day after it ended.
"""
from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee as pw

from learning.accounts.models import Team
from learning.calendars import ical
from learning.prepared_sql import Prepared
from learning.coaching.models import CheckIn
from learning.coaching.service import checkin_stamps_for_feed, checkins_for_feed
from learning.db import db, utcnow
from learning.schedule.models import KIND_LABELS, Rsvp, Series, Session
from learning.schedule.service import held_or_led_rule, managed_sessions_rule, own_sessions

# The columns an event is written from (ical.session_properties): a feed reads no others. Rows of
# all 42 columns (11 datetimes) took 10.5 ms of CPU for a 204-event feed at bench scale 1 on
# SQLite (7.8 ms at scale 10 on PostgreSQL); these 21 take 6.5 ms (4.7 ms).
EVENT_COLUMNS = (Session.id, Session.uid, Session.starts_at, Session.ends_at, Session.timezone, Session.location,
                 Session.video_url, Session.status, Session.sequence, Session.changed_at, Series.id, Series.kind,
                 Series.title, Series.description, Series.location, Series.video_url, Series.updated_at)
PLACE_COLUMNS = (Rsvp.id, Rsvp.status, Rsvp.sequence, Rsvp.updated_at)

PERSONAL_DAYS_BACK = 90
PROGRAMME_DAYS_BACK = 30
DAYS_AHEAD = 365
# A programme feed holds no more than a busy person's year (the bench's feed people hold about
# 200 places): at bench scale 10 "all module sessions" had 14,147 in its window, 8 MB and 13 s.
PROGRAMME_EVENTS_BACK = 50
PROGRAMME_EVENTS_AHEAD = 150


@dataclass(frozen=True)
class Window:
    today: datetime  # midnight UTC of the day the feed is served
    days_back: int = PERSONAL_DAYS_BACK

    @property
    def start(self):
        return self.today - timedelta(days=self.days_back)

    @property
    def end(self):
        return self.today + timedelta(days=DAYS_AHEAD)


def current_window(days_back=PERSONAL_DAYS_BACK):
    now = utcnow()
    return Window(datetime(now.year, now.month, now.day), days_back)


def window_for(feed):
    return current_window(PERSONAL_DAYS_BACK if feed.scope == "personal" else PROGRAMME_DAYS_BACK)


def sessions_in(window):
    return ((Session.starts_at >= window.start) & (Session.starts_at < window.end)
            & ((Session.status != "cancelled") | (Session.ends_at >= window.today)))


def _session_state(query, *columns):
    """`columns` and the aggregates that move when a session in `query` is added, removed or
    changed (editing a session or its series stamps `changed_at` / `updated_at`)."""
    return query.select(*columns, pw.fn.COUNT(Session.id), pw.fn.SUM(Session.id), pw.fn.SUM(Session.sequence),
                               pw.fn.MAX(Session.changed_at), pw.fn.MAX(Series.updated_at))


class PersonalSessions:
    """Sessions a person holds a place at (going or waitlisted) or runs (as the session's or its series'
    facilitator: the schedule's led_sessions_rule)."""

    def __init__(self, user):
        self.user = user

    def _query(self, window, *columns):
        # Start from the person's own places and the sessions they run (indexed), not from
        # every session in the window: the window holds the whole programme.
        return own_sessions(self.user.id, *columns).where(sessions_in(window), Series.active == True)  # noqa: E712

    def waitlist_positions(self):
        """{session id: position} for this person's waitlisted places, in one query."""
        mine, in_front = _waiting_in_front(self.user.id)
        return {session_id: count + 1 for count, session_id in
                in_front.select_extend(mine.session).group_by(mine.session).tuples()}

    def state(self, window):
        return _PERSONAL_STATE.rows(user_id=self.user.id, start=window.start, end=window.end, today=window.today)[0]

    def events(self, window):
        positions = self.waitlist_positions()
        for session in self._query(window, *EVENT_COLUMNS, *PLACE_COLUMNS).order_by(Session.starts_at, Session.id):
            place = getattr(session, "place", None)
            stamp = max(t for t in (session.changed_at, session.series.updated_at,
                                    place and place.updated_at) if t is not None)
            if place is not None and place.status == "waitlisted":
                note = (f"You are number {positions.get(session.id, 1)} on the waitlist. This event turns "
                        "confirmed in your calendar when a seat frees up for you.")
                yield ical.session_properties(session, "TENTATIVE", place.sequence, note, stamp)
            else:
                yield ical.session_properties(session, None, place.sequence if place else 0, "", stamp)


def _waiting_in_front(user_id):
    """The places waiting in front of a person's waitlisted places, and the alias of theirs."""
    mine, ahead = Rsvp.alias(), Rsvp.alias()
    in_front = ((ahead.session == mine.session) & (ahead.status == "waitlisted")
                & (ahead.queue_number < mine.queue_number))
    return mine, (mine.select(pw.fn.COUNT(ahead.id)).join(ahead, on=in_front)
                  .where(mine.user == user_id, mine.status == "waitlisted"))


Bounds = namedtuple("Bounds", "start end today")   # a window's datetimes, as sessions_in reads them


def _personal_state_query(user_id, start, end, today):
    """The newest change to any of the person's places and the sum of their sequences, given back
    ones too (a place given back leaves the feed, and Last-Modified must move): every change of a
    place stamps both (schedule/seats.py). How many wait in front of them all together, which only
    falls, so it moves whenever a waitlist number does. And the aggregates of their sessions,
    counted without joining their places again (2,013 buffers instead of 2,611 at bench scale 10)."""
    sessions = (Session.select().join(Series)
                .where(held_or_led_rule(user_id), sessions_in(Bounds(start, end, today)),
                       Series.active == True))  # noqa: E712
    places = Rsvp.select(pw.fn.MAX(Rsvp.updated_at)).where(Rsvp.user == user_id)
    sequences = Rsvp.select(pw.fn.SUM(Rsvp.sequence)).where(Rsvp.user == user_id)
    return _session_state(sessions, places, sequences, _waiting_in_front(user_id)[1])


# What a personal feed's 304 runs besides finding the feed, compiled once (prepared.py).
_PERSONAL_STATE = Prepared(
    _personal_state_query, {"user_id": int, "start": datetime, "end": datetime, "today": datetime},
    converters=(Rsvp.updated_at.python_value, int, int, int, int, int, Session.changed_at.python_value,
                Series.updated_at.python_value))
_CHECKIN_STATE = Prepared(
    checkin_stamps_for_feed, {"user_id": int, "start": datetime, "end": datetime},
    converters=(None, None, CheckIn.changed_at.python_value, None, None, None))


def attendable_rule(user):
    """The WHERE condition for the sessions `user` can attend: programme-wide ones, their own
    team's, and those they run or manage (coaches their teams', admins every one), as the
    schedule's may_take_place decides for one session."""
    return Series.team.is_null() | (Series.team == user.team_id) | managed_sessions_rule(user)


class ProgrammeSessions:
    """The sessions of one series, one kind, or one team's case-review meetups that the feed's
    owner can attend, at most the PROGRAMME_EVENTS_BACK latest before today and the
    PROGRAMME_EVENTS_AHEAD soonest from today on within the window."""

    def __init__(self, user, condition):
        self.user, self.condition, self.edges = user, condition, None

    def _in_window(self, window, *columns):
        return (Session.select(*columns).join(Series)
                .where(sessions_in(window), Series.active == True, self.condition,  # noqa: E712
                       attendable_rule(self.user)))

    def _edges(self, window):
        """(after, before): the feed holds the sessions starting strictly between them. Each is the
        start of the first session beyond the feed's share on its side of today, read by one step
        along session(starts_at) or session(series_id, starts_at), or the window's own bound."""
        if self.edges is None:
            candidates = self._in_window(window, Session.starts_at).limit(1)
            latest = candidates.where(Session.starts_at < window.today).order_by(Session.starts_at.desc())
            soonest = candidates.where(Session.starts_at >= window.today).order_by(Session.starts_at)
            after, before = db.execute(pw.Select(columns=(latest.offset(PROGRAMME_EVENTS_BACK),
                                                          soonest.offset(PROGRAMME_EVENTS_AHEAD)))).fetchone()
            self.edges = (Session.starts_at.python_value(after) or window.start - timedelta(days=1),
                          Session.starts_at.python_value(before) or window.end)
        return self.edges

    def _query(self, window, *columns):
        after, before = self._edges(window)
        return self._in_window(window, *columns).where(Session.starts_at > after, Session.starts_at < before)

    def state(self, window):
        return _session_state(self._query(window)).tuples().get()

    def events(self, window):
        for session in self._query(window, *EVENT_COLUMNS).order_by(Session.starts_at, Session.id):
            yield ical.session_properties(session, stamp=max(session.changed_at, session.series.updated_at))


class CoachingCheckIns:
    """A person's coaching check-ins: title and time only (never notes). Their titles name both
    people, so the state is the rows themselves (a person has a few in a window)."""

    def __init__(self, user):
        self.user = user
        self.rows = None

    def _rows(self, window):
        if self.rows is None:
            self.rows = list(checkins_for_feed(self.user, window.start, window.end))
        return self.rows

    def state(self, window):
        return tuple(_CHECKIN_STATE.rows(user_id=self.user.id, start=window.start, end=window.end))

    def events(self, window):
        for checkin in self._rows(window):
            yield ical.checkin_properties(checkin, checkin.title)


def programme_condition(scope, key):
    if scope == "series":
        return Series.id == int(key)
    if scope == "kind":
        return Series.kind == key
    return (Series.team == int(key)) & (Series.kind == "case_review")


def sources_for(feed):
    if feed.scope == "personal":
        return [PersonalSessions(feed.user), CoachingCheckIns(feed.user)]
    return [ProgrammeSessions(feed.user, programme_condition(feed.scope, feed.scope_key))]


def feed_title(feed):
    """The calendar's name (X-WR-CALNAME / NAME) and description."""
    if feed.scope == "personal":
        return (f"My learning programme ({feed.user.display_name})",
                "Sessions you are going to, waitlisted for or run, and your coaching check-ins.")
    if feed.scope == "kind":
        label = KIND_LABELS.get(feed.scope_key, feed.scope_key)
        return f"All {label.lower()}s", f"Every {label.lower()} in the learning programme."
    if feed.scope == "series":
        series = Series.get_or_none(Series.id == int(feed.scope_key))
        title = series.title if series else "A series"
        return title, f"Every session of the series {title}."
    team = Team.get_or_none(Team.id == int(feed.scope_key))
    name = team.name if team else "A team"
    return f"{name}: case-review meetups", f"The case-review meetups of {name}."


def feed_state(feed, window, sources):
    """Everything the feed's bytes depend on, as a tuple (hashed into the ETag): the owner's name
    and their team and roles (what they can attend), the day, the address, and each source's state."""
    user = feed.user
    return (feed.scope, feed.scope_key, user.display_name, user.team_id, user.is_coach, user.is_admin,
            window, ical.base_url(), tuple(source.state(window) for source in sources))


def feed_bytes(feed, window, sources):
    name, description = feed_title(feed)
    events = [event for source in sources for event in source.events(window)]
    return ical.calendar_bytes(events, name, description=description)

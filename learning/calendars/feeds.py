"""What each feed shows, and its cheap fingerprint for conditional GETs.

A feed is a list of event sources. Each source answers two questions: its
`state(window)` (a few aggregates, cheap enough for every poll: it feeds the
ETag) and its `events(window)` (serialised VEVENTs, built only on a cache
miss). The personal feed is the person's sessions plus their coaching
check-ins when the coaching capability is installed; programme feeds are the
sessions of one series, one kind or one team's meetups.

Every feed covers the same documented window: 90 days back to 12 months ahead,
counted from the start of the current UTC day, so output is the same all day
for unchanged data. A cancelled occurrence stays until the day after it ended.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee as pw

from learning.accounts.models import Team
from learning.calendars import ical
from learning.coaching.service import checkins_for_feed
from learning.db import utcnow
from learning.schedule.models import KIND_LABELS, Rsvp, Series, Session
from learning.schedule.service import own_sessions

DAYS_BACK = 90
DAYS_AHEAD = 365


@dataclass(frozen=True)
class Window:
    today: datetime  # midnight UTC of the day the feed is served

    @property
    def start(self):
        return self.today - timedelta(days=DAYS_BACK)

    @property
    def end(self):
        return self.today + timedelta(days=DAYS_AHEAD)


def current_window():
    now = utcnow()
    return Window(datetime(now.year, now.month, now.day))


def sessions_in(window):
    return ((Session.starts_at >= window.start) & (Session.starts_at < window.end)
            & ((Session.status != "cancelled") | (Session.ends_at >= window.today)))


def _stamp(*times):
    return max(t for t in times if t is not None)


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
        mine, ahead = Rsvp.alias(), Rsvp.alias()
        in_front = ((ahead.session == mine.session) & (ahead.status == "waitlisted")
                    & (ahead.queue_number < mine.queue_number))
        rows = (mine.select(mine.session, pw.fn.COUNT(ahead.id))
                .join(ahead, pw.JOIN.LEFT_OUTER, on=in_front)
                .where(mine.user == self.user.id, mine.status == "waitlisted")
                .group_by(mine.session).tuples())
        return {session_id: count + 1 for session_id, count in rows}

    def state(self, window):
        aggregates = self._query(window, pw.fn.MAX(Session.changed_at), pw.fn.MAX(Series.updated_at),
                                 pw.fn.MAX(Rsvp.updated_at), pw.fn.COUNT(Session.id),
                                 pw.fn.SUM(Session.sequence), pw.fn.SUM(Rsvp.sequence)).tuples().get()
        return aggregates + tuple(sorted(self.waitlist_positions().items()))

    def events(self, window):
        positions = self.waitlist_positions()
        rows = (self._query(window, *KEY_COLUMNS, Rsvp.status, Rsvp.sequence, Rsvp.updated_at)
                .order_by(Session.starts_at, Session.id).tuples())
        planned = []
        for session_id, *values, series_updated_at, status, bump, place_updated_at in rows:
            stamp = _stamp(values[2], series_updated_at, place_updated_at)
            if status == "waitlisted":
                note = (f"You are number {positions.get(session_id, 1)} on the waitlist. This event turns "
                        "confirmed in your calendar when a seat frees up for you.")
                planned.append((session_id, values, series_updated_at, ("TENTATIVE", bump or 0, note, stamp)))
            else:
                planned.append((session_id, values, series_updated_at, (None, bump or 0, "", stamp)))
        return session_events(planned)


KEY_COLUMNS = (Session.id, *(getattr(Session, name) for name in ical.SESSION_KEY_FIELDS), Series.updated_at)


def session_events(planned):
    """EventBytes for (session id, key values, series updated_at, (status override, sequence bump,
    description extra, stamp)) rows: cached events as they are, the misses built from their
    sessions, loaded together in one query."""
    keyed = [(session_id, ical.session_event_key(values, series_updated_at, *extra), extra)
             for session_id, values, series_updated_at, extra in planned]
    missing = [session_id for session_id, key, _ in keyed if not ical.event_cache.has(key)]
    loaded = _sessions_by_id(missing) if missing else {}
    events = []
    for session_id, key, extra in keyed:
        def build(session_id=session_id, extra=extra):
            session = loaded.get(session_id) or _sessions_by_id([session_id])[session_id]  # evicted meanwhile
            return ical.session_vevent(session, *extra)
        events.append(ical.event_cache.get(key, build))
    return events


def _sessions_by_id(ids):
    return {s.id: s for s in Session.select(Session, Series).join(Series).where(Session.id.in_(ids))}


class ProgrammeSessions:
    """The sessions of one series, one kind, or one team's case-review meetups."""

    def __init__(self, condition):
        self.condition = condition

    def _query(self, window, *columns):
        return (Session.select(*columns).join(Series)
                .where(sessions_in(window), Series.active == True, self.condition))  # noqa: E712

    def state(self, window):
        return self._query(window, pw.fn.MAX(Session.changed_at), pw.fn.MAX(Series.updated_at),
                           pw.fn.COUNT(Session.id), pw.fn.SUM(Session.sequence)).tuples().get()

    def events(self, window):
        rows = self._query(window, *KEY_COLUMNS).order_by(Session.starts_at, Session.id).tuples()
        return session_events([(session_id, values, series_updated_at,
                                (None, 0, "", _stamp(values[2], series_updated_at)))
                               for session_id, *values, series_updated_at in rows])


class CoachingCheckIns:
    """A person's coaching check-ins: title and time only (never notes), from the coaching capability."""

    def __init__(self, user, checkins_for_feed):
        self.user, self.load = user, checkins_for_feed
        self.rows = None

    def _rows(self, window):
        if self.rows is None:
            self.rows = list(self.load(self.user, window.start, window.end))
        return self.rows

    def state(self, window):
        return tuple((c.id, c.sequence, c.changed_at, c.status, _title(c)) for c in self._rows(window))

    def events(self, window):
        for checkin in self._rows(window):
            yield ical.cached_checkin_event(checkin, _title(checkin))


def _title(checkin):
    return getattr(checkin, "title", None) or "Coaching check-in"


def personal_sources(user):
    return [PersonalSessions(user), CoachingCheckIns(user, checkins_for_feed)]


def programme_condition(scope, key):
    if scope == "series":
        return Series.id == int(key)
    if scope == "kind":
        return Series.kind == key
    return (Series.team == int(key)) & (Series.kind == "case_review")


def sources_for(feed):
    if feed.scope == "personal":
        return personal_sources(feed.user)
    return [ProgrammeSessions(programme_condition(feed.scope, feed.scope_key))]


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
    """Everything the feed's bytes depend on, as a tuple (hashed into the ETag)."""
    return (feed.scope, feed.scope_key, feed.user.display_name, window.today, ical.base_url(),
            tuple(source.state(window) for source in sources))


def feed_bytes(feed, window, sources):
    name, description = feed_title(feed)
    events = [event for source in sources for event in source.events(window)]
    return ical.calendar_bytes(events, name, description=description)

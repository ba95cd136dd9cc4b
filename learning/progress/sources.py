"""What progress reads from the other capabilities: one function per measure,
each one SQL query with GROUP BY, taking a UTC date range, the viewer's zone
and a set of user ids (None: everyone).

A capability that is not installed simply has no source here: `ACTIVITIES`
and the optional sections list only what can be read.
"""
import peewee as pw
from peewee import fn

from learning.progress.models import MeasureDefinition, ServiceMeasure
from learning.progress.per_people import PerPeople, for_people
from learning.progress.periods import local_month, month_of_date
from learning.progress import sources_cases, sources_coaching, sources_curriculum
from learning.schedule.models import Rsvp, Series, Session, SessionFeedback


def _counts(query):
    return {(row[0], row[1]): row[2] for row in query.tuples()}


# --- schedule ------------------------------------------------------------------

def _attended(start, end):
    return (Rsvp.select().join(Session)
            .where(Rsvp.attendance == "attended", Session.status != "cancelled",
                   Session.starts_at >= start, Session.starts_at < end))


def sessions_attended(user_ids, start, end, zone):
    """{(user_id, 'YYYY-MM'): sessions attended}."""
    month = local_month(Session.starts_at, zone)
    query = _attended(start, end).select(Rsvp.user, month, fn.COUNT(Rsvp.id)).group_by(Rsvp.user, month)
    return _counts(for_people(query, Rsvp.user, user_ids))


def participants_by_kind(start, end, zone):
    """{(kind, 'YYYY-MM'): distinct people who attended a session of that kind}."""
    month = local_month(Session.starts_at, zone)
    query = (_attended(start, end).switch(Session).join(Series)
             .select(Series.kind, month, fn.COUNT(Rsvp.user.distinct())).group_by(Series.kind, month))
    return _counts(query)


def attendance_record(user_ids, start, end):
    """{user_id: (attended, recorded)}: recorded counts attended and no-shows (excused left out)."""
    return {uid: (int(a or 0), n) for uid, a, n in _ATTENDANCE_RECORD.rows(user_ids, start, end)}


def _attendance_record(start, end, people):
    attended = fn.SUM(pw.Case(None, [(Rsvp.attendance == "attended", 1)], 0))
    query = (Rsvp.select(Rsvp.user, attended, fn.COUNT(Rsvp.id)).join(Session)
             .where(Rsvp.attendance.in_(["attended", "no_show"]), Session.status != "cancelled",
                    Session.starts_at >= start, Session.starts_at < end)
             .group_by(Rsvp.user))
    return for_people(query, Rsvp.user, people).tuples()


def last_attended(user_ids, before):
    """{user_id: start of the last session attended (UTC)}."""
    return dict(_LAST_ATTENDED.rows(user_ids, before))


def _last_attended(before, people):
    query = (Rsvp.select(Rsvp.user, fn.MAX(Session.starts_at)).join(Session)
             .where(Rsvp.attendance == "attended", Session.status != "cancelled", Session.starts_at < before)
             .group_by(Rsvp.user))
    return for_people(query, Rsvp.user, people).tuples()


_ATTENDANCE_RECORD = PerPeople(_attendance_record, values=2)
_LAST_ATTENDED = PerPeople(_last_attended, values=1)


def feedback_per_series(start, end):
    """[(series title, kind, average rating, number of distinct raters)] for sessions in the range."""
    query = (SessionFeedback.select(Series.title, Series.kind, fn.AVG(SessionFeedback.rating),
                                    fn.COUNT(SessionFeedback.user.distinct()))
             .join(Session).join(Series)
             .where(Session.starts_at >= start, Session.starts_at < end)
             .group_by(Series.id, Series.title, Series.kind).order_by(Series.title))
    return [(title, kind, float(avg), n) for title, kind, avg, n in query.tuples()]


def attended_sessions(user_id, start, end):
    """[(starts_at UTC, series title)] of one person's attended sessions (for milestones)."""
    query = (_attended(start, end).switch(Session).join(Series)
             .select(Session.starts_at, Series.title).where(Rsvp.user == user_id)
             .order_by(Session.starts_at))
    return list(query.tuples())


# --- service measures ----------------------------------------------------------

def measure_averages(user_ids, first_month, last_month):
    """{(measure_id, 'YYYY-MM'): (average value, people)} over the users."""
    month = month_of_date(ServiceMeasure.month)
    query = (ServiceMeasure.select(ServiceMeasure.measure, month, fn.AVG(ServiceMeasure.value),
                                   fn.COUNT(ServiceMeasure.user.distinct()))
             .join(MeasureDefinition)
             .where(ServiceMeasure.month >= first_month, ServiceMeasure.month <= last_month,
                    MeasureDefinition.active == True)  # noqa: E712
             .group_by(ServiceMeasure.measure, month))
    query = for_people(query, ServiceMeasure.user, user_ids)
    return {(mid, key): (float(avg), n) for mid, key, avg, n in query.tuples()}


def measure_averages_by_month(user_ids, first_day, end_day):
    """{'YYYY-MM': {measure id (text): [average value, people]}} for months in [first_day, end_day),
    every measure (active or not: the page picks the active ones). For the roll-up (rollup.py)."""
    month = month_of_date(ServiceMeasure.month)
    query = (ServiceMeasure.select(ServiceMeasure.measure, month, fn.AVG(ServiceMeasure.value),
                                   fn.COUNT(ServiceMeasure.user.distinct()))
             .where(ServiceMeasure.month >= first_day, ServiceMeasure.month < end_day)
             .group_by(ServiceMeasure.measure, month))
    result = {}
    for mid, key, avg, n in for_people(query, ServiceMeasure.user, user_ids).tuples():
        result.setdefault(key, {})[str(mid)] = [float(avg), n]
    return result


def monthly_measure_averages(rollup, user_ids, section):
    """measure_averages over the rollup's window (rollup.py): closed months kept, this month live."""
    months = rollup.window.months
    found = rollup.monthly(
        section, lambda lo, hi: measure_averages_by_month(user_ids, lo.date(), hi.date()), dated=True,
        live=lambda closed: {str(mid): [avg, n] for (mid, _), (avg, n)
                             in measure_averages(user_ids, months[-1], months[-1]).items()})
    return {(int(mid), key): (avg, n) for key, per_measure in found.items()
            for mid, (avg, n) in (per_measure or {}).items()}


def latest_measures(user_ids, first_month, last_month):
    """{(user_id, measure_id): latest value in the range} in one query."""
    return {(uid, mid): value for uid, mid, value in _LATEST_MEASURES.rows(user_ids, first_month, last_month)}


def _latest_measures(first_month, last_month, people):
    latest = (ServiceMeasure.select(ServiceMeasure.user, ServiceMeasure.measure,
                                    fn.MAX(ServiceMeasure.month).alias("month"))
              .where(ServiceMeasure.month >= first_month, ServiceMeasure.month <= last_month)
              .group_by(ServiceMeasure.user, ServiceMeasure.measure))
    latest = for_people(latest, ServiceMeasure.user, people).alias("latest")
    query = (ServiceMeasure.select(ServiceMeasure.user, ServiceMeasure.measure, ServiceMeasure.value)
             .join(latest, on=((ServiceMeasure.user == latest.c.user_id)
                               & (ServiceMeasure.measure == latest.c.measure_id)
                               & (ServiceMeasure.month == latest.c.month)))
             .where(ServiceMeasure.month >= first_month, ServiceMeasure.month <= last_month))
    # the same bounds on both sides, so the engine reads only the window's (and the members') rows
    return for_people(query, ServiceMeasure.user, people).tuples()


_LATEST_MEASURES = PerPeople(_latest_measures, values=2)


# --- learning activity: every kind of activity progress can count ---------------

# (key, label, function(user_ids, start, end, zone) -> {(user_id, month): count})
ACTIVITIES = [("sessions", "Sessions attended", sessions_attended)]


def activity_counts(user_ids, start, end, zone):
    """{activity key: {(user_id, month): count}}, one query per installed source."""
    return {key: source(user_ids, start, end, zone) for key, _, source in ACTIVITIES}


def shared_activity_counts(rollup, user_ids, start, end):
    """activity_counts, read once per request for the same range (rollup.py)."""
    key = ("activity_counts", None if user_ids is None else tuple(user_ids), start, end)
    return rollup.once(key, lambda: activity_counts(user_ids, start, end, rollup.window.zone))


def active_people_by_month(counts):
    """{'YYYY-MM': sorted ids of the people with any learning activity that month}."""
    result = {}
    for uid, keys in active_months(counts).items():
        for key in keys:
            result.setdefault(key, []).append(uid)
    return {key: sorted(ids) for key, ids in result.items()}


def active_months(counts):
    """{user_id: set of 'YYYY-MM' with any learning activity}."""
    result = {}
    for per_user_month in counts.values():
        for (uid, month), n in per_user_month.items():
            if n:
                result.setdefault(uid, set()).add(month)
    return result


# --- optional sections: filled by the source modules of installed capabilities ----

# function(user_id, start, end) -> [(when UTC, kind, text, marks the service chart?)]
MILESTONES = []
# The coaching source sets these (see sources_coaching.py); None hides their sections.
OPTIONAL = {
    "competency_ratings": None,   # (user_id, start, end) -> [(competency, 'self'|'coach', when, level)]
    "latest_levels": None,        # (user_ids) -> ([competency names], {(user_id, name): level})
    "goals": None,                # (user_ids, today) -> {user_id: (open, overdue)}
    "open_requests": None,        # (user_ids) -> {user_id: open support requests}
    "checkins_overdue": None,     # (user_ids, now) -> {user_id: date of the overdue check-in}
    "last_activity": [],          # [(user_ids, before) -> {user_id: UTC datetime}]
    "programme": [],              # [(rollup) -> [Table, ...]] programme-wide sections (rollup.py: window, cache)
}


def milestones(user_id, start, end):
    found = [m for source in MILESTONES for m in source(user_id, start, end)]
    return sorted(found, key=lambda m: m[0])


def competency_ratings(user_id, start, end):
    source = OPTIONAL["competency_ratings"]
    return source(user_id, start, end) if source else None


def last_activity(user_ids, before):
    """{user_id: last learning activity (UTC)} over every source, one query each."""
    result = last_attended(user_ids, before)
    for source in OPTIONAL["last_activity"]:
        for uid, when in source(user_ids, before).items():
            if when and (uid not in result or when > result[uid]):
                result[uid] = when
    return result


for source in (sources_cases, sources_curriculum, sources_coaching):
    source.install(ACTIVITIES, MILESTONES, OPTIONAL)

"""What progress reads from the schedule and the service measures, and every kind
of learning activity progress counts (cases, modules and coaching come from their
own source modules): one function per measure, each one SQL query with GROUP BY,
taking a UTC date range, the viewer's zone and a set of user ids (None: everyone).
A set of user ids is a team's current members, read in an IN list.
"""
import functools

import peewee as pw
from peewee import SQL, fn

from learning.progress import sources_cases, sources_coaching, sources_curriculum
from learning.progress.members import for_people
from learning.progress.models import MeasureDefinition, ServiceMeasure
from learning.progress.periods import local_month, month_of_date
from learning.schedule.models import Rsvp, Series, Session, SessionFeedback


def union_all(queries):
    """One query of the rows of all `queries` (their columns named alike, by the first)."""
    return functools.reduce(lambda union, query: union.union_all(query), queries)


def _counts(query):
    return {(row[0], row[1]): row[2] for row in query.tuples()}


# --- schedule ------------------------------------------------------------------

# The places are read from rsvp(user_id, attendance, session_id) alone: counting rows, not ids,
# spares a visit to each place's table page (scale 10, a team's 1,622 places: 1,136 pages).
def _attended(start, end):
    return (Rsvp.select().join(Session)
            .where(Rsvp.attendance == "attended", Session.status != "cancelled",
                   Session.starts_at >= start, Session.starts_at < end))


def sessions_attended(user_ids, start, end, zone):
    """Query: (user_id, 'YYYY-MM', sessions attended)."""
    month = local_month(Session.starts_at, zone)
    query = (_attended(start, end)
             .select(Rsvp.user.alias("user_id"), month.alias("month"), fn.COUNT(SQL("*")).alias("n"))
             .group_by(Rsvp.user, month))
    return for_people(query, Rsvp.user, user_ids)


def participants_by_kind(start, end, zone):
    """{(kind, 'YYYY-MM'): distinct people who attended a session of that kind}."""
    month = local_month(Session.starts_at, zone)
    query = (_attended(start, end).switch(Session).join(Series)
             .select(Series.kind, month, fn.COUNT(Rsvp.user.distinct())).group_by(Series.kind, month))
    return _counts(query)


def attendance_record(user_ids, start, end):
    """{user_id: (attended, recorded)}: recorded counts attended and no-shows (excused left out)."""
    attended = fn.SUM(pw.Case(None, [(Rsvp.attendance == "attended", 1)], 0))
    query = (Rsvp.select(Rsvp.user, attended, fn.COUNT(SQL("*"))).join(Session)
             .where(Rsvp.attendance.in_(["attended", "no_show"]), Session.status != "cancelled",
                    Session.starts_at >= start, Session.starts_at < end)
             .group_by(Rsvp.user))
    return {uid: (int(a or 0), n) for uid, a, n in for_people(query, Rsvp.user, user_ids).tuples()}


def last_attended(user_ids, before):
    """Query: (user_id, start of the last session attended (UTC))."""
    query = (Rsvp.select(Rsvp.user.alias("user_id"), fn.MAX(Session.starts_at).alias("at")).join(Session)
             .where(Rsvp.attendance == "attended", Session.status != "cancelled", Session.starts_at < before)
             .group_by(Rsvp.user))
    return for_people(query, Rsvp.user, user_ids)


def feedback_per_series(start, end):
    """[(series title, kind, average rating, number of distinct raters)] for sessions in the range."""
    query = (SessionFeedback.select(Series.title, Series.kind, fn.AVG(SessionFeedback.rating),
                                    fn.COUNT(SessionFeedback.user.distinct()))
             .join(Session).join(Series)
             .where(Session.starts_at >= start, Session.starts_at < end)
             .group_by(Series.id, Series.title, Series.kind).order_by(Series.title))
    return [(title, kind, float(avg), n) for title, kind, avg, n in query.tuples()]


# --- service measures ----------------------------------------------------------

def measure_averages(user_ids, first_month, last_month):
    """{(measure_id, 'YYYY-MM'): (average value, people)} over the users."""
    month = month_of_date(ServiceMeasure.month)
    # One value per person, measure and month (a unique index): counting values counts people,
    # without the sort a COUNT(DISTINCT) costs (the programme's year: 1.8 million values at scale 10).
    # Values, not ids: the indexes by (user or month, measure, value) then answer alone (a team's
    # year at bench scale 1, PostgreSQL: 548 table pages and 1.9 ms before, none after).
    query = (ServiceMeasure.select(ServiceMeasure.measure, month, fn.AVG(ServiceMeasure.value),
                                   fn.COUNT(ServiceMeasure.value))
             .join(MeasureDefinition)
             .where(ServiceMeasure.month >= first_month, ServiceMeasure.month <= last_month,
                    MeasureDefinition.active == True)  # noqa: E712
             .group_by(ServiceMeasure.measure, month))
    query = for_people(query, ServiceMeasure.user, user_ids)
    return {(mid, key): (float(avg), n) for mid, key, avg, n in query.tuples()}


def latest_measures(user_ids, first_month, last_month):
    """{(user_id, measure_id): latest value in the range} in one query."""
    latest = (ServiceMeasure.select(ServiceMeasure.user, ServiceMeasure.measure,
                                    fn.MAX(ServiceMeasure.month).alias("month"))
              .where(ServiceMeasure.month >= first_month, ServiceMeasure.month <= last_month)
              .group_by(ServiceMeasure.user, ServiceMeasure.measure))
    latest = for_people(latest, ServiceMeasure.user, user_ids).alias("latest")
    query = (ServiceMeasure.select(ServiceMeasure.user, ServiceMeasure.measure, ServiceMeasure.value)
             .join(latest, on=((ServiceMeasure.user == latest.c.user_id)
                               & (ServiceMeasure.measure == latest.c.measure_id)
                               & (ServiceMeasure.month == latest.c.month)))
             .where(ServiceMeasure.month >= first_month, ServiceMeasure.month <= last_month))
    # the same bounds on both sides, so the engine reads only the window's (and the members') rows
    return {(uid, mid): value for uid, mid, value in for_people(query, ServiceMeasure.user, user_ids).tuples()}


# --- learning activity: every kind of activity progress counts ---------------------

# (key, label, function(user_ids, start, end, zone) -> query of (user_id, month, count)); the keys
# are PersonMonth's columns (person_months.py adds them up per person and month).
ACTIVITIES = [
    ("sessions", "Sessions attended", sessions_attended),
    ("cases_brought", "Cases brought", sources_cases.cases_brought),
    ("cases_discussed", "Cases discussed", sources_cases.cases_discussed),
    ("modules", "Modules completed", sources_curriculum.modules_completed),
    ("goals", "Plan goals achieved", sources_coaching.goals_achieved),
]
ACTIVITY_KEYS = [key for key, _, _ in ACTIVITIES]


def milestones(user_id, start, end):
    """[(when UTC, kind, text, marks the service chart?)] from every capability, oldest first."""
    found = [m for source in (sources_cases.milestones, sources_curriculum.milestones, sources_coaching.milestones)
             for m in source(user_id, start, end)]
    return sorted(found, key=lambda m: m[0])


def last_activity(user_ids, before):
    """Query: (user_id, last learning activity (UTC)) over every kind of activity (each kind's
    latest per person, joined by UNION ALL)."""
    latest = union_all([source(user_ids, before) for source in (
        last_attended, sources_cases.last_activity, sources_curriculum.last_activity,
        sources_coaching.last_activity)]).alias("latest")
    last = fn.MAX(latest.c.at).python_value(LAST_ACTIVITY_AT)
    return (Rsvp.select(latest.c.user_id, last).from_(latest).where(latest.c.at.is_null(False))
            .group_by(latest.c.user_id))


LAST_ACTIVITY_AT = pw.DateTimeField().python_value   # SQLite: text from a subquery


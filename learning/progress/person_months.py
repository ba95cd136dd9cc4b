"""Learning activity per person and month: the relation every progress figure of learning
activity is counted from, and the aggregates over it.

`live(...)` counts it from the raw rows in one statement (each kind of activity of
sources.ACTIVITIES grouped per person and month, the kinds joined by UNION ALL and added up);
`stored(zone)` reads what `progress rebuild` wrote into PersonMonth with that same statement
(INSERT ... SELECT, summary.py). Both have the columns user_id, month ('YYYY-MM') and one per
activity key, one row per person and month with any activity, so the aggregates below
(`monthly`, `retained`) work on either, and on a UNION ALL of both (a team's closed months from
the summary, this month live).
"""
import peewee as pw
from peewee import SQL, fn

from learning.progress.models import PersonMonth
from learning.progress.periods import add_months, month_key
from learning.progress.sources import ACTIVITIES, ACTIVITY_KEYS, union_all

RETENTION_MONTHS = (3, 6)


def live(user_ids, start, end, zone):
    """Query: (user_id, month, one count per activity key) counted from the raw rows in [start, end)."""
    activity = union_all([source(user_ids, start, end, zone).select_extend(SQL(str(kind)).alias("kind"))
                          for kind, (_, _, source) in enumerate(ACTIVITIES)]).alias("activity")
    sums = [fn.SUM(pw.Case(activity.c.kind, [(SQL(str(kind)), activity.c.n)], 0)).alias(key)
            for kind, key in enumerate(ACTIVITY_KEYS)]
    return (PersonMonth.select(activity.c.user_id, activity.c.month, *sums).from_(activity)
            .group_by(activity.c.user_id, activity.c.month))


def stored(zone):
    """Query: the same columns from the summary the last rebuild wrote for `zone`."""
    return PersonMonth.select(PersonMonth.user, PersonMonth.month, *[getattr(PersonMonth, key) for key in ACTIVITY_KEYS]
                              ).where(PersonMonth.zone == zone)


def store(window):
    """Write the window's person-months of everyone into PersonMonth (one INSERT ... SELECT);
    returns the rows written. The caller holds the transaction and has cleared the zone."""
    counted = live(None, window.start, window.end, window.zone).alias("counted")
    # Months are bucketed at today's offset (periods.local_month): in another season an event at
    # the edge of the window's year may fall in a month outside it, which is not the window's.
    rows = (PersonMonth.select(counted.c.user_id, counted.c.month, *[counted.c[key] for key in ACTIVITY_KEYS],
                               pw.Value(window.zone)).from_(counted).where(counted.c.month.in_(window.keys)))
    fields = [PersonMonth.user, PersonMonth.month] + [getattr(PersonMonth, key) for key in ACTIVITY_KEYS]
    return PersonMonth.insert_from(rows, fields + [PersonMonth.zone]).as_rowcount().execute()


def rows(relation):
    """[(user_id, month, {activity key: count})] of a relation (a person's or a few people's)."""
    return [(uid, month, dict(zip(ACTIVITY_KEYS, (int(n or 0) for n in counts))))
            for uid, month, *counts in relation.tuples()]


def monthly(relation):
    """{month: (people active, {activity key: count}, {activity key: people with any})}."""
    return monthly_figures(monthly_query(relation).tuples())


def monthly_query(relation):
    """Query: (month, people active, a sum per activity key, people with any per key)."""
    pm = relation.alias("pm")
    sums = [fn.SUM(pm.c[key]) for key in ACTIVITY_KEYS]
    people = [fn.COUNT(pw.Case(None, [(pm.c[key] > 0, 1)], None)) for key in ACTIVITY_KEYS]
    return (PersonMonth.select(pm.c.month, fn.COUNT(pm.c.user_id), *sums, *people).from_(pm)
            .group_by(pm.c.month))


def monthly_figures(rows):
    """`monthly`'s answer from the rows of its query."""
    result = {}
    for month, active, *figures in rows:
        counts, with_any = figures[:len(ACTIVITY_KEYS)], figures[len(ACTIVITY_KEYS):]
        result[month] = (active, {k: int(n or 0) for k, n in zip(ACTIVITY_KEYS, counts)},
                         {k: int(n or 0) for k, n in zip(ACTIVITY_KEYS, with_any)})
    return result


def retained(relation, window):
    """{(month, later): people active in the window's `month` and again `later` months after it},
    for `later` in RETENTION_MONTHS, in one query (each person-month looks up its later months)."""
    first = relation.alias("first")
    columns, query = [first.c.month], PersonMonth.select().from_(first)
    for later in RETENTION_MONTHS:
        again = relation.alias(f"again{later}")
        then = pw.Case(first.c.month, [(key, month_key(add_months(month, later)))
                                       for month, key in zip(window.months, window.keys)])
        columns.append(fn.COUNT(again.c.user_id))
        query = query.join(again, pw.JOIN.LEFT_OUTER,
                           on=((again.c.user_id == first.c.user_id) & (again.c.month == then)))
    query = query.select(*columns).group_by(first.c.month)
    return {(month, later): n for month, *counts in query.tuples() for later, n in zip(RETENTION_MONTHS, counts)}

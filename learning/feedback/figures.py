"""The operations page's figures, each aggregated in SQL through an index and shaped as a
progress Table (the same object renders as HTML and CSV):

- causes by month: cases submitted in the last twelve months (the viewer's months) per cause:
  the closed months as `flask progress rebuild` counted them (cause_month, per zone; rebuild()),
  this month live from case(submitted_at, cause, avoidable, status) alone; the whole year live
  when the rebuild's rows are missing, older than the progress summary's age limit or of another
  year. Counting the year live on every view read every case of the year: 200,000 index entries,
  ~100 ms at scale 10 (docs/benchmark.md). A cause re-tagged on an old case shows after the next
  rebuild, and the page says when that was;
- the share marked avoidable per month: avoidable cases over tagged cases;
- items fixed per quarter: the last eight quarters, from feedback_item(fixed_at).
"""
import functools
import operator

import peewee as pw

from learning.cases.models import Case, Cause
from learning.db import db, utcnow
from learning.feedback.models import CauseMonth, CauseMonthCount, FeedbackItem
from learning.progress.charts import line_chart
from learning.progress.periods import Window, add_months, local_month, month_key, month_label, utc_bounds
from learning.progress.summary import max_age
from learning.progress.tables import Table

QUARTERS = 8


def _month_counts(window, first=0, last=None):
    """{(cause id, 'YYYY-MM'): (cases, avoidable)} of window.months[first:last]: one GROUP BY per
    month of the viewer's (its
    first and last instant in UTC, exact across summer time), joined by UNION ALL into one
    statement; each reads its range of the covering index and no expression per row (formatting
    or bucketing every time cost four times as much at 16,000 cases). A draft has no submission
    time, so the range leaves drafts out; untagged cases come back as cause None. COUNT(*), not
    COUNT(id): the id is not in the index, and counting it made PostgreSQL read every case's row
    (9,947 pages and two parallel workers, 88 ms at scale 1, against 98 pages, 18 ms, load ~9)."""
    edges = [utc_bounds([month], window.zone)[0] for month in window.months] + [window.end]
    avoidable = pw.fn.SUM(Case.avoidable.cast("integer"))
    months = [Case.select(pw.Value(index), Case.cause, pw.fn.COUNT(pw.SQL("*")), avoidable)
              .where(Case.submitted_at >= edges[index], Case.submitted_at < edges[index + 1],
                     Case.status != "withdrawn")
              .group_by(Case.cause)
              for index in range(len(window.months))[first:last]]
    query = functools.reduce(operator.add, months).tuples()
    return {(cause_id, window.keys[index]): (count, int(avoided or 0))
            for index, cause_id, count, avoided in query if cause_id is not None}


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def rebuild(zones, today=None):
    """Replace each zone's counts of its closed months (the year up to last month), one zone per
    transaction; run by `flask progress rebuild`. Returns the rows written."""
    written = 0
    for zone in zones:
        window = Window(zone, today)
        rows = [{"zone": zone, "month": month, "cause_key": cause_id, "cases": cases, "avoidable": avoided}
                for (cause_id, month), (cases, avoided) in _month_counts(window, last=-1).items()]
        with db.atomic():
            CauseMonth.delete().where(CauseMonth.zone == zone).execute()
            if rows:
                CauseMonth.insert_many(rows).execute()
            CauseMonthCount.delete().where(CauseMonthCount.zone == zone).execute()
            CauseMonthCount.create(zone=zone, first_month=window.keys[0], last_month=window.keys[-2],
                                   computed_at=utcnow())
        written += len(rows)
    return written


def _counted(window):
    """(counts of the closed months, when counted) from the rebuild's rows, or None when they do
    not cover this window's closed months or are older than the progress summary's limit."""
    counted = (CauseMonthCount.select(CauseMonthCount.computed_at)
               .where(CauseMonthCount.zone == window.zone, CauseMonthCount.first_month == window.keys[0],
                      CauseMonthCount.last_month == window.keys[-2],
                      CauseMonthCount.computed_at > utcnow() - max_age())
               .scalar())
    if counted is None:
        return None
    rows = (CauseMonth.select(CauseMonth.cause_key, CauseMonth.month, CauseMonth.cases, CauseMonth.avoidable)
            .where(CauseMonth.zone == window.zone).tuples())
    return {(cause_id, month): (cases, avoided) for cause_id, month, cases, avoided in rows}, counted


def causes_by_month(zone):
    """(causes table, avoidable-share chart, when past months were counted or None when all is live)
    for the last twelve months in `zone`."""
    window = Window(zone)
    counted = _counted(window)
    if counted is None:
        counts, as_of = _month_counts(window), None
    else:
        counts, as_of = counted
        counts.update(_month_counts(window, first=len(window.months) - 1))
    cause_ids = {cause_id for cause_id, _ in counts}
    causes = Cause.select().where((Cause.retired == False) | Cause.id.in_(list(cause_ids)))  # noqa: E712
    labels = [month_label(m) for m in window.months]
    rows = []
    for cause in causes.order_by(Cause.position, Cause.id):
        cells = [counts.get((cause.id, key), (0, 0)) for key in window.keys]
        total, avoided = sum(c for c, _ in cells), sum(a for _, a in cells)
        rows.append([cause.name, *[c for c, _ in cells], total, _share(avoided, total)])
    month_totals = [sum(counts.get((c, key), (0, 0))[0] for c in cause_ids) for key in window.keys]
    month_avoided = [sum(counts.get((c, key), (0, 0))[1] for c in cause_ids) for key in window.keys]
    rows.append(["All causes", *month_totals, sum(month_totals), _share(sum(month_avoided), sum(month_totals))])
    table = Table("causes", "Cases by root cause and month submitted",
                  ["Cause", *labels, "Total", "Avoidable %"], rows, numeric=tuple(range(1, len(labels) + 3)))
    shares = [_share(a, t) for a, t in zip(month_avoided, month_totals)]
    chart = line_chart("avoidable", "Share of tagged cases marked avoidable (%)", labels,
                       [("Avoidable %", shares)], floor=0, ceiling=100, y_label="%")
    return table, chart, as_of


def fixed_per_quarter(zone):
    """Items fixed in each of the last eight quarters (the viewer's), grouped by month in SQL."""
    into_quarter = (Window(zone, count=1).months[0].month - 1) % 3
    window = Window(zone, count=3 * (QUARTERS - 1) + into_quarter + 1)   # starts on a quarter's first day
    month = local_month(FeedbackItem.fixed_at, zone)
    by_month = dict(FeedbackItem.select(month, pw.fn.COUNT(FeedbackItem.id))
                    .where(FeedbackItem.fixed_at >= window.start, FeedbackItem.fixed_at < window.end)
                    .group_by(month).tuples())
    rows = []
    for start in window.months[::3]:
        keys = [month_key(add_months(start, i)) for i in range(3)]
        rows.append([f"Q{(start.month - 1) // 3 + 1} {start.year}", sum(by_month.get(k, 0) for k in keys)])
    return Table("fixed", "Feedback items fixed per quarter", ["Quarter", "Items fixed"], rows, numeric=(1,))

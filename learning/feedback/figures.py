"""The operations page's figures, each aggregated in SQL through an index and shaped as a
progress Table (the same object renders as HTML and CSV):

- causes by month: cases submitted in the last twelve months (the viewer's months) per cause,
  read from case(submitted_at, cause, avoidable, status) alone, a range per month;
- the share marked avoidable per month: avoidable cases over tagged cases;
- items fixed per quarter: the last eight quarters, from feedback_item(fixed_at).
"""
import functools
import operator

import peewee as pw

from learning.cases.models import Case, Cause
from learning.feedback.models import FeedbackItem
from learning.progress.charts import line_chart
from learning.progress.periods import Window, add_months, local_month, month_key, month_label, utc_bounds
from learning.progress.tables import Table

QUARTERS = 8


def _month_counts(window):
    """{(cause id, 'YYYY-MM'): (cases, avoidable)}: one GROUP BY per month of the viewer's (its
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
              for index in range(len(window.months))]
    query = functools.reduce(operator.add, months).tuples()
    return {(cause_id, window.keys[index]): (count, int(avoided or 0))
            for index, cause_id, count, avoided in query if cause_id is not None}


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def causes_by_month(zone):
    """(causes table, avoidable-share chart) for the last twelve months in `zone`."""
    window = Window(zone)
    counts = _month_counts(window)
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
    return table, chart


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

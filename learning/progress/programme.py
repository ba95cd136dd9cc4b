"""The programme view (admins): participation per month by kind of session,
average feedback per series, retention of participation, service measures,
and the sections of installed capabilities. Aggregates over fewer than
MIN_PEOPLE (tables.py) people are suppressed."""
from learning.progress import charts, people_bits, sources
from learning.progress.measures import measure_definitions
from learning.progress.periods import add_months, last_months, month_key, month_label
from learning.progress.rollup import Live, Rollup, Window
from learning.progress.tables import MIN_PEOPLE, Table, shown
from learning.schedule.models import KIND_LABELS

SCOPE = "programme"
FEEDBACK_ROWS_SHOWN = 25


def participation_table(rollup):
    zone = rollup.window.zone

    def compute(lo, hi):
        per_month = {}
        for (kind, key), n in sources.participants_by_kind(lo, hi, zone).items():
            per_month.setdefault(key, {})[kind] = n
        return per_month

    counts = rollup.monthly("participation", compute)
    rows = []
    for month in rollup.window.months:
        found = counts.get(month_key(month)) or {}
        people = [found.get(kind, 0) for kind in KIND_LABELS]
        rows.append([month_label(month)] + [shown(n, n) for n in people])
    return Table("participation", "People taking part per month, by kind of session",
                 ["Month"] + [f"{label}s (people)" for label in KIND_LABELS.values()], rows,
                 numeric=tuple(range(1, len(KIND_LABELS) + 1)))


def feedback_table(rollup):
    window = rollup.window
    rows, as_of = rollup.whole("feedback", lambda: [list(row) for row in
                                                     sources.feedback_per_series(window.start, window.end)])
    # The series most people rated first: a programme of hundreds of series shows its busiest
    # on the page, and the CSV export holds them all.
    rows = [[title, KIND_LABELS.get(kind, kind), shown(round(avg, 2), n), shown(n, n)]
            for title, kind, avg, n in sorted(rows, key=lambda row: (-row[3], row[0]))]
    return Table("feedback", "Average session feedback per series (1–5)",
                 ["Series", "Kind", "Average rating", "People who rated"], rows, numeric=(2, 3), as_of=as_of,
                 page_limit=FEEDBACK_ROWS_SHOWN, page_order="the series most people rated first")


def active_people(rollup):
    """{'YYYY-MM': the people with any learning activity that month, as a bit set (people_bits)}."""
    found = rollup.monthly("active", lambda lo, hi: {
        key: people_bits.encode(ids) for key, ids in sources.active_people_by_month(
            sources.shared_activity_counts(rollup, None, lo, hi)).items()})
    return {key: people_bits.decode(payload) for key, payload in found.items()}


def retention_table(rollup):
    """Of the people active in a month, how many are active again 3 and 6 months later."""
    months = rollup.window.months
    active = active_people(rollup)
    last_key = month_key(months[-1])
    rows = []
    for month in months:
        cohort = active.get(month_key(month), 0)
        size = people_bits.count(cohort)
        row = [month_label(month), shown(size, size)]
        for later in (3, 6):
            key = month_key(add_months(month, later))
            if key > last_key or size < MIN_PEOPLE:
                row += [None, None]
            else:
                kept = people_bits.count(cohort & active.get(key, 0))
                row += [kept, round(100.0 * kept / size, 1)]
        rows.append(row)
    return Table("retention", "Retention of participation",
                 ["Month", "People active", "Active 3 months later", "% after 3 months",
                  "Active 6 months later", "% after 6 months"], rows, numeric=(1, 2, 3, 4, 5))


def measures_table(rollup, definitions):
    averages = sources.monthly_measure_averages(rollup, None, "measures")
    rows = []
    for month in rollup.window.months:
        row = [month_label(month)]
        for d in definitions:
            avg, people = averages.get((d.id, month_key(month)), (None, 0))
            row.append(shown(round(avg, 1), people) if avg is not None else None)
        rows.append(row)
    return Table("measures", "Service measures per month (programme average)",
                 ["Month"] + [d.label for d in definitions], rows, numeric=tuple(range(1, len(definitions) + 1)))


def numeric_series(table, columns):
    return [(table.headers[i], [row[i] if isinstance(row[i], (int, float)) else None for row in table.rows])
            for i in columns]


def programme_progress(zone, today=None, cached=True):
    """Everything /progress/programme shows. Closed months come from the roll-up
    (rollup.py); `cached=False` computes every figure from the raw rows instead."""
    window = Window(last_months(zone, 12, today), zone)
    rollup = Rollup(SCOPE, window) if cached else Live(window)
    participation = participation_table(rollup)
    measures = measures_table(rollup, measure_definitions())
    labels = [row[0] for row in participation.rows]
    measure_series = numeric_series(measures, range(1, len(measures.headers)))
    extra = [table for source in sources.OPTIONAL["programme"] for table in source(rollup)]
    feedback, retention = feedback_table(rollup), retention_table(rollup)
    rollup.save()
    return {
        "participation": participation,
        "participation_chart": charts.bar_chart("participation", participation.title, labels,
                                                numeric_series(participation, range(1, len(participation.headers))),
                                                y_label="people"),
        "feedback": feedback,
        "retention": retention,
        "measures": measures,
        "measures_chart": charts.line_chart("measures", measures.title, labels, measure_series)
        if any(v is not None for _, vs in measure_series for v in vs) else None,
        "extra": extra,
        "as_of": rollup.as_of,
        "this_month": month_label(window.months[-1]),
    }

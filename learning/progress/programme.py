"""The programme view (admins): participation per month by kind of session,
average feedback per series, retention of participation, service measures,
and the sections of installed capabilities. Aggregates over fewer than
MIN_PEOPLE (tables.py) people are suppressed."""
from learning.progress import charts, sources
from learning.progress.measures import measure_definitions
from learning.progress.periods import add_months, last_months, month_key, month_label, utc_bounds
from learning.progress.tables import MIN_PEOPLE, Table, shown
from learning.schedule.models import KIND_LABELS


def participation_table(months, zone):
    start, end = utc_bounds(months, zone)
    counts = sources.participants_by_kind(start, end, zone)
    rows = []
    for month in months:
        key = month_key(month)
        people = [counts.get((kind, key), 0) for kind in KIND_LABELS]
        rows.append([month_label(month)] + [shown(n, n) for n in people])
    return Table("participation", "People taking part per month, by kind of session",
                 ["Month"] + [f"{label}s (people)" for label in KIND_LABELS.values()], rows,
                 numeric=tuple(range(1, len(KIND_LABELS) + 1)))


def feedback_table(months, zone):
    start, end = utc_bounds(months, zone)
    rows = [[title, KIND_LABELS.get(kind, kind), shown(round(avg, 2), n), shown(n, n)]
            for title, kind, avg, n in sources.feedback_per_series(start, end)]
    return Table("feedback", "Average session feedback per series (1–5)",
                 ["Series", "Kind", "Average rating", "People who rated"], rows, numeric=(2, 3))


def retention_table(months, zone):
    """Of the people active in a month, how many are active again 3 and 6 months later."""
    start, end = utc_bounds(months, zone)
    active = {}
    for uid, keys in sources.active_months(sources.activity_counts(None, start, end, zone)).items():
        for key in keys:
            active.setdefault(key, set()).add(uid)
    last_key = month_key(months[-1])
    rows = []
    for month in months:
        cohort = active.get(month_key(month), set())
        row = [month_label(month), shown(len(cohort), len(cohort))]
        for later in (3, 6):
            key = month_key(add_months(month, later))
            if key > last_key or len(cohort) < MIN_PEOPLE:
                row += [None, None]
            else:
                kept = len(cohort & active.get(key, set()))
                row += [kept, round(100.0 * kept / len(cohort), 1)]
        rows.append(row)
    return Table("retention", "Retention of participation",
                 ["Month", "People active", "Active 3 months later", "% after 3 months",
                  "Active 6 months later", "% after 6 months"], rows, numeric=(1, 2, 3, 4, 5))


def measures_table(months):
    definitions = measure_definitions()
    averages = sources.measure_averages(None, months[0], months[-1])
    rows = []
    for month in months:
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


def programme_progress(zone, today=None):
    months = last_months(zone, 12, today)
    start, end = utc_bounds(months, zone)
    participation = participation_table(months, zone)
    measures = measures_table(months)
    labels = [row[0] for row in participation.rows]
    measure_series = numeric_series(measures, range(1, len(measures.headers)))
    extra = [table for source in sources.OPTIONAL["programme"] for table in source(start, end, zone, months)]
    return {
        "participation": participation,
        "participation_chart": charts.bar_chart("participation", participation.title, labels,
                                                numeric_series(participation, range(1, len(participation.headers))),
                                                y_label="people"),
        "feedback": feedback_table(months, zone),
        "retention": retention_table(months, zone),
        "measures": measures,
        "measures_chart": charts.line_chart("measures", measures.title, labels, measure_series)
        if any(v is not None for _, vs in measure_series for v in vs) else None,
        "extra": extra,
    }

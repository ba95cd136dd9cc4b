"""The programme view (admins): participation per month by kind of session,
average feedback per series, retention of participation, service measures, case
volume, support requests and module completion. Aggregates over fewer than
MIN_PEOPLE (tables.py) people are suppressed. The tables come from the monthly
summary while it is fresh (summary.py), else they are counted from the raw rows."""
from learning.progress import (charts, person_months, sources, sources_cases, sources_coaching, sources_curriculum,
                               summary)
from learning.progress.measures import measure_definitions
from learning.progress.periods import Window, add_months, month_key, month_label
from learning.progress.tables import MIN_PEOPLE, Table, shown
from learning.schedule.models import KIND_LABELS

FEEDBACK_ROWS_SHOWN = 25


def participation_table(window):
    counts = sources.participants_by_kind(window.start, window.end, window.zone)
    rows = []
    for month, key in zip(window.months, window.keys):
        people = [counts.get((kind, key), 0) for kind in KIND_LABELS]
        rows.append([month_label(month)] + [shown(n, n) for n in people])
    return Table("participation", "People taking part per month, by kind of session",
                 ["Month"] + [f"{label}s (people)" for label in KIND_LABELS.values()], rows,
                 numeric=tuple(range(1, len(KIND_LABELS) + 1)))


def feedback_table(window):
    found = sources.feedback_per_series(window.start, window.end)
    # The series most people rated first: a programme of hundreds of series shows its busiest
    # on the page, and the CSV export holds them all.
    rows = [[title, KIND_LABELS.get(kind, kind), shown(round(avg, 2), n), shown(n, n)]
            for title, kind, avg, n in sorted(found, key=lambda row: (-row[3], row[0]))]
    return Table("feedback", "Average session feedback per series (1–5)",
                 ["Series", "Kind", "Average rating", "People who rated"], rows, numeric=(2, 3),
                 page_limit=FEEDBACK_ROWS_SHOWN, page_order="the series most people rated first")


def retention_table(window, relation, active):
    """Of the people active in a month, how many are active again 3 and 6 months later.
    `active`: person_months.monthly(relation)."""
    kept = person_months.retained(relation, window)
    rows = []
    for month, key in zip(window.months, window.keys):
        size = active.get(key, (0,))[0]
        row = [month_label(month), shown(size, size)]
        for later in person_months.RETENTION_MONTHS:
            if month_key(add_months(month, later)) > window.current or size < MIN_PEOPLE:
                row += [None, None]
            else:
                again = kept.get((key, later), 0)
                row += [again, round(100.0 * again / size, 1)]
        rows.append(row)
    return Table("retention", "Retention of participation",
                 ["Month", "People active", "Active 3 months later", "% after 3 months",
                  "Active 6 months later", "% after 6 months"], rows, numeric=(1, 2, 3, 4, 5))


def measures_table(window, definitions):
    averages = sources.measure_averages(None, window.months[0], window.months[-1])
    rows = []
    for month, key in zip(window.months, window.keys):
        row = [month_label(month)]
        for d in definitions:
            avg, people = averages.get((d.id, key), (None, 0))
            row.append(shown(round(avg, 1), people) if avg is not None else None)
        rows.append(row)
    return Table("measures", "Service measures per month (programme average)",
                 ["Month"] + [d.label for d in definitions], rows, numeric=tuple(range(1, len(definitions) + 1)))


def numeric_series(table, columns):
    return [(table.headers[i], [row[i] if isinstance(row[i], (int, float)) else None for row in table.rows])
            for i in columns]


EXTRA = ("cases", "support", "modules")   # shown after the programme's own sections, in this order


def programme_tables(window, relation):
    """Every table of the programme page, counted from the raw rows of the window's year.
    `relation`: everyone's person-months of the window (person_months.py), live or stored."""
    per_month = person_months.monthly(relation)
    return [participation_table(window), feedback_table(window), retention_table(window, relation, per_month),
            measures_table(window, measure_definitions()), sources_cases.volume_table(window, per_month),
            sources_coaching.support_table(window), sources_curriculum.completion_table(window)]


def programme_progress(zone, today=None):
    """Everything /progress/programme shows: from the summary while it is fresh, else counted now."""
    window = Window(zone, today)
    stored = summary.fresh(window)
    if stored:
        tables = summary.programme_tables(stored)
    else:
        tables = programme_tables(window, person_months.live(None, window.start, window.end, zone))
    by_name = {table.name: table for table in tables}
    participation, measures = by_name["participation"], by_name["measures"]
    labels = [row[0] for row in participation.rows]
    measure_series = numeric_series(measures, range(1, len(measures.headers)))
    return {
        "participation": participation,
        "participation_chart": charts.bar_chart("participation", participation.title, labels,
                                                numeric_series(participation, range(1, len(participation.headers))),
                                                y_label="people"),
        "feedback": by_name["feedback"],
        "retention": by_name["retention"],
        "measures": measures,
        "measures_chart": charts.line_chart("measures", measures.title, labels, measure_series)
        if any(v is not None for _, vs in measure_series for v in vs) else None,
        "extra": [by_name[name] for name in EXTRA],
        "as_of": stored.computed_at if stored else None,
        "this_month": month_label(window.months[-1]),
    }

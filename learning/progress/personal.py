"""My progress: learning activity per month and its continuity, competency
ratings over time, milestones, and my service measures beside learning."""
from learning.progress import charts, person_months, sources, sources_coaching
from learning.progress.measures import measure_definitions
from learning.progress.periods import last_months, month_key, month_label, streaks, utc_bounds
from learning.progress.tables import Table
from learning.timezones import to_local


def activity_table(name, title, months, per_month):
    """Months × activity kinds; `per_month`: {month key: {activity key: count}}."""
    labels = [label for _, label, _ in sources.ACTIVITIES]
    rows = [[month_label(month)] + [per_month.get(month_key(month), {}).get(k, 0) for k in sources.ACTIVITY_KEYS]
            for month in months]
    return Table(name, title, ["Month"] + labels, rows, numeric=tuple(range(1, len(labels) + 1)))


def activity_chart(table):
    series = [(header, [row[i + 1] for row in table.rows]) for i, header in enumerate(table.headers[1:])]
    return charts.bar_chart(table.name, table.title, [row[0] for row in table.rows], series, y_label="count")


def measures_chart(name, title, months, averages, markers=()):
    """One line per active measure over the months; None when nothing was imported."""
    definitions = measure_definitions()
    series = [(f"{d.label} ({d.unit})" if d.unit else d.label,
               [averages.get((d.id, month_key(m)), (None, 0))[0] for m in months]) for d in definitions]
    values = [v for _, vs in series for v in vs if v is not None]
    if not values:
        return None
    floor, ceiling = max(0.0, (min(values) // 5) * 5 - 5), min(100.0, (max(values) // 5) * 5 + 5)
    return charts.line_chart(name, title, [month_label(m) for m in months], series, floor=floor,
                             ceiling=max(ceiling, floor + 5), markers=markers)


def month_index(months, zone, when_utc):
    """The index of the viewer's month holding `when_utc`, or None outside the window."""
    local = to_local(when_utc, zone)
    key = f"{local.year:04d}-{local.month:02d}"
    keys = [month_key(m) for m in months]
    return keys.index(key) if key in keys else None


def my_progress(user, zone, today=None):
    """Everything the /progress page shows for `user`, in a bounded number of queries."""
    months = last_months(zone, 12, today)
    start, end = utc_bounds(months, zone)
    mine = {key: counts for _, key, counts in person_months.rows(person_months.live([user.id], start, end, zone))}
    activity = activity_table("activity", "My learning activity per month", months, mine)
    current, longest = streaks(set(mine), months)
    milestones = sources.milestones(user.id, start, end)
    markers = [(i, text) for when, kind, text, marks in milestones
               if marks and (i := month_index(months, zone, when)) is not None]
    averages = sources.measure_averages([user.id], months[0], months[-1])
    ratings = sources_coaching.competency_ratings(user.id, start, end)
    return {
        "months": months,
        "activity": activity,
        "activity_chart": activity_chart(activity),
        "continuity": {"current": current, "longest": longest},
        "milestones": list(reversed(milestones)),
        "milestone_table": Table("milestones", "Milestones", ["When", "What"],
                                 [[when, text] for when, _, text, _ in reversed(milestones)]),
        "measures_chart": measures_chart("measures", "My service measures", months, averages, markers),
        "competency_charts": competency_charts(ratings, months, zone),
    }


def competency_charts(ratings, months, zone):
    """One line chart per competency (self and coach ratings by month).

    `ratings`: [(competency name, 'self'|'coach', rated UTC datetime, level)] in time order;
    the month's value is the last rating given in it."""
    by_competency = {}
    for name, who, when, level in ratings:
        index = month_index(months, zone, when)
        if index is not None:
            by_competency.setdefault(name, {"self": {}, "coach": {}})[who][index] = level
    result = []
    for n, (name, kinds) in enumerate(sorted(by_competency.items())):
        series = [("Self rating", [kinds["self"].get(i) for i in range(len(months))]),
                  ("Coach rating", [kinds["coach"].get(i) for i in range(len(months))])]
        result.append(charts.line_chart(f"competency-{n + 1}", name, [month_label(m) for m in months], series,
                                        floor=1, ceiling=5, y_label="level", bridge=True))
    return result

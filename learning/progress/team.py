"""The team view: one row per member (attendance, last activity, goals, latest
competency levels, open support requests, service measures), who has gone quiet
for N weeks, overdue check-ins and the team's monthly trends."""
import hashlib
from datetime import timedelta

from learning.accounts.models import TeamCoach, User
from learning.db import utcnow
from learning.progress import charts, sources
from learning.progress.measures import measure_definitions
from learning.progress.periods import last_months, month_key, month_label
from learning.progress.rollup import Live, Rollup, Window
from learning.progress.tables import Table
from learning.timezones import now_in

ATTENDANCE_DAYS = 90


def attendance_rate(record):
    """Per cent of recorded sessions attended (no-shows count against, excused do not); None if none."""
    attended, recorded = record
    return round(100.0 * attended / recorded, 1) if recorded else None


def team_members(team):
    """Active members of the team, its own coaches left out."""
    coaches = TeamCoach.select(TeamCoach.user).where(TeamCoach.team == team)
    return list(User.select().where(User.team == team, User.active == True, User.id.not_in(coaches))  # noqa: E712
                .order_by(User.display_name, User.id))


def members_table(members, now, today, months, definitions):
    ids = [m.id for m in members]
    record = sources.attendance_record(ids, now - timedelta(days=ATTENDANCE_DAYS), now)
    last = sources.last_activity(ids, now)
    optional = sources.OPTIONAL
    goals = optional["goals"](ids, today) if optional["goals"] else None
    requests = optional["open_requests"](ids) if optional["open_requests"] else None
    competencies, levels = optional["latest_levels"](ids) if optional["latest_levels"] else ([], {})
    latest = sources.latest_measures(ids, months[0], months[-1])
    headers = ["Person", f"Attendance, last {ATTENDANCE_DAYS} days (%)", "Last activity"]
    headers += ["Open goals", "Overdue goals"] if goals is not None else []
    headers += ["Open support requests"] if requests is not None else []
    heat_start = len(headers)
    headers += competencies + [d.label for d in definitions]
    rows = []
    for m in members:
        row = [m.display_name, attendance_rate(record.get(m.id, (0, 0))), last.get(m.id)]
        row += list(goals.get(m.id, (0, 0))) if goals is not None else []
        row += [requests.get(m.id, 0)] if requests is not None else []
        row += [levels.get((m.id, c)) for c in competencies] + [latest.get((m.id, d.id)) for d in definitions]
        rows.append(row)
    table = Table("members", "Team members", headers, rows,
                  numeric=(1,) + tuple(range(3, len(headers))))
    table.heat = tuple(range(heat_start, heat_start + len(competencies)))
    return table, last


def inactive_table(members, last, now, weeks):
    cutoff = now - timedelta(weeks=weeks)
    rows = [[m.display_name, last.get(m.id), (now - last[m.id]).days // 7 if last.get(m.id) else None]
            for m in members if last.get(m.id) is None or last[m.id] < cutoff]
    return Table("inactive", f"No learning activity for {weeks} weeks or more",
                 ["Person", "Last activity", "Weeks since"], rows, numeric=(2,))


def checkins_table(members, now):
    source = sources.OPTIONAL["checkins_overdue"]
    if source is None:
        return None
    overdue = source([m.id for m in members], now)
    rows = [[m.display_name, overdue[m.id]] for m in members if m.id in overdue]
    return Table("checkins", "Check-ins overdue", ["Person", "Check-in was due"], rows)


def team_scope(team, ids):
    """The roll-up's scope: the team and exactly these members (a change of members is a new scope)."""
    digest = hashlib.sha1(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]
    return f"team:{team.id}:{digest}"


def trends_table(members, rollup, definitions):
    ids = [m.id for m in members]

    def compute(lo, hi):
        counts = sources.shared_activity_counts(rollup, ids, lo, hi)
        per_month = {}
        for uid, keys in sources.active_months(counts).items():
            for key in keys:
                per_month.setdefault(key, {"people": 0, "counts": {}})["people"] += 1 if uid in id_set else 0
        for activity, per_user_month in counts.items():
            for (uid, key), n in per_user_month.items():
                entry = per_month.setdefault(key, {"people": 0, "counts": {}})["counts"]
                entry[activity] = entry.get(activity, 0) + n
        return per_month

    id_set = set(ids)
    per_month = rollup.monthly("team_activity", compute)
    averages = sources.monthly_measure_averages(rollup, ids, "team_measures")
    headers = ["Month", "People active"] + [label for _, label, _ in sources.ACTIVITIES]
    headers += [f"{d.label} (average)" for d in definitions]
    rows = []
    for month in rollup.window.months:
        key = month_key(month)
        entry = per_month.get(key) or {"people": 0, "counts": {}}
        row = [month_label(month), entry["people"]]
        row += [entry["counts"].get(k, 0) for k, _, _ in sources.ACTIVITIES]
        row += [averages.get((d.id, key), (None, 0))[0] for d in definitions]
        rows.append(row)
    return Table("trends", "Team trends per month", headers, rows, numeric=tuple(range(1, len(headers))))


def trend_charts(trends, definitions):
    labels = [row[0] for row in trends.rows]
    activity_columns = range(1, len(trends.headers) - len(definitions))
    activity = charts.bar_chart("trends", "Team learning activity per month", labels,
                                [(trends.headers[i], [row[i] for row in trends.rows]) for i in activity_columns])
    measure_columns = range(len(trends.headers) - len(definitions), len(trends.headers))
    series = [(trends.headers[i], [row[i] for row in trends.rows]) for i in measure_columns]
    has_measures = any(v is not None for _, vs in series for v in vs)
    measures = charts.line_chart("trends", "Team service measures per month (average)", labels, series) \
        if has_measures else None
    return activity, measures


def team_progress(team, zone, weeks, now=None, today=None, cached=True):
    """Everything /progress/team/<id> shows, in a bounded number of queries. The trends'
    closed months come from the roll-up (rollup.py); `cached=False` reads the raw rows instead."""
    now = now or utcnow()
    today = today or now_in(zone).date()
    window = Window(last_months(zone, 12, today), zone)
    months = window.months
    definitions = measure_definitions()
    members = team_members(team)
    rollup = Rollup(team_scope(team, [m.id for m in members]), window) if cached else Live(window)
    members_rows, last = members_table(members, now, today, months, definitions)
    trends = trends_table(members, rollup, definitions)
    activity_chart, measures_chart = trend_charts(trends, definitions)
    rollup.save()
    return {
        "members": members_rows,
        "inactive": inactive_table(members, last, now, weeks),
        "checkins": checkins_table(members, now),
        "trends": trends,
        "activity_chart": activity_chart,
        "measures_chart": measures_chart,
        "as_of": rollup.as_of,
        "this_month": month_label(months[-1]),
    }

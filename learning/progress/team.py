"""The team view: one row per member (attendance, last activity, goals, latest
competency levels, open support requests, service measures), who has gone quiet
for N weeks, overdue check-ins and the team's monthly trends. Everything is about
the team's current members (members.py); the trends' closed months come from the
monthly summary while it is fresh (summary.py), this month is always counted live."""
from datetime import datetime, timedelta

from learning.db import utcnow
from learning.progress import charts, person_months, sources, sources_coaching, summary
from learning.progress.measures import measure_definitions
from learning.accounts.models import User
from learning.prepared_sql import Prepared
from learning.progress.members import member_ids, team_members
from learning.progress.models import PersonMonth
from learning.progress.periods import Window, month_label, zone_offset_minutes
from learning.progress.tables import Table
from learning.timezones import now_in
from learning.wording import count_of

ATTENDANCE_DAYS = 90


def attendance_rate(record):
    """Per cent of recorded sessions attended (no-shows count against, excused do not); None if none."""
    attended, recorded = record
    return round(100.0 * attended / recorded, 1) if recorded else None


# Every member's last activity over five kinds of record is the page's costliest query to build:
# compiled once, it costs 0.3 ms of CPU per request instead of 3.3 ms (bench scale 1, SQLite).
_LAST_ACTIVITY = Prepared(lambda team_id, before: sources.last_activity(member_ids(team_id), before),
                          {"team_id": int, "before": datetime}, converters=(None, sources.LAST_ACTIVITY_AT))


def members_table(team, members, now, today, months, definitions):
    ids = [m.id for m in members]
    record = sources.attendance_record(ids, now - timedelta(days=ATTENDANCE_DAYS), now)
    last = dict(_LAST_ACTIVITY.rows(team_id=team.id, before=now))
    goals = sources_coaching.goals(ids, today)
    requests = sources_coaching.open_requests(ids)
    competencies, levels = sources_coaching.latest_levels(ids)
    latest = sources.latest_measures(ids, months[0], months[-1])
    headers = ["Person", f"Attendance, last {ATTENDANCE_DAYS} days (%)", "Last activity",
               "Open goals", "Overdue goals", "Open support requests"]
    heat_start = len(headers)
    headers += competencies + [d.label for d in definitions]
    rows = []
    for m in members:
        row = [m.display_name, attendance_rate(record.get(m.id, (0, 0))), last.get(m.id)]
        row += list(goals.get(m.id, (0, 0))) + [requests.get(m.id, 0)]
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
    return Table("inactive", f"No learning activity for {count_of(weeks, 'week')} or more",
                 ["Person", "Last activity", "Weeks since"], rows, numeric=(2,))


def checkins_table(members, now):
    overdue = sources_coaching.checkins_overdue([m.id for m in members], now)
    rows = [[m.display_name, overdue[m.id]] for m in members if m.id in overdue]
    return Table("checkins", "Check-ins overdue", ["Person", "Check-in was due"], rows)


def member_activity(team_id, window, stored):
    """{month key: (people active, {activity key: count}, ...)} of the team's members, in one
    query: the closed months from the summary when `stored` (a fresh summary), this month (every
    month without one) counted live."""
    key = (window.zone, zone_offset_minutes(window.zone), bool(stored))
    if key not in _MEMBER_ACTIVITY:
        _MEMBER_ACTIVITY[key] = Prepared(_member_activity_query(window.zone, bool(stored)), {
            "team_id": int, "live_from": datetime, "end": datetime, "first_closed": str, "last_closed": str})
    rows = _MEMBER_ACTIVITY[key].rows(
        team_id=team_id, live_from=window.current_start if stored else window.start, end=window.end,
        first_closed=window.keys[0], last_closed=window.keys[-2])
    return person_months.monthly_figures(rows)


# The team's months are the costliest query of team progress and team wellbeing to build (5.8 ms
# of CPU against 5-7 ms to run, bench scale 1, SQLite): compiled once per engine, and per zone
# and its offset of the day (months are bucketed at the zone's offset, written into the SQL).
_MEMBER_ACTIVITY = {}   # (zone, offset in minutes, stored) -> Prepared


def _member_activity_query(zone, stored):
    def build(team_id, live_from, end, first_closed, last_closed):
        ids = member_ids(team_id)
        relation = person_months.live(ids, live_from, end, zone)
        if stored:
            # the stored months of a fresh summary are the window's: its closed ones are a range
            closed = person_months.stored(zone).where(PersonMonth.user.in_(ids),
                                                      PersonMonth.month.between(first_closed, last_closed))
            relation = closed.union_all(relation)
        return person_months.monthly_query(relation)
    return build


def trends_table(team, members, window, stored, definitions):
    ids = [m.id for m in members]
    per_month = member_activity(team.id, window, stored)
    averages = sources.measure_averages(ids, window.months[0], window.months[-1])
    headers = ["Month", "People active"] + [label for _, label, _ in sources.ACTIVITIES]
    headers += [f"{d.label} (average)" for d in definitions]
    rows = []
    for month, key in zip(window.months, window.keys):
        people, counts, _ = per_month.get(key, (0, {}, {}))
        row = [month_label(month), people] + [counts.get(k, 0) for k in sources.ACTIVITY_KEYS]
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


def team_progress(team, zone, weeks, now=None, today=None):
    """Everything /progress/team/<id> shows, in a bounded number of queries."""
    now = now or utcnow()
    today = today or now_in(zone).date()
    window = Window(zone, today)
    definitions = measure_definitions()
    members = team_members(team, User.id, User.display_name)
    stored = summary.fresh(window)
    members_rows, last = members_table(team, members, now, today, window.months, definitions)
    trends = trends_table(team, members, window, stored, definitions)
    activity_chart, measures_chart = trend_charts(trends, definitions)
    return {
        "members": members_rows,
        "inactive": inactive_table(members, last, now, weeks),
        "checkins": checkins_table(members, now),
        "trends": trends,
        "activity_chart": activity_chart,
        "measures_chart": measures_chart,
        "as_of": stored.computed_at if stored else None,
        "this_month": month_label(window.months[-1]),
    }

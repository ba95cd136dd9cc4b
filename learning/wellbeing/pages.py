"""What the wellbeing pages show: a person's own history, a team's trend beside the
programme's with people staying, and the programme with its teams. Every figure of other
people comes from aggregates.py (closed rounds, groups of five or more)."""
from datetime import timedelta

from learning.progress import charts, summary
from learning.accounts.models import User
from learning.progress.members import team_members
from learning.progress.periods import Window
from learning.progress.tables import Table
from learning.progress.team import member_activity
from learning.wellbeing import aggregates, staying
from learning.wellbeing.pulse import my_answers
from learning.wellbeing.rounds import closed_before, programme_today

HIDDEN = "hidden: small group"
TREND_WEEKS = 52
SHORT_LABELS = ("Workload", "Hard contacts", "Allowed to fix", "Support felt")
COMMENT_ROUNDS = 3


def round_label(day):
    return f"{day:%-d %b %Y}"


def trend_table(name, title, figures, pick):
    """Rounds oldest first; `pick(figures)` the Group to show, None when hidden."""
    headers = ["Round", "Answers"] + list(SHORT_LABELS)
    rows = []
    for round_figures in figures:
        group = pick(round_figures)
        if group is None:
            rows.append([round_label(round_figures.round_on), HIDDEN] + [None] * len(SHORT_LABELS))
        else:
            rows.append([round_label(round_figures.round_on), group.people] + group.averages)
    return Table(name, title, headers, rows, numeric=tuple(range(1, len(headers))))


def trend_chart(table):
    labels = [row[0] for row in table.rows]
    series = [(label, [row[i + 2] if isinstance(row[i + 2], float) else None for row in table.rows])
              for i, label in enumerate(SHORT_LABELS)]
    chart = charts.line_chart(table.name, table.title, labels, series, floor=1, ceiling=5, x_header="Round")
    chart.table = table   # the data table beside the chart says which rounds are hidden
    return chart


def window_figures(today, team_id=None):
    """The closed rounds of the trend's window: every team's, or only what one team's page shows."""
    before = closed_before(today)
    since = before - timedelta(weeks=TREND_WEEKS)
    if team_id is None:
        return aggregates.round_figures(since, before)
    return aggregates.team_round_figures(team_id, since, before)


def programme_trend(figures):
    table = trend_table("programme", "Programme wellbeing per round (averages)", figures, lambda f: f.programme)
    return trend_chart(table)


def team_wellbeing(team, zone, today=None):
    today = today or programme_today()
    figures = window_figures(today, team.id)
    team_table = trend_table("team", f"{team.name}: wellbeing per round (averages)", figures,
                             lambda f: f.teams.get(team.id))
    members = team_members(team, User.id, User.start_date, User.created_at)
    window = Window(zone)
    active = member_activity(team.id, window, summary.fresh(window))
    people = staying.staff_of(members, team.id)
    return {
        "team_chart": trend_chart(team_table),
        "programme_chart": programme_trend(figures),
        "comments": aggregates.shared_comments(figures[-COMMENT_ROUNDS:], team.id),
        "staying": staying.staying_table(people, window.months, {k: v[0] for k, v in active.items()}),
    }


def latest_by_team(figures, teams):
    """One row per team: its latest closed round with figures shown, if any."""
    rows = []
    for team in teams:
        shown = [f for f in figures if team.id in f.teams]
        if shown:
            group = shown[-1].teams[team.id]
            rows.append([team.name, round_label(shown[-1].round_on), group.people] + group.averages)
        else:
            rows.append([team.name, "no round shown yet"] + [None] * (1 + len(SHORT_LABELS)))
    headers = ["Team", "Latest round shown", "Answers"] + list(SHORT_LABELS)
    return Table("teams", "Teams: the latest round with enough answers", headers, rows,
                 numeric=tuple(range(2, len(headers))))


def programme_wellbeing(teams, zone, is_admin, today=None):
    """The programme's trend and the teams' latest rounds; for admins also the comments shared
    in shown groups and the programme's people staying."""
    today = today or programme_today()
    figures = window_figures(today)
    return {
        "programme_chart": programme_trend(figures),
        "teams": latest_by_team(figures, teams),
        "team_ids": {t.name: t.id for t in teams},
        "comments": aggregates.shared_comments(figures[-COMMENT_ROUNDS:]) if is_admin else [],
        "staying": staying.staying_table(staying.staff_of(staying.everyone(), None), Window(zone).months)
        if is_admin else None,
    }


def my_history(user):
    answers = list(reversed(my_answers(user)))
    headers = ["Round"] + list(SHORT_LABELS) + ["Comment", "Shared"]
    rows = [[round_label(a.round_on)] + a.values + [a.comment, "yes" if a.share_comment else "no"]
            for a in answers]
    table = Table("mine", "My answers", headers, rows, numeric=(1, 2, 3, 4))
    series = [(label, [row[i + 1] for row in rows]) for i, label in enumerate(SHORT_LABELS)]
    chart = charts.line_chart("mine", "My answers per round", [row[0] for row in rows], series,
                              floor=1, ceiling=5, x_header="Round") if len(rows) > 1 else None
    if chart:
        chart.table = table
    return table, chart

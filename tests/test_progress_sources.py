"""The sections progress reads from case reviews, modules and coaching, against
hand-computed values."""
from datetime import datetime, timedelta

from learning.cases import models as cases
from learning.coaching import models as coaching
from learning.curriculum import models as curriculum
from learning.competencies.models import Competency
from learning.db import utcnow
from learning.progress.periods import month_label
from learning.progress.personal import my_progress
from learning.progress.programme import programme_progress
from learning.progress.team import team_progress

ZONE = "Europe/Berlin"


def at(month, day=10):
    return datetime(month.year, month.month, day, 12)


def competency(name="Listen fully"):
    return Competency.get_or_none(Competency.name == name) or Competency.create(name=name, area="Principles")


def activity_column(context, label):
    table = context["activity"]
    index = table.headers.index(label)
    return {row[0]: row[index] for row in table.rows}


def test_cases_brought_and_discussed_count_as_activity_and_milestones(people, months):
    agent = people["agent"]
    cases.Case.create(author=agent, title="Angry caller", channel="phone", status="discussed",
                      submitted_at=at(months[-3]), discussed_at=at(months[-2]))
    cases.Case.create(author=agent, title="Late parcel", channel="chat", status="submitted", submitted_at=at(months[-3], 12))
    context = my_progress(agent, ZONE)
    assert activity_column(context, "Cases brought")[month_label(months[-3])] == 2
    assert activity_column(context, "Cases discussed")[month_label(months[-2])] == 1
    assert [(kind, text) for _, kind, text, _ in context["milestones"]] == [("Case discussed", "Angry caller")]
    assert context["continuity"] == {"current": 2, "longest": 2}     # up to last month


def test_module_completion_is_activity_and_a_marker_beside_service(people, months, record_measure):
    agent = people["agent"]
    module = curriculum.Module.create(title="Boundaries first", area="Boundaries", created_by=people["admin"],
                                      status="published")
    curriculum.Completion.create(module=module, user=agent, completed_at=at(months[-2]), method="coach")
    record_measure(agent, months[-2], "csat", 85)
    context = my_progress(agent, ZONE)
    assert activity_column(context, "Modules completed")[month_label(months[-2])] == 1
    chart = context["measures_chart"]
    assert 'class="marker"' in str(chart.svg)
    notes = {row[0]: row[-1] for row in chart.table.rows}
    assert notes[month_label(months[-2])] == "Boundaries first"


def make_plan(coaching, people, months, start_month):
    return coaching.Plan.create(employee=people["agent"], coach=people["coach_a"], title="Own the issue",
                                start_date=start_month, review_date=months[-1] + timedelta(days=60))


def test_competency_chart_shows_self_and_coach_ratings_by_month(people, months):
    agent, coach, listen = people["agent"], people["coach_a"], competency()
    for month, level, source, rater in ((months[-4], 2, "self", agent), (months[-4], 1, "coach", coach),
                                        (months[-2], 3, "self", agent), (months[-1], 3, "coach", coach)):
        coaching.Rating.create(employee=agent, competency=listen, level=level, rated_on=month + timedelta(days=4),
                               source=source, rater=rater)
    charts = my_progress(agent, ZONE)["competency_charts"]
    assert [c.title for c in charts] == ["Listen fully"]
    rows = {row[0]: row[1:] for row in charts[0].table.rows}
    assert rows[month_label(months[-4])] == [2, 1]
    assert rows[month_label(months[-2])] == [3, None]
    assert rows[month_label(months[-1])] == [None, 3]


def test_team_shows_goals_requests_levels_and_overdue_checkins(people, months):
    agent, listen = people["agent"], competency()
    plan = make_plan(coaching, people, months, months[-4])
    today = utcnow().date()
    for status, due in (("in_progress", today - timedelta(days=3)), ("not_started", today + timedelta(days=9)),
                        ("achieved", today - timedelta(days=9))):
        coaching.Goal.create(plan=plan, competency=listen, what_good_looks_like="x", target_level=4, due_date=due,
                             status=status)
    coaching.SupportRequest.create(employee=agent, description="Help with angry callers", status="open")
    coaching.Rating.create(employee=agent, competency=listen, level=2, rated_on=months[-3], source="coach",
                           rater=people["coach_a"])
    coaching.Rating.create(employee=agent, competency=listen, level=4, rated_on=months[-2], source="coach",
                           rater=people["coach_a"])
    held = at(months[-3])
    coaching.CheckIn.create(plan=plan, employee=agent, coach=people["coach_a"], starts_at=held,
                            ends_at=held + timedelta(minutes=30), timezone=ZONE)
    context = team_progress(people["team_a"], ZONE, weeks=4)
    table = context["members"]
    row = {r[0]: r for r in table.rows}["Agent A1"]
    assert row[table.headers.index("Open goals")] == 2 and row[table.headers.index("Overdue goals")] == 1
    assert row[table.headers.index("Open support requests")] == 1
    assert row[table.headers.index("Listen fully")] == 4
    assert table.headers.index("Listen fully") in table.heat
    assert context["checkins"].rows == [["Agent A1", held + timedelta(days=30)]]


def test_programme_support_section_suppresses_small_groups(people, months):
    created = at(months[-2])
    coaching.SupportRequest.create(employee=people["agent"], description="x", status="answered",
                                   created_at=created, answered_at=created + timedelta(hours=5))
    tables = {t.name: t for t in programme_progress(ZONE)["extra"]}
    rows = {row[0]: row[1:] for row in tables["support"].rows}
    assert rows[month_label(months[-2])] == ["fewer than 5 people"] * 3
    assert rows[month_label(months[-3])] == [0, 0, None]

"""The numbers on my, team and programme progress against hand-computed values,
and their CSV exports with the page's filters."""
import csv
import io
from datetime import timedelta

from learning.db import utcnow
from learning.progress.periods import month_label
from learning.progress.personal import my_progress
from learning.progress.programme import programme_progress
from learning.progress.team import team_progress
from learning.schedule.models import Session

ZONE = "Europe/Berlin"


def rows_by_month(table):
    return {row[0]: row[1:] for row in table.rows}


def test_my_activity_counts_attended_sessions_per_month(agent_year, months):
    context = my_progress(agent_year, ZONE)
    counts = {month: values[0] for month, values in rows_by_month(context["activity"]).items()}
    assert counts[month_label(months[-5])] == 1
    assert counts[month_label(months[-3])] == 2
    assert counts[month_label(months[-2])] == 1      # the no-show and the excused session do not count
    assert counts[month_label(months[-1])] == 1
    assert sum(counts.values()) == 5


def test_my_continuity_is_the_run_of_active_months(agent_year):
    assert my_progress(agent_year, ZONE)["continuity"] == {"current": 3, "longest": 3}


def test_my_service_measures_show_my_values_only(agent_year, months):
    table = my_progress(agent_year, ZONE)["measures_chart"].table
    csat = table.headers.index("Customer satisfaction (CSAT) (%)")
    by_month = {row[0]: row[csat] for row in table.rows}
    assert by_month[month_label(months[-3])] == 80.0
    assert by_month[month_label(months[-2])] == 90.0   # the other agent's 50 is not mixed in
    assert by_month[month_label(months[-1])] is None


def test_my_progress_page_shows_continuity_and_charts(agent_year, login):
    page = login(agent_year).get("/progress").get_data(as_text=True)
    assert "<strong class=\"big\">3</strong> months in a row" in page
    assert page.count('<svg class="chart"') == 2
    assert "Data table" in page


def test_team_row_shows_attendance_rate_and_last_activity(agent_year, people, months):
    context = team_progress(people["team_a"], ZONE, weeks=4)
    rows = {row[0]: row for row in context["members"].rows}
    assert set(rows) == {"Agent A1", "Agent A2"}              # the team's coach is left out
    assert rows["Agent A1"][1] == 80.0                         # 4 attended of 5 recorded; excused left out
    assert rows["Agent A1"][2].day == 1 and rows["Agent A1"][2].month == months[-1].month
    assert rows["Agent A2"][1] == 100.0
    csat = context["members"].headers.index("Customer satisfaction (CSAT)")
    assert rows["Agent A1"][csat] == 90.0 and rows["Agent A2"][csat] == 50.0


def test_team_lists_who_has_gone_quiet_for_n_weeks(agent_year, people):
    def quiet(weeks):
        return [row[0] for row in team_progress(people["team_a"], ZONE, weeks)["inactive"].rows]

    assert quiet(52) == []
    assert "Agent A1" not in quiet(8) and "Agent A2" not in quiet(8)
    long_ago = quiet(1)
    assert "Agent A2" in long_ago                              # last seen last month


def test_team_trends_count_people_and_sessions_per_month(agent_year, people, months):
    table = team_progress(people["team_a"], ZONE, 4)["trends"]
    trends = rows_by_month(table)
    assert trends[month_label(months[-2])][:2] == [2, 2]       # 2 people active, 2 attendances
    assert trends[month_label(months[-3])][:2] == [1, 2]
    csat = table.headers.index("Customer satisfaction (CSAT) (average)") - 1
    assert trends[month_label(months[-2])][csat] == 70.0       # (90 + 50) / 2


def test_team_inactive_export_uses_the_weeks_filter(agent_year, people, login, months, record_session):
    yesterday = utcnow() - timedelta(days=1)        # Agent A1 active a day ago, A2 three weeks ago at least
    session = record_session(months[-1], {people["agent"]: "attended"})
    Session.update(starts_at=yesterday, ends_at=yesterday + timedelta(hours=1)).where(Session.id == session.id).execute()
    client = login(people["coach_a"])
    response = client.get(f"/progress/team/{people['team_a'].id}?weeks=1&format=csv&table=inactive")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Person", "Last activity", "Weeks since"]
    assert [r[0] for r in rows[1:]] == ["Agent A2"]
    assert rows[1][1].endswith(("CET", "CEST"))                # times in the viewer's zone, named


def test_an_unknown_export_table_is_not_found(agent_year, login):
    assert login(agent_year).get("/progress?format=csv&table=nope").status_code == 404


def test_programme_suppresses_groups_under_five_people(agent_year, months):
    context = programme_progress(ZONE)
    participation = rows_by_month(context["participation"])
    assert participation[month_label(months[-2])][0] == "fewer than 5 people"
    assert participation[month_label(months[-4])][0] == 0
    assert context["retention"].rows[-3][1] == "fewer than 5 people"


def test_programme_shows_participation_feedback_and_retention_for_five_or_more(
        people, make_user, months, record_session):
    team = people["team_b"]
    six = [people["agent_b"]] + [make_user("agent", team=team) for _ in range(5)]
    first, later = months[-8], months[-5]
    record_session(first, {u: "attended" for u in six}, feedback={u: 4 + (i % 2) for i, u in enumerate(six)})
    record_session(later, {u: "attended" for u in six[:5]})
    record_session(months[-2], {u: "attended" for u in six[:3]})
    context = programme_progress(ZONE)
    assert rows_by_month(context["participation"])[month_label(first)][0] == 6
    assert context["feedback"].rows == [["skill series", "Skill session", 4.5, 6]]
    retention = rows_by_month(context["retention"])[month_label(first)]
    assert retention == [6, 5, 83.3, 3, 50.0]
    assert rows_by_month(context["retention"])[month_label(later)] == [5, 3, 60.0, None, None]


def test_programme_hides_feedback_from_fewer_than_five_raters(people, months, record_session):
    record_session(months[-2], {people["agent"]: "attended"}, feedback={people["agent"]: 2})
    assert programme_progress(ZONE)["feedback"].rows == [
        ["skill series", "Skill session", "fewer than 5 people", "fewer than 5 people"]]


def test_programme_page_and_export_render(agent_year, people, login):
    client = login(people["admin"])
    assert "Programme results" in client.get("/progress/programme").get_data(as_text=True)
    response = client.get("/progress/programme?format=csv&table=participation")
    assert response.get_data(as_text=True).startswith("Month,Skill sessions (people)")


def test_programme_page_shows_the_most_rated_series_and_the_export_holds_every_one(people, login, monkeypatch):
    from learning.progress import sources
    from learning.progress.programme import FEEDBACK_ROWS_SHOWN

    many = [(f"Series {n:02d}", "skill", 4.0, 5 + n) for n in range(FEEDBACK_ROWS_SHOWN + 5)]
    monkeypatch.setattr(sources, "feedback_per_series", lambda start, end: many)
    feedback = programme_progress(ZONE)["feedback"]
    assert [row[0] for row in feedback.page_rows] == [f"Series {n:02d}" for n in range(29, 4, -1)]
    assert feedback.rows_not_shown == 5

    client = login(people["admin"])
    html = client.get("/progress/programme").get_data(as_text=True)
    assert f"Showing {FEEDBACK_ROWS_SHOWN} of {FEEDBACK_ROWS_SHOWN + 5} rows" in html
    assert "Series 29" in html and "Series 04" not in html
    exported = client.get("/progress/programme?format=csv&table=feedback").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(exported)))) == 1 + FEEDBACK_ROWS_SHOWN + 5
    assert "Series 04" in exported



def _progress_links(body):
    """The hrefs of the "Other progress views" buttons."""
    nav = body.split('aria-label="Other progress views"', 1)[1].split("</nav>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split('href="')[1:]]


def test_each_seat_reaches_team_progress_from_its_own_page(people, client, login, make_team):
    """A coach's page offers the teams they coach and no other; an admin's offers the paged teams
    list instead of a button per team (an organisation has hundreds), where each team has a
    Progress link that opens; an agent's offers none."""
    for n in range(3):
        make_team(f"Extra team {n}")
    team_a, team_b = people["team_a"], people["team_b"]
    login(people["coach_a"])
    links = _progress_links(client.get("/progress").get_data(as_text=True))
    assert links == [f"/progress/team/{team_a.id}"]
    assert f"/progress/team/{team_b.id}" not in client.get(f"/progress/team/{team_a.id}").get_data(as_text=True)

    login(people["admin"])
    links = _progress_links(client.get("/progress").get_data(as_text=True))
    assert "/admin/teams" in links and not any(link.startswith("/progress/team/") for link in links)
    assert "/admin/teams" in _progress_links(client.get(f"/progress/team/{team_b.id}").get_data(as_text=True))
    teams_page = client.get("/admin/teams").get_data(as_text=True)
    for team in (team_a, team_b):
        assert f'href="/progress/team/{team.id}"' in teams_page
    assert client.get(f"/progress/team/{team_b.id}").status_code == 200

    login(people["agent"])
    assert 'aria-label="Other progress views"' not in client.get("/progress").get_data(as_text=True)
    assert client.get("/admin/teams").status_code in (403, 404)

"""The monthly progress summary (progress/summary.py, `flask progress rebuild`): team and
programme pages show the same figures from the summary as from the raw rows; a team's
months are its CURRENT members' months, so a person who moves takes their history along;
the rebuild is idempotent; a summary older than the setting (or of another year or zone)
is not used; pages never write it."""
from datetime import datetime, timedelta

import pytest

from learning.accounts import service as accounts
from learning.cases.models import Case
from learning.curriculum.models import Completion, Module
from learning.db import utcnow
from learning.progress import summary
from learning.progress.exports import page_tables
from learning.progress.measure_imports import import_file
from learning.progress.models import PersonMonth, ProgressSummary
from learning.progress.periods import add_months, month_label
from learning.progress.programme import programme_progress
from learning.progress.rebuild import rebuild
from learning.progress.team import team_progress
from learning.schedule.attendance import record_attendance
from learning.schedule.models import Session

ZONE = "Europe/Berlin"


def at(month, day=10, hour=12):
    return datetime(month.year, month.month, day, hour)


def figures(context):
    """Every table's rows (charts' too) of a page's context, by table name."""
    return {name: table.rows for name, table in page_tables(context).items()}


def trends(team, zone=ZONE):
    """{month label: [people active, sessions attended]} of a team's trends."""
    return {row[0]: row[1:3] for row in team_progress(team, zone, 4)["trends"].rows}


def participation(month):
    return {row[0]: row[1] for row in programme_progress(ZONE)["participation"].rows}[month_label(month)]


def summary_rows():
    """What the summary holds, comparable between two rebuilds."""
    people = sorted(PersonMonth.select(PersonMonth.zone, PersonMonth.user, PersonMonth.month, PersonMonth.sessions,
                                       PersonMonth.cases_brought, PersonMonth.cases_discussed, PersonMonth.modules,
                                       PersonMonth.goals).tuples())
    programme = sorted(ProgressSummary.select(ProgressSummary.zone, ProgressSummary.first_month,
                                              ProgressSummary.programme).tuples())
    return people, programme


@pytest.fixture
def busy_year(people, make_user, months, record_session, record_measure):
    """Seven agents in team A with sessions, feedback, measures, cases and completions spread
    over the year, this month included."""
    team = people["team_a"]
    agents = [people["agent"], people["other_agent"]] + [make_user("agent", team=team) for _ in range(5)]
    for i, month in enumerate(months):
        going = agents[: 3 + i % 5]
        late = record_session(month, {u: "attended" for u in agents[i % 3: i % 3 + 5]}, day=1, title="Early")
        Session.update(starts_at=at(month, 1, 0) + timedelta(minutes=30)).where(Session.id == late.id).execute()
        record_session(month, {u: ("attended" if n % 4 else "no_show") for n, u in enumerate(going)}, day=1 + i % 3,
                       feedback={u: 1 + (n + i) % 5 for n, u in enumerate(going)},
                       kind="skill" if i % 2 else "case_review", title=f"Series {i % 3}")
        for n, u in enumerate(agents[: 5 + i % 3]):
            record_measure(u, month, "csat", 70 + (n * 7 + i * 3) % 30)
            record_measure(u, month, "quality", 3.5 + (n + i) % 3 / 2)
    for i, month in enumerate(months[:-1]):
        for u in agents[: 5 + i % 2]:
            Case.create(author=u, title="A call", channel="phone", status="discussed",
                        submitted_at=at(month, 2), discussed_at=at(months[i + 1], 1, 1))
    module = Module.create(title="Boundaries first", area="Boundaries", created_by=people["admin"], status="published")
    for i, month in enumerate(months[::3]):
        for u in agents[i: i + 5]:
            Completion.create(module=module, user=u, completed_at=at(month, 1, 2), method="coach")
    return agents


def test_programme_figures_are_the_same_from_the_summary_and_from_raw_rows(busy_year):
    raw = programme_progress(ZONE)
    assert raw["as_of"] is None
    rebuild(ZONE)
    summarised = programme_progress(ZONE)
    assert summarised["as_of"] is not None
    assert figures(summarised) == figures(raw)
    assert any(isinstance(v, int) and v >= 5 for row in figures(raw)["participation"] for v in row[1:])
    assert any(isinstance(v, float) for row in figures(raw)["measures"] for v in row[1:])
    assert any(isinstance(v, int) and v >= 5 for row in figures(raw)["retention"] for v in row[1:])


def test_team_figures_are_the_same_from_the_summary_and_from_raw_rows(busy_year, people):
    raw = team_progress(people["team_a"], ZONE, 4)
    rebuild(ZONE)
    summarised = team_progress(people["team_a"], ZONE, 4)
    assert raw["as_of"] is None and summarised["as_of"] is not None
    assert figures(summarised) == figures(raw)
    assert all(row[1] for row in figures(raw)["trends"])


def test_moving_a_person_between_teams_moves_their_figures_on_both_teams_pages(
        people, months, record_session, login):
    mover, stayer = people["agent"], people["other_agent"]
    for month in (months[-7], months[-2]):
        record_session(month, {mover: "attended", stayer: "attended"})
    record_session(months[-4], {mover: "attended"})
    rebuild(ZONE)
    before = {label: trends(people["team_a"])[month_label(m)] for label, m in (("7", months[-7]), ("4", months[-4]))}
    assert before == {"7": [2, 2], "4": [1, 1]}
    assert trends(people["team_b"])[month_label(months[-4])] == [0, 0]

    accounts.update_person(mover, people["admin"], mover.display_name, mover.email, mover.timezone, "agent",
                           people["team_b"].id, True)
    record_session(months[-1], {mover: "attended"}, day=1)          # after the move, this month

    def page_trends(coach, team):
        rows = login(coach).get(f"/progress/team/{team.id}?format=csv&table=trends").get_data(as_text=True)
        return {line.split(",")[0]: line.split(",")[1:3] for line in rows.splitlines()[1:]}

    team_a, team_b = page_trends(people["coach_a"], people["team_a"]), page_trends(people["coach_b"], people["team_b"])
    for month, a, b in ((months[-7], ["1", "1"], ["1", "1"]), (months[-4], ["0", "0"], ["1", "1"]),
                        (months[-2], ["1", "1"], ["1", "1"]), (months[-1], ["0", "0"], ["1", "1"])):
        assert (team_a[month_label(month)], team_b[month_label(month)]) == (a, b), month
    rebuild(ZONE)
    assert trends(people["team_b"])[month_label(months[-4])] == [1, 1]
    assert trends(people["team_a"])[month_label(months[-4])] == [0, 0]
    members = login(people["coach_b"]).get(f"/progress/team/{people['team_b'].id}").get_data(as_text=True)
    assert mover.display_name in members
    assert mover.display_name not in login(people["coach_a"]).get(
        f"/progress/team/{people['team_a'].id}").get_data(as_text=True)


def test_a_deactivated_member_leaves_the_team_s_months(people, months, record_session):
    record_session(months[-3], {people["agent"]: "attended", people["other_agent"]: "attended"})
    rebuild(ZONE)
    assert trends(people["team_a"])[month_label(months[-3])] == [2, 2]
    accounts.set_active(people["other_agent"], False, actor=people["admin"])
    assert trends(people["team_a"])[month_label(months[-3])] == [1, 1]


def test_the_rebuild_command_is_idempotent(app, busy_year, people):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["progress", "rebuild"])
    assert first.exit_code == 0, first.output
    assert "Progress summary rebuilt for 1 time zones" in first.output
    kept = summary_rows()
    assert kept[0] and len(kept[1]) == 1
    second = runner.invoke(args=["progress", "rebuild"])
    assert second.exit_code == 0 and first.output.splitlines()[:-1] == second.output.splitlines()[:-1]
    assert summary_rows() == kept


def test_pages_read_fresh_figures_when_the_summary_is_older_than_the_setting(
        app, people, make_user, months, record_session, login, monkeypatch):
    five = [make_user("agent", team=people["team_a"]) for _ in range(5)]
    month = months[-3]
    record_session(month, {u: "attended" for u in five[:4]}, day=3)
    rebuild(ZONE)
    record_session(month, {u: "attended" for u in five}, day=20)    # written after the rebuild
    assert participation(month) == "fewer than 5 people"
    assert trends(people["team_a"])[month_label(month)] == [4, 4]
    client = login(people["admin"])
    assert "Figures as counted at" in client.get("/progress/programme").get_data(as_text=True)

    later = utcnow() + timedelta(minutes=app.config["PROGRESS_SUMMARY_MAX_AGE_MINUTES"], seconds=1)
    monkeypatch.setattr(summary, "utcnow", lambda: later)
    assert participation(month) == 5
    assert trends(people["team_a"])[month_label(month)] == [5, 9]
    assert "as counted at" not in client.get("/progress/programme").get_data(as_text=True)
    assert "as counted at" not in client.get(f"/progress/team/{people['team_a'].id}").get_data(as_text=True)


def test_the_setting_is_read_from_the_configuration(app, people, months, record_session, login):
    record_session(months[-2], {people["agent"]: "attended"})
    rebuild(ZONE)
    client = login(people["coach_a"])
    page = lambda: client.get(f"/progress/team/{people['team_a'].id}").get_data(as_text=True)  # noqa: E731
    assert "Months before" in page() and "as counted at" in page()
    app.config["PROGRESS_SUMMARY_MAX_AGE_MINUTES"] = 0
    assert "as counted at" not in page()


def test_a_team_s_this_month_is_counted_live_beside_the_summary(people, months, record_session):
    rebuild(ZONE)
    session = record_session(months[-1], {people["agent"]: None, people["other_agent"]: None}, day=1)
    assert trends(people["team_a"])[month_label(months[-1])] == [0, 0]
    record_attendance(Session.get_by_id(session.id), {people["agent"].id: "attended"})
    assert trends(people["team_a"])[month_label(months[-1])] == [1, 1]


def test_attendance_recorded_for_a_closed_month_shows_after_the_next_rebuild(people, make_user, months,
                                                                            record_session):
    six = [make_user("agent", team=people["team_b"]) for _ in range(6)]
    month = months[-3]
    record_session(month, {u: "attended" for u in six[:5]}, day=3)
    late = record_session(month, {u: None for u in six}, day=20)
    rebuild(ZONE)
    record_attendance(Session.get_by_id(late.id), {six[5].id: "attended"})
    assert participation(month) == 5                                  # as counted at the rebuild
    assert trends(people["team_b"])[month_label(month)] == [5, 5]
    rebuild(ZONE)
    assert participation(month) == 6
    assert trends(people["team_b"])[month_label(month)] == [6, 6]


def test_measures_imported_for_a_closed_month_show_at_once_on_the_team_and_the_programme(
        people, make_user, months):
    agents = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    month = months[-2]
    import_file("email,month,csat\n" + "".join(f"{u.email},{month:%Y-%m},80\n" for u in agents))
    rebuild(ZONE)
    import_file("email,month,csat\n" + "".join(f"{u.email},{month:%Y-%m},{90 + i}\n" for i, u in enumerate(agents)))
    team = {row[0]: row[-3] for row in team_progress(people["team_b"], ZONE, 4)["trends"].rows}
    assert team[month_label(month)] == 92.0
    measures = lambda: {row[0]: row[1] for row in programme_progress(ZONE)["measures"].rows}  # noqa: E731
    assert programme_progress(ZONE)["as_of"] is not None              # still read from the summary
    assert measures()[month_label(month)] == 92.0                     # its measures refreshed by the import


def test_a_summary_of_an_earlier_year_is_not_used(busy_year, people, months):
    raw = figures(programme_progress(ZONE))
    rebuild(ZONE, today=add_months(months[-1], -1))                 # as if run last month, not since
    assert programme_progress(ZONE)["as_of"] is None
    assert figures(programme_progress(ZONE)) == raw
    assert team_progress(people["team_a"], ZONE, 4)["as_of"] is None


def test_the_rebuild_counts_every_zone_coaches_and_admins_view_in(busy_year, people, make_user):
    make_user("coach", team=people["team_b"], timezone="America/New_York")
    make_user("agent", team=people["team_b"], timezone="Asia/Tokyo")      # agents see no team or programme page
    make_user("admin", timezone="Asia/Kolkata", email="gone@example.org")
    accounts.set_active(accounts.find_user_by_email("gone@example.org"), False, actor=people["admin"])
    assert sorted(rebuild(ZONE)) == ["America/New_York", "Europe/Berlin"]


def test_a_viewer_in_another_zone_gets_months_of_their_own(busy_year, people, make_user):
    for zone in ("Asia/Tokyo", "America/New_York"):
        make_user("coach", team=people["team_b"], timezone=zone)
    raw = {zone: figures(programme_progress(zone)) for zone in ("Asia/Tokyo", "America/New_York", ZONE)}
    team = {zone: figures(team_progress(people["team_a"], zone, 4)) for zone in raw}
    rebuild(ZONE)
    for zone in raw:
        assert programme_progress(zone)["as_of"] is not None
        assert figures(programme_progress(zone)) == raw[zone]
        assert figures(team_progress(people["team_a"], zone, 4)) == team[zone]
    assert raw["Asia/Tokyo"]["participation"] != raw["America/New_York"]["participation"]
    assert programme_progress("Australia/Sydney")["as_of"] is None     # no one views in it: counted live


def test_viewing_progress_pages_writes_no_summary(busy_year, people, login):
    client = login(people["admin"])
    for url in ("/progress", f"/progress/team/{people['team_a'].id}", "/progress/programme",
                "/progress/programme?format=csv&table=retention"):
        assert client.get(url).status_code == 200
    assert PersonMonth.select().count() == 0 and ProgressSummary.select().count() == 0

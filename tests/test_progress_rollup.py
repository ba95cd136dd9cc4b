"""The monthly roll-up (progress/rollup.py): programme and team pages show exactly
the figures computed from the raw rows, whether closed months come from the roll-up
or not, and a change to a closed month (attendance recorded, measures imported, a
case, a completion) shows at once. This month's figures are kept a few minutes at most."""
from datetime import datetime, timedelta

import pytest

from learning.db import utcnow
from learning.progress import rollup
from learning.progress.models import MonthFigures
from learning.progress.measure_imports import import_file
from learning.progress.periods import month_label
from learning.progress.programme import programme_progress
from learning.progress.team import team_progress
from learning.schedule.attendance import record_attendance
from learning.schedule.models import Rsvp, Session

ZONE = "Europe/Berlin"


def import_measures(text):
    return import_file(text)[0]


def at(month, day=10, hour=12):
    return datetime(month.year, month.month, day, hour)


def figures(context):
    """Every table's rows (charts' too) of a page's context, by table name."""
    from learning.progress.exports import page_tables
    return {name: table.rows for name, table in page_tables(context).items()}


def both_ways(page):
    """The page's figures from the raw rows, then twice through the roll-up (computing, then reading)."""
    raw = figures(page(cached=False))
    MonthFigures.delete().execute()
    computed = figures(page(cached=True))
    assert MonthFigures.select().count() > 0
    read = figures(page(cached=True))
    return raw, computed, read


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
    cases = pytest.importorskip("learning.cases.models")
    for i, month in enumerate(months[:-1]):
        for u in agents[: 5 + i % 2]:
            cases.Case.create(author=u, title="A call", channel="phone", status="discussed",
                              submitted_at=at(month, 2), discussed_at=at(months[i + 1], 1, 1))
    curriculum = pytest.importorskip("learning.curriculum.models")
    module = curriculum.Module.create(title="Boundaries first", area="Boundaries", created_by=people["admin"],
                                      status="published")
    for i, month in enumerate(months[::3]):
        for u in agents[i: i + 5]:
            curriculum.Completion.create(module=module, user=u, completed_at=at(month, 1, 2), method="coach")
    return agents


def test_programme_figures_are_the_same_from_the_roll_up_and_from_raw_rows(busy_year):
    raw, computed, read = both_ways(lambda cached: programme_progress(ZONE, cached=cached))
    assert raw == computed == read
    assert any(isinstance(v, int) and v >= 5 for row in raw["participation"] for v in row[1:])
    assert any(isinstance(v, float) for row in raw["measures"] for v in row[1:])
    assert any(isinstance(v, int) and v >= 5 for row in raw["retention"] for v in row[1:])


def test_team_figures_are_the_same_from_the_roll_up_and_from_raw_rows(busy_year, people):
    raw, computed, read = both_ways(lambda cached: team_progress(people["team_a"], ZONE, 4, cached=cached))
    assert raw == computed == read
    assert any(row[1] for row in raw["trends"])


def participation(month, kind_index=0):
    return {row[0]: row[1 + kind_index] for row in programme_progress(ZONE)["participation"].rows}[month_label(month)]


def test_attendance_recorded_for_a_closed_month_shows_at_once(people, make_user, months, record_session):
    six = [make_user("agent", team=people["team_b"]) for _ in range(6)]
    month = months[-3]
    record_session(month, {u: "attended" for u in six[:5]}, day=3)
    late = record_session(month, {u: None for u in six}, day=20)
    assert participation(month) == 5
    assert MonthFigures.select().where(MonthFigures.section == "participation",
                                       MonthFigures.month == f"{month:%Y-%m}").exists()
    record_attendance(Session.get_by_id(late.id), {six[5].id: "attended"})
    assert participation(month) == 6
    record_attendance(Session.get_by_id(late.id), {u.id: "attended" for u in six})
    assert participation(month) == 6
    assert figures(programme_progress(ZONE)) == figures(programme_progress(ZONE, cached=False))


def test_team_trends_follow_attendance_recorded_for_a_closed_month(people, months, record_session):
    month = months[-4]
    late = record_session(month, {people["agent"]: None, people["other_agent"]: None})
    trends = lambda: {row[0]: row[1:3] for row in team_progress(people["team_a"], ZONE, 4)["trends"].rows}  # noqa: E731
    assert trends()[month_label(month)] == [0, 0]
    record_attendance(Session.get_by_id(late.id), {people["agent"].id: "attended"})
    assert trends()[month_label(month)] == [1, 1]


def test_measures_imported_for_a_closed_month_show_at_once(people, make_user, months):
    agents = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    month = months[-2]
    csv = "email,month,csat\n" + "".join(f"{u.email},{month:%Y-%m},80\n" for u in agents)
    assert import_measures(csv).ok
    measures = lambda: {row[0]: row[1] for row in programme_progress(ZONE)["measures"].rows}  # noqa: E731
    assert measures()[month_label(month)] == 80.0
    csv = "email,month,csat\n" + "".join(f"{u.email},{month:%Y-%m},{90 + i}\n" for i, u in enumerate(agents))
    assert import_measures(csv).ok
    assert measures()[month_label(month)] == 92.0
    team = lambda: {row[0]: row[-3] for row in team_progress(people["team_b"], ZONE, 4)["trends"].rows}  # noqa: E731
    assert team()[month_label(month)] == 92.0
    assert import_measures("email,month,csat\n" + "".join(f"{u.email},{month:%Y-%m},70\n" for u in agents)).ok
    assert team()[month_label(month)] == 70.0


def test_a_case_or_completion_in_a_closed_month_is_forgotten_by_its_signal(people, months):
    from blinker import signal
    cases = pytest.importorskip("learning.cases.models")
    month = months[-5]
    programme_progress(ZONE)
    kept = lambda: MonthFigures.select().where(  # noqa: E731
        MonthFigures.section == "active", MonthFigures.month == f"{month:%Y-%m}").exists()
    assert kept()
    case = cases.Case.create(author=people["agent"], title="Backdated", channel="phone", status="discussed",
                             submitted_at=at(month), discussed_at=at(month, 12))
    signal("cases.case-discussed").send(case, session=None)
    assert not kept()


def test_a_month_kept_while_it_was_this_month_is_recounted_once_closed(people, make_user, months, record_session,
                                                                     monkeypatch):
    five = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    month = months[-2]
    monkeypatch.setattr(rollup, "utcnow", lambda: at(month, 26))
    programme_progress(ZONE, today=at(month, 26).date())       # last month, seen while it was this month
    record_session(month, {u: "attended" for u in five}, day=27)  # no signal: rows written directly
    monkeypatch.undo()
    assert participation(month) == 5


def test_this_month_is_kept_at_most_five_minutes_and_the_page_says_as_of_when(
        people, make_user, months, record_session, login, monkeypatch):
    five = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    this = months[-1]
    start = rollup.Window(months, ZONE).live_range()[0]
    client = login(people["admin"])
    assert "as of" not in client.get("/progress/programme").get_data(as_text=True)   # just counted
    session = record_session(this, {u: "attended" for u in five})
    Session.update(starts_at=start + timedelta(minutes=1), ends_at=start + timedelta(minutes=61)).where(
        Session.id == session.id).execute()                          # rows written directly: no signal
    assert participation(this) == 0
    assert "as of" in client.get("/progress/programme").get_data(as_text=True)
    later = utcnow() + rollup.CURRENT_MONTH_MAX_AGE + timedelta(seconds=1)
    monkeypatch.setattr(rollup, "utcnow", lambda: later)
    assert participation(this) == 5


def test_this_month_follows_recorded_attendance_at_once(people, make_user, months, record_session):
    five = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    this = months[-1]
    start = rollup.Window(months, ZONE).live_range()[0]
    session = record_session(this, {u: None for u in five})
    Session.update(starts_at=start + timedelta(minutes=1), ends_at=start + timedelta(minutes=61)).where(
        Session.id == session.id).execute()
    assert participation(this) == 0
    record_attendance(Session.get_by_id(session.id), {u.id: "attended" for u in five})
    assert participation(this) == 5
    assert Rsvp.select().where(Rsvp.session == session.id, Rsvp.attendance == "attended").count() == 5


def test_a_viewer_in_another_zone_gets_months_of_their_own(busy_year):
    berlin = figures(programme_progress(ZONE))
    for zone in ("Asia/Tokyo", "America/New_York"):
        assert figures(programme_progress(zone)) == figures(programme_progress(zone, cached=False))
        assert figures(programme_progress(zone)) == figures(programme_progress(zone, cached=False))
    assert berlin == figures(programme_progress(ZONE)) == figures(programme_progress(ZONE, cached=False))


def test_progress_recount_command_forgets_the_stored_months(app, people):
    from learning.progress.models import MonthFigures

    MonthFigures.create(scope="programme", section="attendance", month="2026-01", payload="{}",
                        starts=datetime(2025, 12, 31, 23), ends=datetime(2026, 1, 31, 23))
    result = app.test_cli_runner().invoke(args=["progress-recount"])
    assert result.exit_code == 0 and "Forgot 1 stored month figures" in result.output
    assert MonthFigures.select().count() == 0


def test_warming_fills_every_team_and_the_programme_so_a_first_view_computes_nothing(busy_year, people, monkeypatch):
    from learning.progress.warming import warm_rollup

    MonthFigures.delete().execute()
    assert warm_rollup() >= 2                               # team A for its coach's zone, the programme
    before = MonthFigures.select().count()
    assert before > 0

    computed = []
    real = rollup.Rollup._store
    monkeypatch.setattr(rollup.Rollup, "_store", lambda self, *a: computed.append(a[0]) or real(self, *a))
    team_progress(people["team_a"], ZONE, weeks=4)
    programme_progress(ZONE)
    assert computed == []                                   # the views found every month ready
    assert MonthFigures.select().count() == before


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_an_import_and_its_undo_show_at_once_on_the_programme_and_team_pages(people, make_user, zone):
    from learning.progress.measure_imports import undo
    from learning.progress.periods import last_months

    agents = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    this, last = last_months(zone, 12)[-1], last_months(zone, 12)[-2]
    programme = lambda: {row[0]: row[1] for row in programme_progress(zone)["measures"].rows}  # noqa: E731
    team = lambda: {row[0]: row[-3] for row in team_progress(people["team_b"], zone, 4)["trends"].rows}  # noqa: E731
    first = "email,month,csat\n" + "".join(f"{u.email},{m:%Y-%m},80\n" for u in agents for m in (last, this))
    import_file(first)
    assert programme()[month_label(last)] == programme()[month_label(this)] == 80.0   # kept in the roll-up now
    assert team()[month_label(last)] == team()[month_label(this)] == 80.0
    _, record = import_file("email,month,csat\n" + "".join(f"{u.email},{m:%Y-%m},90\n"
                                                           for u in agents for m in (last, this)))
    assert programme()[month_label(last)] == programme()[month_label(this)] == 90.0
    assert team()[month_label(last)] == team()[month_label(this)] == 90.0
    undo(record, people["admin"])
    assert programme()[month_label(last)] == programme()[month_label(this)] == 80.0
    assert team()[month_label(last)] == team()[month_label(this)] == 80.0

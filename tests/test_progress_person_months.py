"""Learning activity per person and month (progress/person_months.py): counted live in one
statement and written by the rebuild with the same statement, so both give the same rows;
retention, case volume and a member's last activity counted from it against hand-computed
values; the rebuild's work does not grow with the number of people; the programme's module
table shows the busiest modules and exports them all."""
import csv
import io
from datetime import date, datetime, timedelta

from learning.cases.models import Case
from learning.coaching.models import SupportRequest
from learning.curriculum.models import Cohort, Completion, Enrolment, Module
from learning.progress import person_months, sources_curriculum
from learning.progress.periods import Window, month_label
from learning.progress.programme import programme_progress
from learning.progress.rebuild import rebuild, rebuild_zone
from learning.progress.team import member_activity, team_progress
from learning.schedule.models import Session

ZONE = "Europe/Berlin"


def at(month, day=10, hour=12):
    return datetime(month.year, month.month, day, hour)


def as_dict(relation):
    return {(uid, month): counts for uid, month, counts in person_months.rows(relation)}


def test_live_and_stored_person_months_hold_the_same_rows(people, months, record_session):
    agent, other = people["agent"], people["other_agent"]
    record_session(months[-4], {agent: "attended", other: "no_show"})
    record_session(months[-4], {agent: "attended"}, day=11)
    Case.create(author=agent, title="A call", channel="phone", status="discussed",
                submitted_at=at(months[-4], 2), discussed_at=at(months[-2]))
    window = Window(ZONE)
    live = as_dict(person_months.live(None, window.start, window.end, ZONE))
    assert live == {
        (agent.id, window.keys[-4]): {"sessions": 2, "cases_brought": 1, "cases_discussed": 0, "modules": 0, "goals": 0},
        (agent.id, window.keys[-2]): {"sessions": 0, "cases_brought": 0, "cases_discussed": 1, "modules": 0, "goals": 0},
    }
    assert rebuild_zone(ZONE) == 2
    assert as_dict(person_months.stored(ZONE)) == live


def test_retention_counts_the_people_active_again_three_and_six_months_later(
        people, make_user, months, record_session):
    five = [make_user("agent", team=people["team_a"]) for _ in range(5)]
    record_session(months[-8], {u: "attended" for u in five})
    record_session(months[-5], {u: "attended" for u in five[:3]})
    record_session(months[-2], {u: "attended" for u in five[:1]})
    for tables in (programme_progress(ZONE), (rebuild(ZONE), programme_progress(ZONE))[1]):
        retention = {row[0]: row[1:] for row in tables["retention"].rows}
        assert retention[month_label(months[-8])] == [5, 3, 60.0, 1, 20.0]
        assert retention[month_label(months[-5])] == ["fewer than 5 people", None, None, None, None]


def test_case_volume_counts_cases_and_the_people_behind_them(people, make_user, months):
    authors = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    for n, author in enumerate(authors):
        for _ in range(1 + n % 2):
            Case.create(author=author, title="A call", channel="phone", status="submitted",
                        submitted_at=at(months[-3], 3))
    Case.create(author=authors[0], title="Another", channel="chat", status="discussed",
                submitted_at=at(months[-6]), discussed_at=at(months[-3], 5))
    volume = {row[0]: row[1:3] for row in programme_progress(ZONE)["extra"][0].rows}
    assert volume[month_label(months[-3])] == [7, "fewer than 5 people"]


def test_a_member_s_last_activity_is_the_latest_of_every_kind(people, months, record_session):
    agent, other = people["agent"], people["other_agent"]
    record_session(months[-3], {agent: "attended", other: "attended"})
    record_session(months[-1], {agent: "no_show"}, day=1)                       # not activity
    Case.create(author=agent, title="A call", channel="phone", status="submitted",
                submitted_at=at(months[-2], 20))
    SupportRequest.create(employee=other, description="Help with limits", created_at=at(months[-4]))
    members = team_progress(people["team_a"], ZONE, 4)["members"]
    last = {row[0]: row[2] for row in members.rows}
    assert last[agent.display_name] == at(months[-2], 20)
    assert last[other.display_name] == at(months[-3])


def test_the_rebuild_runs_the_same_statements_for_few_and_many_people(
        people, make_user, months, record_session, count_queries):
    record_session(months[-2], {people["agent"]: "attended"})
    with count_queries() as few:
        rebuild_zone(ZONE)
    crowd = [make_user("agent", team=people["team_b"]) for _ in range(30)]
    for month in months[-6:]:
        record_session(month, {u: "attended" for u in crowd}, day=11)
    with count_queries() as many:
        assert rebuild_zone(ZONE) == 1 + 30 * 6
    assert many.count == few.count


def test_the_programme_shows_the_modules_most_people_enrolled_in_and_exports_them_all(
        people, make_user, months, login, monkeypatch):
    monkeypatch.setattr(sources_curriculum, "MODULE_ROWS_SHOWN", 2)
    agents = [make_user("agent", team=people["team_a"]) for _ in range(3)]
    for title, enrolled in (("Alpha", 1), ("Beta", 3), ("Gamma", 2)):
        module = Module.create(title=title, area="Boundaries", created_by=people["admin"], status="published")
        cohort = Cohort.create(module=module, title=f"{title} cohort", starts_on=months[-3], created_by=people["admin"],
                               ends_on=months[-3] + timedelta(days=20))
        for n, agent in enumerate(agents[:enrolled]):
            Enrolment.create(cohort=cohort, user=agent, status="going", queue_number=n + 1,
                             created_at=at(months[-3], 1))
        Completion.create(module=module, user=agents[0], completed_at=at(months[-3], 11), method="coach")
    table = programme_progress(ZONE)["extra"][2]
    assert [row[0] for row in table.page_rows] == ["Beta", "Gamma"] and table.rows_not_shown == 1
    client = login(people["admin"])
    html = client.get("/progress/programme").get_data(as_text=True)
    assert "Showing 2 of 3 rows, the modules most people enrolled in first" in html
    exported = client.get("/progress/programme?format=csv&table=modules").get_data(as_text=True)
    assert [row[0] for row in csv.reader(io.StringIO(exported))][1:] == ["Beta", "Gamma", "Alpha"]


def test_the_rebuild_stores_only_the_window_s_months(people, months, record_session):
    """Months are bucketed at today's offset: counted in winter for a summer window, a session in
    the first half hour of the window (UTC+2 then) lands in the month before it, which is not stored."""
    july = date(months[-1].year, 7, 15)
    window = Window(ZONE, july)
    session = record_session(window.months[1], {people["agent"]: "attended"})
    first_minutes = window.start + timedelta(minutes=30)
    Session.update(starts_at=first_minutes, ends_at=first_minutes + timedelta(hours=1)).where(
        Session.id == session.id).execute()
    record_session(window.months[2], {people["agent"]: "attended"})
    rebuild_zone(ZONE, today=july)
    stored = as_dict(person_months.stored(ZONE))
    assert {month for _, month in stored} <= set(window.keys)
    assert (people["agent"].id, window.keys[2]) in stored


def test_a_team_s_months_compiled_once_count_as_the_plain_query_in_each_zone(people, record_session):
    agent, other = people["agent"], people["other_agent"]
    ids = [agent.id, other.id]
    months = Window("Pacific/Kiritimati").months
    record_session(months[-3], {agent: "attended", other: "attended"})
    # 05:00 UTC on the 1st: that month at UTC+14, the month before at UTC-11
    Case.create(author=agent, title="A call", channel="phone", status="submitted",
                submitted_at=at(months[-2], 1, hour=5))
    answers = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):   # UTC+14 and UTC-11 in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        window = Window(zone)
        plain = person_months.monthly(person_months.live(ids, window.start, window.end, zone))
        answers[zone] = member_activity(people["team_a"].id, window, None)
        assert answers[zone] == plain
    assert answers["Pacific/Kiritimati"] != answers["Pacific/Pago_Pago"]

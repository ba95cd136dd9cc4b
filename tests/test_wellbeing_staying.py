"""People staying: a leaver is recorded with the team they left; each month counts the people
at its end, who joined and who left, their average tenure and who took part, hidden for
fewer than five people. Tenure runs from the HR start date, else from the account's creation."""
from datetime import date, timedelta

from learning import db as database
from learning.accounts.models import User
from learning.accounts.service import set_active
from learning.progress.tables import SUPPRESSED
from learning.wellbeing.models import Departure
from learning.wellbeing.staying import month_figures, staff_of, staying_table


def test_a_leaver_is_recorded_with_the_team_they_left(app, people):
    with app.test_request_context():
        set_active(people["agent"], False, actor=people["admin"])
    departure = Departure.get()
    assert (departure.user_id, departure.team_id) == (people["agent"].id, people["team_a"].id)


def test_a_month_counts_people_at_its_end_who_joined_who_left_and_tenure():
    people = [(date(2025, 1, 1), None), (date(2026, 3, 10), None), (date(2024, 1, 1), date(2026, 3, 20)),
              (date(2026, 4, 1), None), (date(2025, 3, 31), date(2026, 2, 1))]
    count, joined, left, tenure = month_figures(people, date(2026, 3, 1))
    assert (count, joined, left) == (2, 1, 1)
    assert tenure == round(((date(2026, 3, 31) - date(2025, 1, 1)).days + 21) / 30.44 / 2, 1)


def test_a_month_with_fewer_than_five_people_is_hidden():
    people = [(date(2025, 1, 1), None)] * 4 + [(date(2026, 3, 15), None)]
    table = staying_table(people, [date(2026, 2, 1), date(2026, 3, 1)], {"2026-03": 3})
    assert table.rows[0] == ["Feb 2026", SUPPRESSED, None, None, None, None]
    assert table.rows[1][:4] == ["Mar 2026", 5, 1, 0] and table.rows[1][5] == 3


def test_the_team_page_counts_start_dates_and_leavers_of_the_team(people, login, make_user):
    members = [make_user("agent", team=people["team_a"]) for _ in range(4)]
    for member in members:
        User.update(start_date=date(2020, 1, 1)).where(User.id == member.id).execute()
    leaver = make_user("agent", team=people["team_a"], name="Gone Person")
    User.update(active=False, start_date=date(2019, 6, 1)).where(User.id == leaver.id).execute()
    this_month = date.today().replace(day=1)
    Departure.create(user=leaver, team=people["team_a"], left_on=this_month)
    csv = login(people["coach_a"]).get(f"/wellbeing/team/{people['team_a'].id}?format=csv&table=staying")
    rows = csv.get_data(as_text=True).splitlines()
    assert rows[0] == "Month,People,Joined,Left,Average tenure (months),Took part in the programme"
    last = rows[-1].split(",")
    assert last[1:4] == ["6", "2", "1"]   # A1 and A2 (accounts made this month) and four; one left
    assert "Gone Person" not in csv.get_data(as_text=True)


def test_a_reactivated_person_is_not_counted_as_a_leaver(app, people, login):
    with app.test_request_context():
        set_active(people["agent"], False, actor=people["admin"])
        set_active(people["agent"], True, actor=people["admin"])
    assert staff_of([], people["team_a"].id) == []


def test_people_who_left_before_the_upgrade_get_their_departure_from_the_audit_log(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    database.init_database(url)
    database.db.connect()
    try:
        names = database.available_migrations()
        database.upgrade(until=names[names.index("0038_wellbeing_pulse") - 1])
        for email, active in (("gone@example.org", 0), ("back@example.org", 1)):
            database.db.execute_sql(
                'INSERT INTO "user" (email, display_name, password_hash, role, timezone, active, created_at, '
                f"session_version) VALUES ('{email}', 'X', 'x', 'agent', 'UTC', {active}, '2025-01-01 00:00:00', 1)")
            database.db.execute_sql(
                "INSERT INTO audit_entry (at, action, subject_type, subject_id, summary) SELECT "
                f"'2026-02-03 10:00:00', 'user.deactivated', 'user', id, '' FROM \"user\" WHERE email = '{email}'")
        database.upgrade()
        rows = list(Departure.select(Departure.left_on, User.email).join(User).tuples())
        assert rows == [(date(2026, 2, 3), "gone@example.org")]
    finally:
        database.db.close()


def test_the_team_page_asks_the_same_number_of_queries_for_a_small_and_a_large_team(
        people, login, team_of, give_answers, closed_round, count_queries):
    small, small_people = team_of(5, "Small")
    large, large_people = team_of(30, "Large")
    for day in (closed_round, closed_round - timedelta(weeks=2)):
        give_answers(small_people, day, 3)
        give_answers(large_people, day, 4)
    client = login(people["admin"])
    counts = []
    for team in (small, large):
        client.get(f"/wellbeing/team/{team.id}")
        with count_queries() as counter:
            assert client.get(f"/wellbeing/team/{team.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 20


def test_an_admin_reads_the_programme_s_staying_and_a_coach_does_not(people, login):
    rows = login(people["admin"]).get("/wellbeing/teams?format=csv&table=staying").get_data(as_text=True)
    assert rows.splitlines()[0] == "Month,People,Joined,Left,Average tenure (months)"
    assert rows.splitlines()[-1] == f"{date.today():%b %Y},6,6,0,0.0"   # the six of `people`, their accounts new
    assert login(people["coach_a"]).get("/wellbeing/teams?format=csv&table=staying").status_code == 404

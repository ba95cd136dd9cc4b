"""The people import: every rule of the file, the upsert, sync leavers, the preview kept
for confirmation, the page (admins only) and the command."""
import io
from datetime import date

import pytest

from learning.accounts import demo as accounts_demo
from learning.accounts.models import PendingPeopleImport, Team, TeamCoach, User
from learning.accounts.people_file import read_people_bytes
from learning.accounts.people_import import Options, confirm, import_people, pending_for, plan_people, stage

HEADER = "email,name,team,role,coach,timezone,employee_id,start_date\n"


def csv_of(*lines, header=HEADER):
    return header + "".join(line + "\n" for line in lines)


def problems_of(plan):
    return [(p.line, p.column) for p in plan.problems]


def test_a_file_creates_people_with_every_column_and_no_password(people, caught_signals):
    created = caught_signals("accounts.people-created")
    plan, outcome = import_people(csv_of(
        "Nia.Obi@Example.org,Nia Obi,Team A,agent,,Europe/Lisbon,E-7,2024-05-02",
        "ravi@example.org,Ravi Rao,Team B,coach,,Asia/Kolkata,,"), Options(), people["admin"])
    assert plan.ok and outcome.created == 2
    nia = User.get(User.email == "nia.obi@example.org")
    assert (nia.display_name, nia.team_id, nia.role, nia.timezone) == ("Nia Obi", people["team_a"].id, "agent",
                                                                       "Europe/Lisbon")
    assert (nia.employee_id, nia.start_date) == ("E-7", date(2024, 5, 2))
    assert User.get(User.email == "ravi@example.org").employee_id is None
    assert not nia.check_password("") and not nia.check_password("anything")
    assert created == [(people["admin"], {"user_ids": outcome.created_ids})]
    assert sorted(outcome.created_ids) == sorted(u.id for u in User.select().where(
        User.email.in_(["nia.obi@example.org", "ravi@example.org"])))


def test_headers_match_in_any_case_and_order_and_extra_columns_are_ignored(people):
    plan, outcome = import_people("Timezone,ROLE,Name,Cost centre,E-Mail,team\n"
                                  "UTC,agent,Kim Lee,CC-9,kim@example.org,Team B\n".replace("E-Mail", "Email"),
                                  Options())
    assert plan.ok and outcome.created == 1
    assert User.get(User.email == "kim@example.org").team_id == people["team_b"].id


def test_a_missing_required_column_is_a_problem_of_the_first_line(people):
    plan = plan_people(read_people_bytes(b"email,name,team\na@example.org,A,Team A\n"), Options())
    assert problems_of(plan) == [(1, "")] and "role, timezone" in plan.problems[0].message


def test_importing_the_same_file_twice_changes_nothing(people):
    text = csv_of("agent.new@example.org,New Agent,Team A,agent,,Europe/Berlin,E1,2025-01-01",
                  f"{people['agent'].email},Agent A1,Team A,agent,,Europe/Berlin,E2,")
    first = import_people(text, Options(), people["admin"])[1]
    before = list(User.select().order_by(User.id).dicts())
    plan, second = import_people(text, Options(), people["admin"])
    assert (first.created, first.updated) == (1, 1)
    assert (second.created, second.updated, second.unchanged, second.coach_links) == (0, 0, 2, 0)
    assert list(User.select().order_by(User.id).dicts()) == before


@pytest.mark.parametrize("line, column, words", [
    ("not-an-email,Name,Team A,agent,,UTC,,", "email", "Invalid e-mail"),
    ("x@example.org,Name,Nowhere,agent,,UTC,,", "team", "Unknown team"),
    ("x@example.org,Name,Team A,agent,ghost@example.org,UTC,,", "coach", "Unknown coach"),
    ("x@example.org,Name,Team A,agent,,Mars/Olympus,,", "timezone", "Unknown time zone"),
    ("x@example.org,Name,Team A,boss,,UTC,,", "role", "Invalid role"),
    ("x@example.org,,Team A,agent,,UTC,,", "name", "Enter the person's name"),
    ("x@example.org,Name,Team A,agent,,UTC,,31/01/2024", "start_date", "YYYY-MM-DD"),
    ("x@example.org,Name,,agent,coach@example.org,UTC,,", "coach", "give the team too"),
])
def test_a_bad_cell_is_named_by_line_and_column_and_nothing_is_written(people, line, column, words):
    before = User.select().count()
    plan, outcome = import_people(csv_of("good@example.org,Good,Team A,agent,,UTC,,", line), Options())
    assert outcome is None and problems_of(plan) == [(3, column)]
    assert words in plan.problems[0].message
    assert User.select().count() == before


def test_every_problem_shows_at_once_even_on_a_line_with_a_bad_cell(people):
    plan, _ = import_people(csv_of("x@,Name,Nowhere,agent,,UTC,,", "y@example.org,Y,Team A,boss,ghost@example.org,UTC,,"),
                            Options())
    assert problems_of(plan) == [(2, "email"), (2, "team"), (3, "role"), (3, "coach")]


def test_duplicates_within_the_file_name_the_earlier_line(people):
    plan, outcome = import_people(csv_of("a@example.org,A,Team A,agent,,UTC,E1,", "b@example.org,B,Team A,agent,,UTC,E2,",
                                         "A@Example.org,A again,Team A,agent,,UTC,E3,",
                                         "c@example.org,C,Team A,agent,,UTC,E2,"), Options())
    assert outcome is None and problems_of(plan) == [(4, "email"), (5, "employee_id")]
    assert "line 2" in plan.problems[0].message and "line 3" in plan.problems[1].message


def test_a_file_with_a_byte_order_mark_is_read(people):
    data = "\ufeff".encode() + csv_of("bom@example.org,Zoë Brandt,Team A,agent,,UTC,,").encode()
    plan = plan_people(read_people_bytes(data), Options())
    assert plan.ok and plan.create[0].name == "Zoë Brandt"


def test_a_latin1_file_gets_a_clear_error_naming_its_line(people):
    data = csv_of("ok@example.org,Ok,Team A,agent,,UTC,,", "z@example.org,Zoë Brandt,Team A,agent,,UTC,,").encode("latin-1")
    plan = plan_people(read_people_bytes(data), Options())
    assert problems_of(plan) == [(3, "")] and "not UTF-8" in plan.problems[0].message


def test_people_are_matched_by_employee_id_first_so_an_email_can_change(people):
    agent = people["agent"]
    import_people(csv_of(f"{agent.email},Agent A1,Team A,agent,,Europe/Berlin,HR-1,"), Options())
    plan, outcome = import_people(csv_of("agent.renamed@example.org,Agent A1,Team A,agent,,Europe/Berlin,HR-1,"),
                                  Options())
    assert plan.update[0].changes == {"email": (agent.email, "agent.renamed@example.org")}
    assert User.get_by_id(agent.id).email == "agent.renamed@example.org" and outcome.created == 0


def test_without_an_employee_id_people_are_matched_by_email_whatever_its_case(people):
    agent = people["agent"]
    plan, outcome = import_people(csv_of(f"{agent.email.upper()},Agent Renamed,Team A,agent,,Europe/Berlin,,"),
                                  Options())
    assert outcome.created == 0 and User.get_by_id(agent.id).display_name == "Agent Renamed"


def test_an_email_of_a_person_with_another_employee_id_is_refused(people):
    agent = people["agent"]
    import_people(csv_of(f"{agent.email},Agent A1,Team A,agent,,Europe/Berlin,HR-1,"), Options())
    plan, _ = import_people(csv_of(f"{agent.email},Agent A1,Team A,agent,,Europe/Berlin,HR-2,"), Options())
    assert problems_of(plan) == [(2, "employee_id")]
    other = people["other_agent"]
    plan, _ = import_people(csv_of(f"{other.email},Agent A2,Team A,agent,,Europe/Berlin,HR-1,"), Options())
    assert problems_of(plan) == [(2, "email")] and "belongs to another person" in plan.problems[0].message


def test_two_lines_about_one_stored_person_are_refused(people):
    agent = people["agent"]
    import_people(csv_of(f"{agent.email},Agent A1,Team A,agent,,Europe/Berlin,HR-1,"), Options())
    plan, outcome = import_people(csv_of("agent.new@example.org,Agent A1,Team A,agent,,Europe/Berlin,HR-1,",
                                         f"{agent.email},Agent A1,Team B,agent,,Europe/Berlin,,"), Options())
    assert outcome is None and problems_of(plan) == [(3, "email")] and "Line 2" in plan.problems[0].message


def test_a_person_moves_team_and_the_preview_names_the_change(people):
    agent = people["agent"]
    text = csv_of(f"{agent.email},Agent A1,team b,agent,,Europe/Berlin,,")
    plan = plan_people(read_people_bytes(text.encode()), Options())
    assert plan.update[0].changes == {"team": ("Team A", "Team B")}
    import_people(text, Options())
    assert User.get_by_id(agent.id).team_id == people["team_b"].id


def test_missing_teams_are_created_only_when_asked(people):
    text = csv_of("n@example.org,N,Night Shift,agent,,UTC,,", "m@example.org,M,night shift,agent,,UTC,,")
    plan, outcome = import_people(text, Options())
    assert outcome is None and problems_of(plan) == [(2, "team"), (3, "team")]
    plan, outcome = import_people(text, Options(create_teams=True))
    assert plan.new_teams == ["Night Shift"] and outcome.new_teams == 1
    team = Team.get(Team.name == "Night Shift")
    assert User.select().where(User.team == team).count() == 2


def test_the_coach_column_makes_a_coach_of_the_team_from_the_file_or_stored(people):
    text = csv_of("lead@example.org,Lead,Team B,coach,,UTC,,", "x@example.org,X,Team B,agent,lead@example.org,UTC,,",
                  f"y@example.org,Y,Team B,agent,{people['coach_a'].email},UTC,,")
    plan, outcome = import_people(text, Options())
    assert outcome.coach_links == 2
    coaches = {link.user.email for link in TeamCoach.select().where(TeamCoach.team == people["team_b"])}
    assert {"lead@example.org", people["coach_a"].email} <= coaches
    plan, outcome = import_people(text, Options())
    assert plan.coach_links == [] and outcome.unchanged == 3


def test_an_agent_is_not_a_coach(people):
    plan, _ = import_people(csv_of(f"x@example.org,X,Team A,agent,{people['agent'].email},UTC,,"), Options())
    assert problems_of(plan) == [(2, "coach")]


def test_an_import_that_overlaps_an_earlier_one_updates_only_what_changed(people):
    import_people(csv_of("p1@example.org,P1,Team A,agent,,UTC,P1,", "p2@example.org,P2,Team A,agent,,UTC,P2,",
                         "p3@example.org,P3,Team A,agent,,UTC,P3,"), Options())
    plan, outcome = import_people(csv_of("p2@example.org,P2,Team A,agent,,UTC,P2,",
                                         "p3@example.org,P3,Team B,coach,,UTC,P3,2020-01-01",
                                         "p4@example.org,P4,Team B,agent,,UTC,P4,"), Options())
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.left) == (1, 1, 1, 0)
    assert plan.update[0].changes == {"role": ("agent", "coach"), "team": ("Team A", "Team B"),
                                      "start_date": (None, date(2020, 1, 1))}
    assert User.get(User.email == "p1@example.org").active


def test_sync_deactivates_active_people_missing_from_the_file_but_never_the_importer(people):
    admin, keep = people["admin"], people["agent"]
    text = csv_of(f"{keep.email},Agent A1,Team A,agent,,Europe/Berlin,,")
    plan, outcome = import_people(text, Options(sync=True), admin)
    left = {p[2] for p in plan.leavers}
    assert admin.email not in left and keep.email not in left
    assert left == {people[k].email for k in ("coach_a", "coach_b", "other_agent", "agent_b")}
    assert outcome.left == 4
    assert not User.get_by_id(people["agent_b"].id).active and User.get_by_id(admin.id).active
    again = import_people(text, Options(sync=True), admin)[1]
    assert again.left == 0


def test_sync_from_the_command_line_refuses_a_file_that_leaves_no_admin(people):
    plan, outcome = import_people(csv_of(f"{people['agent'].email},Agent A1,Team A,agent,,Europe/Berlin,,"),
                                  Options(sync=True))
    assert outcome is None and problems_of(plan) == [(0, "")] and "no active admin" in plan.problems[0].message


def test_a_deactivated_person_in_the_file_is_reactivated(people):
    agent = people["agent"]
    text = csv_of(f"{agent.email},Agent A1,Team A,agent,,Europe/Berlin,,")
    import_people(csv_of(f"{people['admin'].email},Admin,,admin,,Europe/Berlin,,"), Options(sync=True),
                  people["admin"])
    plan, _ = import_people(text, Options())
    assert plan.update[0].changes == {"active": (False, True)}
    assert User.get_by_id(agent.id).active


def test_an_admin_cannot_remove_their_own_admin_role_by_import(people):
    admin = people["admin"]
    plan, _ = import_people(csv_of(f"{admin.email},Admin,,agent,,Europe/Berlin,,"), Options(), admin)
    assert problems_of(plan) == [(2, "role")]


def test_a_preview_is_confirmed_once_and_only_while_the_people_are_as_it_showed(people):
    admin = people["admin"]
    data = csv_of("late@example.org,Late,Team A,agent,,UTC,,").encode()
    plan, token = stage(data, "people.csv", Options(), admin)
    assert User.get_or_none(User.email == "late@example.org") is None
    assert pending_for(token, people["coach_a"]) is None
    outcome = confirm(pending_for(token, admin), admin)
    assert outcome.created == 1 and pending_for(token, admin) is None
    _, token = stage(csv_of(f"{people['agent'].email},Renamed,Team A,agent,,Europe/Berlin,,").encode(), "", Options(),
                     admin)
    User.update(display_name="Changed meanwhile").where(User.id == people["agent"].id).execute()
    with pytest.raises(Exception, match="changed since this preview"):
        confirm(pending_for(token, admin), admin)
    assert User.get_by_id(people["agent"].id).display_name == "Changed meanwhile"


def test_employee_ids_are_unique_where_given_and_forgotten_on_anonymising(people):
    import peewee as pw
    from learning.accounts.privacy import anonymise
    from learning.db import db

    import_people(csv_of(f"{people['agent'].email},Agent A1,Team A,agent,,Europe/Berlin,HR-1,"), Options())
    with pytest.raises(pw.IntegrityError), db.atomic():
        User.update(employee_id="HR-1").where(User.id == people["other_agent"].id).execute()
    assert User.select().where(User.employee_id.is_null()).count() == 5   # many without one
    anonymise(User.get_by_id(people["agent"].id), people["admin"])
    assert User.get_by_id(people["agent"].id).employee_id is None


def test_a_person_written_by_someone_else_between_plan_and_write_refuses_the_whole_import(people):
    from learning.accounts.people_import import write
    from learning.refusals import Refused

    plan = plan_people(read_people_bytes(csv_of("first@example.org,First,Team A,agent,,UTC,,",
                                                "race@example.org,Race,Team A,agent,,UTC,,").encode()), Options())
    User.create(email="race@example.org", display_name="Meanwhile", password_hash="", timezone="UTC")
    with pytest.raises(Refused, match="at the same moment"):
        write(plan)
    assert User.get_or_none(User.email == "first@example.org") is None


# --- the page and the command --------------------------------------------------------

def upload(client, text, **options):
    data = {"file": (io.BytesIO(text.encode() if isinstance(text, str) else text), "people.csv"), **options}
    return client.post("/admin/people/import", data=data, content_type="multipart/form-data")


def test_only_admins_may_import(client, login, people):
    assert "/login" in client.get("/admin/people/import").location
    for seat in ("agent", "coach_a"):
        login(people[seat])
        assert client.get("/admin/people/import").status_code == 403
        assert upload(client, csv_of("x@example.org,X,Team A,agent,,UTC,,")).status_code == 403
        assert client.post("/admin/people/import/confirm", data={"token": "x"}).status_code == 403
    assert User.get_or_none(User.email == "x@example.org") is None


def test_the_page_asks_for_a_file_and_writes_nothing_without_one(client, login, people):
    login(people["admin"])
    response = client.post("/admin/people/import", data={"sync": "y"}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Choose a CSV file to import." in response.get_data(as_text=True)
    assert PendingPeopleImport.select().count() == 0 and User.get_by_id(people["agent"].id).active


def test_the_page_lists_problems_by_line_then_previews_and_confirms(client, login, people):
    login(people["admin"])
    page = upload(client, csv_of("ok@example.org,Ok,Team A,agent,,UTC,,", "bad@,Bad,Team A,agent,,UTC,,"))
    html = page.get_data(as_text=True)
    assert 'data-line="3"' in html and "Invalid e-mail address" in html and "Nothing was imported" in html
    assert PendingPeopleImport.select().count() == 0
    page = upload(client, csv_of("ok@example.org,Ok,Team A,agent,,UTC,,",
                                 f"{people['agent'].email},Agent A1,Team B,agent,,Europe/Berlin,,"))
    html = page.get_data(as_text=True)
    assert 'data-count="create">1<' in html and 'data-count="update">1<' in html and "Team A" in html
    token = PendingPeopleImport.get().token
    assert User.get_or_none(User.email == "ok@example.org") is None
    response = client.post("/admin/people/import/confirm", data={"token": token})
    assert response.status_code == 302 and User.get(User.email == "ok@example.org").team_id == people["team_a"].id
    assert client.post("/admin/people/import/confirm", data={"token": token}).status_code == 404


def test_another_admins_preview_cannot_be_confirmed(client, login, people, make_user):
    _, token = stage(csv_of("x@example.org,X,Team A,agent,,UTC,,").encode(), "", Options(), people["admin"])
    login(make_user("admin"))
    assert client.post("/admin/people/import/confirm", data={"token": token}).status_code == 404


def test_the_sample_file_adds_one_person_and_moves_one_time_zone_in_the_demo(app, client):
    accounts_demo.load({})   # the demo's people, as `flask seed demo` loads them first
    admin = User.get(User.email == "admin@example.com")
    assert admin.employee_id == "E1000" and admin.start_date == date(2018, 11, 12)
    client.post("/login", data={"email": admin.email, "password": "learning-demo"})
    sample = client.get("/admin/people/import/sample.csv")
    assert sample.status_code == 200 and sample.data.startswith(b"email,name,team,role")
    plan = plan_people(read_people_bytes(sample.data), Options(), admin)
    assert plan.ok and [line.email for line in plan.create] == ["noor.haddad@example.com"]
    assert [(u.line.email, u.changes) for u in plan.update] == [
        ("priya@example.com", {"timezone": ("Europe/Berlin", "Europe/London")})]
    assert plan.unchanged == 5 and plan.coach_links == []


def test_the_command_previews_with_dry_run_then_imports(app, people, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(csv_of("cli@example.org,Cli,Team A,agent,,UTC,,",
                           f"{people['agent'].email},Agent A1,Team B,agent,,Europe/Berlin,,"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["people", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "To create: 1; to update: 1" in result.output
    assert "team Team A \u2192 Team B" in result.output and "Dry run" in result.output
    assert User.get_or_none(User.email == "cli@example.org") is None
    result = runner.invoke(args=["people", "import", str(path)])
    assert result.exit_code == 0 and "1 created, 1 updated" in result.output
    assert User.get(User.email == "cli@example.org").active


def test_the_command_lists_problems_and_writes_nothing(app, people, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_of("cli@example.org,Cli,Team A,boss,,UTC,,").encode())
    result = app.test_cli_runner().invoke(args=["people", "import", str(path), "--sync"])
    assert result.exit_code != 0 and "line 2, role: Invalid role" in result.output
    assert User.get_or_none(User.email == "cli@example.org") is None and User.get_by_id(people["agent"].id).active

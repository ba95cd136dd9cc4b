"""The service-measure import: a file replaces only the (person, month, measure) cells
it holds; the admin sees a preview (new, changed and unchanged values, or the problems
by line and column) before anything is written; every confirmed import is logged and
can be undone unless a later import changed the same cells; bad files write nothing."""
import io
import re
import threading
from datetime import date

import pytest

from learning.db import db
from learning.progress import measures
from learning.progress.measure_imports import confirm, import_file, pending_for, plan_import, stage, undo
from learning.progress.models import MeasureImport, MeasureImportChange, PendingMeasureImport, ServiceMeasure
from learning.progress.periods import last_months, month_label
from learning.progress.programme import programme_progress
from learning.progress.rebuild import rebuild
from learning.progress.team import team_progress
from learning.refusals import Refused

MARCH = date(2026, 3, 1)


def stored():
    return sorted((m.user.email, m.month.isoformat(), m.measure.name, m.value) for m in ServiceMeasure.select())


def imported(text, name="m.csv"):
    plan, record = import_file(text, name)
    assert plan.ok, plan.result.errors
    return plan, record


def csv(*lines, columns="csat"):
    return f"email,month,{columns}\n" + "".join(line + "\n" for line in lines)


@pytest.fixture
def teams_march(people, make_user, record_measure):
    """March values of both teams (a person who moved from team A to team B among them)
    and a February value of team A."""
    moved = make_user("agent", team=people["team_a"], name="Mover")
    record_measure(people["agent"], MARCH, "csat", 70)
    record_measure(people["other_agent"], MARCH, "csat", 72)
    record_measure(people["agent"], date(2026, 2, 1), "csat", 65)
    record_measure(moved, MARCH, "csat", 60)
    moved.team = people["team_b"]
    moved.save()
    record_measure(people["agent_b"], MARCH, "csat", 80)
    record_measure(people["agent_b"], MARCH, "fcr", 50)
    return moved


def upload(client, body, name="march.csv"):
    return client.post("/progress/import", data={"file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def token_of(page):
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


# --- the service ----------------------------------------------------------------------

def test_importing_one_teams_march_keeps_every_other_teams_march_values(people, teams_march):
    before = stored()
    imported(csv(f"{people['agent_b'].email},2026-03,85", f"{teams_march.email},2026-03,66"))
    a, b = people["agent"].email, people["agent_b"].email
    assert stored() == sorted([
        (a, "2026-02-01", "csat", 65.0), (a, "2026-03-01", "csat", 70.0),
        (people["other_agent"].email, "2026-03-01", "csat", 72.0), (teams_march.email, "2026-03-01", "csat", 66.0),
        (b, "2026-03-01", "csat", 85.0), (b, "2026-03-01", "fcr", 50.0)])
    assert len(before) == len(stored())


def test_an_empty_cell_leaves_the_stored_value_as_it_is(people, teams_march):
    plan, _ = imported(csv(f"{people['agent_b'].email},2026-03,,55", columns="csat,fcr"))
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (0, 1, 0)
    assert (people["agent_b"].email, "2026-03-01", "csat", 80.0) in stored()
    assert (people["agent_b"].email, "2026-03-01", "fcr", 55.0) in stored()


def test_the_plan_counts_new_changed_and_unchanged_values_and_writes_nothing(people, teams_march):
    before = stored()
    plan = plan_import(csv(f"{people['agent'].email},2026-03,70,90", f"{people['agent_b'].email},2026-03,81,50",
                           columns="csat,quality"))
    assert plan.ok and (len(plan.new), len(plan.changed), plan.unchanged) == (2, 1, 1)
    assert plan.months == "2026-03"
    assert stored() == before and MeasureImport.select().count() == 0


def test_the_same_file_twice_changes_nothing_the_second_time(people, teams_march):
    text = csv(f"{people['agent'].email},2026-03,75", f"{people['agent_b'].email},2026-04,79")
    first, _ = imported(text)
    after_first = stored()
    second, record = imported(text)
    assert (len(first.new), len(first.changed)) == (1, 1)
    assert (len(second.new), len(second.changed), second.unchanged) == (0, 0, 2)
    assert stored() == after_first
    assert MeasureImportChange.select().where(MeasureImportChange.measure_import == record.id).count() == 0


def test_overlapping_imports_each_replace_only_their_own_cells(people, teams_march):
    a, b, other = people["agent"].email, people["agent_b"].email, people["other_agent"].email
    imported(csv(f"{a},2026-03,71", f"{b},2026-03,81"))
    imported(csv(f"{b},2026-03,82", f"{other},2026-03,73"))
    assert [v for v in stored() if v[1] == "2026-03-01" and v[2] == "csat"] == sorted([
        (a, "2026-03-01", "csat", 71.0), (other, "2026-03-01", "csat", 73.0), (b, "2026-03-01", "csat", 82.0),
        (teams_march.email, "2026-03-01", "csat", 60.0)])


def test_undo_restores_the_previous_values_and_deletes_the_cells_it_created(people, teams_march):
    before = stored()
    _, record = imported(csv(f"{people['agent'].email},2026-03,99,40", f"{people['agent_b'].email},2026-04,70,41",
                             columns="csat,fcr"))
    assert stored() != before
    undo(record, people["admin"])
    assert stored() == before
    record = MeasureImport.get_by_id(record.id)
    assert record.undone_at is not None and record.undone_by_id == people["admin"].id


def test_an_import_is_undone_once(people, teams_march):
    _, record = imported(csv(f"{people['agent'].email},2026-03,99"))
    undo(record, people["admin"])
    with pytest.raises(Refused, match="undone already"):
        undo(record, people["admin"])


def test_undo_of_an_older_import_is_refused_while_a_later_one_changed_the_same_cells(people, teams_march):
    a, b = people["agent"].email, people["agent_b"].email
    _, older = imported(csv(f"{a},2026-03,91", f"{b},2026-03,92"), "older.csv")
    _, unrelated = imported(csv(f"{a},2026-04,50"), "april.csv")
    _, later = imported(csv(f"{b},2026-03,93"), "later.csv")
    after = stored()
    with pytest.raises(Refused, match=rf"later import of later.csv \(#{later.id}\).*Undo that one"):
        undo(older, people["admin"])
    assert stored() == after and MeasureImport.get_by_id(older.id).undone_at is None
    undo(later, people["admin"])
    undo(older, people["admin"])                 # the later one is undone: nothing stands in the way now
    assert (b, "2026-03-01", "csat", 80.0) in stored() and (a, "2026-03-01", "csat", 70.0) in stored()
    assert (a, "2026-04-01", "csat", 50.0) in stored()   # the unrelated import stays
    assert MeasureImport.get_by_id(unrelated.id).undone_at is None


def test_undo_is_refused_when_a_value_changed_outside_the_imports(people, teams_march):
    _, record = imported(csv(f"{people['agent'].email},2026-03,99"))
    ServiceMeasure.update(value=12).where(ServiceMeasure.value == 99).execute()
    with pytest.raises(Refused, match="changed since this import"):
        undo(record, people["admin"])
    assert (people["agent"].email, "2026-03-01", "csat", 12.0) in stored()


def test_every_bad_line_is_reported_by_line_and_column_and_nothing_is_written(people):
    email = people["agent"].email
    plan = plan_import("email,month,csat\n"
                       f"{email},2026-03,88\n"
                       "nobody@example.org,2026-03,80\n"
                       f"{people['other_agent'].email},March,80\n"
                       f"{people['agent_b'].email},2026-03,lots\n"
                       f"{people['coach_a'].email},2026-03,120\n"
                       f"{email},2026-03,70\n"
                       f"{people['admin'].email},2026-03\n")
    assert not plan.ok
    problems = {(p.line, p.column): p.message for p in plan.result.errors}
    assert sorted(problems) == [(3, "email"), (4, "month"), (5, "csat"), (6, "csat"), (7, "email"), (8, "")]
    assert "nobody@example.org" in problems[(3, "email")]
    assert "March" in problems[(4, "month")]
    assert "not a number" in problems[(5, "csat")]
    assert "between 0 and 100" in problems[(6, "csat")]
    assert "appears twice" in problems[(7, "email")] and "line 2" in problems[(7, "email")]
    assert "Expected 3 columns" in problems[(8, "")]


def test_unknown_or_missing_columns_are_refused_on_the_first_line(people):
    unknown = plan_import("email,month,handle_time\nx,2026-01,3\n").result.errors
    assert [(p.line, p.column) for p in unknown] == [(1, "handle_time")]
    assert "email,month" in plan_import("who,when,csat\n").result.errors[0].message


def test_a_file_with_too_many_lines_is_refused_whole(people, monkeypatch):
    monkeypatch.setattr(measures, "MAX_IMPORT_ROWS", 2)
    lines = [f"{people[k].email},2026-01,80" for k in ("agent", "other_agent", "agent_b")]
    plan, record = import_file(csv(*lines))
    assert record is None and "At most 2 lines" in plan.result.errors[0].message
    assert stored() == []


def at_once(app, jobs):
    """Run the jobs in threads started together; returns what each raised (None: nothing)."""
    barrier, outcomes = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(n, job):
        barrier.wait()
        try:
            with app.app_context():
                job()
        except Exception as error:  # collected and asserted by the caller
            outcomes[n] = error
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_an_upload_confirmed_several_times_at_once_is_imported_once(app, people, teams_march):
    _, token = stage(csv(f"{people['agent'].email},2026-03,91", f"{people['agent'].email},2026-04,40"), "m.csv",
                     people["admin"])
    pending = pending_for(token, people["admin"])
    outcomes = at_once(app, [lambda: confirm(pending, people["admin"])] * 4)
    assert outcomes.count(None) == 1
    assert all(isinstance(o, Refused) for o in outcomes if o is not None)
    assert MeasureImport.select().count() == 1 and MeasureImportChange.select().count() == 2
    assert (people["agent"].email, "2026-04-01", "csat", 40.0) in stored()


def test_concurrent_imports_of_the_same_cells_keep_a_log_that_undoes_back_to_the_start(app, people, teams_march):
    before = stored()
    a, b = people["agent"].email, people["agent_b"].email
    files = [csv(f"{a},2026-03,{60 + n}", f"{b},2026-05,{30 + n}") for n in range(4)]
    outcomes = at_once(app, [lambda text=text: import_file(text) for text in files])
    assert all(o is None or isinstance(o, Refused) for o in outcomes), outcomes
    applied = list(MeasureImport.select().order_by(MeasureImport.id))
    assert applied
    for record in reversed(applied):
        undo(record, people["admin"])
    assert stored() == before


# --- the page: upload, preview, confirm, undo ------------------------------------------

def test_the_preview_shows_the_counts_and_writes_nothing_until_confirmed(people, teams_march, login):
    client = login(people["admin"])
    before = stored()
    response = upload(client, csv(f"{people['agent'].email},2026-03,70", f"{people['agent_b'].email},2026-03,88",
                                  f"{people['agent_b'].email},2026-04,60").encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview: nothing is written yet" in page
    assert re.search(r'data-count="new">1<', page) and re.search(r'data-count="changed">1<', page)
    assert re.search(r'data-count="unchanged">1<', page)
    assert stored() == before and MeasureImport.select().count() == 0
    response = client.post("/progress/import/confirm", data={"token": token_of(page)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Imported march.csv for 2026-03, 2026-04: 1 new, 1 changed, 1 unchanged values." in page
    assert (people["agent_b"].email, "2026-03-01", "csat", 88.0) in stored()
    record = MeasureImport.get()
    assert (record.imported_by_id, record.file_name, record.lines) == (people["admin"].id, "march.csv", 3)
    assert PendingMeasureImport.select().count() == 0
    assert "import-log" in page and "Admin" in page


def test_a_confirmed_upload_cannot_be_confirmed_again(people, login):
    client = login(people["admin"])
    token = token_of(upload(client, csv(f"{people['agent'].email},2026-03,70").encode()).get_data(as_text=True))
    assert client.post("/progress/import/confirm", data={"token": token}).status_code == 302
    assert client.post("/progress/import/confirm", data={"token": token}).status_code == 404
    assert MeasureImport.select().count() == 1


def test_confirming_is_refused_when_the_stored_values_changed_since_the_preview(people, teams_march, login):
    client = login(people["admin"])
    token = token_of(upload(client, csv(f"{people['agent'].email},2026-03,95").encode()).get_data(as_text=True))
    imported(csv(f"{people['agent'].email},2026-03,90"), "meanwhile.csv")
    response = client.post("/progress/import/confirm", data={"token": token}, follow_redirects=True)
    assert "The stored values changed since this preview" in response.get_data(as_text=True)
    assert (people["agent"].email, "2026-03-01", "csat", 90.0) in stored()
    assert MeasureImport.select().count() == 1


def test_an_upload_is_confirmed_only_by_the_admin_who_previewed_it(people, make_user, login):
    client = login(people["admin"])
    token = token_of(upload(client, csv(f"{people['agent'].email},2026-03,70").encode()).get_data(as_text=True))
    other_admin = make_user("admin")
    assert login(other_admin).post("/progress/import/confirm", data={"token": token}).status_code == 404
    assert login(other_admin).post("/progress/import/confirm", data={"token": "made-up"}).status_code == 404
    assert login(other_admin).post("/progress/import/confirm", data={}).status_code == 400
    assert stored() == [] and MeasureImport.select().count() == 0


def test_the_admin_undoes_an_import_from_the_log(people, teams_march, login):
    before = stored()
    _, record = imported(csv(f"{people['agent'].email},2026-03,99"))
    client = login(people["admin"])
    assert client.get(f"/progress/import/{record.id}/undo").status_code == 405
    response = client.post(f"/progress/import/{record.id}/undo", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Undone: the import of m.csv" in page and "Undone" in page
    assert stored() == before
    assert client.post(f"/progress/import/{record.id + 100}/undo").status_code == 404


def test_the_page_says_why_an_undo_is_refused(people, teams_march, login):
    _, older = imported(csv(f"{people['agent'].email},2026-03,91"), "older.csv")
    imported(csv(f"{people['agent'].email},2026-03,92"), "later.csv")
    response = login(people["admin"]).post(f"/progress/import/{older.id}/undo", follow_redirects=True)
    assert "the later import of later.csv" in response.get_data(as_text=True)
    assert (people["agent"].email, "2026-03-01", "csat", 92.0) in stored()


BAD_FILES = {
    "wrong encoding": ("email,month,csat\nagent,2026-03,80\nJos\xe9,2026-03,80\n".encode("latin-1"), 3, ""),
    "missing columns": (b"email,csat\nx,80\n", 1, ""),
    "unknown person": (b"email,month,csat\nnobody@example.org,2026-03,80\n", 2, "email"),
    "bad month": ("email,month,csat\n{agent},2026-13,80\n", 2, "month"),
    "bad number": ("email,month,csat\n{agent},2026-03,eighty\n", 2, "csat"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_by_line_and_column_and_writes_nothing(people, teams_march, login, case):
    body, line, column = BAD_FILES[case]
    body = body.format(agent=people["agent"].email).encode() if isinstance(body, str) else body
    before = stored()
    response = upload(login(people["admin"]), body)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was imported" in page
    assert f'<td class="num">{line}</td><td>{column}</td>' in page
    assert 'name="token"' not in page
    assert stored() == before
    assert MeasureImport.select().count() == 0 and PendingMeasureImport.select().count() == 0


def test_the_import_asks_for_a_file(people, login):
    response = login(people["admin"]).post("/progress/import", data={}, content_type="multipart/form-data")
    assert "Choose a CSV file to import." in response.get_data(as_text=True)


@pytest.mark.parametrize("seat", ["agent", "other_agent", "agent_b", "coach_a", "coach_b"])
def test_only_admins_may_import_or_undo(people, teams_march, login, seat):
    _, record = imported(csv(f"{people['agent'].email},2026-03,99"))
    client = login(people[seat])
    assert client.get("/progress/import").status_code == 403
    assert upload(client, csv(f"{people['agent'].email},2026-03,1").encode()).status_code == 403
    assert client.post("/progress/import/confirm", data={"token": "x"}).status_code == 403
    assert client.post(f"/progress/import/{record.id}/undo").status_code == 403
    assert PendingMeasureImport.select().count() == 0 and MeasureImport.get_by_id(record.id).undone_at is None


def test_anonymous_visitors_are_sent_to_sign_in(people, teams_march, client):
    _, record = imported(csv(f"{people['agent'].email},2026-03,99"))
    for response in (client.get("/progress/import"),
                     upload(client, csv(f"{people['agent'].email},2026-03,1").encode()),
                     client.post("/progress/import/confirm", data={"token": "x"}),
                     client.post(f"/progress/import/{record.id}/undo")):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert MeasureImport.get_by_id(record.id).undone_at is None


# --- the command line -----------------------------------------------------------------

def test_the_import_command_previews_with_dry_run_and_imports_without(app, people, teams_march, tmp_path, login):
    path = tmp_path / "april.csv"
    path.write_text(csv(f"{people['agent'].email},2026-04,77", f"{people['agent_b'].email},2026-03,80"))
    before = stored()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["progress", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import 2026-03, 2026-04: 1 new, 0 changed, 1 unchanged values." in result.output
    assert stored() == before and MeasureImport.select().count() == 0
    result = runner.invoke(args=["progress", "import", str(path)])
    assert "Imported 2026-03, 2026-04: 1 new" in result.output
    assert (people["agent"].email, "2026-04-01", "csat", 77.0) in stored()
    assert MeasureImport.get().file_name == "april.csv"
    assert "command line" in login(people["admin"]).get("/progress/import").get_data(as_text=True)


def test_the_import_command_reports_problems_and_writes_nothing(app, people, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("email,month,csat\nnobody@example.org,2026-03,80\n")
    result = app.test_cli_runner().invoke(args=["progress", "import", str(path)])
    assert result.exit_code != 0 and "line 2, email: No active person" in result.output
    assert stored() == [] and MeasureImport.select().count() == 0


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_an_import_and_its_undo_show_at_once_on_the_programme_and_team_pages(people, make_user, zone):
    agents = [make_user("agent", team=people["team_b"]) for _ in range(5)]
    this, last = last_months(zone, 12)[-1], last_months(zone, 12)[-2]
    rebuild(zone)                                            # the programme page reads a stored summary
    programme = lambda: {row[0]: row[1] for row in programme_progress(zone)["measures"].rows}  # noqa: E731
    team = lambda: {row[0]: row[-3] for row in team_progress(people["team_b"], zone, 4)["trends"].rows}  # noqa: E731
    import_file("email,month,csat\n" + "".join(f"{u.email},{m:%Y-%m},80\n" for u in agents for m in (last, this)))
    assert programme()[month_label(last)] == programme()[month_label(this)] == 80.0
    assert team()[month_label(last)] == team()[month_label(this)] == 80.0
    _, record = import_file("email,month,csat\n" + "".join(f"{u.email},{m:%Y-%m},90\n"
                                                           for u in agents for m in (last, this)))
    assert programme()[month_label(last)] == programme()[month_label(this)] == 90.0
    assert team()[month_label(last)] == team()[month_label(this)] == 90.0
    undo(record, people["admin"])
    assert programme_progress(zone)["as_of"] is not None
    assert programme()[month_label(last)] == programme()[month_label(this)] == 80.0
    assert team()[month_label(last)] == team()[month_label(this)] == 80.0

"""The service-measure import: every line checked, nothing written unless all
are valid, a re-imported month replaced, size bounded, admins only."""
import io
from datetime import date

from learning.progress import measures
from learning.progress.measures import import_measures
from learning.progress.models import ServiceMeasure


def stored():
    return sorted((m.user.email, m.month.isoformat(), m.measure.name, m.value) for m in ServiceMeasure.select())


def test_a_valid_file_writes_every_value_and_skips_empty_cells(people):
    result = import_measures(f"email,month,csat,fcr,quality\n"
                             f"{people['agent'].email},2026-03,88.5,71,\n"
                             f"{people['agent_b'].email.upper()},2026-03,90,\"75,5\",80\n")
    assert result.ok and result.values == 5 and result.months == [date(2026, 3, 1)]
    assert stored() == sorted([
        (people["agent"].email, "2026-03-01", "csat", 88.5), (people["agent"].email, "2026-03-01", "fcr", 71.0),
        (people["agent_b"].email, "2026-03-01", "csat", 90.0), (people["agent_b"].email, "2026-03-01", "fcr", 75.5),
        (people["agent_b"].email, "2026-03-01", "quality", 80.0)])


def test_every_bad_line_is_reported_and_nothing_is_written(people):
    email = people["agent"].email
    result = import_measures("email,month,csat\n"
                             f"{email},2026-03,88\n"
                             "nobody@example.org,2026-03,80\n"
                             f"{people['other_agent'].email},March,80\n"
                             f"{people['agent_b'].email},2026-03,lots\n"
                             f"{people['coach_a'].email},2026-03,120\n"
                             f"{email},2026-03,70\n"
                             f"{people['admin'].email},2026-03\n")
    assert not result.ok
    lines = {line: message for line, message in result.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8]
    assert "nobody@example.org" in lines[3]
    assert "March" in lines[4]
    assert "not a number" in lines[5]
    assert "between 0 and 100" in lines[6]
    assert "appears twice" in lines[7] and "line 2" in lines[7]
    assert "Expected 3 columns" in lines[8]
    assert stored() == []


def test_unknown_or_missing_columns_are_refused_on_the_first_line(people):
    assert import_measures("email,month,handle_time\nx,2026-01,3\n").errors[0][0] == 1
    assert "email,month" in import_measures("who,when,csat\n").errors[0][1]
    assert stored() == []


def test_reimporting_a_month_replaces_it_and_keeps_other_months(people, record_measure):
    agent, other = people["agent"], people["other_agent"]
    record_measure(agent, date(2026, 2, 1), "csat", 70)
    record_measure(other, date(2026, 3, 1), "csat", 60)
    record_measure(agent, date(2026, 3, 1), "fcr", 50)
    result = import_measures(f"email,month,csat\n{agent.email},2026-03,95\n")
    assert result.ok
    assert stored() == sorted([(agent.email, "2026-02-01", "csat", 70.0), (agent.email, "2026-03-01", "csat", 95.0)])


def test_a_file_with_too_many_lines_is_refused_whole(people, monkeypatch):
    monkeypatch.setattr(measures, "MAX_IMPORT_ROWS", 2)
    lines = "".join(f"{people[k].email},2026-01,80\n" for k in ("agent", "other_agent", "agent_b"))
    result = import_measures("email,month,csat\n" + lines)
    assert not result.ok and "At most 2 lines" in result.errors[0][1]
    assert stored() == []


def test_the_admin_import_page_lists_problems_by_line_and_writes_nothing(people, login):
    client = login(people["admin"])
    data = {"file": (io.BytesIO(b"email,month,csat\nnobody@example.org,2026-03,80\n"), "m.csv")}
    response = client.post("/progress/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was imported" in page and "nobody@example.org" in page
    assert stored() == []


def test_the_admin_import_page_imports_a_valid_file(people, login):
    client = login(people["admin"])
    body = f"email,month,csat\n{people['agent'].email},2026-03,80\n".encode()
    response = client.post("/progress/import", data={"file": (io.BytesIO(body), "m.csv")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Imported 1 values from 1 lines for 2026-03." in response.get_data(as_text=True)
    assert len(stored()) == 1


def test_the_import_asks_for_a_file(people, login):
    response = login(people["admin"]).post("/progress/import", data={}, content_type="multipart/form-data")
    assert "Choose a CSV file to import." in response.get_data(as_text=True)


def test_only_admins_may_import(people, login):
    assert login(people["coach_a"]).get("/progress/import").status_code == 403
    assert login(people["agent"]).post("/progress/import").status_code == 403

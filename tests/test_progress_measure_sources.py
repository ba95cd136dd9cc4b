"""Measure sources: any CSV export's columns mapped once to the measures. The first upload of
an export asks which column is what and saves it under a name; the next upload with the same
columns goes straight to the usual preview; a bad mapping is refused field by field and writes
nothing; one export's mapping never reads another's; admins rename and delete sources."""
import io
import re
from datetime import date
from pathlib import Path

import pytest

from learning.accounts.models import User
from learning.progress import measure_sources
from learning.progress.models import MeasureImport, MeasureSource, PendingSourceUpload, ServiceMeasure
from tests.conftest import seed_demo

MARCH = date(2026, 3, 1)
EXPORT = ("Agent ID,Agent,Date,CSAT (0-1),FCR %,Tickets\n"
          "{a},A One,2026-03-31,0.92,81%,140\n{b},B One,31/03/2026,0.85,77,98\n")


@pytest.fixture
def staffed(people):
    for key, employee_id in (("agent", "E-100"), ("agent_b", "E-200")):
        people[key].employee_id = employee_id
        people[key].save()
    return people


def export(people, text=EXPORT):
    return text.format(a=people["agent"].employee_id, b=people["agent_b"].employee_id).encode()


def upload(client, body, name="zendesk-agents.csv"):
    """Upload a file as the page does (a new export's mapping step follows the redirect)."""
    return client.post("/progress/import", data={"file": (io.BytesIO(body), name)}, content_type="multipart/form-data",
                       follow_redirects=True)


def mapping_token(page):
    return re.search(r'action="/progress/import/map".*?name="token" type="hidden" value="([^"]+)"', page, re.S).group(1)


def confirm_token(page):
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def mapping(token, **changes):
    data = {"token": token, "name": "Zendesk agents", "person_column": "Agent ID", "person_kind": "employee_id",
            "month_column": "Date", "measure_csat": "CSAT (0-1)", "transform_csat": "fraction",
            "measure_fcr": "FCR %", "transform_fcr": "", "measure_quality": "", "transform_quality": ""}
    data.update(changes)
    return data


def map_new_export(client, people, **changes):
    """Upload the export (new to the app) and post its mapping; the page that follows."""
    token = mapping_token(upload(client, export(people)).get_data(as_text=True))
    return client.post("/progress/import/map", data=mapping(token, **changes)).get_data(as_text=True)


def stored():
    return sorted((m.user.email, m.month, m.measure.name, m.value) for m in ServiceMeasure.select())


def test_the_first_upload_of_a_new_export_asks_for_its_columns_and_writes_nothing(client, login, staffed):
    response = login(staffed["admin"]).post("/progress/import", data={"file": (io.BytesIO(export(staffed)), "a.csv")},
                                            content_type="multipart/form-data")
    assert response.status_code == 302 and "/progress/import/map?token=" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "A new export: map its columns" in page and 'class="error"' not in page
    for column in ("Agent ID", "Date", "CSAT (0-1)", "FCR %", "Tickets"):
        assert f'<option value="{column}">' in page
    assert MeasureSource.select().count() == 0 and stored() == []
    assert PendingSourceUpload.select().count() == 1


def test_a_mapping_is_saved_and_the_upload_previewed_then_imported_through_it(client, login, staffed):
    login(staffed["admin"])
    page = map_new_export(client, staffed)
    assert "Preview: nothing is written yet" in page and "Read as" in page and "Zendesk agents" in page
    assert '<td class="num" data-count="new">4</td>' in page and stored() == []
    assert PendingSourceUpload.select().count() == 0
    client.post("/progress/import/confirm", data={"token": confirm_token(page)})
    a, b = staffed["agent"].email, staffed["agent_b"].email
    assert stored() == sorted([(a, MARCH, "csat", 92.0), (a, MARCH, "fcr", 81.0), (b, MARCH, "csat", 85.0),
                               (b, MARCH, "fcr", 77.0)])
    assert MeasureImport.get().file_name == "zendesk-agents.csv"


def test_the_next_upload_of_the_same_export_goes_straight_to_the_preview(client, login, staffed):
    login(staffed["admin"])
    map_new_export(client, staffed)
    reordered = "tickets,fcr %,date,agent id,csat (0-1),agent\n12,80,2026-04-02,{a},0.5,A\n"
    page = upload(client, reordered.format(a=staffed["agent"].employee_id).encode()).get_data(as_text=True)
    assert "map its columns" not in page and "Read as" in page and "Zendesk agents" in page
    client.post("/progress/import/confirm", data={"token": confirm_token(page)})
    assert (staffed["agent"].email, date(2026, 4, 1), "csat", 50.0) in stored()
    assert MeasureSource.select().count() == 1


def test_the_imports_own_shape_needs_no_mapping(client, login, staffed):
    page = upload(login(staffed["admin"]), f"email,month,csat\n{staffed['agent'].email},2026-03,80\n".encode())
    assert "Preview: nothing is written yet" in page.get_data(as_text=True)
    assert PendingSourceUpload.select().count() == 0


def test_a_mapping_saved_for_one_export_does_not_read_another(client, login, staffed):
    login(staffed["admin"])
    map_new_export(client, staffed)
    other = f"Agent ID,Date,CSAT (0-1),FCR %\n{staffed['agent'].employee_id},2026-03-31,0.9,80\n".encode()
    page = upload(client, other).get_data(as_text=True)
    assert "A new export: map its columns" in page and "Read as" not in page


@pytest.mark.parametrize("changes, field, message", [
    ({"person_column": ""}, "person_column", "Choose the column that names the person."),
    ({"month_column": ""}, "month_column", "Choose the column with the month or a date."),
    ({"measure_fcr": "Agent ID"}, "measure_fcr", "The column Agent ID is already used for Column naming the person."),
    ({"measure_fcr": "CSAT (0-1)"}, "measure_fcr", "The column CSAT (0-1) is already used"),
    ({"month_column": "Not a column"}, "month_column", "Choose a column of the file."),
    ({"measure_csat": "", "measure_fcr": ""}, "measure_csat", "Map at least one measure to a column."),
    ({"name": ""}, "name", "Name the export"),
    ({"name": "x" * 101}, "name", "under 100 characters"),
    ({"name": "Two\nlines"}, "name", "Keep this to one line"),
    ({"person_kind": "name"}, "person_kind", "Not a valid choice"),
    ({"transform_csat": "cubits"}, "transform_csat", "Not a valid choice"),
])
def test_a_bad_mapping_is_refused_beside_its_field_and_writes_nothing(client, login, staffed, changes, field, message):
    login(staffed["admin"])
    token = mapping_token(upload(client, export(staffed)).get_data(as_text=True))
    page = client.post("/progress/import/map", data=mapping(token, **changes)).get_data(as_text=True)
    assert re.search(rf'id="{field}-err">[^<]*{re.escape(message)}', page), page[:200]
    assert "A new export: map its columns" in page and "Preview: nothing" not in page
    assert MeasureSource.select().count() == 0 and stored() == []
    assert PendingSourceUpload.select().count() == 1     # kept: the admin corrects the mapping and goes on


def test_a_source_name_is_used_once(client, login, staffed):
    login(staffed["admin"])
    map_new_export(client, staffed)
    other = f"Agent ID,Date,CSAT (0-1)\n{staffed['agent'].employee_id},2026-03-31,0.9\n".encode()
    token = mapping_token(upload(client, other).get_data(as_text=True))
    page = client.post("/progress/import/map", data=mapping(token, measure_fcr="")).get_data(as_text=True)
    assert 'id="name-err">Another source has this name' in page
    assert MeasureSource.select().count() == 1 and PendingSourceUpload.select().count() == 1


def test_problems_are_named_by_the_files_own_line_and_column(client, login, staffed):
    login(staffed["admin"])
    body = (export(staffed).decode() + "E-999,Nobody,2026-03-31,0.5,50,1\nE-100,A,someday,0.5,50,1\n"
            "E-200,B,2026-02-28,lots,50,1\n").encode()
    token = mapping_token(upload(client, body).get_data(as_text=True))
    page = client.post("/progress/import/map", data=mapping(token)).get_data(as_text=True)
    assert "Nothing was imported" in page
    assert '<td class="num">4</td><td>Agent ID</td><td>No active person with the employee id E-999.</td>' in page
    assert '<td class="num">5</td><td>Date</td>' in page
    assert MeasureSource.select().count() == 1 and stored() == []   # the mapping is kept; the file fixes come next


def test_a_value_out_of_range_after_its_transform_is_named_by_its_column(client, login, staffed):
    login(staffed["admin"])
    page = map_new_export(client, staffed, transform_fcr="fraction")
    assert '<td>FCR %</td><td>fcr must be between 0 and 100</td>' in page and stored() == []


def test_an_upload_kept_for_mapping_is_only_its_uploaders(client, login, staffed, make_user):
    login(staffed["admin"])
    token = mapping_token(upload(client, export(staffed)).get_data(as_text=True))
    login(make_user("admin", name="Other Admin"))
    assert client.post("/progress/import/map", data=mapping(token)).status_code == 404
    assert client.post("/progress/import/map", data=mapping("no-such-token")).status_code == 404
    assert client.get(f"/progress/import/map?token={token}").status_code == 404
    assert MeasureSource.select().count() == 0


@pytest.mark.parametrize("someone", ["agent", "coach_a"])
def test_only_admins_map_and_manage_sources(client, login, staffed, someone):
    source = measure_sources.save_source(
        measure_sources.Mapping("S", "Agent ID", "employee_id", "Date", {"csat": ("CSAT", "")}),
        ["Agent ID", "Date", "CSAT"], None)
    login(staffed[someone])
    assert client.post("/progress/import/map", data={"token": "x"}).status_code == 403
    assert client.get(f"/progress/import/sources/{source.id}").status_code == 403
    assert client.post(f"/progress/import/sources/{source.id}", data={"name": "Mine"}).status_code == 403
    assert client.post(f"/progress/import/sources/{source.id}/delete").status_code == 403
    assert MeasureSource.get().name == "S"


def test_an_admin_sees_renames_and_deletes_a_source(client, login, staffed):
    login(staffed["admin"])
    map_new_export(client, staffed)
    source = MeasureSource.get()
    assert "Zendesk agents" in client.get("/progress/import").get_data(as_text=True)
    page = client.get(f"/progress/import/sources/{source.id}").get_data(as_text=True)
    assert "<code>Agent ID</code>" in page and "employee id" in page and "A fraction 0–1" in page
    assert "Tickets" not in page
    assert client.post(f"/progress/import/sources/{source.id}", data={"name": ""}).status_code == 200
    assert MeasureSource.get().name == "Zendesk agents"
    client.post(f"/progress/import/sources/{source.id}", data={"name": "Zendesk per agent"})
    assert MeasureSource.get().name == "Zendesk per agent"
    client.post(f"/progress/import/sources/{source.id}/delete")
    assert MeasureSource.select().count() == 0
    assert "map its columns" in upload(client, export(staffed)).get_data(as_text=True)
    assert client.get(f"/progress/import/sources/{source.id}").status_code == 404


def test_renaming_to_another_sources_name_is_refused(staffed):
    _, second = (
        measure_sources.save_source(measure_sources.Mapping(name, "P", "email", "M", {"csat": ("C", "")}),
                                    ["P", "M", "C", extra], None) for name, extra in (("A", "x"), ("B", "y")))
    with pytest.raises(measure_sources.Refused):
        measure_sources.rename(second, "A")
    assert MeasureSource.get_by_id(second.id).name == "B"


def test_deleting_a_source_keeps_its_imports(client, login, staffed):
    login(staffed["admin"])
    page = map_new_export(client, staffed)
    client.post("/progress/import/confirm", data={"token": confirm_token(page)})
    client.post(f"/progress/import/sources/{MeasureSource.get().id}/delete")
    assert MeasureImport.select().count() == 1 and len(stored()) == 4


@pytest.mark.parametrize("text, month", [
    ("2026-03", MARCH), ("2026-3", MARCH), ("2026-03-31", MARCH), ("2026-03-31T23:59:00Z", MARCH),
    ("31/03/2026", MARCH), ("31.03.2026", MARCH), ("", None), ("March", None), ("2026-13", None),
    ("1999-03-01", None), ("2026-02-30", None),
])
def test_the_month_is_read_from_a_month_or_a_date(text, month):
    assert measure_sources.month_of(text) == month


def test_only_named_one_line_columns_of_a_storable_length_are_offered():
    header = "A,,A,Tab\there," + "x" * 201 + ",Last\n"
    assert measure_sources.choosable_columns(header) == ["A", "Last"]


def test_a_header_is_recognised_whatever_its_order_and_case():
    assert measure_sources.header_key(["A", "b ", "C"]) == measure_sources.header_key(["c", "B", "a", ""])
    assert measure_sources.header_key(["A", "B"]) != measure_sources.header_key(["A", "B", "C"])


def test_the_demo_source_reads_the_sample_export(app, client, login):
    seed_demo(app)
    login(User.get(User.email == "admin@example.com"), "learning-demo")
    body = (Path(__file__).parent.parent / "seeds" / "measures-export-sample.csv").read_bytes()
    page = upload(client, body, "helpdesk.csv").get_data(as_text=True)
    assert "Read as" in page and "Helpdesk CSAT by agent" in page and "Nothing was imported" not in page

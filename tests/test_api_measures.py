"""Service measures over the API: a batch upserted through the import's own write (in the import
log, undoable there), all or nothing, each refused item named by its JSON pointer; admins only."""
from datetime import date

import pytest

from learning.accounts.service import set_employee_id
from learning.progress.models import MeasureImport, ServiceMeasure
from tests.test_api_foundation import assert_problem

MARCH = date(2026, 3, 1)


def stored():
    return sorted((m.user.email, m.month.isoformat(), m.measure.name, m.value) for m in ServiceMeasure.select())


def item(person, month="2026-03", measure="csat", value=80):
    return {"person": person, "month": month, "measure": measure, "value": value}


def test_a_batch_creates_and_replaces_cells_and_is_logged_for_undo(people, api_as, record_measure, login, client):
    record_measure(people["agent"], MARCH, "csat", 70)
    set_employee_id(people["agent_b"], "HR-2")
    response = api_as(people["admin"]).put("/api/v1/measures", json={"items": [
        item(people["agent"].email, value=75.5), item("HR-2", measure="fcr", value=40)]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["new"], body["changed"], body["unchanged"], body["months"]) == (1, 1, 0, "2026-03")
    assert stored() == [(people["agent"].email, "2026-03-01", "csat", 75.5),
                        (people["agent_b"].email, "2026-03-01", "fcr", 40.0)]
    record = MeasureImport.get_by_id(body["import_id"])
    assert record.file_name == "API: Test" and record.imported_by_id == people["admin"].id
    login(people["admin"])
    assert client.post(f"/progress/import/{record.id}/undo").status_code == 302
    assert stored() == [(people["agent"].email, "2026-03-01", "csat", 70.0)]


def test_one_bad_item_refuses_the_batch_naming_each_problem_by_pointer(people, api_as):
    response = api_as(people["admin"]).put("/api/v1/measures", json={"items": [
        item(people["agent"].email), item("nobody@example.org", value=101), "x", item(people["agent"].email)]})
    problem = assert_problem(response, 422)
    assert set(problem["errors"]) == {"/items/1/person", "/items/1/value", "/items/2", "/items/3/measure"}
    assert stored() == [] and MeasureImport.select().count() == 0


@pytest.mark.parametrize("body, pointer", [
    ({"items": []}, "/items"), ({"items": {"person": "a"}}, "/items"), ({}, "/items"), ({"rows": []}, "rows"),
])
def test_a_batch_that_is_not_a_list_of_items_is_refused_whole(people, api_as, body, pointer):
    assert pointer in assert_problem(api_as(people["admin"]).put("/api/v1/measures", json=body), 422)["errors"]


@pytest.mark.parametrize("seat", ["agent", "coach_a", "coach_b"])
def test_only_admins_may_set_measures(people, api_as, seat):
    assert_problem(api_as(people[seat]).put("/api/v1/measures", json={"items": [item(people["agent"].email)]}), 403)
    assert stored() == []


def test_a_read_only_token_or_none_sets_nothing(people, api_as):
    body = {"items": [item(people["agent"].email)]}
    assert_problem(api_as(people["admin"], scope="read").put("/api/v1/measures", json=body), 403)
    assert_problem(api_as(None).put("/api/v1/measures", json=body), 401)
    assert stored() == []

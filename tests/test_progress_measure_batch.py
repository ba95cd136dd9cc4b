"""A batch of service-measure values (the API's upsert): each item checked with the file's
rules and refused by its index and field; a valid batch goes through the import's own
comparison and write, so it is logged and undone like a confirmed file."""
from datetime import date

from learning.accounts.service import set_active, set_employee_id
from learning.progress.measure_imports import import_file, undo, upsert_values
from learning.progress.measures import MAX_BATCH_ITEMS, check_items
from learning.progress.models import MeasureImport, ServiceMeasure
from learning.refusals import Refused

MARCH = date(2026, 3, 1)


def stored():
    return sorted((m.user.email, m.month.isoformat(), m.measure.name, m.value) for m in ServiceMeasure.select())


def item(person, month="2026-03", measure="csat", value=80):
    return {"person": person, "month": month, "measure": measure, "value": value}


def problems(items):
    result, _ = check_items(items)
    return sorted((p.line, p.column) for p in result.errors)


def test_a_batch_creates_new_cells_and_changes_stored_ones_only(people, record_measure):
    agent, other = people["agent"], people["other_agent"]
    record_measure(agent, MARCH, "csat", 70)
    record_measure(agent, MARCH, "fcr", 40)
    result, values = check_items([item(agent.email, value=75), item(other.email.upper(), measure="FCR", value=55)])
    assert result.ok
    plan, record = upsert_values(values, "API", people["admin"])
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (1, 1, 0)
    assert stored() == [(agent.email, "2026-03-01", "csat", 75.0), (agent.email, "2026-03-01", "fcr", 40.0),
                        (other.email, "2026-03-01", "fcr", 55.0)]
    assert (record.file_name, record.imported_by_id, record.months) == ("API", people["admin"].id, "2026-03")


def test_a_person_is_found_by_employee_id_as_well_as_by_email(people):
    set_employee_id(people["agent"], "E-1001")
    result, values = check_items([item("E-1001", value=61)])
    assert result.ok and values[0].user.id == people["agent"].id


def test_a_batch_is_undone_from_the_log_like_an_import(people, record_measure):
    record_measure(people["agent"], MARCH, "csat", 70)
    before = stored()
    _, values = check_items([item(people["agent"].email, value=90), item(people["agent_b"].email, value=50)])
    _, record = upsert_values(values, "API", people["admin"])
    undo(record, people["admin"])
    assert stored() == before


def test_the_same_batch_twice_changes_nothing_the_second_time(people):
    _, values = check_items([item(people["agent"].email, value=90)])
    upsert_values(values, "API", people["admin"])
    plan, _ = upsert_values(check_items([item(people["agent"].email, value=90)])[1], "API", people["admin"])
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (0, 0, 1)
    assert MeasureImport.select().count() == 2


def test_a_batch_and_a_file_replace_the_same_cells_and_the_log_undoes_them_in_order(people):
    email = people["agent"].email
    import_file(f"email,month,csat\n{email},2026-03,50\n", "m.csv")
    _, record = upsert_values(check_items([item(email, value=60)])[1], "API", people["admin"])
    assert stored() == [(email, "2026-03-01", "csat", 60.0)]
    undo(record, people["admin"])
    assert stored() == [(email, "2026-03-01", "csat", 50.0)]


def test_every_bad_item_is_named_by_its_index_and_field(people):
    agent = people["agent"].email
    assert problems([
        item(agent),
        item("nobody@example.org"),
        item(agent, month="2026-13"),
        item(agent, month="March"),
        item(agent, measure="handle_time"),
        item(agent, value=101),
        item(agent, value="80"),
        item(agent, value=True),
        item(agent, value=None),
        "not an item",
        {"person": 7, "month": 202603, "measure": None},
        item(agent, month="2026-3"),
    ]) == [(1, "person"), (2, "month"), (3, "month"), (4, "measure"), (5, "value"), (6, "value"),
           (7, "value"), (8, "value"), (9, ""), (10, "measure"), (10, "month"), (10, "person"), (10, "value"),
           (11, "month")]


def test_a_cell_given_twice_is_refused_at_its_second_item(people):
    agent = people["agent"].email
    result, _ = check_items([item(agent, value=1), item(agent, measure="fcr"), item(agent.upper(), value=2)])
    assert [(p.line, p.column) for p in result.errors] == [(2, "measure")]
    assert "Item 0" in result.errors[0].message


def test_a_person_who_left_takes_no_values(people):
    set_active(people["agent"], False)
    assert problems([item(people["agent"].email)]) == [(0, "person")]


def test_an_empty_or_oversized_batch_or_one_that_is_not_a_list_is_refused_whole(people):
    assert problems([]) == [(0, "items")]
    assert problems({"person": people["agent"].email}) == [(0, "items")]
    assert problems([item(people["agent"].email)] * (MAX_BATCH_ITEMS + 1)) == [(0, "items")]


def test_checking_a_batch_reads_the_people_in_one_query_whatever_its_size(people, make_user, count_queries):
    many = [make_user("agent") for _ in range(6)]
    with count_queries() as small:
        check_items([item(people["agent"].email)])
    with count_queries() as large:
        check_items([item(person.email) for person in many])
    assert small.count == large.count


def test_concurrent_batches_of_the_same_cells_queue_and_the_log_undoes_back_to_the_start(app, people,
                                                                                         record_measure):
    from tests.test_progress_import import at_once

    record_measure(people["agent"], MARCH, "csat", 70)
    before = stored()
    a, b = people["agent"].email, people["agent_b"].email
    batches = [[item(a, value=60 + n), item(b, month="2026-05", value=30 + n)] for n in range(4)]
    outcomes = at_once(app, [lambda batch=batch: upsert_values(check_items(batch)[1], "API", people["admin"])
                             for batch in batches])
    assert all(o is None or isinstance(o, Refused) for o in outcomes), outcomes
    applied = list(MeasureImport.select().order_by(MeasureImport.id))
    assert applied
    for record in reversed(applied):
        undo(record, people["admin"])
    assert stored() == before

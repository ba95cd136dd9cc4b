"""Root causes on cases: who may tag a case (its author, those who run its meetup), the list
admins keep (retire, never delete), and the library filtered by cause."""
import pytest

from learning.cases import causes, meetups
from learning.cases.models import Case, Cause
from learning.refusals import Refused
from tests.fixtures_feedback import cause_id


def test_the_starting_list_follows_the_programme(app):
    names = [c.name for c in causes.current_causes()]
    assert names[0] == "Product or system defect" and names[-1] == "Other" and len(names) == 10
    assert "No permission to fix it" in names and "Staffing pressure" in names


def test_the_author_tags_a_case_and_may_clear_it(make_case, people):
    case = make_case(people["agent"])
    causes.tag_case(people["agent"], case.id, cause_id("Tooling"), True)
    stored = Case.get_by_id(case.id)
    assert (stored.cause.name, stored.avoidable) == ("Tooling", True)
    causes.tag_case(people["agent"], case.id, None, True)
    assert (Case.get_by_id(case.id).cause_id, Case.get_by_id(case.id).avoidable) == (None, None)


@pytest.mark.parametrize("seat, allowed", [("agent", True), ("coach_a", True), ("admin", True),
                                           ("other_agent", False), ("coach_b", False)])
def test_a_case_on_an_agenda_is_tagged_by_its_author_or_those_who_run_the_meetup(
        scheduled_case, people, seat, allowed):
    case, _ = scheduled_case
    if allowed:
        causes.tag_case(people[seat], case.id, cause_id("Policy"), False)
        assert Case.get_by_id(case.id).cause_id == cause_id("Policy")
    else:
        with pytest.raises(Refused):
            causes.tag_case(people[seat], case.id, cause_id("Policy"), False)
        assert Case.get_by_id(case.id).cause_id is None


def test_a_queued_case_is_tagged_by_its_author_only(make_case, people):
    case = make_case(people["agent"])
    with pytest.raises(Refused):
        causes.tag_case(people["coach_a"], case.id, cause_id("Policy"), None)


def test_a_withdrawn_case_is_not_tagged(make_case, people):
    from learning.cases.service import withdraw_case

    case = make_case(people["agent"])
    withdraw_case(people["agent"], case)
    with pytest.raises(Refused):
        causes.tag_case(people["agent"], case.id, cause_id("Policy"), None)


def test_a_retired_cause_stays_on_its_cases_but_is_not_offered(make_case, people):
    case = make_case(people["agent"])
    causes.tag_case(people["agent"], case.id, cause_id("Tooling"), None)
    tooling = Cause.get_by_id(cause_id("Tooling"))
    causes.save_cause(tooling, "Tooling", tooling.description, retired=True)
    assert "Tooling" not in [c.name for c in causes.current_causes()]
    causes.tag_case(people["agent"], case.id, tooling.id, False)     # kept where it already is
    other = make_case(people["agent"])
    with pytest.raises(Refused, match="Choose a cause"):
        causes.tag_case(people["agent"], other.id, tooling.id, False)


def test_admins_add_and_rename_causes_without_duplicates(people):
    added = causes.save_cause(None, " Billing rules ", "Invoices nobody understands")
    assert added.name == "Billing rules" and added.position == 11
    with pytest.raises(Refused, match="already on the list"):
        causes.save_cause(None, "billing RULES", "")
    with pytest.raises(Refused, match="already on the list"):
        causes.save_cause(added, "Policy", "")


def test_tagging_on_the_case_page(make_case, login, people):
    case = make_case(people["agent"])
    client = login(people["agent"])
    assert "Save the cause" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    response = client.post(f"/cases/{case.id}/cause", data={"cause": str(cause_id("Knowledge gap")), "avoidable": "yes"})
    assert response.status_code == 302
    assert "Knowledge gap" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    client.post(f"/cases/{case.id}/cause", data={"cause": "999999", "avoidable": "no"})
    client.post(f"/cases/{case.id}/cause", data={"cause": str(cause_id("Policy")), "avoidable": "maybe"})
    stored = Case.get_by_id(case.id)
    assert (stored.cause_id, stored.avoidable) == (cause_id("Knowledge gap"), True)


def test_a_peer_sees_the_cause_but_gets_no_form(scheduled_case, login, people):
    case, _ = scheduled_case
    causes.tag_case(people["agent"], case.id, cause_id("Process"), True)
    client = login(people["other_agent"])
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Process" in html and "Avoidable" in html and "Save the cause" not in html
    assert client.post(f"/cases/{case.id}/cause", data={"cause": ""}).status_code == 404


def test_the_library_filters_by_cause(make_case, make_meetup, login, people):
    session = make_meetup(team=people["team_a"])
    for title, cause in (("Invoice twice", "Product or system defect"), ("Refund blocked", "Policy")):
        case = make_case(people["agent"], title=title)
        meetups.add_to_agenda(people["coach_a"], session, case.id, 10)
        causes.tag_case(people["agent"], case.id, cause_id(cause), True)
        meetups.record_takeaways(people["coach_a"], Case.get_by_id(case.id), "a", "b", "c", [])
    client = login(people["agent_b"])
    html = client.get(f"/library?cause={cause_id('Policy')}").get_data(as_text=True)
    assert "Refund blocked" in html and "Invoice twice" not in html
    both = client.get("/library").get_data(as_text=True)
    assert "Refund blocked" in both and "Invoice twice" in both


@pytest.mark.parametrize("seat, status", [("admin", 200), ("coach_a", 403), ("agent", 403)])
def test_only_admins_keep_the_list(login, people, seat, status):
    client = login(people[seat])
    assert client.get("/admin/causes").status_code == status
    client.post("/admin/causes", data={"name": "Sneaky", "description": ""})
    assert Cause.select().where(Cause.name == "Sneaky").exists() == (status == 200)


def test_the_cause_list_page_refuses_a_blank_name(login, people):
    client = login(people["admin"])
    response = client.post("/admin/causes", data={"name": "  ", "description": "x"})
    assert response.status_code == 200 and "Give the cause a name" in response.get_data(as_text=True)
    assert Cause.select().count() == 10
    policy = cause_id("Policy")
    assert client.post(f"/admin/causes/{policy}", data={"name": "Policy", "description": "Rules", "retired": "y"}
                       ).status_code == 302
    assert Cause.get_by_id(policy).retired

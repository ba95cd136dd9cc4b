"""Operations feedback items: a meetup raises one from its cases, its status changes with
history, the people who raised the linked cases are told (never the one who changed it),
and the linked cases show as peers see them."""
import pytest

from learning.cases import meetups
from learning.feedback import service
from learning.feedback.models import FeedbackCase, FeedbackItem, FeedbackStatusChange
from learning.notify.models import Notification
from learning.refusals import NotFound, Refused
from tests.fixtures_feedback import cause_id


def notices(kind="feedback"):
    return sorted((n.user_id, n.text) for n in Notification.select().where(Notification.kind == kind))


def test_a_meetup_turns_two_cases_into_one_item_and_their_authors_are_told(raised_item, feedback_meetup, people):
    item = FeedbackItem.get_by_id(raised_item.id)
    assert (item.status, item.owner, item.cause.name) == ("open", "Billing", "No permission to fix it")
    assert {link.case_id for link in FeedbackCase.select()} == {c.id for c in feedback_meetup["cases"]}
    assert [(h.old_status, h.new_status, h.changed_by_id) for h in service.history(item)] == [
        (None, "open", people["coach_a"].id)]
    told = notices()
    assert [user for user, _ in told] == sorted([people["agent"].id, people["other_agent"].id])
    assert all("Billing" in text for _, text in told)


@pytest.mark.parametrize("problem", ["queued case", "no case", "retired cause", "other team's coach", "agent"])
def test_raising_is_refused_and_writes_nothing(feedback_meetup, people, problem):
    from learning.cases.models import Cause

    case_ids = [c.id for c in feedback_meetup["cases"]]
    cause, user = cause_id("Policy"), people["coach_a"]
    if problem == "queued case":
        case_ids.append(feedback_meetup["queued"].id)
    elif problem == "no case":
        case_ids = []
    elif problem == "retired cause":
        Cause.update(retired=True).where(Cause.id == cause).execute()
    elif problem == "other team's coach":
        user = people["coach_b"]
    else:
        user = people["agent"]
    with pytest.raises(Refused):
        service.raise_item(user, feedback_meetup["session"], "Title", cause, "Billing", case_ids)
    assert FeedbackItem.select().count() == 0 and FeedbackStatusChange.select().count() == 0
    assert notices() == []


def test_status_changes_keep_history_and_the_fixed_time(raised_item, people):
    service.change_status(people["coach_a"], raised_item.id, "accepted", "Billing will look at it")
    service.change_status(people["admin"], raised_item.id, "fixed")
    assert FeedbackItem.get_by_id(raised_item.id).fixed_at is not None
    service.change_status(people["admin"], raised_item.id, "accepted", "It came back")
    item = FeedbackItem.get_by_id(raised_item.id)
    assert (item.status, item.fixed_at) == ("accepted", None)
    assert [(h.old_status, h.new_status) for h in service.history(item)] == [
        (None, "open"), ("open", "accepted"), ("accepted", "fixed"), ("fixed", "accepted")]
    with pytest.raises(Refused, match="already accepted"):
        service.change_status(people["admin"], raised_item.id, "accepted")
    with pytest.raises(Refused, match="Choose"):
        service.change_status(people["admin"], raised_item.id, "shelved")


def test_the_authors_are_told_of_each_change_but_never_the_one_who_made_it(
        make_case, feedback_meetup, people):
    own = make_case(people["coach_a"], title="Coach's own case")
    meetups.add_to_agenda(people["coach_a"], feedback_meetup["session"], own.id, 10)
    item = service.raise_item(people["coach_a"], feedback_meetup["session"], "Fix the courier contract",
                              cause_id("Process"), "Logistics", [own.id, feedback_meetup["cases"][0].id])
    service.change_status(people["coach_a"], item.id, "fixed")
    told = notices()
    assert [user for user, _ in told] == [people["agent"].id, people["agent"].id]
    assert any("is now fixed" in text for _, text in told)
    service.change_status(people["admin"], item.id, "open")
    assert {user for user, _ in notices()} == {people["agent"].id, people["coach_a"].id}


@pytest.mark.parametrize("seat, allowed", [("coach_a", True), ("admin", True), ("facilitator", True),
                                           ("coach_b", False), ("agent", False)])
def test_who_may_change_the_status(raised_item, feedback_meetup, people, make_user, seat, allowed):
    from learning.schedule.models import Session

    if seat == "facilitator":
        user = make_user("agent", team=people["team_b"], name="Facilitating agent")
        Session.update(facilitator=user).where(Session.id == feedback_meetup["session"].id).execute()
    else:
        user = people[seat]
    if allowed:
        service.change_status(user, raised_item.id, "declined", "Not now")
        assert FeedbackItem.get_by_id(raised_item.id).status == "declined"
    else:
        with pytest.raises(Refused):
            service.change_status(user, raised_item.id, "declined")
        assert FeedbackItem.get_by_id(raised_item.id).status == "open"


def test_people_who_may_not_see_an_item_cannot_change_it_either(raised_item, people):
    with pytest.raises(NotFound):
        service.change_status(people["agent_b"], raised_item.id, "fixed")


@pytest.mark.parametrize("seat, status", [("agent", 200), ("other_agent", 200), ("agent_b", 404),
                                          ("coach_a", 200), ("coach_b", 200), ("admin", 200)])
def test_an_item_is_read_by_operations_leads_and_the_authors_of_its_cases(raised_item, login, people, seat, status):
    assert login(people[seat]).get(f"/operations/items/{raised_item.id}").status_code == status


def test_linked_cases_show_as_peers_see_them_even_to_an_admin(raised_item, login, people):
    html = login(people["admin"]).get(f"/operations/items/{raised_item.id}").get_data(as_text=True)
    assert "jane.doe@example.org" not in html          # stored redacted, never the original text
    assert "Refund refused for" in html and "Courier lost the parcel again" in html
    assert "Agent A1" in html                           # shared with a name
    assert "Agent A2" not in html                       # shared without one: no name, even for an admin
    assert "Shared without a name" in html


def test_a_withdrawn_linked_case_shows_no_title(raised_item, feedback_meetup, login, people):
    from learning.cases.service import withdraw_case

    withdraw_case(people["agent"], feedback_meetup["cases"][0])
    html = login(people["coach_b"]).get(f"/operations/items/{raised_item.id}").get_data(as_text=True)
    assert "Refund refused for" not in html and "no longer shared" in html


def test_raising_from_the_meetup_page(feedback_meetup, login, people):
    client = login(people["coach_a"])
    url = f"/sessions/{feedback_meetup['session'].id}/operations-feedback"
    form = client.get(url + f"?case={feedback_meetup['cases'][0].id}").get_data(as_text=True)
    assert "Courier lost the parcel again" in form and "jane.doe" not in form
    refused = client.post(url, data={"title": "", "owner": "Billing", "cause": str(cause_id("Policy"))})
    assert refused.status_code == 200 and "Say in one line" in refused.get_data(as_text=True)
    assert "Choose at least one case" in refused.get_data(as_text=True)
    assert FeedbackItem.select().count() == 0
    done = client.post(url, data={"title": "Publish the refund policy", "owner": "Billing",
                                  "cause": str(cause_id("Policy")),
                                  "cases": [str(c.id) for c in feedback_meetup["cases"]]})
    item = FeedbackItem.get()
    assert done.status_code == 302 and done.location.endswith(f"/operations/items/{item.id}")
    assert FeedbackCase.select().where(FeedbackCase.item == item).count() == 2


@pytest.mark.parametrize("seat", ["agent", "coach_b"])
def test_only_those_who_run_the_meetup_open_its_feedback_form(feedback_meetup, login, people, seat):
    url = f"/sessions/{feedback_meetup['session'].id}/operations-feedback"
    assert login(people[seat]).get(url).status_code == 404


def test_changing_the_status_on_the_page(raised_item, login, people):
    client = login(people["coach_a"])
    response = client.post(f"/operations/items/{raised_item.id}/status", data={"status": "accepted", "note": "Agreed"})
    assert response.status_code == 302
    html = client.get(f"/operations/items/{raised_item.id}").get_data(as_text=True)
    assert "Agreed" in html and "Open →" in html
    author = login(people["agent"])
    author.post(f"/operations/items/{raised_item.id}/status", data={"status": "fixed"})
    assert FeedbackItem.get_by_id(raised_item.id).status == "accepted"
    assert "Change the status" not in author.get(f"/operations/items/{raised_item.id}").get_data(as_text=True)


def test_an_author_who_moved_team_still_reads_the_item_and_is_told(raised_item, login, people):
    from learning.accounts.models import User

    User.update(team=people["team_b"]).where(User.id == people["agent"].id).execute()
    service.change_status(people["coach_a"], raised_item.id, "accepted")
    assert any(user == people["agent"].id and "is now accepted" in text for user, text in notices())
    assert login(people["agent"]).get(f"/operations/items/{raised_item.id}").status_code == 200

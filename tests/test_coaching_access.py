"""Who sees what: the employee their own record, coaches their teams', admins all but private
notes; everyone else a 404. Private coach notes are read only by coaches of the employee."""
import pytest

from learning.coaching.checkins import add_note, notes_for
from learning.coaching.models import CheckInNote
from learning.coaching.ratings import rate
from learning.coaching.service import ask_for_support
from learning.db import utcnow
from learning.refusals import NotFound

SEES = {"agent": 200, "coach_a": 200, "admin": 200, "other_agent": 404, "coach_b": 404, "agent_b": 404}


@pytest.fixture
def pages(people, plan, checkin, competencies):
    request = ask_for_support(people["agent"], [competencies[0].id], "Hard calls")
    return [f"/plans/{plan.id}", f"/checkins/{checkin.id}", f"/coaching/requests/{request.id}",
            f"/coaching/people/{people['agent'].id}"]


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_coaching_page_answers_only_those_who_may_see_it(client, login, people, pages, who):
    login(people[who])
    assert {url: client.get(url).status_code for url in pages} == {url: SEES[who] for url in pages}


def test_missing_objects_are_404(client, login, people):
    login(people["admin"])
    for url in ("/plans/999", "/checkins/999", "/coaching/requests/999", "/coaching/people/999"):
        assert client.get(url).status_code == 404


def test_a_co_coach_reads_private_notes_but_the_employee_and_admins_do_not(client, login, people, checkin, make_user):
    co_coach = make_user("coach", coach_of=[people["team_a"]], name="Co Coach")
    add_note(people["coach_a"], checkin, "Seems tired; ask about workload", private=True)
    add_note(people["agent"], checkin, "Shared: practise summarising")
    for who, sees_private in ((people["coach_a"], True), (co_coach, True), (people["agent"], False),
                              (people["admin"], False)):
        login(who)
        page = client.get(f"/checkins/{checkin.id}").get_data(as_text=True)
        assert ("ask about workload" in page) is sees_private, who.display_name
        assert "practise summarising" in page
        assert any(n.private for n in notes_for(who, checkin)) is sees_private


def test_employee_and_admin_cannot_write_private_notes(client, login, people, checkin):
    login(people["agent"])
    client.post(f"/checkins/{checkin.id}/notes", data={"body": "Secret?", "private": "y"})
    login(people["admin"])
    assert client.post(f"/checkins/{checkin.id}/notes", data={"body": "Admin note", "private": "y"}).status_code == 404
    assert client.post(f"/checkins/{checkin.id}/notes", data={"body": "Admin note"}).status_code == 404
    assert [n.private for n in CheckInNote.select()] == []


def test_private_notes_never_reach_the_employee_through_the_plan_page(client, login, people, plan, checkin):
    add_note(people["coach_a"], checkin, "Private remark", private=True)
    login(people["agent"])
    assert "Private remark" not in client.get(f"/plans/{plan.id}").get_data(as_text=True)


def test_a_coach_rates_only_people_of_their_teams(people, competencies):
    with pytest.raises(NotFound):
        rate(people["coach_b"], people["agent"], competencies[0].id, 3, utcnow().date())
    with pytest.raises(NotFound):
        rate(people["other_agent"], people["agent"], competencies[0].id, 3, utcnow().date())


def test_overview_lists_only_what_the_viewer_may_see(client, login, people, plan, competencies):
    ask_for_support(people["agent_b"], [competencies[0].id], "Team B trouble")
    login(people["coach_a"])
    page = client.get("/coaching").get_data(as_text=True)
    assert "Listening plan" in page and "Team B trouble" not in page
    login(people["coach_b"])
    page = client.get("/coaching").get_data(as_text=True)
    assert "Listening plan" not in page and "Team B trouble" in page
    login(people["other_agent"])
    assert "Listening plan" not in client.get("/coaching").get_data(as_text=True)

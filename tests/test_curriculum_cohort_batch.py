"""A coach enrols a whole team or chosen people in a module cohort in one action: each person by
the enrolment rules (prerequisites with an override note, a second place, seats then the waitlist
in name order), refused people reported without stopping the others, from every seat."""
from datetime import date, timedelta

import pytest

from learning.curriculum import cohort_batch, service
from learning.curriculum.models import Enrolment
from learning.refusals import NotFound, Refused


@pytest.fixture
def team_a(people, make_user):
    """Team A grown to five agents besides its coach, named so their order is known."""
    extra = [make_user("agent", team=people["team_a"], name=f"Agent A{n}") for n in range(3, 6)]
    return [people["agent"], people["other_agent"], *extra]


@pytest.fixture
def foundation(make_module):
    return make_module("Professional boundaries foundation", area="Professional boundaries")


def held(cohort):
    return {(e.user.display_name, e.status) for e in Enrolment.select().where(Enrolment.cohort == cohort)}


def by_name(outcomes):
    return {o.user.display_name: o for o in outcomes}


def test_a_team_fills_the_seats_then_waits_in_name_order(make_module, make_cohort, people, team_a):
    cohort = make_cohort(make_module(), capacity=3)
    outcomes = cohort_batch.enrol_people(cohort, people["coach_a"], team=people["team_a"])
    assert [o.user.display_name for o in outcomes] == ["Agent A1", "Agent A2", "Agent A3", "Agent A4", "Agent A5",
                                                      "Coach A"]
    assert [o.state for o in outcomes] == ["going"] * 3 + ["waitlisted"] * 3
    assert [o.position for o in outcomes[3:]] == [1, 2, 3]
    assert Enrolment.select().where(Enrolment.cohort == cohort, Enrolment.status == "going").count() == 3


def test_a_missing_prerequisite_refuses_that_person_only_and_a_note_waives_it(make_module, make_cohort, people,
                                                                              foundation):
    cohort = make_cohort(make_module("Emotional support practice", prerequisites=[foundation]))
    service.complete_by_coach(people["other_agent"], foundation, people["coach_a"], "Done in onboarding")
    chosen = [people["agent"].id, people["other_agent"].id]
    outcomes = by_name(cohort_batch.enrol_people(cohort, people["coach_a"], user_ids=chosen))
    assert outcomes["Agent A2"].state == "going"
    assert outcomes["Agent A1"].state == "refused" and "Professional boundaries foundation" in outcomes["Agent A1"].reason
    assert held(cohort) == {("Agent A2", "going")}
    outcomes = by_name(cohort_batch.enrol_people(cohort, people["coach_a"], user_ids=chosen,
                                                 override_note="Ten years in care work"))
    assert outcomes["Agent A1"].state == "going" and outcomes["Agent A1"].overridden
    assert outcomes["Agent A2"].state == "already"
    kept = Enrolment.get(Enrolment.user == people["agent"])
    assert kept.override_note == "Ten years in care work" and kept.enrolled_by_id == people["coach_a"].id
    assert Enrolment.get(Enrolment.user == people["other_agent"]).override_note == ""


def test_already_enrolled_and_a_place_elsewhere_are_reported_not_doubled(make_module, make_cohort, people, team_a):
    module = make_module()
    cohort, other = make_cohort(module, capacity=1), make_cohort(module, title="Autumn")
    service.enrol(cohort, people["agent"])
    service.enrol(cohort, people["other_agent"])          # waitlisted, number 1
    service.enrol(other, team_a[2])
    outcomes = by_name(cohort_batch.enrol_people(cohort, people["coach_a"], user_ids=[u.id for u in team_a[:4]]))
    assert (outcomes["Agent A1"].state, outcomes["Agent A1"].reason) == ("already", "going")
    assert (outcomes["Agent A2"].state, outcomes["Agent A2"].position) == ("already", 1)
    assert outcomes["Agent A3"].state == "refused" and "Autumn" in outcomes["Agent A3"].reason
    assert (outcomes["Agent A4"].state, outcomes["Agent A4"].position) == ("waitlisted", 2)
    assert Enrolment.select().count() == 4


def test_a_coach_acts_only_on_their_teams_and_people_who_moved_follow_their_team(make_module, make_cohort, people):
    cohort = make_cohort(make_module())
    with pytest.raises(Refused):
        cohort_batch.enrol_people(cohort, people["coach_b"], team=people["team_a"])
    with pytest.raises(Refused):
        cohort_batch.enrol_people(cohort, people["coach_a"], user_ids=[people["agent_b"].id])
    with pytest.raises(NotFound):
        cohort_batch.enrol_people(cohort, people["agent"], user_ids=[people["agent"].id])
    mover = people["other_agent"]
    mover.team = people["team_b"]
    mover.save()
    outcomes = cohort_batch.enrol_people(cohort, people["coach_a"], team=people["team_a"])
    assert "Agent A2" not in {o.user.display_name for o in outcomes}
    with pytest.raises(Refused):
        cohort_batch.enrol_people(cohort, people["coach_a"], user_ids=[mover.id])
    outcomes = cohort_batch.enrol_people(cohort, people["coach_b"], team=people["team_b"])
    assert {o.user.display_name for o in outcomes} == {"Agent A2", "Agent B1", "Coach B"}
    everyone = cohort_batch.enrol_people(cohort, people["admin"], team=people["team_a"])
    assert {o.state for o in everyone} == {"already"}


def test_an_ended_cohort_refuses_the_batch_and_writes_nothing(make_module, make_cohort, people):
    cohort = make_cohort(make_module(), starts_on=date.today() - timedelta(days=90),
                         ends_on=date.today() - timedelta(days=1))
    with pytest.raises(Refused):
        cohort_batch.enrol_people(cohort, people["coach_a"], team=people["team_a"])
    assert Enrolment.select().count() == 0


def test_cohort_members_and_the_cohorts_a_coach_may_draw_from(make_module, make_cohort, people):
    module = make_module()
    cohort = make_cohort(module, capacity=1)
    make_cohort(module, title="Long ago", starts_on=date.today() - timedelta(days=90),
                ends_on=date.today() - timedelta(days=1))
    cohort_batch.enrol_people(cohort, people["coach_a"], user_ids=[people["agent"].id, people["other_agent"].id])
    assert {u.display_name for u in cohort_batch.cohort_members(cohort)} == {"Agent A1", "Agent A2"}
    assert [c.title for c in cohort_batch.visible_cohorts(people["coach_b"])] == ["Spring"]


# --- pages ------------------------------------------------------------------------------

def test_the_page_lists_each_person_result(client, login, make_module, make_cohort, people, team_a, foundation):
    cohort = make_cohort(make_module("Emotional support practice", prerequisites=[foundation]), capacity=2)
    for person in team_a[:3]:
        service.complete_by_coach(person, foundation, people["coach_a"], "Onboarding")
    login(people["coach_a"])
    assert "Enrol a team or several people" in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    response = client.post(f"/cohorts/{cohort.id}/enrol-people", data={"team_id": people["team_a"].id})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The result for 6 people" in page
    assert page.count(">Seat<") == 2 and "number 1 in line" in page and page.count(">Refused<") == 3
    assert "Complete “Professional boundaries foundation” first" in page


def test_the_page_refuses_a_stranger_and_writes_nothing(client, login, make_module, make_cohort, people):
    cohort = make_cohort(make_module())
    login(people["coach_a"])
    url = f"/cohorts/{cohort.id}/enrol-people"
    response = client.post(url, data={"team_id": 0, "user_ids": [people["agent_b"].id]})
    assert response.status_code == 400 and "Choose people from the teams you coach." in response.get_data(as_text=True)
    response = client.post(url, data={"team_id": people["team_b"].id})
    assert response.status_code == 400 and Enrolment.select().count() == 0


def test_the_page_from_every_seat(client, login, make_module, make_cohort, people):
    cohort = make_cohort(make_module())
    url = f"/cohorts/{cohort.id}/enrol-people"
    assert client.get(url).status_code == 302   # anonymous: sign in
    for seat, status in {"agent": 403, "coach_b": 200, "coach_a": 200, "admin": 200}.items():
        login(people[seat])
        assert client.get(url).status_code == status, seat
    login(people["coach_a"])
    assert client.get(f"/cohorts/{cohort.id + 999}/enrol-people").status_code == 404


# --- a cohort as the source of people -------------------------------------------------------

@pytest.fixture
def mixed_cohort(make_module, make_cohort, people):
    """A cohort with people of both teams: Agent A1 (team A) and Agent B1 (team B)."""
    cohort = make_cohort(make_module("Listening"))
    cohort_batch.enrol_people(cohort, people["admin"], team=people["team_a"])
    service.leave(Enrolment.get(Enrolment.user == people["other_agent"]), by=people["admin"])
    service.leave(Enrolment.get(Enrolment.user == people["coach_a"]), by=people["admin"])
    service.enrol(cohort, people["agent_b"])
    return cohort


def test_a_cohorts_members_join_another_cohort_only_from_the_coachs_teams(make_module, make_cohort, people,
                                                                         mixed_cohort):
    target = make_cohort(make_module("Difficult calls"))
    outcomes = cohort_batch.enrol_people(target, people["coach_a"], user_ids=[people["other_agent"].id],
                                         source=mixed_cohort)
    assert [(o.user.display_name, o.state) for o in outcomes] == [("Agent A2", "going"), ("Agent A1", "going")]
    with pytest.raises(Refused) as refused:
        cohort_batch.enrol_people(target, people["coach_b"], source=make_cohort(make_module("Empty")))
    assert refused.value.field == "cohort_id"


def test_a_plan_template_goes_to_a_cohorts_members_of_the_coachs_teams(people, competencies, mixed_cohort):
    from learning.coaching import plan_batch
    from learning.coaching import service as coaching
    from learning.coaching.models import Plan
    template = coaching.save_template(people["coach_a"], None, "Foundations", "For new people")
    coaching.add_template_goal(people["coach_a"], template, competencies[0].id, "Hears the customer out", 3, 30)
    today = date.today()
    assigned = plan_batch.assign_template(people["coach_b"], template, "Foundations", today,
                                          today + timedelta(days=90), cohort=mixed_cohort)
    assert [u.display_name for u in assigned.created] == ["Agent B1"]
    assert [p.employee_id for p in Plan.select()] == [people["agent_b"].id]


def test_the_cohort_choice_on_the_series_and_plan_forms(client, login, people, mixed_cohort, competencies):
    from learning.coaching import service as coaching
    from learning.coaching.models import Plan
    template = coaching.save_template(people["coach_a"], None, "Foundations", "For new people")
    coaching.add_template_goal(people["coach_a"], template, competencies[0].id, "Hears the customer out", 3, 30)
    login(people["coach_a"])
    url = f"/coaching/templates/{template.id}/assign"
    assert "Listening: Spring" in client.get(url).get_data(as_text=True)
    today = date.today()
    form = {"team_id": 0, "cohort_id": mixed_cohort.id, "title": "Foundations", "start_date": today.isoformat(),
            "review_date": (today + timedelta(days=30)).isoformat()}
    response = client.post(url, data=form)
    assert response.status_code == 200 and "1 plan created" in response.get_data(as_text=True)
    assert [p.employee_id for p in Plan.select()] == [people["agent"].id]
    response = client.post(url, data={**form, "cohort_id": mixed_cohort.id + 999})
    assert response.status_code == 400 and Plan.select().count() == 1


def test_a_cohorts_members_of_the_coachs_teams_get_every_future_session_of_a_series(client, login, people,
                                                                                   mixed_cohort, new_series):
    from learning.schedule import enrolment
    from learning.schedule.models import Rsvp
    from learning.schedule.recurrence import build_rule
    from tests.fixtures_schedule import next_weekday_at
    first = next_weekday_at(10, days_ahead=3)
    series = new_series(title="Weekly listening", first_start_local=first, capacity=2, team=people["team_a"],
                        rrule=build_rule("weekly", first, count=3), created_by=people["coach_a"])
    outcomes = enrolment.enrol_in_series(series, people["coach_a"], cohort_id=mixed_cohort.id,
                                         user_ids=[people["other_agent"].id])
    assert [(o.user.display_name, o.going) for o in outcomes] == [("Agent A2", 3), ("Agent A1", 3)]
    with pytest.raises(Refused) as refused:
        enrolment.enrol_in_series(series, people["coach_a"], cohort_id=mixed_cohort.id + 999)
    assert refused.value.field == "cohort_id"
    login(people["coach_a"])
    assert "Listening: Spring" in client.get(f"/series/{series.id}/enrol").get_data(as_text=True)
    response = client.post(f"/series/{series.id}/enrol", data={"team_id": 0, "cohort_id": mixed_cohort.id})
    assert response.status_code == 200 and "Enrolled 1 person" in response.get_data(as_text=True)
    assert Rsvp.select().where(Rsvp.user == people["agent_b"]).count() == 0

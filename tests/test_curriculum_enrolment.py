"""Enrolment: capacity and waitlist through the shared seats, twice refused, leaving keeps progress."""
import threading
from datetime import date, timedelta

import pytest
from blinker import signal

from learning.curriculum import authoring, service
from learning.curriculum.models import Enrolment, Unit, UnitProgress
from learning.curriculum.service import CurriculumError
from learning.db import db


def test_a_full_cohort_puts_the_next_person_on_the_waitlist(make_module, make_cohort, people):
    cohort = make_cohort(make_module(), capacity=1)
    first = service.enrol(cohort, people["agent"])
    second = service.enrol(cohort, people["other_agent"])
    assert (first.status, second.status) == ("going", "waitlisted")
    assert service.SEATS.waitlist_position(second) == 1


def test_leaving_promotes_the_first_in_line_and_says_so(make_module, make_cohort, people):
    cohort = make_cohort(make_module(), capacity=1)
    first = service.enrol(cohort, people["agent"])
    service.enrol(cohort, people["other_agent"])
    seen = []
    receiver = lambda sender, **kw: seen.append((sender.user_id, kw["old_status"], kw["promoted"]))  # noqa: E731
    signal("curriculum.enrolment-changed").connect(receiver)
    try:
        service.leave(first)
    finally:
        signal("curriculum.enrolment-changed").disconnect(receiver)
    assert Enrolment.get(Enrolment.user == people["other_agent"]).status == "going"
    assert (people["agent"].id, "going", False) in seen
    assert (people["other_agent"].id, "waitlisted", True) in seen


def test_enrolling_twice_is_refused_with_nothing_written(make_module, make_cohort, people):
    module = make_module()
    cohort, later = make_cohort(module), make_cohort(module, title="Autumn")
    service.enrol(cohort, people["agent"])
    for target in (cohort, later):
        with pytest.raises(CurriculumError) as refusal:
            service.enrol(target, people["agent"])
        assert "already enrolled" in str(refusal.value)
    assert Enrolment.select().count() == 1


def test_a_cohort_that_has_ended_takes_no_enrolment(make_module, make_cohort, people):
    cohort = make_cohort(make_module(), starts_on=date.today() - timedelta(days=90),
                         ends_on=date.today() - timedelta(days=1))
    with pytest.raises(CurriculumError):
        service.enrol(cohort, people["agent"])
    assert Enrolment.select().count() == 0


def test_a_cohort_ending_before_it_starts_is_refused(make_module, people):
    module = make_module()
    with pytest.raises(CurriculumError) as refusal:
        authoring.save_cohort(None, module, people["coach_a"], "Backwards", date(2030, 5, 1), date(2030, 4, 1))
    assert refusal.value.field == "ends_on"
    assert module.cohorts.count() == 0


def test_the_cohort_form_shows_a_backwards_date_beside_the_field(make_module, people, login):
    module = make_module()
    client = login(people["coach_a"])
    response = client.post(f"/modules/{module.id}/cohorts/new", data={
        "title": "Backwards", "starts_on": "2030-05-01", "ends_on": "2030-04-01", "capacity": "5"})
    assert "The end date must be on or after the start date." in response.get_data(as_text=True)
    assert module.cohorts.count() == 0



@pytest.mark.parametrize("capacity", [0, -2, 10001])
def test_a_cohort_and_a_session_refuse_the_same_capacities_with_the_same_words(make_module, people, login,
                                                                              new_series, capacity):
    """One capacity rule for every kind of place (learning.schedule.seats)."""
    from learning.schedule import editing
    from learning.schedule.service import ScheduleError

    module = make_module()
    with pytest.raises(CurriculumError) as cohort_refusal:
        authoring.save_cohort(None, module, people["coach_a"], "Too many", date(2030, 5, 1), date(2030, 6, 1), capacity)
    session = new_series().sessions.get()
    with pytest.raises(ScheduleError) as session_refusal:
        editing.set_capacity(session, capacity)
    assert cohort_refusal.value.field == session_refusal.value.field == "capacity"
    assert str(cohort_refusal.value) == str(session_refusal.value) == (
        "Capacity is a number of seats from 1 to 10000, or empty for no limit.")
    response = login(people["coach_a"]).post(f"/modules/{module.id}/cohorts/new", data={
        "title": "Too many", "starts_on": "2030-05-01", "ends_on": "2030-06-01", "capacity": str(capacity)})
    assert "Capacity is a number of seats from 1 to 10000" in response.get_data(as_text=True)
    assert module.cohorts.count() == 0

def test_raising_the_capacity_promotes_from_the_waitlist(make_module, make_cohort, people):
    module = make_module()
    cohort = make_cohort(module, capacity=1)
    service.enrol(cohort, people["agent"])
    waiting = service.enrol(cohort, people["other_agent"])
    authoring.save_cohort(cohort, module, people["coach_a"], cohort.title, cohort.starts_on, cohort.ends_on, 2)
    assert Enrolment.get_by_id(waiting.id).status == "going"


def test_leaving_keeps_unit_progress_for_a_later_cohort(make_module, make_cohort, people):
    module = make_module(units=3)
    spring, autumn = make_cohort(module), make_cohort(module, title="Autumn")
    place = service.enrol(spring, people["agent"])
    first_unit = module.units.order_by(Unit.position).first()
    service.tick_unit(people["agent"], first_unit)
    service.leave(place)
    service.enrol(autumn, people["agent"])
    status = service.module_status_for(people["agent"], [module])[module.id]
    assert (status.state, status.units_done, status.units_total) == ("enrolled", 1, 3)
    assert status.enrolment.cohort_id == autumn.id


def test_thirty_people_racing_for_five_places_get_five_places_and_a_waitlist(make_module, make_cohort, make_user,
                                                                              people, app):
    cohort = make_cohort(make_module(), capacity=5)
    agents = [make_user("agent", team=people["team_a"]) for _ in range(30)]
    db.close()
    barrier, errors = threading.Barrier(30), []

    def claim(agent):
        try:
            db.connect(reuse_if_open=True)
            barrier.wait()
            service.enrol(cohort, agent)
        except Exception as error:  # the test reports any failure below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=claim, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.connect(reuse_if_open=True)
    assert errors == []
    places = list(Enrolment.select().where(Enrolment.cohort == cohort))
    assert len(places) == 30
    assert sum(p.status == "going" for p in places) == 5
    assert sorted(p.queue_number for p in places) == list(range(1, 31))


def test_unit_ticks_are_kept_once_per_person(make_module, make_cohort, people):
    module = make_module(units=2)
    service.enrol(make_cohort(module), people["agent"])
    unit = module.units.first()
    service.tick_unit(people["agent"], unit)
    service.tick_unit(people["agent"], unit)
    assert UnitProgress.select().count() == 1
    service.tick_unit(people["agent"], unit, done=False)
    assert UnitProgress.select().count() == 0


def test_ticking_a_unit_without_an_enrolment_is_refused(make_module, make_cohort, people, login):
    module = make_module(units=2)
    cohort = make_cohort(module, capacity=1)
    service.enrol(cohort, people["other_agent"])
    service.enrol(cohort, people["agent"])  # waitlisted: not enrolled yet
    unit = module.units.first()
    with pytest.raises(CurriculumError):
        service.tick_unit(people["agent"], unit)
    response = login(people["agent_b"]).post(f"/units/{unit.id}/tick", follow_redirects=True)
    assert "Enrol in a cohort of this module" in response.get_data(as_text=True)
    assert UnitProgress.select().count() == 0


def test_self_enrolment_page_flow(make_module, make_cohort, people, login):
    module = make_module(units=1)
    cohort = make_cohort(module, capacity=1)
    client = login(people["agent"])
    response = client.post(f"/cohorts/{cohort.id}/enrol", follow_redirects=True)
    assert f"You are enrolled in {cohort.title}." in response.get_data(as_text=True)
    response = login(people["other_agent"]).post(f"/cohorts/{cohort.id}/enrol", follow_redirects=True)
    assert "you are on the waitlist, position 1" in response.get_data(as_text=True)


def test_a_locked_enrolment_on_the_page_links_the_missing_module(make_module, make_cohort, people, login):
    foundation = make_module("Professional boundaries foundation")
    technique = make_module("Cultural sensitivity", prerequisites=[foundation])
    cohort = make_cohort(technique)
    response = login(people["agent"]).post(f"/cohorts/{cohort.id}/enrol", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Complete “Professional boundaries foundation” first." in html
    assert f'href="/modules/{foundation.id}"' in html
    assert Enrolment.select().count() == 0


def test_a_coach_enrols_a_team_member_with_an_override_from_the_cohort_page(make_module, make_cohort, people, login):
    foundation = make_module("Professional boundaries foundation")
    cohort = make_cohort(make_module("Digital client relations", prerequisites=[foundation]))
    client = login(people["coach_a"])
    client.post(f"/cohorts/{cohort.id}/participants", data={"person": people["agent"].id,
                                                          "override_note": "Led the chat pilot"})
    place = Enrolment.get(Enrolment.user == people["agent"])
    assert place.override_note == "Led the chat pilot"
    assert "Led the chat pilot" in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_participants_hold_places_at_the_cohorts_upcoming_sessions_while_enrolled(make_module, make_cohort, people):
    from learning.schedule.models import Rsvp, Session

    cohort = make_cohort(make_module(), capacity=1, sessions=3)  # one session past, two upcoming
    first = service.enrol(cohort, people["agent"])
    service.enrol(cohort, people["other_agent"])

    def going(user):
        return (Rsvp.select().join(Session)
                .where(Rsvp.user == user, Rsvp.status == "going", Session.series == cohort.series_id).count())

    assert (going(people["agent"]), going(people["other_agent"])) == (2, 0)
    service.leave(first)
    assert (going(people["agent"]), going(people["other_agent"])) == (0, 2)

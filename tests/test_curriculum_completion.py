"""Completion: by rule (all units and every session attended) or by a coach with a note; refreshers."""
from datetime import timedelta

import pytest
from blinker import signal

from learning.curriculum import service
from learning.curriculum.models import Completion, Unit
from learning.db import utcnow
from learning.refusals import Refused
from learning.schedule.models import Rsvp, Session
from tests.fixtures_curriculum import record_attendance


def tick_all(user, module):
    completion = None
    for unit in module.units.order_by(Unit.position):
        completion = service.tick_unit(user, unit)
    return completion


def test_ticking_every_unit_completes_a_module_without_sessions_and_says_so(make_module, make_cohort, people):
    module = make_module(units=2)
    service.enrol(make_cohort(module), people["agent"])
    seen = []
    receiver = lambda sender, **kw: seen.append(sender.id)  # noqa: E731
    signal("curriculum.module-completed").connect(receiver)
    try:
        completion = tick_all(people["agent"], module)
    finally:
        signal("curriculum.module-completed").disconnect(receiver)
    assert completion.method == "rule" and seen == [completion.id]
    status = service.module_status_for(people["agent"], [module])[module.id]
    assert status.state == "completed" and status.completion.completed_at is not None


def test_units_alone_do_not_complete_while_sessions_are_unattended(make_module, make_cohort, people):
    module = make_module(units=1)
    cohort = make_cohort(module, sessions=2)
    service.enrol(cohort, people["agent"])
    assert tick_all(people["agent"], module) is None
    assert Completion.select().count() == 0
    record_attendance(cohort, people["agent"], attendance="no_show")
    assert service.complete_if_rule_met(people["agent"], cohort) is None


def test_recorded_attendance_completes_a_participant_whose_units_are_done(make_module, make_cohort, people):
    module = make_module(units=1)
    cohort = make_cohort(module, sessions=2)
    service.enrol(cohort, people["agent"])
    tick_all(people["agent"], module)
    record_attendance(cohort, people["agent"])
    last = Session.select().where(Session.series == cohort.series_id).order_by(Session.starts_at.desc()).first()
    signal("schedule.attendance-recorded").send(last, rsvps=list(Rsvp.select().where(Rsvp.session == last)))
    completion = Completion.get(Completion.user == people["agent"])
    assert completion.method == "rule" and completion.cohort_id == cohort.id


def test_attending_first_then_the_last_unit_completes(make_module, make_cohort, people):
    module = make_module(units=2)
    cohort = make_cohort(module, sessions=1)
    service.enrol(cohort, people["agent"])
    record_attendance(cohort, people["agent"])
    assert tick_all(people["agent"], module) is not None


def test_a_coach_completes_with_a_note_that_is_kept(make_module, make_cohort, people, login):
    module = make_module(units=3)
    cohort = make_cohort(module)
    place = service.enrol(cohort, people["agent"])
    client = login(people["coach_a"])
    client.post(f"/cohorts/{cohort.id}/participants/{place.id}/complete", data={"note": "Showed it on the floor"})
    completion = Completion.get(Completion.user == people["agent"])
    assert (completion.method, completion.note, completion.recorded_by_id) == (
        "coach", "Showed it on the floor", people["coach_a"].id)
    assert "Showed it on the floor" in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_a_coach_completion_needs_a_note_and_a_coached_person(make_module, people):
    module = make_module()
    with pytest.raises(Refused):
        service.complete_by_coach(people["agent"], module, people["coach_a"], " ")
    with pytest.raises(Refused):
        service.complete_by_coach(people["agent"], module, people["coach_b"], "Not my team")
    assert Completion.select().count() == 0


def test_a_completion_expires_after_the_validity_and_comes_due_thirty_days_ahead(make_module, people):
    module = make_module(validity_months=12)
    now = utcnow()
    completion = service.complete_by_coach(people["agent"], module, people["coach_a"], "Done",
                                           now=now - timedelta(days=350))
    assert completion.expires_at == service.add_months(now - timedelta(days=350), 12)
    assert service.module_status_for(people["agent"], [module])[module.id].state == "coming_due"
    assert service.module_status_for(people["agent"], [module], now=now - timedelta(days=300))[module.id].state \
        == "completed"
    assert service.module_status_for(people["agent"], [module], now=now + timedelta(days=30))[module.id].state \
        == "expired"


def test_an_expired_foundation_locks_its_dependants_again_until_refreshed(make_module, make_cohort, people):
    foundation = make_module("Professional boundaries foundation", validity_months=12)
    technique = make_module("Emotional support practice", prerequisites=[foundation])
    service.complete_by_coach(people["agent"], foundation, people["coach_a"], "Done",
                              now=utcnow() - timedelta(days=400))
    status = service.module_status_for(people["agent"], [technique])[technique.id]
    assert status.state == "locked" and status.missing.id == foundation.id and "expired" in status.message
    with pytest.raises(Refused):
        service.enrol(make_cohort(technique), people["agent"])
    service.complete_by_coach(people["agent"], foundation, people["coach_a"], "Refreshed")
    assert service.module_status_for(people["agent"], [technique])[technique.id].state == "available"


def test_refreshers_coming_due_show_to_the_person_and_their_coach(make_module, people, login):
    module = make_module("Emotional support practice", validity_months=12)
    service.complete_by_coach(people["agent"], module, people["coach_a"], "Done",
                              now=utcnow() - timedelta(days=355))
    mine = login(people["agent"]).get("/").get_data(as_text=True)
    assert "Refresher due" in mine and "Emotional support practice" in mine
    coach = login(people["coach_a"]).get("/").get_data(as_text=True)
    assert "Refreshers in your teams" in coach and people["agent"].display_name in coach
    other = login(people["coach_b"]).get("/").get_data(as_text=True)
    assert people["agent"].display_name not in other


def test_a_valid_completion_refuses_a_new_enrolment_but_a_coming_due_one_allows_a_refresher(
        make_module, make_cohort, people):
    module = make_module(validity_months=12)
    cohort = make_cohort(module)
    service.complete_by_coach(people["agent"], module, people["coach_a"], "Done")
    with pytest.raises(Refused):
        service.enrol(cohort, people["agent"])
    service.complete_by_coach(people["other_agent"], module, people["coach_a"], "Done",
                              now=utcnow() - timedelta(days=350))
    assert service.enrol(cohort, people["other_agent"]).status == "going"

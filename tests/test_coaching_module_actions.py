"""A "complete a module" action can enrol the employee in a cohort, through the
modules' prerequisite rule, which a coach may override with a note."""
import pytest

from learning.coaching.models import Action
from learning.coaching.service import add_action
from learning.curriculum.models import Enrolment
from learning.refusals import Refused


def test_action_with_a_cohort_enrols_the_employee(plan, people, make_module, make_cohort):
    module = make_module("Digital client relations")
    cohort = make_cohort(module)
    add_action(people["coach_a"], plan, "complete_module", "Take the module", module_id=module.id, cohort_id=cohort.id)
    place = Enrolment.get(Enrolment.cohort == cohort, Enrolment.user == people["agent"])
    assert place.status == "going"
    assert Action.get(Action.plan == plan).module_id == module.id


def test_missing_prerequisite_refuses_and_writes_nothing(plan, people, make_module, make_cohort):
    foundation = make_module("Professional boundaries foundation")
    technique = make_module("Handling angry callers", prerequisites=[foundation])
    cohort = make_cohort(technique)
    with pytest.raises(Refused, match="override note") as refused:
        add_action(people["coach_a"], plan, "complete_module", "Take it", module_id=technique.id, cohort_id=cohort.id)
    assert refused.value.field == "cohort_id"
    assert Action.select().where(Action.plan == plan).count() == 0
    assert Enrolment.select().count() == 0


def test_coach_override_with_a_note_enrols_and_keeps_the_note(plan, people, make_module, make_cohort):
    foundation = make_module("Professional boundaries foundation")
    technique = make_module("Handling angry callers", prerequisites=[foundation])
    cohort = make_cohort(technique)
    add_action(people["coach_a"], plan, "complete_module", "Take it", module_id=technique.id, cohort_id=cohort.id,
               override_note="Did the foundation at her previous employer")
    place = Enrolment.get(Enrolment.cohort == cohort, Enrolment.user == people["agent"])
    assert place.override_note == "Did the foundation at her previous employer"


def test_a_cohort_of_another_module_is_refused(plan, people, make_module, make_cohort):
    first, second = make_module("One"), make_module("Two")
    with pytest.raises(Refused, match="cohort of the chosen module"):
        add_action(people["coach_a"], plan, "complete_module", "Take it", module_id=first.id,
                   cohort_id=make_cohort(second).id)
    assert Enrolment.select().count() == 0

"""Prerequisites: boundaries first, coaches may override with a kept note, cycles are refused."""
import pytest

from learning.curriculum import authoring, service
from learning.curriculum.models import Enrolment, Prerequisite
from learning.refusals import Refused


@pytest.fixture
def foundation(make_module):
    return make_module("Professional boundaries foundation", area="Professional boundaries")


@pytest.fixture
def technique(make_module, foundation):
    return make_module("Emotional support practice", prerequisites=[foundation])


def test_enrolment_without_the_foundation_is_refused_naming_it(technique, foundation, make_cohort, people):
    cohort = make_cohort(technique)
    with pytest.raises(Refused) as refusal:
        service.enrol(cohort, people["agent"])
    assert "Professional boundaries foundation" in str(refusal.value)
    assert refusal.value.missing.id == foundation.id
    assert Enrolment.select().count() == 0


def test_prerequisite_problem_names_the_missing_module_until_it_is_completed(technique, foundation, people):
    message, missing = service.prerequisite_problem(people["agent"], technique)
    assert missing.id == foundation.id and "Complete" in message
    service.complete_by_coach(people["agent"], foundation, people["coach_a"], "Done in onboarding")
    assert service.prerequisite_problem(people["agent"], technique) is None


def test_a_coach_overrides_a_missing_prerequisite_with_a_note_that_is_kept(technique, make_cohort, people):
    cohort = make_cohort(technique)
    place = service.enrol(cohort, people["agent"], by=people["coach_a"], override_note="Ten years in care work")
    assert place.status == "going"
    stored = Enrolment.get_by_id(place.id)
    assert stored.override_note == "Ten years in care work" and stored.enrolled_by_id == people["coach_a"].id


def test_an_override_without_a_note_is_refused(technique, make_cohort, people):
    cohort = make_cohort(technique)
    with pytest.raises(Refused) as refusal:
        service.enrol(cohort, people["agent"], by=people["coach_a"], override_note="  ")
    assert refusal.value.field == "override_note"
    assert Enrolment.select().count() == 0


def test_an_agent_cannot_override_for_themselves_with_a_note(technique, make_cohort, people):
    cohort = make_cohort(technique)
    with pytest.raises(Refused):
        service.enrol(cohort, people["agent"], override_note="I know this already")
    assert Enrolment.select().count() == 0


def test_a_coach_of_another_team_cannot_enrol_someone(technique, foundation, make_cohort, people):
    service.complete_by_coach(people["agent"], foundation, people["coach_a"], "Done")
    with pytest.raises(Refused):
        service.enrol(make_cohort(technique), people["agent"], by=people["coach_b"])
    assert Enrolment.select().count() == 0


def test_a_cycle_is_refused_naming_it_and_nothing_changes(make_module, people):
    a = make_module("A")
    b = make_module("B", prerequisites=[a])
    with pytest.raises(Refused) as refusal:
        authoring.save_module(a, people["coach_a"], "A", "", "Area", 4, prerequisite_ids=[b.id])
    assert "A → B → A" in str(refusal.value)
    assert [(p.module_id, p.requires_id) for p in Prerequisite.select()] == [(b.id, a.id)]


def test_a_longer_cycle_is_named_in_full(make_module, people):
    a = make_module("A")
    b = make_module("B", prerequisites=[a])
    c = make_module("C", prerequisites=[b])
    with pytest.raises(Refused) as refusal:
        authoring.save_module(a, people["coach_a"], "A renamed", "", "Area", 4, prerequisite_ids=[c.id])
    assert "A renamed → C → B → A renamed" in str(refusal.value)
    assert authoring.visible_module(people["coach_a"], a.id).title == "A"


def test_a_module_cannot_require_itself(make_module, people):
    a = make_module("A")
    with pytest.raises(Refused) as refusal:
        authoring.save_module(a, people["coach_a"], "A", "", "Area", 4, prerequisite_ids=[a.id])
    assert "A → A" in str(refusal.value)


def test_the_edit_form_shows_the_cycle_and_saves_nothing(make_module, people, login):
    a = make_module("A")
    b = make_module("B", prerequisites=[a])
    client = login(people["coach_a"])
    response = client.post(f"/modules/{a.id}/edit", data={
        "title": "A", "area": "Area", "estimated_hours": "4", "prerequisites": [str(b.id)]})
    assert response.status_code == 200
    assert "A → B → A" in response.get_data(as_text=True)
    assert Prerequisite.select().where(Prerequisite.module == a).count() == 0

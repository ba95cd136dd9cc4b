"""Curriculum fixtures: modules with units, a foundation prerequisite, and cohorts whose
sessions are rows of a "module" series in the schedule."""
from datetime import date, datetime, timedelta

import pytest

from learning.curriculum import authoring, service
from learning.curriculum.models import Cohort
from learning.schedule.models import Rsvp, Series, Session


@pytest.fixture
def curriculum_context(app):
    """An application context around the test, as in a request or the CLI: enrolment claims
    session places, and the schedule's subscribers (notices, invitations) read the app's config."""
    with app.app_context():
        yield


@pytest.fixture
def make_module(people, curriculum_context):
    counter = iter(range(1, 10000))

    def factory(title=None, units=2, prerequisites=(), published=True, area="Emotional support", validity_months=None,
                by=None):
        module = authoring.save_module(None, by or people["coach_a"], title or f"Module {next(counter)}",
                                       "A module.", area, 4, validity_months,
                                       prerequisite_ids=[p.id for p in prerequisites])
        for n in range(1, units + 1):
            authoring.save_unit(None, module, f"Unit {n}", f"Material **{n}**")
        if published:
            authoring.set_published(module, True)
        return module
    return factory


@pytest.fixture
def make_cohort(people):
    def factory(module, capacity=None, sessions=0, starts_on=None, ends_on=None, title="Spring"):
        series = None
        if sessions:
            series = make_module_series(people["coach_a"], module.title, sessions)
        starts_on = starts_on or date.today() - timedelta(days=7)
        return authoring.save_cohort(None, module, people["coach_a"], title, starts_on,
                                     ends_on or starts_on + timedelta(days=60), capacity,
                                     series.id if series else None)
    return factory


def make_module_series(created_by, title, sessions):
    """A "module" series with `sessions` weekly sessions, the first six days ago (rows made directly:
    the schedule service refuses a first session in the past)."""
    first = datetime.utcnow().replace(microsecond=0, second=0) - timedelta(days=6)
    series = Series.create(kind="module", title=title, duration_minutes=90, timezone="Europe/Berlin",
                           first_start_local=first, created_by=created_by)
    for n in range(sessions):
        start = first + timedelta(weeks=n)
        Session.create(series=series, uid=f"{series.id}-{n}@test", recurrence_local=start, starts_at=start,
                       ends_at=start + timedelta(minutes=90), timezone="Europe/Berlin")
    return series


def record_attendance(cohort, user, attendance="attended"):
    """The user's attendance at every session of the cohort's series (as the schedule would record it)."""
    for number, session in enumerate(Session.select().where(Session.series == cohort.series_id), start=1):
        place = Rsvp.get_or_none(Rsvp.session == session, Rsvp.user == user) or Rsvp(
            session=session, user=user, status="going", queue_number=100 + number)
        place.attendance, place.attendance_recorded_at = attendance, datetime.utcnow()
        place.save()


def cohort_by_id(cohort_id):
    return Cohort.get_by_id(cohort_id)


def curriculum_object(world, name):
    """Objects for the generated route tests (tests/test_trust_routes.py): a published module,
    its cohort, the owner's enrolment (made once per world), and a fresh unit per call, since
    one route deletes units."""
    if "curriculum_module" not in world:
        owner = world["owner"]
        module = authoring.save_module(None, owner, "Route check module", "", "Area", 2)
        authoring.set_published(module, True)
        cohort = authoring.save_cohort(None, module, owner, "Route check cohort", date.today(),
                                       date.today() + timedelta(days=30), 10)
        place = service.enrol(cohort, owner)
        world.update(curriculum_module=module, curriculum_cohort=cohort, curriculum_enrolment=place)
    if name == "unit":
        return authoring.save_unit(None, world["curriculum_module"], "Route check unit").id
    return world[f"curriculum_{name}"].id

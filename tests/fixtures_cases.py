"""Case-review fixtures: meetups (Series/Session/Rsvp rows), cases in any state."""
import itertools
from datetime import timedelta

import pytest

from learning.cases import meetups as meetup_service
from learning.cases import service
from learning.db import utcnow
from learning.schedule import editing
from learning.schedule import service as schedule
from learning.timezones import to_local
from learning.schedule.models import Rsvp, Series, Session

CASE_TEXT = {
    "title": "Parcel stuck in the depot for a week",
    "customer_need": "She needed the birthday present by Friday and was **anxious**.",
    "actions": "I listened, checked the depot scan and promised a call back.",
    "outcome": "The depot released it on Thursday.",
    "ask": "How do I promise less and still reassure?",
}


def case_data(**changes):
    data = dict(CASE_TEXT, channel="phone", heaviness=None, anonymous=False, meetup_id=None, competency_ids=[])
    data.update(changes)
    return data


@pytest.fixture
def make_meetup(app, people):
    """A case-review meetup: team=None is programme-wide; `going` people hold a place.

    A new series goes through the schedule's service (one-off, a week ahead), then its
    session is moved or cancelled as asked; further sessions of a series are inserted rows.
    Places go through the schedule's RSVP for open sessions (a coach adds people from
    outside a team meetup's team), as rows otherwise (past ones).
    """
    counter = itertools.count(1)

    def factory(**options):
        with app.test_request_context():  # the schedule's signal subscribers build links
            return create(**options)

    def create(team=None, starts_in=timedelta(days=7), going=(), status="scheduled", facilitator=None,
               series=None, title="Case-review meetup"):
        n = next(counter)
        starts = utcnow() + starts_in
        if series is None:
            first = to_local(utcnow() + timedelta(days=7), "Europe/Berlin").replace(tzinfo=None, second=0)
            series = schedule.create_series(people["admin"], "case_review", title, "Europe/Berlin", first, 60,
                                            team=team)
            session = Session.get(Session.series == series)
        else:
            session = Session.create(series=series, uid=f"meetup-{n}-{series.id}@test", recurrence_local=starts,
                                     starts_at=starts, ends_at=starts, timezone="Europe/Berlin")
        Session.update(starts_at=starts, ends_at=starts + timedelta(hours=1), facilitator=facilitator).where(
            Session.id == session.id).execute()
        session = Session.get_by_id(session.id)
        for number, person in enumerate(going, start=1):
            if starts_in > timedelta(0) and schedule.may_take_place(person, session):
                schedule.rsvp(session, person)
            elif starts_in > timedelta(0):
                editing.add_person(session, person)
            else:
                Rsvp.create(session=session, user=person, status="going", queue_number=number)
        if status != "scheduled":
            Session.update(status=status).where(Session.id == session.id).execute()
        return meetup_or_reload(session.id)
    return factory


def meetup_or_reload(session_id):
    return meetup_service.meetup_or_none(session_id)


@pytest.fixture
def make_case(app):
    """A case by `author`, submitted unless status="draft" (text through the real service)."""
    def factory(author, status="submitted", **changes):
        case = service.save_case(author, None, case_data(**changes), submit=status != "draft")
        return case
    return factory


@pytest.fixture
def scheduled_case(make_case, make_meetup, people):
    """A submitted case by the agent placed on a team-A meetup run by coach A; other_agent is going."""
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    case = make_case(people["agent"])
    meetup_service.add_to_agenda(people["coach_a"], meetup, case.id, 20)
    return case.__class__.get_by_id(case.id), meetup


def trust_case_world(world):
    """For tests/test_trust_routes.py: the owner's heavy case, discussed at a team meetup the
    owner goes to, with its agenda item and debrief prompt (built once per world)."""
    if "case_world" not in world:
        from learning.cases.models import AgendaItem, DebriefPrompt

        owner, coach = world["owner"], world["coach_same"]
        series = Series.create(kind="case_review", title="Route check meetup", duration_minutes=60,
                               timezone="UTC", first_start_local=utcnow(), team=owner.team_id,
                               created_by=world["admin"])
        starts = utcnow() + timedelta(days=3)
        session = Session.create(series=series, uid="route-check@test", recurrence_local=starts, starts_at=starts,
                                 ends_at=starts + timedelta(hours=1), timezone="UTC")
        Rsvp.create(session=session, user=owner, status="going", queue_number=1)
        case = service.save_case(owner, None, case_data(heaviness=5), submit=True)
        meetup = meetup_service.meetup_or_none(session.id)
        meetup_service.add_to_agenda(coach, meetup, case.id, 15)
        meetup_service.record_takeaways(coach, case.__class__.get_by_id(case.id), "a", "b", "c", [])
        world["case_world"] = {"case": case, "session": session, "item": AgendaItem.get(AgendaItem.case == case),
                               "prompt": DebriefPrompt.get(DebriefPrompt.case == case)}
    return world["case_world"]

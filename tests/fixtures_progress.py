"""Fixtures for progress: attended sessions and service measures at fixed places
in the last twelve months, so pages can be checked against hand-computed numbers."""
from datetime import datetime, timedelta

import pytest

from learning.progress.models import MeasureDefinition, ServiceMeasure
from learning.progress.periods import add_months, last_months
from learning.schedule.models import Rsvp, Series, Session, SessionFeedback

ZONE = "Europe/Berlin"


@pytest.fixture
def months(app):
    """The first days of the twelve months the pages show (Europe/Berlin), oldest first."""
    return last_months(ZONE, 12)


@pytest.fixture
def record_session(app, people):
    """record_session(month, {user: attendance}, kind="skill", day=10) -> Session at 12:00 UTC that day."""
    series_by_kind = {}
    counter = iter(range(1, 100000))

    def factory(month, attendance, kind="skill", day=10, feedback=None, title=None):
        title = title or f"{kind} series"
        if title not in series_by_kind:
            series_by_kind[title] = Series.create(
                kind=kind, title=title, duration_minutes=60, timezone=ZONE,
                first_start_local=datetime(2025, 1, 1, 13), created_by=people["admin"])
        starts = datetime(month.year, month.month, day, 12, 0)
        n = next(counter)
        session = Session.create(series=series_by_kind[title], uid=f"s{n}@test", recurrence_local=starts,
                                 starts_at=starts, ends_at=starts + timedelta(hours=1), timezone=ZONE)
        for q, (user, state) in enumerate(attendance.items()):
            Rsvp.create(session=session, user=user, status="going", queue_number=q + 1, attendance=state)
        for user, rating in (feedback or {}).items():
            SessionFeedback.create(session=session, user=user, rating=rating)
        return session
    return factory


@pytest.fixture
def record_measure(app):
    def factory(user, month, name, value):
        measure = MeasureDefinition.get(MeasureDefinition.name == name)
        return ServiceMeasure.create(user=user, month=month, measure=measure, value=value)
    return factory


@pytest.fixture
def agent_year(people, months, record_session, record_measure):
    """The agent attended 2 sessions two months ago, 1 last month and 1 this month (a run of 3),
    1 four months ago; was a no-show once and excused once last month. CSAT 80 -> 90."""
    agent = people["agent"]
    this, last, two_ago, four_ago = months[-1], months[-2], months[-3], months[-5]
    record_session(four_ago, {agent: "attended"})
    record_session(two_ago, {agent: "attended"}, day=5)
    record_session(two_ago, {agent: "attended"}, day=20, kind="case_review")
    record_session(last, {agent: "attended", people["other_agent"]: "attended"})
    record_session(last, {agent: "no_show"}, day=12)
    record_session(last, {agent: "excused"}, day=14)
    record_session(this, {agent: "attended"}, day=1)
    record_measure(agent, two_ago, "csat", 80.0)
    record_measure(agent, last, "csat", 90.0)
    record_measure(people["other_agent"], last, "csat", 50.0)
    return agent

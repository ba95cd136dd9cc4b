"""Coaching fixtures: a small framework, a plan for the team-A agent, a scheduled check-in."""
from datetime import date, datetime, timedelta

import pytest

from learning.competencies.service import save_competency


@pytest.fixture
def competencies(app):
    levels = [f"Level {n} behaviour" for n in range(1, 6)]
    return [save_competency(None, name, "Service principles", "", i, levels)
            for i, name in enumerate(["Listen fully", "Ask targeted questions", "Own the issue"])]


@pytest.fixture
def plan(people, competencies):
    from learning.coaching.service import create_plan

    today = date.today()
    return create_plan(people["coach_a"], people["agent"], "Listening plan", [competencies[0].id],
                       today, today + timedelta(days=90))


def future_local(days=7, hour=10):
    """A wall-clock datetime `days` ahead at `hour`:00."""
    return datetime.combine(date.today() + timedelta(days=days), datetime.min.time()).replace(hour=hour)


@pytest.fixture
def checkin(plan, people):
    from learning.coaching.checkins import schedule_checkin

    return schedule_checkin(people["coach_a"], plan, future_local(), 30, "https://meet.example.com/abc")


@pytest.fixture
def caught_signals():
    """`caught_signals("coaching.plan-assigned")` -> list of (sender, kwargs) received while the test runs."""
    from blinker import signal

    received, connected = [], []

    def catch(name):
        events = []

        def receiver(sender, **kwargs):
            events.append((sender, kwargs))
        signal(name).connect(receiver)
        connected.append((name, receiver))
        received.append(events)
        return events
    yield catch
    for name, receiver in connected:
        signal(name).disconnect(receiver)

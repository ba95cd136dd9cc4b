"""Coaching fixtures: a small framework, a plan for the team-A agent, a scheduled check-in."""
from datetime import date, datetime, time, timedelta

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


# --- declarations for the route-by-role test (tests/test_trust_routes.py) -------------
# The owner is a team-A agent; "coach_same" coaches team A. Coaching objects are made
# on first use and kept in the test's world.

def coaching_world(world):
    if "coaching" not in world:
        from learning.accounts.service import coaches_of
        from learning.coaching import checkin_series, checkins, service

        owner, competency = world["owner"], world["competency"]
        coach = coaches_of(owner)[0]
        request = service.ask_for_support(owner, [competency.id], "Route check")
        plan = service.create_plan(coach, owner, "Route plan", [competency.id], date.today(), date.today())
        template = service.save_template(coach, None, "Route template")
        world["coaching"] = {
            "request": request, "plan": plan, "template": template,
            "goal": service.add_goal(coach, plan, competency.id, "Good", 3, date.today()),
            "action": service.add_action(coach, plan, "bring_case", "Bring a case"),
            "checkin": checkins.schedule_checkin(coach, plan, future_local(), 30),
        }
        world["coaching"]["agenda_item"] = checkins.add_agenda_item(owner, world["coaching"]["checkin"], "Route item")
        first = date.today() + timedelta(days=3)
        world["coaching"]["checkin_series"] = checkin_series.start_checkin_series(
            coach, [], [owner.id], first, time(9), 2, first + timedelta(days=30))[0][0]
    return world["coaching"]


def _declare_routes():
    from tests import test_trust_routes as trust

    for argument, name in (("plan_id", "plan"), ("checkin_id", "checkin"), ("request_id", "request"),
                           ("goal_id", "goal"), ("action_id", "action"), ("template_id", "template"),
                           ("agenda_item_id", "agenda_item"), ("checkin_series_id", "checkin_series")):
        trust.OBJECT_FACTORIES.setdefault(argument, lambda world, name=name: coaching_world(world)[name].id)
    trust.OBJECT_FACTORIES.setdefault("person_id", lambda world: world["owner"].id)
    viewers, managers, coach = {"owner", "coach_same", "admin"}, {"coach_same", "admin"}, {"coach_same"}
    coaches = {"coach_same", "coach_other", "facilitator", "admin"}   # every coach: templates are shared
    trust.VISIBLE_TO.update({endpoint: who for who, endpoints in (
        (viewers, "coaching.show_plan checkins.show_checkin coaching.show_request coaching.person"),
        (managers, "coaching.edit_plan coaching.plan_status coaching.add_goal coaching.add_action "
                   "coaching.goal_status coaching.action_status"),
        (coach, "coaching.add_checkin coaching.answer_request coaching.accept_request checkins.move_checkin "
                "checkins.cancel_checkin checkins.record_agreed"),
        ({"owner", "coach_same"}, "checkins.add_agenda_item checkins.add_note coaching.add_rating "
                                  "checkins.agenda_item_done"),
        (coach, "checkins.stop_checkin_series"),   # the series' coach, or a co-coach of the person
        ({"owner"}, "coaching.acknowledge_plan checkins.acknowledge"),
        (coaches, "plan_templates.template plan_templates.template_goal plan_templates.template_action "
                  "plan_templates.template_remove plan_templates.assign_template"),
    ) for endpoint in endpoints.split()})


def pytest_collection_finish(session):
    """Declare once the test modules are imported (importing them earlier defeats assertion rewriting)."""
    _declare_routes()

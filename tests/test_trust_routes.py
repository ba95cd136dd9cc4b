"""Permissions proven for every route: generated from the app's URL map.

Every route is called with every method as anonymous, the owner (an agent),
another agent of the owner's team, an agent of another team, a coach of the
owner's team, a coach of another team, a coach of another team who facilitates
the owner's meetup series, and an admin. The expected answer comes from the view's declared
access rule (API routes under /api/ are called with each role's personal access token, and
anonymous gets 401 there instead of the sign-in page); routes that take an object id also declare, in VISIBLE_TO below,
who may see the object (everyone else gets 404). A route whose URL needs an
argument without a factory in OBJECT_FACTORIES, or an object route without a
VISIBLE_TO entry, fails this test: adding a route means declaring its rule.
"""
import pytest

from learning.web import ROLE_RANK
from tests.conftest import PASSWORD
from tests.fixtures_cases import trust_case_world
from tests.fixtures_curriculum import curriculum_object

ROLES = ("anonymous", "owner", "other_agent", "other_team_agent", "coach_same", "coach_other", "facilitator", "admin")
ROLE_OF = {"owner": "agent", "other_agent": "agent", "other_team_agent": "agent", "coach_same": "coach",
           "coach_other": "coach", "facilitator": "coach", "admin": "admin"}
RUNS_THE_MEETUP = {"coach_same", "facilitator", "admin"}   # manage its sessions: the schedule's one rule
EVERYONE = set(ROLES) - {"anonymous"}

# Who may see the object behind an object route (beyond the role rule).
VISIBLE_TO = {
    "accounts.user_edit": {"admin"},
    "accounts.anonymise_user": {"admin"},
    "accounts.user_sign_out_everywhere": {"admin"},
    "accounts.team_edit": {"admin"},
    "accounts.revoke_api_token": {"owner"},
    "competencies.edit": {"admin"},
    # cases: the owner's case is discussed (so in the library); the owner goes to its meetup
    "cases.show": EVERYONE, "cases.edit": set(), "cases.withdraw": EVERYONE, "cases.vote": EVERYONE,
    "cases.comment": EVERYONE, "cases.takeaways": RUNS_THE_MEETUP,
    "cases.debrief": {"coach_same", "admin"},
    # the owner's discussed case: tagged by its author and those who run its meetup
    "cases.tag_cause": {"owner"} | RUNS_THE_MEETUP,
    # operations feedback raised at the owner's meetup: coaches and admins read it, so does the
    # author of a linked case; raising (and changing its status) is for those who run the meetup
    "feedback.raise_item": RUNS_THE_MEETUP,
    "feedback.item": {"owner", "coach_same", "coach_other", "facilitator", "admin"},
    "feedback.item_status": {"owner", "coach_same", "coach_other", "facilitator", "admin"},
    "feedback.edit_cause": {"admin"},
    # a team meetup's agenda: the people going and those who run it, never a coach of another team
    "meetups.agenda": {"owner"} | RUNS_THE_MEETUP,
    **{f"meetups.{name}": RUNS_THE_MEETUP for name in (
        "agenda_add", "agenda_move", "agenda_time", "agenda_carry_over", "agenda_remove", "agenda_privacy")},
    **{f"curriculum.{name}": EVERYONE for name in (
        "module", "edit_module", "publish", "edit_unit", "delete_unit", "tick", "edit_cohort", "cohort", "enrol",
        "leave", "enrol_person", "remove_participant", "complete_participant", "enrol_people")},
    "notify.mark_read": {"owner"},
    **{f"schedule.{name}": EVERYONE for name in ("session", "rsvp", "feedback", "series")},
    **{f"api_sessions.{name}": EVERYONE for name in ("session", "rsvp", "withdraw")},
    "api_series.one_series": EVERYONE,
    "api_sessions.change_session": RUNS_THE_MEETUP, "api_series.change_series": RUNS_THE_MEETUP,
    "api_cases.case": EVERYONE,   # the owner's discussed case, as cases.show
    **{f"api_people.{name}": {"admin"} for name in ("person", "change_person", "deactivate")},
    **{f"schedule.{name}": RUNS_THE_MEETUP for name in (
        "edit_series", "edit_session", "cancel_session", "session_capacity", "session_people",
        "session_attendance")},
    "progress.team": {"coach_same", "admin"},
    "enrolment.enrol": RUNS_THE_MEETUP, "enrolment.places": EVERYONE,
    "rating_grid.team_ratings": {"coach_same", "admin"},
    "wellbeing.team": {"coach_same", "admin"},
    "progress.undo_import": {"admin"},
    "progress.source": {"admin"}, "progress.delete_source": {"admin"},
    "calendars.regenerate": {"owner"}, "calendars.revoke": {"owner"},
    "calendars.session_ics": EVERYONE, "calendars.checkin_ics": {"owner", "coach_same", "admin"},   # the owner's team: its coaches and admins
}

# Lists exported as CSV from their own page (`?format=csv`, learning.csv_files): each export is
# also called from every seat and answers as its page does, or as CSV_VISIBLE_TO says.
CSV_EXPORTS = {
    "accounts.users": ("",), "schedule.sessions": ("",), "schedule.session_attendance": ("",),
    "cases.index": ("", "show=queue"), "cases.library_index": ("q=route",), "curriculum.catalogue": ("",),
    "curriculum.module": ("",), "curriculum.cohort": ("",), "coaching.overview": ("list=plans", "list=checkins"),
    "coaching.person": ("",), "rating_grid.team_ratings": ("area=all",),
}
# A cohort's page is everyone's; its participants (and so their export) are for coaches and admins.
CSV_VISIBLE_TO = {"curriculum.cohort": {"coach_same", "coach_other", "facilitator", "admin"}}

# URL argument -> function(world) returning a value that names the owner's object.
OBJECT_FACTORIES = {
    "user_id": lambda world: world["owner"].id,
    "team_id": lambda world: world["owner"].team_id,
    "competency_id": lambda world: world["competency"].id,
    "case_id": lambda world: trust_case_world(world)["case"].id,
    "session_id": lambda world: trust_meetup(world)["session"].id,
    "series_id": lambda world: trust_meetup(world)["session"].series_id,
    "item_id": lambda world: trust_meetup(world)["item"].id,
    "prompt_id": lambda world: trust_case_world(world)["prompt"].id,
    "direction": lambda world: "up",
    "module_id": lambda world: curriculum_object(world, "module"),
    "unit_id": lambda world: curriculum_object(world, "unit"),
    "cohort_id": lambda world: curriculum_object(world, "cohort"),
    "enrolment_id": lambda world: curriculum_object(world, "enrolment"),
    "notification_id": lambda world: owners_notice(world).id,
    "feed_id": lambda world: owners_feed(world).id,
    "token": lambda world: unsubscribe_token_for(world["owner"]),
    "import_id": lambda world: owners_measure_import(world).id,
    "source_id": lambda world: measure_source(world).id,
    "feedback_id": lambda world: owners_feedback_item(world).id,
    "token_id": lambda world: owners_api_token(world).id,
    "cause_id": lambda world: owners_feedback_item(world).cause_id,
}


def measure_source(world):
    from learning.progress.measure_sources import Mapping, save_source

    if "measure_source" not in world:
        world["measure_source"] = save_source(Mapping("HR export", "Staff no", "employee_id", "Period",
                                                      {"csat": ("CSAT", "")}), ["Staff no", "Period", "CSAT"], None)
    return world["measure_source"]


def trust_meetup(world):
    """The owner's team meetup (tests/fixtures_cases.py), with the facilitator leading its series."""
    from learning.schedule.models import SeriesFacilitator

    built = trust_case_world(world)
    if "facilitating" not in world:
        world["facilitating"] = SeriesFacilitator.create(series=built["session"].series_id, user=world["facilitator"])
    return built


def owners_feedback_item(world):
    """An operations feedback item raised at the owner's meetup from the owner's case."""
    from learning.feedback.service import raise_item

    if "feedback_item" not in world:
        built = trust_meetup(world)
        from learning.cases.meetups import meetup_or_none
        with world["app"].test_request_context():
            world["feedback_item"] = raise_item(world["coach_same"], meetup_or_none(built["session"].id),
                                                "Route check", 1, "Billing", [built["case"].id])
    return world["feedback_item"]


def owners_api_token(world):
    from learning.accounts.api_tokens import issue_token

    if "api_token" not in world:
        world["api_token"] = issue_token(world["owner"], "Route check", "read")[0]
    return world["api_token"]


def owners_notice(world):
    from learning.notify.models import Notification

    if "notice" not in world:
        world["notice"] = Notification.create(user=world["owner"], kind="coaching", text="Route check")
    return world["notice"]


def owners_measure_import(world):
    from learning.progress.measure_imports import import_file

    if "measure_import" not in world:
        world["measure_import"] = import_file(f"email,month,csat\n{world['owner'].email},2026-03,80\n")[1]
    return world["measure_import"]


def owners_feed(world):
    from learning.calendars.service import subscribe

    if "feed" not in world:
        with world["app"].app_context():
            world["feed"] = subscribe(world["owner"], "personal")
    return world["feed"]


def unsubscribe_token_for(user):
    from config import TestingConfig
    from learning.notify.tokens import unsubscribe_token

    return unsubscribe_token(user.id, "coaching", secret=TestingConfig.SECRET_KEY)


ALLOWED = {200, 201, 204, 302, 303, 304, 400, 409, 422}


@pytest.fixture
def world(app, people, make_user):
    from learning.competencies.service import save_competency

    world = {
        "owner": people["agent"], "other_agent": people["other_agent"], "other_team_agent": people["agent_b"],
        "coach_same": people["coach_a"], "coach_other": people["coach_b"], "admin": people["admin"], "app": app,
        "facilitator": make_user("coach", team=people["team_b"], coach_of=[people["team_b"]], name="Facilitator B"),
        "competency": save_competency(None, "Route check", "Area", "", 0, ["a", "b", "c", "d", "e"]),
    }
    return world


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def build_url(rule, world):
    values = {}
    for argument in rule.arguments:
        assert argument in OBJECT_FACTORIES, f"{rule.rule}: add a factory for <{argument}> in OBJECT_FACTORIES"
        values[argument] = OBJECT_FACTORIES[argument](world)
    return rule.build(values, append_unknown=False)[1]


def expected(rule, view, role, visible_to=VISIBLE_TO):
    """'login', 403, 404 or 'allowed'."""
    access = view.access_rule
    if access in ("public", "token"):
        return "any"
    if role == "anonymous":
        return "login"
    if ROLE_RANK[ROLE_OF[role]] < ROLE_RANK.get(access, 1):
        return 403
    if rule.arguments:
        assert rule.endpoint in visible_to, f"{rule.endpoint}: declare who may see it in VISIBLE_TO"
        return "allowed" if role in visible_to[rule.endpoint] else 404
    return "allowed"


def check_route(app, client, rule, method, role, world, csv_query=None):
    """None when the route (its CSV export with `csv_query`) answers `role` as declared, else a
    line describing the failure."""
    url = build_url(rule, world)
    visible_to = VISIBLE_TO
    if csv_query is not None:
        url += "?format=csv" + (f"&{csv_query}" if csv_query else "")
        visible_to = {**VISIBLE_TO, **CSV_VISIBLE_TO}
    if rule.rule.startswith("/api/"):
        response = client.open(url, method=method, json={}, headers=world["tokens"].get(role, {}))
    else:
        response = client.open(url, method=method, data={})
    response.get_data()   # a streamed export is read to its end, as a server does
    want = expected(rule, app.view_functions[rule.endpoint], role, visible_to)
    got = response.status_code
    ok = {
        "any": got < 500 and got != 403,
        "login": (got == 401 and response.mimetype == "application/problem+json") if rule.rule.startswith("/api/")
        else (got == 302 and "/login" in response.location),
        403: got == 403,
        404: got == 404,
        "allowed": got in ALLOWED and not (got == 302 and "/login" in (response.location or "")),
    }[want]
    if csv_query is not None and want == "allowed":
        ok = ok and got == 200 and response.mimetype == "text/csv"
    return None if ok else f"{role:12} {method:6} {url:40} expected {want}, got {got}"


@pytest.mark.long
def test_every_route_answers_each_role_as_declared(app, world, api_token):
    failures = []
    clients = {}
    world["tokens"] = {role: {"Authorization": f"Bearer {api_token(world[role])}"} for role in ROLES if role != "anonymous"}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != "anonymous":
            response = clients[role].post("/login", data={"email": world[role].email, "password": PASSWORD})
            assert response.status_code == 302
    # Every role reads first, then every role writes: a write (an RSVP, say) must
    # not change what a later role is allowed to read.
    for reading in (True, False):
        for role in ROLES:
            for rule, method in routes(app):
                if (method == "GET") != reading:
                    continue
                if rule.endpoint in ("accounts.logout", "accounts.sign_out_everywhere"):
                    continue  # signing out would end this role's session mid-way
                exports = CSV_EXPORTS.get(rule.endpoint, ()) if method == "GET" else ()
                for csv_query in (None, *exports):
                    failure = check_route(app, clients[role], rule, method, role, world, csv_query)
                    if failure:
                        failures.append(failure)
    assert not failures, "\n".join(failures)


def test_every_declared_csv_export_is_a_route(app):
    assert set(CSV_EXPORTS) <= set(app.view_functions)


def test_a_route_without_a_declared_rule_stops_the_app(own_app):
    from flask import Blueprint

    from learning.web import check_access_rules

    stray = Blueprint("stray", __name__)
    stray.add_url_rule("/stray", "stray", lambda: "open")
    own_app.register_blueprint(stray)
    with pytest.raises(RuntimeError, match="stray.stray"):
        check_access_rules(own_app)

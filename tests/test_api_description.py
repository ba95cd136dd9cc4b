"""The OpenAPI description is the API as it is: every API route documented, every documented
operation called here with a request that succeeds, and each answer valid against the schema
the description gives for it.

A new endpoint adds one entry to EXERCISES: (method, path as the description writes it) ->
function(world) returning (url, JSON body or None, expected status); the world holds `people`,
a team series with four sessions (`series`, its first `session`) and the `admin`, whose token calls.
"""
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from learning.api.openapi import api_operations, openapi_path
from learning.db import utcnow
from learning.schedule import service as schedule
from learning.schedule.models import Session


def _holding_a_place(world):
    schedule.rsvp(world["session"], world["admin"])
    return f"/api/v1/sessions/{world['session'].id}/rsvp"


def _a_case(world):
    from learning.cases.service import save_case
    from tests.fixtures_cases import case_data

    return save_case(world["people"]["agent"], None, case_data(), submit=True)


NEW_CASE = {"title": "Charged twice", "channel": "chat", "customer_need": "Hi Maria, call me on +44 20 7946 0958.",
            "actions": "I refunded one charge.", "outcome": "Resolved.", "ask": "Should I have escalated?"}

EXERCISES = {
    ("GET", "/api/v1/openapi.json"): lambda w: ("/api/v1/openapi.json", None, 200),
    ("GET", "/api/v1/sessions"): lambda w: (f"/api/v1/sessions?team={w['series'].team_id}&limit=2", None, 200),
    ("GET", "/api/v1/sessions/{session_id}"): lambda w: (f"/api/v1/sessions/{w['session'].id}", None, 200),
    ("PATCH", "/api/v1/sessions/{session_id}"): lambda w: (f"/api/v1/sessions/{w['session'].id}",
                                                            {"location": "Room 9", "video_url": ""}, 200),
    ("POST", "/api/v1/sessions/{session_id}/rsvp"): lambda w: (f"/api/v1/sessions/{w['session'].id}/rsvp", None, 201),
    ("DELETE", "/api/v1/sessions/{session_id}/rsvp"): lambda w: (_holding_a_place(w), None, 200),
    ("GET", "/api/v1/me/schedule"): lambda w: (_holding_a_place(w) and "/api/v1/me/schedule", None, 200),
    ("GET", "/api/v1/series"): lambda w: ("/api/v1/series?kind=skill", None, 200),
    ("GET", "/api/v1/series/{series_id}"): lambda w: (f"/api/v1/series/{w['series'].id}", None, 200),
    ("POST", "/api/v1/series"): lambda w: ("/api/v1/series", {
        "kind": "case_review", "title": "Hard calls", "team_id": w["series"].team_id, "timezone": "America/New_York",
        "start_date": (utcnow() + timedelta(days=3)).date().isoformat(), "start_time": "16:00", "end_time": "17:00",
        "pattern": "once", "capacity": None, "facilitator_ids": [w["admin"].id]}, 201),
    ("PATCH", "/api/v1/series/{series_id}"): lambda w: (f"/api/v1/series/{w['series'].id}",
                                                         {"title": "Boundaries first", "capacity": 12}, 200),
    ("GET", "/api/v1/cases"): lambda w: (_a_case(w) and "/api/v1/cases?status=submitted", None, 200),
    ("GET", "/api/v1/cases/{case_id}"): lambda w: (f"/api/v1/cases/{_a_case(w).id}", None, 200),
    ("POST", "/api/v1/cases"): lambda w: ("/api/v1/cases", {**NEW_CASE, "names": ["Okafor"]}, 201),
    ("PUT", "/api/v1/measures"): lambda w: ("/api/v1/measures", {"items": [
        {"person": w["people"]["agent"].email, "month": "2026-03", "measure": "csat", "value": 88}]}, 200),
    ("GET", "/api/v1/people"): lambda w: ("/api/v1/people?role=agent&limit=2", None, 200),
    ("GET", "/api/v1/people/{user_id}"): lambda w: (f"/api/v1/people/{w['people']['agent'].id}", None, 200),
    ("POST", "/api/v1/people"): lambda w: ("/api/v1/people", {
        "display_name": "Ana Lima", "email": "ana.lima@example.org", "team": w["series"].team_id}, 201),
    ("PATCH", "/api/v1/people/{user_id}"): lambda w: (f"/api/v1/people/{w['people']['agent'].id}",
                                                       {"employee_id": "HR-5", "role": "coach"}, 200),
    ("POST", "/api/v1/people/{user_id}/deactivate"): lambda w: (
        f"/api/v1/people/{w['people']['agent'].id}/deactivate", {"plans_to": w["people"]["coach_a"].id}, 200),
}


@pytest.fixture
def world(app, people, new_series):
    series = new_series(team=people["team_a"], rrule="FREQ=WEEKLY;COUNT=4", capacity=3, title="Boundaries")
    return {"people": people, "admin": people["admin"], "series": series,
            "session": series.sessions.order_by(Session.starts_at).first()}


def test_every_api_route_is_in_the_description_and_every_operation_is_exercised(app):
    documented = {(method, openapi_path(rule)) for method, rule, declared in api_operations(app) if declared}
    undocumented = {(method, rule.rule) for method, rule, declared in api_operations(app) if not declared}
    assert not undocumented
    assert documented == set(EXERCISES)


@pytest.mark.parametrize("operation", sorted(EXERCISES), ids=" ".join)
def test_each_documented_operation_answers_as_described(app, client, world, api_as, operation):
    description = client.get("/api/v1/openapi.json").get_json()
    method, path = operation
    url, body, status = EXERCISES[operation](world)
    response = api_as(world["admin"]).open(url, method, json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    described = description["paths"][path][method.lower()]["responses"][str(status)]
    schema = described["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": description["components"]})
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(response.get_json())]
    assert not errors, errors

"""Arbitrary JSON to the cases, people and measures write endpoints: never a 5xx, and every
refusal is a problem details document (generated examples, a small number of each)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CASE_KEYS = ("title", "channel", "customer_need", "actions", "outcome", "ask", "competencies", "heaviness",
             "anonymous", "meetup", "names", "keep", "ticket")
PERSON_KEYS = ("display_name", "email", "role", "team", "timezone", "password", "employee_id", "active",
               "plans_to")
ITEM_KEYS = ("person", "month", "measure", "value")

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                    st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["", "email", "admin", "2026-03", "csat", "0", "Europe/Berlin", "a@b.org"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=5), inner, max_size=2), max_leaves=6)


def bodies(keys):
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), values, max_size=6)


items = st.lists(st.one_of(values, st.fixed_dictionaries({key: scalars for key in ITEM_KEYS})), max_size=4)
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def agent_api(people, api_as):
    return api_as(people["agent"])


@pytest.fixture
def admin_api(app, people, api_as):
    app.config["API_RATE_LIMIT"] = "10000 per minute"
    return api_as(people["admin"])


def assert_answered(response):
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == response.status_code


@FUZZ
@given(body=st.one_of(bodies(CASE_KEYS), values))
def test_any_case_body_is_answered_without_a_server_error(agent_api, body):
    assert_answered(agent_api.post("/api/v1/cases", json=body))


@FUZZ
@given(body=st.one_of(bodies(PERSON_KEYS), values), method=st.sampled_from(["post", "patch", "deactivate"]))
def test_any_person_body_is_answered_without_a_server_error(people, admin_api, body, method):
    api = admin_api
    target = people["agent_b"].id
    if method == "post":
        response = api.post("/api/v1/people", json=body)
    elif method == "patch":
        response = api.patch(f"/api/v1/people/{target}", json=body)
    else:
        response = api.post(f"/api/v1/people/{target}/deactivate", json=body)
    assert_answered(response)


@FUZZ
@given(body=st.one_of(st.fixed_dictionaries({"items": items}), bodies(("items",)), values))
def test_any_measures_body_is_answered_without_a_server_error(admin_api, body):
    assert_answered(admin_api.put("/api/v1/measures", json=body))


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["limit", "cursor", "status", "team", "role", "q", "signed_in"]),
                             st.text(max_size=12), max_size=4))
def test_any_list_query_is_answered_without_a_server_error(admin_api, query):
    for path in ("/api/v1/cases", "/api/v1/people"):
        assert_answered(admin_api.get(path, query_string=query))

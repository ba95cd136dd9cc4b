"""No body, header or query string makes the API answer 5xx, and every error it answers is a
problem details document: hypothesis sends generated JSON (and not-JSON) to every write
endpoint and generated query strings to every list, with a coach's read-and-write token."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.api.openapi import api_operations
from learning.cases.service import save_case
from learning.schedule.models import Session
from tests.fixtures_cases import case_data

EXAMPLES = 15
SCALARS = st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) | st.text(max_size=30) \
    | st.sampled_from(["", "0", "-1", "2026-02-30", "25:00", "09:30", "Europe/Berlin", "weekly", "cancelled", "\x00",
                       "9" * 30, "skill", "once", "count"])
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                         max_size=4), max_leaves=12)
# Bodies shaped like the forms' (their field names, generated values) reach the rules, not only the parser.
FIELDS = ("kind", "title", "team_id", "timezone", "start_date", "start_time", "end_time", "pattern", "ends", "count",
          "until", "interval", "capacity", "facilitator_ids", "competency_ids", "location", "video_url", "status",
          "confirm", "from_session", "facilitator_id", "description")
BODIES = st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=8) | JSON
CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain",
                                 "application/x-www-form-urlencoded", "application/merge-patch+json", ""])
QUERIES = st.dictionaries(st.sampled_from(["limit", "cursor", "kind", "team", "competency", "facilitator", "x"]),
                          st.text(max_size=20) | st.integers(-10, 10**12).map(str), max_size=4)


@pytest.fixture
def unlimited(app):
    """Every generated request reaches the view (the limit itself is tested in test_api_foundation.py)."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"


@pytest.fixture
def targets(app, unlimited, people, new_series):
    series = new_series(team=people["team_a"], created_by=people["coach_a"], rrule="FREQ=WEEKLY;COUNT=3", capacity=1)
    session = series.sessions.order_by(Session.starts_at).first()
    case = save_case(people["agent"], None, case_data(), submit=True)
    values = {"session_id": session.id, "series_id": series.id, "case_id": case.id, "user_id": people["agent_b"].id}
    found = [(method, rule.build(values, append_unknown=False)[1]) for method, rule, _ in api_operations(app)]
    return ([t for t in found if t[0] != "GET"], [t for t in found if t[0] == "GET" and "{" not in t[1]])


def assert_answered(response):
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json(force=True)["status"] == response.status_code


def test_no_body_makes_a_write_endpoint_fail(app, people, api_as, targets):
    api = api_as(people["coach_a"])
    writes, _ = targets

    @settings(max_examples=EXAMPLES * len(writes), deadline=None, suppress_health_check=list(HealthCheck))
    @given(target=st.sampled_from(writes), body=BODIES, content_type=CONTENT_TYPES, raw=st.booleans())
    def send(target, body, content_type, raw):
        method, url = target
        data = json.dumps(body) if not raw else json.dumps(body)[:-1] + "\x00"
        response = api.open(url, method, data=data.encode(), headers={"Content-Type": content_type})
        assert_answered(response)
        assert response.status_code != 429

    send()


def test_no_query_string_makes_a_list_fail(app, people, api_as, targets):
    api = api_as(people["agent"])
    _, reads = targets

    @settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck))
    @given(target=st.sampled_from(reads), args=QUERIES)
    def read(target, args):
        assert_answered(api.get(target[1], query_string=args))

    read()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(header=st.text(max_size=80) | st.text(max_size=60).map(lambda text: f"Bearer {text}"))
def test_no_authorization_header_makes_the_api_fail(client, unlimited, header):
    try:
        response = client.get("/api/v1/sessions", headers={"Authorization": header})
    except ValueError:   # a header value Werkzeug's test client itself refuses to send (a line break)
        return
    assert_answered(response)
    assert response.status_code == 401

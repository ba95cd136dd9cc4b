"""The API's foundation: personal access tokens (hashed, shown once, scoped, revoked, last use),
Bearer authentication only, problem details for every error, cursor pages, rate limits and
the OpenAPI description."""
from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from learning.accounts import api_tokens, service as accounts
from learning.accounts.models import ApiToken
from learning.db import utcnow
from learning.schedule.models import Session
from tests.fixtures_schedule import next_weekday_at

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


# --- tokens -------------------------------------------------------------------------

def test_a_token_is_stored_only_as_a_hash_and_starts_with_the_scanners_prefix(app, people):
    token, secret = api_tokens.issue_token(people["agent"], "Helpdesk sync", "read")
    assert secret.startswith("sds_") and len(secret) > 40
    stored = ApiToken.get_by_id(token.id)
    assert secret not in (stored.token_hash, stored.prefix, stored.name)
    assert stored.prefix == secret[:8] and stored.scope == "read"
    assert api_tokens.token_for_secret(secret).id == token.id


@pytest.mark.parametrize("name, scope, field", [("", "read", "name"), ("x" * 101, "read", "name"),
                                                ("Sync", "admin", "scope"), ("Sync", None, "scope")])
def test_a_token_needs_a_name_and_a_known_scope(app, people, name, scope, field):
    from learning.refusals import Refused
    with pytest.raises(Refused) as refused:
        api_tokens.issue_token(people["agent"], name, scope)
    assert refused.value.field == field
    assert ApiToken.select().count() == 0


def test_a_revoked_token_and_a_deactivated_persons_token_stop_working(app, people, api_as):
    api = api_as(people["agent"])
    assert api.get("/api/v1/sessions").status_code == 200
    accounts.set_active(people["agent"], False, people["admin"])
    assert_problem(api.get("/api/v1/sessions"), 401)
    other = api_as(people["other_agent"])
    token = ApiToken.get(ApiToken.user == people["other_agent"])
    api_tokens.revoke_token(people["other_agent"], token.id)
    assert_problem(other.get("/api/v1/sessions"), 401)


def test_only_the_owner_may_revoke_a_token(app, people):
    from learning.refusals import NotFound
    token, _ = api_tokens.issue_token(people["agent"], "Sync", "write")
    with pytest.raises(NotFound):
        api_tokens.revoke_token(people["other_agent"], token.id)
    assert ApiToken.get_by_id(token.id).revoked_at is None


def test_last_use_is_written_at_most_once_a_minute(app, people, api_as, count_queries):
    api = api_as(people["agent"])
    api.get("/api/v1/sessions")
    first = ApiToken.get(ApiToken.user == people["agent"]).last_used_at
    assert first is not None and first > utcnow() - timedelta(seconds=30)
    api.get("/api/v1/sessions")
    assert ApiToken.get(ApiToken.user == people["agent"]).last_used_at == first
    ApiToken.update(last_used_at=first - timedelta(minutes=2)).execute()
    api.get("/api/v1/sessions")
    assert ApiToken.get(ApiToken.user == people["agent"]).last_used_at > first - timedelta(minutes=1)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer nonsense", "Bearer sds_wrong", "Basic c2RzOnNkcw==",
                                    "Token sds_x"])
def test_a_request_without_a_valid_bearer_token_is_401_problem(app, people, client, header):
    headers = {"Authorization": header} if header is not None else {}
    body = assert_problem(client.get("/api/v1/sessions", headers=headers), 401)
    assert "Bearer" in body["detail"]
    assert client.get("/api/v1/sessions", headers=headers).headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_never_authenticates_the_api(app, people, login):
    signed_in = login(people["agent"])
    assert signed_in.get("/sessions").status_code == 200
    assert_problem(signed_in.get("/api/v1/sessions"), 401)
    assert_problem(signed_in.post(f"/api/v1/sessions/1/rsvp"), 401)


def test_a_read_only_token_reads_but_may_not_write(app, people, api_as, one_session):
    api = api_as(people["agent"], scope="read")
    assert api.get(f"/api/v1/sessions/{one_session.id}").status_code == 200
    body = assert_problem(api.post(f"/api/v1/sessions/{one_session.id}/rsvp"), 403)
    assert "read only" in body["detail"]
    assert one_session.rsvps.count() == 0


def test_writes_need_no_csrf_token_because_only_the_bearer_header_authenticates(app, people, api_as, one_session):
    app.config["WTF_CSRF_ENABLED"] = True
    response = api_as(people["agent"]).post(f"/api/v1/sessions/{one_session.id}/rsvp")
    assert response.status_code == 201, response.get_data(as_text=True)


# --- problem details ----------------------------------------------------------------

def test_routing_errors_under_the_api_are_problem_details(app, people, api_as):
    api = api_as(people["agent"])
    assert_problem(api.get("/api/v1/nothing-here"), 404)
    assert_problem(api.get("/api/v1/sessions/999999"), 404)
    response = api.put("/api/v1/sessions")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    assert api.get("/no-such-page").mimetype == "text/html"   # pages keep their error pages


def test_every_answer_is_kept_out_of_caches(app, people, api_as):
    assert api_as(people["agent"]).get("/api/v1/sessions").headers["Cache-Control"] == "no-store"


# --- cursor pages -------------------------------------------------------------------

def test_a_cursor_walks_a_list_without_repeats_or_gaps(app, people, api_as, new_series):
    series = new_series(rrule="FREQ=DAILY;COUNT=7", first_start_local=next_weekday_at(9, 1))
    wanted = [s.id for s in series.sessions.order_by(Session.starts_at, Session.id)]
    api, seen, url = api_as(people["agent"]), [], "/api/v1/sessions?limit=3"
    while url:
        page = api.get(url).get_json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert seen == wanted


def test_a_page_reads_a_fixed_number_of_queries(app, people, api_as, new_series, count_queries):
    new_series(rrule="FREQ=DAILY;COUNT=30", first_start_local=next_weekday_at(9, 1))
    api = api_as(people["agent"])
    api.get("/api/v1/sessions")   # the token's first use is written once
    with count_queries() as small:
        api.get("/api/v1/sessions?limit=2")
    with count_queries() as large:
        api.get("/api/v1/sessions?limit=25")
    assert small.count == large.count


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "cursor=%%%", "cursor=bm9wZQ",
                                   "cursor=WyJ4IiwxXQ", "kind=party", "team=-1", "competency=abc",
                                   "facilitator=99999999999"])
def test_a_bad_query_is_a_400_problem(app, people, api_as, query):
    assert_problem(api_as(people["agent"]).get(f"/api/v1/sessions?{query}"), 400)


# --- rate limits --------------------------------------------------------------------

def test_too_many_requests_for_a_token_are_refused_with_retry_after(app, people, api_as):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    api, other = api_as(people["agent"]), api_as(people["other_agent"])
    for _ in range(3):
        assert api.get("/api/v1/sessions").status_code == 200
    response = api.get("/api/v1/sessions")
    assert_problem(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert other.get("/api/v1/sessions").status_code == 200   # counted per token


def test_requests_without_a_token_are_counted_per_address(app, api_as):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    anonymous = api_as(None)
    assert [anonymous.get("/api/v1/sessions").status_code for _ in range(3)] == [401, 401, 429]


# --- the description ----------------------------------------------------------------

def test_the_openapi_document_is_valid_openapi_3_1_and_public(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_an_unexpected_error_is_a_500_problem_too(own_app):
    from learning.api.endpoints import api_blueprint
    from learning.web import public

    broken = api_blueprint("api_broken", __name__)

    @broken.get("/broken")
    @public
    def fails():
        raise RuntimeError("a bug")

    own_app.register_blueprint(broken)
    own_app.config["PROPAGATE_EXCEPTIONS"] = False
    body = assert_problem(own_app.test_client().get("/api/v1/broken"), 500)
    assert "a bug" not in body["detail"]


def test_a_body_past_the_size_limit_is_a_413_problem(app, people, api_as, one_session):
    huge = b'{"location": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = api_as(people["admin"]).patch(f"/api/v1/sessions/{one_session.id}", data=huge,
                                             content_type="application/json")
    assert_problem(response, 413)

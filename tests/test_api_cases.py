"""Cases over the API: submitted with the case form's checks and exactly its redaction, listed
and read as the pages allow (cases/visibility.py), a 404 for a case the caller may not see."""
import pytest

from learning.cases.models import Case
from learning.competencies.service import save_competency
from tests.test_api_foundation import assert_problem
from tests.test_cases_submission import CUSTOMER_TEXT, submit

BODY = {"title": "Refund demanded against policy", "channel": "email", "customer_need": CUSTOMER_TEXT,
        "actions": "I explained the policy and offered a voucher.", "outcome": "She accepted the voucher.",
        "ask": "Was the voucher the right call?"}


def test_a_case_is_stored_with_exactly_the_redaction_the_form_applies(client, login, people, api_as):
    marked = CUSTOMER_TEXT + "\n\nKind regards, Hannelore"
    login(people["agent"])
    submit(client, customer_need=marked, names="Brandt", keep="ORD-2026-118834")
    by_form = Case.get()
    response = api_as(people["agent"]).post("/api/v1/cases", json={
        **BODY, "customer_need": marked, "names": ["Brandt"], "keep": ["ORD-2026-118834"]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    by_api = Case.get_by_id(body["case"]["id"])
    for key in ("title", "customer_need", "actions", "outcome", "ask"):
        assert getattr(by_api, key) == getattr(by_form, key)
        assert body["case"][key] == getattr(by_form, key)
    assert by_api.status == "submitted" and by_api.author_id == people["agent"].id
    assert "ORD-2026-118834" in by_api.customer_need and "Hannelore" not in by_api.customer_need
    kinds = {item["kind"] for item in body["redacted"]}
    assert kinds >= {"email", "phone", "card", "name"}
    assert {"kind": "email", "label": "E-mail", "text": "hannelore.brandt@example.net"} in body["redacted"]
    assert response.headers["Location"].endswith(f"/api/v1/cases/{by_api.id}")


def test_competencies_heaviness_and_anonymity_are_kept(people, api_as):
    competency = save_competency(None, "Boundaries", "Area", "", 0, ["a", "b", "c", "d", "e"])
    response = api_as(people["agent"]).post("/api/v1/cases", json={
        **BODY, "competencies": [competency.id], "heaviness": 4, "anonymous": True})
    case = response.get_json()["case"]
    assert response.status_code == 201
    assert case["competencies"] == [{"id": competency.id, "name": "Boundaries"}]
    assert case["heaviness"] == 4 and case["anonymous"] is True
    assert case["author"] == {"id": people["agent"].id, "name": people["agent"].display_name}


@pytest.mark.parametrize("changes, fields", [
    ({"title": ""}, {"title"}),
    ({"customer_need": "  ", "ask": ""}, {"customer_need", "ask"}),
    ({"channel": "fax"}, {"channel"}),
    ({"title": "x" * 201}, {"title"}),
    ({"heaviness": 9}, {"heaviness"}),
    ({"competencies": [999999]}, {"competencies"}),
    ({"meetup": 999999}, {"meetup"}),
    ({"names": "Brandt"}, {"names"}),
    ({"keep": [1, 2]}, {"keep"}),
    ({"colour": "red"}, {"colour"}),
    ({"title": {"nested": True}}, {"title"}),
    ({"ticket": {"subject": "Parcel"}}, {"ticket"}),
])
def test_a_refused_body_names_its_fields_and_writes_nothing(people, api_as, changes, fields):
    response = api_as(people["agent"]).post("/api/v1/cases", json={**BODY, **changes})
    problem = assert_problem(response, 422)
    assert set(problem["errors"]) == fields
    assert Case.select().count() == 0


def test_a_body_that_is_not_a_json_object_is_refused(people, api_as):
    api = api_as(people["agent"])
    assert_problem(api.post("/api/v1/cases", data="title=x", content_type="application/x-www-form-urlencoded"), 415)
    assert_problem(api.post("/api/v1/cases", data="{", content_type="application/json"), 400)
    assert_problem(api.post("/api/v1/cases", json=[BODY]), 422)
    assert Case.select().count() == 0


def test_a_case_can_ask_for_its_teams_meetup_but_not_another_teams(people, api_as, make_meetup):
    mine, theirs = make_meetup(team=people["team_a"]), make_meetup(team=people["team_b"])
    api = api_as(people["agent"])
    refused = api.post("/api/v1/cases", json={**BODY, "meetup": theirs.id})
    assert assert_problem(refused, 422)["errors"] == {"meetup": [
        "This meetup takes another team's cases; choose one for your team."]}
    accepted = api.post("/api/v1/cases", json={**BODY, "meetup": mine.id})
    assert accepted.status_code == 201 and accepted.get_json()["case"]["meetup_id"] == mine.id


def test_a_read_only_token_and_no_token_submit_nothing(people, api_as):
    assert_problem(api_as(people["agent"], scope="read").post("/api/v1/cases", json=BODY), 403)
    assert_problem(api_as(None).post("/api/v1/cases", json=BODY), 401)
    assert Case.select().count() == 0


# --- reading ------------------------------------------------------------------------

SEATS = ("agent", "other_agent", "agent_b", "coach_a", "coach_b", "admin")


def listed(api, **query):
    response = api.get("/api/v1/cases", query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_each_seat_lists_and_reads_exactly_the_cases_the_pages_show_it(people, api_as, make_case, client, login):
    draft = make_case(people["agent"], status="draft")
    queued = make_case(people["agent"])
    for seat in SEATS:
        api = api_as(people[seat])
        login(people[seat])
        for case in (draft, queued):
            page = client.get(f"/cases/{case.id}").status_code
            read = api.get(f"/api/v1/cases/{case.id}")
            assert read.status_code == page, (seat, case.status)
            assert (case.id in listed(api)) == (page == 200), (seat, case.status)
            if page == 404:
                assert_problem(read, 404)


def test_a_peer_reads_an_anonymous_case_without_its_author_or_heaviness(people, api_as, make_case, make_meetup):
    case = make_case(people["agent"], anonymous=True, heaviness=5)
    make_meetup(team=people["team_a"], going=[people["other_agent"]])
    peer = api_as(people["other_agent"]).get(f"/api/v1/cases/{case.id}").get_json()
    assert peer["author"] is None and peer["heaviness"] is None
    assert peer["customer_need"] == case.customer_need
    coach = api_as(people["coach_a"]).get(f"/api/v1/cases/{case.id}").get_json()
    assert coach["author"]["id"] == people["agent"].id and coach["heaviness"] == 5
    other_coach = api_as(people["coach_b"]).get(f"/api/v1/cases/{case.id}").get_json()
    assert other_coach["author"] is None and other_coach["heaviness"] is None
    listed_item = api_as(people["other_agent"]).get("/api/v1/cases").get_json()["items"][0]
    assert listed_item["id"] == case.id and listed_item["author"] is None


def test_the_list_walks_by_cursor_and_filters_by_status_and_team(people, api_as, make_case):
    ids = [make_case(people["agent"]).id for _ in range(5)]
    draft = make_case(people["agent"], status="draft")
    api = api_as(people["agent"])
    first = api.get("/api/v1/cases?limit=2").get_json()
    assert [item["id"] for item in first["items"]] == ids[:2]
    seen = [item["id"] for item in first["items"]]
    following = first["next"]
    while following:
        page = api.get(following).get_json()
        seen += [item["id"] for item in page["items"]]
        following = page["next"]
    assert seen == ids + [draft.id]
    assert listed(api, status="draft") == [draft.id]
    assert listed(api, team=people["team_b"].id) == []
    assert_problem(api.get("/api/v1/cases?status=lost"), 400)
    assert_problem(api.get("/api/v1/cases?team=x"), 400)


def test_a_list_page_reads_a_fixed_number_of_queries(people, api_as, make_case, count_queries):
    api = api_as(people["coach_a"])
    make_case(people["agent"], anonymous=True)
    api.get("/api/v1/cases")
    with count_queries() as few:
        api.get("/api/v1/cases")
    for _ in range(6):
        make_case(people["other_agent"], anonymous=True)
    with count_queries() as many:
        api.get("/api/v1/cases")
    assert few.count == many.count

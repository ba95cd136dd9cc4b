"""People over the API, for admins as on /admin/users: the filtered list by cursor, one person,
adding (the admin form's checks, an invitation), changing only the fields named, and leavers
through the accounts service (their future places let go). Everyone else: 403."""
import pytest

from learning.accounts.models import User
from learning.accounts.service import set_employee_id
from learning.notify.models import OutboxMessage
from learning.schedule.models import Rsvp
from tests.test_api_foundation import assert_problem

NEW = {"display_name": "Nadia Okafor", "email": "Nadia.Okafor@example.org", "role": "agent"}


def test_an_admin_adds_a_person_who_is_invited(people, api_as):
    response = api_as(people["admin"]).post("/api/v1/people", json={
        **NEW, "team": people["team_a"].id, "employee_id": "HR-77", "timezone": "Europe/Lisbon"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    added = User.get(User.email == "nadia.okafor@example.org")
    assert body["id"] == added.id and body["email"] == "nadia.okafor@example.org"
    assert body["team"] == {"id": people["team_a"].id, "name": "Team A"}
    assert (added.employee_id, added.timezone, added.role) == ("HR-77", "Europe/Lisbon", "agent")
    assert OutboxMessage.select().where(OutboxMessage.to_address == added.email).exists()
    assert response.headers["Location"].endswith(f"/api/v1/people/{added.id}")


def test_a_person_without_a_team_gets_none(people, api_as):
    response = api_as(people["admin"]).post("/api/v1/people", json={**NEW, "team": None})
    assert response.status_code == 201 and response.get_json()["team"] is None


@pytest.mark.parametrize("changes, fields", [
    ({"email": "not-an-address"}, {"email"}),
    ({"email": "COACH1@example.org"}, {"email"}),
    ({"display_name": ""}, {"display_name"}),
    ({"role": "owner"}, {"role"}),
    ({"team": 999999}, {"team"}),
    ({"timezone": "Mars/Olympus"}, {"timezone"}),
    ({"password": "short"}, {"password"}),
    ({"employee_id": "x" * 65}, {"employee_id"}),
    ({"salary": 1}, {"salary"}),
])
def test_a_refused_person_names_the_fields_and_adds_nobody(people, api_as, changes, fields):
    before = User.select().count()
    problem = assert_problem(api_as(people["admin"]).post("/api/v1/people", json={**NEW, **changes}), 422)
    assert set(problem["errors"]) == fields
    assert User.select().count() == before


def test_an_employee_id_held_by_someone_else_adds_nobody(people, api_as):
    set_employee_id(people["agent"], "HR-1")
    before = User.select().count()
    problem = assert_problem(api_as(people["admin"]).post("/api/v1/people", json={**NEW, "employee_id": "HR-1"}), 422)
    assert set(problem["errors"]) == {"employee_id"}
    assert User.select().count() == before


def test_a_change_touches_only_the_fields_named(people, api_as):
    agent = people["agent"]
    response = api_as(people["admin"]).patch(f"/api/v1/people/{agent.id}", json={
        "team": people["team_b"].id, "employee_id": "HR-9"})
    assert response.status_code == 200, response.get_json()
    stored = User.get_by_id(agent.id)
    assert (stored.team_id, stored.employee_id) == (people["team_b"].id, "HR-9")
    assert (stored.display_name, stored.email, stored.role, stored.active) == (
        agent.display_name, agent.email, "agent", True)
    api_as(people["admin"]).patch(f"/api/v1/people/{agent.id}", json={"role": "coach"})
    assert User.get_by_id(agent.id).employee_id == "HR-9"


def test_a_leaver_lets_go_of_future_places(people, api_as, make_meetup):
    meetup = make_meetup(team=people["team_a"], going=[people["agent"]])
    for how in ("patch", "deactivate"):
        person = people["agent"] if how == "patch" else people["other_agent"]
        api = api_as(people["admin"])
        if how == "patch":
            response = api.patch(f"/api/v1/people/{person.id}", json={"active": False})
        else:
            response = api.post(f"/api/v1/people/{person.id}/deactivate", json={"plans_to": people["coach_a"].id})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["active"] is False and not User.get_by_id(person.id).active
    assert not Rsvp.select().where(Rsvp.session == meetup.id, Rsvp.user == people["agent"].id,
                                   Rsvp.status == "going").exists()


def test_a_deactivation_may_have_no_body(people, api_as):
    response = api_as(people["admin"]).post(f"/api/v1/people/{people['agent'].id}/deactivate")
    assert response.status_code == 200 and not User.get_by_id(people["agent"].id).active


def test_an_admin_cannot_demote_or_deactivate_themselves(people, api_as):
    admin = people["admin"]
    api = api_as(admin)
    assert_problem(api.patch(f"/api/v1/people/{admin.id}", json={"role": "agent"}), 422)
    assert_problem(api.post(f"/api/v1/people/{admin.id}/deactivate"), 422)
    assert_problem(api.post(f"/api/v1/people/{people['agent'].id}/deactivate", json={"plans_to": "x"}), 422)
    assert User.get_by_id(admin.id).active and User.get_by_id(admin.id).role == "admin"


def test_the_list_filters_as_the_people_list_and_walks_by_cursor(people, api_as, make_user):
    api = api_as(people["admin"])
    everyone = [item["id"] for item in api.get("/api/v1/people?limit=100").get_json()["items"]]
    assert everyone == sorted(u.id for u in User.select())
    team_a = api.get(f"/api/v1/people?team={people['team_a'].id}").get_json()["items"]
    assert {item["id"] for item in team_a} == {people[k].id for k in ("coach_a", "agent", "other_agent")}
    without_team = api.get("/api/v1/people?team=0").get_json()["items"]
    assert [item["id"] for item in without_team] == [people["admin"].id]
    coaches = api.get("/api/v1/people?role=coach&q=Coach B").get_json()["items"]
    assert [item["id"] for item in coaches] == [people["coach_b"].id]
    seen, following = [], "/api/v1/people?limit=3"
    while following:
        page = api.get(following).get_json()
        seen += [item["id"] for item in page["items"]]
        following = page["next"]
    assert seen == everyone
    assert_problem(api.get("/api/v1/people?team=-1"), 400)


def test_a_list_page_reads_a_fixed_number_of_queries(people, api_as, make_user, count_queries):
    api = api_as(people["admin"])
    api.get("/api/v1/people")
    with count_queries() as few:
        api.get("/api/v1/people")
    for _ in range(8):
        make_user("agent", team=people["team_b"])
    with count_queries() as many:
        api.get("/api/v1/people")
    assert few.count == many.count


@pytest.mark.parametrize("seat", ["agent", "coach_a", "coach_b"])
def test_only_admins_may_list_read_add_or_change_people(people, api_as, seat):
    api, target = api_as(people[seat]), people["other_agent"].id
    for response in (api.get("/api/v1/people"), api.get(f"/api/v1/people/{target}"),
                     api.post("/api/v1/people", json=NEW), api.patch(f"/api/v1/people/{target}", json={"role": "admin"}),
                     api.post(f"/api/v1/people/{target}/deactivate")):
        assert_problem(response, 403)
    assert User.get_by_id(target).active and User.get_by_id(target).role == "agent"


def test_an_admins_read_only_token_changes_nobody_and_unknown_people_are_404(people, api_as):
    read_only = api_as(people["admin"], scope="read")
    assert read_only.get(f"/api/v1/people/{people['agent'].id}").status_code == 200
    assert_problem(read_only.patch(f"/api/v1/people/{people['agent'].id}", json={"role": "admin"}), 403)
    assert_problem(read_only.post(f"/api/v1/people/{people['agent'].id}/deactivate"), 403)
    assert_problem(api_as(people["admin"]).get("/api/v1/people/999999"), 404)
    assert_problem(api_as(None).get("/api/v1/people"), 401)
    assert User.get_by_id(people["agent"].id).role == "agent"

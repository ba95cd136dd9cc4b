"""Admins manage people and teams; nobody else may."""
import re

import pytest

from learning.accounts.models import Team, TeamCoach, User


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/teams", "/admin/teams/new",
                                  "/competencies/new"])
def test_agents_and_coaches_are_refused_admin_pages(client, login, people, path):
    for role in ("agent", "coach_a"):
        login(people[role])
        assert client.get(path).status_code == 403
        if path.endswith("/new"):
            assert client.post(path, data={}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.location


def test_admin_creates_a_person_who_can_sign_in(client, login, people):
    login(people["admin"])
    response = client.post("/admin/users/new", data={
        "display_name": "New Person", "email": "New.Person@Example.org", "role": "agent",
        "team": people["team_a"].id, "timezone": "America/New_York", "password": "a-long-secret-2"})
    assert response.status_code == 302
    person = User.get(User.email == "new.person@example.org")
    assert person.team_id == people["team_a"].id and person.timezone == "America/New_York"
    client.post("/logout")
    assert client.post("/login", data={"email": "new.person@example.org", "password": "a-long-secret-2"}).status_code == 302


def test_duplicate_email_is_refused_case_insensitively(client, login, people):
    login(people["admin"])
    before = User.select().count()
    response = client.post("/admin/users/new", data={
        "display_name": "Dup", "email": people["agent"].email.upper(), "role": "agent", "team": 0,
        "timezone": "Europe/Berlin", "password": "a-long-secret-2"})
    assert "already exists" in response.get_data(as_text=True)
    assert User.select().count() == before


def test_admin_deactivates_without_deleting(client, login, people):
    login(people["admin"])
    agent = people["agent"]
    response = client.post(f"/admin/users/{agent.id}", data={
        "display_name": agent.display_name, "email": agent.email, "role": "agent",
        "team": agent.team_id, "timezone": agent.timezone})
    assert response.status_code == 302
    assert User.get_by_id(agent.id).active is False


def test_admin_cannot_remove_own_admin_role(client, login, people):
    admin = people["admin"]
    login(admin)
    response = client.post(f"/admin/users/{admin.id}", data={
        "display_name": admin.display_name, "email": admin.email, "role": "agent", "team": 0,
        "timezone": admin.timezone, "active": "y"})
    assert "cannot remove your own admin role" in response.get_data(as_text=True)
    assert User.get_by_id(admin.id).role == "admin"


def test_team_gets_several_coaches(client, login, people):
    login(people["admin"])
    coaches = [people["coach_a"].id, people["coach_b"].id]
    response = client.post("/admin/teams/new", data={"name": "Night shift", "coaches": coaches})
    assert response.status_code == 302
    team = Team.get(Team.name == "Night shift")
    assert sorted(link.user_id for link in TeamCoach.select().where(TeamCoach.team == team)) == sorted(coaches)
    assert "Coach A, Coach B" in client.get("/admin/teams").get_data(as_text=True)


def test_unknown_person_is_404(client, login, people):
    login(people["admin"])
    assert client.get("/admin/users/999999").status_code == 404


def test_profile_saves_name_and_time_zone(client, login, people):
    login(people["agent"])
    response = client.post("/profile", data={"profile-display_name": "Renamed", "profile-timezone": "Asia/Tokyo"})
    assert response.status_code == 302
    user = User.get_by_id(people["agent"].id)
    assert (user.display_name, user.timezone) == ("Renamed", "Asia/Tokyo")
    assert "Asia/Tokyo" in client.get("/").get_data(as_text=True)


def test_teams_list_pages_and_counts_active_members_of_the_teams_shown(client, login, people, make_team, make_user):
    for n in range(25):
        make_team(f"Zulu {n:02d}")
    last = Team.get(Team.name == "Zulu 24")
    make_user("agent", team=last)
    gone = make_user("agent", team=last)
    User.update(active=False).where(User.id == gone.id).execute()
    login(people["admin"])
    first = client.get("/admin/teams").get_data(as_text=True)
    assert "Team A" in first and "Zulu 22" in first and "Zulu 23" not in first      # 25 a page, by name
    assert 'href="/admin/teams?page=2"' in first
    second = client.get("/admin/teams?page=2").get_data(as_text=True)
    assert "Zulu 23" in second and "Team A" not in second
    row = re.search(r"Zulu 24</a></th>\s*<td[^>]*>[^<]*</td>\s*<td class=\"num\"[^>]*><a href=\"/admin/users\?team=(\d+)\"[^>]*>(\d+)</a></td>",
                    second)
    assert row.groups() == (str(last.id), "1")   # the count links to that team's people


def test_an_employee_id_is_unique_where_given_and_may_be_cleared(people):
    from learning.accounts.service import set_employee_id
    from learning.refusals import Refused

    set_employee_id(people["agent"], " E-1 ")
    assert User.get_by_id(people["agent"].id).employee_id == "E-1"
    with pytest.raises(Refused) as refused:
        set_employee_id(people["other_agent"], "E-1")
    assert refused.value.field == "employee_id"
    assert User.get_by_id(people["other_agent"].id).employee_id is None
    set_employee_id(people["agent"], "")
    assert User.get_by_id(people["agent"].id).employee_id is None
    set_employee_id(people["other_agent"], "E-1")
    assert User.get_by_id(people["other_agent"].id).employee_id == "E-1"


def test_an_admin_marks_someone_a_leaver_but_never_themselves(people):
    from learning.accounts.service import deactivate
    from learning.refusals import Refused

    with pytest.raises(Refused):
        deactivate(people["admin"], people["admin"])
    assert User.get_by_id(people["admin"].id).active
    deactivate(people["agent"], people["admin"])
    assert not User.get_by_id(people["agent"].id).active

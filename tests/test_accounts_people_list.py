"""The admin's people list: filters, search, paging through many people in a fixed number of
queries, last sign-in, and the CSV export of the filtered list with formulas defused."""
import csv
import io
import re
from datetime import timedelta

from learning.accounts import people_list, service
from learning.accounts.models import User
from learning.db import utcnow
from tests.conftest import PASSWORD

PERSON_LINK = re.compile(r'<a href="/admin/users/\d+">([^<]+)</a>')


def names_on(client, query=""):
    """The names the list shows, each a link to the person's page."""
    return set(PERSON_LINK.findall(client.get(f"/admin/users{query}").get_data(as_text=True)))


def signed_in_days_ago(user, days):
    User.update(last_sign_in_at=utcnow() - timedelta(days=days)).where(User.id == user.id).execute()


def test_signing_in_records_when(client, people):
    agent = people["agent"]
    assert User.get_by_id(agent.id).last_sign_in_at is None
    client.post("/login", data={"email": agent.email, "password": PASSWORD})
    assert utcnow() - User.get_by_id(agent.id).last_sign_in_at < timedelta(minutes=1)


def test_filters_by_team_role_status_and_search(client, login, people):
    login(people["admin"])
    service.set_active(User.get_by_id(people["agent_b"].id), False, people["admin"])
    assert names_on(client, f"?team={people['team_a'].id}") == {"Coach A", "Agent A1", "Agent A2"}
    assert names_on(client, "?team=0") == {"Admin"}
    assert names_on(client, "?role=coach") == {"Coach A", "Coach B"}
    assert names_on(client, "?status=left") == {"Agent B1"}
    assert "Agent B1" not in names_on(client, "?status=active")
    assert names_on(client, "?q=agent a") == {"Agent A1", "Agent A2"}
    assert names_on(client, f"?q={people['coach_b'].email.upper()}") == {"Coach B"}
    assert names_on(client, "?role=boss&status=nonsense&team=x") == names_on(client)


def test_filters_by_last_sign_in(client, login, people):
    login(people["admin"])   # the admin signed in just now
    signed_in_days_ago(people["agent"], 10)
    signed_in_days_ago(people["coach_a"], 60)
    signed_in_days_ago(people["coach_b"], 120)
    assert names_on(client, "?signed_in=never") == {"Agent A2", "Agent B1"}
    assert names_on(client, "?signed_in=30") == {"Admin", "Agent A1"}
    assert names_on(client, "?signed_in=not30") == {"Coach A", "Coach B", "Agent A2", "Agent B1"}
    assert names_on(client, "?signed_in=not90") == {"Coach B", "Agent A2", "Agent B1"}


def test_pages_through_many_people_in_the_same_number_of_queries(client, login, people, count_queries):
    login(people["admin"])
    User.insert_many([{"email": f"p{n:04}@example.org", "display_name": f"Person {n:04}", "password_hash": "",
                       "role": "agent", "team": people["team_a"].id, "timezone": "UTC"} for n in range(300)]).execute()
    with count_queries() as first:
        page_one = client.get("/admin/users?team=%d" % people["team_a"].id).get_data(as_text=True)
    with count_queries() as later:
        page_five = client.get("/admin/users?team=%d&page=5" % people["team_a"].id).get_data(as_text=True)
    assert first.count == later.count <= 8
    assert "Person 0000" in names_on(client, "?team=%d" % people["team_a"].id)
    assert "Person 0000" not in PERSON_LINK.findall(page_five) and len(PERSON_LINK.findall(page_five)) == 25
    assert 'rel="next"' in page_five and "team=%d" % people["team_a"].id in page_five.split('rel="next"')[0]


def test_the_export_holds_the_filtered_list_with_formulas_defused(client, login, people):
    login(people["admin"])
    for name in ("=HYPERLINK(\"http://evil\")", "+1 agent", "-minus", "@sum"):
        User.create(email=f"{len(name)}{name[1]}x@example.org".replace('"', "").replace("(", ""),
                    display_name=name, password_hash="", role="agent", team=people["team_b"].id, timezone="UTC",
                    employee_id=f"-{len(name)}" if name == "-minus" else None)
    response = client.get(f"/admin/users?team={people['team_b'].id}&format=csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    names = {row["name"] for row in rows}
    assert names == {"Coach B", "Agent B1", "'=HYPERLINK(\"http://evil\")", "'+1 agent", "'-minus", "'@sum"}
    assert {row["employee_id"] for row in rows} == {"", "-6"}   # a number stays a number
    assert rows[0]["status"] == "active" and rows[0]["last_sign_in"] == "never"


def test_the_export_imports_back_unchanged(client, login, people):
    from learning.accounts.people_import import Options, import_people

    login(people["admin"])
    exported = client.get("/admin/users?format=csv").get_data(as_text=True)
    plan, outcome = import_people(exported, Options(), people["admin"])
    assert plan.ok and (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 6)


def test_only_admins_see_or_export_the_list(client, login, people):
    assert "/login" in client.get("/admin/users?format=csv").location
    for seat in ("agent", "coach_a"):
        login(people[seat])
        assert client.get("/admin/users").status_code == 403
        assert client.get("/admin/users?format=csv").status_code == 403


def team_options_on(client, query=""):
    body = client.get(f"/admin/users{query}").get_data(as_text=True)
    select = body.split("<select id=\"team\" name=\"team\"", 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', select), 'id="team-hint"' in body


def test_the_team_filter_lists_every_team_of_a_small_organisation_and_the_chosen_one_of_a_large(
        client, login, people, make_team, monkeypatch):
    """Up to TEAM_OPTIONS_AT_MOST teams the filter lists them all; beyond, it offers the team chosen
    (reached from the teams list's member counts) and says where the others are, and still filters."""
    login(people["admin"])
    team_a, team_b = people["team_a"], people["team_b"]
    options, hint = team_options_on(client)
    assert [name for _, name in options] == ["All teams", "No team", "Team A", "Team B"] and not hint

    monkeypatch.setattr(people_list, "TEAM_OPTIONS_AT_MOST", 1)
    options, hint = team_options_on(client)
    assert [name for _, name in options] == ["All teams", "No team"] and hint
    options, hint = team_options_on(client, f"?team={team_b.id}")
    assert options[-1] == (str(team_b.id), "Team B") and len(options) == 3 and hint
    assert names_on(client, f"?team={team_b.id}") == {"Coach B", "Agent B1"}
    assert names_on(client, "?team=0") == {"Admin"}
    teams_page = client.get("/admin/teams").get_data(as_text=True)
    assert f'href="/admin/users?team={team_a.id}"' in teams_page and f'href="/admin/users?team={team_b.id}"' in teams_page

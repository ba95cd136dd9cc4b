"""Leavers: deactivated by hand or by an import's sync, a person loses access, gives up
future places (the next in line is promoted and told) and their open plans are handed
over or closed; history stays; reactivation restores access."""
from datetime import timedelta

import pytest

from learning.accounts import service
from learning.accounts.models import User
from learning.accounts.people_import import Options, import_people
from learning.coaching.models import CheckIn, Plan
from learning.curriculum import service as curriculum
from learning.curriculum.models import Enrolment
from learning.db import utcnow
from learning.notify.models import Notification
from learning.schedule import service as schedule
from learning.schedule.models import Rsvp, Session
from tests.conftest import PASSWORD


def fresh(user):
    return User.get_by_id(user.id)


def deactivate_by_hand(client, login, people, person, plans_to=""):
    login(people["admin"])
    return client.post(f"/admin/users/{person.id}", data={
        "display_name": person.display_name, "email": person.email, "role": person.role,
        "team": person.team_id or 0, "timezone": person.timezone, "plans_to": plans_to})


def test_a_leaver_cannot_sign_in_and_their_sessions_and_feeds_stop(app, client, login, people, feed_url):
    agent = people["agent"]
    url = feed_url(agent)
    other = app.test_client()
    other.post("/login", data={"email": agent.email, "password": PASSWORD})
    assert other.get("/").status_code == 200 and client.get(url).status_code == 200
    assert deactivate_by_hand(client, login, people, agent).status_code == 302
    assert "/login" in other.get("/").location
    assert client.get(url).status_code == 404
    client.post("/logout")
    assert client.post("/login", data={"email": agent.email, "password": PASSWORD}).status_code == 200
    assert client.get("/").status_code == 302


def test_reactivation_restores_access(client, login, people):
    agent = people["agent"]
    deactivate_by_hand(client, login, people, agent)
    client.post(f"/admin/users/{agent.id}", data={
        "display_name": agent.display_name, "email": agent.email, "role": "agent", "team": agent.team_id,
        "timezone": agent.timezone, "active": "y"})
    assert fresh(agent).active
    assert login(agent).get("/").status_code == 200


def test_a_leaver_gives_up_future_seats_and_the_first_in_line_is_promoted_and_told(
        in_app_context, people, one_session, new_series):
    agent, waiting = people["agent"], people["agent_b"]
    schedule.rsvp(one_session, agent)
    schedule.rsvp(one_session, people["other_agent"])
    schedule.rsvp(one_session, waiting)
    past = new_series(title="Held last month", capacity=None).sessions.get()
    Session.update(starts_at=utcnow() - timedelta(days=30), ends_at=utcnow() - timedelta(days=30, hours=-1)).where(
        Session.id == past.id).execute()
    Rsvp.create(session=past, user=agent, status="going", queue_number=1)
    service.set_active(fresh(agent), False, people["admin"])
    assert Rsvp.get(Rsvp.session == one_session, Rsvp.user == agent).status == "withdrawn"
    assert Rsvp.get(Rsvp.session == one_session, Rsvp.user == waiting).status == "going"
    assert Notification.select().where(Notification.user == waiting, Notification.text.contains("A seat freed")).exists()
    assert Rsvp.get(Rsvp.session == past, Rsvp.user == agent).status == "going"   # history stays
    assert not Notification.select().where(Notification.user == agent,
                                           Notification.text.contains("no longer have a place")).exists()


def test_a_leaver_leaves_open_cohorts_and_the_waitlist_moves_up(make_module, make_cohort, people):
    cohort = make_cohort(make_module(), capacity=1)
    place = curriculum.enrol(cohort, people["agent"])
    curriculum.enrol(cohort, people["other_agent"])
    service.set_active(fresh(people["agent"]), False, people["admin"])
    assert Enrolment.get_by_id(place.id).status == "withdrawn"
    assert Enrolment.get(Enrolment.user == people["other_agent"]).status == "going"


def test_a_leaving_coachs_open_plans_go_to_the_coach_the_admin_chose(client, login, people, plan, checkin):
    coach_b = people["coach_b"]
    response = deactivate_by_hand(client, login, people, people["coach_a"], plans_to=coach_b.id)
    assert response.status_code == 302
    assert Plan.get_by_id(plan.id).coach_id == coach_b.id and Plan.get_by_id(plan.id).status == "active"
    moved = CheckIn.get_by_id(checkin.id)
    assert moved.coach_id == coach_b.id and moved.status == "scheduled" and moved.sequence > checkin.sequence


def test_a_leaving_coachs_open_plans_are_closed_when_the_admin_chooses(in_app_context, people, plan, checkin):
    service.set_active(fresh(people["coach_a"]), False, people["admin"])
    assert Plan.get_by_id(plan.id).status == "completed"
    assert CheckIn.get_by_id(checkin.id).status == "cancelled"
    assert Notification.select().where(Notification.user == people["agent"]).exists()   # told of the cancellation


def test_an_agent_who_leaves_has_their_own_open_plans_closed(in_app_context, people, plan):
    service.set_active(fresh(people["agent"]), False, people["admin"], plans_to=people["coach_b"])
    assert Plan.get_by_id(plan.id).status == "completed" and Plan.get_by_id(plan.id).coach_id == people["coach_a"].id


def test_plans_cannot_go_to_an_agent_and_nothing_is_written(client, login, people, plan):
    response = deactivate_by_hand(client, login, people, people["coach_a"], plans_to=people["agent"].id)
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert fresh(people["coach_a"]).active and Plan.get_by_id(plan.id).status == "active"
    with pytest.raises(Exception, match="Choose an active coach"):
        service.check_plans_to(people["agent"].id)


def test_sync_leavers_give_up_places_and_plans_as_leavers_by_hand_do(in_app_context, people, one_session, plan):
    schedule.rsvp(one_session, people["agent"])
    keep = [people[k] for k in ("admin", "coach_b", "other_agent", "agent_b")]
    text = "email,name,team,role,timezone\n" + "".join(
        f"{p.email},{p.display_name},{p.team.name if p.team_id else ''},{p.role},{p.timezone}\n" for p in keep)
    plan_, outcome = import_people(text, Options(sync=True, plans_to=people["coach_b"].id), people["admin"])
    assert outcome.left == 2 and not fresh(people["agent"]).active and not fresh(people["coach_a"]).active
    assert Rsvp.get(Rsvp.session == one_session, Rsvp.user == people["agent"]).status == "withdrawn"
    assert Plan.get_by_id(plan.id).status == "completed"   # the agent left too: their own plan closes


def test_only_admins_may_deactivate(client, login, people):
    for seat in ("agent", "coach_a"):
        assert deactivate_by_hand(client, lambda u: login(people[seat]), people, people["other_agent"]).status_code == 403
    assert fresh(people["other_agent"]).active


def test_a_coach_who_left_is_no_longer_listed_as_their_teams_coach(client, login, people):
    deactivate_by_hand(client, login, people, people["coach_a"])
    client.get("/admin/users")   # the "saved" message shows there
    teams = client.get("/admin/teams").get_data(as_text=True)
    assert "Coach B" in teams and "Coach A" not in teams and "No coach yet" in teams

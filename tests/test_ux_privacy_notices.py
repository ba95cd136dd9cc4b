"""What peers do not see (a case's heaviness, others' attendance marks), and notices: none
for one's own actions, and the demo's notices link to things that exist."""
from datetime import timedelta

from learning.cases import meetups
from learning.db import utcnow
from learning.notify.models import Notification
from learning.schedule import attendance, service as schedule
from learning.schedule.models import Rsvp, Session


def heavy_case_page(client, login, make_case, make_meetup, people, viewer):
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]], facilitator=people["other_agent"]) \
        if viewer == "facilitator" else make_meetup(team=people["team_a"], going=[people["other_agent"]])
    case = make_case(people["agent"], heaviness=5)
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 20)
    seat = {"facilitator": "other_agent", "peer": "other_agent"}.get(viewer, viewer)
    login(people[seat])
    return client.get(f"/cases/{case.id}").data.decode()


def test_the_heaviness_chip_is_for_the_author_facilitators_coaches_and_admins(client, login, make_case,
                                                                              make_meetup, people):
    for viewer in ("agent", "coach_a", "admin", "facilitator"):
        assert "felt 5/5" in heavy_case_page(client, login, make_case, make_meetup, people, viewer), viewer


def test_peers_and_other_teams_coaches_do_not_see_the_heaviness(client, login, make_case, make_meetup, people):
    for viewer in ("peer", "coach_b"):
        page = heavy_case_page(client, login, make_case, make_meetup, people, viewer)
        assert "felt 5/5" not in page, viewer


def past_session_with_marks(one_session, people):
    for person in (people["agent"], people["other_agent"]):
        schedule.rsvp(one_session, person)
    Session.update(starts_at=one_session.starts_at - timedelta(days=30)).where(Session.id == one_session.id).execute()
    session = Session.get_by_id(one_session.id)
    attendance.record_attendance(session, {people["agent"].id: "attended", people["other_agent"].id: "no_show"})
    return session


def test_a_peer_sees_who_came_and_their_own_mark_not_the_others(client, login, people, one_session, in_app_context):
    session = past_session_with_marks(one_session, people)
    page = login(people["agent"]).get(f"/sessions/{session.id}").data.decode()
    assert people["other_agent"].display_name in page
    assert "attended" in page and "no-show" not in page
    page = login(people["coach_a"]).get(f"/sessions/{session.id}").data.decode()
    assert "attended" in page and "no-show" in page


def test_no_notice_for_ones_own_rsvp_but_for_a_coach_adding_you(client, login, people, one_session):
    agent = people["agent"]
    login(agent).post(f"/sessions/{one_session.id}/rsvp", data={"action": "going"})
    assert Rsvp.get(Rsvp.user == agent).status == "going"
    assert Notification.select().where(Notification.user == agent).count() == 0
    login(agent).post(f"/sessions/{one_session.id}/rsvp", data={"action": "withdraw"})
    assert Notification.select().where(Notification.user == agent).count() == 0


def test_someone_elses_change_still_notifies(client, login, people, one_session, in_app_context):
    schedule.rsvp(one_session, people["agent"])          # outside a request: no one is acting
    assert Notification.select().where(Notification.user == people["agent"]).count() == 1


def test_an_announcement_does_not_notify_its_author(client, login, people):
    from learning.outreach.service import announce

    coach = people["coach_a"]
    with client.application.test_request_context():
        from flask_login import login_user
        login_user(coach)
        announce(coach, people["team_a"], "Stand-up moves to 9:30", utcnow().date() + timedelta(days=3))
    notified = {n.user_id for n in Notification.select()}
    assert coach.id not in notified and people["agent"].id in notified


def test_demo_notices_link_to_things_that_exist(app, client, login):
    from learning.accounts.models import User
    from tests.conftest import seed_demo

    seed_demo(app)
    notices = list(Notification.select().join(User).where(User.email.in_(
        ["agent@example.com", "priya@example.com", "coach@example.com", "tom@example.com"])))
    assert len(notices) >= 8
    for notice in notices:
        login(notice.user, "learning-demo")
        assert client.get(notice.link).status_code == 200, (notice.text, notice.link)
        assert "{at}" not in notice.text

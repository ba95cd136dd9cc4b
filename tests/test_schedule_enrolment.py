"""Whole-series places: a coach enrols a team or chosen people in every future session (seats
while they last, then the waitlist in order), a person joins or leaves every future session in
one action, and the sessions a series gains later give its members places too."""
from datetime import timedelta

import pytest

from learning.accounts.models import User
from learning.db import utcnow
from learning.notify.models import Notification
from learning.refusals import NotFound, Refused
from learning.schedule import editing, enrolment, service
from learning.schedule.models import Rsvp, SeriesMember, Session
from learning.schedule.recurrence import build_rule
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.usefixtures("in_app_context")


@pytest.fixture
def weekly(new_series, people):
    """Team A's weekly skill series: four sessions, three seats each."""
    def factory(count=4, capacity=3, team=people["team_a"], **overrides):
        first = next_weekday_at(10, days_ahead=3)
        fields = dict(title="Weekly listening", first_start_local=first, capacity=capacity, team=team,
                      rrule=build_rule("weekly", first, count=count), created_by=people["coach_a"])
        return new_series(**{**fields, **overrides})
    return factory


@pytest.fixture
def team_a(people, make_user):
    """Team A grown to six agents besides its coach, named so their order is known."""
    extra = [make_user("agent", team=people["team_a"], name=f"Agent A{n}") for n in range(3, 7)]
    return [people["agent"], people["other_agent"], *extra]


def places(series, status=None):
    query = Rsvp.select().join(Session).where(Session.series == series)
    return list(query.where(Rsvp.status == status) if status else query)


def going_names(session):
    return [p.user.display_name for p in Rsvp.select(Rsvp, User).join(User)
            .where(Rsvp.session == session, Rsvp.status == "going").order_by(Rsvp.queue_number)]


def test_a_coach_enrols_their_team_seats_first_then_the_waitlist_in_name_order(weekly, people, team_a):
    series = weekly()
    outcomes = enrolment.enrol_in_series(series, people["coach_a"], team=people["team_a"])
    names = [o.user.display_name for o in outcomes]
    assert names == sorted(names) and len(names) == 7   # six agents and the coach, by name
    first = series.sessions.order_by(Session.starts_at).first()
    assert going_names(first) == names[:3]
    assert [(o.going, o.waiting, o.position) for o in outcomes] == (
        [(4, 0, None)] * 3 + [(0, 4, n) for n in (1, 2, 3, 4)])
    assert all(session.rsvps.where(Rsvp.status == "going").count() == 3 for session in series.sessions)
    assert SeriesMember.select().where(SeriesMember.series == series).count() == 7


def test_a_person_already_booked_keeps_their_place_and_counts_once(weekly, people, team_a):
    series = weekly(capacity=2)
    second = series.sessions.order_by(Session.starts_at)[1]
    service.rsvp(second, people["other_agent"])
    outcomes = {o.user.id: o for o in enrolment.enrol_in_series(series, people["coach_a"], user_ids=[
        people["agent"].id, people["other_agent"].id])}
    assert (outcomes[people["other_agent"].id].kept, outcomes[people["other_agent"].id].going) == (1, 3)
    assert Rsvp.select().where(Rsvp.session == second).count() == 2
    assert going_names(second) == ["Agent A2", "Agent A1"]   # the early RSVP stays first in line


def test_someone_who_withdrew_comes_back_on_their_old_row_with_a_new_sequence(weekly, people):
    series = weekly()
    session = series.sessions.order_by(Session.starts_at).first()
    service.rsvp(session, people["agent"])
    service.withdraw(session, people["agent"])
    before = Rsvp.get(Rsvp.session == session, Rsvp.user == people["agent"])
    enrolment.enrol_in_series(series, people["coach_a"], user_ids=[people["agent"].id])
    after = Rsvp.get_by_id(before.id)
    assert (after.status, after.sequence) == ("going", before.sequence + 1)


def test_cancelled_and_past_sessions_are_left_out(weekly, people):
    series = weekly()
    first, second, *_ = series.sessions.order_by(Session.starts_at)
    editing.cancel_session(second, confirm=True)
    Session.update(starts_at=utcnow() - timedelta(hours=2), ends_at=utcnow() - timedelta(hours=1)).where(
        Session.id == first.id).execute()
    outcome, = enrolment.enrol_in_series(series, people["coach_a"], user_ids=[people["agent"].id])
    assert outcome.going == 2
    assert {p.session_id for p in places(series)} == {s.id for s in series.sessions.order_by(Session.starts_at)[2:]}


def test_sessions_the_series_gains_later_give_members_a_place(weekly, people, app):
    series = weekly(rrule=build_rule("weekly", next_weekday_at(10, days_ahead=3)))
    enrolment.enrol_in_series(series, people["coach_a"], user_ids=[people["agent"].id])
    held = len(places(series))
    app.config["SCHEDULE_HORIZON_DAYS"] = 365 + 28
    assert service.extend_horizon() == 4
    assert len(places(series, "going")) == held + 4


@pytest.mark.parametrize("seat", ["coach_b", "agent"])
def test_only_those_who_manage_the_series_may_enrol(weekly, people, seat):
    with pytest.raises(NotFound):
        enrolment.enrol_in_series(weekly(), people[seat], team=people["team_a"])
    assert Rsvp.select().count() == 0


def test_a_coach_enrols_neither_another_team_nor_its_people(weekly, people, team_a):
    series = weekly(team=None)
    with pytest.raises(Refused) as refused:
        enrolment.enrol_in_series(series, people["coach_a"], team=people["team_b"])
    assert refused.value.field == "team_id"
    with pytest.raises(Refused) as refused:
        enrolment.enrol_in_series(series, people["coach_a"], user_ids=[people["agent"].id, people["agent_b"].id])
    assert refused.value.field == "user_ids"
    assert Rsvp.select().count() == 0 and SeriesMember.select().count() == 0


def test_an_admin_enrols_any_team(weekly, people):
    series = weekly(team=None, capacity=None)
    outcomes = enrolment.enrol_in_series(series, people["admin"], team=people["team_b"])
    assert [o.user.display_name for o in outcomes] == ["Agent B1", "Coach B"]
    assert len(places(series, "going")) == 8


def test_each_person_enrolled_gets_one_notice_for_the_whole_series(weekly, people, team_a):
    series = weekly()
    service.rsvp(series.sessions.order_by(Session.starts_at).first(), people["agent"])
    enrolment.enrol_in_series(series, people["coach_a"], team=people["team_a"])
    notices = list(Notification.select().where(Notification.link == f"/series/{series.id}"))
    assert len(notices) == 7 and len({n.user_id for n in notices}) == 7
    assert "every future session of Weekly listening" in notices[0].text


def test_enrolling_forty_people_in_twelve_sessions_writes_places_set_based(weekly, people, make_user, make_team,
                                                                          count_queries):
    def queries_for(size):
        team = make_team(f"Bulk {size}")
        for n in range(size):
            make_user("agent", team=team, name=f"Bulk {size} {n}")
        series = weekly(count=12, capacity=3, team=None)
        with count_queries() as counter:
            enrolment.enrol_in_series(series, people["admin"], team=team)
        return counter.count
    # Places, members and locks cost the same for 5 or 40 people; each person's one notice (and
    # its mail) is written by the notification centre, two statements a person.
    assert queries_for(40) - queries_for(5) == 2 * 35


def test_a_person_joins_every_future_session_and_leaves_them_all_in_one_action(weekly, people, team_a):
    series = weekly(capacity=1)
    service.rsvp(series.sessions.order_by(Session.starts_at).first(), people["other_agent"])
    outcome = enrolment.join_series(series, people["agent"])
    assert (outcome.going, outcome.waiting, outcome.position) == (3, 1, 1)
    assert enrolment.is_member(series, people["agent"])
    assert enrolment.leave_series(series, people["agent"]) == 4
    assert not enrolment.is_member(series, people["agent"])
    assert [p.user_id for p in places(series, "going")] == [people["other_agent"].id]
    with pytest.raises(Refused):
        enrolment.leave_series(series, people["agent"])


def test_leaving_a_full_series_promotes_the_first_in_line_at_each_session(weekly, people, team_a):
    series = weekly(capacity=1)
    enrolment.join_series(series, people["agent"])
    enrolment.join_series(series, people["other_agent"])
    enrolment.leave_series(series, people["agent"])
    assert all(going_names(s) == ["Agent A2"] for s in series.sessions)


def test_a_team_series_takes_joins_from_its_members_only(weekly, people):
    with pytest.raises(Refused, match="for its team"):
        enrolment.join_series(weekly(), people["agent_b"])
    assert Rsvp.select().count() == 0


def test_joining_skips_sessions_closed_for_rsvp(weekly, people):
    series = weekly()
    Session.update(rsvp_closed=True).where(Session.id == series.sessions.order_by(Session.starts_at).first().id).execute()
    assert enrolment.join_series(series, people["agent"]).going == 3


# --- pages ------------------------------------------------------------------------------

def test_the_enrol_page_shows_who_got_a_seat_and_who_waits(client, login, weekly, people, team_a):
    series = weekly()
    login(people["coach_a"])
    page = client.get(f"/series/{series.id}/enrol").get_data(as_text=True)
    assert 'selected value="%d"' % people["team_a"].id in page or f'value="{people["team_a"].id}" selected' in page
    response = client.post(f"/series/{series.id}/enrol", data={"team_id": people["team_a"].id})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enrolled 7 people" in page
    assert "number 1 in line" in page and "Agent A1" in page


def test_the_enrol_page_refuses_a_stranger_and_writes_nothing(client, login, weekly, people):
    series = weekly()
    login(people["coach_a"])
    response = client.post(f"/series/{series.id}/enrol", data={"team_id": 0, "user_ids": [people["agent_b"].id]})
    assert response.status_code == 400 and "Choose people from the teams you coach." in response.get_data(as_text=True)
    response = client.post(f"/series/{series.id}/enrol", data={"team_id": 0})
    assert response.status_code == 400 and "Choose a team or tick" in response.get_data(as_text=True)
    assert Rsvp.select().count() == 0


def test_enrol_page_from_every_seat(client, login, weekly, people):
    series = weekly()
    assert client.get(f"/series/{series.id}/enrol").status_code == 302   # anonymous: sign in
    expected = {"agent": 403, "coach_b": 404, "coach_a": 200, "admin": 200}
    for seat, status in expected.items():
        login(people[seat])
        assert client.get(f"/series/{series.id}/enrol").status_code == status, seat


def test_the_series_page_offers_all_future_sessions_then_leaving_them(client, login, weekly, people):
    series = weekly()
    login(people["agent"])
    assert "Going to all future sessions" in client.get(f"/series/{series.id}").get_data(as_text=True)
    client.post(f"/series/{series.id}/places", data={"action": "join"})
    page = client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "You have a place at 4 future sessions." in page and "Leave all future sessions" in page
    client.post(f"/series/{series.id}/places", data={"action": "leave"})
    assert not places(series, "going")


# --- attendance for a whole team ----------------------------------------------------------

def past_session_with(series, people_going):
    session = series.sessions.order_by(Session.starts_at).first()
    for person in people_going:
        service.rsvp(session, person)
    Session.update(starts_at=utcnow() - timedelta(hours=2), ends_at=utcnow() - timedelta(hours=1)).where(
        Session.id == session.id).execute()
    return Session.get_by_id(session.id)


def marks_of(session):
    return {r.user.display_name: r.attendance for r in Rsvp.select(Rsvp, User).join(User).where(Rsvp.session == session)}


def test_everyone_else_present_marks_the_rest_attended_beside_the_exceptions(weekly, people, team_a):
    from learning.schedule.attendance import record_attendance

    past = past_session_with(weekly(capacity=None), team_a)
    record_attendance(past, {people["agent"].id: "no_show"}, rest_attended=True)
    marks = marks_of(past)
    assert marks.pop("Agent A1") == "no_show" and set(marks.values()) == {"attended"}
    # later exceptions change only those marked; saved marks stay
    recorded = record_attendance(past, {people["other_agent"].id: "excused"}, rest_attended=True)
    assert [r.user_id for r in recorded] == [people["other_agent"].id]
    assert marks_of(past)["Agent A1"] == "no_show"


def test_marking_all_present_leaves_waitlisted_people_out(weekly, people, team_a):
    from learning.schedule.attendance import record_attendance

    past = past_session_with(weekly(capacity=2), team_a[:3])
    record_attendance(past, {}, rest_attended=True)
    assert sorted(v or "" for v in marks_of(past).values()) == ["", "attended", "attended"]


def test_a_walk_in_is_found_by_name_and_added(client, login, weekly, people):
    past = past_session_with(weekly(capacity=None), [people["agent"]])
    login(people["coach_a"])
    page = client.get(f"/sessions/{past.id}/attendance?walk_in=agent b").get_data(as_text=True)
    assert f'value="{people["agent_b"].id}"' in page and f'name="walk_in_ids" value="{people["agent"].id}"' not in page
    client.post(f"/sessions/{past.id}/attendance", data={"walk_in_ids": [people["agent_b"].id], "rest_present": "1"})
    assert marks_of(past) == {"Agent A1": "attended", "Agent B1": "attended"}
    assert Rsvp.get(Rsvp.user == people["agent_b"]).walk_in


def test_attendance_is_saved_set_based_whatever_the_team_size(weekly, people, make_user, make_team, count_queries):
    from learning.schedule.attendance import record_attendance

    def queries_for(size):
        team = make_team(f"Present {size}")
        members = [make_user("agent", team=team) for _ in range(size)]
        past = past_session_with(weekly(capacity=None, team=None), members)
        with count_queries() as counter:
            record_attendance(past, {members[0].id: "no_show"}, rest_attended=True)
        return counter.count
    assert queries_for(30) == queries_for(3)


def test_a_past_session_of_a_bulk_enrolled_series_waits_in_attendance_to_take_until_taken(weekly, people, team_a):
    from learning.schedule.attendance import record_attendance

    series = weekly(capacity=None, facilitator_ids=[people["coach_a"].id])
    enrolment.enrol_in_series(series, people["coach_a"], team=people["team_a"])
    past = series.sessions.order_by(Session.starts_at).first()
    Session.update(starts_at=utcnow() - timedelta(hours=2), ends_at=utcnow() - timedelta(hours=1)).where(
        Session.id == past.id).execute()
    assert [s.id for s in service.attendance_to_take(people["coach_a"], utcnow())] == [past.id]
    record_attendance(Session.get_by_id(past.id), {}, rest_attended=True)
    assert service.attendance_to_take(people["coach_a"], utcnow()) == []

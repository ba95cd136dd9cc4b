"""Check-ins: scheduled in the coach's zone, never in the past; moving and cancelling bump the
calendar sequence and send a signal; agenda both add to; agreed actions acknowledged by the employee."""
from datetime import timedelta

import pytest

from learning.coaching.checkins import acknowledge_checkin, move_checkin, record_agreed_actions, schedule_checkin
from learning.coaching.models import CheckInAgendaItem, CheckIn
from learning.coaching.service import checkins_for_feed
from learning.db import utcnow
from tests.fixtures_coaching import future_local
from learning.refusals import Refused


def test_a_checkin_is_stored_in_utc_from_the_coach_zone(people, plan, caught_signals):
    scheduled = caught_signals("coaching.checkin-changed")
    local = future_local(days=10, hour=10)
    checkin = schedule_checkin(people["coach_a"], plan, local, 45)
    assert checkin.timezone == "Europe/Berlin"
    assert checkin.starts_at.hour in (8, 9)             # 10:00 Berlin is 08:00 or 09:00 UTC
    assert checkin.ends_at - checkin.starts_at == timedelta(minutes=45)
    assert [(s.id, k["change"]) for s, k in scheduled] == [(checkin.id, "scheduled")]


def test_a_checkin_in_the_past_is_refused_and_nothing_written(client, login, people, plan):
    login(people["coach_a"])
    yesterday = utcnow().date() - timedelta(days=1)
    response = client.post(f"/plans/{plan.id}/checkins", data={
        "date": yesterday.isoformat(), "time": "10:00", "duration": 30, "video_url": ""})
    assert response.status_code == 400
    assert "A check-in cannot be in the past." in response.get_data(as_text=True)
    assert CheckIn.select().count() == 0


def test_a_bad_video_link_is_refused(people, plan):
    with pytest.raises(Refused, match="https://"):
        schedule_checkin(people["coach_a"], plan, future_local(), 30, "javascript:alert(1)")
    assert CheckIn.select().count() == 0


def test_only_a_coach_of_the_employee_schedules(client, login, people, plan):
    login(people["agent"])
    data = {"date": (utcnow().date() + timedelta(days=3)).isoformat(), "time": "10:00", "duration": 30}
    assert client.post(f"/plans/{plan.id}/checkins", data=data).status_code == 404
    login(people["admin"])
    assert client.post(f"/plans/{plan.id}/checkins", data=data).status_code == 404
    assert CheckIn.select().count() == 0


def test_moving_and_cancelling_bump_sequence_and_changed_at(client, login, people, checkin, caught_signals):
    changes = caught_signals("coaching.checkin-changed")
    CheckIn.update(changed_at=utcnow() - timedelta(days=1)).where(CheckIn.id == checkin.id).execute()
    login(people["coach_a"])
    later = (utcnow().date() + timedelta(days=14)).isoformat()
    client.post(f"/checkins/{checkin.id}/move", data={"date": later, "time": "15:30", "duration": 60, "video_url": ""})
    moved = CheckIn.get_by_id(checkin.id)
    assert moved.sequence == 1 and moved.changed_at > utcnow() - timedelta(minutes=1)
    assert moved.starts_at.date().isoformat() == later
    client.post(f"/checkins/{checkin.id}/cancel")
    cancelled = CheckIn.get_by_id(checkin.id)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 2)
    assert [k["change"] for _, k in changes] == ["moved", "cancelled"]


def test_moving_into_the_past_is_refused(people, checkin):
    with pytest.raises(Refused, match="past"):
        move_checkin(people["coach_a"], checkin, future_local(days=-2), 30)
    assert CheckIn.get_by_id(checkin.id).sequence == 0


def test_feed_lists_checkins_for_the_employee_and_the_coach_only(people, checkin):
    start, end = utcnow() - timedelta(days=1), utcnow() + timedelta(days=30)
    assert [c.id for c in checkins_for_feed(people["agent"], start, end)] == [checkin.id]
    assert [c.id for c in checkins_for_feed(people["coach_a"], start, end)] == [checkin.id]
    assert checkins_for_feed(people["other_agent"], start, end) == []
    assert checkins_for_feed(people["agent"], end, end + timedelta(days=30)) == []
    found = checkins_for_feed(people["agent"], start, end)[0]
    assert found.title == "Coaching check-in: Agent A1 with Coach A"


def test_both_people_add_to_the_agenda(client, login, people, checkin):
    login(people["agent"])
    client.post(f"/checkins/{checkin.id}/agenda", data={"text": "Difficult refund call"})
    login(people["coach_a"])
    client.post(f"/checkins/{checkin.id}/agenda", data={"text": "Listening goal"})
    page = client.get(f"/checkins/{checkin.id}").get_data(as_text=True)
    assert "Difficult refund call" in page and "Listening goal" in page
    login(people["other_agent"])
    assert client.post(f"/checkins/{checkin.id}/agenda", data={"text": "Me too"}).status_code == 404
    assert CheckInAgendaItem.select().count() == 2


def test_employee_acknowledges_agreed_actions_or_comments(client, login, people, checkin):
    with pytest.raises(Refused, match="no agreed actions"):
        acknowledge_checkin(people["agent"], checkin, True)
    record_agreed_actions(people["coach_a"], checkin, "Summarise before solving")
    login(people["agent"])
    response = client.post(f"/checkins/{checkin.id}/acknowledge", data={"comment": ""})
    assert "Write a comment, or tick that you agree." in response.get_data(as_text=True)
    assert CheckIn.get_by_id(checkin.id).acknowledgement == ""
    client.post(f"/checkins/{checkin.id}/acknowledge", data={"agreed": "y"})
    assert CheckIn.get_by_id(checkin.id).acknowledgement == "agreed"
    record_agreed_actions(people["coach_a"], CheckIn.get_by_id(checkin.id), "Changed")
    assert CheckIn.get_by_id(checkin.id).acknowledgement == ""   # asked again after a change


def test_next_checkins_list_one_still_running_and_not_one_over(people, plan, checkin):
    from learning.coaching.checkins import upcoming_checkins

    now = utcnow()
    running = CheckIn.create(plan=plan, employee=people["agent"], coach=people["coach_a"], starts_at=now - timedelta(hours=3),
                             ends_at=now + timedelta(minutes=10), timezone="Europe/Berlin")
    CheckIn.create(plan=plan, employee=people["agent"], coach=people["coach_a"], starts_at=now - timedelta(hours=2),
                   ends_at=now - timedelta(minutes=1), timezone="Europe/Berlin")
    CheckIn.create(plan=plan, employee=people["agent"], coach=people["coach_a"], starts_at=now + timedelta(days=1),
                   ends_at=now + timedelta(days=1, minutes=30), timezone="Europe/Berlin", status="cancelled")
    for viewer in ("admin", "coach_a", "agent"):
        assert [c.id for c in upcoming_checkins(people[viewer])] == [running.id, checkin.id], viewer
        assert upcoming_checkins(people[viewer])[0].employee.display_name == "Agent A1"
    assert upcoming_checkins(people["coach_b"]) == [] and upcoming_checkins(people["agent_b"]) == []


def test_a_checkin_is_never_longer_than_the_lists_look_back(people, plan):
    from learning.coaching.checkins import LONGEST_MINUTES

    with pytest.raises(Refused):
        schedule_checkin(people["coach_a"], plan, future_local(), LONGEST_MINUTES + 1)
    assert schedule_checkin(people["coach_a"], plan, future_local(), LONGEST_MINUTES).id

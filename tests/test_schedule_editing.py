"""Editing one occurrence, cancelling it, capacity, and a series from a date on."""
from datetime import timedelta

import pytest

from learning.refusals import NeedsConfirmation, Refused
from learning.schedule import editing, service, signals
from learning.schedule.models import Rsvp, Session
from learning.schedule.recurrence import build_rule
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.usefixtures("in_app_context")


@pytest.fixture
def weekly(new_series):
    first = next_weekday_at(10)
    return new_series(first_start_local=first, rrule=build_rule("weekly", first, count=6), capacity=1)


def ordered(series):
    return list(Session.select().where(Session.series == series).order_by(Session.recurrence_local))


def test_moving_one_occurrence_keeps_its_uid_counts_the_change_and_leaves_the_others(weekly, people):
    second = ordered(weekly)[1]
    service.rsvp(second, people["agent"])
    heard = []

    def listen(sender, **kw):
        heard.append((sender.id, kw["change"], kw["user_ids"]))
    with signals.session_changed.connected_to(listen):
        editing.edit_session(second, second.recurrence_local + timedelta(days=1, hours=2), 90, location="Room 4")
    sessions = ordered(weekly)
    moved = Session.get_by_id(second.id)
    assert moved.uid == second.uid and moved.sequence == 1 and moved.moved
    assert moved.starts_at == second.starts_at + timedelta(days=1, hours=2)
    assert moved.ends_at - moved.starts_at == timedelta(minutes=90) and moved.location == "Room 4"
    assert all(s.sequence == 0 and s.location == "" for s in sessions if s.id != second.id)
    assert heard == [(second.id, "moved", [people["agent"].id])]


def test_cancelling_one_occurrence_with_rsvps_asks_first_then_cancels_only_it(weekly, people):
    third = ordered(weekly)[2]
    service.rsvp(third, people["agent"])
    with pytest.raises(NeedsConfirmation) as asked:
        editing.cancel_session(third)
    assert asked.value.affected == 1 and Session.get_by_id(third.id).status == "scheduled"
    editing.cancel_session(third, confirm=True)
    statuses = [s.status for s in ordered(weekly)]
    assert statuses == ["scheduled", "scheduled", "cancelled", "scheduled", "scheduled", "scheduled"]
    assert Session.get_by_id(third.id).sequence == 1
    with pytest.raises(Refused, match="cancelled"):
        service.rsvp(Session.get_by_id(third.id), people["other_agent"])


def test_growing_capacity_promotes_from_the_waitlist_and_shrinking_below_going_asks(weekly, people):
    first = ordered(weekly)[0]
    service.rsvp(first, people["agent"])
    waiting = service.rsvp(first, people["other_agent"])
    assert waiting.status == "waitlisted"
    promoted = editing.set_capacity(first, 2)
    assert [p.user_id for p in promoted] == [people["other_agent"].id]
    with pytest.raises(NeedsConfirmation) as asked:
        editing.set_capacity(Session.get_by_id(first.id), 1)
    assert asked.value.field == "capacity" and Session.get_by_id(first.id).capacity == 2
    with pytest.raises(Refused):
        editing.set_capacity(Session.get_by_id(first.id), -1)


def test_coach_adds_and_removes_a_person(weekly, people):
    first = ordered(weekly)[0]
    editing.add_person(first, people["agent"])
    editing.add_person(first, people["agent_b"])
    assert [p.status for p in Rsvp.select().order_by(Rsvp.queue_number)] == ["going", "waitlisted"]
    editing.remove_person(first, people["agent"])
    assert Rsvp.get(Rsvp.user == people["agent_b"]).status == "going"


def series_fields(series, **changes):
    fields = dict(title=series.title, timezone=series.timezone, first_start_local=series.first_start_local,
                  duration_minutes=series.duration_minutes, rrule=series.rrule, capacity=series.capacity)
    fields.update(changes)
    return fields


def test_editing_from_a_date_moves_later_occurrences_keeping_uids_and_places(weekly, people):
    sessions = ordered(weekly)
    service.rsvp(sessions[4], people["agent"])
    editing.edit_session(sessions[5], sessions[5].recurrence_local, 60, location="Moved room")
    from_start = sessions[3].recurrence_local.replace(hour=11)
    result = editing.edit_series_from(weekly, from_start.date(), **series_fields(
        weekly, first_start_local=from_start, rrule=build_rule("weekly", from_start, count=3), location="Hall"))
    after = ordered(weekly)
    assert [s.uid for s in after] == [s.uid for s in sessions]
    assert [s.recurrence_local.hour for s in after[:3]] == [10, 10, 10]
    assert [s.recurrence_local.hour for s in after[3:5]] == [11, 11]
    assert after[5].location == "Moved room" and after[5].recurrence_local.hour == 10   # edited on its own
    assert all(s.location == "Hall" and s.sequence == 1 for s in after[3:5])
    assert Rsvp.get(Rsvp.user == people["agent"]).session_id == sessions[4].id
    assert result == {"added": 0, "changed": 2, "removed": 0}


def test_shortening_a_series_asks_with_the_number_affected_and_then_cancels(weekly, people):
    sessions = ordered(weekly)
    service.rsvp(sessions[5], people["agent"])
    service.rsvp(sessions[4], people["other_agent"])
    first = weekly.first_start_local
    shorter = series_fields(weekly, rrule=build_rule("weekly", first, count=4))
    with pytest.raises(NeedsConfirmation) as asked:
        editing.edit_series_from(weekly, first.date(), **shorter)
    assert asked.value.affected == 2 and len(ordered(weekly)) == 6
    editing.edit_series_from(weekly, first.date(), confirm=True, **shorter)
    assert [s.status for s in ordered(weekly)] == ["scheduled"] * 4 + ["cancelled"] * 2


def test_shortening_deletes_occurrences_nobody_holds(weekly):
    first = weekly.first_start_local
    result = editing.edit_series_from(weekly, first.date(), **series_fields(
        weekly, rrule=build_rule("weekly", first, count=2)))
    assert result["removed"] == 4 and len(ordered(weekly)) == 2


def test_bad_series_edit_writes_nothing(weekly):
    before = [(s.starts_at, s.sequence) for s in ordered(weekly)]
    with pytest.raises(Refused) as refused:
        editing.edit_series_from(weekly, weekly.first_start_local.date(),
                                 **series_fields(weekly, timezone="Nowhere/City"))
    assert refused.value.field == "timezone"
    assert [(s.starts_at, s.sequence) for s in ordered(weekly)] == before


def test_fewer_seats_from_a_date_than_people_going_asks_first_and_keeps_their_places(weekly, people):
    sessions = ordered(weekly)
    editing.set_capacity(sessions[2], 3)
    service.rsvp(sessions[2], people["agent"])
    service.rsvp(sessions[2], people["other_agent"])
    first = weekly.first_start_local
    fewer = series_fields(weekly, capacity=1)
    with pytest.raises(NeedsConfirmation) as asked:
        editing.edit_series_from(weekly, first.date(), **fewer)
    assert asked.value.field == "capacity"
    assert Session.get_by_id(sessions[2].id).capacity == 3
    editing.edit_series_from(weekly, first.date(), confirm=True, **fewer)
    assert Rsvp.select().where(Rsvp.session == sessions[2], Rsvp.status == "going").count() == 2

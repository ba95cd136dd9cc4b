"""The seat mechanism shared by RSVPs and cohort enrolments."""
from datetime import datetime

import pytest

from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.seats import SeatError
from learning.schedule.service import SEATS

pytestmark = pytest.mark.usefixtures("in_app_context")


@pytest.fixture
def session(people):
    series = Series.create(kind="skill", title="Listening", duration_minutes=60, timezone="Europe/Berlin",
                           first_start_local=datetime(2030, 1, 8, 10), created_by=people["coach_a"])
    return Session.create(series=series, uid="s1@test", recurrence_local=datetime(2030, 1, 8, 10),
                          starts_at=datetime(2030, 1, 8, 9), ends_at=datetime(2030, 1, 8, 10),
                          timezone="Europe/Berlin", capacity=1)


def test_second_person_waits_and_is_promoted_when_the_seat_frees(session, people):
    first = SEATS.claim(session, people["agent"])
    second = SEATS.claim(session, people["other_agent"])
    assert (first.status, second.status) == ("going", "waitlisted")
    assert SEATS.waitlist_position(second) == 1
    promoted = SEATS.release(first)
    assert [p.user_id for p in promoted] == [people["other_agent"].id]
    assert Rsvp.get_by_id(second.id).status == "going"


def test_holding_two_places_is_refused(session, people):
    SEATS.claim(session, people["agent"])
    with pytest.raises(SeatError):
        SEATS.claim(session, people["agent"])
    assert Rsvp.select().count() == 1


def test_rejoining_goes_to_the_back_of_the_line(session, people):
    first = SEATS.claim(session, people["agent"])
    SEATS.claim(session, people["other_agent"])
    SEATS.claim(session, people["agent_b"])
    SEATS.release(first)                      # other_agent promoted
    again = SEATS.claim(session, people["agent"])
    assert again.status == "waitlisted" and SEATS.waitlist_position(again) == 2

"""RSVP, withdrawal, the waitlist and capacity under concurrency."""
import threading
from datetime import timedelta

import pytest

from learning.db import db, is_sqlite
from learning.refusals import Refused
from learning.schedule import service
from learning.schedule.models import Rsvp, Session

pytestmark = pytest.mark.usefixtures("in_app_context")


def test_rsvp_past_capacity_joins_the_waitlist_and_is_promoted_when_a_seat_frees(one_session, people):
    first = service.rsvp(one_session, people["agent"])
    second = service.rsvp(one_session, people["other_agent"])
    third = service.rsvp(one_session, people["agent_b"])
    assert [first.status, second.status, third.status] == ["going", "going", "waitlisted"]
    assert service.waitlist_position(third) == 1
    promoted = service.withdraw(one_session, people["agent"])
    assert [p.user_id for p in promoted] == [people["agent_b"].id]
    assert Rsvp.get_by_id(third.id).status == "going"
    assert service.session_seat_counts([one_session.id]) == {one_session.id: 2}


def test_a_person_cannot_hold_two_rsvps_for_one_session(one_session, people):
    service.rsvp(one_session, people["agent"])
    with pytest.raises(Refused, match="already"):
        service.rsvp(one_session, people["agent"])
    assert Rsvp.select().count() == 1


@pytest.mark.parametrize("change, message", [
    (dict(status="cancelled"), "cancelled"),
    (dict(rsvp_closed=True), "closed"),
    ("past", "already started"),
])
def test_rsvp_to_a_cancelled_closed_or_past_session_is_refused(one_session, people, change, message):
    if change == "past":
        change = dict(starts_at=one_session.starts_at - timedelta(days=30),
                      ends_at=one_session.ends_at - timedelta(days=30))
    Session.update(**change).where(Session.id == one_session.id).execute()
    with pytest.raises(Refused, match=message):
        service.rsvp(Session.get_by_id(one_session.id), people["agent"])
    assert Rsvp.select().count() == 0


def test_hundred_concurrent_rsvps_fill_ten_seats_and_queue_the_rest_in_arrival_order(app, new_series, make_user):
    session = new_series(capacity=10).sessions.get()
    users = [make_user("agent") for _ in range(100)]
    # PostgreSQL's connection limit is shared with other test runs: fewer threads, each firing several RSVPs.
    thread_count = 100 if is_sqlite() else 25
    barrier = threading.Barrier(thread_count)
    errors = []

    def fire(batch):
        barrier.wait()
        try:
            with app.app_context():
                for user in batch:
                    service.rsvp(session, user)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=fire, args=(users[i::thread_count],)) for i in range(thread_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    places = list(Rsvp.select().where(Rsvp.session == session).order_by(Rsvp.queue_number))
    assert len(places) == 100
    assert [p.status for p in places] == ["going"] * 10 + ["waitlisted"] * 90
    assert [p.queue_number for p in places] == list(range(1, 101))
    # The queue is the order the database wrote the rows in.
    assert [p.id for p in places] == sorted(p.id for p in places)

"""A poll of an unchanged feed answers from the stored state in one query; every kind of
write a feed shows moves the database's change counter, so no change is ever missed."""
from datetime import datetime, timedelta

import pytest

from learning.calendars.models import CalendarChange
from learning.db import db, utcnow
from learning.schedule.models import Rsvp, Series, Session


def counter():
    return CalendarChange.get_by_id(1).counter


def poll(client, url, etag=None):
    return client.get(url, headers={"If-None-Match": etag} if etag else {})


def test_an_unchanged_feed_is_answered_304_in_one_query(client, dst_programme, feed_url, count_queries):
    url = feed_url(dst_programme["agent"])
    etag = poll(client, url).headers["ETag"]
    poll(client, url, etag)  # records the fetch (once every few minutes)
    with count_queries() as queries:
        answer = poll(client, url, etag)
    assert answer.status_code == 304 and answer.headers["ETag"] == etag
    assert queries.count == 1


def test_a_change_elsewhere_recomputes_but_still_answers_304(client, dst_programme, feed_url, cal_series,
                                                             cal_session):
    url = feed_url(dst_programme["agent"])
    etag = poll(client, url).headers["ETag"]
    before = counter()
    elsewhere = cal_series("Another team's series")
    cal_session(elsewhere, datetime.now() + timedelta(days=3))
    assert counter() > before
    assert poll(client, url, etag).status_code == 304


WRITES = {
    "a place is taken": lambda p: Rsvp.create(session=p["sessions"][3], user=p["agent_b"], status="going",
                                              queue_number=99, updated_at=utcnow()),
    "a place is given back": lambda p: Rsvp.delete().where(Rsvp.user == p["agent"]).execute(),
    "a session moves": lambda p: Session.update(location="Room 99").where(
        Session.id == p["moved"].id).execute(),
    "a series is renamed": lambda p: Series.update(title="Renamed").where(Series.id == p["berlin"].id).execute(),
    "a person is renamed": lambda p: p["coach_a"].__class__.update(display_name="New Name").where(
        p["coach_a"].__class__.id == p["coach_a"].id).execute(),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_a_feed_shows_moves_the_counter(app, dst_programme, write):
    before = counter()
    with db.atomic():
        WRITES[write](dst_programme)
    assert counter() > before


def test_a_check_in_moves_the_counter_and_the_feed(client, dst_programme, feed_url):
    from datetime import date

    from learning.coaching import checkins
    from learning.coaching.models import CheckIn, Plan

    coach, agent = dst_programme["coach_a"], dst_programme["agent"]
    url = feed_url(agent)
    etag = poll(client, url).headers["ETag"]
    plan = Plan.create(employee=agent, coach=coach, title="Plan", start_date=date.today(),
                       review_date=date.today() + timedelta(days=60))
    start = datetime.combine(date.today() + timedelta(days=3), datetime.min.time()).replace(hour=9)
    checkin = checkins.schedule_checkin(coach, plan, start, 30)
    changed = poll(client, url, etag)
    assert changed.status_code == 200 and f"checkin-{checkin.id}@".encode() in changed.data
    before = counter()
    checkins.move_checkin(coach, CheckIn.get_by_id(checkin.id), start + timedelta(hours=1), 30)
    assert counter() > before
    assert poll(client, url, changed.headers["ETag"]).status_code == 200


def test_a_write_that_rolls_back_leaves_the_counter(app, dst_programme):
    before = counter()
    with pytest.raises(RuntimeError):
        with db.atomic():
            Session.update(location="Nowhere").where(Session.id == dst_programme["moved"].id).execute()
            raise RuntimeError("refused")
    assert counter() == before


def test_a_repeated_unconditional_poll_is_served_from_the_body_cache(client, dst_programme, feed_url,
                                                                      count_queries):
    url = feed_url(dst_programme["agent"])
    first = poll(client, url)
    poll(client, url)
    with count_queries() as queries:
        again = poll(client, url)
    assert again.status_code == 200 and again.data == first.data and queries.count == 1
    Session.update(location="Room 99", changed_at=utcnow()).where(Session.id == dst_programme["moved"].id).execute()
    changed = poll(client, url)
    assert changed.data != first.data and b"Room 99" in changed.data


def test_the_body_cache_stays_within_its_size():
    from learning.calendars.service import BodyCache

    cache = BodyCache(max_bytes=1000)
    for n in range(10):
        assert cache.get(("feed", n), lambda: b"x" * 200) == b"x" * 200
    assert cache.used <= 1000 and ("feed", 9) in cache.entries and ("feed", 0) not in cache.entries
    assert cache.get(("feed", 99), lambda: b"y" * 600) == b"y" * 600  # too big to keep
    assert ("feed", 99) not in cache.entries

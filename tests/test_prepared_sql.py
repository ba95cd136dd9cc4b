"""Queries compiled once (prepared_sql.py), first the poll's: they answer exactly what the peewee
query they were built from answers, for every value, on each engine; a builder whose SQL would
not survive the reuse is refused when first compiled, never run with wrong values."""
from datetime import date, datetime, timedelta

import pytest

from learning.accounts.models import User
from learning.calendars import feeds, service
from learning.prepared_sql import Prepared
from learning.coaching import checkins
from learning.coaching.models import Plan
from learning.coaching.service import checkin_stamps_for_feed
from learning.db import utcnow


def window_of(day):
    return feeds.Window(datetime(day.year, day.month, day.day), feeds.PERSONAL_DAYS_BACK)


def test_the_personal_state_matches_the_plain_query_for_each_person_and_day(dst_programme):
    people = [dst_programme["agent"], *User.select().where(User.id != dst_programme["agent"].id).limit(3)]
    for person in people:
        for day in (utcnow(), utcnow() + timedelta(days=40)):
            window = window_of(day)
            plain = feeds._personal_state_query(person.id, window.start, window.end, window.today).tuples().get()
            prepared = feeds._PERSONAL_STATE.rows(user_id=person.id, start=window.start, end=window.end,
                                                  today=window.today)
            assert prepared == [tuple(int(v) if isinstance(v, (int, float)) or type(v).__name__ == "Decimal"
                                      else v for v in (feeds.Rsvp.updated_at.python_value(plain[0]), *plain[1:]))]


def test_the_checkin_state_matches_the_plain_query(people):
    coach, agent = people["coach_a"], people["agent"]
    plan = Plan.create(employee=agent, coach=coach, title="Plan", start_date=date.today(),
                       review_date=date.today() + timedelta(days=60))
    for days in (2, 9):
        checkins.schedule_checkin(coach, plan, datetime.combine(date.today() + timedelta(days=days),
                                                                datetime.min.time()).replace(hour=9), 30)
    for person in (agent, coach):
        window = window_of(utcnow())
        plain = list(checkin_stamps_for_feed(person.id, window.start, window.end).tuples())
        assert plain
        assert feeds._CHECKIN_STATE.rows(user_id=person.id, start=window.start, end=window.end) == plain


def test_the_feed_lookup_gives_the_feed_and_its_whole_owner(dst_programme, feed_url):
    agent = dst_programme["agent"]
    token = feed_url(agent).rsplit("/", 1)[1].removesuffix(".ics")
    feed = service.find_feed(token)
    assert feed.user.id == agent.id and feed.scope == "personal"
    stored = User.get_by_id(agent.id)
    assert {f.name: getattr(feed.user, f.name) for f in User._meta.sorted_fields} == \
        {f.name: getattr(stored, f.name) for f in User._meta.sorted_fields}
    assert service.find_feed(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_a_builder_whose_sql_depends_on_its_values_is_refused(db_url, app):
    shaped = Prepared(lambda n: User.select().where(User.id > n) if n % 2 else User.select(), {"n": int})
    with pytest.raises(ValueError, match="depends on its values"):
        shaped.rows(n=1)


def test_a_value_changed_on_its_way_to_the_sql_is_refused(db_url, app):
    lowered = Prepared(lambda email: User.select().where(User.email == email.upper()), {"email": str})
    with pytest.raises(ValueError, match="moved without being a value"):
        lowered.rows(email="a@example.com")


def test_constants_stay_and_each_value_reaches_its_own_places(people):
    agent = people["agent"]
    query = Prepared(lambda user_id, team_id: User.select(User.id).where(
        (User.id == user_id) | ((User.team == team_id) & (User.role == "coach"))).order_by(User.id),
        {"user_id": int, "team_id": int})
    expected = [(u.id,) for u in User.select(User.id).where(
        (User.id == agent.id) | ((User.team == people["team_b"].id) & (User.role == "coach"))).order_by(User.id)]
    assert query.rows(user_id=agent.id, team_id=people["team_b"].id) == expected
    assert len(expected) >= 2

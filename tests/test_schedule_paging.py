"""Paging of the session lists: /sessions pages without counting (a Next link while a row
lies past the page), My schedule pages its upcoming list by `?upcoming=` beside the past
list's `?page=`; sessions still running are listed, ended ones and inactive series are not."""
import re
from datetime import timedelta

import pytest

from learning.db import utcnow
from learning.schedule import service
from learning.schedule.models import Series, Session
from learning.schedule.recurrence import build_rule
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.usefixtures("in_app_context")


def session_ids(html):
    """Session ids linked from the page's session lines, in page order."""
    return [int(n) for n in re.findall(r'<li class="session-line[^"]*">.*?href="/sessions/(\d+)"', html, re.S)]


def weekly(new_series, count, **fields):
    first = next_weekday_at(10, days_ahead=2)
    series = new_series(first_start_local=first, rrule=build_rule("weekly", first, count=count), **fields)
    return [s.id for s in series.sessions.order_by(Session.starts_at, Session.id)]


def raw_session(series, starts_at, minutes):
    """A session row made directly (the service refuses starts in the past)."""
    return Session.create(series=series, uid=f"raw-{series.id}-{starts_at:%Y%m%d%H%M%S}@test",
                          recurrence_local=starts_at, starts_at=starts_at,
                          ends_at=starts_at + timedelta(minutes=minutes), timezone="Europe/Berlin")


def test_sessions_second_page_shows_the_26th_session(client, login, people, new_series):
    ids = weekly(new_series, 26)
    login(people["agent"])
    first = client.get("/sessions").get_data(as_text=True)
    assert session_ids(first) == ids[:25]
    assert 'href="/sessions?page=2"' in first and "← Previous" not in first
    assert "Page 1" in first and "Page 1 of" not in first       # no count of every upcoming session
    second = client.get("/sessions?page=2").get_data(as_text=True)
    assert session_ids(second) == ids[25:]
    assert 'href="/sessions?page=1"' in second and "Next →" not in second


def test_sessions_pager_keeps_the_filters_and_is_absent_for_one_page(client, login, people, new_series):
    weekly(new_series, 26, kind="case_review", title="Case review")
    weekly(new_series, 2, title="Skill")
    login(people["agent"])
    html = client.get("/sessions?kind=case_review").get_data(as_text=True)
    assert "kind=case_review" in html.split('aria-label="Pages"')[1]
    assert len(session_ids(client.get("/sessions?kind=case_review&page=2").get_data(as_text=True))) == 1
    assert 'class="pager"' not in client.get("/sessions?kind=skill").get_data(as_text=True)


def test_a_page_past_the_end_says_nothing_matches(client, login, people, new_series):
    weekly(new_series, 3)
    login(people["agent"])
    html = client.get("/sessions?page=7").get_data(as_text=True)
    assert session_ids(html) == [] and "No upcoming sessions match these filters." in html


def test_running_sessions_are_listed_ended_ones_and_inactive_series_are_not(client, login, people, new_series):
    series = new_series(title="Long day")
    now = utcnow().replace(microsecond=0)
    running_long = raw_session(series, now - service.LONGEST_SESSION + timedelta(minutes=30), 12 * 60)
    running = raw_session(series, now - timedelta(minutes=30), 60)
    ended = raw_session(series, now - timedelta(hours=2), 60)
    hidden = new_series(title="Retired series")
    Series.update(active=False).where(Series.id == hidden.id).execute()
    login(people["agent"])
    ids = session_ids(client.get("/sessions").get_data(as_text=True))
    assert running_long.id in ids and running.id in ids and ended.id not in ids
    assert ids[:2] == [running_long.id, running.id]
    assert not set(ids) & {s.id for s in hidden.sessions}


def test_my_schedule_pages_upcoming_sessions_25_at_a_time(client, login, people, new_series):
    ids = weekly(new_series, 26)
    for session in Session.select().where(Session.id.in_(ids)):
        service.rsvp(session, people["agent"])
    login(people["agent"])
    first = client.get("/my/schedule").get_data(as_text=True)
    assert session_ids(first) == ids[:25]
    assert 'href="/my/schedule?upcoming=2"' in first
    second = client.get("/my/schedule?upcoming=2").get_data(as_text=True)
    assert session_ids(second) == ids[25:]
    assert 'href="/my/schedule?upcoming=1"' in second and "You're going" in second
    beyond = client.get("/my/schedule?upcoming=5").get_data(as_text=True)
    assert session_ids(beyond) == [] and "No more upcoming sessions" in beyond
    assert "You have no upcoming sessions." not in beyond


def test_my_schedule_upcoming_and_past_pagers_are_independent(client, login, people, new_series):
    ids = weekly(new_series, 26)
    for session in Session.select().where(Session.id.in_(ids)):
        service.rsvp(session, people["agent"])
    old = new_series(title="Last year")
    now = utcnow().replace(microsecond=0)
    past = [raw_session(old, now - timedelta(days=7 * n), 60) for n in range(1, 28)]
    from learning.schedule.models import Rsvp
    for n, session in enumerate(past):
        Rsvp.create(session=session, user=people["agent"], status="going", queue_number=n + 1)
    login(people["agent"])
    html = client.get("/my/schedule?upcoming=2&page=2").get_data(as_text=True)
    upcoming, past_part = html.split("<h2>Past sessions</h2>")
    assert session_ids(upcoming) == ids[25:]
    assert "Page 2" in past_part and 'rel="next"' not in past_part
    assert 'href="/my/schedule?upcoming=2&amp;page=1"' in past_part      # the past pager keeps the upcoming page
    assert 'href="/my/schedule?upcoming=1&amp;page=2"' in upcoming      # and the upcoming pager the past page


@pytest.mark.parametrize("path", ["/sessions", "/sessions?page=2", "/my/schedule", "/my/schedule?upcoming=2"])
def test_paged_lists_run_the_same_number_of_queries_at_two_sizes(client, login, people, new_series,
                                                                  count_queries, path):
    def seed(count):
        for session in Session.select().where(Session.id.in_(weekly(new_series, count))):
            service.rsvp(session, people["agent"])

    seed(30)
    login(people["agent"])
    with count_queries() as small:
        assert client.get(path).status_code == 200
    seed(60)
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large.count == small.count <= 12

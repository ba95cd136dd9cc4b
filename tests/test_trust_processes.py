"""Several server processes on one database: RSVPs stay race-free across gunicorn
workers and separate servers, and a server killed with SIGKILL in the middle of a
write load leaves a sound database with every acknowledged write in it."""
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from learning.schedule import service as schedule
from learning.schedule.models import Rsvp, Series, Session
from tests.conftest import PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Server:
    """gunicorn with sync workers serving tests/process_app.py on `db_url`."""

    def __init__(self, db_url, workers=2):
        # gunicorn is handed a socket already listening on a free port, so no other server
        # (another test worker's) can take the port between choosing it and binding it.
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(128)
            self.port = listener.getsockname()[1]
            env = dict(os.environ, DATABASE_URL=db_url, PYTHONPATH=ROOT)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"fd://{listener.fileno()}",
                 "--log-level", "warning", "tests.process_app:app"],
                cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(listener.fileno(),))
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        """SIGKILL the master and every worker at once: no clean shutdown."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


class Browser:
    """A signed-in person over plain HTTP (a cookie jar, redirects not followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base, email):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect())
        assert self.post("/login", {"email": email, "password": PASSWORD}) == 302

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            return self.opener.open(self.base + path, body, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code

    def get(self, path, base=None):
        try:
            response = self.opener.open((base or self.base) + path, timeout=30)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""


@pytest.fixture
def meetup(app, people, make_user):
    with app.app_context():
        start = (datetime.now() + timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
        series = schedule.create_series(people["coach_a"], "skill", "Process check", "Europe/Berlin", start, 60,
                                        capacity=10)
    agents = [make_user("agent", team=people["team_a"]) for _ in range(30)]
    return Session.get(Session.series == series), agents


def test_rsvps_through_two_servers_never_overbook_and_each_sees_the_other(db_url, meetup):
    session, agents = meetup
    first, second = Server(db_url, workers=2), Server(db_url, workers=2)
    try:
        browsers = [Browser((first, second)[i % 2].base, agent.email) for i, agent in enumerate(agents)]
        with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
            codes = list(pool.map(lambda b: b.post(f"/sessions/{session.id}/rsvp", {}), browsers))
        assert codes == [302] * len(agents)
        # An RSVP made through one server is on the other's pages at once.
        status, page = Browser(second.base, agents[0].email).get("/my/schedule")
        assert status == 200 and "Process check" in page
    finally:
        first.kill()
        second.kill()
    places = list(Rsvp.select().where(Rsvp.session == session))
    assert len(places) == 30
    assert sum(p.status == "going" for p in places) == 10
    assert sorted(p.queue_number for p in places) == list(range(1, 31))
    going = sorted(p.queue_number for p in places if p.status == "going")
    assert going == list(range(1, 11)), "the first ten to arrive hold the seats"


def _same_page(text):
    """A page with what may differ per answer taken out: each form's CSRF token."""
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"', "csrf", text)


def _feed(base, token, etag=None):
    """Fetch a feed as a calendar app does through a load balancer (one host name for both servers)."""
    headers = {"Host": "calendar.example", **({"If-None-Match": etag} if etag else {})}
    request = urllib.request.Request(f"{base}/calendar/feed/{token}.ics", headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=30)
        return response.status, response.headers["ETag"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["ETag"], b""


def test_two_servers_give_the_same_answers_while_both_take_rsvps(app, db_url, meetup, people):
    """Two app servers of two workers each on one database: nothing one worker keeps in memory is
    needed by another. Under a concurrent RSVP load through both, every page and feed answers the
    same from either server, a feed's ETag from one is honoured by the other, and no session overbooks."""
    from learning.calendars import service as calendars

    session, agents = meetup
    with app.app_context():
        token = calendars.feed_token(calendars.subscribe(agents[0], "personal"))
    first, second = Server(db_url, workers=2), Server(db_url, workers=2)
    try:
        servers = (first, second)
        _, etag_before, _ = _feed(first.base, token)
        # Cookies are not bound to a port: one signed-in person is signed in on both servers.
        browsers = [Browser(servers[i % 2].base, agent.email) for i, agent in enumerate(agents)]
        assert browsers[0].post(f"/sessions/{session.id}/rsvp", {}) == 302   # the feed's owner, through `first`
        assert "You are going." in browsers[0].get(f"/sessions/{session.id}", base=second.base)[1]

        def rsvp_and_read(i):
            code = browsers[i].post(f"/sessions/{session.id}/rsvp", {})
            return code, browsers[i].get(f"/sessions/{session.id}", base=servers[(i + 1) % 2].base)[0]

        with ThreadPoolExecutor(max_workers=len(agents)) as pool:
            answers = list(pool.map(rsvp_and_read, range(1, len(agents))))
        assert answers == [(302, 200)] * (len(agents) - 1)

        # Every page the same from either server, for a person going, one waiting and the coach.
        going = agents.index(Rsvp.get(Rsvp.session == session, Rsvp.queue_number == 1).user)
        waiting = agents.index(Rsvp.get(Rsvp.session == session, Rsvp.queue_number == 30).user)
        coach = Browser(first.base, people["coach_a"].email)
        for browser in (browsers[going], browsers[waiting], coach):
            for path in (f"/sessions/{session.id}", "/my/schedule", "/sessions", "/"):
                status_one, page_one = browser.get(path, base=first.base)
                status_two, page_two = browser.get(path, base=second.base)
                assert status_one == status_two == 200, path
                assert _same_page(page_one) == _same_page(page_two), path
        assert "10 of 10 taken" in coach.get(f"/sessions/{session.id}", base=second.base)[1]

        # The feed changed with its owner's RSVP, and both servers agree on it.
        status_one, etag_one, body_one = _feed(first.base, token)
        status_two, etag_two, body_two = _feed(second.base, token)
        assert status_one == status_two == 200 and etag_one == etag_two != etag_before
        assert body_one == body_two and b"Process check" in body_one
        assert _feed(second.base, token, etag_one)[0] == 304
        assert _feed(first.base, token, etag_before)[0] == 200
    finally:
        first.kill()
        second.kill()
    places = list(Rsvp.select().where(Rsvp.session == session))
    assert len(places) == 30
    assert sorted(p.queue_number for p in places if p.status == "going") == list(range(1, 11))


def _series_form(title):
    start = (datetime.now() + timedelta(days=10)).date().isoformat()
    return {"kind": "skill", "title": title, "timezone": "Europe/Berlin", "start_date": start,
            "start_time": "10:00", "end_time": "11:00", "pattern": "weekly", "ends": "count", "count": "5",
            "team_id": "0", "interval": "2"}


def test_sigkill_during_writes_loses_no_acknowledged_write_and_leaves_no_half_object(db_url, people):
    server = Server(db_url, workers=3)
    acknowledged, stop = [], threading.Event()

    def write_load(n):
        try:
            browser = Browser(server.base, people["coach_a"].email)
            i = 0
            while not stop.is_set():
                i += 1
                title = f"Crash {n}-{i}"
                if browser.post("/series/new", _series_form(title)) == 302:
                    acknowledged.append(title)
        except OSError:
            return  # the server is gone (killed mid-request, or before this writer signed in)

    threads = [threading.Thread(target=write_load, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.time() + 60
    while len(acknowledged) < 12 and time.time() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert len(acknowledged) >= 12, "the write load never got going"

    if db_url.startswith("sqlite"):
        connection = sqlite3.connect(db_url[len("sqlite:///"):])
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.close()
    titles = {s.title for s in Series.select().where(Series.title.startswith("Crash "))}
    assert set(acknowledged) <= titles, "an acknowledged write is missing"
    for series in Series.select().where(Series.title.startswith("Crash ")):
        assert Session.select().where(Session.series == series).count() == 5, f"{series.title} is half-written"

    restarted = Server(db_url, workers=1)
    try:
        assert Browser(restarted.base, people["coach_a"].email).get("/sessions")[0] == 200
    finally:
        restarted.kill()


def test_enrolments_through_two_servers_never_overfill_a_cohort(db_url, people, make_user, make_module, make_cohort):
    from learning.curriculum.models import Enrolment

    cohort = make_cohort(make_module("Digital client relations"), capacity=5)
    agents = [make_user("agent", team=people["team_a"]) for _ in range(20)]
    first, second = Server(db_url), Server(db_url)
    try:
        browsers = [Browser((first, second)[i % 2].base, agent.email) for i, agent in enumerate(agents)]
        with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
            codes = list(pool.map(lambda b: b.post(f"/cohorts/{cohort.id}/enrol", {}), browsers))
    finally:
        first.kill()
        second.kill()
    assert codes == [302] * len(agents)
    places = list(Enrolment.select().where(Enrolment.cohort == cohort))
    assert len(places) == 20 and sum(p.status == "going" for p in places) == 5
    assert sorted(p.queue_number for p in places) == list(range(1, 21))


def test_each_person_votes_once_even_when_sending_many_votes_at_once(db_url, people, make_user, make_meetup,
                                                                        make_case):
    from learning.cases.models import Vote

    voters = [make_user("agent", team=people["team_a"]) for _ in range(6)]
    make_meetup(team=people["team_a"], going=voters)
    case = make_case(people["agent"])
    first, second = Server(db_url), Server(db_url)
    try:
        browsers = [Browser(server.base, voter.email) for voter in voters for server in (first, second)]
        attempts = browsers * 3  # every voter sends six votes, through both servers
        with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
            codes = list(pool.map(lambda b: b.post(f"/cases/{case.id}/vote", {}), attempts))
    finally:
        first.kill()
        second.kill()
    assert set(codes) == {302}
    votes = list(Vote.select().where(Vote.case == case))
    assert sorted(v.user_id for v in votes) == sorted(v.id for v in voters)


def test_bulk_enrolment_and_single_rsvps_through_two_servers_never_overbook(app, db_url, people, make_user):
    """A coach enrols team A in a whole series through one server while, through the other, team B's
    people RSVP to its sessions one by one and join the whole series, and team A's people RSVP too:
    no session has more going than seats, nobody holds two places at one session, and every
    session's queue numbers are one unbroken line."""
    from learning.schedule.recurrence import build_rule

    with app.app_context():
        start = (datetime.now() + timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
        series = schedule.create_series(people["coach_a"], "skill", "Bulk race", "Europe/Berlin", start, 60,
                                        capacity=8, rrule=build_rule("weekly", start, count=4))
    team_a = [make_user("agent", team=people["team_a"]) for _ in range(12)]
    team_b = [make_user("agent", team=people["team_b"]) for _ in range(12)]
    sessions = [s.id for s in Session.select().where(Session.series == series).order_by(Session.starts_at)]
    first, second = Server(db_url, workers=2), Server(db_url, workers=2)
    try:
        coach = Browser(first.base, people["coach_a"].email)
        singles = [Browser(second.base, agent.email) for agent in team_a[:6] + team_b]
        requests = [(coach, f"/series/{series.id}/enrol", {"team_id": people["team_a"].id})]
        for index, browser in enumerate(singles):
            path = (f"/series/{series.id}/places" if index % 3 == 0
                    else f"/sessions/{sessions[index % len(sessions)]}/rsvp")
            requests.append((browser, path, {}))
        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            codes = list(pool.map(lambda r: r[0].post(r[1], r[2]), requests))
        assert codes[0] == 200 and set(codes[1:]) == {302}
    finally:
        first.kill()
        second.kill()
    enrolled = {u.id for u in team_a} | {people["coach_a"].id, people["agent"].id, people["other_agent"].id}
    for session_id in sessions:
        places = list(Rsvp.select().where(Rsvp.session == session_id))
        assert sum(p.status == "going" for p in places) == 8
        assert sorted(p.queue_number for p in places) == list(range(1, len(places) + 1))
        assert len({p.user_id for p in places}) == len(places)
        assert enrolled <= {p.user_id for p in places}, "every member of team A has a place or waits"

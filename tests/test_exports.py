"""CSV exports of every list: the one streamed download (learning.csv_files.csv_response) with
cells defused against formulas and an optional byte-order mark, and each list's export holding
what its page lists, with the page's filters and the page's permissions from every seat."""
import csv
import io
from datetime import date, datetime, timedelta

import pytest
from flask_login import login_user

from learning.cases import meetups
from learning.coaching.checkins import add_note, record_agreed_actions
from learning.coaching.ratings import rate
from learning.csv_files import ROWS_PER_CHUNK, csv_response
from learning.curriculum import service as curriculum
from learning.db import utcnow
from learning.schedule import service as schedule
from learning.schedule.models import Session

SEATS = ("anonymous", "agent", "other_agent", "agent_b", "coach_a", "coach_b", "admin")
HOSTILE = ("=HYPERLINK(\"http://evil.example\")", "+1+2", "-cmd", "@SUM(A1)")


def download(client, url):
    """The rows of a CSV export, after checking it is a streamed UTF-8 CSV attachment without a BOM."""
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    assert response.is_streamed and response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    body = response.get_data(as_text=True)
    assert not body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def as_seat(client, login, people, seat):
    if seat == "anonymous":
        client.post("/logout")
    else:
        login(people[seat])
    return client


def status_by_seat(client, login, people, url):
    """{seat: status code, or "login" for a redirect to sign in} of a GET of `url` from every seat."""
    found = {}
    for seat in SEATS:
        response = as_seat(client, login, people, seat).get(url)
        response.get_data()   # a stream is read to its end, as a server does
        found[seat] = "login" if response.status_code == 302 and "/login" in response.location else response.status_code
    return found


def answers(allowed, **others):
    """What each seat should get: a sign-in for anonymous, 200 for `allowed`, else 404 (or `others`)."""
    return {seat: "login" if seat == "anonymous" else 200 if seat in allowed else others.get(seat, 404)
            for seat in SEATS}


AGENTS_REFUSED = {"agent": 403, "other_agent": 403, "agent_b": 403}   # pages for coaches and admins


def column(rows, name):
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


# --- the one download -----------------------------------------------------------------------

def test_a_download_streams_defused_cells_and_a_bom_only_when_asked(app):
    when = datetime(2026, 7, 1, 8, 30)   # UTC: 10:30 in Berlin, summer time
    rows = [[text, -3, None, True, when] for text in HOSTILE]
    with app.test_request_context("/x?bom=1"):
        response = csv_response("x.csv", ["Text", "Number", "Empty", "Flag", "When"], iter(rows))
        assert response.is_streamed
        body = response.get_data(as_text=True)
    assert body.startswith("\ufeffText,Number,Empty,Flag,When\r\n")
    parsed = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1:]
    assert [row[0] for row in parsed] == ["'" + text for text in HOSTILE]
    assert parsed[0][1:4] == ["-3", "", "yes"] and parsed[0][4].startswith("2026-07-01 ")
    with app.test_request_context("/x"):
        plain = csv_response("x.csv", ["A"], iter([["b"]])).get_data(as_text=True)
    assert plain == "A\r\nb\r\n"


def test_times_are_written_in_the_viewers_zone_with_the_zone_named(app, people):
    with app.test_request_context("/x"):
        login_user(people["agent"])   # Europe/Berlin
        body = csv_response("x.csv", ["When"], iter([[datetime(2026, 7, 1, 8, 30)]])).get_data(as_text=True)
    assert body.splitlines()[1] == "2026-07-01 10:30 CEST"


def test_a_long_export_goes_out_in_chunks_as_rows_are_read(app):
    read = []

    def rows():
        for n in range(ROWS_PER_CHUNK * 2 + 5):
            read.append(n)
            yield [n]

    with app.test_request_context("/x"):
        chunks = iter(csv_response("x.csv", ["N"], rows()).response)
        first = next(chunks)
        assert len(read) == ROWS_PER_CHUNK   # the first chunk left before the rest was read
        rest = list(chunks)
    assert first.count("\n") == ROWS_PER_CHUNK + 1 and len(rest) == 2
    assert "".join([first, *rest]).count("\n") == ROWS_PER_CHUNK * 2 + 6


# --- sessions and attendance ------------------------------------------------------------------

def test_the_sessions_export_holds_the_lists_sessions_with_its_filters(client, login, people, new_series):
    skill = new_series(title=HOSTILE[0], capacity=3)
    meetup = new_series(kind="case_review", title="Meetup", team=people["team_a"])
    schedule.rsvp(skill.sessions.get(), people["agent"])
    login(people["agent"])
    rows = download(client, "/sessions?format=csv")
    assert rows[0][:4] == ["Session", "Title", "Kind", "Starts"]
    assert set(column(rows, "Title")) == {"'" + HOSTILE[0], "Meetup"}
    assert column(download(client, "/sessions?format=csv&kind=case_review"), "Title") == ["Meetup"]
    mine = [row for row in rows[1:] if row[0] == str(skill.sessions.get().id)][0]
    assert mine[rows[0].index("Going")] == "1" and mine[rows[0].index("Seats left")] == "2"
    assert mine[rows[0].index("My place")] == "going"
    assert mine[rows[0].index("Starts")].endswith(("CET", "CEST"))
    assert column(download(client, f"/sessions?format=csv&team={people['team_a'].id}"), "Title") == ["Meetup"]
    assert meetup.id


def test_the_sessions_page_links_to_its_export_with_its_filters_and_a_bom_for_spreadsheets(client, login, people,
                                                                                           new_series):
    new_series()
    login(people["agent"])
    page = client.get("/sessions?kind=skill&page=1").get_data(as_text=True)
    assert 'href="/sessions?kind=skill&amp;format=csv"' in page and "Download CSV" in page
    assert 'href="/sessions?kind=skill&amp;format=csv&amp;bom=1"' in page and "CSV for Excel" in page
    response = client.get("/sessions?kind=skill&format=csv&bom=1")
    assert response.is_streamed and response.get_data(as_text=True).startswith("\ufeffSession,")


def test_a_sessions_attendance_exports_for_those_who_manage_it(client, login, people, new_series):
    session = new_series(capacity=5).sessions.get()   # programme-wide, created by coach A
    schedule.rsvp(session, people["agent"])
    url = f"/sessions/{session.id}/attendance?format=csv"
    assert status_by_seat(client, login, people, url) == answers({"admin", "coach_a"})
    login(people["coach_a"])
    rows = download(client, url)
    assert rows == [["Person", "E-mail", "Place", "Walk-in", "Attendance"],
                    ["Agent A1", people["agent"].email, "going", "no", ""]]


# --- cases and the library ------------------------------------------------------------------

@pytest.fixture
def queued_anonymous_case(make_case, make_meetup, people):
    """Agent A1's heavy case shared without a name, queued for a team-A meetup Agent A2 goes to."""
    meetup = make_meetup(team=people["team_a"], going=[people["other_agent"]])
    case = make_case(people["agent"], title="Refund row", anonymous=True, heaviness=5)
    return case, meetup


def test_the_case_queue_export_shows_each_case_as_the_viewer_may_read_it(client, login, people,
                                                                         queued_anonymous_case):
    case, _ = queued_anonymous_case
    expected = {"other_agent": ("Shared without a name", ""), "coach_a": ("Agent A1", "5"),
                "coach_b": ("Shared without a name", ""), "admin": ("Agent A1", "5")}
    for seat, (author, heaviness) in expected.items():
        login(people[seat])
        rows = download(client, "/cases?show=queue&format=csv")
        assert column(rows, "Title") == ["Refund row"], seat
        assert column(rows, "Author") == [author] and column(rows, "Heaviness") == [heaviness], seat
        assert column(rows, "What the customer needed") == [case.customer_need]
    login(people["agent_b"])   # another team's queued case is not theirs to read
    assert download(client, "/cases?show=queue&format=csv")[1:] == []


def test_my_cases_export_redacts_a_draft_kept_as_typed(client, login, people, make_case):
    make_case(people["agent"], status="draft", title="Call from anna.berg@example.com",
              customer_need="She wrote from anna.berg@example.com about order 12345678.")
    make_case(people["other_agent"], title="Someone else's")
    login(people["agent"])
    rows = download(client, "/cases?format=csv")
    assert column(rows, "Status") == ["Draft"]
    exported = "\n".join(",".join(row) for row in rows)
    assert "anna.berg@example.com" not in exported and "Someone else" not in exported
    assert column(rows, "Heaviness") == [""]


def discussed(make_case, meetup, people, title, author="agent", channel="phone", anonymous=False):
    case = make_case(people[author], title=title, channel=channel, anonymous=anonymous)
    meetups.add_to_agenda(people["coach_a"], meetup, case.id, 10)
    meetups.record_takeaways(people["coach_a"], case.__class__.get_by_id(case.id), "Calm tone", "Promise less",
                             "Own the issue", [])
    return case


def test_the_library_export_follows_the_search_and_hides_names_shared_without(client, login, people, make_case,
                                                                               make_meetup):
    meetup = make_meetup(team=people["team_a"])
    discussed(make_case, meetup, people, "Refund demanded against policy", channel="email", anonymous=True)
    discussed(make_case, meetup, people, HOSTILE[3], author="other_agent")
    login(people["agent_b"])
    rows = download(client, "/library?format=csv")
    assert rows[0][:3] == ["Case", "Title", "Channel"]
    assert sorted(column(rows, "Title")) == sorted(["Refund demanded against policy", "'" + HOSTILE[3]])
    assert sorted(column(rows, "Author")) == ["Agent A2", "Shared without a name"]
    assert column(rows, "What worked") == ["Calm tone", "Calm tone"]
    assert column(download(client, "/library?format=csv&channel=email"), "Title") == ["Refund demanded against policy"]
    assert column(download(client, "/library?format=csv&q=refund"), "Title") == ["Refund demanded against policy"]
    login(people["coach_a"])
    assert "Agent A1" in column(download(client, "/library?format=csv"), "Author")


# --- modules and cohorts --------------------------------------------------------------------

def test_the_modules_export_holds_the_catalogue_with_the_viewers_standing(client, login, people, make_module,
                                                                          make_cohort):
    published = make_module(title="Staying centred", area="Professional boundaries")
    make_module(title="Draft module", published=False)
    make_module(title=HOSTILE[1], area="Digital")
    curriculum.enrol(make_cohort(published), people["agent"])
    login(people["agent"])
    rows = download(client, "/modules?format=csv")
    assert sorted(column(rows, "Title")) == sorted(["Staying centred", "'" + HOSTILE[1]])
    standing = dict(zip(column(rows, "Title"), column(rows, "My standing")))
    assert standing["Staying centred"] == "Enrolled"
    assert column(download(client, "/modules?format=csv&area=Digital"), "Title") == ["'" + HOSTILE[1]]
    login(people["coach_b"])
    assert "Draft module" in column(download(client, "/modules?format=csv"), "Title")


def test_a_modules_cohorts_and_a_cohorts_participants_export_for_those_who_see_them(client, login, people,
                                                                                      make_module, make_cohort):
    module = make_module(title="Staying centred")
    cohort = make_cohort(module, capacity=1, title="Spring")
    curriculum.enrol(cohort, people["agent"])
    curriculum.enrol(cohort, people["agent_b"])
    login(people["other_agent"])
    rows = download(client, f"/modules/{module.id}?format=csv")
    assert rows[1][1:] == ["Spring", str(cohort.starts_on), str(cohort.ends_on), "1", "1", "1"]
    url = f"/cohorts/{cohort.id}?format=csv"
    assert status_by_seat(client, login, people, url) == answers({"admin", "coach_a", "coach_b"})
    login(people["coach_a"])
    rows = download(client, url)
    assert column(rows, "Person") == ["Agent A1", "Agent B1"] and column(rows, "Place") == ["going", "waitlisted"]
    draft = make_module(title="Unpublished", published=False)
    login(people["agent"])
    assert client.get(f"/modules/{draft.id}?format=csv").status_code == 404


# --- coaching: plans, check-ins, ratings ----------------------------------------------------

def test_the_plans_export_holds_the_coachs_list_as_filtered(client, login, people, plan):
    login(people["coach_a"])
    rows = download(client, "/coaching?format=csv&list=plans")
    assert rows[0] == ["Plan", "Title", "Person", "Status", "Started", "Review by", "Acknowledged"]
    assert [row[1:4] for row in rows[1:]] == [["Listening plan", "Agent A1", "active"]]
    assert len(download(client, "/coaching?format=csv&list=plans&status=completed")) == 1
    assert column(download(client, "/coaching?format=csv&list=plans&person=A1"), "Person") == ["Agent A1"]
    page = client.get("/coaching?status=active").get_data(as_text=True)
    assert 'href="/coaching?status=active&amp;format=csv&amp;list=plans"' in page
    login(people["coach_b"])
    assert len(download(client, "/coaching?format=csv&list=plans")) == 1
    login(people["admin"])
    assert column(download(client, "/coaching?format=csv&list=plans"), "Title") == ["Listening plan"]
    for seat, titles in (("agent", ["Listening plan"]), ("other_agent", [])):
        login(people[seat])
        assert column(download(client, "/coaching?format=csv&list=plans"), "Title") == titles
    assert client.get("/coaching?format=csv&list=nonsense").status_code == 404


def test_the_checkins_export_holds_what_each_seat_may_see_and_never_private_notes(client, login, people, checkin):
    record_agreed_actions(people["coach_a"], checkin, "Practise the pause")
    add_note(people["coach_a"], checkin, "PRIVATE: worried about workload", private=True)
    seen = {}
    for seat in SEATS[1:]:
        login(people[seat])
        rows = download(client, "/coaching?format=csv&list=checkins")
        assert "PRIVATE" not in "".join(",".join(row) for row in rows)
        seen[seat] = column(rows, "Agreed actions")
    assert seen == {"agent": ["Practise the pause"], "other_agent": [], "agent_b": [],
                    "coach_a": ["Practise the pause"], "coach_b": [], "admin": ["Practise the pause"]}
    assert status_by_seat(client, login, people, "/coaching?format=csv&list=checkins")["anonymous"] == "login"


def test_a_persons_rating_history_exports_for_them_their_coaches_and_admins(client, login, people, competencies):
    agent = people["agent"]
    rate(agent, agent, competencies[0].id, 2, date.today() - timedelta(days=30), HOSTILE[2])
    rate(people["coach_a"], agent, competencies[0].id, 3, date.today(), "Calm on the phone")
    url = f"/coaching/people/{agent.id}?format=csv"
    assert status_by_seat(client, login, people, url) == answers({"admin", "agent", "coach_a"})
    login(agent)
    rows = download(client, url)
    assert rows[0] == ["Competency", "Level", "Rated on", "Source", "Rated by", "Evidence", "Evidence link"]
    assert [row[1:6] for row in rows[1:]] == [
        ["2", str(date.today() - timedelta(days=30)), "self", "Agent A1", "'" + HOSTILE[2]],
        ["3", str(date.today()), "coach", "Coach A", "Calm on the phone"]]


def test_a_teams_rating_history_exports_for_its_coaches_and_admins(client, login, people, competencies):
    rate(people["coach_a"], people["agent"], competencies[0].id, 4, date.today())
    rate(people["coach_b"], people["agent_b"], competencies[0].id, 1, date.today())
    url = f"/coaching/teams/{people['team_a'].id}/ratings?format=csv&area=all"
    assert status_by_seat(client, login, people, url) == answers({"admin", "coach_a"}, **AGENTS_REFUSED)
    login(people["coach_a"])
    rows = download(client, url)
    assert [row[:3] for row in rows[1:]] == [["Agent A1", "Listen fully", "4"]]
    in_area = download(client, f"/coaching/teams/{people['team_a'].id}/ratings?format=csv&area=Service+principles")
    assert in_area == rows


# --- measures, as the progress pages show them ----------------------------------------------

def test_service_measures_export_as_the_progress_pages_show_them(client, login, people, agent_year):
    login(people["agent"])
    rows = download(client, "/progress?format=csv&table=measures")
    assert rows[0][0] == "Month" and any("80.0" in row for row in rows[1:]) and any("90.0" in row for row in rows[1:])
    team_url = f"/progress/team/{people['team_a'].id}?format=csv&table=trends"
    assert status_by_seat(client, login, people, team_url) == answers({"admin", "coach_a"}, **AGENTS_REFUSED)
    login(people["coach_a"])
    assert client.get(team_url + "&bom=1").get_data(as_text=True).startswith("\ufeff")
    login(people["admin"])
    assert download(client, "/progress/programme?format=csv&table=measures")[0][0] == "Month"


# --- cost ---------------------------------------------------------------------------------------

def test_exports_run_the_same_number_of_queries_for_few_rows_and_many(client, login, people, new_series, make_case,
                                                                      make_meetup, count_queries):
    meetup = make_meetup(team=people["team_a"])
    urls = ("/sessions?format=csv", "/cases?show=queue&format=csv", "/library?format=csv",
            "/coaching?format=csv&list=checkins")
    login(people["coach_a"])
    counts = []
    for size in (2, 12):
        while len(download(client, "/sessions?format=csv")) <= size:
            new_series(title=f"Series {size}")
        while len(download(client, "/library?format=csv")) <= size:
            discussed(make_case, meetup, people, f"Case {size}")
            make_case(people["other_agent"], title="Queued")
        run = []
        for url in urls:
            with count_queries() as counter:
                download(client, url)
            run.append(counter.count)
        counts.append(run)
    assert counts[0] == counts[1]

"""Talking to the team: announcements reach the team's current members (a notice, an e-mail only
when the coach asks), are pinned on their dashboards until they expire, and sanitised; "who
hasn't" finds exactly the members who have not signed up, enrolled, attended or kept their plan,
and one nudge reaches exactly them. Only the team's coaches and admins act on a team."""
import html
import re
from datetime import date, datetime, time, timedelta

import pytest

from learning.accounts.models import User
from learning.coaching.checkin_series import start_checkin_series
from learning.coaching.service import add_action, add_goal, create_plan
from learning.curriculum.service import enrol
from learning.db import utcnow
from learning.notify.models import Notification, OutboxMessage
from learning.outreach.models import Announcement, Nudge
from learning.outreach.service import announce, pinned_for
from learning.outreach.who_hasnt import ask, send_nudge, who_hasnt
from learning.refusals import NotFound, Refused
from learning.schedule.models import Rsvp, Series, Session
from learning.schedule.service import rsvp
from tests.fixtures_curriculum import make_module_series, record_attendance
from tests.fixtures_schedule import next_weekday_at

SOON = date.today() + timedelta(days=5)


@pytest.fixture
def team(people, make_user):
    """Team A with a third member, and someone who moved from team A to team B."""
    people["third"] = make_user("agent", team=people["team_a"], name="Agent A3")
    people["moved"] = make_user("agent", team=people["team_a"], name="Moved Away")
    User.update(team=people["team_b"]).where(User.id == people["moved"].id).execute()
    people["moved"] = User.get_by_id(people["moved"].id)
    return people


def names(query):
    return [p.display_name for p in query]


def notified(kind="coaching"):
    return sorted(n.user.display_name for n in Notification.select().where(Notification.kind == kind))


def test_an_announcement_reaches_current_members_and_is_pinned_until_it_expires(client, login, team):
    login(team["coach_a"])
    response = client.post(f"/teams/{team['team_a'].id}/announcements", data={
        "body": "**New rota** from Monday <script>alert(1)</script>", "until": SOON.isoformat()})
    assert response.status_code == 302
    assert notified() == ["Agent A1", "Agent A2", "Agent A3"]
    assert OutboxMessage.select().count() == 0                       # no e-mail unless the coach asks
    login(team["agent"])
    page = client.get("/").get_data(as_text=True)
    assert "<strong>New rota</strong>" in page and "<script>alert(1)" not in page
    login(team["moved"])
    assert "New rota" not in client.get("/").get_data(as_text=True)
    item = Announcement.get()
    assert [a.id for a in pinned_for(team["agent"], now=item.expires_at - timedelta(minutes=1))] == [item.id]
    assert pinned_for(team["agent"], now=item.expires_at) == []
    Announcement.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    login(team["agent"])
    assert "New rota" not in client.get("/").get_data(as_text=True)


def test_an_announcement_is_emailed_when_the_coach_asks(team, app):
    with app.app_context():
        announce(team["coach_a"], team["team_a"], "Team lunch on Friday", SOON, email=True)
    mails = sorted(m.to_address for m in OutboxMessage.select())
    assert mails == sorted(team[k].email for k in ("agent", "other_agent", "third"))
    assert OutboxMessage.get().body == "Team lunch on Friday"


def test_unpinning_takes_it_off_dashboards(client, login, team):
    item = announce(team["coach_a"], team["team_a"], "Wrong date", SOON)
    login(team["coach_b"])
    assert client.post(f"/announcements/{item.id}/withdraw").status_code == 404
    assert pinned_for(team["agent"])
    login(team["coach_a"])
    assert client.post(f"/announcements/{item.id}/withdraw").status_code == 302
    assert pinned_for(team["agent"]) == []


@pytest.mark.parametrize("data, message", [
    ({"body": "", "until": SOON.isoformat()}, "Write the message."),
    ({"body": "x" * 2001, "until": SOON.isoformat()}, "Keep it under 2000 characters"),
    ({"body": "Hi", "until": (date.today() - timedelta(days=2)).isoformat()}, "The last day cannot be in the past."),
    ({"body": "Hi", "until": (date.today() + timedelta(days=91)).isoformat()}, "Pin it for at most 90 days."),
    ({"body": "Hi", "until": "soon"}, "Not a valid date value"),
])
def test_bad_announcements_are_refused_and_nothing_written(client, login, team, data, message):
    login(team["coach_a"])
    response = client.post(f"/teams/{team['team_a'].id}/announcements", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert Announcement.select().count() == 0 and Notification.select().count() == 0


def test_only_the_teams_coaches_and_admins_act_on_a_team(client, login, team):
    team_a = team["team_a"].id
    assert client.get(f"/teams/{team_a}/who-hasnt?series_q=a").headers["Location"].startswith("/login")
    for seat, expected in (("agent", 403), ("coach_b", 404), ("coach_a", 200), ("admin", 200)):
        login(team[seat])
        assert client.get(f"/teams/{team_a}/announcements").status_code == expected, seat
        assert client.get(f"/teams/{team_a}/who-hasnt").status_code == expected, seat
        assert client.get(f"/teams/{team_a}/who-hasnt?series_q=a&find=1").status_code == expected, seat
    login(team["coach_b"])
    assert client.post(f"/teams/{team_a}/announcements", data={"body": "Hi", "until": SOON.isoformat()}).status_code == 404
    assert client.post(f"/teams/{team_a}/nudges", data={"criterion": "overdue"}).status_code == 404
    with pytest.raises(NotFound):
        announce(team["coach_b"], team["team_a"], "Hi", SOON)
    assert Announcement.select().count() == 0 and Nudge.select().count() == 0
    login(team["coach_a"])
    assert [t for t in ("Team A", "Team B") if t in client.get("/teams").get_data(as_text=True)] == ["Team A"]


def test_who_has_not_signed_up_to_a_series_and_one_nudge_reaches_exactly_them(client, login, team, new_series):
    series = new_series(title="Weekly listening", rrule="FREQ=WEEKLY;COUNT=4")
    first = series.sessions.order_by(Session.starts_at).first()
    with client.application.app_context():
        rsvp(first, team["agent"])
    login(team["coach_a"])
    args = {"criterion": "series", "series": series.id}
    page = client.get(f"/teams/{team['team_a'].id}/who-hasnt", query_string=args).get_data(as_text=True)
    assert "Agent A2" in page and "Agent A3" in page and "Agent A1</a>" not in page and "Moved Away" not in page
    found = page[page.index('id="found"'):page.index("Nudge all of them")]
    assert "Coach A" not in found and "Agent A1" not in found
    User.update(team=team["team_a"]).where(User.id == team["agent_b"].id).execute()     # joined since
    User.update(active=False).where(User.id == team["third"].id).execute()             # left the company
    response = client.post(f"/teams/{team['team_a'].id}/nudges", data={**args, "message": "See you there!"})
    assert response.status_code == 302
    assert notified() == ["Agent A2", "Agent B1"]
    nudge_text = Notification.get(Notification.kind == "coaching").text
    assert "Weekly listening" in nudge_text and "See you there!" in nudge_text
    assert OutboxMessage.select().where(OutboxMessage.kind == "coaching").count() == 0
    assert Nudge.get().reached == 2


def test_signing_up_for_one_session_of_a_past_series_occurrence_does_not_count(team, new_series):
    series = new_series(title="Weekly listening", rrule="FREQ=WEEKLY;COUNT=3")
    first = series.sessions.order_by(Session.starts_at).first()
    Rsvp.create(session=first, user=team["agent"], status="withdrawn", queue_number=1)
    assert names(who_hasnt(team["team_a"], ask(team["team_a"], "series", series.id))) == [
        "Agent A1", "Agent A2", "Agent A3"]


def test_who_has_not_enrolled_in_a_module(team, make_module, make_cohort, app):
    module = make_module(title="Staying centred")
    cohort = make_cohort(module)
    enrol(cohort, team["other_agent"])
    assert names(who_hasnt(team["team_a"], ask(team["team_a"], "module", module.id))) == ["Agent A1", "Agent A3"]


def test_who_has_not_attended_for_some_weeks(team, make_module, make_cohort):
    module = make_module(title="Boundaries")
    recent = make_cohort(module, sessions=1)
    record_attendance(recent, team["agent"])
    record_attendance(recent, team["moved"])
    old = make_module_series(team["coach_a"], "Old series", 1)
    session = old.sessions.get()
    session.starts_at = datetime.utcnow() - timedelta(weeks=8)
    session.save()
    Rsvp.create(session=session, user=team["third"], status="going", queue_number=1, attendance="attended")
    found = who_hasnt(team["team_a"], ask(team["team_a"], "attendance", weeks=4))
    assert names(found) == ["Agent A2", "Agent A3"]
    assert names(who_hasnt(team["team_a"], ask(team["team_a"], "attendance", weeks=10))) == ["Agent A2"]


def test_who_has_overdue_plan_items(team, competencies):
    today, coach = date.today(), team["coach_a"]
    late_goal = create_plan(coach, team["agent"], "Late goal", [competencies[0].id], today - timedelta(days=30), today)
    add_goal(coach, late_goal, competencies[0].id, "Listens", 3, today + timedelta(days=1))
    from learning.coaching.models import Goal
    Goal.update(due_date=today - timedelta(days=1)).execute()
    past_review = create_plan(coach, team["third"], "Past review", [competencies[0].id], today - timedelta(days=60),
                              today - timedelta(days=1))
    add_action(coach, past_review, "bring_case", "Bring a case")
    on_time = create_plan(coach, team["other_agent"], "On time", [competencies[0].id], today, today + timedelta(days=30))
    add_action(coach, on_time, "bring_case", "Bring a case")
    assert names(who_hasnt(team["team_a"], ask(team["team_a"], "overdue"))) == ["Agent A1", "Agent A3"]


def test_each_member_is_asked_about_their_own_record_only(team, competencies):
    """The criteria are asked per member: a no-show is not attendance, an achieved late goal or
    an open action before the review date is not overdue, and another member's or another
    team's record never counts for someone."""
    from learning.coaching.models import Goal
    old = make_module_series(team["coach_a"], "Recent series", 1)
    session = old.sessions.get()
    session.starts_at = datetime.utcnow() - timedelta(days=3)
    session.save()
    Rsvp.create(session=session, user=team["agent"], status="going", queue_number=1, attendance="no_show")
    Rsvp.create(session=session, user=team["agent_b"], status="going", queue_number=2, attendance="attended")
    Rsvp.create(session=session, user=team["moved"], status="going", queue_number=3, attendance="attended")
    assert names(who_hasnt(team["team_a"], ask(team["team_a"], "attendance", weeks=4))) == [
        "Agent A1", "Agent A2", "Agent A3"]
    today, coach = date.today(), team["coach_a"]
    achieved = create_plan(coach, team["agent"], "Done late", [competencies[0].id], today - timedelta(days=30),
                           today + timedelta(days=30))
    add_goal(coach, achieved, competencies[0].id, "Listens", 3, today + timedelta(days=1))
    Goal.update(due_date=today - timedelta(days=1), status="achieved").execute()
    ahead = create_plan(coach, team["third"], "Review ahead", [competencies[0].id], today, today + timedelta(days=5))
    add_action(coach, ahead, "bring_case", "Bring a case")
    elsewhere = create_plan(team["coach_b"], team["agent_b"], "Elsewhere", [competencies[0].id], today - timedelta(days=60),
                            today - timedelta(days=1))
    add_action(team["coach_b"], elsewhere, "bring_case", "Bring a case")
    assert names(who_hasnt(team["team_a"], ask(team["team_a"], "overdue"))) == []
    assert names(who_hasnt(team["team_b"], ask(team["team_b"], "overdue"))) == ["Agent B1"]


def test_a_nudge_to_nobody_is_refused_and_bad_questions_too(team, app):
    with pytest.raises(Refused, match="Nobody to nudge"):
        send_nudge(team["coach_a"], team["team_a"], ask(team["team_a"], "overdue"))
    with pytest.raises(Refused, match="Choose one of the team's"):
        ask(team["team_a"], "series", 999999)
    with pytest.raises(Refused, match="1 to 52"):
        ask(team["team_a"], "attendance", weeks=99)
    with pytest.raises(Refused, match="what to look for"):
        ask(team["team_a"], "bogus")
    assert Nudge.select().count() == 0 and Notification.select().count() == 0


def test_a_series_of_another_team_is_not_a_question_for_this_one(team, new_series):
    other = new_series(title="Team B only", team=team["team_b"])
    with pytest.raises(Refused, match="Choose one of the team's"):
        ask(team["team_a"], "series", other.id)


def test_a_nudge_by_email_follows_each_persons_preference(team, app):
    from learning.notify.service import set_channel

    set_channel(team["third"], "coaching", "app")
    with app.app_context():
        send_nudge(team["coach_a"], team["team_a"], ask(team["team_a"], "attendance", weeks=4), email=True)
    assert sorted(m.to_address for m in OutboxMessage.select()) == sorted(
        [team["agent"].email, team["other_agent"].email])
    assert notified() == ["Agent A1", "Agent A2", "Agent A3"]


def test_team_pages_run_as_many_queries_for_a_big_team_as_for_a_small_one(client, login, team, make_user,
                                                                        count_queries, new_series):
    series = new_series(title="Weekly listening", rrule="FREQ=WEEKLY;COUNT=4")
    first = date.today() + timedelta(days=7)
    pages = [f"/teams/{team['team_a'].id}/who-hasnt?criterion=series&series={series.id}",
             f"/teams/{team['team_a'].id}/who-hasnt?criterion=overdue",
             f"/teams/{team['team_a'].id}/announcements", "/coaching/checkin-series", "/teams"]
    counts = []
    for size in (2, 12):
        for n in range(size):
            make_user("agent", team=team["team_a"], name=f"Member {size}-{n}")
        start_checkin_series(team["coach_a"], [team["team_a"].id], [], first, time(10), 2, first + timedelta(days=30))
        announce(team["coach_a"], team["team_a"], f"Note {size}", SOON)
        login(team["coach_a"])
        with count_queries() as counter:
            for path in pages:
                assert client.get(path).status_code == 200, path
        counts.append(counter.count)
    assert counts[0] == counts[1]


def bare_series(people, *titles, team=None):
    """Series rows alone (no sessions): enough for what the picker offers."""
    Series.insert_many([{"kind": "skill", "title": title, "duration_minutes": 60, "timezone": "Europe/Berlin",
                         "first_start_local": datetime(2030, 1, 7, 10), "team": team, "created_by": people["admin"].id}
                        for title in titles]).execute()


def offered(page):
    """The titles the series select offers, as a person reads them."""
    select = re.search(r'<select[^>]*name="series".*?</select>', page, re.S).group(0)
    return [html.unescape(title) for value, title in re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select)
            if value != "0"]


def test_the_series_picker_offers_the_teams_world_and_finds_the_rest_by_title(client, login, team, new_series):
    new_series(title="Team A huddle", team=team["team_a"])
    joined = new_series(title="Weekly listening", rrule="FREQ=WEEKLY;COUNT=2")
    given_up = new_series(title="Given up")
    lonely = new_series(title="Cultural sensitivity")
    new_series(title="Team B only", team=team["team_b"])
    theirs = new_series(title="Team B's pick")
    with client.application.app_context():
        rsvp(joined.sessions.order_by(Session.starts_at).first(), team["agent"])
        rsvp(given_up.sessions.get(), team["other_agent"])
        rsvp(theirs.sessions.get(), team["agent_b"])
        rsvp(theirs.sessions.get(), team["moved"])                       # in team B now
    Rsvp.update(status="withdrawn").where(Rsvp.session.in_(given_up.sessions)).execute()
    login(team["coach_a"])
    url = f"/teams/{team['team_a'].id}/who-hasnt"
    page = client.get(url).get_data(as_text=True)
    assert offered(page) == ["Team A huddle", "Weekly listening"]
    assert 'name="series_q"' in page and "Find a series by title" in page
    found = client.get(url, query_string={"series_q": "CULTURAL sens", "find": "1"}).get_data(as_text=True)
    assert offered(found) == ["Cultural sensitivity", "Team A huddle", "Weekly listening"]
    assert "1 series found" in found and f'<option selected value="{lonely.id}">' in found
    assert offered(client.get(url, query_string={"series_q": "team b", "find": "1"}).get_data(as_text=True)) == [
        "Team A huddle", "Team B's pick", "Weekly listening"]                # programme-wide, not team B's own
    asked = client.get(url, query_string={"criterion": "series", "series": lonely.id}).get_data(as_text=True)
    assert "Cultural sensitivity" in offered(asked)                       # the chosen one stays offered
    assert "Members not signed up to Cultural sensitivity" in asked
    assert all(f"{name}</a>" in asked for name in ("Agent A1", "Agent A2", "Agent A3"))
    assert "Team B only" not in asked


def test_another_teams_series_is_refused_by_id_and_never_offered(client, login, team, new_series):
    other = new_series(title="Team B only", team=team["team_b"])
    login(team["coach_a"])
    response = client.get(f"/teams/{team['team_a'].id}/who-hasnt", query_string={"criterion": "series", "series": other.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose one of the team&#39;s or the programme&#39;s series." in page
    assert "Team B only" not in offered(page) and 'id="found"' not in page


def test_a_title_search_says_when_there_are_more_and_takes_wildcards_literally(client, login, team):
    bare_series(team, *(f"Listening lab {n:02d}" for n in range(27)), "100% ownership", "1000 calls",
                "Follow_up drill", "Follow-up drill")
    login(team["coach_a"])
    url = f"/teams/{team['team_a'].id}/who-hasnt"
    many = client.get(url, query_string={"series_q": "listening LAB", "find": "1"}).get_data(as_text=True)
    assert offered(many) == [f"Listening lab {n:02d}" for n in range(25)]
    assert "More than 25 series match: the first 25 are in the list. Add a word to narrow it." in many
    assert offered(client.get(url, query_string={"series_q": "100%"}).get_data(as_text=True)) == ["100% ownership"]
    assert offered(client.get(url, query_string={"series_q": "follow_up"}).get_data(as_text=True)) == ["Follow_up drill"]
    nothing = client.get(url, query_string={"series_q": "%%"}).get_data(as_text=True)
    assert offered(nothing) == [] and "No series open to the team has that in its title." in nothing
    tabbed = client.get(url, query_string={"series_q": "listening\tlab", "find": "1"})
    assert tabbed.status_code == 400 and "Keep this to one line" in tabbed.get_data(as_text=True)
    assert offered(tabbed.get_data(as_text=True)) == []


def test_the_picker_costs_the_same_however_many_series_the_programme_has(client, login, team, new_series,
                                                                          count_queries):
    series = new_series(title="Weekly listening", rrule="FREQ=WEEKLY;COUNT=4")
    with client.application.app_context():
        rsvp(series.sessions.order_by(Session.starts_at).first(), team["agent"])
    login(team["coach_a"])
    pages = [f"/teams/{team['team_a'].id}/who-hasnt",
             f"/teams/{team['team_a'].id}/who-hasnt?criterion=series&series={series.id}&series_q=listening&find=1"]
    counts = []
    for batch in range(2):
        with count_queries() as counter:
            bodies = [client.get(path).get_data(as_text=True) for path in pages]
        counts.append(counter.count)
        assert [offered(body) for body in bodies] == [["Weekly listening"]] * 2
        bare_series(team, *(f"Programme series {batch}-{n:02d}" for n in range(60)))
    assert counts[0] == counts[1]


def test_the_picker_offers_the_25_series_most_of_the_team_holds_places_at_in_the_next_8_weeks(
        client, login, team, new_series):
    """Beyond the team's own, the picker offers no more than 25 series: those most of its members
    hold places at soon (ties by the oldest series); a series held only later is found by title."""
    from learning.outreach.who_hasnt import IN_PLAY_AT_MOST, IN_PLAY_WEEKS

    held_by_one = [new_series(title=f"Single {n:02d}") for n in range(IN_PLAY_AT_MOST)]
    held_by_two = new_series(title="Zz held by two")
    later = new_series(title="Later", first_start_local=next_weekday_at(10) + timedelta(weeks=IN_PLAY_WEEKS + 1))
    with client.application.app_context():
        for series in held_by_one + [later]:
            rsvp(series.sessions.get(), team["agent"])
        for person in ("agent", "other_agent"):
            rsvp(held_by_two.sessions.get(), team[person])
    login(team["coach_a"])
    url = f"/teams/{team['team_a'].id}/who-hasnt"
    shown = offered(client.get(url).get_data(as_text=True))
    assert len(shown) == IN_PLAY_AT_MOST and "Zz held by two" in shown
    assert shown == sorted(shown) and "Single 24" not in shown and "Later" not in shown
    assert "Later" in offered(client.get(url, query_string={"series_q": "later", "find": "1"}).get_data(as_text=True))

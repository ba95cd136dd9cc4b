"""Browser: the coach of a 40-person team, each in at most five page actions, enrols the team in
a 12-week series, takes attendance with three absentees, and fills a ratings grid."""
from datetime import date, timedelta

import pytest

from learning.coaching.models import Rating
from learning.db import utcnow
from learning.schedule import service
from learning.schedule.models import Rsvp, Session
from learning.schedule.recurrence import build_rule
from tests.conftest import PASSWORD
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.browser


@pytest.fixture
def big_team(app, make_team, make_user):
    team = make_team("Support 40")
    coach = make_user("coach", team=team, coach_of=[team], name="Casey Coach")
    members = [make_user("agent", team=team, name=f"Member {n:02d}") for n in range(1, 41)]
    first = next_weekday_at(9, days_ahead=2)
    with app.app_context():
        series = service.create_series(coach, "skill", "Weekly de-escalation", "Europe/Berlin", first, 60,
                                       rrule=build_rule("weekly", first, count=12), capacity=30, team=team,
                                       facilitator_ids=[coach.id])
    return {"team": team, "coach": coach, "members": members, "series": series}


def test_a_coach_enrols_a_team_of_forty_in_a_twelve_week_series(page, browser_login, big_team):
    browser_login(big_team["coach"].email, PASSWORD)
    page.goto(f"/series/{big_team['series'].id}/enrol")                         # 1
    page.click("button:has-text('Enrol in every future session')")             # 2
    table = page.locator("table.enrolled tbody tr")
    assert "Enrolled 41 people" in page.locator("main").inner_text() and table.count() == 41
    waiting = page.locator("table.enrolled tbody tr:has-text('number 1 in line')")
    assert waiting.count() == 1   # seats for 30 of the 41, then the line in order
    places = Rsvp.select().join(Session).where(Session.series == big_team["series"])
    assert places.count() == 41 * 12 and places.where(Rsvp.status == "going").count() == 30 * 12


def test_a_coach_takes_attendance_for_forty_with_three_absentees(app, page, browser_login, big_team):
    session = big_team["series"].sessions.order_by(Session.starts_at).first()
    with app.app_context():
        for member in big_team["members"]:
            Rsvp.create(session=session, user=member, status="going", queue_number=member.id)
    Session.update(starts_at=utcnow() - timedelta(hours=2), ends_at=utcnow() - timedelta(hours=1)).where(
        Session.id == session.id).execute()
    absent = big_team["members"][4:7]
    browser_login(big_team["coach"].email, PASSWORD)
    assert "Take attendance" in page.locator(".attendance-panel").inner_text()
    page.click(".attendance-panel >> text=Take attendance")                    # 1
    for member in absent:                                                      # 2, 3, 4
        page.check(f"input[name='mark-{member.id}'][value=no_show]")
    page.click("button:has-text('Save: everyone else present')")               # 5
    assert "Attendance saved for 40 people." in page.locator(".flash").inner_text()
    marks = {r.user_id: r.attendance for r in Rsvp.select().where(Rsvp.session == session)}
    assert sorted(uid for uid, mark in marks.items() if mark == "no_show") == sorted(m.id for m in absent)
    assert sum(mark == "attended" for mark in marks.values()) == 37


def test_a_coach_fills_a_ratings_grid_from_the_keyboard(page, browser_login, big_team, competencies):
    browser_login(big_team["coach"].email, PASSWORD)
    page.goto("/coaching")
    page.click("text=Ratings grid: Support 40")                                 # 1
    first = big_team["members"][0]
    page.click(f"input[name='c{first.id}-{competencies[0].id}']")
    for n in range(12):   # four people's three competencies: a level, then Tab to the next cell
        page.keyboard.type(str(n % 5 + 1))
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.click("button:has-text('Save changed cells')")                        # 2
    assert "12 ratings added to the history." in page.locator(".flash").inner_text()
    saved = Rating.select().where(Rating.rated_on == date.today(), Rating.source == "coach")
    assert saved.count() == 12
    assert page.locator(f"input[name='c{first.id}-{competencies[0].id}']").input_value() == "1"


def test_a_coach_enrols_a_team_of_forty_in_a_module_cohort(app, page, browser_login, big_team):
    from learning.curriculum import authoring
    from learning.curriculum.models import Enrolment
    with app.app_context():
        module = authoring.save_module(None, big_team["coach"], "Difficult calls", "A module.", "Calls", 4, None)
        authoring.set_published(module, True)
        cohort = authoring.save_cohort(None, module, big_team["coach"], "Winter", date.today(),
                                       date.today() + timedelta(days=60), 30)
    browser_login(big_team["coach"].email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}")                                         # 1
    page.click("text=Enrol a team or several people")                          # 2
    page.click("button:has-text('Enrol in this cohort')")                      # 3
    assert "The result for 41 people" in page.locator("main").inner_text()
    assert page.locator("table.enrolled tbody tr:has-text('Seat')").count() == 30
    assert page.locator("table.enrolled tbody tr:has-text('number 11 in line')").count() == 1
    assert Enrolment.select().where(Enrolment.cohort == cohort.id, Enrolment.status == "waitlisted").count() == 11

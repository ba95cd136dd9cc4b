"""Browser: the coach of a 40-person team sets fortnightly check-ins for everyone, and nudges those
who have not signed up to a series, each in at most five page actions (counted below)."""
import pytest

from learning.accounts.models import User
from learning.coaching.models import CheckIn, CheckInSeries
from learning.notify.models import Notification
from learning.outreach.models import Nudge
from learning.schedule import service
from learning.schedule.models import Session
from learning.schedule.recurrence import build_rule
from tests.conftest import PASSWORD
from tests.fixtures_schedule import next_weekday_at

pytestmark = pytest.mark.browser


@pytest.fixture
def big_team(people, make_user):
    """Team A grows to 40 members besides its coach; one of them in New York."""
    for n in range(38):
        make_user("agent", team=people["team_a"], name=f"Member {n:02d}",
                  timezone="America/New_York" if n == 0 else "Europe/Berlin")
    return people


def test_coach_sets_fortnightly_checkins_for_a_40_person_team(page, browser_login, big_team):
    browser_login(big_team["coach_a"].email, PASSWORD)
    page.goto("/coaching/checkin-series/new")                                   # 1
    page.check("#teams >> label:has-text('Team A')")                            # 2
    page.click("button:has-text('Set up check-ins')")                           # 3
    assert "Recurring check-ins set up for 40 people." in page.locator(".flash").inner_text()
    assert CheckInSeries.select().count() == 40
    assert {c.timezone for c in CheckIn.select()} == {"Europe/Berlin", "America/New_York"}
    assert "Every second week" in page.content()


def test_coach_nudges_everyone_who_has_not_signed_up_to_a_series(app, page, browser_login, big_team, new_series):
    first = next_weekday_at(10, days_ahead=3)
    series = new_series(title="Weekly listening", first_start_local=first, rrule=build_rule("weekly", first, count=12))
    signed = list(User.select().where(User.team == big_team["team_a"].id).order_by(User.id).limit(12))
    with app.app_context():
        for person in signed:
            service.rsvp(series.sessions.order_by(Session.starts_at).first(), person)
    browser_login(big_team["coach_a"].email, PASSWORD)
    page.goto(f"/teams/{big_team['team_a'].id}/who-hasnt")                      # 1
    page.select_option("select[name=series]", label="Weekly listening")        # 2
    page.click("button:has-text('Show them')")                                  # 3
    page.click("button:has-text('Nudge all of them')")                          # 4
    assert "Nudged everyone not signed up to Weekly listening." in page.locator(".flash").inner_text()
    nudged = {n.user_id for n in Notification.select().where(Notification.kind == "coaching")}
    members = {u.id for u in User.select().where(User.team == big_team["team_a"].id)} - {big_team["coach_a"].id}
    assert nudged == members - {p.id for p in signed} and len(nudged) == 40 - 11
    assert Nudge.get().reached == len(nudged)

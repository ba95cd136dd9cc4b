"""Browser: an agent RSVPs to a session and finds it under My schedule."""
import pytest
from tests.conftest import seed_demo


pytestmark = pytest.mark.browser


def test_agent_rsvps_to_a_session_and_sees_it_under_my_schedule(app, page, browser_login):
    seed_demo(app)
    browser_login("priya@example.com", "learning-demo")
    page.click("nav >> text=Sessions")
    page.wait_for_url("**/sessions")
    free = next(line for line in page.locator(".session-line").all()
                if "You're going" not in line.inner_text() and "Cancelled" not in line.inner_text())
    title = free.locator("strong").first.inner_text()
    free.locator("a").first.click()
    page.click("button:has-text(\"I'm going\"), button:has-text('Join the waitlist')")
    assert "You are" in page.locator(".flash").inner_text()
    page.click("nav >> text=My schedule")
    page.wait_for_url("**/my/schedule")
    assert title in page.locator(".session-list").inner_text()


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_my_schedule_pages_its_upcoming_sessions_on_phone_and_desktop(app, page, browser_login, people, new_series,
                                                                      viewport):
    from learning.schedule import service
    from learning.schedule.models import Session
    from learning.schedule.recurrence import build_rule
    from tests.conftest import PASSWORD
    from tests.fixtures_schedule import next_weekday_at

    first = next_weekday_at(10, days_ahead=2)
    series = new_series(title="Weekly listening", first_start_local=first, rrule=build_rule("weekly", first, count=26))
    with app.app_context():
        for session in series.sessions.order_by(Session.starts_at):
            service.rsvp(session, people["agent"])
        last = series.sessions.order_by(Session.starts_at.desc()).first()
    page.set_viewport_size(viewport)
    browser_login(people["agent"].email, PASSWORD)
    page.goto("/my/schedule")
    assert page.locator(".session-line").count() == 25
    no_overflow = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(no_overflow)
    columns = page.locator(".session-line").first.evaluate("e => getComputedStyle(e).gridTemplateColumns")
    assert len(columns.split()) == (1 if viewport["width"] < 640 else 3)
    page.click("nav[aria-label='Pages of upcoming sessions'] >> text=Next")
    page.wait_for_url("**/my/schedule?upcoming=2")
    assert page.locator(".session-line").count() == 1
    assert page.locator(f".session-line a[href='/sessions/{last.id}']").count() == 1
    assert page.evaluate(no_overflow)
    page.click("nav[aria-label='Pages of upcoming sessions'] >> text=Previous")
    page.wait_for_url("**/my/schedule?upcoming=1")
    assert page.locator(".session-line").count() == 25

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

"""Browser: a session is cancelled; the attendee sees the notice in the
notification centre and the count in the navigation drops after "Mark all read"."""
import pytest

from learning.schedule import editing, service as schedule
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_attendee_sees_the_cancellation_and_clears_the_count(app, page, browser_login, people, notify_session):
    agent = people["agent"]
    session = notify_session(title="Asking targeted questions")
    with app.app_context():
        schedule.rsvp(session, agent)
        editing.cancel_session(session, confirm=True)
    browser_login(agent.email, PASSWORD)
    badge = page.locator(".usermenu a", has_text="Notifications").locator(".badge")
    assert badge.inner_text() == "2"
    page.click(".usermenu >> text=Notifications")
    page.wait_for_url("**/notifications")
    first = page.locator("li.notice").first
    assert "Asking targeted questions on" in first.inner_text() and "is cancelled" in first.inner_text()
    assert page.locator("li.notice.unread").count() == 2
    page.click("text=Mark all read")
    page.wait_for_url("**/notifications")
    assert "2 notices marked read." in page.content()
    assert page.locator(".usermenu a", has_text="Notifications").locator(".badge").count() == 0
    assert page.locator("li.notice.unread").count() == 0
    page.click("li.notice >> nth=0 >> a")
    page.wait_for_url(f"**/sessions/{session.id}")

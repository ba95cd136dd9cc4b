"""Browser: a session is cancelled; the attendee sees the notice in the
notification centre and the count in the navigation drops after "Mark all read"."""
import pytest
from blinker import signal

from learning.db import db
from learning.schedule.models import Rsvp
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def cancel(session):
    """The schedule's cancellation as far as notify sees it: the row and its signal."""
    with db.atomic():
        session.status, session.sequence = "cancelled", session.sequence + 1
        session.save()
        ids = [r.user_id for r in Rsvp.select().where(Rsvp.session == session, Rsvp.status == "going")]
        signal("schedule.session-changed").send(session, change="cancelled", user_ids=ids)


def test_attendee_sees_the_cancellation_and_clears_the_count(app, page, browser_login, people, make_session,
                                                             give_place):
    agent = people["agent"]
    session = make_session(title="Asking targeted questions")
    with app.app_context():
        give_place(session, agent)
        cancel(session)
    browser_login(agent.email, PASSWORD)
    badge = page.locator("nav.mainnav a", has_text="Notifications").locator(".badge")
    assert badge.inner_text() == "2"
    page.click("nav.mainnav >> text=Notifications")
    page.wait_for_url("**/notifications")
    first = page.locator("li.notice").first
    assert "Asking targeted questions on" in first.inner_text() and "is cancelled" in first.inner_text()
    assert page.locator("li.notice.unread").count() == 2
    page.click("text=Mark all read")
    page.wait_for_url("**/notifications")
    assert "2 notices marked read." in page.content()
    assert page.locator("nav.mainnav a", has_text="Notifications").locator(".badge").count() == 0
    assert page.locator("li.notice.unread").count() == 0
    page.click("li.notice >> nth=0 >> a")
    page.wait_for_url(f"**/sessions/{session.id}")

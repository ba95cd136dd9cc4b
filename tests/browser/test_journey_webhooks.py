"""Browser: an admin adds a webhook for a local receiver, copies nothing by hand but sees its
secret, sends a test event, and after the worker's round sees it delivered in the log with
the receiver's answer; the receiver checked the signature."""
import pytest

from learning.webhooks import delivery
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_admin_adds_an_endpoint_sends_a_test_event_and_sees_it_in_the_log(app, page, browser_login, people,
                                                                          receiver):
    receiver.answers = [(200, "stored as event 7")]
    browser_login(people["admin"].email, PASSWORD)
    page.click("nav.mainnav summary >> text=Admin")
    page.click("nav.mainnav >> text=Webhooks")
    page.fill("input[name=url]", receiver.url)
    page.check("text=A case submitted for review")
    page.click("button:has-text('Add endpoint')")
    page.wait_for_selector("text=Copy its signing secret")
    receiver.secret = page.input_value("#secret")
    assert receiver.secret.startswith("whsec_")
    page.click("button:has-text('Send a test event')")
    page.wait_for_selector("text=A test event is queued")
    assert page.locator(".delivery").count() == 1 and "waiting" in page.locator(".delivery").inner_text()
    with app.app_context():
        assert delivery.deliver_due() == 1          # the mail worker's round
    page.reload()
    entry = page.locator(".delivery").first
    assert "ping" in entry.inner_text() and "delivered" in entry.inner_text()
    page.click("summary:has-text('Last answer')")
    assert page.locator("pre.answer").inner_text() == "stored as event 7"
    assert receiver.requests[0]["verified"] is True

"""Browser: the demo agent signs in, sees the dashboard and signs out."""
import pytest
from tests.conftest import seed_demo


pytestmark = pytest.mark.browser


def test_demo_agent_signs_in_sees_dashboard_and_signs_out(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    assert page.locator("h1").inner_text() == "Hello, Alex"
    page.click("text=Sign out")
    page.wait_for_url("**/login")
    assert "You are signed out." in page.content()

"""Browser: the demo agent asks for support, the demo coach turns it into a plan with a goal
and a check-in, the agent sees the plan and the check-in."""
from datetime import timedelta

import pytest

from learning.db import utcnow
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def sign_in_as(page, browser_login, email):
    page.goto("/login")
    if page.locator("text=Sign out").count():
        page.click("text=Sign out")
        page.wait_for_url("**/login")
    browser_login(email, "learning-demo")


def test_agent_request_becomes_a_plan_with_a_goal_and_a_checkin(app, page, browser_login):
    seed_demo(app)
    sign_in_as(page, browser_login, "agent@example.com")
    page.click("nav >> text=Coaching")
    page.click("text=Ask for support")
    page.fill("#competencies input[type=search]", "follow up")
    page.check("#competencies >> label:has-text('Follow up to confirm the fix')")
    page.fill("textarea[name=description]", "I forget to follow up after a refund is sent.")
    page.click("button:has-text('Send request')")
    assert "Your request is with your team's coaches." in page.content()

    sign_in_as(page, browser_login, "coach@example.com")
    page.click("nav >> text=Coaching")
    page.click("#open-requests tr:has-text('Alex Agent') >> text=Answer")
    page.click("text=Create a plan")
    page.fill("input[name=title]", "Follow-up habits")
    page.click("button:has-text('Create plan')")
    assert "The plan is assigned to Alex Agent." in page.content()
    page.click("summary:has-text('Add a goal')")
    page.select_option("#goals select[name=competency]", label="Follow up to confirm the fix (Service principles)")
    page.fill("#goals textarea[name=what_good_looks_like]", "Confirms every refund landed within two days.")
    page.select_option("#goals select[name=target_level]", "3")
    page.fill("#goals input[name=due_date]", (utcnow().date() + timedelta(days=30)).isoformat())
    page.click("button:has-text('Add goal')")
    assert "The goal is added." in page.content()
    page.click("summary:has-text('Schedule a check-in')")
    page.fill("#checkins input[name=date]", (utcnow().date() + timedelta(days=7)).isoformat())
    page.fill("#checkins input[name=time]", "11:00")
    page.click("button:has-text('Schedule')")
    assert "The check-in is scheduled." in page.content()

    sign_in_as(page, browser_login, "agent@example.com")
    page.click("nav >> text=Coaching")
    page.click("#my-plans >> text=Follow-up habits")
    assert "Confirms every refund landed within two days." in page.content()
    page.click("#checkins li a")
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Check-in") and "11:00" in heading
    assert "Alex Agent with Carla Coach" in page.content()

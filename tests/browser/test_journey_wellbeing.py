"""Browser: an agent answers the pulse on a phone (390 px) from the dashboard, in a few taps,
and finds a quiet offer of support after a low answer; a coach reads their team's trend beside
its data table."""
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def test_an_agent_answers_the_pulse_on_a_phone(people, fortnightly, phone):
    phone.goto("/login")
    phone.fill("input[name=email]", people["agent"].email)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/")
    phone.tap("text=Answer the pulse")
    phone.wait_for_url("**/wellbeing")
    phone.tap("text=Send my answers")                                  # nothing chosen: refused, per question
    phone.wait_for_selector("fieldset.scale p.error")
    assert phone.locator("fieldset.scale p.error").count() == 4
    for question, value in (("workload", 2), ("hard_contacts", 1), ("allowed_to_fix", 3), ("support", 4)):
        phone.tap(f"label.scale-option:has(input[name={question}][value='{value}'])")
    phone.fill("textarea[name=comment]", "Long queue all week.")
    phone.tap("text=Send my answers")
    phone.wait_for_selector("text=Thank you")
    assert phone.locator("text=Things sound heavy").is_visible()
    assert phone.locator("a", has_text="Ask a coach for support").is_visible()
    assert phone.locator("section", has_text="My answers over time").locator("text=Long queue all week.").count()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390


def test_a_coach_reads_the_team_trend_beside_its_table(team_of, give_answers, closed_round, page, browser_login):
    team, members = team_of(6, "Orders")
    for weeks, value in ((4, 2), (2, 3), (0, 4)):
        give_answers(members, closed_round - timedelta(weeks=weeks), value)
    browser_login(team.coach_links[0].user.email, PASSWORD)
    page.click("nav.mainnav >> text=Wellbeing")
    page.click("text=Team figures")
    page.click("table a:text-is('Orders')")
    section = page.locator("section", has_text="The team's pulse")
    assert section.locator("svg.chart polyline").count() == 4
    rows = section.locator(".chart-beside table tbody tr")
    assert rows.count() == 3 and rows.last.inner_text().split()[-4:] == ["4.0"] * 4

"""Browser: the demo agent sees a technique module locked until the foundation module is completed."""
import pytest
from tests.conftest import seed_demo


pytestmark = pytest.mark.browser


def card(page, title):
    return page.locator(f'li.module-card[data-module="{title}"]')


def test_demo_agent_sees_a_technique_module_locked_until_the_foundation_is_completed(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Modules")
    technique = card(page, "Emotional support practice")
    assert technique.get_attribute("data-state") == "locked"
    assert "Complete Professional boundaries foundation first" in " ".join(technique.inner_text().split())

    technique.locator("a.missing").click()
    page.wait_for_selector("h1:has-text('Professional boundaries foundation')")
    page.locator(".cohort-line", has_text="Winter foundation cohort").locator("button", has_text="Enrol").click()
    assert "You are enrolled in Winter foundation cohort." in page.content()

    page.click("text=Sign out")
    browser_login("coach@example.com", "learning-demo")
    page.goto("/modules")
    card(page, "Professional boundaries foundation").locator("h2 a").click()
    page.click("text=Winter foundation cohort")
    row = page.locator("#participants tr", has_text="Alex Agent")
    row.locator("summary", has_text="Mark complete").click()
    row.locator("textarea[name=note]").fill("Completed the foundation workshop early with the team.")
    row.locator("button", has_text="Complete").click()
    assert "Alex Agent completed Professional boundaries foundation." in page.content()

    page.click("text=Sign out")
    browser_login("agent@example.com", "learning-demo")
    page.goto("/modules")
    assert card(page, "Professional boundaries foundation").get_attribute("data-state") == "completed"
    assert card(page, "Emotional support practice").get_attribute("data-state") == "available"

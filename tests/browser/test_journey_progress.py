"""Browser: the demo agent opens My progress from the navigation and reads their
year: competency ratings (self and coach) and service measures, each chart with its data table."""
import pytest

from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_demo_agent_opens_my_progress_and_sees_their_year(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Progress")
    page.wait_for_url("**/progress")
    assert page.locator("h1").inner_text() == "My progress"
    competencies = page.locator("section", has_text="Competencies: self and coach ratings")
    first = competencies.locator("figure").first
    assert first.locator("svg.chart polyline").count() == 2              # self and coach
    assert first.locator("svg.chart circle").count() >= 12               # a year of demo ratings
    first.locator("summary", has_text="Data table").click()
    assert first.locator("table tbody tr").count() == 12
    service = page.locator("figure", has_text="My service measures")
    assert service.locator("svg.chart polyline").count() == 3          # CSAT, FCR, quality
    assert service.locator("svg.chart circle").count() == 3 * 11       # the demo months shown, up to last month
    service.locator("summary", has_text="Data table").click()
    assert service.locator("table tbody tr").count() == 12

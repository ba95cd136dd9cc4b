"""Browser: the demo coach opens their team's progress from My progress: the members with
their attendance and last activity, and the trends whose closed months come from the nightly
summary while this month is counted as they look; the admin's programme results end with the
module completion table, busiest modules first."""
import pytest

from learning.progress.periods import last_months, month_label
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_demo_coach_reads_their_team_s_progress_and_the_admin_the_programme(app, page, browser_login):
    seed_demo(app)
    browser_login("coach@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Progress")           # a coach's Progress opens their team
    page.wait_for_url("**/progress/team/*")
    assert page.locator("h1").inner_text() == "Orders & Delivery: team progress"
    members = page.locator("table", has_text="Attendance, last 90 days")
    assert members.locator("tbody tr").count() >= 3
    assert members.locator("tbody time").count() >= 3                     # last activity, in the coach's zone
    this_month = month_label(last_months("Europe/Berlin")[-1])
    note = page.locator("p.as-of").inner_text()
    assert f"Months before {this_month} as counted at" in note and f"{this_month} is counted as you look" in note
    trends = page.locator("table", has_text="Team trends per month")
    assert trends.locator("tbody tr").count() == 12
    assert trends.locator("tbody tr").last.locator("th").inner_text() == this_month

    page.context.clear_cookies()
    browser_login("admin@example.com", "learning-demo")
    page.click("nav.mainnav summary >> text=Admin")
    page.click("nav.mainnav >> text=Programme results")
    modules = page.locator("table", has_text="Completion rate (%)")
    enrolled = [int(cell) for cell in modules.locator("tbody tr td:nth-child(2)").all_inner_texts() if cell.isdigit()]
    assert enrolled and enrolled == sorted(enrolled, reverse=True)

"""Browser: the demo coach turns two cases on the team meetup's agenda into an operations
feedback item and accepts it; its author is told; an operations lead reads the operations page."""
import pytest

from tests.conftest import seed_demo

pytestmark = pytest.mark.browser

QUEUED = ("Patient family in distress", "Courier left the parcel with the wrong neighbour")


def test_a_meetup_turns_two_cases_into_a_feedback_item_and_its_author_is_told(app, page, browser_login):
    seed_demo(app)
    browser_login("coach@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Case reviews")
    page.locator(".meetup-list a", has_text="Orders & Delivery").first.click()
    for title in QUEUED:
        page.locator(".queue li", has_text=title).locator("button", has_text="Add").click()
        page.wait_for_selector("text=The case is on the agenda.")
    page.click("text=Raise operations feedback from these cases")
    page.fill("input[name=title]", "Tell customers what a delivery slot really means")
    page.select_option("select[name=cause]", label="Customer expectation")
    page.fill("input[name=owner]", "Logistics")
    for title in QUEUED:
        page.get_by_label(title).check()
    page.click("text=Raise the item")
    page.wait_for_selector("text=The feedback item is raised")
    cases = page.locator("ul.linked-cases").inner_text()
    assert all(title in cases for title in QUEUED)
    assert "Shared without a name" in cases and "Lena" not in cases   # Lena shared hers without a name
    page.select_option("select[name=status]", "accepted")
    page.fill("textarea[name=note]", "Logistics will rewrite the slot e-mail.")
    page.click("text=Change the status")
    page.wait_for_selector("text=Status changed")
    assert "Open → Accepted" in page.locator(".status-history").inner_text()

    page.click("text=Sign out")
    browser_login("tom@example.com", "learning-demo")
    page.click(".usermenu >> text=Notifications")
    notice = page.locator("text=is now accepted").first
    assert "Tell customers what a delivery slot really means" in notice.inner_text()


def test_an_operations_lead_reads_the_operations_page(app, page, browser_login):
    seed_demo(app)
    browser_login("coach@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Operations")
    open_items = page.locator("#open-h + .table-wrap").inner_text()
    assert "Let agents rebook a late delivery without asking a supervisor" in open_items
    assert "Publish the goodwill refund rule" not in open_items        # fixed: counted per quarter instead
    causes = page.locator("table", has_text="Cases by root cause").inner_text()
    assert "No permission to fix it" in causes and "Avoidable %" in causes
    as_of = page.locator("#causes-h ~ .as-of").inner_text()          # past months from the nightly count
    assert "as counted at" in as_of and "is counted as you look" in as_of
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/orgwide_shots/operations-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    fixed = page.locator("table", has_text="Feedback items fixed per quarter").inner_text()
    assert "1" in fixed
    with page.expect_download() as download:
        page.click("text=Export CSV of Cases by root cause and month submitted")
    assert download.value.suggested_filename == "operations-causes.csv"
    page.click("text=Let agents rebook a late delivery without asking a supervisor")
    assert "Accepted" in page.locator(".status-history").inner_text()

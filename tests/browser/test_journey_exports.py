"""Browser: a coach filters the plans of their team, downloads the filtered list as CSV for a
spreadsheet, and an agent downloads the sessions list they filtered, on a phone and a desktop."""
import csv
import io
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_filtered_lists_download_as_csv_with_their_filters(app, page, browser_login, people, new_series, plan,
                                                           viewport):
    new_series(title="Own the issue")
    new_series(title="Team A meetup", kind="case_review", team=people["team_a"])
    page.set_viewport_size(viewport)
    browser_login(people["coach_a"].email, PASSWORD)
    page.goto("/coaching")
    page.select_option("select#status", "active")
    page.click("#team-plans form button[type=submit]")
    page.wait_for_url("**/coaching?*status=active*")
    with page.expect_download() as download:
        page.locator("#team-plans").get_by_role("link", name="CSV for Excel of these plans").click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert body.startswith("\ufeff") and download.value.suggested_filename == "plans.csv"
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row[1:4] for row in rows[1:]] == [["Listening plan", "Agent A1", "active"]]
    page.screenshot(path=f"/tmp/exports_shots/coaching-{viewport['width']}.png", full_page=True)

    page.goto("/sessions")
    page.select_option("select#kind", "case_review")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/sessions?*kind=case_review*")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of these sessions").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [row[1] for row in rows[1:]] == ["Team A meetup"]
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=f"/tmp/exports_shots/sessions-{viewport['width']}.png", full_page=True)

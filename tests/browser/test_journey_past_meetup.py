"""Browser: a coach records a meetup that already happened, then who came, and the session
shows up as recorded (no RSVP offered)."""
from datetime import timedelta

import pytest

from learning.db import utcnow
from learning.timezones import to_local
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_coach_records_a_past_meetup_with_its_attendance(app, page, browser_login, people):
    day = to_local(utcnow() - timedelta(days=3), "Europe/Berlin").date()
    browser_login(people["coach_a"].email, PASSWORD)
    page.goto("/series/new")
    page.select_option("select[name=kind]", "case_review")
    page.fill("input[name=title]", "Thursday huddle")
    page.check("#team_id >> label:has-text('Team A')")
    page.fill("input[name=start_date]", day.isoformat())
    page.fill("input[name=start_time]", "10:00")
    page.fill("input[name=end_time]", "11:00")
    page.select_option("select[name=pattern]", "once")
    page.click("button[name=save]")
    page.wait_for_url("**/attendance")
    assert "now record who attended" in page.locator(".flash").inner_text()
    page.fill("input[name=walk_in]", "Agent A")
    page.click("button:has-text('Search')")
    page.check(f"input[name=walk_in_ids][value='{people['agent'].id}']")
    page.check(f"input[name=walk_in_ids][value='{people['other_agent'].id}']")
    page.click("button:has-text('Save attendance')")
    assert "Attendance saved for 2 people." in page.locator(".flash").inner_text()
    rows = page.locator("table.attendance tbody tr")
    assert rows.count() == 2
    assert page.locator(f"input[name='mark-{people['agent'].id}'][value=attended]").is_checked()
    page.click("text=Back to the session")
    assert "already started" in page.locator("main").inner_text()
    assert page.locator("button:has-text(\"I'm going\")").count() == 0

"""Browser: an agent filters upcoming sessions by their own team's coach, then finds another
team by name and follows it, on a phone and a desktop."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_agent_filters_by_their_coach_then_finds_another_team_by_name(app, page, browser_login, people, new_series,
                                                                      viewport):
    new_series(title="Own the issue", facilitator_ids=[people["coach_a"].id])
    new_series(title="Team B meetup", kind="case_review", team=people["team_b"])
    page.set_viewport_size(viewport)
    browser_login(people["agent"].email, PASSWORD)
    page.goto("/sessions")
    assert page.locator("select#team option").all_inner_texts() == ["Any", "Team A"]
    page.select_option("select#facilitator", label="Coach A")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/sessions?*facilitator=*")
    assert "Own the issue" in page.locator(".session-list").inner_text()
    assert "Team B meetup" not in page.content()
    page.goto("/sessions")
    page.fill("input#find", "team b")
    page.click("form.filters button[type=submit]")
    found = page.locator("section.found")
    assert "Teams matching “team b”" in found.inner_text()
    found.locator("a", has_text="Team B").click()
    page.wait_for_url(f"**/sessions?team={people['team_b'].id}")
    assert "Team B meetup" in page.locator(".session-list").inner_text()
    assert page.locator("select#team option:checked").inner_text() == "Team B"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


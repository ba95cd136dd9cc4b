"""Browser: an agent makes an API token on their profile, copies it (shown once), a tool uses
it, and the agent revokes it (the tool is refused from then on)."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_agent_makes_a_token_shown_once_and_revokes_it(app, page, browser_login, people):
    browser_login(people["agent"].email, PASSWORD)
    page.goto("/profile")
    page.fill("input[name=token-name]", "Helpdesk sync")
    page.check("text=Read and write")
    page.click("text=Create token")
    page.wait_for_selector("text=it is not shown again")
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("sds_")
    used = page.request.get("/api/v1/me/schedule", headers={"Authorization": f"Bearer {secret}"})
    assert used.status == 200 and used.json() == {"items": [], "next": None}
    page.goto("/profile")
    assert secret not in page.content()
    row = page.locator("#api-tokens tr", has_text="Helpdesk sync")
    assert "Read and write" in row.inner_text() and "Never" not in row.inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Revoke").click()
    page.wait_for_selector("text=The token is revoked")
    assert "You have no API tokens." in page.content()
    refused = page.request.get("/api/v1/me/schedule", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401 and refused.headers["content-type"] == "application/problem+json"

"""Browser: a new person follows the invitation link, chooses a password and lands on the
dashboard; a person resets a forgotten password through the mail link; a person signs in
through the local OpenID provider."""
import pytest

from learning.accounts.signals import people_created
from tests.fixtures_accounts import sign_in_links

pytestmark = pytest.mark.browser

NEW_PASSWORD = "my-own-long-password"


def choose_password(page, password=NEW_PASSWORD):
    page.fill("input[name=password]", password)
    page.fill("input[name=confirm]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_a_new_person_follows_the_invitation_and_lands_on_the_dashboard(app, page, people, make_user):
    person = make_user(name="Nia Newcomer", email="nia@example.org")
    with app.app_context():
        people_created.send(people["admin"], user_ids=[person.id])
    [link] = sign_in_links(person.email, "invitation")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Welcome, Nia Newcomer"
    page.fill("input[name=password]", "short")
    page.fill("input[name=confirm]", "short")
    page.click("button[type=submit]")
    assert "at least 10 characters" in page.locator(".field.has-error").first.inner_text()
    choose_password(page)
    assert page.locator("h1").inner_text().startswith("Hello, Nia")
    page.goto(link)
    assert page.locator("h1").inner_text() == "This link no longer works"


def test_a_person_resets_a_forgotten_password_through_the_mail_link(app, page, people, browser_login):
    agent = people["agent"]
    page.goto("/login")
    page.click("text=Forgot your password?")
    page.fill("input[name=email]", agent.email)
    page.click("button[type=submit]")
    assert "If an account uses that address" in page.locator(".flash").inner_text()
    [link] = sign_in_links(agent.email, "password_reset")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Choose a new password"
    choose_password(page)
    assert page.locator("h1").inner_text().startswith("Hello,")
    page.click("text=Sign out")
    page.wait_for_url("**/login")
    browser_login(agent.email, NEW_PASSWORD)
    assert page.locator("h1").inner_text().startswith("Hello,")


def test_a_person_signs_in_through_the_organisations_provider(app, page, people, oidc_provider):
    oidc_provider.person = {"email": people["coach_a"].email, "email_verified": True, "name": "Coach A"}
    page.goto("/login")
    page.click("text=Sign in with Example ID")
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Hello, Coach"

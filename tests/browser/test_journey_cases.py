"""Browser: the demo agent writes up a case with customer data, previews the redaction and
submits; the demo coach finds it, redacted, in the queue of the team's next meetup."""
import pytest
from tests.conftest import seed_demo


pytestmark = pytest.mark.browser


def test_agent_submits_a_redacted_case_and_the_coach_finds_it_in_the_next_meetups_queue(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Case reviews")
    page.click("text=Write up a case")
    page.fill("input[name=title]", "Customer threatened to cancel over a lost parcel")
    page.select_option("select[name=channel]", "email")
    page.fill("textarea[name=customer_need]",
              "Jana Novak (jana.novak@example.net, +420 601 123 456) needed her parcel for a wedding.")
    page.fill("textarea[name=actions]", "I traced the parcel and kept order ORD-55812 in the ticket.")
    page.fill("textarea[name=outcome]", "It was found at the depot and delivered next morning.")
    page.fill("textarea[name=ask]", "Could I have reassured her sooner?")
    page.fill("textarea[name=names]", "Jana Novak")
    page.click("button[value=submit]")
    preview = page.locator("#preview")
    assert "[email removed]" in preview.inner_text() and "[phone removed]" in preview.inner_text()
    page.click("text=Submit the redacted case")
    page.wait_for_selector("text=Your case is submitted")
    assert "jana.novak" not in page.content() and "[name removed]" in page.content()

    page.click("text=Sign out")
    browser_login("coach@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Case reviews")
    page.locator(".meetup-list a", has_text="Orders & Delivery").first.click()
    queue = page.locator(".queue")
    assert "Customer threatened to cancel over a lost parcel" in queue.inner_text()
    assert "Patient family in distress" in queue.inner_text()


def test_the_preview_prefills_the_names_it_found_and_the_author_submits_them(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/cases/new")
    page.fill("input[name=title]", "Regards, Tomas Berg wanted a callback")
    page.fill("textarea[name=customer_need]", "Hi Tomas, he wrote from 12 rue de la Paix, 75002 Paris, DOB 02/02/1990.")
    page.fill("textarea[name=actions]", "I called him back at 10:30 and refunded €20.00.")
    page.fill("textarea[name=outcome]", "Tomas was happy.")
    page.fill("textarea[name=ask]", "Was the refund right?")
    page.click("button[value=submit]")
    assert page.input_value("textarea[name=names]") == "Tomas Berg"
    preview = page.locator("#preview").inner_text()
    assert "[address removed]" in preview and "[date of birth removed]" in preview and "Tomas" not in preview.split(
        "What will be shared")[1].split("We found")[0]
    page.click("text=Submit the redacted case")
    page.wait_for_selector("text=Your case is submitted")
    body = page.locator("main").inner_text()
    assert "Tomas" not in body and "rue de la Paix" not in body and "10:30" in body and "€20.00" in body

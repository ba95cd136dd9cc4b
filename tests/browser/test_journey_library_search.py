"""Browser: an agent searches the demo's case library in everyday words (a plural, two words far
apart, a phrase, a word left out) and reads the matches marked in the titles and excerpts,
the best match first; at phone width the search form and results fit the screen."""
import pytest
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def _search(page, text):
    page.fill("input[name=q]", text)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    return [title.inner_text() for title in page.locator(".library-case h2").all()]


def test_an_agent_finds_cases_by_plurals_several_words_and_phrases(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Case reviews")
    page.goto(page.url.split("/cases")[0] + "/library")

    refunds = _search(page, "refunds")
    assert set(refunds[:2]) == {"Angry about a refund that never arrived",      # in the title: first
                                "Customer demanding a refund against policy"}
    assert "Parcels sent back to the warehouse twice" in refunds             # "refund" in the ask only
    assert page.locator(".library-case h2 mark").first.inner_text().lower() == "refund"
    assert page.locator(".library-case .excerpt mark").count() > 0

    assert _search(page, "angry refund") == ["Angry about a refund that never arrived"]
    assert _search(page, "angry caller manager") == ["Angry caller asking for a manager"]
    assert _search(page, '"shipping costs"') == ["Parcels sent back to the warehouse twice"]
    assert "Parcels sent back to the warehouse twice" not in _search(page, "refund -shipping")
    assert _search(page, "refund OR parcels") == _search(page, "refunds OR parcel")
    assert _search(page, '"unbalanced (quote* NEAR') == []
    assert "No discussed case matches" in page.inner_text("main")

    page.set_viewport_size({"width": 390, "height": 800})
    _search(page, "refunds")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

"""Browser: every main page, for every role, read on a phone (390 px): nothing scrolls
sideways."""
import pytest

from tests.browser.every_page import PASSWORD, ROLES, main_pages, overflow
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_main_page_scrolls_sideways_on_a_phone(app, page, browser_login, role):
    seed_demo(app)
    browser_login(ROLES[role], PASSWORD)
    pages = main_pages(page)
    assert len(pages) >= 12
    page.set_viewport_size({"width": 390, "height": 844})
    wide = {}
    for path in pages:
        page.goto(path)
        found = overflow(page)
        if found["excess"] > 0:
            wide[path] = found
    assert wide == {}

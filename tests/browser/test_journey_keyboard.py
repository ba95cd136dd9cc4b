"""Browser, keyboard only, on a phone: the skip link comes first, the menu button opens the
menu (and says so), every navigation link is reached with Tab, Escape closes it again."""
import re

import pytest

from tests.browser.every_page import PASSWORD, ROLES
from tests.conftest import PASSWORD as TEST_PASSWORD, seed_demo

pytestmark = pytest.mark.browser

FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), text: e.textContent.trim(), href: e.getAttribute('href') || '',
          visible: e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility !== 'hidden'}; }"""


def nav_targets(page):
    return page.eval_on_selector_all("#site-menu a[href], #site-menu summary, #site-menu button",
                                     "els => els.map(e => e.getAttribute('href') || e.textContent.trim())")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)   # layout does not depend on the engine
@pytest.mark.parametrize("role", ["agent", "admin"])
def test_the_phone_menu_opens_and_every_link_is_reached_with_the_keyboard(app, page, browser_login, role):
    seed_demo(app)
    browser_login(ROLES[role], PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    menu = page.locator("#site-menu")
    assert not menu.is_visible()
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert (first["text"], first["href"], first["visible"]) == ("Skip to content", "#main", True)
    page.keyboard.press("Tab")                                   # the brand
    page.keyboard.press("Tab")
    button = page.locator("button.nav-toggle")
    # with unread notices the button says how many, as the link beside the name does
    assert re.fullmatch(r"Menu( \d+\+? unread)?", page.evaluate(FOCUSED)["text"])
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
    wanted, reached = nav_targets(page), []
    for _ in range(len(wanted) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "summary":
            page.keyboard.press("Enter")                         # open the Admin group
        assert focused["visible"], focused
        reached.append(focused["href"] or focused["text"])
        if focused["text"] == "Sign out":
            break
    assert reached == wanted
    if role == "admin":
        assert "/admin/audit" in reached and "/admin/users" in reached
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert page.evaluate(FOCUSED)["text"].startswith("Menu")   # focus is back on the button


def test_the_skip_link_moves_focus_to_the_page_content(app, page, browser_login, people):
    browser_login(people["agent"].email, TEST_PASSWORD)
    page.goto("/sessions")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_without_scripts_the_phone_menu_is_shown_open(chromium, live_server, app):
    context = chromium.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                   java_script_enabled=False)
    page = context.new_page()
    seed_demo(app)
    page.goto("/login")
    page.fill("input[name=email]", ROLES["agent"])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    assert page.locator("#site-menu").is_visible() and not page.locator("button.nav-toggle").is_visible()
    assert page.locator("nav.mainnav a", has_text="Sessions").is_visible()
    context.close()

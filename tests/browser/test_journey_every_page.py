"""Browser: every main page, for every role, on a phone (390 px) and a desktop (1280 px):
nothing scrolls sideways, and axe-core finds no accessibility violation at either width."""
import pytest

from learning.db import utcnow
from learning.schedule.models import Series, Session
from tests.browser.every_page import AXE, PASSWORD, ROLES, axe_violations, main_pages, overflow
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.long]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.fixture
def page(chromium, live_server):
    """A page that lets axe-core in past the app's Content-Security-Policy."""
    context = chromium.new_context(base_url=live_server, viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)   # layout does not depend on the engine
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_main_page_fits_a_phone_and_passes_axe_at_both_widths(app, page, browser_login, role):
    assert AXE.exists(), "run: npm ci --prefix tests/js (axe-core)"
    seed_demo(app)
    browser_login(ROLES[role], PASSWORD)
    pages = main_pages(page)
    assert len(pages) >= 12
    wide, violations = {}, {}
    for path in pages:
        page.set_viewport_size(PHONE)
        page.goto(path)
        found = overflow(page)
        if found["excess"] > 0:
            wide[path] = found
        phone = axe_violations(page)
        page.set_viewport_size(DESKTOP)
        if overflow(page)["excess"] > 0:
            wide[f"{path} at 1280 px"] = overflow(page)
        desktop = axe_violations(page)
        if phone or desktop:
            violations[path] = sorted(set(phone) | set(desktop))
    assert wide == {}
    assert not violations, "\n".join(f"{path}: {v}" for path, found in violations.items() for v in found)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role, path, row", [
    ("admin", "/admin/teams", "Billing & Accounts"),
    ("admin", "/admin/users", "Ada Admin"),
    ("agent", "/cases", "Angry caller asking for a manager"),
    ("coach", "/operations", "Let agents rebook a late delivery without asking a supervisor"),
    ("coach", "series", None),
    ("coach", "/coaching", "Priya Nair"),
])
def test_list_tables_stack_each_row_on_a_phone_instead_of_scrolling_sideways(app, page, browser_login, role, path, row):
    """Every column stays on the screen: the teams list's Progress link, the people list's last
    sign-in, a case's last change, an open item's age, a session's actions, a request's Answer."""
    seed_demo(app)
    if path == "series":
        series = Series.select().join(Session).where(Session.starts_at > utcnow()).order_by(Series.id).first()
        path, row = f"/series/{series.id}", None
    browser_login(ROLES[role], PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(path)
    table = page.locator(".table-wrap").first
    assert table.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    frame = table.bounding_box()
    last_cells = table.locator("tbody tr:first-child td:not(:empty)").last
    box = last_cells.bounding_box()
    assert last_cells.is_visible() and box["x"] + box["width"] <= frame["x"] + frame["width"]
    if row:
        assert page.get_by_role("rowheader", name=row).is_visible()

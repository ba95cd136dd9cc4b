"""Browser: the demo agent finds their calendar address, a calendar app fetches it, they make a
new address (the old one stops at once); the demo coach imports sessions from an .ics file."""
from datetime import date, timedelta

import pytest

from learning.schedule.models import Session
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_agent_gets_a_calendar_address_shown_once_and_regenerates_it(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Calendar")
    assert page.locator(".cal-url-input").count() == 0  # the demo feed's address was shown when it was made
    assert "Calendar apps already subscribed to it keep working" in page.content()
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".cal-feed").first.locator("button", has_text="New address").click()
    page.wait_for_selector("text=shown only now")
    old_url = page.locator(".cal-url-input").first.input_value()
    assert "/calendar/feed/" in old_url
    assert "every several hours" in page.content()
    fetched = page.request.get(old_url, headers={"User-Agent": "Thunderbird/128.0"})
    assert fetched.status == 200 and fetched.headers["content-type"] == "text/calendar; charset=utf-8"
    page.reload()
    assert old_url not in page.content()
    page.locator(".cal-feed").first.locator("button", has_text="New address").click()
    page.wait_for_selector("text=The old one stopped working")
    new_url = page.locator(".cal-url-input").first.input_value()
    assert new_url != old_url
    assert page.request.get(old_url).status == 404
    assert page.request.get(new_url).status == 200


def test_coach_previews_then_imports_an_ics_file(app, page, browser_login, tmp_path):
    seed_demo(app)
    day = date.today() + timedelta(days=10)
    path = tmp_path / "export.ics"
    path.write_bytes((
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Outlook//EN\r\nBEGIN:VEVENT\r\nUID:clinic-1@outlook\r\n"
        f"DTSTAMP:20260101T000000Z\r\nSUMMARY:Refund clinic\r\nDTSTART;TZID=Europe/Berlin:{day:%Y%m%d}T100000\r\n"
        f"DTEND;TZID=Europe/Berlin:{day:%Y%m%d}T110000\r\nLOCATION:Room 3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode())
    before = Session.select().count()
    browser_login("coach@example.com", "learning-demo")
    page.goto("/calendar/import")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=title]", "Refund clinic")
    page.click("text=Preview")
    page.wait_for_selector("text=1 to create")
    assert Session.select().count() == before
    page.click("text=Confirm import")
    page.wait_for_selector("text=1 created")
    assert Session.select().where(Session.uid == "clinic-1@outlook").count() == 1

"""Outlook exports name zones the Windows way ("W. Europe Standard Time") with their own
VTIMEZONE: the importer keeps the wall-clock time in the IANA zone (CLDR's mapping), so the
preview, the session and its edit form all work in that zone and say so."""
from datetime import timedelta

from learning.calendars.importer import iana_name
from learning.schedule.models import Session
from tests.test_calendars_import import ics, soon, upload

OUTLOOK_ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")


def outlook_event(uid, start, zone="W. Europe Standard Time"):
    end = start + timedelta(hours=1)
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY;LANGUAGE=en-us:Team meeting\r\n"
            f'DTSTART;TZID="{zone}":{start:%Y%m%dT%H%M%S}\r\nDTEND;TZID="{zone}":{end:%Y%m%dT%H%M%S}\r\n'
            "END:VEVENT\r\n")


def test_windows_zone_names_map_to_iana_zones():
    assert iana_name("W. Europe Standard Time") == "Europe/Berlin"
    assert iana_name('"Eastern Standard Time"') == "America/New_York"
    assert iana_name("Europe/Lisbon") == "Europe/Lisbon"
    assert iana_name("Mars Standard Time") is None


def test_an_outlook_meeting_is_imported_at_its_wall_clock_time_in_the_iana_zone(client, login, people):
    login(people["coach_a"])
    start = soon(10, hour=14)
    data = ics(outlook_event("olk-1", start), extra=OUTLOOK_ZONE)
    preview = upload(client, data, timezone="America/New_York").get_data(as_text=True)
    assert "1 to create" in preview and "14:00" in preview
    assert '<span class="small muted zone">Europe/Berlin</span>' in preview
    assert upload(client, data, confirm=True, timezone="America/New_York").status_code == 302
    session = Session.get(Session.uid == "olk-1")
    assert session.timezone == "Europe/Berlin"
    edit = client.get(f"/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="14:00"' in edit and "Times in Europe/Berlin" in edit


def test_a_windows_zone_without_its_vtimezone_is_still_understood(client, login, people):
    login(people["coach_a"])
    data = ics(outlook_event("olk-2", soon(12, hour=9), zone="GMT Standard Time"))
    assert upload(client, data, confirm=True).status_code == 302
    session = Session.get(Session.uid == "olk-2")
    assert session.timezone == "Europe/London"


def test_an_unknown_zone_name_is_still_refused(client, login, people):
    login(people["coach_a"])
    page = upload(client, ics(outlook_event("olk-3", soon(12), zone="Mars Standard Time"))).get_data(as_text=True)
    assert "which is not known" in page and Session.select().count() == 0


def test_the_calendar_page_offers_add_to_outlook_beside_google_and_webcal(client, login, people):
    from urllib.parse import parse_qs, urlparse

    login(people["agent"])
    client.post("/calendar/feeds", data={"feed": "personal"})
    page = client.get("/calendar").get_data(as_text=True)
    assert "Add to Google Calendar" in page and "Open in my calendar app" in page
    import re
    outlook = re.search(r'href="(https://outlook\.office\.com/calendar/0/addfromweb\?[^"]+)"[^>]*>Add to Outlook<', page)
    assert outlook, "an Add to Outlook link"
    query = parse_qs(urlparse(outlook.group(1).replace("&amp;", "&")).query)
    assert query["url"][0].startswith("http://localhost/calendar/feed/") and query["url"][0].endswith(".ics")
    assert query["name"][0].startswith("Support Development")
    assert "https://outlook.live.com/calendar/0/addfromweb?" in page

"""Importing .ics files: a preview first, a confirmed write, and nothing written for bad files."""
import io
from datetime import datetime, timedelta

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from learning.schedule.models import Series, Session


def ics(*events, extra=""):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nX-WR-CALNAME:Outlook export\r\n" + extra
            + "".join(events) + "END:VCALENDAR\r\n").encode()


def vevent(uid, start, minutes=60, zone="Europe/Berlin", summary="Difficult calls clinic", rrule="", location=""):
    end = start + timedelta(minutes=minutes)
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{summary}\r\n"
            f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}\r\nDTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}\r\n"
            + (f"RRULE:{rrule}\r\n" if rrule else "") + (f"LOCATION:{location}\r\n" if location else "")
            + "END:VEVENT\r\n")


def soon(days=7, hour=10):
    return datetime.combine(datetime.now().date() + timedelta(days=days), datetime.min.time()).replace(hour=hour)


def upload(client, data, confirm=False, **fields):
    form = {"target": "new", "title": "Imported clinic", "kind": "skill", "timezone": "Europe/Berlin", **fields}
    form["file"] = FileStorage(io.BytesIO(data), "export.ics", content_type="text/calendar")
    if confirm:
        form["confirm"] = "1"
    form = MultiDict(form)
    # encoded in memory: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart(form)
    return client.post("/calendar/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def counts():
    return Series.select().count(), Session.select().count()


def test_preview_writes_nothing_and_confirmation_writes_everything(client, login, people):
    login(people["coach_a"])
    data = ics(vevent("a@outlook", soon(7)), vevent("b@outlook", soon(14), zone="America/New_York"))
    preview = upload(client, data)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "2 to create" in page and "Confirm import" in page
    assert counts() == (0, 0)
    assert upload(client, data, confirm=True).status_code == 302
    series = Series.get()
    assert series.title == "Imported clinic" and series.created_by_id == people["coach_a"].id
    sessions = {s.uid: s for s in Session.select()}
    assert set(sessions) == {"a@outlook", "b@outlook"}
    assert sessions["b@outlook"].timezone == "America/New_York"
    assert sessions["a@outlook"].ends_at - sessions["a@outlook"].starts_at == timedelta(hours=1)


def test_reimport_updates_by_uid_and_skips_unchanged(client, login, people):
    login(people["coach_a"])
    upload(client, ics(vevent("a@outlook", soon(7)), vevent("b@outlook", soon(8))), confirm=True)
    series = Series.get()
    changed = ics(vevent("a@outlook", soon(7, hour=15), location="Room 2"), vevent("b@outlook", soon(8)),
                  vevent("c@outlook", soon(9)))
    page = upload(client, changed, target="existing", series=str(series.id)).get_data(as_text=True)
    assert "1 to create · 1 to update · 1 to skip" in page
    upload(client, changed, confirm=True, target="existing", series=str(series.id))
    a = Session.get(Session.uid == "a@outlook")
    assert (a.location, a.sequence, a.recurrence_local.hour) == ("Room 2", 1, 10)
    assert Session.get(Session.uid == "b@outlook").sequence == 0
    assert Session.select().count() == 3 and Series.select().count() == 1


def test_repeating_events_become_one_session_per_occurrence(client, login, people):
    login(people["coach_a"])
    upload(client, ics(vevent("weekly@google", soon(3), rrule="FREQ=WEEKLY;COUNT=4")), confirm=True)
    uids = sorted(s.uid for s in Session.select())
    assert len(uids) == 4 and all(uid.startswith("weekly@google-") for uid in uids)
    upload(client, ics(vevent("weekly@google", soon(3), rrule="FREQ=WEEKLY;COUNT=4")), confirm=True,
           target="existing", series=str(Series.get().id))
    assert Session.select().count() == 4


BAD_FILES = {
    "not iCalendar": (b"%PDF-1.4 not a calendar", "not an iCalendar"),
    "too big": (ics(extra="X-PAD:" + "a" * 70 + "\r\n") * 9000, "larger than 1 MB"),
    "too many events": (ics(*[vevent(f"e{i}@x", soon(1)) for i in range(2001)]), "more than 2000 events"),
    "huge line": (ics(vevent("a@x", soon(2), summary="x" * 20000)), "longer than 10,000"),
    "unknown zone": (ics(vevent("a@x", soon(2), zone="Mars/Olympus_Mons")), "is not known"),
    "broken": (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "malformed"),
    "endless rule": (ics(vevent("a@x", soon(2), rrule="FREQ=MINUTELY")), "more than 2000 events"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_give_a_clear_error_and_write_nothing(client, login, people, case):
    data, message = BAD_FILES[case]
    login(people["coach_a"])
    for confirm in (False, True):
        response = upload(client, data, confirm=confirm)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_agents_cannot_import_and_coaches_only_into_their_series(client, login, people, cal_series):
    login(people["agent"])
    assert upload(client, ics(vevent("a@x", soon(2)))).status_code == 403
    others = cal_series("Team B clinic", team=people["team_b"], created_by=people["coach_b"])
    login(people["coach_a"])
    response = upload(client, ics(vevent("a@x", soon(2))), confirm=True, target="existing", series=str(others.id))
    assert response.status_code == 400 and Session.select().count() == 0


def test_events_longer_than_a_session_may_last_are_skipped_with_the_reason(client, login, people):
    login(people["coach_a"])
    data = ics(vevent("day@outlook", soon(7, hour=6), minutes=13 * 60), vevent("ok@outlook", soon(8), minutes=12 * 60))
    page = upload(client, data).get_data(as_text=True)
    assert "It lasts longer than 12 hours." in page and "1 to create" in page
    assert upload(client, data, confirm=True).status_code == 302
    assert [s.uid for s in Session.select()] == ["ok@outlook"]

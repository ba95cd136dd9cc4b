"""Importing sessions from an .ics file (e.g. exported from Outlook or Google).

Two steps over the same file: `plan_from_form` reads and checks it and says,
per occurrence, whether it would be created, updated (matched by UID) or
skipped; `apply` writes a plan in one transaction, only on confirmation.
A file that is too big, not iCalendar, has too many events, a huge line or an
unknown time zone is refused as a whole: nothing is written.
"""
import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar
from icalendar.timezone import tzid_from_dt
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON   # CLDR's windowsZones, kept by icalendar

from learning.calendars.choices import editable_series
from learning.calendars.feeds import current_window
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.schedule.models import KINDS, Rsvp, Series, Session
from learning.schedule.service import LONGEST_SESSION
from learning.schedule.signals import session_changed
from learning.timezones import is_valid_zone

MAX_BYTES = 1_000_000
MAX_EVENTS = 2000
MAX_LINE = 10_000


@dataclass
class Row:
    action: str          # create | update | skip
    uid: str
    summary: str
    starts_at: datetime = None  # UTC
    ends_at: datetime = None
    timezone: str = ""
    location: str = ""
    status: str = "scheduled"
    reason: str = ""
    session: object = None
    recurrence: object = None  # RECURRENCE-ID of an occurrence of a repeating event


@dataclass
class Plan:
    series: object       # an existing Series, or None for a new one
    title: str
    kind: str
    timezone: str
    rows: list = field(default_factory=list)

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)


# --- reading the file -----------------------------------------------------------

def read_calendar(data):
    """Check the raw bytes and parse them; refuse anything malformed or hostile."""
    if len(data) > MAX_BYTES:
        raise Refused("The file is larger than 1 MB. Export a shorter period and try again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("This is not an iCalendar (.ics) file: it is not text.") from None
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise Refused("This is not an iCalendar (.ics) file: it does not start with BEGIN:VCALENDAR.")
    if any(len(line) > MAX_LINE for line in text.splitlines()):
        raise Refused("The file has a line longer than 10,000 characters; it looks damaged.")
    if text.upper().count("BEGIN:VEVENT") > MAX_EVENTS:
        raise Refused(f"The file has more than {MAX_EVENTS} events. Export a shorter period.")
    try:
        calendar = Calendar.from_ical(text)
    except Exception:  # icalendar raises several types for broken input
        raise Refused("The file could not be read as iCalendar: it is malformed.") from None
    _check_zones(calendar)
    return calendar


def _check_zones(calendar):
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(name)
            zone = prop.params.get("TZID") if prop is not None and hasattr(prop, "params") else None
            if zone and isinstance(getattr(prop, "dt", None), datetime) and prop.dt.tzinfo is None \
                    and iana_name(zone) is None:
                raise Refused(f"The file uses the time zone “{zone[:60]}”, which is not known. "
                              "Export it with standard (IANA) time zone names.")


def occurrences(calendar, default_zone):
    """Each occurrence in the feed window as a Row (action decided later), at most MAX_EVENTS."""
    window = current_window()
    rows, seen = [], {}
    try:
        for event in recurring_ical_events.of(calendar).after(window.start):
            start = event.decoded("DTSTART")
            if isinstance(start, datetime) and _utc(start, default_zone) >= window.end:
                break
            rows.append(_row(event, default_zone))
            seen[rows[-1].uid] = seen.get(rows[-1].uid, 0) + 1
            if len(rows) > MAX_EVENTS:
                raise Refused(f"The file has more than {MAX_EVENTS} events. Export a shorter period.")
    except Refused:
        raise
    except Exception:  # a rule recurring_ical_events cannot expand
        raise Refused("The file could not be read as iCalendar: a repeating event is malformed.") from None
    for row in rows:
        if seen[row.uid] > 1:
            row.uid = _occurrence_uid(row)
    return rows


def _row(event, default_zone):
    uid = str(event.get("UID", "")).strip()
    summary = str(event.get("SUMMARY", "")).strip()[:200] or "(no title)"
    start = event.decoded("DTSTART")
    row = Row("create", uid, summary)
    if not uid:
        row.action, row.reason = "skip", "It has no UID."
        return row
    if not isinstance(start, datetime):
        row.action, row.reason = "skip", "All-day events are not imported."
        return row
    end = event.decoded("DTEND") if event.get("DTEND") is not None else start + event.decoded(
        "DURATION", timedelta(hours=1))
    start, row.timezone = in_named_zone(start, _tzid(event, "DTSTART"), default_zone)
    end, _ = in_named_zone(end, _tzid(event, "DTEND") or _tzid(event, "DTSTART"), default_zone)
    row.starts_at, row.ends_at = _utc(start, default_zone), _utc(end, default_zone)
    row.location = str(event.get("LOCATION", "")).strip()[:200]
    row.status = "cancelled" if str(event.get("STATUS", "")).upper() == "CANCELLED" else "scheduled"
    recurrence = event.get("RECURRENCE-ID")
    if recurrence is not None:
        row.recurrence = recurrence.dt
    if row.ends_at <= row.starts_at:
        row.action, row.reason = "skip", "It ends before it starts."
    elif row.ends_at - row.starts_at > LONGEST_SESSION:
        row.action, row.reason = "skip", f"It lasts longer than {LONGEST_SESSION.total_seconds() // 3600:.0f} hours."
    return row


def _tzid(event, name):
    prop = event.get(name)
    return prop.params.get("TZID") if prop is not None and hasattr(prop, "params") else None


def iana_name(name):
    """The IANA zone for a zone name as calendar apps write it: an IANA name itself, or a
    Windows name ("W. Europe Standard Time", as Outlook writes) through CLDR's mapping."""
    name = (name or "").strip().strip('"')
    if is_valid_zone(name):
        return name
    return WINDOWS_TO_OLSON.get(name)


def in_named_zone(value, tzid, default_zone):
    """(value, IANA zone name): a time whose zone has a Windows or other known name is read as
    that wall-clock time in the IANA zone, so the session is shown and edited there; UTC stays
    UTC; a time without zone is in `default_zone`; an unnamed custom zone keeps its instant
    and is shown in `default_zone`."""
    if not isinstance(value, datetime):
        return value, default_zone
    key = getattr(value.tzinfo, "key", None)
    if key and is_valid_zone(key):
        return value, key
    zone = iana_name(tzid) or (iana_name(tzid_from_dt(value)) if value.tzinfo else None)
    if zone:
        return value.replace(tzinfo=ZoneInfo(zone)), zone
    if value.tzinfo is not None and value.utcoffset() == timedelta(0) and not tzid:
        return value, "UTC"
    return value, default_zone


def _utc(value, default_zone):
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(default_zone))
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _occurrence_uid(row):
    """A stable UID per occurrence of a repeating event: its UID and original start."""
    original = row.recurrence or row.starts_at
    if isinstance(original, datetime) and original.tzinfo is not None:
        original = original.astimezone(timezone.utc).replace(tzinfo=None)
    uid = f"{row.uid}-{original:%Y%m%dT%H%M%SZ}"
    return uid if len(uid) <= 120 else hashlib.sha256(uid.encode()).hexdigest() + "@import"


# --- planning -------------------------------------------------------------------

def file_bytes(form):
    """The uploaded file, or (on confirmation) the same bytes carried in the form."""
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        try:
            data = upload.read(MAX_BYTES + 1)
        finally:
            upload.close()  # large uploads are spooled to a temporary file
    elif form.payload.data:
        try:
            data = base64.b64decode(form.payload.data, validate=True)
        except (binascii.Error, ValueError):
            raise Refused("The file could not be carried to the confirmation; upload it again.") from None
    else:
        raise Refused("Choose an .ics file to import.")
    form.payload.data = base64.b64encode(data[:MAX_BYTES + 1]).decode()
    return data


def plan_from_form(form, user):
    target = _target(form, user)
    calendar = read_calendar(file_bytes(form))
    zone = target.timezone
    title = target.title or str(calendar.get("X-WR-CALNAME", "")).strip()[:200]
    rows = occurrences(calendar, zone)
    if not title:
        title = next((row.summary for row in rows if row.action != "skip"), "Imported sessions")
    plan = Plan(target.series, title, target.kind, zone, rows)
    _classify(plan)
    return plan


def _target(form, user):
    if form.target.data == "existing":
        series = editable_series(user).where(Series.id == _int(form.series.data)).first()
        if series is None:
            form.series.errors = ["Choose a series you run."]
            raise Refused("Choose a series you run.")
        return Plan(series, series.title, series.kind, series.timezone)
    if form.kind.data not in KINDS:
        raise Refused("Choose the kind of sessions.")
    if not is_valid_zone(form.timezone.data):
        form.timezone.errors = ["Choose a time zone from the list, e.g. Europe/Berlin."]
        raise Refused("Choose a time zone from the list.")
    return Plan(None, (form.title.data or "").strip(), form.kind.data, form.timezone.data)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _classify(plan):
    """Create, update (same UID in this series) or skip, against what the database holds."""
    candidates = [row for row in plan.rows if row.action != "skip"]
    uids = [row.uid for row in candidates]
    existing = {s.uid: s for s in Session.select().where(Session.uid.in_(uids))} if uids else {}
    taken = set()
    if plan.series is not None:
        taken = {(s.recurrence_local) for s in Session.select(Session.recurrence_local)
                 .where(Session.series == plan.series)}
    seen = set()
    for row in candidates:
        found = existing.get(row.uid)
        if row.uid in seen:
            row.action, row.reason = "skip", "The same event appears twice in the file."
        elif found is None:
            local = _local(row)
            row.action, row.reason = ("skip", "Another session of the series starts then.") \
                if local in taken else ("create", "")
            taken.add(local)
        elif plan.series is None or found.series_id != plan.series.id:
            row.action, row.reason = "skip", "This event already belongs to another series."
        elif _same(found, row):
            row.action, row.reason, row.session = "skip", "Unchanged.", found
        else:
            row.action, row.session = "update", found
        seen.add(row.uid)


def _local(row):
    return row.starts_at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(row.timezone)).replace(tzinfo=None)


def _same(session, row):
    return (session.starts_at, session.ends_at, session.timezone, session.location, session.status) == (
        row.starts_at, row.ends_at, row.timezone, row.location or session.location, row.status)


# --- writing ----------------------------------------------------------------------

@db.atomic()
def apply(plan, user):
    """Write a confirmed plan in one transaction. Returns the series and the counts."""
    series = plan.series or _new_series(plan, user)
    now = utcnow()
    for row in plan.rows:
        if row.action == "create":
            Session.create(series=series, uid=row.uid, recurrence_local=_local(row), starts_at=row.starts_at,
                           ends_at=row.ends_at, timezone=row.timezone, location=row.location,
                           status=row.status, changed_at=now)
        elif row.action == "update":
            _update(row.session, row, now)
    return series, {action: plan.count(action) for action in ("create", "update", "skip")}


def _new_series(plan, user):
    first = next((row for row in plan.rows if row.action == "create"), None)
    minutes = int((first.ends_at - first.starts_at).total_seconds() // 60) if first else 60
    return Series.create(kind=plan.kind, title=plan.title, timezone=plan.timezone, duration_minutes=minutes,
                         first_start_local=_local(first) if first else utcnow(), created_by=user)


def _update(session, row, now):
    became_cancelled = row.status == "cancelled" and session.status != "cancelled"
    session.starts_at, session.ends_at, session.timezone = row.starts_at, row.ends_at, row.timezone
    session.location = row.location or session.location
    session.status = row.status
    session.sequence += 1
    session.changed_at, session.moved = now, True
    session.save()
    holders = [r.user_id for r in Rsvp.select(Rsvp.user).where(
        Rsvp.session == session, Rsvp.status.in_(("going", "waitlisted")))]
    session_changed.send(session, change="cancelled" if became_cancelled else "moved", user_ids=holders)

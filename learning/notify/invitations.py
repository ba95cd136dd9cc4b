"""Calendar invitations by e-mail (RFC 5546 iTIP): REQUEST on a place or a
change, CANCEL on cancellation or withdrawal. The UID is the session's, as in
the feeds; SEQUENCE is the session's plus the person's own changes, so every
later message outranks the earlier ones."""
from contextlib import nullcontext
from email.utils import parseaddr

from flask import current_app, has_app_context
from icalendar import vCalAddress

from learning.calendars.ical import calendar_bytes, one_line, session_properties, vevent
from learning.db import utcnow

_app = None


def remember_app(app):
    """Signals may fire outside any app context (a service called from a script
    or a test); invitations then read links and sender from the latest app."""
    global _app
    _app = app


def organizer_address():
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return name or "Support Development", address


def itip_calendar(session, user, method, place_sequence=0):
    """The iCalendar text of one iTIP message for `user` about `session`."""
    with nullcontext() if has_app_context() or _app is None else _app.app_context():
        return _itip_calendar(session, user, method, place_sequence)


def _itip_calendar(session, user, method, place_sequence):
    status = "CANCELLED" if method == "CANCEL" else None
    event = vevent(session_properties(session, status_override=status, sequence_bump=place_sequence,
                                      stamp=utcnow()))
    name, address = organizer_address()
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = name
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{one_line(user.email)}")
    attendee.params.update({"cn": one_line(user.display_name), "role": "REQ-PARTICIPANT",
                            "partstat": "DECLINED" if method == "CANCEL" else "ACCEPTED", "rsvp": "FALSE"})
    event.add("attendee", attendee)
    return calendar_bytes([event], session.series.title, method=method).decode("utf-8"), method

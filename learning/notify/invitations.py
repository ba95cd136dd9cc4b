"""Calendar invitations by e-mail (RFC 5546 iTIP): REQUEST on a place or a
change, CANCEL on cancellation or withdrawal. The UID is the session's, as in
the feeds; SEQUENCE is the session's plus the person's own changes, so every
later message outranks the earlier ones."""
from email.utils import parseaddr

from flask import current_app, has_app_context

import config as config_module
from learning.db import utcnow


def organizer_address():
    sender = (current_app.config if has_app_context() else vars(config_module.Config))["MAIL_DEFAULT_SENDER"]
    name, address = parseaddr(sender)
    return name or "Support Development", address


def itip_calendar(session, user, method, place_sequence=0):
    """The iCalendar text of one iTIP message for `user` about `session`."""
    from icalendar import vCalAddress

    from learning.calendars.ical import calendar_bytes, session_vevent

    status = "CANCELLED" if method == "CANCEL" else None
    event = session_vevent(session, status_override=status, sequence_bump=place_sequence, stamp=utcnow())
    name, address = organizer_address()
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = name
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{user.email}")
    attendee.params.update({"cn": user.display_name, "role": "REQ-PARTICIPANT",
                            "partstat": "DECLINED" if method == "CANCEL" else "ACCEPTED", "rsvp": "FALSE"})
    event.add("attendee", attendee)
    return calendar_bytes([event], session.series.title, method=method).decode("utf-8"), method

"""Signal subscribers: other packages' events become notices, mails and
invitations. Connected by name once per process (`connect_all`)."""
import logging

from blinker import signal

from learning.notify import notices
from learning.notify.invitations import itip_calendar
from learning.notify.service import notify
from learning.web import format_local

_connected = False


def when(dt, user):
    return format_local(dt, zone_name=user.timezone)


def session_link(session):
    return f"/sessions/{session.id}"


# --- schedule -----------------------------------------------------------------

def on_rsvp_changed(rsvp, old_status=None, promoted=False, **_):
    from learning.schedule.service import waitlist_position

    session, user = rsvp.session, rsvp.user
    title, at = session.series.title, when(session.starts_at, user)
    calendar = None
    if rsvp.status == "going" and old_status != "going":
        text = (f"A seat freed: you now have a place at {title} on {at}." if promoted
                else f"Your place at {title} on {at} is confirmed.")
        calendar = "REQUEST"
    elif rsvp.status == "waitlisted" and old_status != "waitlisted":
        position = waitlist_position(rsvp)
        text = f"{title} on {at} is full: you are number {position} on the waitlist."
    elif rsvp.status == "withdrawn" and old_status == "going":
        text, calendar = f"You no longer have a place at {title} on {at}.", "CANCEL"
    elif rsvp.status == "withdrawn" and old_status == "waitlisted":
        text = f"You are no longer on the waitlist for {title} on {at}."
    else:
        return
    invite = (lambda u: itip_calendar(session, u, calendar, rsvp.sequence)) if calendar else None
    notify([user], "rsvp", text, session_link(session), calendar=invite)


SESSION_CHANGE_TEXT = {
    "moved": "{title} has moved: it is now on {at}.",
    "updated": "The details of {title} on {at} have changed.",
    "cancelled": "{title} on {at} is cancelled.",
    "restored": "{title} on {at} is back on.",
}


def on_session_changed(session, change=None, user_ids=(), **_):
    from learning.schedule.models import Rsvp

    if change not in SESSION_CHANGE_TEXT or not user_ids:
        return
    going = {r.user_id: r.sequence for r in Rsvp.select(Rsvp.user, Rsvp.sequence)
             .where(Rsvp.session == session, Rsvp.status == "going", Rsvp.user.in_(list(user_ids)))}
    method = "CANCEL" if change == "cancelled" else "REQUEST"

    def invite(user):
        if user.id not in going:
            return None, None
        return itip_calendar(session, user, method, going[user.id])

    def text(user):
        return SESSION_CHANGE_TEXT[change].format(title=session.series.title, at=when(session.starts_at, user))
    notify(user_ids, "session_change", text, session_link(session), calendar=invite)


SUBSCRIPTIONS = {
    "schedule.rsvp-changed": on_rsvp_changed,
    "schedule.session-changed": on_session_changed,
    "cases.case-scheduled": notices.on_case_scheduled,
    "cases.case-discussed": notices.on_case_discussed,
    "cases.debrief-prompted": notices.on_debrief_prompted,
    "curriculum.enrolment-changed": notices.on_enrolment_changed,
    "curriculum.module-completed": notices.on_module_completed,
    "coaching.request-answered": notices.on_request_answered,
    "coaching.plan-assigned": notices.on_plan_assigned,
    "coaching.checkin-changed": notices.on_checkin_changed,
}


def tolerant(handler):
    """A sender without the fields a notice needs (a stand-in in another package's
    test) gets no notice rather than a failed change."""
    def receive(sender, **kwargs):
        try:
            handler(sender, **kwargs)
        except AttributeError:
            logging.getLogger(__name__).warning("No notice for %r: it lacks a field", sender)
    return receive


def connect_all():
    global _connected
    if _connected:
        return
    for name, handler in SUBSCRIPTIONS.items():
        signal(name).connect(handler if name.startswith("schedule.") else tolerant(handler), weak=False)
    _connected = True

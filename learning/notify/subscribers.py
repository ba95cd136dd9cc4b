"""Signal subscribers: other packages' events become notices, mails and
invitations. Connected to each sending package's signal objects (`connect_all`)."""
from learning.accounts.signals import sign_in_links_issued
from learning.cases.signals import case_discussed, case_scheduled, debrief_prompted
from learning.coaching.signals import checkin_changed, checkin_series_changed, plan_assigned, request_answered
from learning.curriculum.signals import enrolment_changed, module_completed
from learning.notify import notices
from learning.notify.account_mail import on_sign_in_links_issued
from learning.notify.invitations import itip_calendar
from learning.notify.service import notify
from learning.schedule.models import Rsvp
from learning.schedule.service import waitlist_position
from learning.schedule.signals import rsvp_changed, series_enrolled, session_changed
from learning.web import format_local


def when(dt, user):
    return format_local(dt, zone_name=user.timezone)


def session_link(session):
    return f"/sessions/{session.id}"


# --- schedule -----------------------------------------------------------------

def on_rsvp_changed(rsvp, old_status=None, promoted=False, **_):
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


def on_series_enrolled(series, user_ids=(), by=None, **_):
    """One notice per person for a whole series (not one per session): the personal feed shows the dates."""
    text = (f"{by.display_name} gave you a place at every future session of {series.title} "
            "(or a waitlist place where it is full). Your schedule and calendar show them.")
    notify(list(user_ids), "rsvp", text, f"/series/{series.id}")


SESSION_CHANGE_TEXT = {
    "moved": "{title} has moved: it is now on {at}.",
    "updated": "The details of {title} on {at} have changed.",
    "cancelled": "{title} on {at} is cancelled.",
    "restored": "{title} on {at} is back on.",
}


def on_session_changed(session, change=None, user_ids=(), **_):
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


SUBSCRIPTIONS = (
    (sign_in_links_issued, on_sign_in_links_issued),
    (rsvp_changed, on_rsvp_changed),
    (session_changed, on_session_changed),
    (series_enrolled, on_series_enrolled),
    (case_scheduled, notices.on_case_scheduled),
    (case_discussed, notices.on_case_discussed),
    (debrief_prompted, notices.on_debrief_prompted),
    (enrolment_changed, notices.on_enrolment_changed),
    (module_completed, notices.on_module_completed),
    (request_answered, notices.on_request_answered),
    (plan_assigned, notices.on_plan_assigned),
    (checkin_changed, notices.on_checkin_changed),
    (checkin_series_changed, notices.on_checkin_series_changed),
)


def connect_all():
    """blinker ignores a second connection of the same receiver, so this may run once per app."""
    for signal, handler in SUBSCRIPTIONS:
        signal.connect(handler, weak=False)

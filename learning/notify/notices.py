"""Notices for case reviews, modules and coaching: each handler turns one of
those packages' signals into notices (connected in subscribers.py)."""
from learning.accounts.models import User
from learning.coaching.checkin_series import interval_label
from learning.curriculum.service import SEATS
from learning.notify.service import notify
from learning.web import format_local


def _id(obj, name):
    """The id behind a foreign key, from a model row or a stand-in carrying the related object."""
    value = getattr(obj, f"{name}_id", None)
    return value if value is not None else getattr(getattr(obj, name, None), "id", None)


def _name(user_id, fallback="Your coach"):
    user = User.get_or_none(User.id == user_id) if user_id else None
    return user.display_name if user else fallback


def _meetup(session, user):
    if session is None:
        return "a case-review meetup"
    return f"{session.series.title} on {format_local(session.starts_at, zone_name=user.timezone)}"


# --- cases ----------------------------------------------------------------------

def on_case_scheduled(case, session=None, **_):
    notify([_id(case, 'author')], "case",
           lambda user: f"Your case \u201c{case.title}\u201d is on the agenda of {_meetup(session, user)}.",
           f"/cases/{case.id}")


def on_case_discussed(case, session=None, **_):
    notify([_id(case, 'author')], "case",
           lambda user: f"Your case \u201c{case.title}\u201d was discussed at {_meetup(session, user)}; "
                        "the takeaways are in the case library.",
           f"/cases/{case.id}")


def on_debrief_prompted(case, coach_ids=(), **_):
    who = "Someone on your team" if case.anonymous else _name(_id(case, 'author'), "Someone on your team")
    notify(coach_ids, "debrief",
           f"{who} brought a case that weighed on them (\u201c{case.title}\u201d): offer a debrief.",
           f"/cases/{case.id}")


# --- modules --------------------------------------------------------------------

def on_enrolment_changed(enrolment, old_status=None, promoted=False, **_):
    cohort = enrolment.cohort
    title = f"{cohort.module.title} ({cohort.title}, from {cohort.starts_on:%d %b %Y})"
    if enrolment.status == "going" and old_status != "going":
        text = (f"A place freed: you are now enrolled in {title}." if promoted
                else f"You are enrolled in {title}.")
    elif enrolment.status == "waitlisted" and old_status != "waitlisted":
        text = f"{title} is full: you are number {_waitlist_position(enrolment)} on the waitlist."
    elif enrolment.status == "withdrawn" and old_status in ("going", "waitlisted"):
        text = f"You are no longer enrolled in {title}."
    else:
        return
    notify([_id(enrolment, 'user')], "module", text, f"/cohorts/{cohort.id}")


def _waitlist_position(enrolment):
    return SEATS.waitlist_position(enrolment)


def on_module_completed(completion, **_):
    module = completion.module
    until = (f" It stays valid until {completion.expires_at:%d %b %Y}; you will hear when a refresher is due."
             if getattr(completion, "expires_at", None) else "")
    notify([_id(completion, 'user')], "module", f"You completed {module.title}.{until}", f"/modules/{module.id}")


# --- coaching -------------------------------------------------------------------

def on_request_answered(request, **_):
    notify([_id(request, 'employee')], "coaching",
           f"{_name(_id(request, 'answered_by'))} answered your support request.", "/coaching")


def on_plan_assigned(plan, **_):
    notify([_id(plan, 'employee')], "coaching",
           f"{_name(_id(plan, 'coach'))} assigned you a development plan: {plan.title}.", f"/plans/{plan.id}")


CHECKIN_TEXT = {
    "scheduled": "A check-in with {coach} is scheduled for {at}.",
    "moved": "Your check-in with {coach} has moved to {at}.",
    "cancelled": "Your check-in with {coach} on {at} is cancelled.",
}


def on_checkin_changed(checkin, change=None, **_):
    if change not in CHECKIN_TEXT:
        return
    coach = _name(_id(checkin, 'coach'))
    notify([_id(checkin, 'employee')], "checkin",
           lambda user: CHECKIN_TEXT[change].format(
               coach=coach, at=format_local(checkin.starts_at, zone_name=user.timezone)),
           f"/checkins/{checkin.id}")


def on_checkin_series_changed(series, change=None, **_):
    coach = _name(_id(series, 'coach'))
    if change == "started":
        first = series.first_start_local
        text = (f"{coach} set up check-ins with you: {interval_label(series).lower()} on {first:%A}s at "
                f"{first:%H:%M} ({series.timezone}), from {first:%d %b %Y}. They are in your calendar feed.")
    elif change == "stopped":
        text = f"{coach} stopped your recurring check-ins; the coming ones are cancelled."
    else:
        return
    notify([_id(series, 'employee')], "checkin", text, "/coaching")

"""Sessions over the API: list and read for everyone, change (move, cancel, restore) for those
who manage them, my schedule, RSVP and withdrawal (series are in series_routes.py). Every rule
is the schedule's own (learning/schedule/service.py, editing.py, seats.py); these views read
JSON and answer JSON."""
from flask_login import current_user

from learning.api.cursor import cursor_page
from learning.api.endpoints import api_blueprint, choice_query, int_query, json_body, validated
from learning.api.openapi import PAGING, component, documented, page_of, query
from learning.api.problems import refuse
from learning.api.schedule_json import PLACE, SESSION, SESSION_BODY, session_items
from learning.db import db, utcnow
from learning.schedule import editing, service
from learning.schedule.forms import SessionForm, session_form_defaults
from learning.schedule.models import KINDS, Series, Session
from learning.web import allowed_or_404, employee, first_or_404

bp = api_blueprint("api_sessions", __name__)


def load_session(session_id):
    """A session with its series, or 404 (every signed-in person sees every session, as on the pages)."""
    return first_or_404(service.session_and_series(session_id))


@bp.get("/sessions")
@employee
@documented("Sessions not yet over, soonest first (filters as on the sessions page)", page_of(SESSION), parameters=(
    query("kind", "Only this kind of series.", {"enum": list(KINDS)}),
    query("competency", "Only series that train this competency (id).", {"type": "integer"}),
    query("team", "Only this team's series (id).", {"type": "integer"}),
    query("facilitator", "Only sessions this person runs (id).", {"type": "integer"}), *PAGING))
def sessions():
    filters = {"kind": choice_query("kind", KINDS), "competency_id": int_query("competency"),
               "team_id": int_query("team"), "facilitator_id": int_query("facilitator")}
    return cursor_page(service.upcoming_sessions_query(**filters), (Session.starts_at, Session.id),
                       lambda rows: session_items(rows, current_user))


@bp.get("/sessions/<int:session_id>")
@employee
@documented("One session, with the caller's place", SESSION)
def session(session_id):
    return session_items([load_session(session_id)], current_user)[0]


RSVP_DONE = component("RsvpResult", {
    "type": "object", "required": ["session", "place"],
    "properties": {"session": SESSION, "place": PLACE,
                   "promoted": {"type": "integer", "description": "People promoted from the waitlist by a withdrawal."}}})


@bp.post("/sessions/<int:session_id>/rsvp")
@employee
@documented("Take a place: a seat when one is free, else the waitlist (the schedule's one seats rule)", RSVP_DONE,
            status=201, errors=(409,), description="409 when the session is cancelled, has started, closed its RSVPs, or is a "
                                       "team's session and the caller is neither in the team nor running it.")
def rsvp(session_id):
    item = load_session(session_id)
    service.rsvp(item, current_user._get_current_object())
    return _with_place(item), 201


@bp.delete("/sessions/<int:session_id>/rsvp")
@employee
@documented("Give up a place; the first in line is promoted", RSVP_DONE, errors=(409,))
def withdraw(session_id):
    item = load_session(session_id)
    promoted = service.withdraw(item, current_user._get_current_object())
    return _with_place(item) | {"promoted": len(promoted)}


def _with_place(item):
    described = session_items([item], current_user)[0]
    return {"session": described, "place": described["my_place"]}


@bp.get("/me/schedule")
@employee
@documented("The caller's upcoming sessions: places held and sessions they run, soonest first",
            page_of(SESSION), parameters=PAGING)
def my_schedule():
    upcoming = service.own_sessions(current_user.id, Session, Series).where(Session.ends_at >= utcnow())
    return cursor_page(upcoming, (Session.starts_at, Session.id), lambda rows: session_items(rows, current_user))


@bp.patch("/sessions/<int:session_id>")
@employee
@documented("Change one session: move it, its place or facilitator, cancel or restore it (those who manage it)",
            SESSION, body=SESSION_BODY, errors=(409,))
def change_session(session_id):
    item = allowed_or_404(service.can_manage_session, load_session(session_id))
    body = json_body()
    status, confirm = body.get("status"), body.get("confirm", False)
    if status not in (None, "scheduled", "cancelled"):
        refuse({"status": ["Choose scheduled or cancelled."]})
    if not isinstance(confirm, bool):
        refuse({"confirm": ["Give true or false."]})
    changes = {name: value for name, value in body.items() if name not in ("status", "confirm")}
    with db.atomic():
        if status == "scheduled" and item.is_cancelled:
            item = editing.restore_session(item)
        if changes:
            form = validated(SessionForm, changes, {"location": item.location, "video_url": item.video_url,
                                                    **session_form_defaults(item)})
            item = editing.edit_session(item, form.first_start_local(), form.duration_minutes(),
                                        (form.location.data or "").strip(), (form.video_url.data or "").strip(),
                                        form.facilitator_id.data or None)
        if status == "cancelled":
            editing.cancel_session(item, confirm=confirm)
    return session_items([load_session(session_id)], current_user)[0]

"""Series over the API: list and read for everyone (active series, as the pages show them);
create and change for coaches and admins, with the series form's rules and the schedule's
(learning/schedule/forms.py SeriesForm, service.create_series, editing.edit_series_from)."""
import peewee as pw
from flask import url_for
from flask_login import current_user

from learning.api.cursor import cursor_page
from learning.api.endpoints import api_blueprint, choice_query, int_query, json_body, refused_fields, validated
from learning.api.problems import refuse, stop
from learning.api.openapi import PAGING, component, documented, page_of, query
from learning.api.schedule_json import SERIES, SERIES_BODY, series_items
from learning.accounts.models import Team
from learning.db import utcnow
from learning.schedule import editing, service
from learning.schedule.forms import SeriesForm, series_form_defaults
from learning.schedule.models import KINDS, Series, Session
from learning.web import allowed_or_404, employee, first_or_404, role_required

bp = api_blueprint("api_series", __name__)
SERIES_CHANGED = component("SeriesChanged", {
    "type": "object", "required": ["series", "changed", "added", "removed"],
    "properties": {"series": SERIES, "changed": {"type": "integer"}, "added": {"type": "integer"},
                   "removed": {"type": "integer"}}})


def active_series():
    return (Series.select(Series, Team).join(Team, pw.JOIN.LEFT_OUTER, on=(Series.team == Team.id))
            .where(Series.active == True))  # noqa: E712


def series_or_404(series_id):
    return first_or_404(active_series().where(Series.id == series_id))


@bp.get("/series")
@employee
@documented("Active series, oldest first", page_of(SERIES), parameters=(
    query("kind", "Only this kind.", {"enum": list(KINDS)}),
    query("team", "Only this team's series (id).", {"type": "integer"}), *PAGING))
def series_list():
    found = active_series()
    kind, team_id = choice_query("kind", KINDS), int_query("team")
    if kind:
        found = found.where(Series.kind == kind)
    if team_id:
        found = found.where(Series.team == team_id)
    return cursor_page(found, (Series.id,), series_items)


@bp.get("/series/<int:series_id>")
@employee
@documented("One active series", SERIES)
def one_series(series_id):
    return series_items([series_or_404(series_id)])[0]


@bp.post("/series")
@role_required("coach")
@documented("Create a series and its sessions (coaches for their teams or everyone, admins for any team)", SERIES,
            status=201, body=SERIES_BODY)
def create_series():
    user = current_user._get_current_object()
    form = validated(SeriesForm, json_body(), {"team_id": 0, "timezone": user.timezone, "facilitator_ids": [user.id]},
                     teams=service.plannable_teams(user))
    created = service.create_series(created_by=user, kind=form.kind.data, **fields_of(form))
    return series_items([series_or_404(created.id)])[0], 201, {"Location": url_for(".one_series", series_id=created.id)}


@bp.patch("/series/<int:series_id>")
@role_required("coach")
@documented("Change a series from its next session (or `from_session`) on; sessions with places ask to confirm",
            SERIES_CHANGED, body=SERIES_BODY, errors=(409,))
def change_series(series_id):
    item = allowed_or_404(service.can_manage_series, series_or_404(series_id))
    body = json_body()
    start = first_changed_session(item, body.get("from_session"))
    teams = list(service.plannable_teams(current_user))
    if item.team is not None and item.team not in teams:
        teams.append(item.team)   # a facilitator keeps the series' team; they cannot move it elsewhere
    defaults = {"kind": item.kind, "title": item.title, "description": item.description, "location": item.location,
                "video_url": item.video_url, "capacity": item.capacity, "timezone": item.timezone,
                **series_form_defaults(item, start)}
    form = validated(SeriesForm, {k: v for k, v in body.items() if k != "from_session"}, defaults,
                     extra=("from_session",), teams=teams)
    result = editing.edit_series_from(item, start.recurrence_local.date(), confirm=form.confirm.data, **fields_of(form))
    return {"series": series_items([series_or_404(item.id)])[0], **result}


def first_changed_session(series, session_id):
    """The session a change starts from: the one named, else the series' next one; 422 / 409 without."""
    if session_id is not None:
        start = Session.get_or_none(Session.id == session_id, Session.series == series) \
            if type(session_id) is int and 0 < session_id < 2**31 else None
        if start is None:
            refuse({"from_session": ["Name a session of this series."]})
        return start
    start = series.sessions.where(Session.starts_at > utcnow()).order_by(Session.starts_at).first()
    if start is None:
        stop(409, "This series has no future session to change.")
    return start


def fields_of(form):
    """The series' fields from the form, or a 422 when its repeat rule cannot be built."""
    fields = form.series_fields()
    if fields["rrule"] is None:
        refuse(refused_fields(form))
    return fields

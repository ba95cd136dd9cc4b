"""People over the API, for admins as on /admin/users: the filtered list, one person, adding
someone (the admin form's checks, an invitation sent), changing them and marking a leaver (the
accounts service's `set_active`, so their places and plans are let go as on the page)."""
from flask import current_app, request, url_for
from flask_login import current_user
from peewee import JOIN

from learning.accounts import service
from learning.accounts.forms import LeaverForm, PersonRecordEditForm, PersonRecordForm
from learning.accounts.models import ROLES, Team, User
from learning.accounts.people_list import SIGNED_IN, STATUSES, PeopleFilter
from learning.api.cursor import cursor_page
from learning.api.endpoints import api_blueprint, int_query, json_body, validated
from learning.api.openapi import PAGING, component, documented, page_of, query
from learning.api.schedule_json import utc
from learning.db import db
from learning.web import first_or_404, role_required

bp = api_blueprint("api_people", __name__)


def person_item(person):
    """A person as the admin's list shows them (their team joined)."""
    return {
        "id": person.id, "url": url_for("api_people.person", user_id=person.id, _external=True),
        "display_name": person.display_name, "email": person.email, "role": person.role,
        "team": {"id": person.team_id, "name": person.team.name} if person.team_id else None,
        "timezone": person.timezone, "employee_id": person.employee_id,
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "active": person.active, "last_sign_in_at": utc(person.last_sign_in_at),
    }


_EDITABLE = {
    "display_name": {"type": "string", "maxLength": 100}, "email": {"type": "string", "format": "email"},
    "role": {"enum": list(ROLES)}, "timezone": {"type": "string", "description": "An IANA zone, e.g. Europe/Berlin."},
    "employee_id": {"type": ["string", "null"], "maxLength": 64, "description": "The HR list's id; unique."},
}
_TEAM_IN = {"type": ["integer", "null"], "description": "A team's id; null or 0: no team."}
PERSON = component("Person", {
    "type": "object",
    "required": ["id", "url", "display_name", "email", "role", "team", "timezone", "employee_id", "active"],
    "properties": {
        "id": {"type": "integer"}, "url": {"type": "string"}, **_EDITABLE,
        "team": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "start_date": {"type": ["string", "null"], "format": "date"}, "active": {"type": "boolean"},
        "last_sign_in_at": {"type": ["string", "null"], "format": "date-time"},
    }})
NEW_PERSON = component("NewPerson", {
    "type": "object", "required": ["display_name", "email"],
    "properties": {**_EDITABLE, "team": _TEAM_IN,
                   "password": {"type": "string", "description": "Optional: without one they choose their own "
                                                                 "from the invitation."}}})
PLANS_TO = {"type": ["integer", "null"], "description": "A leaver's open coaching plans go to this active coach "
                                                       "(id); null: they are closed."}
PERSON_CHANGE = component("PersonChange", {
    "type": "object", "description": "Only the fields named change.",
    "properties": {**_EDITABLE, "team": _TEAM_IN, "active": {"type": "boolean"}, "plans_to": PLANS_TO}})
LEAVER = component("Leaver", {"type": "object", "properties": {"plans_to": PLANS_TO}})


@bp.get("/people")
@role_required("admin")
@documented("Everyone, filtered as on the people list, in the order they were added", page_of(PERSON), parameters=(
    query("q", "Part of a name or e-mail address."),
    query("team", "Only this team's people (id); 0: people without a team.", {"type": "integer", "minimum": 0}),
    query("role", "Only this role.", {"enum": list(ROLES)}),
    query("status", "active, left or all (the default).", {"enum": list(STATUSES)}),
    query("signed_in", "By last sign-in.", {"enum": [key for key in SIGNED_IN if key]}), *PAGING))
def people():
    team_id = 0 if request.args.get("team") == "0" else int_query("team")
    filters = PeopleFilter.from_args(request.args, team_id)
    return cursor_page(filters.query(), (User.id,), lambda rows: [person_item(p) for p in rows])


@bp.get("/people/<int:user_id>")
@role_required("admin")
@documented("One person", PERSON)
def person(user_id):
    return person_item(_load(user_id))


@bp.post("/people")
@role_required("admin")
@documented("Add a person as the admin's form does: they are sent an invitation", PERSON, status=201,
            body=NEW_PERSON)
def add_person():
    body = _with_team(json_body())
    form = validated(PersonRecordForm, body, defaults={
        "role": "agent", "team": 0, "timezone": current_app.config["LEARNING_TIMEZONE"]})
    with db.atomic():
        added = service.add_person(current_user._get_current_object(), form.email.data, form.display_name.data,
                                   form.password.data or None, role=form.role.data, team=form.team.data or None,
                                   timezone=form.timezone.data)
        service.set_employee_id(added, form.employee_id.data)
    return person_item(_load(added.id)), 201, {"Location": url_for("api_people.person", user_id=added.id,
                                                                       _external=True)}


@bp.patch("/people/<int:user_id>")
@role_required("admin")
@documented("Change a person: only the fields named; `active: false` makes them a leaver", PERSON,
            body=PERSON_CHANGE, errors=(409,))
def change_person(user_id):
    person = _load(user_id)
    body = _with_team(json_body())
    current = {"display_name": person.display_name, "email": person.email, "timezone": person.timezone,
               "role": person.role, "team": person.team_id or 0, "active": person.active,
               "employee_id": person.employee_id or ""}
    form = validated(PersonRecordEditForm, body, defaults=current, person=person,
                     coaches=service.active_coaches())
    with db.atomic():
        service.update_person(person, current_user, display_name=form.display_name.data, email=form.email.data,
                              timezone=form.timezone.data, role=form.role.data, team_id=form.team.data or None,
                              active=form.active.data, plans_to=service.check_plans_to(form.plans_to.data))
        if "employee_id" in body:
            service.set_employee_id(person, form.employee_id.data)
    return person_item(_load(person.id))


@bp.post("/people/<int:user_id>/deactivate")
@role_required("admin")
@documented("Mark a leaver: signed out, future places given up, open plans handed over or closed", PERSON,
            body=LEAVER, errors=(409,))
def deactivate(user_id):
    person = _load(user_id)
    form = validated(LeaverForm, json_body() if request.get_data() else {}, person=person,
                     coaches=service.active_coaches())
    service.deactivate(person, current_user._get_current_object(), plans_to=service.check_plans_to(form.plans_to.data))
    return person_item(_load(person.id))


def _load(user_id):
    return first_or_404(User.select(User, Team).join(Team, on=(User.team == Team.id), join_type=JOIN.LEFT_OUTER)
                        .where(User.id == user_id))


def _with_team(body):
    """`team: null` reads as the form's "No team" (0)."""
    return {**body, "team": body["team"] or 0} if body.get("team", 0) is None else body

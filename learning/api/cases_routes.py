"""Cases over the API: submit one (the case form's checks and its redaction, in one step), list the
cases the caller may see and read one as its page shows it. Who sees what is cases/visibility.py's
rule; whose name and how heavy it felt, its Viewer's."""
from flask import url_for
from flask_login import current_user

from learning.accounts.models import User
from learning.api.cursor import cursor_page
from learning.api.endpoints import api_blueprint, choice_query, int_query, json_body, refused_fields, validated
from learning.api.openapi import PAGING, component, documented, page_of, query
from learning.api.problems import stop
from learning.api.schedule_json import utc
from learning.cases import library, service
from learning.cases.forms import CaseForm, lines
from learning.cases.library import LIST_COLUMNS
from learning.cases.models import CHANNELS, STATUSES, TEXT_FIELDS, Case, Takeaway
from learning.cases.redaction import KIND_LABELS
from learning.cases.visibility import Viewer, visible_case_rule
from learning.web import employee, first_or_404

bp = api_blueprint("api_cases", __name__)
REFUSED = "The request was refused: see `errors`."


def _person(case, viewer):
    name = viewer.author_name(case)
    return None if name is None else {"id": case.author_id, "name": name}


def case_summary(case, viewer):
    """What the case lists show of a case (LIST_COLUMNS, its author joined)."""
    return {
        "id": case.id, "url": url_for("api_cases.case", case_id=case.id, _external=True),
        "page": url_for("cases.show", case_id=case.id, _external=True),
        "title": case.title, "status": case.status, "channel": case.channel,
        "author": _person(case, viewer), "anonymous": case.anonymous, "meetup_id": case.meetup_id,
        "submitted_at": utc(case.submitted_at), "updated_at": utc(case.updated_at),
    }


def case_detail(case, viewer):
    """A case as its page shows it to `viewer`: its text (only redacted text once submitted),
    competencies, how heavy it felt for those who look after its author, the takeaways."""
    takeaway = Takeaway.get_or_none(Takeaway.case == case.id)
    return {
        **case_summary(case, viewer),
        **{key: getattr(case, key) for key in TEXT_FIELDS},
        "heaviness": case.heaviness if viewer.sees_heaviness(case) else None,
        "discussed_at": utc(case.discussed_at),
        "competencies": [{"id": c.id, "name": c.name} for c in library.competencies_by_case([case])[case.id]],
        "takeaway": None if takeaway is None else {
            "what_worked": takeaway.what_worked, "do_differently": takeaway.do_differently,
            "principle": takeaway.principle},
    }


_ID_NAME = {"type": "object", "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
_TIME = {"type": ["string", "null"], "format": "date-time", "description": "UTC, ISO 8601 with `Z`."}
_SUMMARY = {
    "id": {"type": "integer"}, "url": {"type": "string"}, "page": {"type": "string"},
    "title": {"type": "string"}, "status": {"enum": list(STATUSES)},
    "channel": {"enum": [key for key, _ in CHANNELS]},
    "author": {"oneOf": [_ID_NAME, {"type": "null"}], "description": "null: shared without the author's name."},
    "anonymous": {"type": "boolean"}, "meetup_id": {"type": ["integer", "null"]},
    "submitted_at": _TIME, "updated_at": _TIME,
}
CASE_SUMMARY = component("CaseSummary", {"type": "object", "required": list(_SUMMARY), "properties": _SUMMARY})
_TEXTS = {key: {"type": "string"} for key in TEXT_FIELDS}
CASE = component("Case", {
    "type": "object",
    "required": list(dict.fromkeys([*_SUMMARY, *TEXT_FIELDS, "heaviness", "competencies", "takeaway"])),
    "properties": {
        **_SUMMARY, **_TEXTS,
        "heaviness": {"type": ["integer", "null"], "description": "1-5; null when not given or not yours to see."},
        "discussed_at": _TIME,
        "competencies": {"type": "array", "items": _ID_NAME},
        "takeaway": {"type": ["object", "null"], "properties": {
            "what_worked": {"type": "string"}, "do_differently": {"type": "string"}, "principle": {"type": "string"}}},
    }})
FINDING = {"type": "object", "required": ["kind", "label", "text"], "properties": {
    "kind": {"enum": list(KIND_LABELS)}, "label": {"type": "string"},
    "text": {"type": "string", "description": "What was removed, as it stood in the request."}}}
SUBMITTED = component("SubmittedCase", {
    "type": "object", "required": ["case", "redacted"],
    "properties": {"case": CASE, "redacted": {"type": "array", "items": FINDING}}})
_LINES = {"type": "array", "items": {"type": "string"}}
NEW_CASE = component("NewCase", {
    "type": "object", "required": ["title", "channel", "customer_need", "actions", "outcome", "ask"],
    "properties": {
        "title": {"type": "string", "maxLength": 200}, "channel": {"enum": [key for key, _ in CHANNELS]},
        "customer_need": {"type": "string", "description": "What the customer needed, and how they felt."},
        "actions": {"type": "string", "description": "What I did and said."},
        "outcome": {"type": "string"},
        "ask": {"type": "string", "description": "What I want the group's input on."},
        "competencies": {"type": "array", "items": {"type": "integer"}},
        "heaviness": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "anonymous": {"type": "boolean", "description": "Share without my name."},
        "meetup": {"type": ["integer", "null"], "description": "An upcoming case-review meetup that takes it."},
        "names": {**_LINES, "description": "Names to remove beside those the text marks."},
        "keep": {**_LINES, "description": "Text never to redact, e.g. an order number."},
    }})


@bp.get("/cases")
@employee
@documented("The cases the caller may see, oldest first (their own drafts, the queues they take part in, "
            "the library)", page_of(CASE_SUMMARY), parameters=(
                query("status", "Only cases in this state.", {"enum": list(STATUSES)}),
                query("team", "Only cases of this team's queue (id).", {"type": "integer"}), *PAGING))
def cases():
    rows = (Case.select(*LIST_COLUMNS, User.id, User.display_name).join(User, on=Case.author)
            .where(visible_case_rule(current_user)))
    status, team_id = choice_query("status", STATUSES), int_query("team")
    if status is not None:
        rows = rows.where(Case.status == status)
    if team_id is not None:
        rows = rows.where(Case.team == team_id)
    viewer = Viewer(current_user)
    return cursor_page(rows, (Case.id,), lambda page: [case_summary(case, viewer) for case in page])


@bp.get("/cases/<int:case_id>")
@employee
@documented("One case as its page shows it to the caller", CASE)
def case(case_id):
    found = first_or_404(Case.select(Case, User).join(User, on=Case.author).where(
        Case.id == case_id, visible_case_rule(current_user)))
    return case_detail(found, Viewer(current_user))


@bp.post("/cases")
@employee
@documented("Submit a case: checked as the case form checks it, redacted as the form redacts it",
            SUBMITTED, status=201, body=NEW_CASE, errors=(409,),
            description="Only the redacted text is stored; `redacted` lists what was removed. Names the text "
                        "marks (a greeting, a sign-off) are removed as the form's preview finds them.")
def submit_case():
    form, names, keep = _case_form(json_body())
    author = current_user._get_current_object()
    saved, findings = service.submit_new_case(author, form.case_data(), names, keep)
    body = {"case": case_detail(saved, Viewer(author)),
            "redacted": [{"kind": f.kind, "label": KIND_LABELS[f.kind], "text": f.text} for f in findings]}
    return body, 201, {"Location": url_for("api_cases.case", case_id=saved.id, _external=True)}


def _case_form(body):
    """The case form filled from the body and checked as for submission, with the lists of names
    to remove and text to keep; a 422 problem naming the fields otherwise."""
    if "ticket" in body:
        # The spot for a helpdesk ticket export: learning/cases/tickets.py (in the making) will turn
        # it into the narrative fields here, before the form checks them as it checks typed ones.
        stop(422, REFUSED, {"ticket": ["Ticket exports are not read through the API yet: "
                                       "send the narrative fields."]})
    body = dict(body)
    for key in ("names", "keep"):
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            stop(422, REFUSED, {key: ["Give a list of strings."]})
        body[key] = "\n".join(value)
    form = validated(CaseForm, body)
    if not form.validate_for_submit():
        stop(422, REFUSED, refused_fields(form))
    return form, lines(form.names.data), lines(form.keep.data)

"""Service measures over the API, for admins as the import page: a batch of values per person,
month and measure, checked with the file's rules and written through the import's own upsert
(progress/measure_imports.py), so it shows in the import log and can be undone there."""
from flask import g, url_for
from flask_login import current_user

from learning.api.endpoints import api_blueprint, json_body
from learning.api.openapi import component, documented
from learning.api.problems import stop
from learning.progress.measure_imports import upsert_values
from learning.progress.measures import MAX_BATCH_ITEMS, check_items
from learning.web import role_required

bp = api_blueprint("api_measures", __name__)

MEASURE_VALUES = component("MeasureValues", {
    "type": "object", "required": ["items"],
    "properties": {"items": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH_ITEMS, "items": {
        "type": "object", "required": ["person", "month", "measure", "value"],
        "properties": {
            "person": {"type": "string", "description": "An e-mail address, or the HR list's employee id."},
            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "YYYY-MM."},
            "measure": {"type": "string", "description": "A measure's key, e.g. csat, fcr, quality."},
            "value": {"type": "number"}}}}}})
MEASURES_WRITTEN = component("MeasuresWritten", {
    "type": "object", "required": ["import_id", "new", "changed", "unchanged", "months", "log"],
    "properties": {
        "import_id": {"type": "integer"}, "new": {"type": "integer"}, "changed": {"type": "integer"},
        "unchanged": {"type": "integer"}, "months": {"type": "string"},
        "log": {"type": "string", "description": "The import log's page, where the batch can be undone."}}})


@bp.put("/measures")
@role_required("admin")
@documented("Set service measure values: each (person, month, measure) replaced or created, all or nothing",
            MEASURES_WRITTEN, body=MEASURE_VALUES, errors=(409,),
            description="A refused batch writes nothing; `errors` names each problem by its JSON pointer, "
                        "e.g. `/items/3/value`.")
def put_measures():
    body = json_body()
    unknown = sorted(set(body) - {"items"})
    if unknown:
        stop(422, "The request was refused: see `errors`.", {name: ["Unknown field."] for name in unknown})
    result, values = check_items(body.get("items"))
    if not result.ok:
        stop(422, "The request was refused: see `errors`.", _by_pointer(result.errors))
    source = f"API: {g.api_token.name}"
    plan, record = upsert_values(values, source, current_user._get_current_object())
    return {"import_id": record.id, "new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged,
            "months": record.months, "log": url_for("progress.import_page", _external=True)}


def _by_pointer(problems):
    """{JSON pointer: [message, ...]}: `/items` for the batch, `/items/<index>/<field>` for an item's."""
    errors = {}
    for problem in problems:
        pointer = "/items" if problem.column == "items" else f"/items/{problem.line}"
        if problem.column not in ("", "items"):
            pointer += f"/{problem.column}"
        errors.setdefault(pointer, []).append(problem.message)
    return errors

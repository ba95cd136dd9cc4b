"""What every API blueprint shares: its URL prefix, authentication by Bearer token, the token's
scope, the rate limit, no CSRF (no cookie authenticates here), problem details for every error,
and JSON bodies read through the same WTForms forms the pages use, so the rules are identical.

    bp = api_blueprint("api_sessions", __name__)

    @bp.get("/sessions/<int:session_id>")
    @employee                              # the same access rules as the pages (learning/web.py)
    @documented("One session", SESSION)    # its OpenAPI operation (learning/api/openapi.py)
    def session(session_id): ...
"""
from datetime import time

from flask import Blueprint, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField
from werkzeug.exceptions import HTTPException

from learning.api.openapi import API_PREFIX, SAFE_METHODS
from learning.api.problems import from_http_error, from_refusal, problem, refuse, stop
from learning.forms_common import DB_INT_MAX
from learning.refusals import Refused
from learning.web import csrf


def rate_key():
    """Requests count per token; without a valid token, per address."""
    if current_user.is_authenticated and g.get("api_token") is not None:
        return f"token:{g.api_token.id}"
    return f"address:{get_remote_address()}"


# Storage from RATELIMIT_STORAGE_URI (memory:// by default: one count per process; use a
# shared redis:// when several servers run, docs/operations.md). Headers on: X-RateLimit-*
# on every API answer and Retry-After on a 429.
limiter = Limiter(key_func=rate_key, default_limits=[], headers_enabled=True)
api_rate_limit = limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")


def api_blueprint(name, import_name):
    """A blueprint under /api/v1 with the API's authentication, limits and errors."""
    bp = Blueprint(name, import_name, url_prefix=API_PREFIX)
    csrf.exempt(bp)
    api_rate_limit(bp)
    bp.before_request(_authenticate)
    bp.after_request(_no_store)
    bp.register_error_handler(HTTPException, from_http_error)
    bp.register_error_handler(Refused, from_refusal)
    return bp


def _authenticate():
    """401 without a valid token (except for public views); 403 for a write with a read-only token."""
    if getattr(current_app.view_functions.get(request.endpoint), "access_rule", None) == "public":
        return None
    if not current_user.is_authenticated or g.get("api_token") is None:
        return problem(401)
    if request.method not in SAFE_METHODS and g.api_token.scope != "write":
        return problem(403, "This token is read only: make a read-and-write token on your profile to change things.")
    return None


def _no_store(response):
    # An answer holds someone's data (or says who may not see it): no cache keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def json_body():
    """The request's JSON object; 415 when it is not JSON, 400 when it cannot be read, 422 when
    it is not an object."""
    if not request.is_json:
        stop(415, "Send the body as JSON with `Content-Type: application/json`.")
    body = request.get_json(silent=True)
    if body is None:
        stop(400, "The body is not valid JSON.")
    if not isinstance(body, dict):
        stop(422, "The body must be a JSON object.")
    return body


def form_data(body, defaults=None):
    """A JSON object (over `defaults`, what a page's form would show) as the form data a browser
    would send: a list as repeated values, true as "y", false and null as absent, a time as
    HH:MM. A value
    that is itself an object cannot be a form value: a 422 naming its field."""
    values = MultiDict()
    merged = {**(defaults or {}), **body}
    for name, value in merged.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, (dict, list)):
                refuse({name: ["Give a single value or a list of values."]})
            if item is None or item is False:
                continue
            values.add(name, "y" if item is True else item.strftime("%H:%M") if isinstance(item, time) else str(item))
    return values


def validated(form_class, body, defaults=None, extra=(), **kwargs):
    """The page's form filled from a JSON body and validated, or a 422 problem with its messages
    per field. Fields the body does not name keep `defaults` (a PATCH changes only what it names);
    a name that is neither a field of the form nor in `extra` is refused."""
    form = form_class(formdata=form_data(body, defaults), meta={"csrf": False}, **kwargs)
    fields = {field.name: field for field in form}
    unknown = sorted(set(body) - set(fields) - set(extra))
    if unknown:
        refuse({name: ["Unknown field."] for name in unknown})
    # A check box's form value is any text ("no" included); in JSON only true and false mean yes and no.
    not_boolean = [name for name, field in fields.items()
                   if isinstance(field, BooleanField) and name in body and not isinstance(body[name], bool)]
    if not_boolean:
        refuse({name: ["Give true or false."] for name in not_boolean})
    if not form.validate():
        refuse(refused_fields(form))
    return form


def refused_fields(form):
    """{field name: [message, ...]} of a form that did not validate ("" for the form as a whole)."""
    return {name or "": [str(message) for message in messages]
            for name, messages in form.errors.items() if messages}


def int_query(name):
    """An id in the query string: None when absent, a 400 problem when it is not one."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= DB_INT_MAX:
        stop(400, f"`{name}` is an id: a whole number from 1.")
    return int(raw)


def choice_query(name, choices):
    """One of `choices` from the query string, None when absent, a 400 problem otherwise."""
    raw = request.args.get(name)
    if raw is not None and raw not in choices:
        stop(400, f"`{name}` is one of: {', '.join(choices)}.")
    return raw

"""Errors of the JSON API as problem details (RFC 9457): `application/problem+json` with
`type`, `title`, `status` and `detail`, and for a refused body `errors`, a list of messages per
field. Every error the API answers, from a routing 404 to a 500, goes through `problem()`."""
import json

from flask import Response
from werkzeug.exceptions import HTTPException, abort

from learning.refusals import NeedsConfirmation, NotAllowed, NotFound

MEDIA_TYPE = "application/problem+json"
REFUSED = "The request was refused: see `errors`."
TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    409: "Conflict", 413: "Payload too large", 415: "Unsupported media type", 422: "Unprocessable content",
    429: "Too many requests", 500: "Internal server error", 503: "Service unavailable",
}
DETAILS = {
    401: "Send a personal access token as `Authorization: Bearer sds_...` (make one on your profile).",
    404: "There is nothing here, or it is not yours to see.",
    500: "The error was logged. Please try again in a moment.",
}


def problem(status, detail=None, errors=None, title=None, **members):
    """A problem details response. `errors`: {field: [message, ...]} for a refused body.
    RFC 9457 section 4.2.1: "about:blank" as the type says the status code is all there is to know."""
    body = {"type": "about:blank", "title": title or TITLES.get(status, "Error"), "status": status,
            "detail": detail or DETAILS.get(status) or title or TITLES.get(status, "Error")}
    if errors:
        body["errors"] = errors
    body.update(members)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'   # RFC 6750 section 3
    return response


def stop(status, detail=None, errors=None, **members):
    """End the request with a problem (raised, so it works from any depth of a view)."""
    abort(problem(status, detail, errors, **members))


def refuse(errors):
    """End the request with a 422 naming what is wrong with each field: {field: [message, ...]}."""
    stop(422, REFUSED, errors)


def from_http_error(error):
    """A Werkzeug/Flask HTTP error (abort(404), a routing 405, a rate limit's 429) as a problem."""
    if not isinstance(error, HTTPException) or error.code is None:
        return problem(500)
    detail = DETAILS.get(error.code) or error.description
    response = problem(error.code, detail)
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def from_refusal(refusal):
    """A service's refusal (learning/refusals.py) as a problem: not found 404, not allowed 403,
    one that asks for confirmation 409 (send `"confirm": true` to go ahead), one naming a field
    422 with the message under that field, any other 409 (the thing's state refuses it)."""
    if isinstance(refusal, NotFound):
        return problem(404)
    if isinstance(refusal, NotAllowed):
        return problem(403, str(refusal))
    if isinstance(refusal, NeedsConfirmation):
        return problem(409, str(refusal), needs_confirmation=True, affected=refusal.affected)
    if refusal.field:
        return problem(422, REFUSED, {refusal.field: [str(refusal)]})
    return problem(409, str(refusal))


def answer_error(code, message=None, error=None):
    """The app's error pages' stand-in under /api/ (learning.errors.answer_errors_under): a routing
    404 or 405, a refusal no view caught, a 500."""
    if error is not None and code != 500:
        return from_http_error(error)
    return problem(code, message)

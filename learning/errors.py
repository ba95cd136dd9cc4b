"""Error pages in the site layout for 400, 403, 404, 405, 413 and 500; under a prefix that asks for it
(`answer_errors_under`: the JSON API), another responder answers instead."""
import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError

from learning.refusals import NotAllowed, NotFound, Refused

ERRORS = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your role does not give access to this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "What you sent is larger than this page accepts."),
    500: ("Something went wrong", "The error was logged. Please try again in a moment."),
    503: ("Unavailable", "The programme's database is not answering. Please try again in a moment."),
}


# {path prefix: responder(code, message, error)}: errors of requests under a prefix answered otherwise
# than as a page (the JSON API's problem details, learning/api).
_RESPONDERS = {}


def answer_errors_under(prefix, responder):
    _RESPONDERS[prefix] = responder


def _page(code, message=None, error=None):
    for prefix, responder in _RESPONDERS.items():
        if request.path.startswith(prefix):
            return responder(code, message, error)
    title, default = ERRORS[code]
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def register_error_pages(app):
    for code in ERRORS:
        if code == 500:
            continue
        app.register_error_handler(code, lambda e, code=code: _page(code, error=e))

    # A service's refusal no route caught: not found and not allowed are their pages;
    # any other refusal is a bad request that shows its message.
    app.register_error_handler(NotFound, lambda e: _page(404))
    app.register_error_handler(NotAllowed, lambda e: _page(403))
    app.register_error_handler(Refused, lambda e: _page(400, str(e)))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, "The form expired or was sent from elsewhere. Go back, reload the page and try again.")

    @app.errorhandler(500)
    def server_error(error):
        logging.getLogger("learning").exception("Unhandled error")
        return _page(500)

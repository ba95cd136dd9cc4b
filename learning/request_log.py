"""Structured request logging with a request id, and the proxy set-up for HTTPS.

Each request gets an id (the proxy's X-Request-ID when it sends one, else a new
one), echoed in the response header and in one JSON log line per request.
Secret URL parts (calendar feed tokens, unsubscribe tokens, sign-in links) are masked before
anything is logged.
"""
import json
import logging
import re
import time
import uuid

from flask import g, request
from werkzeug.middleware.proxy_fix import ProxyFix

logger = logging.getLogger("learning.requests")

SECRET_PATHS = re.compile(r"(/calendar/feed/|/unsubscribe/|/invitation/|/password/reset/)[^/?\s\"]+")


def mask_secrets(text):
    return SECRET_PATHS.sub(r"\1[token]", text)


class MaskSecretsFilter(logging.Filter):
    """Masks tokens in any log record (werkzeug's and gunicorn's access lines included)."""

    def filter(self, record):
        if record.args:
            record.msg = mask_secrets(record.getMessage())
            record.args = ()
        else:
            record.msg = mask_secrets(str(record.msg))
        return True


def _start():
    g.request_id = (request.headers.get("X-Request-ID") or uuid.uuid4().hex)[:64]
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if request.endpoint != "static":
        logger.info(json.dumps({
            "request_id": g.get("request_id"), "method": request.method, "path": mask_secrets(request.path),
            "status": response.status_code,
            "ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
        }))
    return response


def init_request_log(app):
    app.before_request(_start)
    app.after_request(_finish)
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "learning.requests"):
        target = logging.getLogger(name)
        if not any(isinstance(f, MaskSecretsFilter) for f in target.filters):
            target.addFilter(MaskSecretsFilter())
    if app.config.get("PROXY_FIX"):
        # Behind one reverse proxy that terminates HTTPS: trust its X-Forwarded-* headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

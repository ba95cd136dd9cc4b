"""The app as the benchmark serves it: learning.create_app() plus `/bench/floor`,
a route that answers a fixed small body through the same Flask stack (request
log, security headers, session handling) without opening a database
connection. Every page's throughput is reported as a ratio to the floor's.

gunicorn: `gunicorn "bench.app:create_bench_app()"`.
"""
from flask import Blueprint, request

from learning import create_app
from learning import db as database
from learning.web import public

bp = Blueprint("bench", __name__)
FLOOR_BODY = "floor\n"


@bp.route("/bench/floor")
@public
def floor():
    return FLOOR_BODY, 200, {"Content-Type": "text/plain; charset=utf-8"}


def _open_connection_except_floor():
    if request.endpoint != "bench.floor":
        return database.open_connection()
    return None


def create_bench_app(test_config=None):
    app = create_app(test_config)
    app.register_blueprint(bp)
    hooks = app.before_request_funcs.setdefault(None, [])
    app.before_request_funcs[None] = [_open_connection_except_floor if hook is database.open_connection else hook
                                      for hook in hooks]
    return app

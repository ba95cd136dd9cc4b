"""`/` (the dashboard, filled with panels by each capability) and `/healthz`."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from learning.db import db
from learning.templating import panels_for
from learning.web import employee, public

bp = Blueprint("home", __name__)


@bp.route("/")
@employee
def dashboard():
    return render_template("home/dashboard.html", panels=panels_for(current_user))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.execute_sql("SELECT 1")
    except Exception:  # any failure to answer means unhealthy
        return {"status": "unavailable"}, 503
    return {"status": "ok"}

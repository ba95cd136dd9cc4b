"""`/admin/audit`: the audit log, newest first, paged."""
from flask import Blueprint, render_template, request

from learning.audit.service import entries_query
from learning.web import paginate, role_required

bp = Blueprint("audit", __name__)


@bp.route("/admin/audit")
@role_required("admin")
def index():
    prefix = request.args.get("action", "").strip()[:60]
    return render_template("audit/index.html", page=paginate(entries_query(prefix)), prefix=prefix)

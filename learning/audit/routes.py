"""`/admin/audit`: the audit log, newest first, paged, read as sentences."""
from flask import Blueprint, render_template, request

from learning.audit.sentences import KINDS, sentences
from learning.audit.service import entries_query
from learning.web import paginate, role_required

bp = Blueprint("audit", __name__)


@bp.route("/admin/audit")
@role_required("admin")
def index():
    prefix = request.args.get("action", "").strip()[:60]
    page = paginate(entries_query(prefix))
    return render_template("audit/index.html", page=page, lines=sentences(page.items), prefix=prefix, kinds=KINDS)

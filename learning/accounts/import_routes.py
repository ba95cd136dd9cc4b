"""`/admin/people/import`: upload a people file, see the preview (or its problems by line
and column), confirm. Nothing is written until the confirmation, and then exactly what the
preview showed (`people_import.stage` and `confirm`)."""
import os

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from learning.accounts import people_import, service
from learning.accounts.forms import ConfirmPeopleImportForm, PeopleImportForm
from learning.accounts.people_file import MAX_LINES
from learning.refusals import Refused
from learning.web import role_required, show_refusal

bp = Blueprint("people_import", __name__)
SHOWN = 200


@bp.route("/admin/people/import", methods=["GET", "POST"])
@role_required("admin")
def import_page():
    form = PeopleImportForm()
    form.plans_to.offer(service.active_coaches())
    plan = token = None
    if form.validate_on_submit():
        options = people_import.Options(sync=form.sync.data, create_teams=form.create_teams.data,
                                        plans_to=form.plans_to.data)
        plan, token = people_import.stage(form.file.data.read(), form.file.data.filename, options, current_user)
    return render_template("accounts/people_import.html", form=form, plan=plan,
                           confirm=ConfirmPeopleImportForm(token=token), shown=SHOWN, max_lines=MAX_LINES,
                           fields=people_import.FIELDS, show_value=people_import.shown)


@bp.route("/admin/people/import/confirm", methods=["POST"])
@role_required("admin")
def confirm_import():
    form = ConfirmPeopleImportForm()
    if not form.validate_on_submit():
        abort(400)
    pending = people_import.pending_for(form.token.data, current_user) or abort(404)
    try:
        outcome = people_import.confirm(pending, current_user)
    except Refused as error:
        show_refusal(None, error)
        return redirect(url_for("people_import.import_page"))
    flash(f"Imported: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged, "
          f"{outcome.left} left.", "success")
    return redirect(url_for("accounts.users"))


@bp.route("/admin/people/import/sample.csv")
@role_required("admin")
def sample():
    """The sample file the guide describes."""
    with open(os.path.join(current_app.root_path, os.pardir, "seeds", "people-sample.csv"), encoding="utf-8") as handle:
        body = handle.read()
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="people-sample.csv"'})

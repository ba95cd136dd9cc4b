"""`/progress` (my own), `/progress/team/<id>` (coaches of the team, admins),
`/progress/programme` and `/progress/import` (admins: upload, preview, confirm,
the import log and undo). Every table exports as CSV with the page's filters:
`?format=csv&table=<name>`."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.progress import measure_imports
from learning.progress.access import coached_teams, may_view_team
from learning.progress.exports import csv_response_if_asked
from learning.progress.forms import ConfirmImportForm, MeasureImportForm
from learning.progress.measures import MAX_IMPORT_ROWS, measure_definitions
from learning.progress.models import MeasureImport
from learning.progress.personal import my_progress
from learning.progress.programme import programme_progress
from learning.progress.tables import MIN_PEOPLE
from learning.progress.team import team_progress
from learning.refusals import Refused
from learning.web import employee, get_or_404, int_arg, paginate, role_required, show_refusal, viewer_zone

bp = Blueprint("progress", __name__)


def summary_minutes():
    return current_app.config["PROGRESS_SUMMARY_MAX_AGE_MINUTES"]


@bp.route("/progress")
@employee
def mine():
    context = my_progress(current_user, viewer_zone())
    return csv_response_if_asked(context, "my-progress") or render_template(
        "progress/mine.html", teams=coached_teams(current_user), **context)


@bp.route("/progress/team/<int:team_id>")
@role_required("coach")
def team(team_id):
    team = get_or_404(Team, Team.id == team_id)
    if not may_view_team(current_user, team.id):
        abort(404)
    weeks = int_arg("weeks", 4, minimum=1, maximum=104)
    context = team_progress(team, viewer_zone(), weeks)
    return csv_response_if_asked(context, f"team-{team.id}") or render_template(
        "progress/team.html", team=team, teams=coached_teams(current_user), weeks=weeks,
        summary_minutes=summary_minutes(),
        live_this_month=True, **context)


@bp.route("/progress/programme")
@role_required("admin")
def programme():
    context = programme_progress(viewer_zone())
    return csv_response_if_asked(context, "programme") or render_template(
        "progress/programme.html", min_people=MIN_PEOPLE, summary_minutes=summary_minutes(),
        live_this_month=False, **context)


@bp.route("/progress/import", methods=["GET", "POST"])
@role_required("admin")
def import_page():
    """Upload a file: nothing is written but the upload kept for its confirmation; the page
    shows the preview (or the problems by line and column)."""
    form = MeasureImportForm()
    plan = token = None
    if form.validate_on_submit():
        plan, token = measure_imports.stage_upload(form.file.data, current_user)
    return render_template("progress/import.html", form=form, plan=plan, confirm=ConfirmImportForm(token=token),
                           log=paginate(measure_imports.import_log()), definitions=measure_definitions(),
                           max_rows=MAX_IMPORT_ROWS)


@bp.route("/progress/import/confirm", methods=["POST"])
@role_required("admin")
def confirm_import():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    pending = measure_imports.pending_for(form.token.data, current_user) or abort(404)
    try:
        record = measure_imports.confirm(pending, current_user)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"Imported {record.file_name or 'the file'} for {record.months}: {record.new_values} new, "
              f"{record.changed_values} changed, {record.unchanged_values} unchanged values.", "success")
    return redirect(url_for("progress.import_page"))


@bp.route("/progress/import/<int:import_id>/undo", methods=["POST"])
@role_required("admin")
def undo_import(import_id):
    record = get_or_404(MeasureImport, MeasureImport.id == import_id)
    try:
        measure_imports.undo(record, current_user)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"Undone: the import of {record.file_name or 'a file'} (#{record.id}); the values it changed "
              f"are back as they were.", "success")
    return redirect(url_for("progress.import_page"))

"""`/progress` (my own), `/progress/team/<id>` (coaches of the team, admins),
`/progress/programme` and `/progress/import` (admins: upload, preview, confirm,
the import log and undo; a new export's columns mapped once as a measure source,
`/progress/import/sources/<id>` to rename or delete it). Every table exports as CSV with the page's filters:
`?format=csv&table=<name>`."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.progress import measure_imports, measure_sources
from learning.progress.access import coached_teams, may_view_team
from learning.progress.exports import csv_response_if_asked
from learning.progress.forms import ConfirmImportForm, MeasureImportForm, SourceNameForm, mapping_form
from learning.progress.measures import MAX_IMPORT_ROWS, measure_definitions
from learning.progress.models import MeasureImport, MeasureSource
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
    """Upload a file: nothing is written but the upload kept for its confirmation (or, for an
    export no source knows, for the mapping of its columns); the page shows the preview (or the
    problems by line and column)."""
    form = MeasureImportForm()
    if not form.validate_on_submit():
        return _import_page(form)
    received = measure_sources.receive(form.file.data, current_user)
    if received.mapping_token:
        return redirect(url_for("progress.map_columns", token=received.mapping_token))
    return _import_page(form, received)


@bp.route("/progress/import/map", methods=["GET", "POST"])
@role_required("admin")
def map_columns():
    """An upload no source knows, kept for its uploader: map its columns, save them as a
    source, and see the upload's preview through it."""
    token = request.values.get("token") or abort(400)
    pending = measure_sources.pending_for(token[:64], current_user) or abort(404)
    columns = measure_sources.choosable_columns(pending.content)
    mapping = mapping_form(measure_definitions(), columns, token=pending.token)
    # validate() and check_columns() both run, so that every field shows its message
    if request.method == "POST" and (mapping.validate() & mapping.check_columns(columns)):
        try:
            return _import_page(MeasureImportForm(formdata=None),
                                measure_sources.map_and_stage(pending, mapping.mapping(), current_user))
        except Refused as error:
            show_refusal(mapping, error)
    return _import_page(MeasureImportForm(formdata=None), mapping=mapping)


def _import_page(form, received=None, mapping=None):
    received = received or measure_sources.Received()
    return render_template("progress/import.html", form=form, plan=received.plan, source=received.source,
                           confirm=ConfirmImportForm(formdata=None, token=received.token), mapping=mapping,
                           log=paginate(measure_imports.import_log()), definitions=measure_definitions(),
                           sources=paginate(measure_sources.sources(), arg="sources"), max_rows=MAX_IMPORT_ROWS)


@bp.route("/progress/import/sources/<int:source_id>", methods=["GET", "POST"])
@role_required("admin")
def source(source_id):
    """A saved source: its mapping, renamed here."""
    found = get_or_404(MeasureSource, MeasureSource.id == source_id)
    form = SourceNameForm(obj=found)
    if form.validate_on_submit():
        try:
            measure_sources.rename(found, form.name.data.strip())
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"The source is now called {found.name}.", "success")
            return redirect(url_for("progress.source", source_id=found.id))
    return render_template("progress/source.html", source=found, form=form,
                           measured=measure_sources.measured(found), definitions=measure_definitions(),
                           kinds=dict(measure_sources.PERSON_KINDS), transforms=measure_sources.TRANSFORMS)


@bp.route("/progress/import/sources/<int:source_id>/delete", methods=["POST"])
@role_required("admin")
def delete_source(source_id):
    found = get_or_404(MeasureSource, MeasureSource.id == source_id)
    measure_sources.delete(found)
    flash(f"The source {found.name} is deleted: its export will be mapped again when it is next uploaded. "
          f"Imports made through it stay.", "success")
    return redirect(url_for("progress.import_page"))


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

"""`/progress` (my own), `/progress/team/<id>` (coaches of the team, admins),
`/progress/programme` and `/progress/import` (admins). Every table exports as
CSV with the page's filters: `?format=csv&table=<name>`."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.progress.access import coached_teams, may_view_team
from learning.progress.exports import csv_response_if_asked
from learning.progress.forms import MeasureImportForm
from learning.progress.measures import MAX_IMPORT_ROWS, import_measures, measure_definitions
from learning.progress.personal import my_progress
from learning.progress.programme import programme_progress
from learning.progress.tables import MIN_PEOPLE
from learning.progress.team import team_progress
from learning.web import employee, get_or_404, int_arg, role_required, viewer_zone

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
        "progress/team.html", team=team, weeks=weeks, summary_minutes=summary_minutes(),
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
    form = MeasureImportForm()
    result = None
    if form.validate_on_submit():
        text = form.file.data.read(2 * 1024 * 1024).decode("utf-8-sig", errors="replace")
        result = import_measures(text)
        if result.ok:
            months = ", ".join(f"{m:%Y-%m}" for m in result.months)
            flash(f"Imported {result.values} values from {result.rows} lines for {months}.", "success")
            return redirect(url_for("progress.import_page"))
    return render_template("progress/import.html", form=form, result=result,
                           definitions=measure_definitions(), max_rows=MAX_IMPORT_ROWS)

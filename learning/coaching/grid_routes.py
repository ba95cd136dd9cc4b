"""`/coaching/teams/<id>/ratings`: the ratings grid of a team (members by competencies), for the
team's coaches to fill and admins to read."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.coaching import coaching_csv, rating_grid
from learning.coaching.forms import RatingGridForm, changed_cells
from learning.csv_files import csv_response, wants_csv
from learning.db import utcnow
from learning.refusals import NotAllowed, Refused
from learning.web import get_or_404, role_required
from learning.wording import count_of

bp = Blueprint("rating_grid", __name__)


@bp.route("/coaching/teams/<int:team_id>/ratings", methods=["GET", "POST"])
@role_required("coach")
def team_ratings(team_id):
    team = get_or_404(Team, Team.id == team_id)
    if not rating_grid.may_view_grid(current_user, team):
        abort(404)
    areas = rating_grid.areas()
    area = pick_area(request.values.get("area"), areas)
    if request.method == "GET" and wants_csv():
        return csv_response(f"ratings-team-{team.id}.csv", coaching_csv.TEAM_RATING_COLUMNS,
                            coaching_csv.team_rating_rows(team, area))
    form = RatingGridForm(data=None if request.method == "POST" else {"rated_on": utcnow().date()})
    valid = form.validate_on_submit()
    grid = rating_grid.team_grid(team, current_user, area, seen=form.seen.data if valid else None)
    form.seen.data = grid.seen
    errors, status = {}, 200
    if valid:
        levels, errors = changed_cells(request.form, grid)
        try:
            if not errors:
                saved = rating_grid.rate_cells(current_user, grid, levels, form.rated_on.data)
                flash(f"{count_of(saved, 'rating')} added to the history." if saved else "Nothing changed.", "success")
                return redirect(url_for("rating_grid.team_ratings", team_id=team.id, area=area or "all"))
        except NotAllowed as refusal:
            flash(str(refusal), "error")
            return redirect(url_for("rating_grid.team_ratings", team_id=team.id, area=area or "all"))
        except Refused as refusal:
            errors = dict.fromkeys(getattr(refusal, "cells", None) or [], str(refusal))
            form.form_errors.append(str(refusal))
    if request.method == "POST":
        status = 400
    return render_template("coaching/rating_grid.html", grid=grid, form=form, errors=errors, areas=areas, area=area,
                           may_rate=rating_grid.coaches_team(current_user, team),
                           form_values=request.form if request.method == "POST" else {}), status


def pick_area(asked, areas):
    """The framework area asked for; "all" for every competency; by default the framework's first area."""
    if asked == "all":
        return None
    return asked if asked in areas else (areas[0] if areas else None)

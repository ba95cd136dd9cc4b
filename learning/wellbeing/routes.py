"""`/wellbeing` (the pulse and my own answers), `/wellbeing/teams` (coaches: the programme and
their teams; admins: every team), `/wellbeing/team/<id>` (the team's coaches, admins) and
`/admin/wellbeing` (the rhythm). Tables export as CSV: `?format=csv&table=<name>`."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.progress.access import coached_teams, may_view_team
from learning.progress.exports import csv_response_if_asked
from learning.wellbeing import pages, pulse, rounds
from learning.wellbeing.forms import PulseForm, RhythmForm
from learning.wellbeing.models import QUESTION_KEYS
from learning.web import attempt, employee, get_or_404, role_required, viewer_zone

bp = Blueprint("wellbeing", __name__)


@bp.route("/wellbeing", methods=["GET", "POST"])
@employee
def mine():
    form = PulseForm()
    current = rounds.open_round()
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in QUESTION_KEYS}
        if attempt(form, pulse.answer_pulse, current_user, values, form.comment.data, form.share_comment.data):
            flash("Thank you. Your answers are yours: coaches see only team figures of five or more.", "success")
            return redirect(url_for("wellbeing.mine"))
    history, chart = pages.my_history(current_user)
    context = {"history": history, "chart": chart}
    return csv_response_if_asked(context, "my-wellbeing") or render_template(
        "wellbeing/mine.html", form=form, current=current, answer=pulse.answer_for(current_user, current),
        **context)


@bp.route("/wellbeing/teams")
@role_required("coach")
def teams():
    teams = list(Team.select().order_by(Team.name)) if current_user.is_admin else coached_teams(current_user)
    context = pages.programme_wellbeing(teams, viewer_zone(), current_user.is_admin)
    return csv_response_if_asked(context, "wellbeing") or render_template("wellbeing/teams.html", **context)


@bp.route("/wellbeing/team/<int:team_id>")
@role_required("coach")
def team(team_id):
    team = get_or_404(Team, Team.id == team_id)
    if not may_view_team(current_user, team.id):
        abort(404)
    context = pages.team_wellbeing(team, viewer_zone())
    return csv_response_if_asked(context, f"wellbeing-team-{team.id}") or render_template(
        "wellbeing/team.html", team=team, **context)


@bp.route("/admin/wellbeing", methods=["GET", "POST"])
@role_required("admin")
def rhythm():
    form = RhythmForm()
    if form.validate_on_submit():
        active = form.active.data == "on"
        if attempt(form, rounds.set_rhythm, form.starts_on.data, form.every_weeks.data, active, current_user):
            flash("The pulse rhythm is set." if active else "The pulse pauses from that day.", "success")
            return redirect(url_for("wellbeing.rhythm"))
    return render_template("wellbeing/rhythm.html", form=form, rhythms=rounds.rhythms(),
                           current=rounds.open_round(), upcoming=rounds.upcoming_rounds(),
                           today=rounds.programme_today())

"""Whole-series places: `/series/<id>/enrol` (a coach enrols a team or chosen people in every
future session and sees who got a seat and who waits) and `/series/<id>/places` (a person takes,
or gives up, a place at every future session in one action)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.refusals import Refused
from learning.schedule import enrolment, service
from learning.schedule.forms import EnrolForm
from learning.schedule.routes import active_series_or_404, managed_series_or_404
from learning.web import attempt, employee, role_required, show_refusal
from learning.wording import count_of

bp = Blueprint("enrolment", __name__)


@bp.route("/series/<int:series_id>/enrol", methods=["GET", "POST"])
@role_required("coach")
def enrol(series_id):
    item = managed_series_or_404(series_id)
    teams = list(service.plannable_teams(current_user))
    default_team = item.team_id if item.team_id in {t.id for t in teams} else 0
    form = EnrolForm(teams=teams, people=enrollable_list(item), cohorts=enrolment.cohort_source(current_user).choices,
                     data={"team_id": default_team})
    outcomes = None
    if form.validate_on_submit():
        team = Team.get_or_none(Team.id == form.team_id.data) if form.team_id.data else None
        outcomes = attempt(form, enrolment.enrol_in_series, item, current_user, team, form.user_ids.data or [],
                           form.cohort_id.data or None)
    sessions = service.future_sessions(item).count()
    status = 400 if form.errors or form.form_errors else 200
    return render_template("schedule/enrol.html", item=item, form=form, outcomes=outcomes,
                           sessions=sessions), status


def enrollable_list(series):
    """The people to tick: a coach's teams; for an admin (everyone) the series' own team, else none:
    an admin enrols whole teams."""
    people = enrolment.enrollable_people(current_user)
    if current_user.is_admin:
        people = people.where(Team.id == series.team_id) if series.team_id else people.where(Team.id.is_null())
    return list(people)


@bp.route("/series/<int:series_id>/places", methods=["POST"])
@employee
def places(series_id):
    item = active_series_or_404(series_id)
    try:
        if request.form.get("action") == "leave":
            count = enrolment.leave_series(item, current_user)
            flash(f"You gave up {count_of(count, 'place')} at the future sessions of this series.", "success")
        else:
            outcome = enrolment.join_series(item, current_user)
            flash(joined_message(outcome), "success")
    except Refused as error:
        show_refusal(None, error)
    return redirect(url_for("schedule.series", series_id=item.id))


def joined_message(outcome):
    text = f"You have a place at {count_of(outcome.going, 'future session')}"
    if outcome.waiting:
        text += f" and are on the waitlist of {outcome.waiting}"
    return text + (f"; you already had {outcome.kept}." if outcome.kept else ".")

"""`/teams`: the teams a coach (or admin) acts on; a team's announcements and its "who
hasn't" page with the nudge. A team someone may not act on is a 404."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.db import utcnow
from learning.outreach import forms, service, who_hasnt
from learning.outreach.models import Announcement
from learning.refusals import Refused
from learning.schedule.service import plannable_teams
from learning.web import attempt, paginate, role_required, show_refusal, visible_or_404

bp = Blueprint("outreach", __name__)


def team_or_404(team_id):
    return visible_or_404(Team, team_id, service.may_act_on_team)


@bp.route("/teams")
@role_required("coach")
def teams():
    return render_template("outreach/teams.html", page=paginate(plannable_teams(current_user)))


@bp.route("/teams/<int:team_id>/announcements", methods=["GET", "POST"])
@role_required("coach")
def announcements(team_id):
    team = team_or_404(team_id)
    form = forms.AnnouncementForm()
    if request.method == "GET":
        form.until.data = utcnow().date() + timedelta(days=7)
    if form.validate_on_submit() and attempt(form, service.announce, current_user, team, form.body.data,
                                             form.until.data, form.email.data):
        flash(f"Posted to {team.name}: it is pinned on their dashboards.", "success")
        return redirect(url_for("outreach.announcements", team_id=team.id))
    return render_template("outreach/announcements.html", team=team, form=form, now=utcnow(),
                           page=paginate(service.team_announcements(team))), 400 if form.errors else 200


@bp.route("/announcements/<int:announcement_id>/withdraw", methods=["POST"])
@role_required("coach")
def withdraw(announcement_id):
    item = visible_or_404(Announcement, announcement_id, lambda user, a: service.may_act_on_team(user, a.team))
    form = forms.AnnouncementForm()
    if attempt(form, service.withdraw, current_user, item) is not None:
        flash("Unpinned.", "success")
    return redirect(url_for("outreach.announcements", team_id=item.team_id))


def question_from(form, team):
    """The question the (choice-filled) form asks, or None with its messages on the form."""
    if not form.validate():
        return None
    try:
        return who_hasnt.ask(team, form.criterion.data, subject_of(form), form.weeks.data)
    except Refused as refusal:
        show_refusal(form, refusal)
        return None


def subject_of(form):
    """The series or module the question names (None for the other criteria)."""
    return {"series": form.series.data, "module": form.module.data}.get(form.criterion.data)


@bp.route("/teams/<int:team_id>/who-hasnt")
@role_required("coach")
def who_hasnt_page(team_id):
    team = team_or_404(team_id)
    form = forms.QuestionForm(request.args)
    finding = "find" in request.args          # the Find button: offer what the title search found, ask nothing
    form.fill_choices(team, choose_found=finding)
    asked = "criterion" in request.args and not finding
    question = question_from(form, team) if asked else None
    page = paginate(who_hasnt.who_hasnt(team, question)) if question else None
    return render_template("outreach/who_hasnt.html", team=team, form=form, question=question, page=page,
                           nudge_form=forms.NudgeForm(formdata=None), nudges=who_hasnt.recent_nudges(team), criteria=who_hasnt.CRITERIA), 400 if form.errors else 200


@bp.route("/teams/<int:team_id>/nudges", methods=["POST"])
@role_required("coach")
def nudge(team_id):
    team = team_or_404(team_id)
    form = forms.NudgeForm()
    form.fill_choices(team)
    question = question_from(form, team)
    if question and attempt(form, who_hasnt.send_nudge, current_user, team, question, form.message.data,
                            form.email.data):
        flash(f"Nudged everyone {question.label}.", "success")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors) or "Nothing was sent.", "error")
    args = {"criterion": form.criterion.data, "series": form.series.data or 0, "module": form.module.data or 0,
            "weeks": form.weeks.data or 4}
    return redirect(url_for("outreach.who_hasnt_page", team_id=team.id, **args))

"""`/coaching/templates`: coaches and admins maintain plan templates (goals and actions
copied into a new plan) and give a template's plan to a whole team at once."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.coaching import forms, plan_batch, service
from learning.coaching.models import PlanTemplate, TemplateAction, TemplateGoal
from learning.forms_common import db_int
from learning.competencies.service import choices as competency_choices
from learning.curriculum.cohort_batch import visible_cohorts
from learning.curriculum.models import Cohort
from learning.db import utcnow
from learning.web import attempt, get_or_404, paginate, role_required

bp = Blueprint("plan_templates", __name__)


@bp.route("/coaching/templates")
@role_required("coach")
def templates():
    return templates_page(forms.TemplateForm(formdata=None))


def templates_page(form, status=200):
    """The list (shared by every coach of the organisation: a page at a time) beside the new-template form."""
    page = paginate(PlanTemplate.select().order_by(PlanTemplate.name, PlanTemplate.id))
    return render_template("coaching/templates.html", page=page, templates=page.items, form=form), status


@bp.route("/coaching/templates/new", methods=["POST"], defaults={"template_id": None})
@bp.route("/coaching/templates/<int:template_id>", methods=["GET", "POST"])
@role_required("coach")
def template(template_id):
    item = get_or_404(PlanTemplate, PlanTemplate.id == template_id) if template_id else None
    form = forms.TemplateForm(obj=item)
    if request.method == "POST" and form.validate_on_submit():
        saved = attempt(form, service.save_template, current_user, item, form.name.data, form.description.data)
        if saved:
            flash(f"{saved.name} is saved.", "success")
            return redirect(url_for("plan_templates.template", template_id=saved.id))
    return render_template_page(item, form, status=400 if request.method == "POST" else 200)


def render_template_page(item, form, goal_form=None, action_form=None, status=200):
    goal_form = goal_form or forms.TemplateGoalForm(formdata=None)
    action_form = action_form or forms.ActionForm(formdata=None)
    goal_form.competency.choices = competency_choices()
    action_form.fill_choices()
    if item is None:
        return templates_page(form, status)
    return render_template("coaching/template.html", template=item, form=form, goal_form=goal_form,
                           action_form=action_form, goals=list(item.goals), actions=list(item.actions)), status


@bp.route("/coaching/templates/<int:template_id>/goals", methods=["POST"])
@bp.route("/coaching/templates/<int:template_id>/actions", methods=["POST"], endpoint="template_action")
@role_required("coach")
def template_goal(template_id):
    item = get_or_404(PlanTemplate, PlanTemplate.id == template_id)
    is_goal = request.endpoint == "plan_templates.template_goal"
    form = forms.TemplateGoalForm() if is_goal else forms.ActionForm()
    if is_goal:
        form.competency.choices = competency_choices()
        args = (form.competency.data, form.what_good_looks_like.data, form.target_level.data, form.due_after_days.data)
        change = service.add_template_goal
    else:
        form.fill_choices()
        args = (form.kind.data, form.title.data, form.series.data or None, form.module_id.data or None)
        change = service.add_template_action
    if form.validate_on_submit() and attempt(form, change, current_user, item, *args):
        flash("Added to the template.", "success")
        return redirect(url_for("plan_templates.template", template_id=item.id))
    refused = {"goal_form": form} if is_goal else {"action_form": form}
    return render_template_page(item, forms.TemplateForm(obj=item), status=400, **refused)


@bp.route("/coaching/templates/<int:template_id>/remove", methods=["POST"])
@role_required("coach")
def template_remove(template_id):
    """Remove one goal (`goal=<id>`) or action (`action=<id>`) from a template."""
    item = get_or_404(PlanTemplate, PlanTemplate.id == template_id)
    model, item_id = (TemplateGoal, request.form.get("goal", type=db_int)) if "goal" in request.form else \
        (TemplateAction, request.form.get("action", type=db_int))
    part = model.get_or_none(model.id == item_id, model.template == item)
    if part is not None:
        service.remove_template_item(current_user, part)
        flash("Removed from the template.", "success")
    return redirect(url_for("plan_templates.template", template_id=item.id))


@bp.route("/coaching/templates/<int:template_id>/assign", methods=["GET", "POST"])
@role_required("coach")
def assign_template(template_id):
    """A plan from the template for a whole team or chosen people; the page lists who got one."""
    item = get_or_404(PlanTemplate, PlanTemplate.id == template_id)
    people = list(plan_batch.assignable_people(current_user))
    teams = sorted({u.team for u in people}, key=lambda t: t.name)
    today = utcnow().date()
    form = forms.AssignTemplateForm(teams=teams, people=people, cohorts=list(visible_cohorts(current_user)), data={
        "team_id": teams[0].id if len(teams) == 1 else 0, "title": item.name, "start_date": today,
        "review_date": today + timedelta(days=90)})
    assigned = None
    if form.validate_on_submit():
        team = Team.get_or_none(Team.id == form.team_id.data) if form.team_id.data else None
        cohort = Cohort.get_or_none(Cohort.id == form.cohort_id.data) if form.cohort_id.data else None
        assigned = attempt(form, plan_batch.assign_template, current_user, item, form.title.data, form.start_date.data,
                           form.review_date.data, team, form.user_ids.data or [], cohort)
    status = 400 if request.method == "POST" and assigned is None else 200
    return render_template("coaching/template_assign.html", template=item, form=form, assigned=assigned), status

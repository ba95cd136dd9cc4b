"""`/coaching` (overview, requests, people), `/plans/<id>`; check-in pages are
`checkin_routes.py`'s blueprint and plan templates `template_routes.py`'s. Every object goes through
`access`; what a person may not see is a 404."""
from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import User
from learning.coaching import access, coaching_csv, forms, plan_page, rating_grid, service
from learning.coaching.checkins import schedule_checkin, upcoming_checkins
from learning.coaching.models import GOAL_LABELS, Action, Goal, Plan, PlanTemplate, SupportRequest, SupportRequestCompetency
from learning.coaching.ratings import latest_levels, rate, rating_history
from learning.competencies.models import Competency
from learning.competencies.service import choices as competency_choices
from learning.csv_files import csv_response, wants_csv
from learning.db import utcnow
from learning.forms_common import db_int
from learning.web import attempt, employee, int_arg, paginate, role_required, visible_or_404

bp = Blueprint("coaching", __name__)


@bp.route("/coaching")
@employee
def overview():
    user = current_user
    if wants_csv():
        return overview_csv(user)
    context = {"my_requests": list(access.visible_requests(user).where(SupportRequest.employee == user)
                                   .order_by(SupportRequest.created_at.desc()).limit(10)),
               "my_plans": list(Plan.select().where(Plan.employee == user).order_by(Plan.start_date.desc())),
               "checkins": upcoming_checkins(user)}
    if user.is_coach:
        context["open_requests"] = paginate(access.coached_open_requests(user), arg="requests")
        context["grid_teams"] = rating_grid.coached_teams(user)
        context["filters"] = filters = plan_filters(user)
        context["plans"] = paginate(listed_plans(user, filters))
        context["filtered"] = any(filters[name].data for name in PLAN_FILTERS)
    return render_template("coaching/overview.html", now=utcnow(), **context)


def listed_plans(user, filters):
    """A coach's plan list: the plans they may see but their own, as filtered."""
    plans = access.visible_plans(user).where(Plan.employee != user)
    if not filters.errors:
        plans = service.filter_plans(plans, *(filters[name].data for name in PLAN_FILTERS))
    return plans.order_by(Plan.status, Plan.review_date, Plan.id)


def overview_csv(user):
    """`?list=checkins`: every check-in the person may see; `?list=plans`: a coach's plan list as
    filtered, or a person's own plans."""
    listed = request.args.get("list")
    if listed == "checkins":
        return csv_response("checkins.csv", coaching_csv.CHECKIN_COLUMNS, coaching_csv.checkin_rows(user))
    if listed != "plans":
        abort(404)
    if user.is_coach:
        plans = listed_plans(user, plan_filters(user))
    else:
        plans = access.visible_plans(user).where(Plan.employee == user).order_by(Plan.start_date.desc(), Plan.id)
    return csv_response("plans.csv", coaching_csv.PLAN_COLUMNS, coaching_csv.plan_rows(plans))


PLAN_FILTERS = ("status", "overdue", "person", "competency")   # filter_plans' arguments, in order


def plan_filters(user):
    """The plan list's filter form from the query string (a person is found by a part of their name)."""
    form = forms.PlanFilterForm(request.args)
    form.competency.choices = [(None, "Any competency")] + competency_choices()
    form.validate()
    return form


# --- support requests ---------------------------------------------------------

@bp.route("/coaching/requests/new", methods=["GET", "POST"])
@employee
def new_request():
    form = forms.RequestForm()
    form.competencies.choices = competency_choices()
    if form.validate_on_submit():
        if attempt(form, service.ask_for_support, current_user, form.competencies.data, form.description.data):
            flash("Your request is with your team's coaches.", "success")
            return redirect(url_for("coaching.overview"))
    return render_template("coaching/request_form.html", form=form)


@bp.route("/coaching/requests/<int:request_id>")
@employee
def show_request(request_id):
    support = visible_or_404(SupportRequest, request_id, access.can_view_request)
    competencies = (Competency.select().join(SupportRequestCompetency)
                    .where(SupportRequestCompetency.request == support).order_by(Competency.name))
    can_answer = support.is_open and access.can_coach(current_user, support.employee)
    accept = forms.AcceptForm()
    accept.plan.choices = [(p.id, p.title) for p in Plan.select().where(
        Plan.employee == support.employee, Plan.status != "completed").order_by(Plan.start_date.desc())]
    return render_template("coaching/request.html", support=support, competencies=list(competencies),
                           can_answer=can_answer, answer_form=forms.AnswerForm(), accept_form=accept)


@bp.route("/coaching/requests/<int:request_id>/answer", methods=["POST"])
@employee
def answer_request(request_id):
    support = visible_or_404(SupportRequest, request_id, lambda user, r: access.can_coach(user, r.employee))
    form = forms.AnswerForm()
    if form.validate_on_submit() and attempt(form, service.answer_request, current_user, support, form.answer.data):
        flash("Your answer is sent.", "success")
    else:
        flash(" ".join(form.answer.errors + form.form_errors) or "Write your answer.", "error")
    return redirect(url_for("coaching.show_request", request_id=support.id))


@bp.route("/coaching/requests/<int:request_id>/accept", methods=["POST"])
@employee
def accept_request(request_id):
    support = visible_or_404(SupportRequest, request_id, lambda user, r: access.can_coach(user, r.employee))
    form = forms.AcceptForm()
    plan = Plan.get_or_none(Plan.id == form.plan.data) if form.plan.data else None
    if plan is None:
        flash("Choose one of the employee's plans.", "error")
        return redirect(url_for("coaching.show_request", request_id=support.id))
    if attempt(form, service.accept_into_plan, current_user, support, plan, form.answer.data):
        flash(f"The request is added to “{plan.title}”.", "success")
        return redirect(url_for("coaching.show_plan", plan_id=plan.id))
    flash(" ".join(form.form_errors + form.plan.errors), "error")
    return redirect(url_for("coaching.show_request", request_id=support.id))


# --- plans ----------------------------------------------------------------------

@bp.route("/coaching/plans/new", methods=["GET", "POST"])
@role_required("coach")
def new_plan():
    support = SupportRequest.get_or_none(SupportRequest.id == request.args.get("request", type=db_int))
    if support is not None and not (support.is_open and access.can_coach(current_user, support.employee)):
        abort(404)
    form = forms.PlanForm()
    form.employee.choices = [(p.id, p.display_name) for p in service.coachable_people(current_user)]
    form.competencies.choices = competency_choices()
    form.template.choices = [(0, "No template")] + [(t.id, t.name) for t in PlanTemplate.select().order_by(PlanTemplate.name)]
    template = start_from_template(form, support)
    if form.validate_on_submit():
        person = User.get_or_none(User.id == form.employee.data)
        plan = person and attempt(form, service.create_plan, current_user, person, form.title.data,
                                  form.competencies.data, form.start_date.data, form.review_date.data,
                                  template=template, request=support)
        if plan:
            flash(f"The plan is assigned to {person.display_name}.", "success")
            return redirect(url_for("coaching.show_plan", plan_id=plan.id))
    return render_template("coaching/plan_form.html", form=form, plan=None, support=support, template=template)


def start_from_template(form, support):
    """Fill a new plan's form: dates, the person, and from a support request or a template
    (`?template=<id>` or the form's choice) its title and focus competencies. A template's
    goals name the competencies, so a plan from a template never lacks one."""
    chosen = form.template.data if request.method == "POST" else request.args.get("template", type=db_int)
    template = PlanTemplate.get_or_none(PlanTemplate.id == chosen) if chosen else None
    if request.method == "GET":
        today = utcnow().date()
        form.start_date.data, form.review_date.data = today, today + timedelta(days=90)
        form.employee.data = support.employee_id if support else request.args.get("employee", type=db_int)
        if support:
            form.competencies.data = service.request_competency_ids(support)
            form.title.data = "Support plan"
        if template:
            form.template.data = template.id
            form.title.data = form.title.data or template.name
    if template and not form.competencies.data:
        form.competencies.data = service.template_competency_ids(template)
    return template


@bp.route("/plans/<int:plan_id>")
@employee
def show_plan(plan_id):
    plan = plan_page.plan_or_none(plan_id)
    if plan is None or not access.can_view_plan(current_user, plan):
        abort(404)
    return render_plan(plan)


def render_plan(plan, status=200, **refused_forms):
    """The plan page; a refused form comes back with its messages (nothing written)."""
    contents = plan_page.plan_contents(plan)
    if refused_forms:
        flash("Please correct the fields marked below. Nothing was saved.", "error")
    can_manage = access.can_manage_plan(current_user, plan)
    actions = contents["actions"]
    return render_template("coaching/plan.html", plan=plan, **contents,
                           module_titles=service.module_titles([a.module_id for a in actions if a.module_id]),
                           goal_labels=GOAL_LABELS, can_manage=can_manage,
                           can_schedule=access.can_coach(current_user, plan.employee), now=utcnow(),
                           **_plan_forms(refused_forms, adding=can_manage and not plan.is_completed)), status


def _plan_forms(refused, adding):
    """The plan page's forms; the goal and action choices (competencies, every active series,
    modules, open cohorts) are read only when the page shows those forms (`adding`)."""
    def pick(name, form_class):
        return refused[name] if name in refused else form_class(formdata=None)
    goal, action = pick("goal_form", forms.GoalForm), pick("action_form", forms.ActionForm)
    checkin = pick("checkin_form", forms.CheckInForm)
    if adding:
        goal.competency.choices = competency_choices()
        action.fill_choices()
    return {"goal_form": goal, "action_form": action, "checkin_form": checkin,
            "ack_form": pick("ack_form", forms.AcknowledgeForm),
            "status_choices": list(GOAL_LABELS.items())}


def plan_change(plan_id, rule, form_name, form, change, values, success="Saved."):
    """POST handler shape shared by the plan page's forms: `rule(user, plan)` decides who may post."""
    plan = visible_or_404(Plan, plan_id, rule)
    if hasattr(form, "competency"):
        form.competency.choices = competency_choices()
    if hasattr(form, "fill_choices"):
        form.fill_choices()
    if form.validate_on_submit() and attempt(form, change, current_user, plan, *values(form)) is not None:
        flash(success, "success")
        return redirect(url_for("coaching.show_plan", plan_id=plan.id))
    return render_plan(plan, 400, **{form_name: form})


@bp.route("/plans/<int:plan_id>/goals", methods=["POST"])
@employee
def add_goal(plan_id):
    return plan_change(plan_id, access.can_manage_plan, "goal_form", forms.GoalForm(), service.add_goal,
                       lambda f: (f.competency.data, f.what_good_looks_like.data, f.target_level.data, f.due_date.data),
                       success="The goal is added.")


@bp.route("/plans/<int:plan_id>/actions", methods=["POST"])
@employee
def add_action(plan_id):
    return plan_change(plan_id, access.can_manage_plan, "action_form", forms.ActionForm(), service.add_action,
                       lambda f: (f.kind.data, f.title.data, f.series.data or None, f.module_id.data or None,
                                  f.cohort_id.data or None, f.override_note.data),
                       success="The action is added.")


@bp.route("/plans/<int:plan_id>/checkins", methods=["POST"])
@employee
def add_checkin(plan_id):
    def values(form):
        return (datetime.combine(form.date.data, form.time.data), form.duration.data, form.video_url.data)
    return plan_change(plan_id, lambda user, plan: access.can_coach(user, plan.employee), "checkin_form", forms.CheckInForm(), schedule_checkin, values,
                       success="The check-in is scheduled.")


@bp.route("/plans/<int:plan_id>/acknowledge", methods=["POST"])
@employee
def acknowledge_plan(plan_id):
    return plan_change(plan_id, lambda user, plan: user.id == plan.employee_id, "ack_form", forms.AcknowledgeForm(),
                       lambda user, plan, comment: service.acknowledge_plan(user, plan, comment),
                       lambda f: (f.comment.data,), success="Thank you: your coach sees that you have read the plan.")


@bp.route("/plans/<int:plan_id>/status", methods=["POST"])
@employee
def plan_status(plan_id):
    plan = visible_or_404(Plan, plan_id, access.can_manage_plan)
    form = forms.StatusForm()
    if form.validate_on_submit() and attempt(form, service.set_plan_status, current_user, plan, form.status.data):
        flash(f"The plan is {form.status.data}.", "success")
    else:
        flash("Choose active, paused or completed.", "error")
    return redirect(url_for("coaching.show_plan", plan_id=plan.id))


@bp.route("/coaching/goals/<int:goal_id>/status", methods=["POST"])
@employee
def goal_status(goal_id):
    goal = visible_or_404(Goal, goal_id, lambda user, g: access.can_manage_plan(user, g.plan))
    return _item_status(goal, service.set_goal_status)


@bp.route("/coaching/actions/<int:action_id>/status", methods=["POST"])
@employee
def action_status(action_id):
    action = visible_or_404(Action, action_id, lambda user, a: access.can_manage_plan(user, a.plan))
    return _item_status(action, service.set_action_status)


def _item_status(item, change):
    form = forms.StatusForm()
    if form.validate_on_submit() and attempt(form, change, current_user, item, form.status.data):
        flash("The status is changed.", "success")
    else:
        flash(" ".join(form.form_errors + form.status.errors) or "Choose a status.", "error")
    return redirect(url_for("coaching.show_plan", plan_id=item.plan_id))


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@employee
def edit_plan(plan_id):
    plan = visible_or_404(Plan, plan_id, access.can_manage_plan)
    form = forms.PlanForm(obj=plan)
    form.employee.choices = [(plan.employee_id, plan.employee.display_name)]
    form.employee.data = plan.employee_id
    form.template.choices = [(0, "—")]
    form.competencies.choices = competency_choices()
    if request.method == "GET":
        form.competencies.data = [link.competency_id for link in plan.competency_links]
    if form.validate_on_submit() and attempt(form, service.update_plan, current_user, plan, form.title.data,
                                             form.competencies.data, form.start_date.data, form.review_date.data):
        flash("The plan is saved.", "success")
        return redirect(url_for("coaching.show_plan", plan_id=plan.id))
    return render_template("coaching/plan_form.html", form=form, plan=plan, support=None)
# --- a person's coaching record: ratings over time ---------------------------

@bp.route("/coaching/people/<int:person_id>")
@employee
def person(person_id):
    person = visible_or_404(User, person_id, access.can_view_person)
    if wants_csv():
        return csv_response(f"ratings-{person.id}.csv", coaching_csv.RATING_COLUMNS, coaching_csv.rating_rows(person))
    return render_person(person, forms.RatingForm(formdata=None), added=int_arg("added", 0))


def render_person(person, form, status=200, added=0):
    form.competency.choices = competency_choices()
    if form.rated_on.data is None:
        form.rated_on.data = utcnow().date()
    history = rating_history(person)
    can_rate = person.id == current_user.id or access.can_coach(current_user, person)
    return render_template("coaching/person.html", person=person, history=history, latest=latest_levels(history),
                           added=added,
                           plans=service.plans_of(person), form=form, can_rate=can_rate,
                           can_plan=access.can_coach(current_user, person)), status


@bp.route("/coaching/people/<int:person_id>/ratings", methods=["POST"])
@employee
def add_rating(person_id):
    person = visible_or_404(User, person_id, lambda user, p: user.id == p.id or access.can_coach(user, p))
    form = forms.RatingForm()
    form.competency.choices = competency_choices()
    rating = form.validate_on_submit() and attempt(
        form, rate, current_user, person, form.competency.data, form.level.data,
        form.rated_on.data, form.evidence.data, form.evidence_url.data)
    if rating:
        flash(f"Added: {rating.competency.name}, level {rating.level}, "
              f"{rating.rated_on.strftime('%d %b %Y')} ({rating.source}).", "success")
        return redirect(url_for("coaching.person", person_id=person.id, added=rating.id, _anchor=f"rating-{rating.id}"))
    return render_person(person, form, 400)

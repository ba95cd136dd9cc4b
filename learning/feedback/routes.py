"""`/operations` (the operations page and its CSV, for coaches and admins),
`/operations/items/<id>` (an item, its cases and history; its status),
`/sessions/<id>/operations-feedback` (a meetup raises an item from its cases) and
`/admin/causes` (admins keep the list of root causes)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.cases.causes import all_causes, cause_choices, save_cause
from learning.cases.meetups import meetup_or_none
from learning.cases.models import Cause
from learning.db import utcnow
from learning.feedback import figures, service
from learning.feedback.forms import CauseForm, RaiseItemForm, StatusForm
from learning.progress.exports import csv_response_if_asked
from learning.web import attempt, employee, get_or_404, paginate, role_required, viewer_zone

bp = Blueprint("feedback", __name__)


@bp.route("/operations")
@role_required("coach")
def operations():
    causes_table, avoidable_chart, as_of = figures.causes_by_month(viewer_zone())
    context = {"causes_table": causes_table, "avoidable_chart": avoidable_chart,
               "fixed_table": figures.fixed_per_quarter(viewer_zone())}
    return csv_response_if_asked(context, "operations") or render_template(
        "feedback/operations.html", items=paginate(service.unresolved_items()), now=utcnow(), as_of=as_of,
        live_this_month=True, this_month=causes_table.headers[-3],
        summary_minutes=current_app.config["PROGRESS_SUMMARY_MAX_AGE_MINUTES"], **context)


@bp.route("/sessions/<int:session_id>/operations-feedback", methods=["GET", "POST"])
@employee
def raise_item(session_id):
    session = meetup_or_none(session_id)
    if session is None or not service.may_raise(current_user, session):
        abort(404)
    cases = service.meetup_cases(session)
    form = RaiseItemForm()
    form.cause.choices = [("", "Choose a cause")] + cause_choices()
    form.cases.choices = [(case.id, case.title) for case in cases]
    if request.method == "GET":
        form.cases.data = [int(i) for i in request.args.getlist("case") if i.isdigit()]
        form.cause.data = next((case.cause_id for case in cases if case.id in form.cases.data and case.cause_id), None)
    if form.validate_on_submit():
        item = attempt(form, service.raise_item, current_user, session, form.title.data, form.cause.data,
                       form.owner.data, form.cases.data, form.note.data or "")
        if item is not None:
            flash("The feedback item is raised; the people who brought its cases are told.", "success")
            return redirect(url_for("feedback.item", feedback_id=item.id))
    return render_template("feedback/raise.html", form=form, session=session, cases=cases)


@bp.route("/operations/items/<int:feedback_id>")
@employee
def item(feedback_id):
    found = service.item_or_404(current_user, feedback_id)
    return render_template("feedback/item.html", item=found, cases=service.linked_cases(current_user, found),
                           history=service.history(found), status_form=StatusForm(formdata=None, status=found.status),
                           may_change=service.may_change_status(current_user, found))


@bp.route("/operations/items/<int:feedback_id>/status", methods=["POST"])
@employee
def item_status(feedback_id):
    found = service.item_or_404(current_user, feedback_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(" ".join(form.status.errors + form.note.errors) or "The status could not be changed.", "error")
    elif attempt(None, service.change_status, current_user, found.id, form.status.data, form.note.data or ""):
        flash("Status changed; the people who brought its cases are told.", "success")
    return redirect(url_for("feedback.item", feedback_id=found.id))


@bp.route("/admin/causes", methods=["GET", "POST"])
@role_required("admin")
def causes():
    form = CauseForm()
    if form.validate_on_submit() and attempt(form, save_cause, None, form.name.data, form.description.data or ""):
        flash("The cause is added to the list.", "success")
        return redirect(url_for("feedback.causes"))
    return render_template("feedback/causes.html", causes=all_causes(), form=form)


@bp.route("/admin/causes/<int:cause_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_cause(cause_id):
    cause = get_or_404(Cause, Cause.id == cause_id)
    form = CauseForm(obj=cause)
    if form.validate_on_submit() and attempt(form, save_cause, cause, form.name.data, form.description.data or "",
                                             form.retired.data):
        flash("The cause is saved.", "success")
        return redirect(url_for("feedback.causes"))
    return render_template("feedback/cause_edit.html", cause=cause, form=form)

"""`/checkins/<id>`: the check-in page, moving and cancelling, agenda, notes,
agreed actions and the employee's acknowledgement."""
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from learning.coaching import access, checkins, forms
from learning.coaching.models import CheckIn
from learning.db import utcnow
from learning.timezones import to_local
from learning.web import attempt, employee, visible_or_404

bp = Blueprint("checkins", __name__)


@bp.route("/checkins/<int:checkin_id>")
@employee
def show_checkin(checkin_id):
    return render_checkin(visible_or_404(CheckIn, checkin_id, access.can_view_checkin))


def render_checkin(checkin, status=200, **refused):
    def pick(name, form_class):
        return refused[name] if name in refused else form_class(formdata=None)
    move = pick("move_form", forms.CheckInForm)
    if "move_form" not in refused:
        local = to_local(checkin.starts_at, checkin.timezone)
        move.date.data, move.time.data = local.date(), local.time()
        move.duration.data = int((checkin.ends_at - checkin.starts_at).total_seconds() // 60)
        move.video_url.data = checkin.video_url
    agreed = pick("agreed_form", forms.AgreedForm)
    if "agreed_form" not in refused:
        agreed.agreed_actions.data = checkin.agreed_actions
    if refused:
        flash("Please correct the fields marked below. Nothing was saved.", "error")
    user = current_user
    return render_template(
        "coaching/checkin.html", checkin=checkin, plan=checkin.plan, agenda=checkins.agenda_for(checkin),
        notes=checkins.notes_for(user, checkin), is_coach=access.can_coach(user, checkin.employee),
        can_take_part=access.can_take_part(user, checkin), is_employee=user.id == checkin.employee_id,
        can_write_private=access.can_read_private_notes(user, checkin.employee), now=utcnow(),
        move_form=move, agreed_form=agreed, agenda_form=pick("agenda_form", forms.AgendaForm),
        note_form=pick("note_form", forms.NoteForm), ack_form=pick("ack_form", forms.AcknowledgeForm)), status


def as_coach(user, checkin):
    return access.can_coach(user, checkin.employee)


def as_employee(user, checkin):
    return user.id == checkin.employee_id


def checkin_change(checkin_id, rule, form_name, form, change, values, success):
    """POST handler shape shared by the check-in page's forms: `rule(user, checkin)` decides who may post."""
    checkin = visible_or_404(CheckIn, checkin_id, rule)
    if form.validate_on_submit() and attempt(form, change, current_user, checkin, *values(form)) is not None:
        flash(success, "success")
        return redirect(url_for("checkins.show_checkin", checkin_id=checkin.id))
    return render_checkin(checkin, 400, **{form_name: form})


@bp.route("/checkins/<int:checkin_id>/move", methods=["POST"])
@employee
def move_checkin(checkin_id):
    def values(form):
        return datetime.combine(form.date.data, form.time.data), form.duration.data, form.video_url.data
    return checkin_change(checkin_id, as_coach, "move_form", forms.CheckInForm(), checkins.move_checkin, values,
                          "The check-in is moved.")


@bp.route("/checkins/<int:checkin_id>/cancel", methods=["POST"])
@employee
def cancel_checkin(checkin_id):
    return checkin_change(checkin_id, as_coach, "cancel_form", forms.CancelForm(), checkins.cancel_checkin,
                          lambda form: (), "The check-in is cancelled.")


@bp.route("/checkins/<int:checkin_id>/agenda", methods=["POST"])
@employee
def add_agenda_item(checkin_id):
    return checkin_change(checkin_id, access.can_take_part, "agenda_form", forms.AgendaForm(), checkins.add_agenda_item,
                          lambda form: (form.text.data,), "Added to the agenda.")


@bp.route("/checkins/<int:checkin_id>/notes", methods=["POST"])
@employee
def add_note(checkin_id):
    return checkin_change(checkin_id, access.can_take_part, "note_form", forms.NoteForm(), checkins.add_note,
                          lambda form: (form.body.data, form.private.data), "The note is saved.")


@bp.route("/checkins/<int:checkin_id>/agreed", methods=["POST"])
@employee
def record_agreed(checkin_id):
    return checkin_change(checkin_id, as_coach, "agreed_form", forms.AgreedForm(), checkins.record_agreed_actions,
                          lambda form: (form.agreed_actions.data,), "The agreed actions are saved.")


@bp.route("/checkins/<int:checkin_id>/acknowledge", methods=["POST"])
@employee
def acknowledge(checkin_id):
    return checkin_change(checkin_id, as_employee, "ack_form", forms.AcknowledgeForm(), checkins.acknowledge_checkin,
                          lambda form: (form.agreed.data, form.comment.data), "Your coach sees your answer.")

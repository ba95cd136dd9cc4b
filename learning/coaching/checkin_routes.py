"""`/checkins/<id>`: the check-in page, moving and cancelling, agenda (with items carried
from a series' earlier check-ins), notes, agreed actions and the employee's acknowledgement;
`/coaching/checkin-series`: recurring check-ins, set up for whole teams in one form."""
from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.accounts.service import coached_team_ids
from learning.coaching import access, checkin_series, checkins, forms
from learning.coaching.models import CheckIn, CheckInAgendaItem, CheckInSeries
from learning.coaching.service import coachable_people
from learning.db import utcnow
from learning.timezones import to_local
from learning.web import attempt, employee, paginate, role_required, visible_or_404

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
    move.time.label.text = "Time"    # the hint names the check-in's zone: a series keeps the person's
    agreed = pick("agreed_form", forms.AgreedForm)
    if "agreed_form" not in refused:
        agreed.agreed_actions.data = checkin.agreed_actions
    if refused:
        flash("Please correct the fields marked below. Nothing was saved.", "error")
    user = current_user
    return render_template(
        "coaching/checkin.html", checkin=checkin, plan=checkin.plan, agenda=checkins.agenda_for(checkin),
        carried=checkin_series.carried_items(checkin),
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


@bp.route("/checkins/<int:checkin_id>/agenda/<int:agenda_item_id>/done", methods=["POST"])
@employee
def agenda_item_done(checkin_id, agenda_item_id):
    """Tick an agenda item off (done=1) or open it again (done=0); open items of a series carry on."""
    checkin = visible_or_404(CheckIn, checkin_id, access.can_take_part)
    item = visible_or_404(CheckInAgendaItem, agenda_item_id, lambda user, i: checkin_series.shows_on(i, checkin))
    form = forms.AgendaDoneForm()
    if form.validate_on_submit() and attempt(form, checkin_series.mark_agenda_item_done, current_user, checkin, item,
                                             form.done.data == "1") is not None:
        flash("Marked done." if item.done_at else "Open again: it carries to the next check-in.", "success")
    else:
        flash("Choose done or open.", "error")
    return redirect(url_for("checkins.show_checkin", checkin_id=checkin.id) + "#agenda")


# --- recurring check-ins ------------------------------------------------------------

@bp.route("/coaching/checkin-series")
@role_required("coach")
def checkin_series_list():
    page = paginate(checkin_series.series_of_coach(current_user))
    return render_template("coaching/checkin_series.html", page=page, labels=checkin_series.interval_label,
                           next_checkins=checkin_series.next_checkins([s.id for s in page.items]))


@bp.route("/coaching/checkin-series/new", methods=["GET", "POST"])
@role_required("coach")
def new_checkin_series():
    form = forms.CheckInSeriesForm()
    form.teams.choices = [(t.id, t.name) for t in Team.select().where(Team.id.in_(coached_team_ids(current_user)))
                          .order_by(Team.name)]
    form.people.choices = [(p.id, p.display_name) for p in coachable_people(current_user)]
    if request.method == "GET":
        form.first_day.data = utcnow().date() + timedelta(days=7)
        form.time.data, form.until.data = time(10, 0), form.first_day.data + timedelta(days=182)
    if form.validate_on_submit():
        result = attempt(form, checkin_series.start_checkin_series, current_user, form.teams.data, form.people.data,
                         form.first_day.data, form.time.data, form.interval_weeks.data, form.until.data,
                         form.duration.data)
        if result:
            started, skipped = result
            flash(series_message(started, skipped), "success")
            return redirect(url_for("checkins.checkin_series_list"))
    return render_template("coaching/checkin_series_form.html", form=form), 400 if form.errors else 200


def series_message(started, skipped):
    message = f"Recurring check-ins set up for {len(started)} {'person' if len(started) == 1 else 'people'}."
    if skipped:
        message += " Already running, left as they were: " + ", ".join(p.display_name for p in skipped) + "."
    return message


@bp.route("/coaching/checkin-series/<int:checkin_series_id>/stop", methods=["POST"])
@employee
def stop_checkin_series(checkin_series_id):
    series = visible_or_404(CheckInSeries, checkin_series_id, checkin_series.can_stop)
    form = forms.CancelForm()
    if form.validate_on_submit() and attempt(form, checkin_series.stop_checkin_series, current_user, series) is not None:
        flash(f"The check-ins with {series.employee.display_name} are stopped; the coming ones are cancelled.", "success")
    return redirect(url_for("checkins.checkin_series_list"))

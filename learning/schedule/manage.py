"""Coaches' and facilitators' schedule pages: /series/new, a series from a date on, one
occurrence (move, cancel, capacity, RSVPs, people) and the attendance screen."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import User
from learning.db import utcnow
from learning.forms_common import DB_INT_MAX, apply_service_error, db_int
from learning.schedule import attendance, editing, service
from learning.schedule.forms import CapacityForm, SeriesForm, SessionForm
from learning.schedule.models import Series, SeriesCompetency, SeriesFacilitator, Session
from learning.schedule.recurrence import RuleError, form_values, next_occurrences
from learning.schedule.routes import bp, load_session, managed_series_or_404, require_manager
from learning.timezones import to_local
from learning.web import employee, role_required


def preview_of(form):
    """The next wall-clock starts the form's rule gives, or None."""
    first, rule = form.first_start_local(), form.rule()
    if first is None or rule is None:
        return None
    try:
        return next_occurrences(rule, first)
    except RuleError as error:
        form.pattern.errors = list(form.pattern.errors) + [str(error)]
        return None


def save_series_form(form, save):
    """Validate, then preview or save through `save(fields)`. Returns the saved result or None."""
    if request.method != "POST" or not form.validate():
        return None
    preview = preview_of(form)
    if "preview" in request.form or preview is None:
        form.preview = preview
        return None
    try:
        return save(form.series_fields())
    except service.NeedsConfirmation as asked:
        form.needs_confirmation = str(asked)
        apply_service_error(form, asked)
    except service.ScheduleError as error:
        apply_service_error(form, error)
    return None


@bp.route("/series/new", methods=["GET", "POST"])
@role_required("coach")
def new_series():
    form = SeriesForm(timezone=current_user.timezone, facilitator_ids=[current_user.id],
                      teams=service.plannable_teams(current_user))
    created = save_series_form(form, lambda fields: service.create_series(
        created_by=current_user, kind=form.kind.data, **fields))
    if created:
        past = created.sessions.where(Session.starts_at <= utcnow()).first()
        if past is not None:   # a one-off that already happened: what is left to do is its attendance
            flash("The past session is recorded: now record who attended.", "success")
            return redirect(url_for("schedule.session_attendance", session_id=past.id))
        flash(f"Series created with {created.sessions.count()} session(s).", "success")
        return redirect(url_for("schedule.series", series_id=created.id))
    return render_template("schedule/series_form.html", form=form, series=None, from_session=None)


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@role_required("coach")
def edit_series(series_id):
    item = managed_series_or_404(series_id)
    start = (Session.get_or_none(Session.id == request.args.get("from", type=db_int), Session.series == item)
             or item.sessions.where(Session.starts_at > utcnow()).order_by(Session.starts_at).first())
    if start is None:
        flash("This series has no future session to change.", "error")
        return redirect(url_for("schedule.series", series_id=item.id))
    teams = list(service.plannable_teams(current_user))
    if item.team is not None and item.team not in teams:
        teams.append(item.team)   # a facilitator keeps the series' team; they cannot move it elsewhere
    form = SeriesForm(obj=item, data=None if request.method == "POST" else series_defaults(item, start), teams=teams)
    result = save_series_form(form, lambda fields: editing.edit_series_from(
        item, start.recurrence_local.date(), confirm=form.confirm.data, **fields))
    if result:
        flash(f"Series updated: {result['changed']} changed, {result['added']} added, "
              f"{result['removed']} removed.", "success")
        return redirect(url_for("schedule.series", series_id=item.id))
    return render_template("schedule/series_form.html", form=form, series=item, from_session=start)


def series_defaults(series, start):
    local = to_local(start.starts_at, series.timezone)
    end = to_local(start.ends_at, series.timezone)
    rule = form_values(series.rrule)
    if "count" in rule:   # the sessions left from this one on
        rule["count"] = series.sessions.where(Session.recurrence_local >= start.recurrence_local).count()
    return {"start_date": local.date(), "start_time": local.time(), "end_time": end.time(),
            "team_id": series.team_id or 0, **rule,
            "facilitator_ids": [f.user_id for f in SeriesFacilitator.select().where(SeriesFacilitator.series == series)],
            "competency_ids": [c.competency_id for c in SeriesCompetency.select().where(SeriesCompetency.series == series)]}


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@employee
def edit_session(session_id):
    item = load_session(session_id)
    require_manager(item)
    local, end = to_local(item.starts_at, item.timezone), to_local(item.ends_at, item.timezone)
    form = SessionForm(obj=item, data=None if request.method == "POST" else {
        "start_date": local.date(), "start_time": local.time(), "end_time": end.time(),
        "facilitator_id": item.facilitator_id or 0})
    if form.validate_on_submit():
        try:
            editing.edit_session(item, form.first_start_local(), form.duration_minutes(),
                                 (form.location.data or "").strip(), (form.video_url.data or "").strip(),
                                 form.facilitator_id.data or None)
            flash("Session updated; people holding places are told.", "success")
            return redirect(url_for("schedule.session", session_id=item.id))
        except service.ScheduleError as error:
            apply_service_error(form, error)
    return render_template("schedule/session_edit.html", item=item, form=form,
                           capacity_form=CapacityForm(capacity=item.capacity), holders=service.holders(item),
                           people=User.select().where(User.active == True).order_by(User.display_name))  # noqa: E712


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@employee
def cancel_session(session_id):
    item = load_session(session_id)
    require_manager(item)
    try:
        if request.form.get("restore"):
            editing.restore_session(item)
        else:
            editing.cancel_session(item, confirm=bool(request.form.get("confirm")))
    except service.NeedsConfirmation as asked:
        return render_template("schedule/confirm.html", item=item, message=str(asked),
                               action=url_for("schedule.cancel_session", session_id=item.id),
                               label="Cancel the session")
    except service.ScheduleError as error:
        flash(str(error), "error")
    return redirect(url_for("schedule.session", session_id=item.id))


@bp.route("/sessions/<int:session_id>/capacity", methods=["POST"])
@employee
def session_capacity(session_id):
    item = load_session(session_id)
    require_manager(item)
    form = CapacityForm()
    if form.validate():
        try:
            promoted = editing.set_capacity(item, form.capacity.data, confirm=form.confirm.data)
            editing.set_rsvp_closed(item, bool(request.form.get("rsvp_closed")))
            flash(f"Seats saved; {len(promoted)} promoted from the waitlist." if promoted else "Seats saved.",
                  "success")
        except service.NeedsConfirmation as asked:
            flash(f"{asked} Tick the box to confirm.", "warning")
        except service.ScheduleError as error:
            flash(str(error), "error")
    else:
        flash("Seats must be a whole number, or empty for no limit.", "error")
    return redirect(url_for("schedule.edit_session", session_id=item.id))


@bp.route("/sessions/<int:session_id>/people", methods=["POST"])
@employee
def session_people(session_id):
    item = load_session(session_id)
    require_manager(item)
    person = User.get_or_none(User.id == request.form.get("user_id", type=db_int))
    try:
        if person is None:
            raise service.ScheduleError("Choose a person from the list.")
        if request.form.get("remove"):
            editing.remove_person(item, person)
            flash(f"{person.display_name} was removed.", "success")
        else:
            place = editing.add_person(item, person)
            flash(f"{person.display_name} is {place.status}.", "success")
    except service.ScheduleError as error:
        flash(str(error), "error")
    return redirect(url_for("schedule.edit_session", session_id=item.id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@employee
def session_attendance(session_id):
    item = load_session(session_id)
    require_manager(item)
    if request.method == "POST":
        marks = {int(key[5:]): value for key, value in request.form.items()
                 if key.startswith("mark-") and key[5:].isdigit() and int(key[5:]) <= DB_INT_MAX}
        walk_ins = [i for i in request.form.getlist("walk_in_ids", type=db_int) if i]
        try:
            recorded = attendance.record_attendance(item, marks, walk_ins)
            flash(f"Attendance saved for {len(recorded)} person(s).", "success")
            return redirect(url_for("schedule.session_attendance", session_id=item.id))
        except service.ScheduleError as error:
            flash(str(error), "error")
    sheet = attendance.attendance_sheet(item)
    present = {p.user_id for p in sheet}
    return render_template("schedule/attendance.html", item=item, sheet=sheet, now=utcnow(),
                           labels=attendance.ATTENDANCE_LABELS,
                           others=[u for u in User.select().where(User.active == True).order_by(User.display_name)  # noqa: E712
                                   if u.id not in present])

"""Schedule pages for everyone: /sessions, /sessions/<id>, RSVP, feedback, /series/<id>,
/my/schedule; and coaches' and facilitators' pages: /series/new, editing a series or one
occurrence, its people and the attendance screen."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import User
from learning.csv_files import csv_response, wants_csv
from learning.db import utcnow
from learning.forms_common import DB_INT_MAX, db_int
from learning.refusals import NeedsConfirmation, Refused
from learning.schedule import attendance, editing, enrolment, service, session_filters
from learning.schedule.forms import (CapacityForm, FeedbackForm, SeriesForm, SessionForm, series_form_defaults,
                                     session_form_defaults)
from learning.schedule.listing import SESSION_COLUMNS, describe_sessions, session_rows
from learning.schedule.models import KIND_LABELS, Rsvp, Series, Session
from learning.schedule.recurrence import next_occurrences
from learning.web import employee, first_or_404, get_or_404, int_arg, paginate, role_required, show_refusal
from learning.wording import count_of

bp = Blueprint("schedule", __name__)
# What a session line shows (schedule/_session_line.html) of a session and its series.
LINE_COLUMNS = (Session.id, Session.series, Session.starts_at, Session.status, Session.location, Session.video_url,
                Session.capacity, Session.facilitator, Series.id, Series.title, Series.kind)


@bp.context_processor
def schedule_labels():
    return {"kinds": KIND_LABELS}


def load_session(session_id):
    return first_or_404(service.session_and_series(session_id))


@bp.route("/sessions")
@employee
def sessions():
    filters = {"kind": request.args.get("kind") if request.args.get("kind") in KIND_LABELS else None,
               "competency_id": int_arg("competency"), "team_id": int_arg("team"),
               "facilitator_id": int_arg("facilitator")}
    query = service.upcoming_sessions_query(**filters).select(*LINE_COLUMNS, Session.ends_at)
    if wants_csv():
        return csv_response("sessions.csv", SESSION_COLUMNS, session_rows(query, current_user))
    page = paginate(query)
    find = session_filters.find_text(request.args)
    found_teams, found_people = session_filters.find_teams_and_facilitators(find) if find else ((), ())
    return render_template(
        "schedule/sessions.html", page=page, lines=describe_sessions(page.items, current_user), filters=filters,
        kinds=KIND_LABELS, find=find, found_teams=found_teams, found_people=found_people,
        limit=session_filters.FOUND_LIMIT,
        **session_filters.filter_choices(current_user, filters))


@bp.route("/sessions/<int:session_id>")
@employee
def session(session_id):
    item = load_session(session_id)
    line = describe_sessions([item], current_user)[0]
    manager = service.can_manage_session(current_user, item)
    holds = line.my_state is not None or (line.place is not None and line.place.attendance)
    ics = "calendars.session_ics" in current_app.view_functions
    return render_template(
        "schedule/session.html", item=item, line=line, manager=manager, now=utcnow(), ics=ics,
        attendees=service.holders(item) if (manager or current_user.is_coach or holds) else None,
        sees_marks=manager or current_user.is_coach,   # peers see who comes, not who was absent
        refusal=service.rsvp_refusal(item, current_user), feedback_form=FeedbackForm(),
        may_rate=attendance.may_give_feedback(item, current_user),
        ratings=attendance.series_feedback([item.id]) if manager else None)


@bp.route("/sessions/<int:session_id>/rsvp", methods=["POST"])
@employee
def rsvp(session_id):
    item = load_session(session_id)
    try:
        if request.form.get("action") == "withdraw":
            service.withdraw(item, current_user)
            flash("You gave up your place.", "success")
        else:
            place = service.rsvp(item, current_user)
            flash("You are going." if place.status == "going" else
                  f"The session is full: you are number {service.waitlist_position(place)} on the waitlist.",
                  "success")
    except Refused as error:
        show_refusal(None, error)
    return redirect(url_for("schedule.session", session_id=item.id))


@bp.route("/sessions/<int:session_id>/feedback", methods=["POST"])
@employee
def feedback(session_id):
    item = load_session(session_id)
    form = FeedbackForm()
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    else:
        try:
            attendance.leave_feedback(item, current_user, form.rating.data, form.comment.data)
            flash("Thank you for your feedback.", "success")
        except Refused as error:
            show_refusal(None, error)
    return redirect(url_for("schedule.session", session_id=item.id))


@bp.route("/series/<int:series_id>")
@employee
def series(series_id):
    item = active_series_or_404(series_id)
    page = paginate(item.sessions.order_by(Session.starts_at), size=52)
    ids = [s.id for s in page.items]
    manages = current_user.is_coach and service.can_manage_series(current_user, item)
    return render_template(
        "schedule/series.html", item=item, page=page, manages=manages, counts=service.session_seat_counts(ids),
        rates=attendance.attendance_rates(ids), averages=attendance.feedback_averages(ids), now=utcnow(),
        facilitators=service.facilitators_of([item.id])[item.id],
        competencies=service.competencies_of([item.id])[item.id],
        summary=attendance.series_feedback([s.id for s in item.sessions]) if manages else None,
        member=enrolment.is_member(item, current_user))


@bp.route("/my/schedule")
@employee
def my_schedule():
    now = utcnow()
    upcoming = paginate(service.own_sessions(current_user.id, *LINE_COLUMNS).where(Session.ends_at >= now)
                        .order_by(Session.starts_at, Session.id), arg="upcoming")
    past = paginate(_my_past(current_user.id, now))
    return render_template("schedule/my_schedule.html", lines=describe_sessions(upcoming.items, current_user),
                           upcoming=upcoming, past=past, labels=attendance.ATTENDANCE_LABELS)


def _my_past(user_id, now):
    return (Session.select(Session.id, Session.starts_at, Session.status, Series.id, Series.title,
                           Rsvp.id, Rsvp.attendance).join(Series).switch(Session).join(Rsvp, attr="place")
            .where(Rsvp.user == user_id, Session.ends_at < now,
                   (Rsvp.status == "going") | Rsvp.attendance.is_null(False))
            .order_by(Session.starts_at.desc()))


def active_series_or_404(series_id):
    return get_or_404(Series, Series.id == series_id, Series.active == True)  # noqa: E712


def managed_series_or_404(series_id):
    """A series' editing pages: coaches who manage it (service.can_manage_series)."""
    item = active_series_or_404(series_id)
    if not service.can_manage_series(current_user, item):
        abort(404)
    return item


def require_manager(item):
    """Editing and attendance pages exist only for those who manage the session (service.can_manage_session)."""
    if not service.can_manage_session(current_user, item):
        abort(404)


# --- coaches' and facilitators' pages: /series/new, a series from a date on, one occurrence
# (move, cancel, capacity, RSVPs, people) and the attendance screen ---------------------------

def preview_of(form):
    """The next wall-clock starts the form's rule gives, or None."""
    first, rule = form.first_start_local(), form.rule()
    if first is None or rule is None:
        return None
    try:
        return next_occurrences(rule, first)
    except Refused as error:
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
    except NeedsConfirmation as asked:
        form.needs_confirmation = str(asked)
        show_refusal(form, asked)
    except Refused as error:
        show_refusal(form, error)
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
        flash(f"Series created with {count_of(created.sessions.count(), 'session')}.", "success")
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
    form = SeriesForm(obj=item, data=None if request.method == "POST" else series_form_defaults(item, start),
                      teams=teams)
    result = save_series_form(form, lambda fields: editing.edit_series_from(
        item, start.recurrence_local.date(), confirm=form.confirm.data, **fields))
    if result:
        flash(f"Series updated: {result['changed']} changed, {result['added']} added, "
              f"{result['removed']} removed.", "success")
        return redirect(url_for("schedule.series", series_id=item.id))
    return render_template("schedule/series_form.html", form=form, series=item, from_session=start)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@employee
def edit_session(session_id):
    item = load_session(session_id)
    require_manager(item)
    form = SessionForm(obj=item, data=None if request.method == "POST" else session_form_defaults(item))
    if form.validate_on_submit():
        try:
            editing.edit_session(item, form.first_start_local(), form.duration_minutes(),
                                 (form.location.data or "").strip(), (form.video_url.data or "").strip(),
                                 form.facilitator_id.data or None)
            flash("Session updated; people holding places are told.", "success")
            return redirect(url_for("schedule.session", session_id=item.id))
        except Refused as error:
            show_refusal(form, error)
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
    except NeedsConfirmation as asked:
        return render_template("schedule/confirm.html", item=item, message=str(asked),
                               action=url_for("schedule.cancel_session", session_id=item.id),
                               label="Cancel the session")
    except Refused as error:
        show_refusal(None, error)
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
        except NeedsConfirmation as asked:
            flash(f"{asked} Tick the box to confirm.", "warning")
        except Refused as error:
            show_refusal(None, error)
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
            raise Refused("Choose a person from the list.")
        if request.form.get("remove"):
            editing.remove_person(item, person)
            flash(f"{person.display_name} was removed.", "success")
        else:
            place = editing.add_person(item, person)
            flash(f"{person.display_name} is {place.status}.", "success")
    except Refused as error:
        show_refusal(None, error)
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
            recorded = attendance.record_attendance(item, marks, walk_ins,
                                                    rest_attended=bool(request.form.get("rest_present")))
            flash(f"Attendance saved for {count_of(len(recorded), 'person')}.", "success")
            return redirect(url_for("schedule.session_attendance", session_id=item.id))
        except Refused as error:
            show_refusal(None, error)
    if wants_csv():
        return csv_response(f"attendance-{item.id}.csv", attendance.ATTENDANCE_COLUMNS, attendance.attendance_rows(item))
    words = (request.args.get("walk_in") or "")[:100]
    return render_template("schedule/attendance.html", item=item, sheet=attendance.attendance_sheet(item),
                           now=utcnow(), labels=attendance.ATTENDANCE_LABELS, words=words,
                           found=attendance.walk_in_candidates(item, words))

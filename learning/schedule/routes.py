"""Schedule pages for everyone: /sessions, /sessions/<id>, RSVP, feedback, /series/<id>,
/my/schedule. Coaches' and facilitators' pages are in manage.py (same blueprint)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team, User
from learning.competencies.models import Competency
from learning.db import utcnow
from learning.schedule import attendance, service
from learning.schedule.forms import FeedbackForm
from learning.schedule.listing import describe_sessions
from learning.schedule.models import KIND_LABELS, Rsvp, Series, SeriesFacilitator, Session
from learning.web import employee, get_or_404, int_arg, paginate

bp = Blueprint("schedule", __name__)
LINE_COLUMNS = (Session, Series.id, Series.title, Series.kind)   # what a session line shows of its series


@bp.context_processor
def schedule_labels():
    return {"kinds": KIND_LABELS}


def load_session(session_id):
    item = Session.select(Session, Series).join(Series).where(Session.id == session_id).first()
    if item is None:
        abort(404)
    return item


@bp.route("/sessions")
@employee
def sessions():
    filters = {"kind": request.args.get("kind") if request.args.get("kind") in KIND_LABELS else None,
               "competency_id": int_arg("competency"), "team_id": int_arg("team"),
               "facilitator_id": int_arg("facilitator")}
    page = paginate(service.upcoming_sessions_query(**filters).select(*LINE_COLUMNS))
    return render_template(
        "schedule/sessions.html", page=page, lines=describe_sessions(page.items, current_user), filters=filters,
        kinds=KIND_LABELS, **_filter_choices())


def _filter_choices():
    facilitators = User.select(User.id, User.display_name).where(
        User.id.in_(SeriesFacilitator.select(SeriesFacilitator.user).distinct())).order_by(User.display_name)
    return {"competencies": list(Competency.select(Competency.id, Competency.name)
                                 .order_by(Competency.position).namedtuples()),
            "teams": list(Team.select(Team.id, Team.name).order_by(Team.name).namedtuples()),
            "facilitators": list(facilitators.namedtuples())}


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
    except service.ScheduleError as error:
        flash(str(error), "error")
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
        except service.ScheduleError as error:
            flash(str(error), "error")
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
        summary=attendance.series_feedback([s.id for s in item.sessions]) if manages else None)


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


from learning.schedule import manage  # noqa: E402,F401  (registers the coaches' pages on bp)

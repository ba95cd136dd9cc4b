"""`/sessions/<id>/agenda`: a case-review meetup's queue and agenda.

People going see the queue and vote; those who manage the session (its facilitators,
its team's coaches, admins) build the agenda (order, time boxes, carry-over) and choose whether the discussion stays private.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.cases import meetups, service
from learning.cases.forms import AgendaAddForm, TimeBoxForm
from learning.cases.visibility import Viewer
from learning.refusals import Refused
from learning.schedule.service import can_manage_session
from learning.web import employee, paginate, role_required, show_refusal

bp = Blueprint("meetups", __name__)


def _meetup_or_404(session_id):
    session = meetups.meetup_or_none(session_id)
    if session is None or not meetups.can_open_meetup(current_user, session):
        abort(404)
    return session


@bp.route("/sessions/<int:session_id>/agenda")
@employee
def agenda(session_id):
    session = _meetup_or_404(session_id)
    queue = paginate(meetups.queue_for(session))
    ids = [case.id for case in queue.items]
    return render_template(
        "cases/agenda.html", session=session, items=meetups.agenda_for(session), queue=queue,
        viewer=Viewer(current_user), voted=service.voted_by(current_user, ids),
        runs=can_manage_session(current_user, session), going=meetups.is_going(current_user, session),
        open_for_cases=meetups.is_open_for_cases(session), private=meetups.discussion_private(session.id),
        next_meetup=meetups.next_meetup(session), add_form=AgendaAddForm())


def _back(session):
    return redirect(url_for("meetups.agenda", session_id=session.id))


def _run(session, change, done_message):
    try:
        change()
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(done_message, "success")
    return _back(session)


@bp.route("/sessions/<int:session_id>/agenda", methods=["POST"])
@role_required("coach")
def agenda_add(session_id):
    session = _meetup_or_404(session_id)
    form = AgendaAddForm()
    if not form.validate_on_submit():
        flash(" ".join(form.case_id.errors + form.minutes.errors), "error")
        return _back(session)
    return _run(session, lambda: meetups.add_to_agenda(current_user, session, form.case_id.data, form.minutes.data),
                "The case is on the agenda.")


@bp.route("/sessions/<int:session_id>/agenda/<int:item_id>/<any(up, down):direction>", methods=["POST"])
@role_required("coach")
def agenda_move(session_id, item_id, direction):
    session = _meetup_or_404(session_id)
    step = -1 if direction == "up" else 1
    return _run(session, lambda: meetups.move_item(current_user, session, item_id, step), "Agenda reordered.")


@bp.route("/sessions/<int:session_id>/agenda/<int:item_id>/time", methods=["POST"])
@role_required("coach")
def agenda_time(session_id, item_id):
    session = _meetup_or_404(session_id)
    form = TimeBoxForm()
    if not form.validate_on_submit():
        flash(" ".join(form.minutes.errors), "error")
        return _back(session)
    return _run(session, lambda: meetups.set_time_box(current_user, session, item_id, form.minutes.data),
                "Time box changed.")


@bp.route("/sessions/<int:session_id>/agenda/<int:item_id>/carry-over", methods=["POST"])
@role_required("coach")
def agenda_carry_over(session_id, item_id):
    session = _meetup_or_404(session_id)
    return _run(session, lambda: meetups.carry_over(current_user, session, item_id),
                "The case is carried over to the next meetup.")


@bp.route("/sessions/<int:session_id>/agenda/<int:item_id>/remove", methods=["POST"])
@role_required("coach")
def agenda_remove(session_id, item_id):
    session = _meetup_or_404(session_id)
    return _run(session, lambda: meetups.remove_from_agenda(current_user, session, item_id),
                "The case is back in the queue.")


@bp.route("/sessions/<int:session_id>/privacy", methods=["POST"])
@role_required("coach")
def agenda_privacy(session_id):
    session = _meetup_or_404(session_id)
    private = request.form.get("private") == "1"
    return _run(session, lambda: meetups.set_discussion_private(current_user, session, private),
                "The discussion is now private to the meetup." if private else "The discussion is shared with the library.")

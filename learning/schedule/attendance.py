"""Attendance and feedback: kept for ever as history (progress reads them).

The facilitator records everyone on one screen, walk-ins included; attendees
rate a session 1-5 with an optional comment; averages per session and series.
"""
import peewee as pw

from learning.accounts.models import User
from learning.audit.service import current_actor, record
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.schedule import signals
from learning.schedule.models import ATTENDANCE, Rsvp, SessionFeedback
from learning.schedule.service import SEATS

ATTENDANCE_LABELS = {"attended": "Attended", "no_show": "No-show", "excused": "Excused"}
COMMENT_LIMIT = 2000


def attendance_sheet(session):
    """Everyone expected or recorded: going places and any place with attendance, by name."""
    return list(attendance_sheet_query(session))


def attendance_sheet_query(session):
    return (Rsvp.select(Rsvp, User).join(User)
            .where(Rsvp.session == session, (Rsvp.status == "going") | Rsvp.attendance.is_null(False))
            .order_by(User.display_name, User.id))


ATTENDANCE_COLUMNS = ("Person", "E-mail", "Place", "Walk-in", "Attendance")


def attendance_rows(session):
    """The attendance sheet as export rows (for those who manage the session)."""
    return ((p.user.display_name, p.user.email, p.status, p.walk_in, ATTENDANCE_LABELS.get(p.attendance, ""))
            for p in attendance_sheet_query(session).iterator())


def record_attendance(session, marks, walk_in_ids=(), rest_attended=False):
    """`marks` {user id: "attended" | "no_show" | "excused" | ""}; walk-ins are marked attended;
    `rest_attended` ("mark all present"): everyone going who has no mark yet attended too.
    Written set-based: one UPDATE per kind of mark. Returns the Rsvp rows whose attendance was recorded."""
    if session.is_cancelled:
        raise Refused("This session was cancelled.")
    if session.starts_at > utcnow():
        raise Refused("Attendance can be recorded once the session has started.")
    if any(mark not in ATTENDANCE + ("",) for mark in marks.values()):
        raise Refused("Choose attended, no-show or excused.")
    walk_ins = list(User.select().where(User.id.in_(list(walk_in_ids)), User.active == True))  # noqa: E712
    if len(walk_ins) != len(set(walk_in_ids)):
        raise Refused("Choose walk-ins from the list of people.", "walk_in_ids")
    with db.atomic():
        session = SEATS.lock_parent(session)
        places = {p.user_id: p for p in Rsvp.select().where(Rsvp.session == session)}
        marks = dict(marks)
        for user in walk_ins:
            if user.id not in places:
                places[user.id] = Rsvp.create(session=session, user=user, status="going", walk_in=True,
                                              queue_number=SEATS.next_queue_number(session))
            marks[user.id] = "attended"
        if rest_attended:
            for place in places.values():
                if place.status == "going" and place.attendance is None and not marks.get(place.user_id):
                    marks[place.user_id] = "attended"
        recorded = [place for user_id, mark in marks.items() if (place := places.get(user_id)) is not None
                    and (place.attendance or "") != mark]
        if recorded:
            save_marks(recorded, marks)
            record(current_actor(), "attendance.recorded", session,
                   f"{session.series.title} on {session.starts_at:%Y-%m-%d}: {_described(recorded)}")
            signals.attendance_recorded.send(session, rsvps=recorded)
        return recorded


MARK_WORDS = {"attended": "attended", "no_show": "did not come", "excused": "excused", None: "mark cleared"}


def _described(places):
    """The audit log's words for the marks: "Alex Agent attended, Tom Becker did not come"."""
    names = dict(User.select(User.id, User.display_name).where(User.id.in_([p.user_id for p in places])).tuples())
    return ", ".join(f"{names.get(p.user_id, 'someone')} {MARK_WORDS.get(p.attendance, p.attendance)}" for p in places)


def save_marks(places, marks):
    """One UPDATE per kind of mark; the rows in hand follow."""
    now, by_mark = utcnow(), {}
    for place in places:
        place.attendance, place.attendance_recorded_at, place.updated_at = marks[place.user_id] or None, now, now
        by_mark.setdefault(place.attendance, []).append(place.id)
    for mark, ids in by_mark.items():
        Rsvp.update(attendance=mark, attendance_recorded_at=now, updated_at=now).where(Rsvp.id.in_(ids)).execute()


def walk_in_candidates(session, words, limit=20):
    """Active people whose name or e-mail contains `words`, not on the session's sheet yet, by name."""
    words = (words or "").strip()
    if not words:
        return []
    on_sheet = Rsvp.select(Rsvp.user).where(Rsvp.session == session,
                                            (Rsvp.status == "going") | Rsvp.attendance.is_null(False))
    return list(User.select(User.id, User.display_name, User.email)
                .where(User.active == True, User.display_name.contains(words) | User.email.contains(words.lower()),  # noqa: E712
                       User.id.not_in(on_sheet))
                .order_by(User.display_name, User.id).limit(limit))


def may_give_feedback(session, user):
    if session.is_cancelled or session.starts_at > utcnow():
        return False
    place = Rsvp.get_or_none(Rsvp.session == session, Rsvp.user == user)
    return place is not None and (place.attendance == "attended"
                                  or (place.attendance is None and place.status == "going"))


def leave_feedback(session, user, rating, comment=""):
    """One rating per person (a second one replaces the first)."""
    if not may_give_feedback(session, user):
        raise Refused("Only people who attended can rate a session, once it has started.")
    if rating not in (1, 2, 3, 4, 5):
        raise Refused("Rate the session from 1 to 5.", "rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise Refused(f"Keep the comment under {COMMENT_LIMIT} characters.", "comment")
    with db.atomic():
        existing = SessionFeedback.get_or_none(SessionFeedback.session == session, SessionFeedback.user == user)
        if existing:
            existing.rating, existing.comment = rating, comment
            existing.save()
            return existing
        return SessionFeedback.create(session=session, user=user, rating=rating, comment=comment)


def feedback_averages(session_ids):
    """{session id: (average rating, number of ratings)}, one query."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = (SessionFeedback.select(SessionFeedback.session, pw.fn.AVG(SessionFeedback.rating),
                                   pw.fn.COUNT(SessionFeedback.id))
            .where(SessionFeedback.session.in_(ids)).group_by(SessionFeedback.session).tuples())
    return {sid: (round(float(avg), 1), count) for sid, avg, count in rows}


def series_feedback(session_ids, limit=50):
    """The average over all the sessions given, and their latest comments (one query each)."""
    ids = list(session_ids)
    if not ids:
        return {"average": None, "count": 0, "comments": []}
    avg, count = (SessionFeedback.select(pw.fn.AVG(SessionFeedback.rating), pw.fn.COUNT(SessionFeedback.id))
                  .where(SessionFeedback.session.in_(ids)).tuples().get())
    comments = list(SessionFeedback.select().where(SessionFeedback.session.in_(ids), SessionFeedback.comment != "")
                    .order_by(SessionFeedback.created_at.desc()).limit(limit))
    return {"average": round(float(avg), 1) if avg is not None else None, "count": count, "comments": comments}


def attendance_rates(session_ids):
    """{session id: (attended, recorded)} for sessions with attendance recorded, one query."""
    ids = list(session_ids)
    if not ids:
        return {}
    attended = pw.fn.SUM(pw.Case(None, [(Rsvp.attendance == "attended", 1)], 0))
    rows = (Rsvp.select(Rsvp.session, attended, pw.fn.COUNT(Rsvp.id))
            .where(Rsvp.session.in_(ids), Rsvp.attendance.is_null(False)).group_by(Rsvp.session).tuples())
    return {sid: (int(a or 0), n) for sid, a, n in rows}

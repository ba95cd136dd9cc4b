"""Audit entries for changes other capabilities announce by signal, recorded in
the same transaction. The actor is the signed-in person making the request."""
from blinker import signal
from flask import has_request_context
from flask_login import current_user

from learning.audit.service import record


def _actor():
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def attendance_recorded(session, rsvps=(), **extra):
    marks = ", ".join(f"{place.user_id}: {place.attendance or 'cleared'}" for place in rsvps)
    record(_actor(), "attendance.recorded", session,
           f"{session.series.title} on {session.starts_at:%Y-%m-%d} (person: mark) {marks}")


def plan_assigned(plan, **extra):
    record(_actor(), "plan.created", plan, f"{plan.title} for person #{plan.employee_id}")


def connect():
    signal("schedule.attendance-recorded").connect(attendance_recorded, weak=False)
    signal("coaching.plan-assigned").connect(plan_assigned, weak=False)

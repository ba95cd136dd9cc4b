"""Sensitive changes land in the audit log: plans, ratings, attendance, calendar tokens."""
from datetime import date

from learning.audit.models import AuditEntry
from learning.calendars import service as calendars
from learning.coaching import ratings, service as coaching
from learning.schedule import attendance


def actions():
    return [entry.action for entry in AuditEntry.select().order_by(AuditEntry.id)]


def test_plan_creation_and_status_changes_are_audited(app, plan, people):
    with app.app_context():
        coaching.set_plan_status(people["coach_a"], plan, "paused")
    assert actions() == ["plan.created", "plan.status-changed"]
    entry = AuditEntry.get(AuditEntry.action == "plan.status-changed")
    assert entry.actor_id == people["coach_a"].id and "active → paused" in entry.summary


def test_ratings_are_audited_with_the_rater(app, people, competencies):
    with app.app_context():
        ratings.rate(people["coach_a"], people["agent"], competencies[0].id, 3, date.today())
    entry = AuditEntry.get(AuditEntry.action == "rating.added")
    assert entry.actor_id == people["coach_a"].id and "level 3 (coach)" in entry.summary


def test_attendance_recording_is_audited_with_the_person_who_recorded_it(app, people):
    from tests.test_accounts_privacy import _series_with_attendance

    from datetime import timedelta

    from learning.db import utcnow
    from learning.schedule.models import Session

    place = _series_with_attendance(app, people["coach_a"], people["agent"])
    Session.update(starts_at=utcnow() - timedelta(hours=2), ends_at=utcnow() - timedelta(hours=1)).where(
        Session.id == place.session_id).execute()
    with app.test_request_context():
        from flask_login import login_user
        login_user(people["coach_a"])
        attendance.record_attendance(Session.get_by_id(place.session_id), {people["agent"].id: "attended"})
    entry = AuditEntry.get(AuditEntry.action == "attendance.recorded")
    assert entry.actor_id == people["coach_a"].id and f"{people['agent'].display_name} attended" in entry.summary


def test_calendar_token_regeneration_and_revocation_are_audited(app, people):
    with app.app_context():
        feed = calendars.subscribe(people["agent"], "personal")
        calendars.regenerate(feed)
        calendars.revoke(feed)
    assert actions()[-2:] == ["calendar.token-regenerated", "calendar.token-revoked"]

"""Personal data export and anonymising a departed employee."""
import json

from learning.accounts.models import User
from learning.audit.models import AuditEntry
from learning.schedule import service as schedule


def _series_with_attendance(app, coach, agent):
    from datetime import datetime, timedelta

    with app.app_context():
        start = (datetime.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
        series = schedule.create_series(coach, "skill", "Listening", "Europe/Berlin", start, 60,
                                        rrule="FREQ=WEEKLY;COUNT=2", capacity=5)
        session = sorted(series.sessions, key=lambda s: s.starts_at)[0]
        return schedule.rsvp(session, agent)


def test_export_holds_my_rows_and_no_secrets(app, client, login, people):
    place = _series_with_attendance(app, people["coach_a"], people["agent"])
    _series_with_attendance(app, people["coach_a"], people["other_agent"])
    login(people["agent"])
    response = client.get("/profile/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))["data"]
    assert data["user"][0]["email"] == people["agent"].email
    assert "password_hash" not in data["user"][0]
    assert [row["id"] for row in data["rsvp"]] == [place.id]  # only mine, not my colleague's


def test_admin_anonymises_a_departed_employee_and_history_stays(app, client, login, people):
    place = _series_with_attendance(app, people["coach_a"], people["agent"])
    login(people["admin"])
    response = client.post(f"/admin/users/{people['agent'].id}/anonymise")
    assert response.status_code == 302
    person = User.get_by_id(people["agent"].id)
    assert person.display_name == f"Former employee #{person.id}" and not person.active
    assert people["agent"].email != person.email
    from learning.schedule.models import Rsvp
    assert Rsvp.get_by_id(place.id).user_id == person.id
    assert AuditEntry.select().where(AuditEntry.action == "user.anonymised").count() == 1


def test_admin_cannot_anonymise_themselves(client, login, people):
    login(people["admin"])
    client.post(f"/admin/users/{people['admin'].id}/anonymise")
    assert User.get_by_id(people["admin"].id).active

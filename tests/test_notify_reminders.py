"""Reminders before sessions (once per person and occurrence, even with two
workers) and the daily digest."""
import threading
from datetime import datetime, timedelta

from learning.db import db, utcnow
from learning.notify import outbox, reminders
from learning.notify.models import Notification, OutboxMessage, ReminderSent
from learning.notify.service import notify, set_channel
from learning.schedule import service as schedule


def test_a_reminder_goes_to_those_going_once_per_occurrence(mail_app, people, notify_session):
    soon, later = notify_session(hours=20, title="Owning the issue", capacity=1), notify_session(hours=30)
    schedule.rsvp(soon, people["agent"])
    schedule.rsvp(soon, people["other_agent"])      # waitlisted: no reminder
    schedule.rsvp(later, people["agent"])
    OutboxMessage.delete().execute()
    assert reminders.queue_reminders() == 1
    assert reminders.queue_reminders() == 0
    assert reminders.queue_reminders(now=utcnow() + timedelta(hours=1)) == 0
    outbox.send_due()
    [mail] = mail_app.messages
    assert mail["To"] == people["agent"].email
    assert mail["Subject"].startswith("Reminder: Owning the issue starts on ")
    assert Notification.select().where(Notification.kind == "reminder").count() == 1


def test_a_moved_session_is_reminded_again_for_its_new_time(app, people, notify_session):
    with app.app_context():
        session = notify_session(hours=10)
        schedule.rsvp(session, people["agent"])
        assert reminders.queue_reminders() == 1
        session.starts_at += timedelta(hours=2)
        session.save()
        assert reminders.queue_reminders() == 1
        assert reminders.queue_reminders() == 0


def test_the_reminder_lead_time_is_configurable(app, people, notify_session):
    app.config["REMINDER_LEAD_HOURS"] = 2
    with app.app_context():
        schedule.rsvp(notify_session(hours=3), people["agent"])
        assert reminders.queue_reminders() == 0
        assert reminders.queue_reminders(now=utcnow() + timedelta(hours=1, minutes=5)) == 1


def test_no_reminder_for_a_cancelled_session(app, people, notify_session):
    with app.app_context():
        session = notify_session(hours=5)
        schedule.rsvp(session, people["agent"])
        session.status = "cancelled"
        session.save()
        assert reminders.queue_reminders() == 0


def test_two_workers_at_once_queue_each_reminder_once(app, people, notify_session):
    with app.app_context():
        for hours in (2, 4, 6):
            session = notify_session(hours=hours)
            for who in ("agent", "other_agent", "agent_b"):
                schedule.rsvp(session, people[who])
        OutboxMessage.delete().execute()
    db.close()
    barrier, counts, errors = threading.Barrier(2), [], []

    def worker():
        try:
            with app.app_context():
                db.connect(reuse_if_open=True)
                barrier.wait()
                counts.append(reminders.queue_reminders())
                db.close()
        except Exception as error:  # surfaced below
            errors.append(error)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.connect(reuse_if_open=True)
    assert errors == [] and sum(counts) == 9
    assert ReminderSent.select().count() == 9
    assert OutboxMessage.select().count() == 9


def test_the_daily_digest_gathers_waiting_notices_into_one_mail_once_a_day(mail_app, people):
    agent = people["agent"]
    set_channel(agent, "case", "digest")
    set_channel(agent, "module", "digest")
    notify([agent.id], "case", "Your case is on Thursday's agenda.", "/cases/1")
    notify([agent.id], "module", "You are enrolled in Emotional support.", "/modules/1")
    notify([agent.id], "coaching", "Your plan is ready.", "/plans/1")    # e-mail at once
    morning = datetime.combine(utcnow().date(), datetime.min.time()) + timedelta(hours=8)
    assert reminders.queue_digests(now=morning - timedelta(hours=3)) == 0    # before DIGEST_HOUR
    assert reminders.queue_digests(now=morning) == 1
    assert reminders.queue_digests(now=morning + timedelta(hours=1)) == 0
    outbox.send_due()
    digest = next(m for m in mail_app.messages if "digest" in m["Subject"])
    assert digest["Subject"] == "Your daily digest: 2 notices"
    body = digest.get_body(("plain",)).get_content()
    assert "Your case is on Thursday's agenda." in body and "You are enrolled in Emotional support." in body
    assert "Your plan is ready." not in body
    assert digest["List-Unsubscribe"]
    assert Notification.select().where(Notification.digest_pending == True).count() == 0  # noqa: E712


def test_unsubscribing_from_the_digest_keeps_those_kinds_in_the_app(mail_app, people, client):
    agent = people["agent"]
    set_channel(agent, "case", "digest")
    notify([agent.id], "case", "Your case was discussed.", "/cases/1")
    reminders.queue_digests(force=True)
    outbox.send_due()
    [digest] = mail_app.messages
    assert client.post(digest["List-Unsubscribe"].strip("<>").replace("http://localhost:5000", "")).status_code == 200
    notify([agent.id], "case", "Another case was discussed.", "/cases/2")
    assert Notification.get(Notification.text == "Another case was discussed.").digest_pending is False
    assert OutboxMessage.select().count() == 1

"""Calendar invitations by e-mail (iTIP) and the schedule's notices, driven by
the schedule's own service: a place brings a REQUEST, a move an update with a
higher SEQUENCE, a cancellation or withdrawal a CANCEL, all with the session's UID."""
from datetime import timedelta

from learning.notify import outbox
from learning.notify.models import Notification, OutboxMessage
from learning.notify.service import set_channel
from learning.schedule import editing, service as schedule
from learning.timezones import to_local
from tests.fixtures_notify import calendar_of


def only_event(message):
    calendar, method = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    return calendar, method, event


def move(session, hours):
    starts_local = to_local(session.starts_at, session.timezone).replace(tzinfo=None) + timedelta(hours=hours)
    return editing.edit_session(session, starts_local, 60, location=session.location)


def same_minute(event, utc_naive):
    return event.decoded("DTSTART").utctimetuple()[:5] == utc_naive.utctimetuple()[:5]


def test_an_rsvp_brings_an_invitation_a_calendar_accepts(mail_app, people, notify_session):
    agent = people["agent"]
    session = notify_session(title="Listening fully")
    schedule.rsvp(session, agent)
    assert outbox.send_due() == 1
    [mail] = mail_app.to(agent.email)
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
    calendar, method, event = only_event(mail)
    assert method == "REQUEST" and calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == session.uid
    assert str(event["ORGANIZER"]) == "mailto:learning@localhost"
    assert str(event["ATTENDEE"]) == f"mailto:{agent.email}"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert same_minute(event, session.starts_at)
    assert "Listening fully" in str(event["SUMMARY"])
    assert calendar.walk("VTIMEZONE")
    assert "is confirmed" in mail.get_body(("plain",)).get_content()
    assert Notification.get().text.startswith("Your place at Listening fully on ")


def test_a_move_sends_an_update_with_a_higher_sequence_and_the_same_uid(mail_app, people, notify_session):
    agent = people["agent"]
    session = notify_session()
    schedule.rsvp(session, agent)
    moved = move(session, 3)
    outbox.send_due()
    first, update = mail_app.to(agent.email)
    _, _, before = only_event(first)
    _, method, after = only_event(update)
    assert method == "REQUEST" and str(after["UID"]) == str(before["UID"]) == session.uid
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert same_minute(after, moved.starts_at) and not same_minute(after, session.starts_at)
    assert "has moved" in Notification.select().order_by(Notification.id.desc()).first().text


def test_a_cancellation_sends_cancel_to_those_going_and_a_notice_to_the_waitlist(mail_app, people, notify_session):
    agent, waiting = people["agent"], people["other_agent"]
    session = notify_session(capacity=1)
    schedule.rsvp(session, agent)
    schedule.rsvp(session, waiting)
    editing.cancel_session(session, confirm=True)
    outbox.send_due()
    _, cancelled = mail_app.to(agent.email)
    calendar, method, event = only_event(cancelled)
    assert method == "CANCEL" and calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == session.uid and event["STATUS"] == "CANCELLED"
    waitlist_mails = mail_app.to(waiting.email)
    assert [calendar_of(m)[1] for m in waitlist_mails] == [None, None]   # never invited, so nothing to cancel
    assert "is cancelled" in waitlist_mails[-1]["Subject"]


def test_a_withdrawal_sends_cancel_with_a_higher_sequence(mail_app, people, notify_session):
    agent = people["agent"]
    session = notify_session()
    schedule.rsvp(session, agent)
    schedule.withdraw(session, agent)
    outbox.send_due()
    invitation, withdrawal = mail_app.to(agent.email)
    _, method, event = only_event(withdrawal)
    assert method == "CANCEL" and str(event["UID"]) == session.uid
    assert event["SEQUENCE"] > only_event(invitation)[2]["SEQUENCE"]
    assert "You no longer have a place at" in withdrawal["Subject"]


def test_the_waitlist_notice_tells_the_position_and_promotion_brings_an_invitation(
        mail_app, people, notify_session):
    holder, first, second = people["agent_b"], people["other_agent"], people["agent"]
    session = notify_session(capacity=1)
    for person in (holder, first, second):
        schedule.rsvp(session, person)
    assert "you are number 2 on the waitlist" in Notification.get(Notification.user == second).text
    schedule.withdraw(session, holder)
    outbox.send_due()
    promoted = mail_app.to(first.email)[-1]
    assert "A seat freed" in promoted["Subject"]
    assert only_event(promoted)[1] == "REQUEST"


def test_in_app_only_sends_no_invitation_but_keeps_the_notice(mail_app, people, notify_session):
    agent = people["agent"]
    set_channel(agent, "rsvp", "app")
    schedule.rsvp(notify_session(), agent)
    assert OutboxMessage.select().count() == 0
    assert Notification.select().where(Notification.user == agent).count() == 1


def test_the_unsubscribe_link_in_a_received_mail_stops_that_kind(mail_app, people, notify_session, client):
    agent = people["agent"]
    session = notify_session()
    schedule.rsvp(session, agent)
    outbox.send_due()
    [mail] = mail_app.to(agent.email)
    url = mail["List-Unsubscribe"].strip("<>")
    assert url in mail.get_body(("plain",)).get_content()
    assert client.post(url.replace("http://localhost:5000", "")).status_code == 200
    move(session, 1)
    assert OutboxMessage.select().count() == 2          # the invitation, and the move (another kind)
    schedule.withdraw(session, agent)
    assert OutboxMessage.select().count() == 2          # mails about places stopped
    assert Notification.select().where(Notification.user == agent).count() == 3


def test_a_rolled_back_rsvp_sends_nothing(mail_app, people, notify_session):
    import pytest

    from learning.db import db

    with pytest.raises(RuntimeError):
        with db.atomic():
            schedule.rsvp(notify_session(), people["agent"])
            raise RuntimeError("the request failed after the RSVP")
    assert OutboxMessage.select().count() == 0 and Notification.select().count() == 0

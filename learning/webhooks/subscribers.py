"""What the webhooks package does on other packages' signals: queue a webhook event (or a
chat post) inside the change's transaction, and deliver due posts on each round of the mail
worker. No HTTP happens here but in that round."""
from learning.accounts.models import User
from learning.accounts.signals import people_created
from learning.cases.signals import case_submitted
from learning.coaching.signals import plan_acknowledged
from learning.notify.signals import worker_round
from learning.outreach.signals import announced
from learning.schedule.models import Series
from learning.schedule.signals import series_created, session_changed
from learning.webhooks import chat, delivery, events


def on_series_created(series, sessions=0, **_):
    events.queue("session.created", lambda: events.series_data(series, sessions))


def on_session_changed(session, change=None, **_):
    event = "session.cancelled" if change == "cancelled" else "session.changed"
    events.queue(event, lambda: {**events.session_data(session, Series.get_by_id(session.series_id)), "change": change})


def on_case_submitted(case, **_):
    events.queue("case.submitted", lambda: events.case_data(case))


def on_plan_acknowledged(plan, **_):
    events.queue("plan.acknowledged", lambda: events.plan_data(plan))


def on_people_created(actor=None, user_ids=(), **_):
    ids = sorted(user_ids)
    for start in range(0, len(ids), events.PEOPLE_PER_PAYLOAD):
        chunk = User.select().where(User.id.in_(ids[start:start + events.PEOPLE_PER_PAYLOAD])).order_by(User.id)
        events.queue("person.imported", lambda: {"added_by": actor.id if actor else None,
                                                 "people": [events.person_data(user) for user in chunk]})


def on_announced(announcement, **_):
    chat.post_announcement(announcement)


def on_worker_round(worker, now=None, **_):
    chat.queue_chat_reminders(now)
    return delivery.deliver_due(now=now, worker=worker)


RECEIVERS = ((series_created, on_series_created), (session_changed, on_session_changed),
             (case_submitted, on_case_submitted), (plan_acknowledged, on_plan_acknowledged),
             (people_created, on_people_created), (announced, on_announced), (worker_round, on_worker_round))


def connect_all():
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, weak=False)

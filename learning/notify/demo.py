"""Demo notices (seeds/notify.json) so the notification centre has a history,
some read and some not. Each notice names what it is about (a series, plan, case or
module) and links to it as loaded; a notice whose subject is missing is left out. Schedule
changes in the demo add their own notices."""
from datetime import timedelta

from learning.accounts.models import User
from learning.cases.models import Case
from learning.coaching.models import Plan
from learning.curriculum.models import Module
from learning.db import utcnow
from learning.notify.models import Notification
from learning.schedule.models import Series, Session
from learning.seeds import read_seed
from learning.web import format_local


def subject_of(item, now):
    """(link, starts_at or None) for the notice's subject, or None when it does not exist."""
    if "series" in item:
        session = (Session.select().join(Series).where(Series.title == item["series"], Session.starts_at >= now)
                   .order_by(Session.starts_at).first())
        return (f"/sessions/{session.id}", session.starts_at) if session else None
    for key, model, path in (("plan", Plan, "/plans"), ("case", Case, "/cases"), ("module", Module, "/modules")):
        if key in item:
            found = model.get_or_none(model.title == item[key])
            return (f"{path}/{found.id}", None) if found else None
    return None


def load(context):
    now, added = utcnow(), 0
    users = {u.email: u for u in User.select()}
    for item in read_seed("notify.json")["notices"]:
        user, subject = users.get(item["to"]), subject_of(item, now)
        if user is None or subject is None:
            continue
        link, starts_at = subject
        text = item["text"].replace("{at}", format_local(starts_at, zone_name=user.timezone)) if starts_at else item["text"]
        if Notification.select().where(Notification.user == user, Notification.link == link,
                                       Notification.kind == item["kind"]).exists():
            continue
        created = now - timedelta(hours=item["hours_ago"])
        Notification.create(user=user, kind=item["kind"], text=text, link=link,
                            created_at=created, read_at=created + timedelta(hours=1) if item.get("read") else None)
        added += 1
    return f"{added} notices" if added else None

"""Demo notices (seeds/notify.json) so the notification centre has a history,
some read and some not. Schedule changes in the demo add their own notices."""
from datetime import timedelta

from learning.accounts.models import User
from learning.db import utcnow
from learning.seeds import read_seed
from learning.notify.models import Notification


def load(context):
    now, added = utcnow(), 0
    users = {u.email: u for u in User.select()}
    for item in read_seed("notify.json")["notices"]:
        user = users.get(item["to"])
        if user is None or Notification.select().where(Notification.user == user,
                                                        Notification.text == item["text"]).exists():
            continue
        created = now - timedelta(hours=item["hours_ago"])
        Notification.create(user=user, kind=item["kind"], text=item["text"], link=item["link"],
                            created_at=created, read_at=created + timedelta(hours=1) if item.get("read") else None)
        added += 1
    return f"{added} notices" if added else None

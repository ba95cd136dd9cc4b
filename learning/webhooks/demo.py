"""Demo webhook (seeds/webhooks.json): an endpoint switched off, so the demo posts nothing
anywhere, with a log to look at: a test event and a case delivered, a cancellation failing and
waiting for its next try."""
import json
from datetime import timedelta

from learning.accounts.models import User
from learning.db import utcnow
from learning.seeds import read_seed
from learning.webhooks.events import iso
from learning.webhooks.models import Delivery, Endpoint
from learning.webhooks.signing import new_secret
from learning.wording import count_of


def load(context):
    if Endpoint.select().where(Endpoint.kind == "webhook").exists():
        return None
    data = read_seed("webhooks.json")
    item = data["endpoint"]
    endpoint = Endpoint.create(kind="webhook", url=item["url"], secret=new_secret(), events=" ".join(item["events"]),
                               active=False, created_by=User.get_or_none(User.email == item["by"]))
    now = utcnow()
    for number, row in enumerate(data["deliveries"], start=1):
        at = now - timedelta(hours=row["hours_ago"])
        delivered = row["status"] == "delivered"
        payload = {"id": f"evt_demo{number}", "event": row["event"], "occurred_at": iso(at), "data": row["data"]}
        Delivery.create(endpoint=endpoint, event=row["event"], payload=json.dumps(payload), status=row["status"],
                        created_at=at, due_at=now + timedelta(minutes=30) if not delivered else at,
                        attempts=row["attempts"], last_status_code=row["code"], last_response=row["answer"],
                        last_error=row.get("error", ""), delivered_at=at + timedelta(seconds=1) if delivered else None)
    return f"a webhook (switched off) with {count_of(len(data['deliveries']), 'delivery', 'deliveries')} in its log"

"""Where the programme posts its news over HTTP, and every post it owes.

An `Endpoint` is an admin's webhook (signed JSON for the events it subscribes to) or a team's
chat hook (Slack or Microsoft Teams incoming webhook: announcements and session reminders).
A `Delivery` is one POST owed to one endpoint, written in the transaction of the change that
causes it and sent by the mail worker's loop under the outbox's lease rule (notify/leases.py).
"""
import peewee as pw

from learning.accounts.models import Team, User
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField

KINDS = ("webhook", "slack", "teams")
CHAT_KINDS = ("slack", "teams")
STATUSES = ("pending", "delivered", "failed")


class Endpoint(BaseModel):
    kind = LineField(max_length=10, default="webhook")
    team = pw.ForeignKeyField(Team, null=True, backref="chat_hooks", on_delete="CASCADE")  # chat hooks only
    url = LineField(max_length=500)
    secret = LineField(max_length=80, default="")        # signs webhook bodies; shown to the admin to copy
    events = LineField(max_length=300, default="")       # subscribed event names, space-separated
    active = pw.BooleanField(default=True)
    created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        # One Slack and one Teams hook per team; webhooks (no team) as many as admins add.
        indexes = ((("team", "kind"), True), (("kind", "active"), False))

    @property
    def event_names(self):
        return self.events.split()


class Delivery(BaseModel):
    endpoint = pw.ForeignKeyField(Endpoint, backref="deliveries", on_delete="CASCADE")
    event = LineField(max_length=40)
    payload = pw.TextField()                              # the JSON body, exactly as posted
    status = LineField(max_length=10, default="pending")  # pending | delivered | failed (retrying)
    once_key = LineField(max_length=120, null=True, unique=True)   # a reminder: once per session and hook
    created_at = pw.DateTimeField(default=utcnow)
    due_at = pw.DateTimeField(default=utcnow)             # next attempt
    attempts = pw.IntegerField(default=0)
    claimed_by = LineField(max_length=100, null=True)
    claimed_until = pw.DateTimeField(null=True)
    last_status_code = pw.IntegerField(null=True)
    last_response = ProseField(default="")                # the receiver's last answer, first 2 KB
    last_error = ProseField(default="")
    delivered_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("delivered_at", "due_at"), False), (("endpoint", "id"), False))


MODELS = [Endpoint, Delivery]

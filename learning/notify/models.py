"""Notices, per-kind preferences, the mail outbox and the reminders already sent.

The outbox is written in the same transaction as the change that causes a mail,
so a rolled-back change sends nothing; a worker claims rows with a lease and
marks them sent (see outbox.py).
"""
import peewee as pw

from learning.accounts.models import User
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField

CHANNELS = ("app", "email", "digest")
CHANNEL_LABELS = {"app": "In the app only", "email": "E-mail at once", "digest": "Daily digest e-mail"}


class Notification(BaseModel):
    user = pw.ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    kind = LineField(max_length=30)
    text = LineField(max_length=500)
    link = LineField(max_length=300, default="")
    created_at = pw.DateTimeField(default=utcnow)
    read_at = pw.DateTimeField(null=True)
    digest_pending = pw.BooleanField(default=False)   # waits for this person's daily digest

    class Meta:
        indexes = ((("user", "read_at"), False), (("user", "created_at"), False),
                   (("digest_pending", "user"), False))

    @property
    def is_read(self):
        return self.read_at is not None


class Preference(BaseModel):
    """How one person hears of one kind of notice; no row means the kind's default."""
    user = pw.ForeignKeyField(User, backref="notify_preferences", on_delete="CASCADE")
    kind = LineField(max_length=30)
    channel = LineField(max_length=10)

    class Meta:
        indexes = ((("user", "kind"), True),)


class OutboxMessage(BaseModel):
    """One e-mail to send. Content is fixed when the change happens; links,
    unsubscribe and MIME are built when sent."""
    user = pw.ForeignKeyField(User, null=True, backref="outbox", on_delete="SET NULL")
    to_address = LineField(max_length=254)
    kind = LineField(max_length=30)
    subject = LineField(max_length=300)
    body = ProseField()                              # plain text; lines, no markup
    link = LineField(max_length=300, default="")
    calendar = pw.TextField(null=True)                 # iCalendar text (iTIP) or None
    calendar_method = LineField(max_length=10, null=True)
    created_at = pw.DateTimeField(default=utcnow)
    due_at = pw.DateTimeField(default=utcnow)          # next attempt
    attempts = pw.IntegerField(default=0)
    last_error = pw.TextField(default="")
    claimed_by = LineField(max_length=100, null=True)
    claimed_until = pw.DateTimeField(null=True)
    sent_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("sent_at", "due_at"), False),)


class ReminderSent(BaseModel):
    """A reminder (or digest) queued for one person and one occurrence: the
    unique index makes it once, whichever worker gets there first."""
    kind = LineField(max_length=30)
    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    object_id = pw.IntegerField()
    occurrence = pw.DateTimeField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "user", "object_id", "occurrence"), True),)


MODELS = [Notification, Preference, OutboxMessage, ReminderSent]

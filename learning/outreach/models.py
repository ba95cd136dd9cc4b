"""Talking to the team: announcements pinned on members' dashboards until they expire, and the
log of "who hasn't" nudges. Who may write either is decided in `service.may_act_on_team`."""
import peewee as pw

from learning.accounts.models import Team, User
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField


class Announcement(BaseModel):
    """A short Markdown message (rendered sanitised) to one team's current members."""
    team = pw.ForeignKeyField(Team, backref="announcements", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    body = ProseField()
    emailed = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=utcnow)
    expires_at = pw.DateTimeField()                  # UTC: unpinned from this moment
    withdrawn_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("team", "expires_at"), False), (("team", "created_at"), False))

    def is_pinned(self, now):
        return self.withdrawn_at is None and self.expires_at > now


class Nudge(BaseModel):
    """One nudge sent: to whom it was meant (the criterion and its subject) and how many it reached."""
    team = pw.ForeignKeyField(Team, backref="nudges", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    criterion = LineField(max_length=20)
    subject = LineField(max_length=200)              # e.g. the series' title, "4 weeks"
    message = ProseField(default="")
    emailed = pw.BooleanField(default=False)
    reached = pw.IntegerField()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "created_at"), False),)


MODELS = [Announcement, Nudge]

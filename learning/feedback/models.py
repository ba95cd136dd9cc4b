"""Operations feedback: what a meetup sends back to the team or department that can remove a
root cause, the cases behind it and the history of its status.

An item moves between open, accepted, fixed and declined; every change is a row in
feedback_status_change. `fixed_at` holds when it was last marked fixed (the per-quarter count).
"""
import peewee as pw

from learning.accounts.models import User
from learning.cases.models import Case, Cause
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField
from learning.schedule.models import Session

STATUSES = (("open", "Open"), ("accepted", "Accepted"), ("fixed", "Fixed"), ("declined", "Declined"))
STATUS_LABELS = dict(STATUSES)
UNRESOLVED = ("open", "accepted")


class FeedbackItem(BaseModel):
    title = LineField(max_length=200)
    cause = pw.ForeignKeyField(Cause, on_delete="RESTRICT")
    owner = LineField(max_length=120)            # the owning team or department, in the company's words
    status = LineField(max_length=10, default="open")
    session = pw.ForeignKeyField(Session, null=True, on_delete="SET NULL")   # the meetup that raised it
    created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    fixed_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "created_at"), False), (("fixed_at",), False))

    def __str__(self):
        return self.title

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


class FeedbackCase(BaseModel):
    item = pw.ForeignKeyField(FeedbackItem, backref="case_links", on_delete="CASCADE")
    case = pw.ForeignKeyField(Case, on_delete="CASCADE")

    class Meta:
        indexes = ((("item", "case"), True), (("case",), False))


class FeedbackStatusChange(BaseModel):
    item = pw.ForeignKeyField(FeedbackItem, backref="changes", on_delete="CASCADE")
    old_status = LineField(max_length=10, null=True)   # None: the item was raised
    new_status = LineField(max_length=10)
    note = ProseField(default="")
    changed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    changed_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("item", "changed_at"), False),)


class CauseMonth(BaseModel):
    """Cases submitted per cause in one closed month as `zone` buckets months, counted by
    `flask progress rebuild` (figures.rebuild); the operations page reads past months here and
    counts only the current month live. `cause_key` is the cause's id (tagged cases only)."""
    zone = LineField(max_length=64)
    month = LineField(max_length=7)           # YYYY-MM
    cause_key = pw.IntegerField()
    cases = pw.IntegerField()
    avoidable = pw.IntegerField()

    class Meta:
        indexes = ((("zone", "month", "cause_key"), True),)


class CauseMonthCount(BaseModel):
    """When the rebuild last counted a zone's closed months, and the first and last it covered:
    the page trusts the rows only while they cover its year and are younger than the progress
    summary's age limit."""
    zone = LineField(max_length=64, unique=True)
    first_month = LineField(max_length=7)
    last_month = LineField(max_length=7)
    computed_at = pw.DateTimeField(default=utcnow)


MODELS = [FeedbackItem, FeedbackCase, FeedbackStatusChange, CauseMonth, CauseMonthCount]

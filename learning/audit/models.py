"""One row per sensitive change."""
import peewee as pw

from learning.accounts.models import User
from learning.db import BaseModel, utcnow
from learning.plain_text import LineField, ProseField


class AuditEntry(BaseModel):
    at = pw.DateTimeField(default=utcnow, index=True)
    actor = pw.ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    action = LineField(max_length=60, index=True)
    subject_type = LineField(max_length=40)
    subject_id = pw.IntegerField(null=True)
    summary = ProseField(default="")

    class Meta:
        indexes = ((("subject_type", "subject_id"), False),)

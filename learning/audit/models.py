"""One row per sensitive change."""
import peewee as pw

from learning.accounts.models import User
from learning.db import BaseModel, utcnow


class AuditEntry(BaseModel):
    at = pw.DateTimeField(default=utcnow, index=True)
    actor = pw.ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    action = pw.CharField(max_length=60, index=True)
    subject_type = pw.CharField(max_length=40)
    subject_id = pw.IntegerField(null=True)
    summary = pw.TextField(default="")

    class Meta:
        indexes = ((("subject_type", "subject_id"), False),)

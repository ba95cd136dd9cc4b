"""The audit log of sensitive changes."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class AuditEntry(Base):
        at = pw.DateTimeField(index=True)
        actor = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        action = pw.CharField(max_length=60, index=True)
        subject_type = pw.CharField(max_length=40)
        subject_id = pw.IntegerField(null=True)
        summary = pw.TextField(default="")

        class Meta:
            indexes = ((("subject_type", "subject_id"), False),)

    db.create_tables([AuditEntry])

"""Notifications: notices, preferences, the mail outbox and reminders sent (frozen copies)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Notification(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        kind = pw.CharField(max_length=30)
        text = pw.CharField(max_length=500)
        link = pw.CharField(max_length=300, default="")
        created_at = pw.DateTimeField()
        read_at = pw.DateTimeField(null=True)
        digest_pending = pw.BooleanField(default=False)

        class Meta:
            indexes = ((("user", "read_at"), False), (("user", "created_at"), False),
                       (("digest_pending", "user"), False))

    class Preference(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        kind = pw.CharField(max_length=30)
        channel = pw.CharField(max_length=10)

        class Meta:
            indexes = ((("user", "kind"), True),)

    class OutboxMessage(Base):
        user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        to_address = pw.CharField(max_length=254)
        kind = pw.CharField(max_length=30)
        subject = pw.CharField(max_length=300)
        body = pw.TextField()
        link = pw.CharField(max_length=300, default="")
        calendar = pw.TextField(null=True)
        calendar_method = pw.CharField(max_length=10, null=True)
        created_at = pw.DateTimeField()
        due_at = pw.DateTimeField()
        attempts = pw.IntegerField(default=0)
        last_error = pw.TextField(default="")
        claimed_by = pw.CharField(max_length=100, null=True)
        claimed_until = pw.DateTimeField(null=True)
        sent_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("sent_at", "due_at"), False),)

    class ReminderSent(Base):
        kind = pw.CharField(max_length=30)
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        object_id = pw.IntegerField()
        occurrence = pw.DateTimeField()
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("kind", "user", "object_id", "occurrence"), True),)

    db.create_tables([Notification, Preference, OutboxMessage, ReminderSent])

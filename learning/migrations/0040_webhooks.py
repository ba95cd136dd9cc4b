"""Webhooks and chat posts: `endpoint` (an admin's signed webhook, or a team's Slack or Teams
incoming webhook) and `delivery` (one POST owed to an endpoint, sent by the mail worker under
the outbox's lease rule, with its last answer)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Team(Base):
        pass

    class Endpoint(Base):
        kind = pw.CharField(max_length=10, default="webhook")
        team = pw.ForeignKeyField(Team, null=True, on_delete="CASCADE")
        url = pw.CharField(max_length=500)
        secret = pw.CharField(max_length=80, default="")
        events = pw.CharField(max_length=300, default="")
        active = pw.BooleanField(default=True)
        created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("team", "kind"), True), (("kind", "active"), False))

    class Delivery(Base):
        endpoint = pw.ForeignKeyField(Endpoint, on_delete="CASCADE")
        event = pw.CharField(max_length=40)
        payload = pw.TextField()
        status = pw.CharField(max_length=10, default="pending")
        once_key = pw.CharField(max_length=120, null=True, unique=True)
        created_at = pw.DateTimeField()
        due_at = pw.DateTimeField()
        attempts = pw.IntegerField(default=0)
        claimed_by = pw.CharField(max_length=100, null=True)
        claimed_until = pw.DateTimeField(null=True)
        last_status_code = pw.IntegerField(null=True)
        last_response = pw.TextField(default="")
        last_error = pw.TextField(default="")
        delivered_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("delivered_at", "due_at"), False), (("endpoint", "id"), False))

    db.create_tables([Endpoint, Delivery])

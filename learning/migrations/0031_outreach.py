"""Talking to the team: `announcement` (a coach's short Markdown message to a team, pinned on
members' dashboards until it expires) and `nudge` (one "who hasn't" reminder sent to the
members a criterion found, with how many it reached)."""
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

    class Announcement(Base):
        team = pw.ForeignKeyField(Team, on_delete="CASCADE")
        author = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        body = pw.TextField()
        emailed = pw.BooleanField(default=False)
        created_at = pw.DateTimeField()
        expires_at = pw.DateTimeField()
        withdrawn_at = pw.DateTimeField(null=True)

        class Meta:
            indexes = ((("team", "expires_at"), False), (("team", "created_at"), False))

    class Nudge(Base):
        team = pw.ForeignKeyField(Team, on_delete="CASCADE")
        author = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        criterion = pw.CharField(max_length=20)
        subject = pw.CharField(max_length=200)
        message = pw.TextField(default="")
        emailed = pw.BooleanField(default=False)
        reached = pw.IntegerField()
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("team", "created_at"), False),)

    db.create_tables([Announcement, Nudge])

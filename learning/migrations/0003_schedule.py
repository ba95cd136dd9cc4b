"""The programme schedule: series, sessions, RSVPs and feedback (frozen copies)."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Team(Base):
        pass

    class User(Base):
        pass

    class Competency(Base):
        pass

    class Series(Base):
        kind = pw.CharField(max_length=20, index=True)
        title = pw.CharField(max_length=200)
        description = pw.TextField(default="")
        location = pw.CharField(max_length=200, default="")
        video_url = pw.CharField(max_length=500, default="")
        capacity = pw.IntegerField(null=True)
        duration_minutes = pw.IntegerField()
        timezone = pw.CharField(max_length=64)
        first_start_local = pw.DateTimeField()
        rrule = pw.TextField(default="")
        team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
        generated_until = pw.DateTimeField(null=True)
        active = pw.BooleanField(default=True)
        created_by = pw.ForeignKeyField(User)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

    class SeriesCompetency(Base):
        series = pw.ForeignKeyField(Series, on_delete="CASCADE")
        competency = pw.ForeignKeyField(Competency, on_delete="CASCADE")

        class Meta:
            indexes = ((("series", "competency"), True),)

    class SeriesFacilitator(Base):
        series = pw.ForeignKeyField(Series, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")

        class Meta:
            indexes = ((("series", "user"), True),)

    class Session(Base):
        series = pw.ForeignKeyField(Series, on_delete="CASCADE")
        uid = pw.CharField(max_length=120, unique=True)
        recurrence_local = pw.DateTimeField()
        starts_at = pw.DateTimeField(index=True)
        ends_at = pw.DateTimeField()
        timezone = pw.CharField(max_length=64)
        location = pw.CharField(max_length=200, default="")
        video_url = pw.CharField(max_length=500, default="")
        facilitator = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        capacity = pw.IntegerField(null=True)
        status = pw.CharField(max_length=12, default="scheduled", index=True)
        rsvp_closed = pw.BooleanField(default=False)
        moved = pw.BooleanField(default=False)
        sequence = pw.IntegerField(default=0)
        changed_at = pw.DateTimeField()

        class Meta:
            indexes = ((("series", "recurrence_local"), True), (("series", "starts_at"), False))

    class Rsvp(Base):
        session = pw.ForeignKeyField(Session, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        status = pw.CharField(max_length=12, index=True)
        queue_number = pw.IntegerField()
        walk_in = pw.BooleanField(default=False)
        attendance = pw.CharField(max_length=10, null=True)
        attendance_recorded_at = pw.DateTimeField(null=True)
        sequence = pw.IntegerField(default=0)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            indexes = ((("session", "user"), True), (("user", "status"), False),
                       (("session", "status", "queue_number"), False))

    class SessionFeedback(Base):
        session = pw.ForeignKeyField(Session, on_delete="CASCADE")
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        rating = pw.IntegerField()
        comment = pw.TextField(default="")
        created_at = pw.DateTimeField()

        class Meta:
            indexes = ((("session", "user"), True),)

    db.create_tables([Series, SeriesCompetency, SeriesFacilitator, Session, Rsvp, SessionFeedback])

"""Wellbeing: the pulse rhythm, pulse answers (one per person and round, the team as it was),
their tally per round and team (what team and programme figures read) and departures (who
left which team on which day). People already deactivated get their departure from the audit
log's last "user.deactivated" entry, when it has one. Frozen copies."""
import peewee as pw


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Team(Base):
        pass

    class User(Base):
        class Meta:
            table_name = "user"

    class PulseRhythm(Base):
        starts_on = pw.DateField(unique=True)
        every_weeks = pw.SmallIntegerField(default=2)
        active = pw.BooleanField(default=True)
        set_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        set_at = pw.DateTimeField()

    class PulseAnswer(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
        round_on = pw.DateField()
        workload = pw.SmallIntegerField()
        hard_contacts = pw.SmallIntegerField()
        allowed_to_fix = pw.SmallIntegerField()
        support = pw.SmallIntegerField()
        comment = pw.TextField(default="")
        share_comment = pw.BooleanField(default=False)
        answered_at = pw.DateTimeField()

        class Meta:
            indexes = ((("user", "round_on"), True), (("round_on", "team"), False))

    class PulseTally(Base):
        round_on = pw.DateField()
        team_key = pw.IntegerField()
        people = pw.IntegerField(default=0)
        workload = pw.IntegerField(default=0)
        hard_contacts = pw.IntegerField(default=0)
        allowed_to_fix = pw.IntegerField(default=0)
        support = pw.IntegerField(default=0)

        class Meta:
            indexes = ((("round_on", "team_key"), True),)

    class Departure(Base):
        user = pw.ForeignKeyField(User, on_delete="CASCADE")
        team = pw.ForeignKeyField(Team, null=True, on_delete="SET NULL")
        left_on = pw.DateField()

        class Meta:
            indexes = ((("team", "left_on"), False), (("user", "left_on"), False))

    db.create_tables([PulseRhythm, PulseAnswer, PulseTally, Departure])
    sqlite = isinstance(db.obj, pw.SqliteDatabase)
    day, inactive = ('date(MAX(a."at"))', "0") if sqlite else ('CAST(MAX(a."at") AS DATE)', "false")
    db.execute_sql(
        f'INSERT INTO "departure" ("user_id", "team_id", "left_on") SELECT u."id", u."team_id", {day} '
        'FROM "user" u JOIN "audit_entry" a ON a."subject_type" = \'user\' AND a."subject_id" = u."id" '
        f'AND a."action" = \'user.deactivated\' WHERE u."active" = {inactive} GROUP BY u."id", u."team_id"')

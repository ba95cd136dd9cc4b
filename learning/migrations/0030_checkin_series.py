"""Recurring check-ins: `check_in_series` (one person with one coach, a rule in the person's
zone), `check_in.series_id`, and `checkin_agenda_item.done_at` (open items carry to the
series' next check-in). A check-in of a series needs no development plan, so
`check_in.plan_id` may be empty.

On PostgreSQL that is `DROP NOT NULL`. SQLite cannot alter a column, and its table rebuild
would drop `check_in` under its agenda items and notes (their ON DELETE CASCADE fires
while foreign keys are on, and a migration runs inside a transaction where they cannot
be switched off). Removing a NOT NULL constraint changes nothing stored, so the schema
text is edited in place, as SQLite's ALTER TABLE documentation describes (section 7).
"""
import peewee as pw
from playhouse.migrate import migrate

NOT_NULL_PLAN = '"plan_id" INTEGER NOT NULL'


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class CheckInSeries(Base):
        employee = pw.ForeignKeyField(User, on_delete="CASCADE")
        coach = pw.ForeignKeyField(User, on_delete="CASCADE")
        rrule = pw.TextField()
        first_start_local = pw.DateTimeField()
        timezone = pw.CharField(max_length=64)
        duration_minutes = pw.IntegerField()
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "check_in_series"
            indexes = ((("coach", "active"), False), (("employee", "active"), False))

    db.create_tables([CheckInSeries])
    series = pw.ForeignKeyField(CheckInSeries, null=True, field=CheckInSeries.id, on_delete="SET NULL")
    migrate(migrator.add_column("check_in", "series_id", series),
            migrator.add_column("checkin_agenda_item", "done_at", pw.DateTimeField(null=True)),
            migrator.add_index("check_in", ("series_id", "starts_at"), False))
    if isinstance(db.obj, pw.SqliteDatabase):
        _allow_empty_plan_on_sqlite(db)
    else:
        db.execute_sql('ALTER TABLE "check_in" ALTER COLUMN "plan_id" DROP NOT NULL')


def _allow_empty_plan_on_sqlite(db):
    (sql,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'check_in'").fetchone()
    if NOT_NULL_PLAN not in sql:
        raise RuntimeError("check_in.plan_id is not declared as expected; the migration cannot edit it")
    (version,) = db.execute_sql("PRAGMA schema_version").fetchone()
    db.execute_sql("PRAGMA writable_schema = ON")
    db.execute_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'check_in'",
                   (sql.replace(NOT_NULL_PLAN, '"plan_id" INTEGER'),))
    db.execute_sql(f"PRAGMA schema_version = {int(version) + 1}")
    db.execute_sql("PRAGMA writable_schema = OFF")

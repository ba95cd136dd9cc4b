"""A programme-wide change counter for calendar feeds.

Every write to what a feed shows (sessions, series, places, check-ins, people's
names) moves `calendar_change.counter`, by triggers in the database so that no
code path can forget it. A feed poll that finds the counter where it was when
the feed's state was last computed answers from the stored state in one query.

On PostgreSQL the trigger is a deferred constraint trigger: the counter row is
locked only while the transaction commits, as the last lock it takes, so two
writers can never deadlock on it, and the new count becomes visible together
with the change that caused it. It moves the counter once per transaction
(`txid` remembers which did last), not once per row: a bulk write of thousands
of rows must not pile thousands of versions onto one row.
"""
import peewee as pw

WATCHED = ("session", "series", "rsvp", "check_in")
PEOPLE_COLUMNS = ("display_name", "active")


def upgrade(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class CalendarChange(Base):
        counter = pw.BigIntegerField(default=0)
        txid = pw.BigIntegerField(null=True)   # PostgreSQL: the transaction that moved it last

    db.create_tables([CalendarChange])
    CalendarChange.create(id=1, counter=0)
    from playhouse.migrate import migrate
    migrate(migrator.add_column("feed_token", "checked", pw.CharField(max_length=120, default="")))
    if isinstance(db.obj, pw.SqliteDatabase):
        _sqlite_triggers(db)
    else:
        _postgresql_triggers(db)


BUMP = "UPDATE calendar_change SET counter = counter + 1 WHERE id = 1"


def _sqlite_triggers(db):
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute_sql(f'CREATE TRIGGER calendar_change_{table}_{event.lower()} AFTER {event} ON "{table}" '
                           f"BEGIN {BUMP}; END")
    columns = ", ".join(PEOPLE_COLUMNS)
    db.execute_sql(f'CREATE TRIGGER calendar_change_user_update AFTER UPDATE OF {columns} ON "user" '
                   f"BEGIN {BUMP}; END")


def _postgresql_triggers(db):
    once = "txid = txid_current() WHERE id = 1 AND txid IS DISTINCT FROM txid_current()"
    db.execute_sql("CREATE FUNCTION calendar_change_bump() RETURNS trigger AS $$ "
                   f"BEGIN UPDATE calendar_change SET counter = counter + 1, {once}; RETURN NULL; END $$ "
                   "LANGUAGE plpgsql")
    for table in WATCHED:
        db.execute_sql(f'CREATE CONSTRAINT TRIGGER calendar_change_{table} AFTER INSERT OR UPDATE OR DELETE '
                       f'ON "{table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                       "EXECUTE FUNCTION calendar_change_bump()")
    columns = ", ".join(PEOPLE_COLUMNS)
    db.execute_sql(f'CREATE CONSTRAINT TRIGGER calendar_change_user AFTER UPDATE OF {columns} ON "user" '
                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_change_bump()")

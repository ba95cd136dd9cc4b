"""Calendar feeds keep no state: the change counter goes, and so do the feed's stored state.

A feed's ETag and Last-Modified are now computed on each poll from a few aggregates of
what it shows (calendars/feeds.py), and a poll writes nothing. So:
- the `calendar_change` row and the triggers of 0015 that moved it on every write to
  sessions, series, places, check-ins and people's names (one hot row every write
  touched) are dropped;
- `feed_token` loses `high_water`, `state_key` and `checked` (written on GET to remember
  the last state) and `last_fetched_at` / `last_user_agent` (written on GET to show the
  last fetch).
"""
import peewee as pw
from playhouse.migrate import migrate

WATCHED = ("session", "series", "rsvp", "check_in")   # 0015's
FEED_STATE = ("last_fetched_at", "last_user_agent", "high_water", "state_key", "checked")


def upgrade(db, migrator):
    if isinstance(db.obj, pw.SqliteDatabase):
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                db.execute_sql(f"DROP TRIGGER IF EXISTS calendar_change_{table}_{event}")
        db.execute_sql("DROP TRIGGER IF EXISTS calendar_change_user_update")
    else:
        for table in (*WATCHED, "user"):
            db.execute_sql(f'DROP TRIGGER IF EXISTS calendar_change_{table} ON "{table}"')
        db.execute_sql("DROP FUNCTION IF EXISTS calendar_change_bump()")
    db.execute_sql("DROP TABLE IF EXISTS calendar_change")
    migrate(*(migrator.drop_column("feed_token", column) for column in FEED_STATE))

"""Schedule: on PostgreSQL, sessions by id with their start and status, so that progress reads
the sessions of a team's places from this index alone. Team progress joins the ~1,500 places of a
team's ~50 members to their sessions three times per view; without it the planner hashes every
session of the period instead (at 50,000 people: a scan of 200,000 sessions, 3,600 pages, for
each view), so the page's cost grew with the organisation (docs/benchmark.md, query plans).
SQLite reads a row by its id from the table itself and needs nothing."""
import peewee as pw


def upgrade(db, migrator):
    if not isinstance(db.obj, pw.SqliteDatabase):
        db.execute_sql('CREATE INDEX "session_id_starts_at_status" ON "session" ("id", "starts_at", "status")')

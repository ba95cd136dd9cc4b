"""Schedule: a person's places by status carry their session, last change and sequence, so
that the personal feed's ETag (the latest change and the sum of sequences of the person's
places) and the person's own sessions (my schedule, the dashboard, the feed) read the index
alone. It replaces rsvp(user_id, status), its first two columns, which served the same lookups
but sent each of them to the table: a feed person's 200 places were read three times per poll
from ~200 table pages (scale 1, PostgreSQL: 1,583 pages for the ETag query, 1,022 after;
docs/benchmark.md, query plans). Both engines: SQLite uses a covering index the same way."""


def upgrade(db, migrator):
    db.execute_sql('DROP INDEX IF EXISTS "rsvp_user_id_status"')
    db.execute_sql('CREATE INDEX "rsvp_user_id_status_session_id_updated_at_sequence" '
                   'ON "rsvp" ("user_id", "status", "session_id", "updated_at", "sequence")')

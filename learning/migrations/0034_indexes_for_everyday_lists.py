"""Indexes for lists that read the whole organisation at 50,000 people (measured with
EXPLAIN ANALYZE on the scale-10 benchmark, see docs/benchmark.md):

- the next scheduled check-ins an admin sees (dashboard, /coaching): PostgreSQL sorted
  every check-in (87 ms); a partial index of scheduled check-ins by start is read from now;
- the people list (/admin/users, active first, by name): a sort of every person (166 ms);
  an index in that order is read for one page."""


def upgrade(db, migrator):
    db.execute_sql('CREATE INDEX "check_in_scheduled_starts_at" ON "check_in" ("starts_at") '
                   "WHERE \"status\" = 'scheduled'")
    db.execute_sql('CREATE INDEX "user_active_display_name" ON "user" ("active" DESC, "display_name")')

"""Indexes for lists that read the whole organisation at 50,000 people (measured with
EXPLAIN ANALYZE on the scale-10 benchmark, see docs/benchmark.md):

- the next scheduled check-ins an admin sees (dashboard, /coaching): PostgreSQL sorted
  every check-in (87 ms); a partial index of scheduled check-ins by start is read from now;
- the people list (/admin/users: active first, then by name): a sort of every person
  (166 ms); an index in exactly that order is read for one page. It replaces an index on
  (active, display_name) in ascending order where one exists: that one serves a filter on
  `active` but not "active first" (a DESC then an ASC key), which this one serves as well."""


def upgrade(db, migrator):
    db.execute_sql('CREATE INDEX "check_in_scheduled_starts_at" ON "check_in" ("starts_at") '
                   "WHERE \"status\" = 'scheduled'")
    db.execute_sql('DROP INDEX IF EXISTS "user_active_display_name"')
    db.execute_sql('CREATE INDEX "user_active_desc_display_name" ON "user" ("active" DESC, "display_name")')

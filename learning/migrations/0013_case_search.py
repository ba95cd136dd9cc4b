"""Case library search by a full-text index, and the coaches' queue walked in order.

SQLite: an FTS5 table `case_search` holding one document per discussed case
(its five text fields and its takeaway's three, rowid = case id), kept in step
by triggers on `case` and `takeaway` so every writer (the app, imports, bulk
loads) keeps it right. PostgreSQL: GIN indexes on `to_tsvector('simple', ...)`
of the case's text (discussed cases only) and of the takeaway's text.

Both: an index on `case(submitted_at, id, status)`, which the queue of submitted
and scheduled cases walks newest first, stopping after a page; the status in it
spares reading the rows of other cases on the way. (Not a partial index on those
statuses: SQLite does not use one for `status IN (?, ?)` with bound values.)
"""
import peewee as pw

# The document of a discussed case: the case's text, then its takeaway's.
CASE_TEXT = "title || ' ' || customer_need || ' ' || actions || ' ' || outcome || ' ' || ask"
TAKEAWAY_TEXT = "what_worked || ' ' || do_differently || ' ' || principle"


def _sync(case_id):
    """Statements putting case `case_id`'s document in step (none when it is not discussed)."""
    return (f"DELETE FROM case_search WHERE rowid = {case_id}; "
            f"INSERT INTO case_search (rowid, body) SELECT c.id, "
            f"c.title || ' ' || c.customer_need || ' ' || c.actions || ' ' || c.outcome || ' ' || c.ask"
            f" || ' ' || t.what_worked || ' ' || t.do_differently || ' ' || t.principle "
            f"FROM \"case\" AS c JOIN takeaway AS t ON t.case_id = c.id "
            f"WHERE c.id = {case_id} AND c.status = 'discussed';")


SQLITE = [
    "CREATE VIRTUAL TABLE case_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER case_search_takeaway_inserted AFTER INSERT ON takeaway BEGIN {_sync('new.case_id')} END",
    "CREATE TRIGGER case_search_takeaway_changed AFTER UPDATE OF case_id, what_worked, do_differently, principle"
    f" ON takeaway BEGIN DELETE FROM case_search WHERE rowid = old.case_id; {_sync('new.case_id')} END",
    "CREATE TRIGGER case_search_takeaway_deleted AFTER DELETE ON takeaway"
    " BEGIN DELETE FROM case_search WHERE rowid = old.case_id; END",
    "CREATE TRIGGER case_search_case_changed AFTER UPDATE OF id, status, title, customer_need, actions, outcome,"
    f" ask ON \"case\" BEGIN DELETE FROM case_search WHERE rowid = old.id; {_sync('new.id')} END",
    "CREATE TRIGGER case_search_case_deleted AFTER DELETE ON \"case\""
    " BEGIN DELETE FROM case_search WHERE rowid = old.id; END",
    "INSERT INTO case_search (rowid, body) SELECT c.id, "
    "c.title || ' ' || c.customer_need || ' ' || c.actions || ' ' || c.outcome || ' ' || c.ask"
    " || ' ' || t.what_worked || ' ' || t.do_differently || ' ' || t.principle "
    "FROM \"case\" AS c JOIN takeaway AS t ON t.case_id = c.id WHERE c.status = 'discussed'",
]

POSTGRESQL = [
    f"CREATE INDEX case_search_text ON \"case\" USING GIN (to_tsvector('simple', {CASE_TEXT}))"
    " WHERE status = 'discussed'",
    f"CREATE INDEX takeaway_search_text ON takeaway USING GIN (to_tsvector('simple', {TAKEAWAY_TEXT}))",
]

QUEUE_INDEX = "CREATE INDEX case_submitted_at_id_status ON \"case\" (submitted_at, id, status)"


def upgrade(db, migrator):
    engine = getattr(db, "obj", db)
    for statement in (SQLITE if isinstance(engine, pw.SqliteDatabase) else POSTGRESQL) + [QUEUE_INDEX]:
        db.execute_sql(statement)

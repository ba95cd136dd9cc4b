"""Case library search by stems, ranked, with highlighted snippets (replaces 0013's index).

One stored, indexed document per discussed case, with two parts: its title, and its body
(the case's four narrative fields and its takeaway's three). Only discussed cases are in it,
and from submission on a case holds redacted text only, so the document never holds a draft
or anything unredacted. Triggers keep it in step with every writer (the app, imports,
migrations, bulk loads): a case's text or status changing, a takeaway recorded or corrected,
a case deleted.

- SQLite: the FTS5 table `case_search(title, body)`, rowid = case id, tokenized with the
  Porter stemmer over unicode61 ("refunds" and "refund" are one term); it stores the text,
  which snippet() and highlight() read.
- PostgreSQL: the table `case_search(case_id, document)`: a tsvector with the title weighted
  A and the body B, under a GIN index for matching; its primary key walks the newest cases
  first. The text search
  configuration `case_english` is English with Snowball stemming but no stop words ("own the
  issue" is a principle here, and a search for it must find it, as SQLite's does).
  `case_search_sync(first, last)` puts the documents of the cases with ids in that range in
  step; the triggers call it for one case, and a bulk load that skips triggers calls it once
  for every case.
"""
import peewee as pw

OLD_SQLITE_TRIGGERS = ("case_search_takeaway_inserted", "case_search_takeaway_changed", "case_search_takeaway_deleted",
                       "case_search_case_changed", "case_search_case_deleted")

# The body of a discussed case's document, each part on its own line (c = case, t = takeaway).
BODY = ("c.customer_need || E'\\n' || c.actions || E'\\n' || c.outcome || E'\\n' || c.ask || E'\\n' || "
        "t.what_worked || E'\\n' || t.do_differently || E'\\n' || t.principle")
SQLITE_BODY = BODY.replace("E'\\n'", "char(10)")
CASE_COLUMNS = "status, title, customer_need, actions, outcome, ask"
TAKEAWAY_COLUMNS = "case_id, what_worked, do_differently, principle"


SQLITE_FILL = (f"INSERT INTO case_search (rowid, title, body) SELECT c.id, c.title, {SQLITE_BODY} "
               "FROM \"case\" AS c JOIN takeaway AS t ON t.case_id = c.id WHERE c.status = 'discussed'")


def _sqlite_sync(case_id):
    return f"DELETE FROM case_search WHERE rowid = {case_id}; {SQLITE_FILL} AND c.id = {case_id};"


SQLITE = [
    "CREATE VIRTUAL TABLE case_search USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER case_search_takeaway_inserted AFTER INSERT ON takeaway BEGIN {_sqlite_sync('new.case_id')} END",
    f"CREATE TRIGGER case_search_takeaway_changed AFTER UPDATE OF {TAKEAWAY_COLUMNS} ON takeaway"
    f" BEGIN DELETE FROM case_search WHERE rowid = old.case_id; {_sqlite_sync('new.case_id')} END",
    "CREATE TRIGGER case_search_takeaway_deleted AFTER DELETE ON takeaway"
    " BEGIN DELETE FROM case_search WHERE rowid = old.case_id; END",
    # Only a case that is or was discussed can have a document: other cases' saves cost nothing.
    f"CREATE TRIGGER case_search_case_changed AFTER UPDATE OF id, {CASE_COLUMNS} ON \"case\""
    " WHEN old.status = 'discussed' OR new.status = 'discussed'"
    f" BEGIN DELETE FROM case_search WHERE rowid = old.id; {_sqlite_sync('new.id')} END",
    "CREATE TRIGGER case_search_case_deleted AFTER DELETE ON \"case\" WHEN old.status = 'discussed'"
    " BEGIN DELETE FROM case_search WHERE rowid = old.id; END",
    SQLITE_FILL,
]

DOCUMENT = (f"setweight(to_tsvector('case_english', c.title), 'A')"
            f" || setweight(to_tsvector('case_english', {BODY}), 'B')")

POSTGRESQL = [
    "DROP INDEX IF EXISTS case_search_text",
    "DROP INDEX IF EXISTS takeaway_search_text",
    "CREATE TEXT SEARCH DICTIONARY case_english_stem (TEMPLATE = snowball, LANGUAGE = english)",
    "CREATE TEXT SEARCH CONFIGURATION case_english (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION case_english ALTER MAPPING REPLACE english_stem WITH case_english_stem",
    "CREATE TABLE case_search (case_id integer PRIMARY KEY REFERENCES \"case\" (id) ON DELETE CASCADE,"
    " document tsvector NOT NULL)",
    "CREATE INDEX case_search_document ON case_search USING GIN (document)",
    # Upsert, then delete what is no longer discussed: two transactions putting the same case in
    # step at once (its takeaway corrected while the case changes) never collide on the key.
    "CREATE FUNCTION case_search_sync(first_id integer, last_id integer) RETURNS void AS $$ BEGIN "
    f"INSERT INTO case_search (case_id, document) SELECT c.id, {DOCUMENT} "
    "FROM \"case\" AS c JOIN takeaway AS t ON t.case_id = c.id "
    "WHERE c.id BETWEEN first_id AND last_id AND c.status = 'discussed' "
    "ON CONFLICT (case_id) DO UPDATE SET document = excluded.document; "
    "DELETE FROM case_search AS s WHERE s.case_id BETWEEN first_id AND last_id AND NOT EXISTS ("
    "SELECT 1 FROM \"case\" AS c JOIN takeaway AS t ON t.case_id = c.id WHERE c.id = s.case_id"
    " AND c.status = 'discussed'); "
    "END $$ LANGUAGE plpgsql",
    "CREATE FUNCTION case_search_case_changed() RETURNS trigger AS $$ BEGIN "
    "PERFORM case_search_sync(new.id, new.id); RETURN NULL; END $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER case_search_case_changed AFTER UPDATE OF {CASE_COLUMNS} ON \"case\" FOR EACH ROW"
    " WHEN (old.status = 'discussed' OR new.status = 'discussed') EXECUTE FUNCTION case_search_case_changed()",
    "CREATE FUNCTION case_search_takeaway_changed() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' THEN PERFORM case_search_sync(old.case_id, old.case_id); END IF; "
    "IF TG_OP <> 'DELETE' THEN PERFORM case_search_sync(new.case_id, new.case_id); END IF; "
    "RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER case_search_takeaway_changed AFTER INSERT OR DELETE OR UPDATE OF"
    f" {TAKEAWAY_COLUMNS} ON takeaway FOR EACH ROW EXECUTE FUNCTION case_search_takeaway_changed()",
    "SELECT case_search_sync(0, 2147483647)",
    "ANALYZE case_search",   # the statistics that tell the planner a common word from a rare one
]


def upgrade(db, migrator):
    if isinstance(db.obj, pw.SqliteDatabase):
        for trigger in OLD_SQLITE_TRIGGERS:
            db.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        db.execute_sql("DROP TABLE IF EXISTS case_search")
        statements = SQLITE
    else:
        statements = POSTGRESQL
    for statement in statements:
        db.execute_sql(statement)

"""Bulk writes for the generator: rows as tuples with ids chosen by us, one
transaction per table: peewee's insert_many converts every value through its
field and cost ~5x more.

On PostgreSQL a table is loaded with COPY (psycopg2's copy_expert, in chunks of
CSV written by the csv module) after dropping its secondary indexes, which are
built again from their own definitions once the table is full (one sort per
index instead of an index insertion per row), on a second connection while the
next table is generated and loaded; the load skips foreign-key and trigger work
(`session_replication_role = replica`: the generator chose consistent ids, and
the calendar change counter is not needed for a fresh organisation). On SQLite,
sqlite3's executemany in chunks, the table's indexes likewise built after its
rows where no trigger needs them (the triggers stay: they keep the case search's
full-text index and the calendar change counter). PostgreSQL sequences are moved past the ids we
chose so the app's own inserts (an RSVP) do not collide."""
import csv
import io
import queue
import threading
from datetime import date, datetime

import psycopg2

from learning.db import db, is_sqlite
from learning.progress_bar import ProgressBar

CHUNK = 5000          # rows per executemany on SQLite
COPY_CHUNK = 100000   # rows per COPY buffer on PostgreSQL


def _insert_sql(model, fields):
    """INSERT for these fields, as the model's own insert_many would write it (names quoted, placeholders)."""
    columns = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in fields)
    values = ", ".join([db.param] * len(fields))
    return f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({values})'


def _with_defaults(model, fields, rows):
    """Add the model's Python-side defaults for the fields not given (raw SQL does not know them)."""
    missing = [f for name, f in model._meta.fields.items() if name not in fields and f.default is not None]
    if not missing:
        return fields, rows
    extra = tuple(f.default() if callable(f.default) else f.default for f in missing)
    return list(fields) + [f.name for f in missing], [row + extra for row in rows]


def _sqlite_value(value):
    """Dates and times as peewee stores them in SQLite ('YYYY-MM-DD HH:MM:SS'), without sqlite3's adapters."""
    if isinstance(value, (datetime, date)):
        return str(value)
    return value


def _copy_sql(model, fields):
    """COPY in CSV: None is written as an empty unquoted field (NULL); in a NOT NULL column an empty
    field is the empty string (FORCE_NOT_NULL)."""
    columns = [f'"{model._meta.fields[name].column_name}"' for name in fields]
    not_null = [column for name, column in zip(fields, columns) if not model._meta.fields[name].null]
    force = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
    return f'COPY "{model._meta.table_name}" ({", ".join(columns)}) FROM STDIN WITH (FORMAT csv{force})'


def _csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    return buffer


def _sqlite_indexes_to_rebuild(cursor, table):
    """(name, definition) of the table's own indexes, unless a trigger that keeps the case search's
    full-text index fires on it: that trigger finds the case's rows through these indexes."""
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE 'case_search%'",
                   (table,))
    if cursor.fetchone():
        return []
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                   (table,))
    return cursor.fetchall()


def _secondary_indexes(cursor, table):
    """(name, definition) of the table's indexes that back no constraint (the primary key stays)."""
    cursor.execute("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                   "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                   "WHERE t.relname = %s AND t.relnamespace = to_regnamespace(current_schema()) "
                   "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                   (table,))
    return cursor.fetchall()


class IndexBuilder:
    """On its own connection, in order, while the generator goes on: builds a loaded table's indexes,
    then refreshes its statistics and visibility map (VACUUM ANALYZE: without the map no index-only scan)."""

    def __init__(self):
        self.connection = psycopg2.connect(dbname=db.database, **db.connect_params)
        self.connection.autocommit = True
        self.connection.cursor().execute("SET maintenance_work_mem = '256MB'")
        self.work, self.failure = queue.Queue(), None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def build(self, table, definitions):
        self.work.put((table, definitions))

    def _run(self):
        while (job := self.work.get()) is not None:
            table, definitions = job
            try:
                for statement in [*definitions, f'VACUUM ANALYZE "{table}"']:
                    if self.failure is None:
                        self.connection.cursor().execute(statement)
            except psycopg2.Error as error:
                self.failure = error

    def finish(self):
        self.work.put(None)
        self.thread.join()
        self.connection.close()
        if self.failure is not None:
            raise self.failure


class Writer:
    def __init__(self, quiet=False):
        self.quiet = quiet
        self.counts = {}
        self.tables = []
        self.prepared = False
        self.indexes = None

    def _prepare_postgresql(self):
        """Once per generation: a session that skips foreign-key checks and triggers (superuser only;
        without it the load is slower but the same) and builds indexes with more memory."""
        if self.prepared:
            return
        self.prepared = True
        self.indexes = IndexBuilder()
        cursor = db.cursor()
        try:
            with db.atomic():
                cursor.execute("SET session_replication_role = replica")
        except psycopg2.Error:
            pass

    def write(self, model, fields, rows, label=None):
        """Insert `rows` (tuples in the order of `fields`, field names) into `model`."""
        label = label or model._meta.table_name
        fields, rows = _with_defaults(model, fields, rows)
        bar = None if self.quiet else ProgressBar(label, len(rows))
        if is_sqlite():
            self._insert(model, fields, rows, bar)
        else:
            self._copy(model, fields, rows, bar)
        if bar:
            bar.close()
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        if "id" in fields:
            self.tables.append(model)

    def _insert(self, model, fields, rows, bar):
        sql = _insert_sql(model, fields)
        with db.atomic():
            cursor = db.cursor()
            cursor.execute("PRAGMA cache_size = -262144")   # 256 MB of page cache for this connection
            indexes = _sqlite_indexes_to_rebuild(cursor, model._meta.table_name)
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for start in range(0, len(rows), CHUNK):
                part = rows[start:start + CHUNK]
                cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in part])
                if bar:
                    bar.advance(len(part))
            for _, definition in indexes:
                cursor.execute(definition)

    def _copy(self, model, fields, rows, bar):
        self._prepare_postgresql()
        sql = _copy_sql(model, fields)
        with db.atomic():
            cursor = db.cursor()
            indexes = _secondary_indexes(cursor, model._meta.table_name)
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for start in range(0, len(rows), COPY_CHUNK):
                part = rows[start:start + COPY_CHUNK]
                cursor.copy_expert(sql, _csv(part))
                if bar:
                    bar.advance(len(part))
        self.indexes.build(model._meta.table_name, [definition for _, definition in indexes])

    def finish(self):
        """Wait for the last indexes (PostgreSQL) and move the id sequences past the ids written;
        on SQLite, refresh the planner's statistics."""
        if is_sqlite():
            db.execute_sql("ANALYZE")
            return
        if self.indexes:
            self.indexes.finish()
        for model in dict.fromkeys(self.tables):
            table = model._meta.table_name
            db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))")
        db.execute_sql("SET session_replication_role = DEFAULT")

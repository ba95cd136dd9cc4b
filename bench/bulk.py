"""Bulk writes for the generator: rows as tuples with ids chosen by us, inserted
in chunks (sqlite3's executemany; psycopg2's execute_values, one statement per
chunk), one transaction per table: peewee's insert_many converts every value
through its field and cost ~5x more. PostgreSQL sequences are moved past the
ids we chose so the app's own inserts (an RSVP) do not collide."""
from datetime import date, datetime

from psycopg2.extras import execute_values

from learning.db import db, is_sqlite
from bench.progress_bar import ProgressBar

CHUNK = 5000


def _insert_sql(model, fields):
    """INSERT for these fields, as the model's own insert_many would write it (names quoted, placeholders)."""
    columns = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in fields)
    values = "(" + ", ".join([db.param] * len(fields)) + ")" if is_sqlite() else "%s"   # execute_values' form
    return f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES {values}'


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


class Writer:
    def __init__(self, quiet=False):
        self.quiet = quiet
        self.counts = {}
        self.tables = []

    def write(self, model, fields, rows, label=None):
        """Insert `rows` (tuples in the order of `fields`, field names) into `model`."""
        label = label or model._meta.table_name
        fields, rows = _with_defaults(model, fields, rows)
        bar = None if self.quiet else ProgressBar(label, len(rows))
        sql = _insert_sql(model, fields)
        sqlite = is_sqlite()
        with db.atomic():
            cursor = db.cursor()
            for start in range(0, len(rows), CHUNK):
                part = rows[start:start + CHUNK]
                if sqlite:
                    cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in part])
                else:   # one statement per chunk: executemany would make a round trip per row
                    execute_values(cursor, sql, part, page_size=CHUNK)
                if bar:
                    bar.advance(len(part))
        if bar:
            bar.close()
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        if "id" in fields:
            self.tables.append(model)

    def finish(self):
        """Move PostgreSQL id sequences past the ids written; refresh the planner's statistics
        (and, on PostgreSQL, the visibility map, without which no index-only scan happens)."""
        if is_sqlite():
            db.execute_sql("ANALYZE")
            return
        for model in dict.fromkeys(self.tables):
            table = model._meta.table_name
            db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))")
        db.execute_sql("VACUUM ANALYZE")

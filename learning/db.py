"""The database: one DatabaseProxy, the base model, per-request connections,
row locking for check-then-write rules, and the migrations runner.

The proxy is initialised by `init_database(url)` from `DATABASE_URL`: SQLite by
default, PostgreSQL through the same code.
"""
import importlib
import pkgutil
from datetime import date, datetime, timezone

import peewee
from flask import abort
from playhouse.db_url import connect, parse
from playhouse.migrate import SchemaMigrator

from learning import migrations

db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


class BaseModel(peewee.Model):
    class Meta:
        database = db
        legacy_table_names = False


# Connections are pooled: a request checks one out and gives it back, so the
# per-connection set-up (SQLite's PRAGMAs; PostgreSQL's connect and
# authentication) is paid once per worker, not once per request. The
# PostgreSQL pool pings a connection before lending it again and drops it when
# the server went away, so a restarted database is reconnected on the next
# request. Connections idle longer than STALE_SECONDS are closed.
STALE_SECONDS = 300


def init_database(url):
    """Point the proxy at the database named by `url` and return it."""
    previous = db.obj
    if previous is not None and hasattr(previous, "close_all"):
        previous.close_all()   # a re-initialised app (tests, CLI) leaves no idle connections behind
    pool = {"max_connections": None, "stale_timeout": STALE_SECONDS}
    if url.startswith("sqlite"):
        # Every transaction takes the write lock up front: a deferred
        # transaction that reads then writes can fail with SQLITE_BUSY at the
        # upgrade, which busy_timeout does not wait out. A pooled connection
        # may serve another thread of a threaded server after its check-in.
        from learning.sqlite_writers import QueuedWritersSqliteDatabase

        database = QueuedWritersSqliteDatabase(parse(url)["database"], pragmas=SQLITE_PRAGMAS,
                                               lock_type="IMMEDIATE", check_same_thread=False, **pool)
    else:
        scheme, rest = url.split("://", 1)
        database = connect(f"{scheme}+pool://{rest}", **pool)
    db.initialize(database)
    return database


class CompiledSelect:
    """A hot query whose SQL text is written once per kind of database (and shape); each call binds
    new values and returns the rows (an iterable peewee cursor wrapper, not a query).

    peewee spends most of a small query's time writing its SQL (about 0.2–1 ms for a
    wide join, against well under 0.1 ms to run it). `build(*values)` must give the
    same shape of query for any values of the types of the first call's (ints, strings,
    dates or datetimes), using each value as given (not `value + delta`): only the values
    differ per call. Where the shape depends on something else (the viewer's role, say),
    name it with `shape=`: each shape is written once.
    """

    # A list longer than this (shape=len(ids)) is written each time: rare, and not worth keeping.
    LONGEST_KEPT_LIST = 100

    def __init__(self, build):
        self.build = build
        self.compiled = {}

    def __call__(self, *values, shape=None):
        if isinstance(shape, int) and shape > self.LONGEST_KEPT_LIST:
            return self.build(*values)
        # Keyed by the kind of database (its SQL dialect), not the object: a closed database's
        # id() can come back as another engine's (tests, CLI re-initialise the proxy).
        key = (type(db.obj), shape)
        if key not in self.compiled:
            self.compiled[key] = self._compile(values, shape)
        sql, params, slots, query = self.compiled[key]
        bound = [values[slot] if slot is not None else param for param, slot in zip(params, slots)]
        # The rows, read as the query built once would read them: the query itself is not
        # handed out (its values are the markers), so nobody can chain onto it.
        return query._get_cursor_wrapper(db.execute_sql(sql, bound))

    def first(self, *values, shape=None):
        """The first row, or None."""
        return next(iter(self(*values, shape=shape)), None)

    def scalar(self, *values, shape=None):
        """The first column of the first row (`build` gives `.tuples()`), or None."""
        row = self.first(*values, shape=shape)
        return None if row is None else row[0]

    def _compile(self, values, shape):
        # Values no real query binds, found again among the parameters to learn their places.
        markers = [_marker(value, i) for i, value in enumerate(values)]
        query = self.build(*markers)
        sql, params = db.obj.get_sql_context().sql(query).query()
        slots = [_slot(markers, p) for p in params]
        unbound = set(range(len(values))) - set(slots)
        if unbound:  # a value changed on its way into the query: its SQL would keep the marker
            raise ValueError(f"{getattr(self.build, '__qualname__', self.build)}: values {sorted(unbound)} "
                             "are not bound as given")
        return sql, params, slots, query


def _marker(value, index):
    if isinstance(value, bool) or value is None:
        raise TypeError("CompiledSelect values are ints, strings, dates or datetimes; name other cases with shape=")
    if isinstance(value, int):
        return -(2**62) - index
    if isinstance(value, str):
        # Private-use characters: text columns fold control characters (learning.plain_text),
        # which would change a marker made of them on its way into the query.
        return f"\ue000value-{index}\ue000"
    if isinstance(value, datetime):
        return datetime(1001, 1, 1, 1, 1, 1, index + 1)
    if isinstance(value, date):
        return date(1001, 1, index + 1)
    raise TypeError(f"CompiledSelect cannot bind a {type(value).__name__}")


def _slot(markers, param):
    for index, marker in enumerate(markers):
        if type(param) is type(marker) and param == marker:
            return index
    return None


def release_connections():
    """Close every pooled connection (e.g. before copying an SQLite file, whose
    WAL is folded back into the file when its last connection closes)."""
    if db.obj is not None:
        db.obj.close_all()


def is_sqlite():
    return isinstance(db.obj, peewee.SqliteDatabase)


def for_update(query):
    """Lock the selected rows until the transaction ends.

    PostgreSQL takes a row lock; SQLite has no row locks, but our SQLite
    transactions are IMMEDIATE, which already serialises writers.
    """
    return query if is_sqlite() else query.for_update()


def utcnow():
    """The current time in UTC as a naive datetime, as every DateTimeField stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def open_connection():
    """Before each request. A database that does not answer gives a 503 page."""
    try:
        db.connect(reuse_if_open=True)
    except (peewee.OperationalError, peewee.InterfaceError):
        abort(503)


def close_connection(exc=None):
    if not db.is_closed():
        db.close()


# --- migrations -----------------------------------------------------------

class SchemaVersion(BaseModel):
    """One row per applied migration."""
    name = peewee.CharField(primary_key=True, max_length=100)
    applied_at = peewee.DateTimeField(default=utcnow)


def available_migrations():
    names = [m.name for m in pkgutil.iter_modules(migrations.__path__) if m.name[:4].isdigit()]
    return sorted(names)


def applied_migrations():
    db.create_tables([SchemaVersion], safe=True)
    return {row.name for row in SchemaVersion.select()}


def upgrade(until=None, progress=None):
    """Apply pending migrations in order, each in its own transaction.

    `until` stops after the named migration (tests use it to build an older
    database). Returns the names applied.
    """
    done = applied_migrations()
    applied = []
    for name in available_migrations():
        if name not in done:
            module = importlib.import_module(f"learning.migrations.{name}")
            with db.atomic():
                module.upgrade(db, SchemaMigrator.from_database(db.obj))
                SchemaVersion.create(name=name)
            applied.append(name)
            if progress:
                progress(name)
        if until and name == until:
            break
    return applied

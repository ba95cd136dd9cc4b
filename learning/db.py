"""The database: one DatabaseProxy, the base model, per-request connections,
row locking for check-then-write rules, and the migrations runner.

The proxy is initialised by `init_database(url)` from `DATABASE_URL`: SQLite by
default, PostgreSQL through the same code.
"""
import importlib
import pkgutil
from datetime import datetime, timezone

import peewee
from playhouse.db_url import connect, parse
from playhouse.pool import PooledSqliteDatabase

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
        # Every transaction takes the write lock up front (BEGIN IMMEDIATE): a
        # deferred transaction that reads then writes can fail with SQLITE_BUSY
        # at the upgrade, which busy_timeout does not wait out; an IMMEDIATE one
        # waits in the busy handler (up to busy_timeout) for the writer before
        # it, and readers carry on beside it (WAL). A pooled connection may
        # serve another thread of a threaded server after its check-in.
        database = PooledSqliteDatabase(parse(url)["database"], pragmas=SQLITE_PRAGMAS,
                                        lock_type="IMMEDIATE", check_same_thread=False, **pool)
    else:
        scheme, rest = url.split("://", 1)
        database = connect(f"{scheme}+pool://{rest}", **pool)
    db.initialize(database)
    return database


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
    from flask import abort

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
    from learning import migrations

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
    from playhouse.migrate import SchemaMigrator

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

"""The benchmark's database: a fresh SQLite file, or a fresh schema in the
PostgreSQL database that DATABASE_URL names, migrated to the current schema.

On PostgreSQL the organisation lives in its own schema (`bench_<scale>`),
reached through the connection's search_path, so a run never touches the
tables of the database it was pointed at. The same connection parameter carries
the planner settings docs/operations.md asks of the app's role (PLANNER), as
production's `ALTER ROLE learning SET ...` would: the benchmark shares its server
and role with others, so it sets them on its own connections only.
"""
import os

import psycopg2

from learning import db as database

DATA_DIR = os.environ.get("BENCH_DATA_DIR", "/tmp/bench-data")   # SQLite files and the server log


def scale_tag(scale):
    return str(scale).replace(".", "_")


def database_url(scale, pg_url=None, sqlite_dir=None, schema=None, fresh=True):
    """The URL of this scale's database (not yet migrated): emptied first when `fresh`, else the one
    an earlier run generated (which must exist). On PostgreSQL, `schema` names the schema
    (default `bench_<scale>`), so runs of several people on one server need not share one."""
    if pg_url:
        schema = schema or f"bench_{scale_tag(scale)}"
        if not fresh:
            _require_schema(pg_url, schema)
            return _schema_url(pg_url, schema)
        connection = psycopg2.connect(pg_url)
        connection.autocommit = True
        try:
            cursor = connection.cursor()
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
        finally:
            connection.close()
        return _schema_url(pg_url, schema)
    folder = sqlite_dir or DATA_DIR
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"bench-{scale_tag(scale)}.db")
    if not fresh:
        if not os.path.exists(path):
            raise SystemExit(f"No organisation generated at scale {scale}: {path} does not exist.")
        return f"sqlite:///{path}"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return f"sqlite:///{path}"


# random_page_cost 1.1 instead of 4 (a disk's seek): the organisation is in memory. With 4, at
# scale 1 PostgreSQL preferred reading every upcoming session to looking up a person's 60 to 200
# (my schedule, the dashboard, the personal feed: 3 to 21 ms each, against 0.4 to 2 ms).
# No parallel workers, as docs/operations.md asks of the web role: at scale 1 team progress's
# last-activity query took 12.6 ms under a Gather of two workers and ~4 ms of work.
PLANNER = "%20-crandom_page_cost%3D1.1%20-cmax_parallel_workers_per_gather%3D0"


def _schema_url(pg_url, schema):
    separator = "&" if "?" in pg_url else "?"
    return f"{pg_url}{separator}options=-csearch_path%3D{schema}{PLANNER}"


def _require_schema(pg_url, schema):
    connection = psycopg2.connect(pg_url)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT to_regclass(%s)", (f'{schema}."user"',))
        if cursor.fetchone()[0] is None:
            raise SystemExit(f"No organisation in schema {schema}: generate it first (--generate-only).")
    finally:
        connection.close()


def engine_name(url):
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def migrate(url):
    database.init_database(url)
    database.db.connect(reuse_if_open=True)
    database.upgrade()
    return database.db

"""The benchmark's database: a fresh SQLite file, or a fresh schema in the
PostgreSQL database that DATABASE_URL names, migrated to the current schema.

On PostgreSQL the organisation lives in its own schema (`bench_<scale>`),
reached through the connection's search_path, so a run never touches the
tables of the database it was pointed at.
"""
import os

import psycopg2

from learning import db as database

DATA_DIR = os.environ.get("BENCH_DATA_DIR", "/tmp/bench-data")   # SQLite files and the server log


def scale_tag(scale):
    return str(scale).replace(".", "_")


def fresh_database_url(scale, pg_url=None, sqlite_dir=None):
    """Create an empty database for this scale and return its URL (not yet migrated)."""
    if pg_url:
        schema = f"bench_{scale_tag(scale)}"
        connection = psycopg2.connect(pg_url)
        connection.autocommit = True
        try:
            cursor = connection.cursor()
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
        finally:
            connection.close()
        separator = "&" if "?" in pg_url else "?"
        return f"{pg_url}{separator}options=-csearch_path%3D{schema}"
    folder = sqlite_dir or DATA_DIR
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"bench-{scale_tag(scale)}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return f"sqlite:///{path}"


def engine_name(url):
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def migrate(url):
    database.init_database(url)
    database.db.connect(reuse_if_open=True)
    database.upgrade()
    return database.db

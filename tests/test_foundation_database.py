"""Migrations upgrade older databases without losing rows; the demo seed is idempotent."""
import subprocess
import sys

import psycopg2
import pytest

from learning import db as database
from learning.accounts.models import Team, User
from learning.competencies.models import Competency
from tests import conftest
from tests.conftest import seed_demo
from tests.test_trust_plain_text import all_models


def test_older_database_upgrades_without_losing_rows(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    database.init_database(url)
    database.db.connect()
    try:
        database.upgrade(until="0001_accounts_and_competencies")
        database.db.execute_sql(
            "INSERT INTO \"user\" (email, display_name, password_hash, role, timezone, active, created_at) "
            "VALUES ('old@example.org', 'Old Timer', 'x', 'agent', 'UTC', 1, '2025-01-01 00:00:00')")
        columns = [c.name for c in database.db.get_columns("user")]
        assert "session_version" not in columns
        applied = database.upgrade()
        assert "0002_user_session_version" in applied
        user = User.get(User.email == "old@example.org")
        assert user.display_name == "Old Timer" and user.session_version == 1
        assert database.upgrade() == []
    finally:
        database.db.close()


def _declared_indexes(model):
    """The column lists of the indexes a model's Meta declares (the queries' comments rely on them)."""
    for fields, _unique in model._meta.indexes:
        yield tuple(model._meta.fields[name].column_name for name in fields)


def test_every_index_a_model_declares_is_there_after_the_migrations(app):
    """The models' Meta.indexes document what the migrations build: a migration that forgot one
    (or a model not updated after one replaced an index) fails here, on both engines."""
    schema = (database.db.execute_sql("SELECT current_schema()").fetchone()[0]
              if database.db.obj.__class__.__name__.startswith("Postgres") else None)
    missing = []
    for model in all_models():
        table = model._meta.table_name
        built = {tuple(index.columns) for index in
                 (database.db.get_indexes(table, schema) if schema else database.db.get_indexes(table))}
        missing += [(table, columns) for columns in _declared_indexes(model) if columns not in built]
    assert missing == []


def test_seed_demo_twice_adds_nothing(app):
    seed_demo(app)
    counts = (User.select().count(), Team.select().count(), Competency.select().count())
    seed_demo(app)
    assert (User.select().count(), Team.select().count(), Competency.select().count()) == counts
    assert counts == (13, 2, 12)


def test_demo_logins_work(app, client):
    seed_demo(app)
    for email in ("admin@example.com", "coach@example.com", "agent@example.com"):
        client.post("/logout")
        assert client.post("/login", data={"email": email, "password": "learning-demo"}).status_code == 302


def test_create_user_command_reads_password_from_stdin(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "PATH": "/usr/bin:/bin", "LEARNING_ENV": "development"}
    run = lambda *args, **kw: subprocess.run([sys.executable, "-m", "flask", "--app", "learning", *args],
                                             env=env, capture_output=True, text=True, **kw)
    assert run("db", "upgrade").returncode == 0
    result = run("create-user", "--email", "cli@example.org", "--name", "Cli Person", "--role", "coach",
                 "--team", "Support", "--password-stdin", input="a-long-secret-3\n")
    assert result.returncode == 0, result.stderr
    assert "Created Cli Person" in result.stdout
    weak = run("create-user", "--email", "weak@example.org", "--name", "Weak", "--password-stdin", input="short\n")
    assert weak.returncode != 0 and "at least 10 characters" in weak.stderr


def test_progress_rebuild_command_counts_the_summary_of_the_demo_programme(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/rebuild.db", "PATH": "/usr/bin:/bin", "LEARNING_ENV": "development"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "flask", "--app", "learning", *args],
                                       env=env, capture_output=True, text=True)
    assert run("db", "upgrade").returncode == 0
    seeded = run("seed", "demo")
    assert seeded.returncode == 0 and "progress summary for 1 zones" in seeded.stdout, seeded.stdout
    result = run("progress", "rebuild")
    assert result.returncode == 0, result.stderr
    assert "Progress summary rebuilt for 1 time zones" in result.stdout   # the demo's people all live in one zone


def _schema_contents(schema):
    """({table: its rows, sorted}, {sequence: last value}) of a PostgreSQL test schema."""
    connection = psycopg2.connect(conftest.PG_URL)
    try:
        cursor = connection.cursor()
        rows = {}
        for table in conftest._tables(cursor, schema):
            cursor.execute(f'SELECT * FROM {schema}."{table}"')
            rows[table] = sorted(cursor.fetchall(), key=repr)
        return rows, conftest._sequences(cursor, schema)
    finally:
        connection.close()


if conftest.PG_URL:
    @pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
    def test_the_reset_after_a_postgresql_test_leaves_the_schema_as_the_migrations_did(app, pg_schema):
        schema, migrated = pg_schema
        seeded, sequences = migrated
        tables, _ = _schema_contents(schema)
        as_migrated = ({table: sorted(seeded[table][1], key=repr) if table in seeded else [] for table in tables},
                       sequences)
        seed_demo(app)  # rows in most tables, sequences used, the calendar counter moved by its triggers
        database.db.close()
        database.release_connections()
        assert _schema_contents(schema) != as_migrated
        conftest._reset_pg_schema(schema, migrated)
        assert _schema_contents(schema) == as_migrated


def test_sqlite_writers_that_read_first_wait_for_each_other_and_lose_no_update(tmp_path):
    """Every SQLite transaction begins IMMEDIATE: a transaction that reads then writes waits
    (busy timeout) for the writer before it instead of failing at the upgrade to a write
    lock, so no update is lost or refused; readers are not held up by a writer (WAL)."""
    import threading
    import time

    sqlite = database.init_database(f"sqlite:///{tmp_path}/writers.db")
    with sqlite.connection_context():
        sqlite.execute_sql("CREATE TABLE counter (n INTEGER)")
        sqlite.execute_sql("INSERT INTO counter VALUES (0)")
    failures = []

    def add_one_at_a_time(times):
        try:
            for _ in range(times):
                with sqlite.connection_context(), sqlite.atomic():
                    (n,) = sqlite.execute_sql("SELECT n FROM counter").fetchone()
                    time.sleep(0.002)
                    sqlite.execute_sql("UPDATE counter SET n = ?", (n + 1,))
        except Exception as error:   # a refused write is what this test is here to catch
            failures.append(error)

    writers = [threading.Thread(target=add_one_at_a_time, args=(25,)) for _ in range(6)]
    for writer in writers:
        writer.start()
    started = time.perf_counter()
    with sqlite.connection_context():
        sqlite.execute_sql("SELECT n FROM counter").fetchone()
    read_took = time.perf_counter() - started
    for writer in writers:
        writer.join()
    with sqlite.connection_context():
        assert sqlite.execute_sql("SELECT n FROM counter").fetchone() == (150,)
    assert failures == [] and read_took < 0.5
    sqlite.close_all()

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


def test_a_compiled_select_binds_new_values_into_sql_written_once(app, people):
    from learning.db import CompiledSelect

    built = []

    def by_email_or_id(email, user_id):
        built.append((email, user_id))
        return User.select().where((User.email == email) | (User.id == user_id)).order_by(User.id)

    query = CompiledSelect(by_email_or_id)
    agent, admin = people["agent"], people["admin"]
    assert [u.id for u in query(agent.email, admin.id)] == sorted([agent.id, admin.id])
    assert [u.id for u in query("nobody@example.org", agent.id)] == [agent.id]
    assert list(query("nobody@example.org", 2**31 - 1)) == []
    assert len(query.compiled) == 1 and len(built) == 1 and built[0][0].startswith("\ue000")  # built once, from markers


def test_a_compiled_select_binds_dates_and_times_and_refuses_a_changed_value(app, people):
    from datetime import date, datetime, timedelta

    import pytest as _pytest

    from learning.db import CompiledSelect

    agent = people["agent"]
    joined = CompiledSelect(lambda user_id, since: User.select(User.id).where(User.id == user_id, User.created_at >= since).tuples())
    long_ago, far_ahead = datetime(2000, 1, 1), datetime(2999, 1, 1)
    assert joined.first(agent.id, long_ago) == (agent.id,)
    assert joined.first(agent.id, far_ahead) is None          # the new time is bound, not the first one
    shifted = CompiledSelect(lambda user_id, since: User.select(User.id).where(
        User.id == user_id, User.created_at >= since + timedelta(days=1)))
    with _pytest.raises(ValueError, match="not bound as given"):
        shifted(agent.id, long_ago)
    on_day = CompiledSelect(lambda flag, day: User.select(User.id).where(User.active == flag, User.created_at >= day))
    with _pytest.raises(TypeError):                            # a flag is a shape, not a value
        on_day(True, date(2000, 1, 1))


def test_compiled_sql_is_kept_per_kind_of_database_not_per_database_object(app, people):
    """A database object's id() is reused after it is closed, possibly by the other engine's:
    SQL written for SQLite ("?") must never be handed to PostgreSQL ("%s") or back."""
    from learning import db as database
    from learning.db import CompiledSelect

    query = CompiledSelect(lambda user_id: User.select(User.id).where(User.id == user_id).tuples())
    assert query.first(people["agent"].id) == (people["agent"].id,)
    assert set(query.compiled) == {(type(database.db.obj), None)}


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

"""Fixtures: an app per test on a fresh database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), a client, factories and sign-in helpers."""
import os
import shutil
import uuid

import psycopg2
import pytest
from hypothesis import settings as hypothesis_settings

# Generated-input tests draw the same examples on every run, so CI answers the same for the
# same code; `pytest --hypothesis-profile=explore` draws new ones (and more) to hunt for bugs.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False, max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from learning import create_app
from learning import db as database
from learning.accounts import service as accounts

PASSWORD = "correct-horse-battery"
PG_URL = os.environ.get("TEST_DATABASE_URL")

# Each capability keeps its own fixtures in tests/fixtures_<package>.py.
pytest_plugins = ["tests.browser.fixtures"] + sorted(
    f"tests.{name[:-3]}" for name in os.listdir(os.path.dirname(__file__))
    if name.startswith("fixtures_") and name.endswith(".py"))


def database_params():
    return ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database.init_database(f"sqlite:///{path}")
    database.db.connect()
    database.upgrade()
    database.db.close()
    database.release_connections()
    return path


def _pg_schema_url(schema):
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


def _pg_execute(sql):
    connection = psycopg2.connect(PG_URL)
    connection.autocommit = True
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


@pytest.fixture(scope="session")
def pg_schema():
    """One migrated PostgreSQL schema for the whole run; each test puts it back as the
    migrations left it. Yields (schema, rows the migrations seeded)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _pg_execute(f"CREATE SCHEMA {schema}")
    url = _pg_schema_url(schema)
    database.init_database(url)
    database.db.connect()
    database.upgrade()
    database.db.close()
    yield schema, _seeded_rows(schema)
    _pg_execute(f"DROP SCHEMA {schema} CASCADE")


def _tables(cursor, schema):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> 'schema_version'",
                   (schema,))
    return [name for (name,) in cursor.fetchall()]


def _seeded_rows(schema):
    """{table: (columns, rows)} for tables a migration filled (reference data such as measures)."""
    connection = psycopg2.connect(PG_URL)
    try:
        cursor, seeded = connection.cursor(), {}
        for table in _tables(cursor, schema):
            cursor.execute(f'SELECT * FROM {schema}."{table}"')
            rows = cursor.fetchall()
            if rows:
                seeded[table] = ([c.name for c in cursor.description], rows)
        return seeded
    finally:
        connection.close()


def _reset_pg_schema(schema, seeded):
    """TRUNCATE every table, then put back the migrations' seed rows (much faster than
    migrating per test)."""
    connection = psycopg2.connect(PG_URL)
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute("SET lock_timeout = '20s'")
        tables = ", ".join(f'{schema}."{name}"' for name in _tables(cursor, schema))
        if tables:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        for table, (columns, rows) in seeded.items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO {schema}."{table}" ({names}) VALUES ({marks})', rows)
            if "id" in columns:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{schema}.\"{table}\"', 'id'), "
                               f'(SELECT MAX(id) FROM {schema}."{table}"))')
    finally:
        connection.close()


@pytest.fixture(params=database_params())
def db_url(request, tmp_path, sqlite_template):
    """A fresh, migrated database for one test, on each configured engine."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    schema, seeded = request.getfixturevalue("pg_schema")
    try:
        yield _pg_schema_url(schema)
    finally:
        if not database.db.is_closed():
            database.db.close()
        _reset_pg_schema(schema, seeded)


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "LEARNING_TIMEZONE": "Europe/Berlin"})
    database.db.connect(reuse_if_open=True)
    yield app
    if not database.db.is_closed():
        database.db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_team(app):
    counter = iter(range(1, 10000))

    def factory(name=None, coaches=()):
        return accounts.save_team(None, name or f"Team {next(counter)}", [c.id for c in coaches])
    return factory


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 100000))

    def factory(role="agent", team=None, name=None, email=None, timezone="Europe/Berlin", coach_of=()):
        n = next(counter)
        user = accounts.create_user(email or f"{role}{n}@example.org", name or f"{role.title()} {n}", PASSWORD,
                                    role=role, team=team, timezone=timezone)
        for coached in coach_of:
            existing = [c.id for c in accounts.coaches_of_team(coached)]
            accounts.set_team_coaches(coached, existing + [user.id])
        return user
    return factory


@pytest.fixture
def login(client):
    def sign_in(user, password=PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return client
    return sign_in


@pytest.fixture
def people(make_team, make_user):
    """A small organisation: two teams, a coach each, agents and an admin."""
    team_a, team_b = make_team("Team A"), make_team("Team B")
    org = {
        "team_a": team_a, "team_b": team_b,
        "coach_a": make_user("coach", team=team_a, coach_of=[team_a], name="Coach A"),
        "coach_b": make_user("coach", team=team_b, coach_of=[team_b], name="Coach B"),
        "agent": make_user("agent", team=team_a, name="Agent A1"),
        "other_agent": make_user("agent", team=team_a, name="Agent A2"),
        "agent_b": make_user("agent", team=team_b, name="Agent B1"),
        "admin": make_user("admin", name="Admin"),
    }
    return org


@pytest.fixture
def count_queries():
    """`with count_queries() as counter:` then `counter.count` (SELECT/INSERT/... run)."""
    from playhouse.test_utils import count_queries as counter
    return counter


def seed_demo(app):
    """Load the demo programme as `flask seed demo` does: inside an app context."""
    from learning.demo import load_demo

    with app.app_context():
        return load_demo(progress=lambda step: None)

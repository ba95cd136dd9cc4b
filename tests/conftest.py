"""Fixtures: an app per test on a fresh database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), a client, factories and sign-in helpers."""
import os
import shutil
import sqlite3
import uuid
from datetime import datetime, timezone

import psycopg2
import pytest
from hypothesis import settings as hypothesis_settings
from werkzeug.security import generate_password_hash

# Generated-input tests draw the same examples on every run, so CI answers the same for the
# same code; `pytest --hypothesis-profile=explore` draws new ones (and more) to hunt for bugs.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False, max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from learning import create_app
from learning import db as database
from learning.accounts import service as accounts
from learning.api.endpoints import limiter

PASSWORD = "correct-horse-battery"
PG_URL = os.environ.get("TEST_DATABASE_URL")
# What this test process keeps between tests: the migrated SQLite file, the PostgreSQL
# schema and what its migrations left, and the loaded demo programme per engine.
_kept = {}

# Each capability keeps its own fixtures in tests/fixtures_<package>.py.
pytest_plugins = ["tests.browser.fixtures"] + sorted(
    f"tests.{name[:-3]}" for name in os.listdir(os.path.dirname(__file__))
    if name.startswith("fixtures_") and name.endswith(".py"))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Hash test passwords with one round of PBKDF2 instead of scrypt. scrypt's cost is
    deliberate (about a third of a second a hash on this machine), and a test signs in and
    creates people by the dozen; checking a password still runs the real comparison, and
    the stored hash still names its method, so the rules tested are the same."""
    from learning.accounts import models

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models, "generate_password_hash",
                      lambda password: generate_password_hash(password, method="pbkdf2:sha256:1"))
        yield


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
    _kept["template"] = path
    return path


def _pg_schema_url(schema):
    separator = "&" if "?" in PG_URL else "?"
    # No wait for the WAL on each commit: a test database need not survive a server crash.
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


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
    migrations left it. Yields (schema, what the migrations left)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _pg_execute(f"CREATE SCHEMA {schema}")
    url = _pg_schema_url(schema)
    database.init_database(url)
    database.db.connect()
    database.upgrade()
    database.db.close()
    migrated = _migrated_state(schema)
    _kept["pg_schema"] = (schema, migrated)
    yield schema, migrated
    if _kept.get("reset_connection") is not None:
        _kept.pop("reset_connection").close()
    _pg_execute(f"DROP SCHEMA {schema} CASCADE")


def _tables(cursor, schema):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> 'schema_version'",
                   (schema,))
    return [name for (name,) in cursor.fetchall()]


def _sequences(cursor, schema):
    """{sequence: its last value, None when never used}."""
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s", (schema,))
    return dict(cursor.fetchall())


def _migrated_state(schema):
    """What the migrations left: ({table: (columns, rows)} for tables they filled (reference data
    such as measures), {sequence: last value})."""
    connection = psycopg2.connect(PG_URL)
    try:
        cursor, seeded = connection.cursor(), {}
        for table in _tables(cursor, schema):
            cursor.execute(f'SELECT * FROM {schema}."{table}"')
            rows = cursor.fetchall()
            if rows:
                seeded[table] = ([c.name for c in cursor.description], rows)
        return seeded, _sequences(cursor, schema)
    finally:
        connection.close()


# Which table refers to which, read from the catalogue at each reset (as the tables are),
# so a table a test adds is reset too.
_PG_REFERENCES = ("SELECT child.relname, parent.relname FROM pg_constraint c"
                  " JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid"
                  " JOIN pg_namespace n ON n.oid = c.connamespace"
                  " WHERE c.contype = 'f' AND n.nspname = %(schema)s AND child.oid <> parent.oid")


def _children_first(tables, references):
    """`tables` ordered so that a table comes before those it refers to; None on a cycle."""
    waiting = {table: {parent for child, parent in references if child == table and parent in tables}
               for table in tables}
    referred = {table: {child for child, parent in references if parent == table and child in tables}
                for table in tables}
    ordered, ready = [], [table for table in tables if not referred[table]]
    while ready:
        table = ready.pop()
        ordered.append(table)
        for parent in waiting[table]:
            referred[parent].discard(table)
            if not referred[parent]:
                ready.append(parent)
    return ordered if len(ordered) == len(tables) else None


def _reset_pg_schema(schema, migrated):
    """Put the schema back as the migrations left it, in one round trip on a connection kept
    for the test process: DELETE every table's rows (children before parents), put back the
    migrations' seed rows, set every sequence back where it was. Per test, on a quiet 2-core
    machine: 53 ms when each reset connected, found the filled tables and deleted them one
    statement at a time; about 10 ms as one statement list. (A TRUNCATE of all ninety-odd
    tables cost seconds a test on a busy machine.)"""
    key = (schema, id(migrated))
    if _kept.get("reset_key") != key:
        _kept.update(reset_key=key, reset_sql=_reset_sql(schema, migrated))
    connection = _kept.get("reset_connection")
    if connection is None or connection.closed:
        connection = _kept["reset_connection"] = psycopg2.connect(PG_URL)
    try:
        connection.cursor().execute(_kept["reset_sql"])
        connection.commit()
    except psycopg2.Error:
        connection.close()
        raise


def _reset_sql(schema, migrated):
    """The statements _reset_pg_schema runs, built once per schema from the catalogue."""
    seeded, sequences = migrated
    connection = psycopg2.connect(PG_URL)
    try:
        cursor = connection.cursor()
        tables = _tables(cursor, schema)
        cursor.execute(_PG_REFERENCES, {"schema": schema})
        ordered = _children_first(tables, cursor.fetchall())
        statements = ["SET LOCAL lock_timeout = '20s'", "SET LOCAL synchronous_commit = off",
                      f"SET LOCAL search_path = {schema}"]   # the triggers' search path
        if ordered is None:  # tables that refer to each other: TRUNCATE takes them together
            statements.append("TRUNCATE " + ", ".join(f'{schema}."{table}"' for table in tables) + " CASCADE")
        statements += [f'DELETE FROM {schema}."{table}"' for table in ordered or ()]
        # The calendar counter's deferred triggers fire now, before its seed row goes back.
        statements.append("SET CONSTRAINTS ALL IMMEDIATE")
        for table, (columns, rows) in seeded.items():
            names = ", ".join(f'"{c}"' for c in columns)
            values = ", ".join(cursor.mogrify("(" + ", ".join(["%s"] * len(columns)) + ")", row).decode()
                               for row in rows)
            statements.append(f'INSERT INTO {schema}."{table}" ({names}) VALUES {values}')
        # None: never used, so the next value is 1
        resets = [cursor.mogrify("setval(%s, %s, %s)", (f'{schema}."{sequence}"', sequences.get(sequence) or 1,
                                                        sequences.get(sequence) is not None)).decode()
                  for sequence in _sequences(cursor, schema)]
        if resets:
            statements.append("SELECT " + ", ".join(resets))
        return ";\n".join(statements)
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
    schema, migrated = request.getfixturevalue("pg_schema")
    try:
        yield _pg_schema_url(schema)
    finally:
        if not database.db.is_closed():
            database.db.close()
        _reset_pg_schema(schema, migrated)


TEST_CONFIG = {"TESTING": True, "WTF_CSRF_ENABLED": False, "LEARNING_TIMEZONE": "Europe/Berlin",
               "WEBHOOKS_ALLOW_HTTP_LOCALHOST": True}


@pytest.fixture(scope="session")
def built_app(sqlite_template):
    """One app per test process, and its configuration as built. Building an app is mostly
    Werkzeug compiling the URL rules of every route (a quarter to half a second under load),
    which is the same for every test; what a test may change, the `app` fixture puts back."""
    app = create_app({"DATABASE_URL": f"sqlite:///{sqlite_template}", **TEST_CONFIG})
    return app, dict(app.config)


@pytest.fixture
def app(db_url, built_app):
    """The app on this test's database, with the configuration it was built with (a test's
    own changes to app.config end with the test)."""
    from learning.notify.invitations import remember_app

    app, pristine = built_app
    app.config.clear()
    app.config.update(pristine, DATABASE_URL=db_url)
    _point_at(db_url)
    limiter.reset()   # the API's rate counts (per process) start afresh for each test
    remember_app(app)   # another test may have built an app of its own since
    database.db.connect(reuse_if_open=True)
    yield app
    if not database.db.is_closed():
        database.db.close()
    app.config.clear()
    app.config.update(pristine)


def _point_at(url):
    """Point the database proxy at this test's database. The PostgreSQL schema is the same for
    every test of the process, so its pooled connections are kept from one test to the next
    while nothing else re-pointed the proxy: a new connection per test cost ~10 ms of the
    server's CPU (a backend started, its catalogue caches filled)."""
    kept = _kept.get("pointed")
    if url.startswith("postgresql") and kept and kept == (url, database.db.obj):
        return
    database.init_database(url)
    _kept["pointed"] = (url, database.db.obj)


@pytest.fixture
def own_app(db_url):
    """An app built for this test alone, for a test that changes what an app is made of
    (registers a blueprint, say), which the shared one must not keep."""
    app = create_app({"DATABASE_URL": db_url, **TEST_CONFIG})
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


@pytest.fixture(scope="session", autouse=True)
def demo_copies(tmp_path_factory):
    """Where the demo programme is kept once loaded: per test process and engine, within the
    clock hour (it is laid out around the time it is loaded), for seed_demo to copy into each
    test's database that asks for it (loading it costs ten to forty seconds)."""
    _kept.update(folder=tmp_path_factory.mktemp("demo"), loaded={})
    yield
    for engine, (_, source) in _kept.pop("loaded").items():
        if engine == "postgresql":
            _pg_execute(f"DROP SCHEMA IF EXISTS {source} CASCADE")


def seed_demo(app):
    """Load the demo programme as `flask seed demo` does: inside an app context. A database
    still as the migrations left it gets a copy of one loaded earlier in the same hour (the
    same rows: the demo's loaders are deterministic but for the time); any other (the demo
    on top of a test's own rows, or loaded a second time) is loaded into for real."""
    from learning.demo import load_demo

    url = app.config["DATABASE_URL"]
    engine = "sqlite" if url.startswith("sqlite") else "postgresql"
    hour = datetime.now(timezone.utc).strftime("%Y-%m-%d %H")
    loaded = _kept["loaded"].get(engine)
    pristine = _as_migrated(engine)
    if loaded and loaded[0] == hour and pristine:
        return _copy_demo(engine, loaded[1], url)
    with app.app_context():
        context = load_demo(progress=lambda step: None)
    if pristine:
        _keep_demo(engine, hour, url)
    return context


def _row_counts():
    """{table: rows} of the database the app is on, in one query."""
    tables = [t for t in database.db.get_tables() if t not in ("schema_version", "sqlite_sequence")]
    counts = database.db.execute_sql("SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in tables)).fetchone()
    return dict(zip(tables, counts))


def _as_migrated(engine):
    """Does the app's database hold only what the migrations wrote?"""
    counts = _row_counts()
    if engine == "postgresql":
        _, (seeded, _) = _kept["pg_schema"]
        return all(count == len(seeded.get(table, ((), ()))[1]) for table, count in counts.items())
    template = sqlite3.connect(_kept["template"])
    try:
        return all(count == template.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                   for table, count in counts.items())
    finally:
        template.close()


def _keep_demo(engine, hour, url):
    """Keep the demo just loaded into the test's database as the copy later tests take."""
    database.db.close()
    previous = _kept["loaded"].pop(engine, None)
    if engine == "sqlite":
        source = str(_kept["folder"] / f"demo-{hour[-2:]}.db")
        _sqlite_backup(url, f"sqlite:///{source}")
    else:
        if previous:
            _pg_execute(f"DROP SCHEMA IF EXISTS {previous[1]} CASCADE")
        schema, source = _kept["pg_schema"][0], f"demo_{uuid.uuid4().hex[:12]}"
        connection = psycopg2.connect(PG_URL)
        try:
            cursor = connection.cursor()
            cursor.execute(f"CREATE SCHEMA {source}")
            for table in _tables(cursor, schema):
                cursor.execute(f'CREATE TABLE {source}."{table}" AS SELECT * FROM {schema}."{table}"')
            cursor.execute(f"CREATE TABLE {source}.kept_sequences AS SELECT sequencename, last_value FROM pg_sequences"
                           f" WHERE schemaname = %s", (schema,))
            connection.commit()
        finally:
            connection.close()
    _kept["loaded"][engine] = (hour, source)


def _copy_demo(engine, source, url):
    """Put the kept demo into the test's database (as the migrations left it)."""
    database.db.close()
    if engine == "sqlite":
        _sqlite_backup(f"sqlite:///{source}", url)
        return None
    schema = _kept["pg_schema"][0]
    connection = psycopg2.connect(PG_URL)
    try:
        cursor = connection.cursor()
        # Rows go in as they were kept, the calendar counter's included: no triggers, no reference checks.
        cursor.execute("SET session_replication_role = replica")
        for table in _tables(cursor, schema):
            cursor.execute(f'DELETE FROM {schema}."{table}"')
            cursor.execute(f'INSERT INTO {schema}."{table}" SELECT * FROM {source}."{table}"')
        cursor.execute(f"SELECT sequencename, last_value FROM {source}.kept_sequences WHERE last_value IS NOT NULL")
        for sequence, value in cursor.fetchall():
            cursor.execute("SELECT setval(%s, %s)", (f'{schema}."{sequence}"', value))
        connection.commit()
    finally:
        connection.close()
    return None


def _sqlite_backup(from_url, to_url):
    """Copy one SQLite database over another through SQLite's online backup, which open
    connections to either (the test server's pool) see at their next statement."""
    source, target = (sqlite3.connect(url.removeprefix("sqlite:///")) for url in (from_url, to_url))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def pytest_collection_modifyitems(items):
    """Start the minutes-long tests first: pytest-xdist hands tests out in collection order,
    so one of them collected last would leave the other workers idle while it finishes."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)

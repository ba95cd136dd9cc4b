"""Migrations upgrade older databases without losing rows; the demo seed is idempotent."""
import subprocess
import sys

from learning import db as database
from learning.accounts.models import Team, User
from learning.competencies.models import Competency
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
    assert len(query.compiled) == 1 and len(built) == 1 and built[0][0].startswith("\x00")  # built once, from markers


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


def test_progress_warm_command_fills_the_roll_up_of_the_demo_programme(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/warm.db", "PATH": "/usr/bin:/bin", "LEARNING_ENV": "development"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "flask", "--app", "learning", *args],
                                       env=env, capture_output=True, text=True)
    assert run("db", "upgrade").returncode == 0
    assert run("seed", "demo").returncode == 0
    result = run("progress-warm")
    assert result.returncode == 0, result.stderr
    assert "Progress roll-up filled for 3 views." in result.stdout   # two teams and the programme, one zone


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

"""SQLite write transactions queue on a lock file (learning/sqlite_writers.py): a writer
holds it from BEGIN to COMMIT, a second writer waits for it, and it is given back however
a transaction ends."""
import fcntl
import os
import threading
import time

import pytest

from learning.db import SQLITE_PRAGMAS
from learning.sqlite_writers import QueuedWritersSqliteDatabase


@pytest.fixture
def database(tmp_path):
    database = QueuedWritersSqliteDatabase(str(tmp_path / "queue.db"), pragmas=SQLITE_PRAGMAS,
                                           lock_type="IMMEDIATE", check_same_thread=False)
    with database.connection_context():
        database.execute_sql("CREATE TABLE events (what TEXT)")
    yield database
    database.close_all()


def lock_is_free(database):
    """Whether another writer could take the lock file now (without waiting)."""
    fd = os.open(database._lock_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _write(database, what, pause=0.0, inside=None):
    with database.connection_context():
        with database.atomic():
            database.execute_sql("INSERT INTO events VALUES (?)", (f"{what} begins",))
            if inside:
                inside.set()
            time.sleep(pause)
            database.execute_sql("INSERT INTO events VALUES (?)", (f"{what} ends",))


def _events(database):
    with database.connection_context():
        return [row[0] for row in database.execute_sql("SELECT what FROM events ORDER BY rowid")]


def test_a_writer_holds_the_lock_file_until_it_commits_and_the_next_one_waits(database):
    inside = threading.Event()
    first = threading.Thread(target=_write, args=(database, "first", 0.3, inside))
    first.start()
    assert inside.wait(5)
    assert not lock_is_free(database)     # held from BEGIN ...
    _write(database, "second")            # ... so this one queues behind it
    first.join()
    assert lock_is_free(database)         # ... and given back at COMMIT
    assert _events(database) == ["first begins", "first ends", "second begins", "second ends"]


def test_reads_do_not_take_the_lock(database):
    inside = threading.Event()
    first = threading.Thread(target=_write, args=(database, "first", 0.3, inside))
    first.start()
    assert inside.wait(5)
    started = time.perf_counter()
    assert _events(database) == []        # WAL: the reader sees the last commit at once
    assert time.perf_counter() - started < 0.2
    first.join()


def test_the_lock_is_given_back_when_a_transaction_fails(database):
    with pytest.raises(RuntimeError):
        with database.connection_context(), database.atomic():
            database.execute_sql("INSERT INTO events VALUES ('lost')")
            raise RuntimeError("refused")
    assert lock_is_free(database)
    assert _events(database) == []


def test_a_transaction_left_open_gives_the_lock_back_with_its_connection(database):
    database.connect()
    database.begin()
    database.execute_sql("INSERT INTO events VALUES ('abandoned')")
    assert not lock_is_free(database)
    database.close()                      # back to the pool: rolled back, lock given back
    assert lock_is_free(database)
    assert _events(database) == []


def test_an_in_memory_database_needs_no_lock_file():
    database = QueuedWritersSqliteDatabase(":memory:", lock_type="IMMEDIATE")
    with database.connection_context(), database.atomic():
        database.execute_sql("CREATE TABLE t (x)")
    assert database._lock_path is None

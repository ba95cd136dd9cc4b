"""Online backup of SQLite under write load, and restore."""
import sqlite3
import threading

import pytest

from learning.backup import backup, restore
from learning.refusals import Refused


def _writer(path, stop, written):
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=wal")
    n = 0
    while not stop.is_set():
        n += 1
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO item (n, body) VALUES (?, ?)", (n, "x" * 200))
        connection.execute("COMMIT")
        written.append(n)
    connection.close()


def test_backup_under_write_load_is_consistent_and_restores(tmp_path):
    live = tmp_path / "live.db"
    setup = sqlite3.connect(live)
    setup.execute("PRAGMA journal_mode=wal")
    setup.execute("CREATE TABLE item (n INTEGER PRIMARY KEY, body TEXT)")
    setup.executemany("INSERT INTO item (n, body) VALUES (?, ?)", [(-i, "seed" * 50) for i in range(1, 5001)])
    setup.commit()
    setup.close()
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(live, stop, written))
    writer.start()
    try:
        while len(written) < 50:
            pass
        acknowledged = len(written)
        backup(f"sqlite:///{live}", str(tmp_path / "copy.db"))
    finally:
        stop.set()
        writer.join()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    positive = [row[0] for row in copy.execute("SELECT n FROM item WHERE n > 0 ORDER BY n")]
    copy.close()
    # Every write acknowledged before the backup began is in it, with no gaps.
    assert positive[:acknowledged] == list(range(1, acknowledged + 1))
    assert positive == list(range(1, len(positive) + 1))

    target = tmp_path / "restored.db"
    sqlite3.connect(target).close()
    restore(f"sqlite:///{target}", str(tmp_path / "copy.db"))
    restored = sqlite3.connect(target)
    assert restored.execute("SELECT COUNT(*) FROM item WHERE n < 0").fetchone()[0] == 5000
    restored.close()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(Refused):
        restore(f"sqlite:///{tmp_path}/target.db", str(junk))


def test_backup_of_postgresql_points_to_pg_dump():
    with pytest.raises(Refused, match="pg_dump"):
        backup("postgresql://postgres@127.0.0.1/test", "/tmp/never")

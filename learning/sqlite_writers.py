"""SQLite write transactions queue on a lock file instead of polling the database lock.

SQLite lets one writer in at a time. A writer that finds the database locked
sleeps in SQLite's busy handler (1, 2, 5, 10 … 100 ms steps) and tries again, so
under a burst of writes from several workers (RSVPs to a popular session) most
of a request's time is spent asleep after the lock was already free. Here each
write transaction first takes an exclusive `flock` on `<database file>.writers`;
the kernel wakes the next writer the moment the previous one commits. Reads never
take it (WAL lets them run beside a writer), and SQLite's own lock and busy timeout
still guard anything that writes without this class (another program, say).

A writer waits as long as the one before it holds the lock (no busy timeout here); the
lock belongs to the holder's open file, so a worker that dies or is ended by gunicorn's
timeout gives it back.

Each transaction opens the lock file for itself: flock locks belong to an open
file, so threads of one process queue like separate processes do, and closing the
file at commit or rollback gives the lock back.
"""
import fcntl
import os
import threading

from playhouse.pool import PooledSqliteDatabase


class QueuedWritersSqliteDatabase(PooledSqliteDatabase):
    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self._writers = threading.local()

    def init(self, database, *args, **kwargs):
        super().init(database, *args, **kwargs)
        in_memory = not database or database == ":memory:" or str(database).startswith("file::memory:")
        self._lock_path = None if in_memory else f"{database}.writers"

    def begin(self, lock_type=None):
        self._take_write_lock()
        try:
            super().begin(lock_type)
        except BaseException:
            self._give_back_write_lock()
            raise

    def commit(self):
        try:
            super().commit()
        finally:
            self._give_back_write_lock()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._give_back_write_lock()

    def _close(self, conn, close_conn=False):
        # A transaction left open is rolled back as its connection goes back to the pool.
        self._give_back_write_lock()
        super()._close(conn, close_conn)

    def _take_write_lock(self):
        if self._lock_path is None or getattr(self._writers, "fd", None) is not None:
            return
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._writers.fd = fd

    def _give_back_write_lock(self):
        fd = getattr(self._writers, "fd", None)
        if fd is not None:
            self._writers.fd = None
            os.close(fd)   # closing the file gives the lock back

"""Online backup and restore of a SQLite database (SQLite's backup API, so the
copy is consistent while the app keeps serving). PostgreSQL uses pg_dump and
pg_restore, as the README describes."""
import sqlite3
from urllib.parse import urlparse
from learning.refusals import Refused


def sqlite_path(database_url):
    if not database_url.startswith("sqlite"):
        raise Refused("backup and restore handle SQLite; for PostgreSQL use pg_dump / pg_restore (see README).")
    # sqlite:///relative.db has the path "/relative.db"; sqlite:////abs.db has "//abs.db"
    return urlparse(database_url).path[1:]


def _copy(source_path, target_path, progress=None):
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        # Copy in steps so writers are not blocked for the whole copy; SQLite
        # restarts the copy by itself if a writer changes the source meanwhile.
        source.backup(target, pages=256, progress=(lambda status, remaining, total: progress(total - remaining, total))
                      if progress else None)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise Refused(f"The copy failed its integrity check: {check}")
    finally:
        target.close()
        source.close()


def backup(database_url, target_path, progress=None):
    """Write a consistent copy of the live database to `target_path`."""
    _copy(sqlite_path(database_url), target_path, progress)


def restore(database_url, source_path, progress=None):
    """Replace the database's contents with the backup at `source_path` (stop the app servers first)."""
    check = sqlite3.connect(source_path)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise Refused("The backup file is damaged; nothing was restored.")
    except sqlite3.DatabaseError as error:
        raise Refused(f"Not a SQLite backup: {error}; nothing was restored.")
    finally:
        check.close()
    _copy(source_path, sqlite_path(database_url), progress)

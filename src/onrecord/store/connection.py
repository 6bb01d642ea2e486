"""Opening the SQLite file: one writer connection (WAL, migrations) and read-only readers.

WAL lets readers see the last committed article while the writer is inside the
next one.  ``synchronous=NORMAL`` in WAL mode keeps every committed transaction
across a killed process (only a power cut can drop the last few), which is the
guarantee ingest needs at a fraction of FULL's fsync cost.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from ..errors import StoreError
from .migrations import MIGRATION_MODULES, migrate

BUSY_TIMEOUT_MS = 30_000


def _sqlite_error(path: Path, err: sqlite3.Error) -> StoreError:
    text = str(err)
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} is not an onrecord store (SQLite says: {text}); pass another --db")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} is locked by another writer for too long; wait for it to finish and retry")
    return StoreError(f"cannot use the store {path}: {text}")


def open_writer(path: str | Path, *, migration_modules=MIGRATION_MODULES) -> sqlite3.Connection:
    """The single writing connection: creates the file if needed and applies pending migrations."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder; --db needs a file path such as {path / 'onrecord.db'}")
    if not path.parent.exists():
        raise StoreError(f"the folder {path.parent} does not exist; create it or pass another --db")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"{path}: SQLite could not switch to WAL mode (got {mode}); is it on a network drive?")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        migrate(conn, migration_modules)
    except sqlite3.Error as err:
        raise _sqlite_error(path, err) from err
    return conn


def open_reader(path: str | Path, *, factory: type[sqlite3.Connection] = sqlite3.Connection) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``): it can never change the store, and works beside a writer.

    ``factory`` is sqlite3's connection class argument (the web server passes one with bounded results)."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no store at {path}; create one with `onrecord ingest --db {path} FILES...`")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=factory)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as err:
        raise _sqlite_error(path, err) from err
    if "articles" not in names or "schema_migrations" not in names:
        conn.close()
        raise StoreError(f"{path} is a SQLite file but not an onrecord store; pass another --db")
    return conn


class FeatureIndex:
    """Read-only access to one feature's tables, from a store path or an already open connection.

    Subclasses name the tables they need (``REQUIRES``) and what to call their data in messages
    (``WHAT``); a store made before the feature existed gets a message saying how to add it."""

    REQUIRES: frozenset[str] = frozenset()
    WHAT = "feature"

    def __init__(self, db: "str | Path | sqlite3.Connection") -> None:
        if isinstance(db, sqlite3.Connection):
            self.conn, self._owned = db, False
        else:
            self.conn, self._owned = open_reader(db), True
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if not self.REQUIRES <= names:
            self.close()
            raise StoreError(f"this store has no {self.WHAT} tables yet; run `onrecord ingest` with this version of "
                             "onrecord to create them")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self.conn.close()

    def _run(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as err:
            raise StoreError(f"{self.WHAT} query failed ({err})") from err

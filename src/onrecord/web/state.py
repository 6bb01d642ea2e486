"""The server's hold on one store: a read-only connection per worker thread, and a cache that knows when
the store has changed.

Every page runs on a worker thread with its own ``mode=ro`` connection
(:class:`~onrecord.store.Reader`), so pages read in parallel beside a running
ingest and can never write.  Some figures cost a scan of every statement a
speaker made (a chart of a speaker with 50,000 statements); those are cached,
keyed by a *generation* that moves whenever any thread's connection sees a
commit (``PRAGMA data_version`` changes exactly when another connection has
committed), so a page never shows a figure older than the data it sits next to.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..store.queries import Reader

# Tables each optional feature needs before its pages can show anything.
ENTITY_TABLES = frozenset({"entities", "entity_members", "entity_speakers", "entity_names"})
CLAIM_TABLES = frozenset({"claims", "claim_statements", "positions", "position_evidence", "claim_mentions",
                          "position_mentions"})


@dataclass
class Session:
    """One thread's connection and what it knows about the store's shape."""

    reader: Reader
    data_version: int | None = None
    tables: frozenset[str] = field(default_factory=frozenset)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.reader.conn

    @property
    def has_entities(self) -> bool:
        return ENTITY_TABLES <= self.tables

    @property
    def has_claims(self) -> bool:
        return CLAIM_TABLES <= self.tables


class Cache:
    """A small LRU of computed values, each tagged with the generation it was computed in."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, generation: int, compute: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == generation:
                self._items.move_to_end(key)
                return hit[1]
        value = compute()  # outside the lock: two threads may compute the same value once, never wait on it
        with self._lock:
            self._items[key] = (generation, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class StoreState:
    """Everything a server process keeps about one store file."""

    def __init__(self, path: str | Path, *, cache_size: int = 256) -> None:
        self.path = Path(path)
        self.cache = Cache(cache_size)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0
        self._sessions: list[Session] = []
        Reader(self.path).close()  # fail now, with the store's own message, if the file is not a store

    @property
    def generation(self) -> int:
        return self._generation

    def _bump(self) -> None:
        with self._lock:
            self._generation += 1

    def session(self) -> Session:
        """This thread's session, with the generation moved on if the store changed since its last look."""
        session: Session | None = getattr(self._local, "session", None)
        if session is None:
            session = Session(Reader(self.path))
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        version = session.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != session.data_version:
            # A new connection, or a commit since this one last looked: what was cached may be stale, and a
            # writer opening the file may have added a feature's tables.
            self._bump()
            session.data_version = version
            session.tables = frozenset(r[0] for r in session.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))
        return session

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.reader.close()
            self._sessions.clear()

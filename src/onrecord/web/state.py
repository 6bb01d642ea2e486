"""The server's hold on one store: a read-only connection per worker thread, and a cache that knows when
the store has changed.

Every page runs on a worker thread with its own ``mode=ro`` connection
(:class:`~onrecord.store.Reader`), so pages read in parallel beside a running
ingest and can never write.  Some figures cost a scan of every statement a
speaker made (a chart of a speaker with 50,000 statements); those are cached,
keyed by a *generation* that moves whenever the store has changed.  One
watching connection, asked under a lock at the start of every page, tells:
``PRAGMA data_version`` on a connection changes exactly when another connection
has committed.  So a page never shows a figure older than the data it sits next to.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import StoreError
from ..store.queries import Reader
from .limits import MAX_VALUE_BYTES
from .limits import time_limit as _time_limit

#: How much of the store each page connection reads through a memory map instead of read() calls: a speaker
#: page's 50 statements lie on pages all over a large file, and mapped they cost 40 % less to read (SQLite
#: clamps this to its own maximum, 2 GB by default; the mapping is the OS page cache, shared by every process).
READ_MMAP_BYTES = 2**31

# Tables each optional feature needs before its pages can show anything.
ENTITY_TABLES = frozenset({"entities", "entity_members", "entity_speakers", "entity_names"})
CLAIM_TABLES = frozenset({"claims", "claim_statements", "positions", "position_evidence", "claim_mentions",
                          "position_mentions"})


@dataclass
class Session:
    """One thread's connection and what it knows about the store's shape."""

    reader: Reader
    generation: int = -1  # the generation its table list was read in
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


_MISSING = object()


class Cache:
    """A small LRU of computed values, each tagged with the generation it was computed in."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: Any, generation: int, default: Any = None) -> Any:
        """The value stored for ``key`` in this generation, else ``default``."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == generation:
                self._items.move_to_end(key)
                return hit[1]
        return default

    def get(self, key: Any, generation: int, compute: Callable[[], Any]) -> Any:
        value = self.peek(key, generation, _MISSING)
        if value is _MISSING:
            value = compute()  # outside the lock: two threads may compute the same value once, never wait on it
            self.put(key, generation, value)
        return value

    def put(self, key: Any, generation: int, value: Any) -> None:
        with self._lock:
            self._items[key] = (generation, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class StoreState:
    """Everything a server process keeps about one store file."""

    def __init__(self, path: str | Path, *, cache_size: int = 256, fragment_size: int = 8192) -> None:
        self.path = Path(path)
        self.cache = Cache(cache_size)
        # Small, many and shared between pages (a claim shows on every board page that lists it).
        self.fragments = Cache(fragment_size)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0
        self._sessions: list[Session] = []
        self._watch = Reader(self.path)  # fails now, with the store's own message, if the file is not a store
        self._seen = self._data_version()

    def _data_version(self) -> int:
        return self._watch.conn.execute("PRAGMA data_version").fetchone()[0]

    @property
    def generation(self) -> int:
        return self._generation

    def refresh(self) -> int:
        """Move to a new generation if anything was committed since the last look; the current generation."""
        with self._lock:
            version = self._data_version()
            if version != self._seen:
                self._seen = version
                self._generation += 1
            return self._generation

    def session(self) -> Session:
        """This thread's session, after checking whether the store changed since the last page."""
        generation = self.refresh()
        session: Session | None = getattr(self._local, "session", None)
        if session is None:
            session = Session(Reader(self.path))
            session.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            session.conn.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        if session.generation != generation:
            # A writer opening the file may have added a feature's tables since this session last looked.
            session.tables = frozenset(r[0] for r in session.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))
            session.generation = generation
        return session

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Stop this thread's page queries after ``seconds``: a StoreError saying so instead of an endless page."""
        try:
            with _time_limit(self.session().conn, seconds):
                yield
        except (StoreError, sqlite3.OperationalError) as err:
            if "interrupted" in str(err):
                raise StoreError(f"the query took longer than {seconds:g} s and was stopped; "
                                 "narrow it (fewer or longer words, a speaker, a date range)") from None
            raise

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.reader.close()
            self._sessions.clear()
            self._watch.close()

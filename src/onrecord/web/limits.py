"""What keeps one request from taking the server down: result size, query time, headers, errors.

- **Size.** Every connection the server opens refuses to build a value larger
  than :data:`MAX_VALUE_BYTES` (SQLite's own length limit, so
  ``zeroblob(1000000000)`` fails inside SQLite before anything is allocated), and
  Datasette's SQL results stop with an error once the rows read reach
  :data:`MAX_RESULT_BYTES` (:class:`CappedCursor`), before any JSON or HTML is
  built from them.  The server then answers 400 and stays up.
- **Time.** Datasette's SQL has its ``sql_time_limit_ms``; onrecord's pages run
  under :func:`time_limit` (a SQLite progress handler), so no page query runs on
  after its limit, whoever asked for it.
- **Headers.** Datasette's own pages get a Content-Security-Policy and
  ``nosniff`` like onrecord's (:func:`secure_headers`).
- **Errors.** :func:`error_response` answers every exception with a page and one
  log line; never a 500 for a bad parameter, never a traceback with local values.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from contextlib import contextmanager
from typing import Any, Iterator

#: The largest string or blob any server connection builds (an article is at most a few MB of text).
MAX_VALUE_BYTES = 16 * 2**20
#: The most bytes of row values one Datasette query may return before it is stopped.
MAX_RESULT_BYTES = 16 * 2**20
#: How long one of onrecord's pages may spend in SQLite (Datasette's SQL has sql_time_limit_ms).
PAGE_TIME_LIMIT_S = 3.0
#: Full-text search pages get less: a search is the easiest query to make expensive.
SEARCH_TIME_LIMIT_S = 1.0

#: Datasette's pages run their own small scripts (the SQL editor, column menus), inline and from /-/static.
DATASETTE_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
                 " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none';"
                 " object-src 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    b"content-security-policy": DATASETTE_CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
}


class ResultTooLarge(sqlite3.OperationalError):
    """A query's rows passed :data:`MAX_RESULT_BYTES` (an ``OperationalError``, so Datasette shows it)."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes)) else 16


class CappedCursor(sqlite3.Cursor):
    """A cursor that stops reading rows once their values pass :data:`MAX_RESULT_BYTES` in all."""

    def _take(self, rows: Iterator[Any]) -> list[Any]:
        out, total = [], getattr(self, "_bytes", 0)
        for row in rows:
            total += sum(_size(v) for v in row) if isinstance(row, (tuple, sqlite3.Row)) else _size(row)
            if total > MAX_RESULT_BYTES:
                raise ResultTooLarge(
                    f"the result is larger than {MAX_RESULT_BYTES // 2**20} MB; select fewer rows or columns "
                    "(LIMIT, or substr() of long text)")
            out.append(row)
        self._bytes = total
        return out

    def _rows(self) -> Iterator[Any]:
        while (row := super().fetchone()) is not None:
            yield row

    def fetchmany(self, size: int | None = None) -> list[Any]:
        n = self.arraysize if size is None else size
        return self._take(r for _, r in zip(range(max(n, 0)), self._rows()))

    def fetchall(self) -> list[Any]:
        return self._take(self._rows())


class CappedConnection(sqlite3.Connection):
    """A connection whose values and cursors are bounded (what every server connection is)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)

    def cursor(self, factory: type[sqlite3.Cursor] = CappedCursor) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory)


#: SQLite virtual-machine steps between two looks at the clock. Each look is a Python call, so it takes the
#: GIL: every 1,000 steps, 50 concurrent pages spent their time waiting for it (2.5-3x fewer pages per second
#: under wrk, bench/RESULTS.md, issue 16); 200,000 steps are a few milliseconds of SQLite work.
PROGRESS_STEPS = 200_000


@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Interrupt any statement on ``conn`` still running ``seconds`` from now (SQLite then raises "interrupted")."""
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def log_line(request: Any, exception: BaseException) -> None:
    """One line on stderr for a request that failed: what was asked and what went wrong, never local values."""
    path = getattr(request, "path", "?")
    text = " ".join(str(exception).split())[:300]
    print(f"onrecord serve: {path}: {exception.__class__.__name__}: {text}", file=sys.stderr, flush=True)


def secure_headers(app: Any) -> Any:
    """ASGI middleware: the security headers on every response that does not set its own."""

    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {bytes(k).lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped

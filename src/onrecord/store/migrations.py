"""Named schema migrations, applied once each in name order and recorded in ``schema_migrations``.

The store imports every module in :data:`MIGRATION_MODULES`; each exposes
``MIGRATIONS: list[tuple[str, str]]`` of ``(name, SQL script)``.  Name ranges:
``0001``–``0099`` the store itself, ``0100``–``0199`` entities, ``0200``–``0299``
claims, ``0300``–``0399`` corrections, ``0400``–``0499`` stories.  A feature module
that is not installed is skipped, so the store works
without it; its migrations run the first time a writer opens the file with it.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from ..errors import StoreError

#: Modules whose ``MIGRATIONS`` the store applies; features append theirs here.
MIGRATION_MODULES: tuple[str, ...] = (
    "onrecord.store.schema", "onrecord.entities.schema", "onrecord.claims.schema", "onrecord.corrections.schema",
    "onrecord.stories",
)

_NAME = re.compile(r"^\d{4}_[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str
    module: str


def collect(modules: Iterable[str] = MIGRATION_MODULES) -> list[Migration]:
    """Every known migration in name order; a duplicate or badly named one is an error."""
    found: dict[str, Migration] = {}
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            # Only the module itself being absent is "optional"; a broken import inside it is a bug to surface.
            if err.name and (module_name == err.name or module_name.startswith(err.name + ".")):
                continue
            raise
        for name, sql in getattr(module, "MIGRATIONS", []):
            if not _NAME.match(name):
                raise StoreError(f"migration {name!r} in {module_name} is badly named; use NNNN_lowercase_words")
            if name in found:
                raise StoreError(
                    f"migration {name!r} is defined by both {found[name].module} and {module_name}; "
                    "rename one (each feature has its own number range)"
                )
            found[name] = Migration(name, sql, module_name)
    return [found[n] for n in sorted(found)]


def split_statements(script: str) -> list[str]:
    """SQL statements of a script, cut at each ``;`` where SQLite says a statement ends.

    ``sqlite3.complete_statement`` knows about string literals, comments and
    trigger bodies, so a ``;`` inside those does not cut.
    """
    statements, start = [], 0
    pos = script.find(";")
    while pos >= 0:
        candidate = script[start:pos + 1]
        if sqlite3.complete_statement(candidate):
            if _has_code(candidate):
                statements.append(candidate.strip())
            start = pos + 1
        pos = script.find(";", pos + 1)
    if _has_code(script[start:]):
        raise StoreError(f"migration SQL ends without a ';': {script[start:].strip()[:80]!r}")
    return statements


def _has_code(sql: str) -> bool:
    lines = (ln.split("--", 1)[0].strip() for ln in sql.splitlines())
    return any(ln and ln != ";" for ln in lines)


def applied(conn: sqlite3.Connection) -> list[str]:
    try:
        return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    except sqlite3.OperationalError:
        return []


def migrate(conn: sqlite3.Connection, modules: Iterable[str] = MIGRATION_MODULES) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns the names applied now.

    ``executescript`` would commit behind our back, so statements run one by one
    inside ``BEGIN IMMEDIATE``: a failing migration leaves no trace, and two
    writers starting together apply each migration once.
    """
    pending = collect(modules)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done: list[str] = []
    for migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)).fetchone():
                conn.execute("COMMIT")
                continue
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)",
                (migration.name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            conn.execute("ROLLBACK")
            raise StoreError(
                f"migration {migration.name} ({migration.module}) failed: {err}; the store is unchanged"
            ) from err
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        done.append(migration.name)
    return done

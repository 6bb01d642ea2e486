"""Incremental finalize: which articles changed since the cross-article tables were made, and what they touch.

The writer marks every article it stores in ``pending_finalize`` inside the
article's own transaction.  ``Writer.finalize`` runs each enricher's
``finalize(conn)`` and deletes the marks, all in one transaction, so a run
killed at any moment leaves either the old derived tables with the marks, or
the new ones without them; the next run finishes the work.

An enricher's finalize reads the marks (:func:`pending`) and recomputes only
the *groups* those articles can join.  Every item (an article's entity, claim
mention, position) carries *blocking keys*; two items can end up in one group
only if a chain of shared keys links them.  A group is therefore recomputed
from all the items of its connected component, and the full rebuild is the same
computation over every component.  Both give the same tables, whatever the
order articles arrived in, because each component's result depends only on the
set of its items (inputs are always sorted the same way).

Between enrichers, :func:`note_changed_names` passes on the name keys whose
canonical name changed (the claims feature names parties through the entities
feature), :func:`note_moved_nodes` the local entities now in another entity and
:func:`note_renamed_entities` the entities that kept their id under a new name,
in temporary tables that live for one finalize.
"""

from __future__ import annotations

import sqlite3
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")

#: How many values go in one ``IN (...)`` list (SQLite allows 32,766; small lists keep plans simple).
CHUNK = 500


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for v in values:
        batch.append(v)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def marks(n: int) -> str:
    return ",".join("?" * n)


def pending(conn: sqlite3.Connection) -> list[str]:
    """Articles written (or replaced) since the cross-article tables were last brought up to date, sorted."""
    return [r[0] for r in conn.execute("SELECT article_id FROM pending_finalize ORDER BY article_id")]


def mark_pending(conn: sqlite3.Connection, article_ids: Iterable[str], since: str) -> None:
    """Ask the next finalize to recompute what these articles touch (hand corrections use this)."""
    conn.executemany("INSERT OR REPLACE INTO pending_finalize(article_id, since) VALUES (?, ?)",
                     [(a, since) for a in article_ids])


def clear_pending(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM pending_finalize")


def state(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM finalize_state WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def set_state(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO finalize_state(name, value) VALUES (?, ?)", (name, value))


# -- names whose canonical form changed, passed from the entities finalize to later ones ----------------------

def _changed_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS finalize_changed_names (key TEXT PRIMARY KEY) WITHOUT ROWID")


def reset_changed_names(conn: sqlite3.Connection) -> None:
    _changed_table(conn)
    conn.execute("DELETE FROM temp.finalize_changed_names")
    _moved_table(conn)
    conn.execute("DELETE FROM temp.finalize_moved_nodes")
    _renamed_table(conn)
    conn.execute("DELETE FROM temp.finalize_renamed_entities")


# -- local entities whose canonical entity (or its name) changed, passed on the same way ----------------------

def _moved_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS finalize_moved_nodes (article_id TEXT NOT NULL,"
                 " local INTEGER NOT NULL, PRIMARY KEY (article_id, local)) WITHOUT ROWID")


def note_moved_nodes(conn: sqlite3.Connection, select: str, params: Sequence = ()) -> None:
    """Record the local entities ``select`` gives (``article_id, local`` rows): their entity changed or was renamed."""
    _moved_table(conn)
    conn.execute(f"INSERT OR IGNORE INTO temp.finalize_moved_nodes(article_id, local) {select}", params)


# -- entities that kept their id but changed their name (a tie between spellings tipped) -----------------------

def _renamed_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS finalize_renamed_entities (entity_id TEXT PRIMARY KEY) WITHOUT ROWID")


def note_renamed_entities(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> None:
    """Record entities whose name changed while their id and members stayed (later steps that show the name
    look them up by id)."""
    _renamed_table(conn)
    conn.executemany("INSERT OR IGNORE INTO temp.finalize_renamed_entities(entity_id) VALUES (?)",
                     [(e,) for e in entity_ids])


def renamed_entities(conn: sqlite3.Connection) -> list[str]:
    _renamed_table(conn)
    return [r[0] for r in conn.execute("SELECT entity_id FROM temp.finalize_renamed_entities ORDER BY entity_id")]


def note_changed_names(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    _changed_table(conn)
    conn.executemany("INSERT OR IGNORE INTO temp.finalize_changed_names(key) VALUES (?)", [(k,) for k in keys])


def changed_names(conn: sqlite3.Connection) -> set[str]:
    _changed_table(conn)
    return {r[0] for r in conn.execute("SELECT key FROM temp.finalize_changed_names")}


# -- connected components ---------------------------------------------------------------------------------

def closure(
    seeds: Iterable[str],
    items_with: Callable[[Sequence[str]], Iterable[tuple[T, str]]],
    keys_of: Callable[[Sequence[T]], Iterable[tuple[T, str]]],
    linked: Callable[[str], Iterable[str]] | None = None,
    passive: Callable[[str], bool] | None = None,
) -> tuple[set[T], set[str]]:
    """Every item and key connected to ``seeds`` through shared keys (breadth first, set at a time).

    ``items_with(keys)`` yields ``(item, key)`` for items holding any of the keys;
    ``keys_of(items)`` yields ``(item, key)`` for every key of the items;
    ``linked(key)`` yields keys tied to a key without a shared item (near-identical spellings);
    a ``passive`` key ties its items only when ``linked`` gives it a partner.
    """
    keys: set[str] = set()
    items: set[T] = set()
    frontier = set(seeds)
    while frontier:
        # Tied keys are followed as far as they go: a key tied to a tied key is reached too.
        todo, frontier = frontier, set()
        while todo:
            links = {k: list(linked(k)) for k in todo} if linked is not None else {}
            active = {k for k in todo if passive is None or not passive(k) or links.get(k)}
            frontier |= active
            todo = {k2 for k in active for k2 in links.get(k, ())} - keys - frontier
        keys |= frontier
        new_items: set[T] = set()
        for batch in chunks(sorted(frontier)):
            new_items.update(item for item, _ in items_with(batch) if item not in items)
        items |= new_items
        frontier = set()
        for batch in chunks(sorted(new_items)):  # type: ignore[type-var]
            frontier.update(k for _, k in keys_of(batch) if k not in keys)
    return items, keys


class UnionFind:
    """Components of items linked by shared keys, for the full rebuild (the whole store in memory)."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self, items: Iterable[T]) -> list[list[T]]:
        out: dict[object, list[T]] = {}
        for item in items:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())

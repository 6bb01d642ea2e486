"""Reading canonical entities and the timeline from a store, and the user's merge/split commands.

    >>> from onrecord.entities import EntityIndex
    >>> with EntityIndex("onrecord.db") as idx:                 # doctest: +SKIP
    ...     idx.canonical_name("Zelenskiy")
    'Volodymyr Zelensky'

:class:`EntityIndex` is what other features build on (claims use
``canonical_name`` and ``speaker_of``); the CLI verbs are thin calls of
:func:`list_entities`, :func:`show_entity`, :func:`merge_entities` and
:func:`timeline`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import ConfigError, OnrecordError, StoreError
from ..store.connection import FeatureIndex, open_writer
from ..store.queries import name_variants
from .aliases import AliasRules, split_rule
from .enricher import now
from .incremental import mark_names
from .names import skeleton
from .records import Entity, EntityType, MergeEvidence, RoleSeen


class EntityNotFound(OnrecordError):
    """No entity goes by the name or id asked for."""


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """The canonical entity behind one statement."""

    entity_id: str
    name: str
    type: EntityType
    via: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One statement placed in time: ``when`` is the day (or coarser period) it was made, ``basis`` says why."""

    when: str  # 2025-12-01, 2025-W48, 2025-11, or the publication day
    basis: str  # "text" (the article says when), "published" (only the publication date is known), "unknown"
    date_text: str  # "on Monday"; "" when basis is not "text"
    published: str | None
    speaker: str | None
    entity_id: str | None
    kind: str
    cue_text: str
    content_text: str
    article_id: str
    idx: int
    outlet: str | None
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _entity(row: tuple) -> Entity:
    eid, name, type_, country, stands_for, part_of, statements, articles, aliases, roles, evidence = row
    return Entity(
        id=eid, name=name, type=EntityType(type_), aliases=tuple(json.loads(aliases)),
        roles=tuple(RoleSeen(r["role"], r["title"], r["of"], r["first_seen"], r["last_seen"], r["articles"])
                    for r in json.loads(roles)),
        statements=statements, articles=articles, country=country, stands_for=stands_for, part_of=part_of,
        evidence=tuple(MergeEvidence.from_dict(v) for v in json.loads(evidence)),
    )


_COLUMNS = "id, name, type, country, stands_for, part_of, statements, articles, aliases, roles, evidence"


class EntityIndex(FeatureIndex):
    """Read-only access to the canonical entities of a store (or any open connection to one)."""

    REQUIRES = frozenset({"entities"})
    WHAT = "entity"

    def entities(self, *, type: str | EntityType | None = None, name: str | None = None,
                 min_statements: int = 0, limit: int | None = None) -> list[Entity]:
        """Canonical entities, most statements first; ``name`` matches any alias, spelling-insensitively."""
        where, params = ["statements >= ?"], [min_statements]
        if type is not None:
            try:
                where.append("type = ?")
                params.append(EntityType(str(getattr(type, "value", type)).upper()).value)
            except ValueError:
                raise ConfigError(f"unknown entity type {type!r}; use one of "
                                  f"{', '.join(t.value for t in EntityType)}") from None
        if name:
            where.append("id IN (SELECT entity_id FROM entity_names WHERE key LIKE ? ESCAPE '\\')")
            key = skeleton(name).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{key}%")
        sql = f"SELECT {_COLUMNS} FROM entities WHERE {' AND '.join(where)} ORDER BY statements DESC, name"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_entity(r) for r in self._run(sql, params)]

    def get(self, ref: str) -> Entity:
        """An entity by id ("person:dmitry-peskov") or by any name it goes by."""
        row = self._run(f"SELECT {_COLUMNS} FROM entities WHERE id = ?", (ref,)).fetchone()
        if row is None:
            ids = [r[0] for r in self._run(
                "SELECT DISTINCT n.entity_id FROM entity_names n JOIN entities e ON e.id = n.entity_id "
                "WHERE n.key = ? ORDER BY e.statements DESC", (skeleton(ref),))]
            if not ids:
                raise EntityNotFound(f"no entity is called {ref!r}; list them with `onrecord entities`")
            row = self._run(f"SELECT {_COLUMNS} FROM entities WHERE id = ?", (ids[0],)).fetchone()
        return _entity(row)

    def canonical_name(self, name: str) -> str | None:
        """The canonical name for any name an entity goes by (None when unknown): 'Zelenskiy' → 'Volodymyr Zelensky'."""
        row = self._run(
            "SELECT e.name FROM entity_names n JOIN entities e ON e.id = n.entity_id WHERE n.key = ? "
            "ORDER BY e.statements DESC, e.id LIMIT 1", (skeleton(name),)).fetchone()
        return row[0] if row else None

    def speaker_of(self, article_id: str, idx: int) -> SpeakerRef | None:
        """The canonical entity that made statement ``idx`` of ``article_id``."""
        row = self._run("SELECT entity_id, entity_name, entity_type, via FROM statement_speakers "
                        "WHERE article_id = ? AND idx = ?", (article_id, idx)).fetchone()
        return SpeakerRef(row[0], row[1], EntityType(row[2]), row[3]) if row else None

    def speakers(self, article_id: str | None = None) -> dict[tuple[str, int], SpeakerRef]:
        """Every statement's canonical speaker, keyed (article_id, idx)."""
        sql = "SELECT article_id, idx, entity_id, entity_name, entity_type, via FROM statement_speakers"
        rows = self._run(sql + (" WHERE article_id = ?" if article_id else ""), (article_id,) if article_id else ())
        return {(a, i): SpeakerRef(e, n, EntityType(t), v) for a, i, e, n, t, v in rows}

    def entity_of(self, article_id: str, local: int) -> str | None:
        row = self._run("SELECT entity_id FROM entity_members WHERE article_id = ? AND local = ?",
                        (article_id, local)).fetchone()
        return row[0] if row else None

    def quantities(self, *, entity: str | None = None) -> list[dict[str, Any]]:
        """Figures with their reporters' canonical names, optionally only those one entity reported."""
        sql = ("SELECT q.article_id, q.idx, q.text, q.value, q.low, q.high, q.bound, q.qualifier, q.unit, q.counts,"
               " q.predicate, COALESCE(e.name, q.reported_by), e.id, a.published FROM quantities q"
               " LEFT JOIN entity_members m ON m.article_id = q.article_id AND m.local = q.reporter_local"
               " LEFT JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = q.article_id")
        params: list[Any] = []
        if entity:
            sql += " WHERE e.id = ?"
            params.append(self.get(entity).id)
        sql += " ORDER BY a.published, q.article_id, q.start"
        keys = ("article_id", "idx", "text", "value", "low", "high", "bound", "qualifier", "unit", "counts",
                "predicate", "reported_by", "entity_id", "published")
        return [dict(zip(keys, r)) for r in self._run(sql, params)]

    def timeline(self, *, entity: str | None = None, about: str | None = None,
                 limit: int | None = None) -> list[TimelineEntry]:
        """Statements in the order they were made: the date the text gives, else the publication day."""
        return list(self.iter_timeline(entity=entity, about=about, limit=limit))

    def iter_timeline(self, *, entity: str | None = None, about: str | None = None,
                      limit: int | None = None) -> Iterator[TimelineEntry]:
        where, params = [], []
        if entity:
            where.append("ss.entity_id = ?")
            params.append(self.get(entity).id)
        if about:
            # Any name the entity that ``about`` names goes by: 'Kupyansk' also finds 'Kupiansk'.
            variants = name_variants(self.conn, about)
            either = []
            for variant in dict.fromkeys([about, *variants]):
                like = "%" + variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                either.append("a.content_text LIKE ? ESCAPE '\\' OR a.cue_text LIKE ? ESCAPE '\\'")
                params += [like, like]
            where.append("(" + " OR ".join(either) + ")")
        sql = (
            "SELECT COALESCE(sd.first_day, substr(ar.published, 1, 10)) AS day, sd.value, sd.text, ar.published,"
            " COALESCE(ss.entity_name, a.speaker_name), ss.entity_id, a.kind, a.cue_text, a.content_text,"
            " a.article_id, a.idx, ar.outlet, ar.title"
            " FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            " LEFT JOIN statement_dates sd ON sd.article_id = a.article_id AND sd.idx = a.idx"
            " LEFT JOIN statement_speakers ss ON ss.article_id = a.article_id AND ss.idx = a.idx"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY day IS NULL, day, ar.published, a.article_id, a.start"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for day, value, text, published, speaker, eid, kind, cue, content, aid, idx, outlet, title in self._run(sql, params):
            basis = "text" if value else ("published" if published else "unknown")
            yield TimelineEntry(
                when=value or (str(published)[:10] if published else ""), basis=basis, date_text=text or "",
                published=published, speaker=speaker, entity_id=eid, kind=kind, cue_text=cue, content_text=content,
                article_id=aid, idx=idx, outlet=outlet, title=title,
            )


def list_entities(db: str | Path, *, type: str | None = None, name: str | None = None, min_statements: int = 0,
                  limit: int | None = None) -> list[Entity]:
    with EntityIndex(db) as index:
        return index.entities(type=type, name=name, min_statements=min_statements, limit=limit)


def show_entity(db: str | Path, ref: str) -> tuple[Entity, list[TimelineEntry]]:
    """One entity and its statements in time order."""
    with EntityIndex(db) as index:
        entity = index.get(ref)
        return entity, index.timeline(entity=entity.id)


def timeline(db: str | Path, *, entity: str | None = None, about: str | None = None,
             limit: int | None = None) -> list[TimelineEntry]:
    with EntityIndex(db) as index:
        return index.timeline(entity=entity, about=about, limit=limit)


def merge_entities(db: str | Path, names: list[str], *, split: bool = False,
                   aliases: AliasRules | None = None) -> list[Entity]:
    """Record that ``names`` are one entity (or, with ``split``, different ones), re-merge, and return the result.

    The rule is kept in the store (``entity_overrides``) so later ingests honour it.
    """
    clean = [" ".join(n.split()) for n in names if n and n.strip()]
    if len(clean) < 2:
        raise ConfigError("give at least two names, e.g. `onrecord entities merge \"Volodymyr Zelensky\" "
                          "\"Vladimir Zelensky\"`")
    if split:
        split_rule(tuple(clean), "onrecord entities split")
    conn = open_writer(db)
    try:
        known = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "articles" not in known or conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0:
            raise StoreError(f"{db} holds no articles yet; ingest some first with `onrecord ingest --db {db} ...`")
        unknown = [n for n in clean if not conn.execute(
            "SELECT 1 FROM entity_names WHERE key = ? LIMIT 1", (skeleton(n),)).fetchone()]
        if unknown:
            raise ConfigError(f"no entity in {db} is called {', '.join(repr(n[:80]) for n in unknown)}; "
                              "`onrecord entities` lists the names (any spelling of a listed name works)")
        kind, listed = ("split" if split else "merge"), json.dumps(clean, ensure_ascii=False)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not conn.execute("SELECT 1 FROM entity_overrides WHERE kind = ? AND names = ?",
                                (kind, listed)).fetchone():  # the same rule twice is one rule
                conn.execute("INSERT INTO entity_overrides(kind, names, created_at) VALUES (?, ?, ?)",
                             (kind, listed, now()))
            mark_names(conn, clean, now())  # the next finalize merges again what these names reach
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    from ..analysis import load_enrichers
    from ..store.writer import Writer
    from .enricher import EntityEnricher

    # Every enricher's finalize: the claims feature names parties through the entities, so it follows too.
    enrichers = tuple(EntityEnricher(aliases) if e.name == "entities" else e for e in load_enrichers())
    with Writer(db, enrichers=enrichers) as writer:
        writer.finalize()
    keys = {skeleton(n) for n in clean}
    with EntityIndex(db) as index:
        return [e for e in index.entities() if keys & {skeleton(a) for a in (e.name, *e.aliases)}]

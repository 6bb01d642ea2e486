"""The entity behind each party of a claim or position, read from what the resolution layer stored.

Claims and positions never name a party themselves once the store has the entities feature's tables: a
party found through an attribution is the canonical entity the resolution layer linked to that attribution
(``entity_speakers`` → ``entity_members``); any other party ("Russia's claim", the subject of "rejected the
plan") is the article's own entity of that name (its name or a name it is mentioned by, compared by
:func:`onrecord.names.skeleton`), else the store's entity of that name.  A party no entity names keeps the
name the article gives it, with no id.

:class:`PartyEntities` is what the claims finalize asks; it reads one article's links at a time and
remembers which local entity each party came through (``nodes``), so that the incremental finalize can tell
when the entities finalize moved one of them (claims/incremental.py).  :class:`MemoryPartyEntities` is the
same resolution without a store (``claims_from_texts``, benchmarks): the entities feature's analysis of each
article, merged across the articles by the entities feature's own ``canonicalise``.
"""

from __future__ import annotations

import itertools
import sqlite3
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..names import skeleton

if TYPE_CHECKING:
    from ..entities.records import ArticleEntities


@dataclass(frozen=True, slots=True)
class Party:
    """A party as claims and positions store it: the canonical entity's id and name (id None: no entity)."""

    id: str | None
    name: str


def unresolved(canonical: Callable[[str], str] | None = None) -> Callable[[str, str, int | None], Party]:
    """Parties without a store (in memory, in benchmarks): the name as found (or its canonical form), no id."""
    name = canonical or (lambda s: s)
    return lambda article, party, source: Party(None, name(party))


@dataclass
class _Article:
    speakers: dict[int, int] = field(default_factory=dict)  # attribution idx → local entity
    by_key: dict[str, int] | None = None  # skeleton of a name the article uses → local entity (None: not read yet)
    members: dict[int, tuple[str, str]] = field(default_factory=dict)  # local → (entity id, canonical name)
    _unread: Iterator[tuple[int, str]] | None = None  # names not keyed yet (keyed as far as a lookup needs)

    def add_names(self, names: Iterable[tuple[int, str]]) -> None:
        """(local, name) pairs: each entity's own name first, then its name mentions in text order; a key
        goes to the first entity of the article to use it.  They are keyed lazily, only as far as
        :meth:`local_of` needs to read."""
        if self.by_key is None:
            self.by_key = {}
        self._unread = itertools.chain(self._unread or (), names)

    def local_of(self, key: str) -> int | None:
        """The first local entity of the article to use a name with this key (None: none does)."""
        if self.by_key is None:
            return None
        if key not in self.by_key and self._unread is not None:
            for local, name in self._unread:
                found = skeleton(name)
                self.by_key.setdefault(found, local)
                if found == key:
                    break
        return self.by_key.get(key)


class _Resolver(ABC):
    """The one resolution rule, over articles read from a store or built in memory; a subclass says where
    the store-wide entity of a name comes from (``_by_name``)."""

    enabled = True

    def __init__(self) -> None:
        self._articles: dict[str, _Article] = {}
        self.nodes: dict[tuple[str, int], tuple[str, str]] = {}  # (article, local) a party came through → entity

    def __call__(self, article_id: str, name: str, source: int | None = None) -> Party:
        if not self.enabled:
            return Party(None, name)
        return self.resolve(article_id, name, self.local_of(article_id, name, source))

    def local_of(self, article_id: str, name: str, source: int | None = None) -> int | None:
        """The article's local entity a party comes through: its statement's speaker, else the first of the
        article's entities to use its name (None: neither).  It depends on the article alone, so the store
        keeps it and finds the party again without the article when only the entities changed."""
        if not self.enabled:
            return None
        art = self._article(article_id)
        local = art.speakers.get(source) if source is not None else None
        if local is None:
            if art.by_key is None:  # keyed only when a party is not found through its statement
                art.add_names(self._article_names(article_id))
            local = art.local_of(skeleton(name))
        return local

    def resolve(self, article_id: str, name: str, local: int | None) -> Party:
        """The party coming through ``local`` (see :meth:`local_of`): that local entity's canonical entity,
        else the store's entity going by ``name``, else the name with no entity."""
        if not self.enabled:
            return Party(None, name)
        art = self._article(article_id)
        if local is not None and local in art.members:
            self.nodes[(article_id, local)] = art.members[local]
            return Party(*art.members[local])
        return self._by_name(name) or Party(None, name)

    def _article(self, article_id: str) -> _Article:
        return self._articles.get(article_id) or _Article()

    @abstractmethod
    def _by_name(self, name: str) -> Party | None:
        """The entity of the whole store (or of all the articles in memory) going by ``name``, if any."""

    def _article_names(self, article_id: str) -> Iterable[tuple[int, str]]:
        return []


class MemoryPartyEntities(_Resolver):
    """Party → entity without a store: the entities feature's per-article analysis, merged across articles."""

    def __init__(self, articles: Iterable[tuple[str, "ArticleEntities", str | None, str | None]]) -> None:
        from ..entities.incremental import base_rules
        from ..entities.merge import ArticleInput, canonicalise

        super().__init__()
        inputs = [ArticleInput(aid, ents, published, outlet) for aid, ents, published, outlet in articles]
        merged = canonicalise(inputs, base_rules(None))
        names = {e.id: e.name for e in merged.entities}
        self._by_key: dict[str, Party] = {}
        for e in sorted(merged.entities, key=lambda e: (-e.statements, e.id)):  # the most quoted keeps a name
            for n in (e.name, *e.aliases):
                self._by_key.setdefault(skeleton(n), Party(e.id, e.name))
        for a in inputs:
            art = self._articles[a.article_id] = _Article()
            art.speakers = {link.idx: link.local for link in a.entities.speakers}
            art.add_names([(e.local, e.name) for e in sorted(a.entities.entities, key=lambda e: e.local)])
            mentions = sorted((m.span.start, e.local, m.text) for e in a.entities.entities for m in e.mentions
                              if m.how == "name")
            art.add_names((local, text) for _, local, text in mentions)
            art.members = {local: (eid, names[eid]) for (aid, local), eid in merged.members.items()
                           if aid == a.article_id}

    def _by_name(self, name: str) -> Party | None:
        return self._by_key.get(skeleton(name))


class PartyEntities(_Resolver):
    """Party → canonical entity, for the articles of one finalize (one store connection, one transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self.conn = conn
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.enabled = {"entity_speakers", "entity_locals", "entity_mentions", "entity_members", "entities",
                        "entity_names"} <= tables
        self._names: dict[str, Party | None] = {}

    def _article(self, article_id: str) -> _Article:
        art = self._articles.get(article_id)
        if art is not None:
            return art
        art = _Article()
        conn = self.conn
        art.speakers = dict(conn.execute("SELECT idx, local FROM entity_speakers WHERE article_id = ?",
                                         (article_id,)).fetchall())
        art.members = {local: (eid, name) for local, eid, name in conn.execute(
            "SELECT m.local, e.id, e.name FROM entity_members m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.article_id = ?", (article_id,))}
        self._articles[article_id] = art
        return art

    def _article_names(self, article_id: str) -> Iterator[tuple[int, str]]:
        """(local, name): each entity's own name, then its name mentions in text order (see _Article.add_names);
        the mentions are read only when a lookup gets past the own names."""
        conn = self.conn
        yield from conn.execute("SELECT local, name FROM entity_locals WHERE article_id = ? ORDER BY local",
                                (article_id,)).fetchall()
        yield from conn.execute("SELECT local, text FROM entity_mentions WHERE article_id = ? AND how = 'name'"
                                " ORDER BY start, local", (article_id,)).fetchall()

    def _by_name(self, name: str) -> Party | None:
        """The store's entity going by ``name``: the most quoted of those sharing its key (as canonical_of)."""
        key = skeleton(name)
        if key not in self._names:
            row = self.conn.execute(
                "SELECT e.id, e.name FROM entity_names n JOIN entities e ON e.id = n.entity_id WHERE n.key = ?"
                " ORDER BY e.statements DESC, e.id LIMIT 1", (key,)).fetchone()
            self._names[key] = Party(*row) if row else None
        return self._names[key]

"""From parsed article to everything onrecord records about it, as plain data.

Extraction runs wherever the engine puts it (this process, spaCy worker
processes, Ray actors); writing happens in one place, the store's single
writer.  So everything computed per article is plain, picklable data:

    Doc + ArticleMeta ──analyse──▶ ProcessedArticle ──(store writer)──▶ SQLite

Features beyond attributions (entities and roles, dates, numbers, claims,
positions) plug in as *enrichers*: ``analyse`` runs next to the parse and
returns JSON-able data, ``write`` stores it inside the article's transaction,
and ``finalize`` does cross-article work (merging entities, grouping claims)
after a batch, touching only what the articles marked in ``pending_finalize``
can change (see ``store/incremental.py``).  An enricher may also have
``rebuild(conn)``: the same cross-article tables from scratch, as ``onrecord
rebuild`` runs it.  Enrichers are listed by import path in ``ENRICHERS``.
"""

from __future__ import annotations

import hashlib
import importlib
import sqlite3
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping, Protocol, runtime_checkable

from spacy.tokens import Doc

from .records import Attribution

#: "module:Class" of every enricher, in the order they run.
#: Corrections come last: they correct the rows the others wrote (see onrecord.corrections.enricher).
ENRICHERS: tuple[str, ...] = (
    "onrecord.entities.enricher:EntityEnricher", "onrecord.claims.enricher:ClaimsEnricher",
    "onrecord.stories:StoriesEnricher", "onrecord.corrections.enricher:CorrectionsEnricher",
)


def content_id(text: str) -> str:
    """Stable article id: the same text always gets the same id, whatever its URL or file name."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What we know about an article besides its text (all optional except the text's origin)."""

    origin: str  # file path, URL or "-"; for messages and provenance
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None
    name: str | None = None  # file name without .txt, when it came from a file

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ArticleMeta":
        return cls(**{k: data.get(k) for k in cls.__slots__})


@dataclass(frozen=True, slots=True)
class ProcessedArticle:
    """One article after extraction and enrichment: ready for the store, picklable, JSON-able."""

    id: str
    text: str
    meta: ArticleMeta
    attributions: tuple[Attribution, ...]
    extractor_version: str
    enrichments: Mapping[str, Any] = field(default_factory=dict)  # enricher name → its plain data
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "meta": self.meta.to_dict(),
            "attributions": [a.to_dict() for a in self.attributions],
            "extractor_version": self.extractor_version,
            "enrichments": dict(self.enrichments),
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ProcessedArticle":
        return cls(
            id=data["id"],
            text=data["text"],
            meta=ArticleMeta.from_dict(data["meta"]),
            attributions=tuple(Attribution.from_dict(a) for a in data["attributions"]),
            extractor_version=data["extractor_version"],
            enrichments=dict(data.get("enrichments") or {}),
            error=data.get("error"),
        )


@runtime_checkable
class Enricher(Protocol):
    """A feature computed per article next to the parse, stored by the single writer."""

    name: str

    def analyse(self, doc: Doc, meta: ArticleMeta, attributions: tuple[Attribution, ...]) -> Any:
        """Plain JSON-able data about one article (runs in worker processes)."""

    def write(self, conn: sqlite3.Connection, article_id: str, data: Any) -> None:
        """Store ``data`` inside the article's open transaction (runs in the writer)."""

    def finalize(self, conn: sqlite3.Connection) -> None:
        """Cross-article work after a batch has been written (runs in the writer, in finalize's transaction).

        Incremental: what the articles in ``pending_finalize`` can change, giving the
        same tables as the optional ``rebuild(conn)`` would."""


@lru_cache(maxsize=None)
def load_enrichers(paths: tuple[str, ...] = ENRICHERS) -> tuple[Enricher, ...]:
    out = []
    for path in paths:
        module, _, cls = path.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return tuple(out)


def analyse_doc(
    doc: Doc, meta: ArticleMeta, extractor_version: str, enrichers: Iterable[Enricher] | None = None
) -> ProcessedArticle:
    """Everything about one parsed article; enricher failures are recorded, not raised."""
    attributions = doc._.attributions
    enrichments: dict[str, Any] = {}
    errors = []
    for enricher in load_enrichers() if enrichers is None else enrichers:
        try:
            enrichments[enricher.name] = enricher.analyse(doc, meta, attributions)
        except Exception as err:  # a feature failing must not lose the article's attributions
            errors.append(f"{enricher.name}: {err.__class__.__name__}: {err}")
    processed = ProcessedArticle(content_id(doc.text), doc.text, meta, attributions, extractor_version, enrichments)
    if errors:
        processed = replace(processed, error="; ".join(errors))
    return processed


def process_texts(
    extractor: Any,
    items: Iterable[tuple[str, ArticleMeta]],
    *,
    n_process: int = 1,
    batch_size: int = 16,
    enrichers: Iterable[Enricher] | None = None,
) -> Iterator[ProcessedArticle]:
    """Parse and analyse ``(text, meta)`` pairs in order (the local engine's core loop)."""
    from .extractor import ERROR_KEY

    chosen = tuple(load_enrichers() if enrichers is None else enrichers)
    for doc, meta in extractor.pipe(items, n_process=n_process, batch_size=batch_size):
        error = doc.user_data.get(ERROR_KEY)
        if error:
            yield ProcessedArticle(content_id(doc.text), doc.text, meta, (), extractor.version, {}, error)
            continue
        yield analyse_doc(doc, meta, extractor.version, chosen)

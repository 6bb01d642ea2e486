"""The single writer: one ProcessedArticle per transaction, enrichers included.

Each article is written inside one ``BEGIN IMMEDIATE … COMMIT``: the article
row, its attributions (the FTS5 rows follow through triggers) and every
enricher's ``write``.  A process killed at any moment therefore leaves each
article either complete or absent.  Replacing an article (``--reprocess``)
deletes its row first, in the same transaction; attributions and every feature
table that references it with ``ON DELETE CASCADE`` go with it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Iterable

from ..analysis import ArticleMeta, Enricher, ProcessedArticle, load_enrichers
from ..errors import StoreError
from ..records import Attribution
from . import incremental
from .connection import open_writer
from .migrations import MIGRATION_MODULES


class WriteStatus(str, Enum):
    STORED = "stored"  # a new article
    REPLACED = "replaced"  # an existing article re-extracted
    UNCHANGED = "unchanged"  # already stored and not asked to replace


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _spans(spans) -> str:
    return json.dumps([s.to_list() for s in spans])


class Writer:
    """Writes processed articles into the store at ``path`` (created and migrated on open).

    >>> with Writer("onrecord.db") as w:          # doctest: +SKIP
    ...     w.write(processed_article)
    <WriteStatus.STORED: 'stored'>
    """

    def __init__(
        self,
        path: str | Path,
        *,
        enrichers: Iterable[Enricher] | None = None,
        migration_modules: Iterable[str] = MIGRATION_MODULES,
    ) -> None:
        self.path = Path(path)
        self.enrichers = tuple(load_enrichers() if enrichers is None else enrichers)
        self.conn = open_writer(self.path, migration_modules=tuple(migration_modules))
        self._speaker_ids: dict[str, int] = {}
        self._written_since_finalize = 0

    # -- context management -------------------------------------------------------------------------
    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self, *, finalize: bool = True) -> None:
        """Close the connection, first running the enrichers' finalize step if articles were written since."""
        if self.conn is not None:
            try:
                if finalize and (self._written_since_finalize or self.finalize_pending()):
                    self.finalize()
            finally:
                self.conn.close()
                self.conn = None  # type: ignore[assignment]

    # -- reads the writer needs ----------------------------------------------------------------------
    def status(self, article_id: str) -> str | None:
        """None when absent, "ok" when stored cleanly, "error" when its last extraction failed."""
        row = self.conn.execute("SELECT error IS NULL FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else ("ok" if row[0] else "error")

    def stored_meta(self, article_id: str) -> tuple[str, ArticleMeta] | None:
        row = self.conn.execute(
            "SELECT text, origin, url, outlet, title, author, published, language, name FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        text, *meta = row
        return text, ArticleMeta(*meta)

    def finalize_pending(self) -> bool:
        """True when articles were written since the enrichers' finalize step last completed (in any run)."""
        return self.conn.execute("SELECT 1 FROM pending_finalize LIMIT 1").fetchone() is not None

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY pk")]

    # -- writes ----------------------------------------------------------------------------------------
    def write(self, article: ProcessedArticle, *, replace: bool = False) -> WriteStatus:
        """Store one article atomically; an article already stored cleanly is left alone unless ``replace``.

        An article stored with an error (its extraction or an enricher failed) is
        always replaced, so a later run retries it.
        """
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise StoreError(f"{self.path}: cannot start a write ({err}); is another process holding it?") from err
        try:
            old = conn.execute(
                "SELECT ingested_at, error IS NULL FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if old is not None and old[1] and not replace:
                self._note_source(article.id, article.meta)
                conn.execute("COMMIT")
                return WriteStatus.UNCHANGED
            ingested_at = old[0] if old is not None else _now()
            sources: list[tuple] = []
            if old is not None:
                # Where the text was seen is history, not extraction output: it survives the replacement.
                sources = conn.execute(
                    "SELECT article_id, origin, url, outlet, seen_at FROM article_sources WHERE article_id = ?",
                    (article.id,),
                ).fetchall()
                conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            self._insert_article(article, ingested_at)
            conn.executemany("INSERT INTO article_sources VALUES (?, ?, ?, ?, ?)", sources)
            self._insert_attributions(article.id, article.attributions, article.meta.published)
            self._note_source(article.id, article.meta)
            conn.execute("INSERT OR REPLACE INTO pending_finalize(article_id, since) VALUES (?, ?)",
                         (article.id, _now()))
            for enricher in self.enrichers:
                if enricher.name in article.enrichments:
                    try:
                        enricher.write(conn, article.id, article.enrichments[enricher.name])
                    except Exception as err:
                        raise StoreError(
                            f"the {enricher.name} enricher could not write article {article.id} "
                            f"({err.__class__.__name__}: {err}); nothing of the article was kept"
                        ) from err
            conn.execute("COMMIT")
        except BaseException as err:
            _rollback(conn)  # SQLite may have rolled back already (a full disk): then there is nothing to undo
            # Cached speaker ids may point at rows the rollback removed.
            self._speaker_ids.clear()
            if isinstance(err, Exception) and not isinstance(err, StoreError):
                raise StoreError(
                    f"writing article {article.id} ({article.meta.origin}) failed: {err.__class__.__name__}: {err}; "
                    "nothing of it was kept"
                ) from err
            raise
        self._written_since_finalize += 1
        return WriteStatus.STORED if old is None else WriteStatus.REPLACED

    def note_seen(self, article_id: str, meta: ArticleMeta) -> None:
        """Record one more place a stored article was seen (a syndicated copy, a re-run)."""
        with_tx = not self.conn.in_transaction
        if with_tx:
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._note_source(article_id, meta)
            if with_tx:
                self.conn.execute("COMMIT")
        except BaseException as err:
            if with_tx:
                _rollback(self.conn)
            if isinstance(err, sqlite3.Error):
                raise StoreError(f"cannot record a source of article {article_id} ({err}); is it stored?") from err
            raise

    def finalize(self, *, full: bool = False) -> None:
        """Run every enricher's cross-article step, in one transaction of its own.

        By default each step is incremental: it recomputes only the groups that the
        articles marked in ``pending_finalize`` can join.  ``full`` rebuilds every
        cross-article table from the per-article ones (``onrecord rebuild``); both
        give the same tables.
        """
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            incremental.reset_changed_names(conn)
            for enricher in self.enrichers:
                step = getattr(enricher, "rebuild", None) if full else None
                (step or enricher.finalize)(conn)
            incremental.clear_pending(conn)
            conn.execute("COMMIT")
        except BaseException as err:
            _rollback(conn)
            if isinstance(err, Exception):
                raise StoreError(
                    f"{self.path}: an enricher's finalize step failed ({err.__class__.__name__}: {err}); "
                    "the articles are kept and the step runs again after the next batch"
                ) from err
            raise
        self._written_since_finalize = 0

    def rebuild(self) -> None:
        """Rebuild every cross-article table from scratch (after a model upgrade or a changed alias file)."""
        self.finalize(full=True)

    # -- internals -----------------------------------------------------------------------------------
    def _insert_article(self, article: ProcessedArticle, ingested_at: str) -> None:
        m = article.meta
        self.conn.execute(
            "INSERT INTO articles (id, url, outlet, title, author, published, language, origin, name, text, words,"
            " n_attributions, extractor_version, ingested_at, processed_at, error)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id, m.url, m.outlet, m.title, m.author, m.published, m.language, m.origin, m.name,
                article.text, len(article.text.split()), len(article.attributions), article.extractor_version,
                ingested_at, _now(), article.error,
            ),
        )

    def _speaker_id(self, name: str, type_: str) -> int:
        key = name.casefold()
        sid = self._speaker_ids.get(key)
        if sid is None:
            row = self.conn.execute(
                "INSERT INTO speakers(name, type) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET type = CASE WHEN type = 'UNKNOWN' THEN excluded.type ELSE type END"
                " RETURNING id",
                (name, type_),
            ).fetchone()
            sid = self._speaker_ids[key] = row[0]
        return sid

    def _insert_attributions(self, article_id: str, attributions: tuple[Attribution, ...],
                             published: str | None) -> None:
        day = published[:10] if published else None
        rows = []
        for idx, a in enumerate(attributions):
            sp = a.speaker
            rows.append((
                article_id, idx, a.kind.value,
                self._speaker_id(sp.name, sp.type) if sp and sp.name else None,
                sp.name if sp else None, sp.mention if sp else None, sp.type if sp else None,
                json.dumps(sp.antecedent.to_list()) if sp and sp.antecedent else None,
                a.confidence, _spans(a.source), _spans(a.cue), _spans(a.content),
                a.source_text, a.cue_text, a.content_text, a.start, a.end, a.said_on,
                json.dumps(dict(a.extra), ensure_ascii=False) if a.extra else None, day,
            ))
        self.conn.executemany(
            "INSERT INTO attributions (article_id, idx, kind, speaker_id, speaker_name, speaker_mention, speaker_type,"
            " speaker_antecedent, confidence, source_spans, cue_spans, content_spans, source_text, cue_text,"
            " content_text, start, end, said_on, extra, published_day)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _note_source(self, article_id: str, meta: ArticleMeta) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO article_sources(article_id, origin, url, outlet, seen_at) VALUES (?, ?, ?, ?, ?)",
            (article_id, meta.origin or meta.url or "-", meta.url, meta.outlet, _now()),
        )


def rebuild_store(path: str | Path, *, enrichers: Iterable[Enricher] | None = None) -> float:
    """Rebuild every cross-article table of the store at ``path`` in one transaction; returns the seconds taken."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no store at {path}; create one with `onrecord ingest --db {path} FILES...`")
    started = time.perf_counter()
    with Writer(path, enrichers=enrichers) as writer:
        writer.rebuild()
    return time.perf_counter() - started

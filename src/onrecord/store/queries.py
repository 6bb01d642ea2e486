"""Read-only queries over the store; every result is a typed, frozen record.

A :class:`Reader` holds one ``mode=ro`` connection, so it can run beside an
ingest that is writing (WAL) and can never change the file.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from ..errors import ConfigError, StoreError
from ..names import skeleton
from ..records import AttributionKind, Span
from .connection import open_reader
from .filters import OUTLET_MATCH, QuoteFilter, like_pattern
from .fts import fts_query
from .records import ArticleView, Quote, SearchHit, SpeakerSummary, StoredArticle

# The statement's date: when it was said if the text gives it, else the day the article was published
# (a generated, indexed column; see migration 0002_statement_day).
_DATE = "a.day"

_QUOTE_COLUMNS = (
    "a.article_id, a.idx, a.kind, a.speaker_name, a.speaker_mention, a.speaker_type, a.confidence,"
    " a.source_text, a.cue_text, a.content_text, a.source_spans, a.cue_spans, a.content_spans, a.said_on,"
    f" {_DATE}, ar.title, ar.outlet, ar.url, ar.published,"
    # Only a corrected statement has this key in extra (onrecord.corrections.apply); the LIKE skips the JSON parse.
    " CASE WHEN a.extra LIKE '%\"corrected\"%' THEN json_extract(a.extra, '$.corrected') END"
)
# The canonical entity behind the statement (the entities feature), beside the speaker as written.
_ENTITY_COLUMNS = (
    " (SELECT v.entity_id FROM statement_speakers v WHERE v.article_id = a.article_id AND v.idx = a.idx),"
    " (SELECT v.entity_name FROM statement_speakers v WHERE v.article_id = a.article_id AND v.idx = a.idx)"
)
_WORDY = re.compile(r"\w")
_ARTICLE_COLUMNS = (
    "id, url, outlet, title, author, published, language, origin, name, text, words, n_attributions,"
    " extractor_version, ingested_at, processed_at, error"
)
# Snippet markers no article text contains; turned into offsets, so no markup ever reaches a terminal or page.
_OPEN, _CLOSE = "\x02", "\x03"


def _spans(raw: str) -> tuple[Span, ...]:
    return tuple(Span.from_list(p) for p in json.loads(raw))


def _quote(row: tuple) -> Quote:
    (article_id, idx, kind, speaker, mention, stype, confidence, source_text, cue_text, content_text,
     source, cue, content, said_on, date, title, outlet, url, published, corrected, entity_id, entity_name) = row
    return Quote(
        article_id, idx, AttributionKind(kind), speaker, mention, stype, confidence, source_text, cue_text,
        content_text, _spans(source), _spans(cue), _spans(content), said_on, date, title, outlet, url, published,
        tuple(json.loads(corrected)) if corrected else (), entity_id, entity_name,
    )


def _marks(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    plain, marks, start = [], [], None
    pos = 0
    for ch in snippet:
        if ch == _OPEN:
            start = pos
        elif ch == _CLOSE:
            if start is not None:
                marks.append((start, pos))
            start = None
        else:
            plain.append(ch)
            pos += 1
    return "".join(plain), tuple(marks)


def name_variants(conn: sqlite3.Connection, text: str) -> list[str]:
    """Every name the store's entities give the thing ``text`` names ('Kupyansk' → Kupiansk, Kupyansk), or []
    when ``text`` is not a name an entity goes by, or the store has no entities tables.

    The one alias lookup behind every "any spelling" filter: ``quotes --by/--about``, ``search``,
    ``timeline --about``, ``claims --about`` and ``positions --about``."""
    if not text.strip():
        return []
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entity_names'").fetchone():
            return []
        rows = conn.execute(
            "SELECT DISTINCT n.name FROM entity_names n WHERE n.entity_id IN"
            " (SELECT entity_id FROM entity_names WHERE key = ?) ORDER BY n.name", (skeleton(text),)).fetchall()
    except sqlite3.OperationalError as err:
        raise StoreError(f"name lookup failed ({err})") from err
    return [r[0] for r in rows]


class Reader:
    """Queries over one store file.

    >>> r = Reader("onrecord.db")                      # doctest: +SKIP
    >>> [q.content_text for q in r.quotes(by="Silva", since="2024-01-01")]   # doctest: +SKIP
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = open_reader(self.path)

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _quote_columns(self) -> str:
        # A store made before the entities feature has no statement_speakers (yet: a writer may add it while
        # this reader is open, so it is looked up for each query, not once).
        if self._run("SELECT 1 FROM sqlite_master WHERE name = 'statement_speakers'").fetchone():
            return f"{_QUOTE_COLUMNS},{_ENTITY_COLUMNS}"
        return f"{_QUOTE_COLUMNS}, NULL, NULL"

    def _run(self, sql: str, params: list[Any] | tuple = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as err:
            raise StoreError(f"{self.path}: query failed ({err})") from err

    # -- statements ----------------------------------------------------------------------------------
    def speaker_ids(self, name: str) -> list[int]:
        """Speakers whose name holds every word of ``name`` as whole words, case-insensitively."""
        words = re.findall(r"\w+", name.casefold())
        if not words:
            raise ConfigError(f"--by {name!r} has no letters to match a speaker name")
        # LIKE narrows the (small) speakers table; the word check keeps "Li" from matching "Lincoln".
        rows = self._run(
            "SELECT id, name FROM speakers WHERE name LIKE ? ESCAPE '\\'", (like_pattern(words[0]),)
        )
        wanted = set(words)
        return [sid for sid, n in rows if wanted <= set(re.findall(r"\w+", n.casefold()))]

    def _has_entities(self) -> bool:
        if getattr(self, "_entities_known", None) is None:
            names = {r[0] for r in self._run("SELECT name FROM sqlite_master WHERE type = 'table'")}
            self._entities_known = {"entities", "entity_names", "entity_statements"} <= names and bool(
                self._run("SELECT 1 FROM entities LIMIT 1").fetchone())
        return self._entities_known

    def _entity_ids(self, name: str) -> list[str]:
        """Canonical entities any of whose names holds every word of ``name`` (spelling-insensitive: the
        names module's skeleton), so 'zelenskiy' finds every statement of Volodymyr Zelensky."""
        if not self._has_entities():
            return []
        words = skeleton(name).split()
        if not words:
            return []
        rows = self._run("SELECT DISTINCT entity_id, key FROM entity_names WHERE key LIKE ? ESCAPE '\\'",
                         (like_pattern(words[0]),))
        wanted = set(words)
        return sorted({eid for eid, key in rows if wanted <= set(key.split())})

    def name_variants(self, text: str) -> list[str]:
        """Every name the store's entities give the thing ``text`` names ('Kupyansk' → Kupiansk, Kupyansk),
        or [] when ``text`` is not a name an entity goes by (see :func:`name_variants`)."""
        if not self._has_entities():
            return []
        return name_variants(self.conn, text)

    def _fts(self, text: str) -> str:
        """The full-text query for ``text``; a bare name also matches the other names of its entity."""
        query = fts_query(text)
        variants = self.name_variants(text) if re.fullmatch(r"[\w'’.\- ]+", text.strip()) else []
        if len(variants) > 1:
            query = " OR ".join(dict.fromkeys([query, *(fts_query(v) for v in variants if _WORDY.search(v))]))
        return query

    def _where(self, f: QuoteFilter) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if f.by:
            ids = self.speaker_ids(f.by)
            entity_ids = self._entity_ids(f.by)
            if not ids and not entity_ids:
                return "0", []
            either = []
            if ids:
                either.append(f"a.speaker_id IN ({','.join('?' * len(ids))})")
                params.extend(ids)
            if entity_ids:
                either.append(f"a.pk IN (SELECT pk FROM entity_statements WHERE entity_id IN "
                              f"({','.join('?' * len(entity_ids))}))")
                params.extend(entity_ids)
            clauses.append("(" + " OR ".join(either) + ")")
        if f.about:
            clauses.append("a.pk IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?)")
            params.append(self._fts(f.about))
        if f.since:
            clauses.append(f"{_DATE} >= ?")
            params.append(f.since)
        if f.until:
            clauses.append(f"{_DATE} <= ?")
            params.append(f.until)
        if f.outlet:
            clauses.append(OUTLET_MATCH.format(column="ar.outlet"))
            params.append(like_pattern(f.outlet))
        if f.kind:
            clauses.append("a.kind = ?")
            params.append(f.kind.value)
        if f.article:
            clauses.append("a.article_id = ?")
            params.append(f.article)
        return " AND ".join(clauses) or "1", params

    def iter_quotes(self, filter: QuoteFilter | None = None, *, limit: int | None = None, offset: int = 0,
                    newest_first: bool = True) -> Iterator[Quote]:
        """Matching statements, newest first (undated last), streamed: exports read millions this way."""
        where, params = self._where(filter or QuoteFilter())
        # DESC already puts undated statements last; spelling out NULLS LAST there would cost the index order.
        order = "DESC" if newest_first else "ASC NULLS LAST"
        sql = (
            f"SELECT {self._quote_columns()} FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            f" WHERE {where} ORDER BY {_DATE} {order}, a.article_id, a.idx"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, int(limit), int(offset)]
        for row in self._run(sql, params):
            yield _quote(row)

    def quotes(self, filter: QuoteFilter | None = None, *, limit: int | None = 50, offset: int = 0,
               **filters: Any) -> list[Quote]:
        """Statements matching ``filter`` (or the same fields as keywords: by=, about=, since=, ...)."""
        if filter is not None and filters:
            raise ConfigError("pass either a QuoteFilter or keyword filters, not both")
        return list(self.iter_quotes(filter or QuoteFilter.build(**filters), limit=limit, offset=offset))

    def count_quotes(self, filter: QuoteFilter | None = None) -> int:
        where, params = self._where(filter or QuoteFilter())
        sql = f"SELECT count(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id WHERE {where}"
        return self._run(sql, params).fetchone()[0]

    def speakers(self, filter: QuoteFilter | None = None, *, limit: int | None = 50,
                 **filters: Any) -> list[SpeakerSummary]:
        """Speakers by number of statements, with the first and last date they were reported."""
        f = filter or QuoteFilter.build(**filters)
        where, params = self._where(f)
        if self._has_entities():
            # The canonical entity behind each statement (as the web page lists them); a statement the
            # entities feature did not link keeps its speaker's name.
            sql = (
                "SELECT coalesce(e.name, s.name), coalesce(e.type, s.type), count(*) AS n,"
                " count(DISTINCT a.article_id), min(" + _DATE + "), max(" + _DATE + "), e.id"
                " FROM attributions a JOIN articles ar ON ar.id = a.article_id"
                " JOIN speakers s ON s.id = a.speaker_id"
                " LEFT JOIN entity_speakers es ON es.article_id = a.article_id AND es.idx = a.idx"
                " LEFT JOIN entity_members em ON em.article_id = es.article_id AND em.local = es.local"
                " LEFT JOIN entities e ON e.id = em.entity_id"
                # an unresolved "she" or "they" is no one to list
                f" WHERE {where} AND (e.id IS NOT NULL OR s.type != 'UNKNOWN')"
                " GROUP BY coalesce(e.id, 'speaker:' || s.id) ORDER BY n DESC, 1"
            )
        else:
            sql = (
                "SELECT s.name, s.type, count(*) AS n, count(DISTINCT a.article_id), min(" + _DATE + "),"
                " max(" + _DATE + "), NULL"
                " FROM attributions a JOIN articles ar ON ar.id = a.article_id JOIN speakers s ON s.id = a.speaker_id"
                f" WHERE {where} GROUP BY s.id ORDER BY n DESC, s.name"
            )
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, int(limit)]
        return [SpeakerSummary(*row) for row in self._run(sql, params)]

    # -- articles ------------------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        """An article id from its id, a unique id prefix (4+ characters) or its URL."""
        ref = ref.strip()
        row = self._run("SELECT id FROM articles WHERE id = ? OR url = ? LIMIT 1", (ref, ref)).fetchone()
        if row:
            return row[0]
        if re.fullmatch(r"[0-9a-f]{4,15}", ref):
            rows = self._run(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 3", (ref, ref + "g")
            ).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise ConfigError(f"{ref!r} is the start of several article ids; give more characters")
        raise ConfigError(f"no article {ref!r} in {self.path}; find ids with `onrecord search` or `onrecord quotes`")

    def article(self, ref: str) -> ArticleView:
        article_id = self.resolve(ref)
        row = self._run(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        quotes = self.iter_quotes(QuoteFilter(article=article_id), newest_first=False)
        return ArticleView(StoredArticle(*row), tuple(sorted(quotes, key=lambda q: q.idx)))

    def iter_articles(self, ids: list[str] | None = None) -> Iterator[StoredArticle]:
        if ids is None:
            rows = self._run(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY pk")
            yield from (StoredArticle(*r) for r in rows)
            return
        for article_id in ids:
            row = self._run(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row:
                yield StoredArticle(*row)

    # -- full text -----------------------------------------------------------------------------------
    def search(self, text: str, *, scope: str = "articles", limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Ranked full-text matches (FTS5 BM25) over article titles and texts, or over statements.

        ``scope="articles"`` ranks titles above body text; ``scope="quotes"``
        searches what was said and by whom.
        """
        query = self._fts(text)
        if scope == "articles":
            sql = (
                "SELECT ar.id, NULL, bm25(articles_fts, 5.0, 1.0) AS score,"
                f" snippet(articles_fts, 1, '{_OPEN}', '{_CLOSE}', '…', 24),"
                " ar.title, ar.outlet, ar.published, ar.url, NULL"
                " FROM articles_fts JOIN articles ar ON ar.pk = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?"
            )
        elif scope == "quotes":
            sql = (
                "SELECT a.article_id, a.idx, bm25(attributions_fts, 2.0, 1.0) AS score,"
                f" snippet(attributions_fts, 1, '{_OPEN}', '{_CLOSE}', '…', 32),"
                " ar.title, ar.outlet, ar.published, ar.url, a.speaker_name"
                " FROM attributions_fts JOIN attributions a ON a.pk = attributions_fts.rowid"
                " JOIN articles ar ON ar.id = a.article_id"
                " WHERE attributions_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?"
            )
        else:
            raise ConfigError(f"unknown search scope {scope!r}; use articles or quotes")
        hits = []
        for article_id, idx, score, snippet, title, outlet, published, url, speaker in self._run(
            sql, (query, int(limit), int(offset))
        ):
            plain, marks = _marks(snippet or "")
            hits.append(SearchHit(article_id, idx, score, plain, marks, title, outlet, published, url, speaker))
        return hits

    # -- overview ------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        row = self._run(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM attributions),"
            " (SELECT count(*) FROM speakers), (SELECT count(*) FROM articles WHERE error IS NOT NULL)"
        ).fetchone()
        return dict(zip(("articles", "attributions", "speakers", "failed_articles"), row))

"""The entities feature as an enricher: per-article analysis next to the parse, canonical merge after a batch.

``analyse`` returns plain JSON (see :meth:`EntityEnricher.analyse`); ``write``
stores it in the article's transaction and fills ``attributions.said_on``;
``finalize`` merges the new articles' entities into canonical ones, recomputing
only the components of the store they can join (entities/incremental.py);
``rebuild`` recomputes every component and gives the same tables.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from spacy.tokens import Doc

from ..analysis import ArticleMeta
from ..dates import date_mentions, parse_published, said_on_dates
from ..quantities import quantities
from ..records import Attribution
from .aliases import AliasRules, MergeRule, SplitRule
from .article import analyse_entities
from .merge import ArticleInput
from .records import ArticleEntities, Entity

#: Environment variable naming the alias file finalize uses (else ./onrecord-aliases.toml when present).
ALIASES_ENV = "ONRECORD_ALIASES"
DATA_VERSION = 1


def analyse_article(doc: Doc, meta: ArticleMeta | None = None,
                    attributions: Iterable[Attribution] | None = None) -> dict[str, Any]:
    """Everything this feature finds in one article, as plain JSON-able data.

    Keys: ``entities`` (ArticleEntities.to_dict), ``dates`` (every resolved date
    expression), ``said_on`` (attribution index → its date), ``quantities``.
    """
    atts = tuple(doc._.attributions if attributions is None else attributions)
    published = meta.published if meta is not None else None
    text = doc.text
    ents = analyse_entities(doc, atts, text=text)
    mentions = date_mentions(doc, published, text=text)
    said = said_on_dates(doc, atts, mentions)
    speaker_local = {link.idx: link.local for link in ents.speakers}
    figures = []
    for q in quantities(doc, atts, text=text):
        item = q.to_dict()
        local = speaker_local.get(q.attribution)
        item["reporter_local"] = local
        if local is not None:
            item["reported_by"] = ents.entities[local].name
        figures.append(item)
    day = parse_published(published)
    return {
        "version": DATA_VERSION,
        "published": day.isoformat() if day else None,
        "outlet": meta.outlet if meta is not None else None,
        "entities": ents.to_dict(),
        "dates": [m.to_dict() for m in mentions],
        "said_on": [{"idx": idx, **m.to_dict()} for idx, m in sorted(said.items())],
        "quantities": figures,
    }


class EntityEnricher:
    """Entities, roles, statement dates and figures; registered in ``analysis.ENRICHERS``."""

    name = "entities"

    def __init__(self, aliases: AliasRules | None = None) -> None:
        self._aliases = aliases

    def analyse(self, doc: Doc, meta: ArticleMeta, attributions: tuple[Attribution, ...]) -> dict[str, Any]:
        return analyse_article(doc, meta, attributions)

    def write(self, conn: sqlite3.Connection, article_id: str, data: Mapping[str, Any]) -> None:
        write_article(conn, article_id, data)

    def finalize(self, conn: sqlite3.Connection) -> None:
        from . import incremental

        incremental.finalize(conn, self._aliases)

    def rebuild(self, conn: sqlite3.Connection) -> None:
        from . import incremental

        incremental.rebuild(conn, self._aliases)


def write_article(conn: sqlite3.Connection, article_id: str, data: Mapping[str, Any]) -> None:
    """Store one article's analysis (inside the caller's transaction), replacing what was there."""
    for table in ("entity_articles", "entity_locals", "entity_mentions", "entity_roles", "entity_speakers",
                  "date_mentions", "statement_dates", "quantities"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    published = data.get("published")
    conn.execute("INSERT INTO entity_articles(article_id, published, outlet, data) VALUES (?, ?, ?, ?)",
                 (article_id, published, data.get("outlet"), json.dumps(data, ensure_ascii=False)))
    ents = ArticleEntities.from_dict(data.get("entities") or {})
    conn.executemany(
        "INSERT INTO entity_locals(article_id, local, type, name, country, stands_for, part_of) VALUES (?,?,?,?,?,?,?)",
        [(article_id, e.local, e.type.value, e.name, e.country, e.stands_for, e.part_of) for e in ents.entities],
    )
    conn.executemany(
        "INSERT INTO entity_mentions(article_id, local, start, end, text, how) VALUES (?,?,?,?,?,?)",
        [(article_id, e.local, m.span.start, m.span.end, m.text, m.how) for e in ents.entities for m in e.mentions],
    )
    conn.executemany(
        "INSERT INTO entity_roles(article_id, local, title, of, text, start, end, source, seen_on) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        [(article_id, e.local, r.title, r.of, r.text, r.span.start, r.span.end, r.source, published)
         for e in ents.entities for r in e.roles],
    )
    known = {r[0] for r in conn.execute("SELECT idx FROM attributions WHERE article_id = ?", (article_id,))}
    conn.executemany(
        "INSERT INTO entity_speakers(article_id, idx, local, via) VALUES (?,?,?,?)",
        [(article_id, s.idx, s.local, s.via) for s in ents.speakers if s.idx in known],
    )
    conn.executemany(
        "INSERT INTO date_mentions(article_id, start, end, text, value, first_day, last_day, granularity, relative) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        [(article_id, d["span"][0], d["span"][1], d["text"], d["value"], d["start"], d["end"], d["granularity"],
          int(bool(d["relative"]))) for d in data.get("dates") or ()],
    )
    said = [d for d in data.get("said_on") or () if d["idx"] in known]
    conn.executemany(
        "INSERT INTO statement_dates(article_id, idx, start, end, text, value, first_day, granularity) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [(article_id, d["idx"], d["span"][0], d["span"][1], d["text"], d["value"], d["start"], d["granularity"])
         for d in said],
    )
    # said_on holds days only: a week or month is kept in statement_dates, not passed off as a day.
    conn.executemany(
        "UPDATE attributions SET said_on = ? WHERE article_id = ? AND idx = ?",
        [(d["value"], article_id, d["idx"]) for d in said if d["granularity"] == "day"],
    )
    conn.executemany(
        "INSERT INTO quantities(article_id, idx, start, end, text, value, low, high, bound, qualifier, unit, counts,"
        " predicate, reported_by, reporter_local) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, q["attribution"], q["span"][0], q["span"][1], q["text"], q["value"], q["low"], q["high"],
          q["bound"], q["qualifier"], q["unit"], q["counts"], q["predicate"], q["reported_by"], q.get("reporter_local"))
         for q in data.get("quantities") or () if q["attribution"] in known],
    )


def store_rules(conn: sqlite3.Connection) -> AliasRules:
    """The merges and splits asked for with `onrecord entities merge/split`, in the order given."""
    merges, splits = [], []
    for kind, names in conn.execute("SELECT kind, names FROM entity_overrides ORDER BY id"):
        names = tuple(json.loads(names))
        if kind == "merge":
            merges.append(MergeRule(names, None, "onrecord entities merge"))
        else:
            splits.append(SplitRule(names, "onrecord entities split"))
    return AliasRules(tuple(merges), tuple(splits), ("store",))


def _input(row: tuple) -> ArticleInput:
    article_id, published, outlet, data = row
    parsed = json.loads(data)
    return ArticleInput(article_id, ArticleEntities.from_dict(parsed.get("entities") or {}), published, outlet)


def rebuild(conn: sqlite3.Connection, aliases: AliasRules | None = None) -> list[Entity]:
    """Recompute every canonical table from the stored articles (caller holds the transaction)."""
    from . import incremental

    return incremental.rebuild(conn, aliases)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

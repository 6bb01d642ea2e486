"""The claims feature as an enricher: per-article detection next to the parse, grouping after a batch.

``analyse`` returns :class:`~onrecord.claims.records.ArticleClaims` as plain
JSON; ``write`` stores it inside the article's transaction; ``finalize``
regroups every stored article's mentions into claims and positions (a full
rebuild: deterministic, and groups change when new articles arrive).  Party and
place names go through the entities feature's canonical names when its tables
are in the store, so "Zelensky" and "Volodymyr Zelensky" count as one party.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping

from spacy.tokens import Doc

from ..analysis import ArticleMeta
from ..records import Attribution, Span
from . import parties
from .detect import ArticleClaimFinder
from .grouping import (ProposalRegistry, SourcedMention, SourcedPosition, SourcedProposal, claim_id,
                       group_mentions, group_positions, link_article, position_id)
from .positions import find_positions
from .proposals import ProposalIndex
from .records import ArticleClaims, Claim, Position
from .stances import find_stances
from .statements import Names, find_disputes

DATA_VERSION = 1


def analyse_article(doc: Doc, meta: ArticleMeta | None = None,
                    attributions: Iterable[Attribution] | None = None) -> ArticleClaims:
    """Claims, disputes, proposals and positions of one parsed article."""
    atts = tuple(doc._.attributions if attributions is None else attributions)
    proposals = ProposalIndex(doc)
    finder = ArticleClaimFinder(doc, atts, meta, documents=proposals.documents())
    mentions = link_article(finder.find())
    said_on = meta.published[:10] if meta is not None and meta.published else None
    mentions += _shifted(_not_covered(find_disputes(doc, atts, said_on, meta.outlet if meta is not None else None), mentions), len(mentions))
    positions = find_positions(doc, proposals, finder.voices, said_on=said_on, full_name=finder.full_name)
    known = {parties.key(p.party) for p in positions}
    positions += [p for p in find_stances(doc, atts, Names(doc, atts), said_on) if parties.key(p.party) not in known]
    return ArticleClaims(tuple(mentions), tuple(positions), tuple(proposals.records()))


def _not_covered(found: list, known: list) -> list:
    """Generic assert/dispute pairs whose dispute no frame-specific mention already reads."""
    drop = {m.answers for m in found if m.answers is not None
            and any(k.span.overlaps(m.span) and k.party == m.party for k in known)}
    drop |= {i for i, m in enumerate(found) if m.answers in drop}
    keep = [i for i in range(len(found)) if i not in drop]
    renum = {old: new for new, old in enumerate(keep)}
    return [replace(found[i], answers=renum.get(found[i].answers)) if found[i].answers is not None else found[i]
            for i in keep]


def _shifted(mentions: list, offset: int) -> list:
    """Mentions appended after ``offset`` others: their ``answers`` indices move with them."""
    return [replace(m, answers=m.answers + offset) if m.answers is not None else m for m in mentions]


class ClaimsEnricher:
    """Contested claims and positions on proposals; registered in ``analysis.ENRICHERS`` after entities."""

    name = "claims"

    def analyse(self, doc: Doc, meta: ArticleMeta, attributions: tuple[Attribution, ...]) -> dict[str, Any]:
        data = analyse_article(doc, meta, attributions).to_dict()
        data["version"] = DATA_VERSION
        data["published"] = meta.published[:10] if meta is not None and meta.published else None
        data["outlet"] = meta.outlet if meta is not None else None
        return data

    def write(self, conn: sqlite3.Connection, article_id: str, data: Mapping[str, Any]) -> None:
        write_article(conn, article_id, data)

    def finalize(self, conn: sqlite3.Connection) -> None:
        rebuild(conn)


def write_article(conn: sqlite3.Connection, article_id: str, data: Mapping[str, Any]) -> None:
    """Store one article's claims (inside the caller's transaction), replacing what was there."""
    for table in ("claim_articles", "claim_mentions", "proposal_mentions", "position_mentions"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    conn.execute("INSERT INTO claim_articles(article_id, published, outlet, data) VALUES (?, ?, ?, ?)",
                 (article_id, data.get("published"), data.get("outlet"), json.dumps(data, ensure_ascii=False)))
    found = ArticleClaims.from_dict(data)
    conn.executemany(
        "INSERT INTO claim_mentions(article_id, idx, kind, target, party, party_side, holder, polarity, change,"
        " value, cue, start, end, text, said_on, via, answers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, i, m.kind.value, m.target, m.party, m.party_side, m.holder, m.polarity, int(m.change), m.value,
          m.cue, m.span.start, m.span.end, m.text, m.said_on, m.via, m.answers) for i, m in enumerate(found.mentions)],
    )
    conn.executemany(
        "INSERT INTO proposal_mentions(article_id, idx, name, key, kind, proposed_by, spans) VALUES (?,?,?,?,?,?,?)",
        [(article_id, i, p.name, p.key, p.kind, p.proposed_by, json.dumps([s.to_list() for s in p.spans]))
         for i, p in enumerate(found.proposals)],
    )
    conn.executemany(
        "INSERT INTO position_mentions(article_id, idx, party, proposal, proposal_key, stance, cue, start, end, text,"
        " said_on) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, i, p.party, p.proposal, p.proposal_key, p.stance.value, p.cue, p.span.start, p.span.end, p.text,
          p.said_on) for i, p in enumerate(found.positions)],
    )


def canonical_names(conn: sqlite3.Connection) -> Callable[[str], str]:
    """A name → the entities feature's canonical name, or the name itself (no entity tables, no match)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"entity_names", "entities"} <= tables:
        return lambda name: name
    from ..entities.names import skeleton

    cache: dict[str, str] = {}

    def lookup(name: str) -> str:
        if name not in cache:
            row = conn.execute(
                "SELECT e.name FROM entity_names n JOIN entities e ON e.id = n.entity_id WHERE n.key = ? "
                "ORDER BY e.statements DESC LIMIT 1", (skeleton(name),)).fetchone()
            cache[name] = row[0] if row else name
        return cache[name]

    return lookup


def group_articles(articles: Iterable[tuple[str, Mapping[str, Any]]], *,
                   canonical: Callable[[str], str] | None = None,
                   said_on: Callable[[str, Span], str | None] | None = None
                   ) -> tuple[list[Claim], list[Position], list[dict]]:
    """Claims, positions and proposals across articles, from ``(article_id, analyse() data)`` pairs.

    This is what ``finalize`` stores; it needs no store, so the same grouping
    runs in memory (``onrecord.claims.claims_from_texts``) and in benchmarks.
    """
    mentions, positions, proposals = [], [], []
    for article_id, data in articles:
        found = ArticleClaims.from_dict(data)
        if said_on is not None:
            found = _dated(found, lambda span: said_on(article_id, span))
        published, outlet = data.get("published"), data.get("outlet")
        mentions += [SourcedMention(article_id, m, outlet, published, i) for i, m in enumerate(found.mentions)]
        positions += [SourcedPosition(article_id, p, outlet, published) for p in found.positions]
        proposals += [SourcedProposal(article_id, p, published) for p in found.proposals]
    registry = ProposalRegistry(proposals)
    return (group_mentions(mentions, canonical=canonical), group_positions(positions, registry, canonical=canonical),
            registry.proposals())


def _dated(found: ArticleClaims, day: Callable[[Span], str | None]) -> ArticleClaims:
    """Mentions and positions with the day their statement was made, where the store knows it."""
    return ArticleClaims(tuple(replace(m, said_on=day(m.span) or m.said_on) for m in found.mentions),
                         tuple(replace(p, said_on=day(p.span) or p.said_on) for p in found.positions),
                         found.proposals)


def stored_days(conn: sqlite3.Connection) -> Callable[[str, Span], str | None]:
    """(article, span) → the day of the stored attribution that overlaps the span most (the dates feature's)."""
    by_article: dict[str, list[tuple[int, int, str]]] = {}
    for article, start, end, day in conn.execute(
            "SELECT article_id, start, end, said_on FROM attributions WHERE said_on IS NOT NULL"):
        by_article.setdefault(article, []).append((start, end, day))

    def lookup(article: str, span: Span) -> str | None:
        best = max(((min(end, span.end) - max(start, span.start), day)
                    for start, end, day in by_article.get(article, ())), default=(0, None))
        return best[1] if best[0] > 0 else None

    return lookup


def rebuild(conn: sqlite3.Connection) -> tuple[list[Claim], list[Position]]:
    """Regroup every stored article's claims and positions, replacing the cross-article tables.

    The caller holds the transaction (the store's writer runs finalize inside one).
    """
    rows = conn.execute(
        "SELECT c.article_id, c.data FROM claim_articles c JOIN articles a ON a.id = c.article_id "
        "ORDER BY c.published, c.article_id").fetchall()
    claims, positions, proposals = group_articles(((aid, json.loads(data)) for aid, data in rows),
                                                  canonical=canonical_names(conn), said_on=stored_days(conn))
    for table in ("claim_statements", "claims", "position_evidence", "positions", "proposals"):
        conn.execute(f"DELETE FROM {table}")
    seen: set[str] = set()
    for c in claims:
        cid = c.id if c.id not in seen else claim_id(c.kind, c.target + f"#{len(seen)}", c.holder)
        seen.add(cid)
        conn.execute(
            "INSERT INTO claims(id, kind, target, holder, topic, proposition, value, contested, asserted_by,"
            " disputed_by, first_seen, disputed_since, statements) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (cid, c.kind.value, c.target, c.holder, c.topic, c.proposition, c.value, int(c.contested),
             json.dumps(c.asserted_by, ensure_ascii=False), json.dumps(c.disputed_by, ensure_ascii=False),
             c.first_seen, c.disputed_since, len(c.statements)))
        conn.executemany(
            "INSERT INTO claim_statements(claim_id, ord, party, side, cue, article_id, start, end, text, said_on,"
            " outlet) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(cid, i, s.party, s.side.value, s.cue, s.evidence.article, s.evidence.span.start, s.evidence.span.end,
              s.evidence.text, s.evidence.said_on, s.evidence.outlet) for i, s in enumerate(c.statements)])
    conn.executemany("INSERT OR REPLACE INTO proposals(key, name, kind, proposed_by, articles) VALUES (?,?,?,?,?)",
                     [(p["key"], p["name"], p["kind"], p["proposed_by"], p["articles"]) for p in proposals])
    for p in positions:
        pkey = parties.key(p.proposal)
        pid = position_id(p.party, pkey)
        dates = [e.said_on for e in p.evidence if e.said_on]
        conn.execute(
            "INSERT OR REPLACE INTO positions(id, party, proposal, proposal_key, stance, stances, first_seen,"
            " last_seen) VALUES (?,?,?,?,?,?,?,?)",
            (pid, p.party, p.proposal, pkey, p.stance.value, json.dumps([s.value for s in p.stances]),
             min(dates) if dates else None, max(dates) if dates else None))
        conn.executemany(
            "INSERT OR REPLACE INTO position_evidence(position_id, ord, stance, article_id, start, end, text, said_on,"
            " outlet) VALUES (?,?,?,?,?,?,?,?,?)",
            [(pid, i, p.stances[i].value, e.article, e.span.start, e.span.end, e.text, e.said_on, e.outlet)
             for i, e in enumerate(p.evidence)])
    return claims, positions

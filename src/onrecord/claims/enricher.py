"""The claims feature as an enricher: per-article detection next to the parse, grouping after a batch.

``analyse`` returns :class:`~onrecord.claims.records.ArticleClaims` as plain
JSON; ``write`` stores it inside the article's transaction; ``finalize``
regroups the blocks the new articles' mentions and positions fall in
(claims/incremental.py); ``rebuild`` regroups every block, with the same result.  In the
store, each party is the canonical entity the resolution layer found for it
(claims/party_entities.py: the entity linked to the attribution, or the
article's entity of that name), and place names go through the entities'
canonical names, so "Zelensky" and "Volodymyr Zelensky" count as one party.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Container, Iterable, Mapping

from spacy.tokens import Doc

from ..analysis import ArticleMeta
from ..nlp.ranges import Ranges
from ..records import Attribution, Span
from . import parties
from .detect import ArticleClaimFinder
from .grouping import (PartyOf, ProposalRegistry, SourcedMention, SourcedPosition, SourcedProposal, group_mentions,
                       group_positions, link_article, mention_block, proposal_block)
from .positions import find_positions
from .proposals import ProposalIndex
from .records import ArticleClaims, Claim, OtherSide, Position, Stance
from .stances import find_stances
from .statements import Names, find_disputes, text_of, trimmed

DATA_VERSION = 2  # 2: typed holders (holder_other), statement mentions with propositions


def analyse_article(doc: Doc, meta: ArticleMeta | None = None,
                    attributions: Iterable[Attribution] | None = None) -> ArticleClaims:
    """Claims, disputes, proposals and positions of one parsed article."""
    atts = tuple(doc._.attributions if attributions is None else attributions)
    proposals = ProposalIndex(doc)
    finder = ArticleClaimFinder(doc, atts, meta, documents=proposals.documents())
    framed = link_article(finder.find())
    said_on = meta.published[:10] if meta is not None and meta.published else None
    outlet = meta.outlet if meta is not None else None
    general = _sourced(_not_covered(find_disputes(doc, atts, said_on, outlet), framed), finder.voices)
    mentions = [_in_sentence(doc, m) for m in framed] + _shifted(general, len(framed))
    names = Names(doc, atts)
    positions = [_in_sentence(doc, p) for p in find_positions(doc, proposals, finder.voices, said_on=said_on,
                                                                full_name=finder.full_name, names=names)]
    positions += _not_known(find_stances(doc, atts, names, said_on), positions)
    return ArticleClaims(tuple(mentions), tuple(_sourced(positions, finder.voices)), tuple(proposals.records()))


def _not_known(found: list, known: list) -> list:
    """The stance patterns' positions of parties the proposal reader found no position for, and counter-proposals
    by any party: one who opposes a plan and puts another forward holds both stances ("opposed the deal and called
    for the money to be spent instead on ..."), as two mentions of its position on that proposal. A counter-proposal
    the reader found says nothing of the party's stance on the proposal it answers ("rejected the board's proposal
    ... said the association had offered a counter-proposal"), so it hides no stance but the party's support for
    what the same sentence counter-proposes."""
    parties_known = {parties.key(p.party) for p in known if p.stance is not Stance.COUNTER_PROPOSAL}
    countered = {(parties.key(p.party), p.span) for p in known if p.stance is Stance.COUNTER_PROPOSAL}
    return [p for p in found if p.stance is Stance.COUNTER_PROPOSAL or (
        parties.key(p.party) not in parties_known
        and not (p.stance is Stance.SUPPORT and (parties.key(p.party), p.span) in countered))]


def _sourced(items: list, voices: list) -> list:
    """Mentions and positions whose party is the speaker of a statement they are read from get that statement's
    attribution as ``source`` (the store names the party through the entity linked to it); the others keep
    their party's name, which the store looks up among the article's entities."""
    # Each party's voices by the spans of their cues and contents: the first voice of the party whose words
    # overlap an item is found by position, not by reading every voice for every item.
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for k, v in enumerate(voices):
        if v.source is not None and v.party:
            spans.setdefault(v.party, []).extend((s.start, s.end, k) for s in (*v.att.cue, *v.att.content))
    by_party = {party: Ranges(sorted(found)) for party, found in spans.items()}
    out = []
    for item in items:
        if item.source is None and item.party and item.party in by_party:
            found = by_party[item.party].overlapping(item.span.start, item.span.end)
            if found:
                item = replace(item, source=voices[min(k for _, _, k in found)].source)
        out.append(item)
    return out


def _in_sentence(doc: Doc, item):
    """A mention or position whose evidence is the whole sentence (or sentences) its words are in."""
    first = doc.char_span(item.span.start, item.span.start + 1, alignment_mode="expand")
    last = doc.char_span(max(item.span.end - 1, item.span.start), max(item.span.end, item.span.start + 1),
                         alignment_mode="expand")
    if not first or not last:
        return item
    span, text = trimmed(text_of(doc), Span(min(first[0].sent.start_char, item.span.start),
                                            max(last[-1].sent.end_char, item.span.end)))
    return replace(item, span=span, text=text)


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
        from . import incremental

        incremental.finalize(conn)

    def rebuild(self, conn: sqlite3.Connection) -> None:
        rebuild(conn)


def write_article(conn: sqlite3.Connection, article_id: str, data: Mapping[str, Any]) -> None:
    """Store one article's claims (inside the caller's transaction), replacing what was there."""
    for table in ("claim_articles", "claim_mentions", "proposal_mentions", "position_mentions"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    conn.execute("INSERT INTO claim_articles(article_id, published, outlet, data) VALUES (?, ?, ?, ?)",
                 (article_id, data.get("published"), data.get("outlet"), json.dumps(data, ensure_ascii=False)))
    found = ArticleClaims.from_dict(data)
    conn.executemany(
        "INSERT INTO claim_mentions(article_id, idx, kind, target, party, party_side, holder, holder_other, polarity,"
        " change, value, cue, start, end, text, said_on, via, answers, source)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, i, m.kind.value, m.target, m.party, m.party_side, str(m.holder) if m.holder else None,
          int(isinstance(m.holder, OtherSide)), m.polarity, int(m.change), m.value, m.cue, m.span.start, m.span.end,
          m.text, m.said_on, m.via, m.answers, m.source) for i, m in enumerate(found.mentions)],
    )
    conn.executemany(
        "INSERT INTO proposal_mentions(article_id, idx, name, key, kind, proposed_by, spans) VALUES (?,?,?,?,?,?,?)",
        [(article_id, i, p.name, p.key, p.kind, p.proposed_by, json.dumps([s.to_list() for s in p.spans]))
         for i, p in enumerate(found.proposals)],
    )
    conn.executemany(
        "INSERT INTO position_mentions(article_id, idx, party, proposal, proposal_key, stance, cue, start, end, text,"
        " said_on, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, i, p.party, p.proposal, p.proposal_key, p.stance.value, p.cue, p.span.start, p.span.end, p.text,
          p.said_on, p.source) for i, p in enumerate(found.positions)],
    )


def canonical_names(conn: sqlite3.Connection) -> Callable[[str], str]:
    """A name → the entities feature's canonical name, or the name itself (no entity tables, no match)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"entity_names", "entities"} <= tables:
        return lambda name: name
    from ..entities.incremental import canonical_of

    cache: dict[str, str] = {}

    def lookup(name: str) -> str:
        if name not in cache:
            cache[name] = canonical_of(conn, name)
        return cache[name]

    return lookup


@dataclass
class BlockGroups:
    """What one block's mentions, proposals and positions group into."""

    claims: list[Claim] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)


@dataclass
class BlockItems:
    """One block's mentions, positions and proposals, in (published, article, index) order: all its grouping
    reads.  The store keeps them (``claim_items``) so that a block is regrouped without its articles."""

    mentions: list[SourcedMention] = field(default_factory=list)
    positions: list[SourcedPosition] = field(default_factory=list)
    proposals: list[SourcedProposal] = field(default_factory=list)


def block_items(articles: Iterable[tuple[str, Mapping[str, Any]]], *, canonical: Callable[[str], str] | None = None,
                said_on: Callable[[str, Span], str | None] | None = None,
                only: Container[str] | None = None) -> dict[str, BlockItems]:
    """Each block's items, from ``(article_id, analyse() data)`` pairs given in (published, id) order;
    ``said_on`` gives a statement's day from the store; ``only`` keeps some blocks."""
    out: dict[str, BlockItems] = defaultdict(BlockItems)
    for article_id, data in articles:
        found = ArticleClaims.from_dict(data)
        if said_on is not None:
            found = _dated(found, lambda span, a=article_id: said_on(a, span))
        published, outlet = data.get("published"), data.get("outlet")
        for i, m in enumerate(found.mentions):
            item = SourcedMention(article_id, m, outlet, published, i)
            block = mention_block(item, canonical)
            if only is None or block in only:
                out[block].mentions.append(item)
        for i, p in enumerate(found.positions):
            block = proposal_block(p.proposal_key)
            if only is None or block in only:
                out[block].positions.append(SourcedPosition(article_id, p, outlet, published, i))
        for i, p in enumerate(found.proposals):
            block = proposal_block(p.key)
            if only is None or block in only:
                out[block].proposals.append(SourcedProposal(article_id, p, published, i))
    return dict(out)


def group_block(items: BlockItems, *, canonical: Callable[[str], str] | None = None,
                party: PartyOf | None = None) -> BlockGroups:
    """The claims, positions and proposals of one block: they depend only on its own items."""
    if items.mentions:
        return BlockGroups(claims=group_mentions(items.mentions, canonical=canonical, party=party))
    registry = ProposalRegistry(items.proposals)
    return BlockGroups(positions=group_positions(items.positions, registry, canonical=canonical, party=party),
                       proposals=registry.proposals())


def group_blocks(articles: Iterable[tuple[str, Mapping[str, Any]]], *, canonical: Callable[[str], str] | None = None,
                 said_on: Callable[[str, Span], str | None] | None = None,
                 only: Container[str] | None = None, party: PartyOf | None = None) -> dict[str, BlockGroups]:
    """Claims, positions and proposals of each block, from ``(article_id, analyse() data)`` pairs.

    Give the articles in (published, id) order.  A block's groups depend only on
    its own items, which is what lets the store regroup one block at a time;
    ``only`` limits the work to some blocks; ``said_on`` gives a statement's day from the store;
    ``party`` the entity behind a party (claims/party_entities.py).
    """
    return {block: group_block(items, canonical=canonical, party=party)
            for block, items in block_items(articles, canonical=canonical, said_on=said_on, only=only).items()}


def group_articles(articles: Iterable[tuple[str, Mapping[str, Any]]], *,
                   canonical: Callable[[str], str] | None = None,
                   said_on: Callable[[str, Span], str | None] | None = None,
                   party: PartyOf | None = None) -> tuple[list[Claim], list[Position], list[dict]]:
    """Claims, positions and proposals across articles, from ``(article_id, analyse() data)`` pairs.

    This is what ``finalize`` stores, block by block; it needs no store, so the
    same grouping runs in memory (``onrecord.claims.claims_from_texts``, with
    ``party`` a :class:`~onrecord.claims.party_entities.MemoryPartyEntities`) and in benchmarks.
    """
    blocks = group_blocks(articles, canonical=canonical, said_on=said_on, party=party)
    claims = sorted((c for b in blocks.values() for c in b.claims),
                    key=lambda c: (not c.contested, -(len(c.statements)), c.topic))
    positions = sorted((p for b in blocks.values() for p in b.positions), key=lambda p: (p.proposal, p.party))
    return claims, positions, [p for b in blocks.values() for p in b.proposals]


def _dated(found: ArticleClaims, day: Callable[[Span], str | None]) -> ArticleClaims:
    """Mentions and positions with the day their statement was made, where the store knows it."""
    return ArticleClaims(tuple(replace(m, said_on=day(m.span) or m.said_on) for m in found.mentions),
                         tuple(replace(p, said_on=day(p.span) or p.said_on) for p in found.positions),
                         found.proposals)


def stored_days(conn: sqlite3.Connection) -> Callable[[str, Span], str | None]:
    """(article, span) → the day of the stored attribution that overlaps the span most (the dates feature's)."""
    by_article: dict[str, list[tuple[int, int, str]]] = {}

    def days(article: str) -> list[tuple[int, int, str]]:
        if article not in by_article:  # read per article: finalize asks only about the articles it regroups
            by_article[article] = conn.execute(
                "SELECT start, end, said_on FROM attributions WHERE article_id = ? AND said_on IS NOT NULL",
                (article,)).fetchall()
        return by_article[article]

    def lookup(article: str, span: Span) -> str | None:
        best = max(((min(end, span.end) - max(start, span.start), day)
                    for start, end, day in days(article)), default=(0, None))
        return best[1] if best[0] > 0 else None

    return lookup


def rebuild(conn: sqlite3.Connection) -> None:
    """Regroup every stored article's claims and positions (caller holds the transaction)."""
    from . import incremental

    incremental.rebuild(conn)

"""Contested claims and positions on proposals: who asserts what, who disputes it, since when, and
where each party stands on each proposal.

Per article (next to the parse; pure over a spaCy Doc and its attributions)::

    analyse_article(doc, meta, attributions) -> ArticleClaims   # mentions, proposals, positions

Across articles (pure, no store needed)::

    group_articles([(article_id, data), ...]) -> (claims, positions, proposals)
    claims_from_texts(extractor, [(text, meta), ...]) -> (claims, positions)

In a store (after `onrecord ingest`; the enricher ``ClaimsEnricher`` writes it)::

    with ClaimIndex("onrecord.db") as idx:
        idx.claims(contested=True, about="Pokrovsk")
        idx.positions(proposal="28-point plan")

Exports: ``claim_reviews(claims)`` (ClaimReview-style JSON-LD), ``write_jsonl``.
See docs/claims.md.
"""

from __future__ import annotations

from typing import Any, Iterable

from .enricher import ClaimsEnricher, analyse_article, group_articles, rebuild
from .export import claim_review, claim_reviews, write_jsonl
from .grouping import group_mentions, group_positions
from .queries import ClaimIndex, list_claims, list_positions
from .records import (ArticleClaims, Claim, ClaimKind, ClaimMention, Evidence, Position, PositionMention,
                      ProposalMention, Side, Stance, Statement)


def claims_from_texts(extractor: Any, items: Iterable[tuple[str, Any]], *, n_process: int = 1
                      ) -> tuple[list[Claim], list[Position]]:
    """Claims and positions across ``(text, ArticleMeta)`` pairs, in memory: parse, analyse, group.

    Parties are resolved as in the store: the entities feature's analysis of each article (the entity behind
    each attribution), merged across the articles (:class:`~onrecord.claims.party_entities.MemoryPartyEntities`).
    """
    from ..analysis import content_id
    from ..entities.article import analyse_entities
    from .party_entities import MemoryPartyEntities

    enricher = ClaimsEnricher()
    analysed, entities = [], []
    for doc, meta in extractor.pipe(items, n_process=n_process):
        aid, atts = content_id(doc.text), doc._.attributions
        data = enricher.analyse(doc, meta, atts)
        analysed.append((aid, data))
        entities.append((aid, analyse_entities(doc, atts), data.get("published"), data.get("outlet")))
    claims, positions, _ = group_articles(analysed, party=MemoryPartyEntities(entities))
    return claims, positions


__all__ = sorted([
    "ArticleClaims", "Claim", "ClaimIndex", "ClaimKind", "ClaimMention", "ClaimsEnricher", "Evidence", "Position",
    "PositionMention", "ProposalMention", "Side", "Stance", "Statement", "analyse_article", "claim_review",
    "claim_reviews", "claims_from_texts", "group_articles", "group_mentions", "group_positions", "list_claims",
    "list_positions", "rebuild", "write_jsonl",
])

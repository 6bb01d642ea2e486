"""Claims and positions as JSONL, and claims as ClaimReview-style JSON-LD.

JSONL: one claim (or position) a line, with ``topic``, ``asserted_by``,
``disputed_by`` (lists of names) and ``evidence`` (``{"article", "span",
"text"}`` objects), plus the rest of :meth:`Claim.to_dict`.

JSON-LD: a schema.org ``@graph`` of ``ClaimReview`` items.  onrecord does not
judge which side is right; the "review" records *who asserted and who disputed*
a claim in the coverage.  So ``reviewRating`` carries no score, only the
verdict of the record ("Contested" / "Not disputed in the coverage") and an
explanation naming the parties; ``itemReviewed`` is the ``Claim`` with its
asserting parties as ``author`` and every sentence that asserts it as an
``appearance``; the disputing statements are ``Comment`` objects under
``onrecord:disputedBy``.  Article links are the article URL when known, else
``urn:onrecord:article:<id>``, with an RFC 5147 ``#char=start,end`` fragment
pointing at the sentence.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, TextIO

from .. import __version__
from .records import Claim, Position, Side, Statement

CONTEXT: list[Any] = ["https://schema.org", {"onrecord": "urn:onrecord:vocab#"}]


def claim_line(claim: Claim) -> str:
    return json.dumps(claim.to_dict(), ensure_ascii=False)


def position_line(position: Position) -> str:
    return json.dumps(position.to_dict(), ensure_ascii=False)


def write_jsonl(items: Iterable[Claim | Position], sink: TextIO) -> int:
    n = 0
    for item in items:
        sink.write((claim_line(item) if isinstance(item, Claim) else position_line(item)) + "\n")
        n += 1
    return n


def _link(statement: Statement, articles: Mapping[str, Mapping[str, Any]]) -> str:
    ev = statement.evidence
    url = (articles.get(ev.article) or {}).get("url") or f"urn:onrecord:article:{ev.article}"
    return f"{url.split('#')[0]}#char={ev.span.start},{ev.span.end}"


def _party(name: str) -> dict[str, str]:
    # Without the entities' types at hand, a name of two or three capitalised words is taken for a person.
    words = name.split()
    person = 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not any(
        w.lower() in ("ministry", "military", "department", "house", "union", "nations", "council", "government")
        for w in words)
    return {"@type": "Person" if person else "Organization", "name": name}


def _creative_work(statement: Statement, articles: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    ev = statement.evidence
    info = articles.get(ev.article) or {}
    work: dict[str, Any] = {"@type": "CreativeWork", "url": _link(statement, articles), "text": ev.text,
                            "onrecord:article": ev.article, "onrecord:span": ev.span.to_list()}
    if info.get("title"):
        work["headline"] = info["title"]
    if ev.outlet or info.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": ev.outlet or info.get("outlet")}
    if ev.said_on:
        work["datePublished"] = ev.said_on
    work["author"] = _party(statement.party)
    return work


def claim_review(claim: Claim, articles: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """One claim as a schema.org ClaimReview (see the module docstring for what the fields mean)."""
    articles = articles or {}
    asserting = [s for s in claim.statements if s.side is Side.ASSERTED]
    disputing = [s for s in claim.statements if s.side is Side.DISPUTED]
    verdict = "Contested" if claim.contested else "Not disputed in the coverage"
    explanation = f"Asserted by {', '.join(claim.asserted_by) or 'nobody named'}"
    if claim.disputed_by:
        explanation += f"; disputed by {', '.join(claim.disputed_by)}"
        if claim.disputed_since:
            explanation += f" (since {claim.disputed_since})"
    explanation += ". onrecord records who said what; it does not rate which side is right."
    item: dict[str, Any] = {
        "@type": "Claim",
        "text": claim.proposition,
        "about": {"@type": "Place" if claim.kind.value == "control" else "Thing", "name": claim.target},
        "author": [_party(p) for p in claim.asserted_by],
        "appearance": [_creative_work(s, articles) for s in asserting],
    }
    if asserting:
        item["firstAppearance"] = _creative_work(asserting[0], articles)
    if claim.first_seen:
        item["datePublished"] = claim.first_seen
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "@id": f"urn:onrecord:claim:{claim.id}",
        "name": claim.topic,
        "claimReviewed": claim.proposition,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "alternateName": verdict, "ratingExplanation": explanation},
        "author": {"@type": "Organization", "name": f"onrecord {__version__}"},
        "onrecord:kind": claim.kind.value,
        "onrecord:contested": claim.contested,
        "onrecord:disputedBy": [
            {"@type": "Comment", "author": _party(s.party), "text": s.evidence.text,
             "url": _link(s, articles), "dateCreated": s.evidence.said_on} for s in disputing
        ],
    }
    dates = [s.evidence.said_on for s in claim.statements if s.evidence.said_on]
    if dates:
        review["datePublished"] = max(dates)
    return review


def claim_reviews(claims: Iterable[Claim], articles: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A JSON-LD document with one ClaimReview per claim."""
    return {"@context": CONTEXT, "@graph": [claim_review(c, articles) for c in claims]}

"""Scoring claims and positions against hand annotation (used by bench/claims_bench.py and the tests).

Two gold formats are read:

* the claims fixtures' ``gold.json``: ``claims`` (kind, target, asserted_by,
  disputed_by) and ``positions`` (party, proposal, stance); a party may be a
  list of accepted names;
* the seed article's gold (``contested_claims`` with ``place``, ``positions``
  with ``target``).

Matching rules, kept simple and stated here so the figures can be read:
a predicted claim matches a gold claim when the kind agrees (the seed gold has
no kind: any kind) and the targets are the same name (rapidfuzz ratio >= 85, or
one contains the other); parties match on :func:`onrecord.claims.parties.key`;
a proposal matches when at least half of the content words of the shorter name
appear in the other.  An *assertion/dispute link* is (claim, party, side).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from rapidfuzz import fuzz

from .parties import key
from .records import Claim, Position, Side

_STOP = frozenset("the a an of to by for and in on with its".split())


@dataclass(frozen=True)
class GoldClaim:
    target: str
    asserted_by: tuple[tuple[str, ...], ...]  # each party: the names accepted for it
    disputed_by: tuple[tuple[str, ...], ...]
    kind: str | None = None


@dataclass(frozen=True)
class GoldPosition:
    party: tuple[str, ...]
    proposal: str
    stance: str


def _names(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (str(value),)


def load_gold(path: str | Path) -> tuple[list[GoldClaim], list[GoldPosition]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    claims = []
    for c in data.get("claims") or data.get("contested_claims") or ():
        claims.append(GoldClaim(c.get("target") or c.get("place"), tuple(_names(p) for p in c["asserted_by"]),
                                tuple(_names(p) for p in c["disputed_by"]), c.get("kind")))
    positions = [GoldPosition(_names(p["party"]), p.get("proposal") or p.get("target"), p["stance"])
                 for p in data.get("positions") or ()]
    return claims, positions


def same_target(a: str, b: str) -> bool:
    ka, kb = key(a), key(b)
    return ka == kb or fuzz.ratio(ka, kb) >= 85 or (len(ka) > 3 and ka in kb) or (len(kb) > 3 and kb in ka)


def same_party(names: Iterable[str], predicted: str) -> bool:
    return any(key(n) == key(predicted) for n in names)


def same_proposal(a: str, b: str) -> bool:
    wa = {w for w in key(a).replace("-", " ").split() if w not in _STOP}
    wb = {w for w in key(b).replace("-", " ").split() if w not in _STOP}
    if not wa or not wb:
        return False
    return len(wa & wb) >= 0.5 * min(len(wa), len(wb))


@dataclass
class ClaimScore:
    gold_claims: int = 0
    matched: int = 0  # gold claims with at least one predicted group
    grouped_once: int = 0  # gold claims with exactly one predicted group
    right_parties: int = 0  # gold claims whose predicted sides hold exactly the gold parties
    true_links: int = 0
    predicted_links: int = 0
    gold_links: int = 0
    wrong_side: list[str] = field(default_factory=list)  # "party on claim" found on the other side
    false_disputes: list[str] = field(default_factory=list)  # disputes of claims nobody disputes in gold
    extra_contested: list[str] = field(default_factory=list)  # contested claims with no gold counterpart

    @property
    def precision(self) -> float:
        return self.true_links / self.predicted_links if self.predicted_links else 0.0

    @property
    def recall(self) -> float:
        return self.true_links / self.gold_links if self.gold_links else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"gold_claims": self.gold_claims, "matched": self.matched, "grouped_once": self.grouped_once,
                "right_parties": self.right_parties, "link_precision": round(self.precision, 4),
                "link_recall": round(self.recall, 4), "link_f1": round(self.f1, 4), "true_links": self.true_links,
                "predicted_links": self.predicted_links, "gold_links": self.gold_links,
                "wrong_side": self.wrong_side, "false_disputes": self.false_disputes,
                "extra_contested": self.extra_contested}


def score_claims(gold: list[GoldClaim], predicted: list[Claim], *, contested_only: bool = False) -> ClaimScore:
    """Link precision/recall, grouping and sides of ``predicted`` against ``gold``.

    With ``contested_only`` (the seed gold lists only contested claims) predicted
    claims nobody disputes are left out of the comparison.
    """
    pool = [c for c in predicted if c.contested] if contested_only else list(predicted)
    score = ClaimScore(gold_claims=len(gold))
    used: set[int] = set()
    for g in gold:
        hits = [i for i, c in enumerate(pool)
                if (g.kind is None or c.kind.value == g.kind) and same_target(g.target, c.target)]
        score.matched += bool(hits)
        score.grouped_once += len(hits) == 1
        used.update(hits)
        gold_links = {(side, names) for side, parties in ((Side.ASSERTED, g.asserted_by),
                                                          (Side.DISPUTED, g.disputed_by)) for names in parties}
        score.gold_links += len(gold_links)
        found: set[tuple[Side, tuple[str, ...]]] = set()
        for i in hits:
            c = pool[i]
            for side, names in ((Side.ASSERTED, c.asserted_by), (Side.DISPUTED, c.disputed_by)):
                for party in names:
                    score.predicted_links += 1
                    match = next((gl for gl in gold_links if gl[0] is side and same_party(gl[1], party)), None)
                    if match is not None and match not in found:
                        found.add(match)
                        score.true_links += 1
                        continue
                    other = Side.DISPUTED if side is Side.ASSERTED else Side.ASSERTED
                    if any(gl[0] is other and same_party(gl[1], party) for gl in gold_links):
                        score.wrong_side.append(f"{party} {side.value} {c.topic}")
                    if side is Side.DISPUTED and not g.disputed_by:
                        score.false_disputes.append(f"{party} on {c.topic}")
        score.right_parties += len(hits) == 1 and found == gold_links and all(
            any(same_party(n, p) for _, n in gold_links) for p in pool[hits[0]].asserted_by + pool[hits[0]].disputed_by)
    for i, c in enumerate(pool):
        if i not in used:
            links = len(c.asserted_by) + len(c.disputed_by)
            score.predicted_links += links
            if c.contested:
                score.extra_contested.append(c.topic)
    return score


@dataclass
class PositionScore:
    gold: int = 0
    correct: int = 0  # party, proposal and stance right
    party_and_proposal: int = 0  # found, stance aside
    predicted: int = 0
    misses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "correct": self.correct, "party_and_proposal": self.party_and_proposal,
                "predicted": self.predicted, "precision": round(self.correct / self.predicted, 4) if self.predicted
                else 0.0, "misses": self.misses}


def score_positions(gold: list[GoldPosition], predicted: list[Position]) -> PositionScore:
    score = PositionScore(gold=len(gold), predicted=len(predicted))
    for g in gold:
        found = [p for p in predicted if same_party(g.party, p.party) and same_proposal(g.proposal, p.proposal)]
        score.party_and_proposal += bool(found)
        if any(p.stance.value == g.stance for p in found):
            score.correct += 1
        else:
            seen = ", ".join(f"{p.stance.value} on {p.proposal}" for p in found) or "nothing"
            score.misses.append(f"{g.party[0]} {g.stance} {g.proposal}: found {seen}")
    return score

"""Several articles on one dispute, from different outlets and days, grouped into claims (fixtures written
for onrecord), and the example article's targets.

What must hold whatever extractor runs underneath: each annotated claim is one
group; no party lands on the side it does not take; the confirmed withdrawal is
agreement, never a dispute.  Precision and recall figures live in
bench/claims_bench.py, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.analysis import ArticleMeta
from onrecord.claims import ClaimKind, claims_from_texts
from onrecord.claims.evaluate import load_gold, same_party, same_target, score_claims, score_positions
from onrecord.ingest.text import split_header

from conftest import SEED, requires_shared

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def read(folder: Path):
    items = []
    for path in sorted(folder.glob("*.txt")):
        meta, body = split_header(path.read_text(encoding="utf-8"))
        items.append((body, ArticleMeta(origin=path.name, outlet=meta.get("outlet"), published=meta.get("published"))))
    return items


@pytest.fixture(scope="module")
def grouped(extractor):
    return claims_from_texts(extractor, read(FIXTURES))


def test_the_fixtures_come_from_several_outlets_and_days():
    items = read(FIXTURES)
    assert len(items) >= 6
    assert len({m.outlet for _, m in items}) >= 4 and len({m.published for _, m in items}) >= 5


def test_each_annotated_claim_is_grouped_once(grouped):
    claims, _ = grouped
    gold, _ = load_gold(FIXTURES / "gold.json")
    for g in gold:
        hits = [c for c in claims if c.kind.value == g.kind and same_target(g.target, c.target)]
        assert len(hits) == 1, (g.target, [c.topic for c in hits])


def test_no_party_is_on_the_wrong_side_and_most_are_found(grouped):
    claims, _ = grouped
    gold, _ = load_gold(FIXTURES / "gold.json")
    score = score_claims(gold, claims)
    assert score.wrong_side == []
    assert score.false_disputes == []
    assert score.recall >= 0.8 and score.precision >= 0.8


def test_the_zarichne_claim_has_its_history_across_outlets_and_days(grouped):
    claims, _ = grouped
    claim = next(c for c in claims if c.kind is ClaimKind.CONTROL and c.target == "Zarichne")
    assert claim.contested and claim.holder == "Russia"
    assert len({s.evidence.outlet for s in claim.statements}) >= 4
    dates = [s.evidence.said_on for s in claim.statements]
    assert dates == sorted(dates) and claim.first_seen <= claim.disputed_since
    assert any(same_party(["Ukrainian military"], p) for p in claim.disputed_by)
    assert any(same_party(["Russian Ministry of Defence"], p) for p in claim.asserted_by)


def test_a_confirmed_withdrawal_is_agreement_not_dispute(grouped):
    claims, _ = grouped
    claim = next(c for c in claims if c.kind is ClaimKind.CONTROL and "Bilyi" in c.target)
    assert not claim.contested
    assert claim.disputed_by == []
    assert any(same_party(["Ukrainian military"], p) for p in claim.asserted_by)


def test_evidence_points_into_the_article_text(grouped):
    claims, _ = grouped
    texts = {}
    from onrecord.analysis import content_id

    for body, _ in read(FIXTURES):
        texts[content_id(body)] = body
    for claim in claims:
        for ev in claim.to_dict()["evidence"]:
            s, e = ev["span"]
            assert texts[ev["article"]][s:e] == ev["text"]


def test_positions_on_the_framework(grouped):
    _, positions = grouped
    _, gold = load_gold(FIXTURES / "gold.json")
    score = score_positions(gold, positions)
    assert score.correct >= len(gold) - 1, score.misses


# --- the example article's targets ------------------------------------------------------------------------

@requires_shared(SEED)
def test_the_example_articles_three_contested_claims_and_positions(extractor):
    gold_data = json.loads((SEED / "moscow-talks.gold.json").read_text(encoding="utf-8"))
    text = (SEED / gold_data["text_file"]).read_text(encoding="utf-8")
    claims, positions = claims_from_texts(extractor, [(text, ArticleMeta(origin="seed",
                                                                         published=gold_data["published"]))])
    gold_claims, gold_positions = load_gold(SEED / "moscow-talks.gold.json")
    contested = [c for c in claims if c.contested]
    for g in gold_claims:
        hits = [c for c in contested if same_target(g.target, c.target)]
        assert len(hits) == 1, g.target
        for names in g.asserted_by:
            assert any(same_party(names, p) for p in hits[0].asserted_by), (g.target, names)
        for names in g.disputed_by:
            assert any(same_party(names, p) for p in hits[0].disputed_by), (g.target, names)
    assert score_positions(gold_positions, positions).correct >= 6

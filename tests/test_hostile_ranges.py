"""Issue 15 item 4: the position lookups that replaced whole-article scans answer exactly what the scans did."""

from __future__ import annotations

import random

import pytest

from onrecord.nlp.ranges import Latest, Ranges, doc_entities


def _random_ranges(rng: random.Random, n: int) -> list[tuple[int, int, int]]:
    out = []
    for k in range(n):
        start = rng.randrange(0, 400)
        out.append((start, start + rng.choice([0, 1, 2, 5, 30, 200]), k))  # a few long ones, some empty
    return sorted(out)


@pytest.mark.parametrize("seed", range(20))
def test_ranges_answer_like_a_scan(seed):
    rng = random.Random(seed)
    items = _random_ranges(rng, rng.randrange(0, 60))
    ranges = Ranges(items)
    for _ in range(200):
        lo = rng.randrange(-5, 420)
        hi = lo + rng.randrange(0, 40)
        assert ranges.overlapping(lo, hi) == [r for r in items if r[0] < hi and r[1] > lo]
        assert ranges.first_at(lo) == next((r for r in items if r[0] <= lo < r[1]), None)
    assert list(ranges) == items and len(ranges) == len(items)


def test_ranges_refuse_items_out_of_order():
    with pytest.raises(ValueError):
        Ranges([(5, 6), (1, 2)])


@pytest.mark.parametrize("seed", range(10))
def test_latest_answers_like_a_scan(seed):
    rng = random.Random(seed)
    words = ["committee", "company", "group", "council"]
    items = []
    end = 0
    for _ in range(rng.randrange(0, 40)):
        end += rng.randrange(0, 6)
        items.append((end, rng.sample(words, rng.randrange(0, 3))))
    latest = Latest(items, lambda x: x[0], lambda x: x[1])
    for at in range(-1, end + 3):
        for word in words + ["board"]:
            named = [x for x in items if x[0] <= at]
            holding = [x for x in named if word in x[1]]
            assert latest.before(at, word) == ((holding or named)[-1] if named else None)


def test_doc_entities_give_what_span_ents_give(extractor):
    doc = extractor.nlp("Mayor Helen Okafor met Ivo Petrov and Ana Silva of the United Nations in Oslo on Tuesday. "
                        "\u201cIt is fine,\u201d said Tomas Lindqvist of Oslo City Council, adding that 40 people came.")
    ents = doc_entities(doc)
    assert len(doc.ents) >= 5
    for start in range(len(doc)):
        assert ents.at(start) == next((e for e in doc.ents if e.start <= start < e.end), None)
        for end in range(start, len(doc) + 1, 3):
            assert ents.within(start, end) == list(doc[start:end].ents)
            assert ents.overlapping(start, end) == [e for e in doc.ents if e.start < end and e.end > start]
        assert list(ents.latest_before(start)) == [e for e in reversed(doc.ents) if e.end <= start]
    assert all(e.label_ for e in ents.within(0, len(doc)))

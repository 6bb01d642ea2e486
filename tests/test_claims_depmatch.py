"""The stance patterns' matcher against spaCy's DependencyMatcher: the same matches, in the same order."""

from __future__ import annotations

import pytest
from spacy.matcher import DependencyMatcher

from onrecord.claims.depmatch import PatternMatcher
from onrecord.claims.stances import load_patterns, matcher
from onrecord.errors import ConfigError

# Sentences written for this test: stances, proposals, judgements, nominations, and sentences with none.
TEXTS = [
    "The governor backed the farm bill on Monday, while the mayor criticized the tax plan and rejected the offer.",
    "A measure long opposed by the Green Party passed the senate. The minister called the ban reckless.",
    "She pledged to cut the gas tax and urged lawmakers to amend the budget before the vote.",
    "The union put forward its own plan. The president nominated Ana Silva, whom critics called unqualified.",
    "Support for the ceasefire proposal grew, but the opposition's rejection of the deal was firm.",
    "It rained all day in the port. Nobody said anything about the harbour or the ferries.",
    "Critics said the merger was dangerous and that the new tariff was a mistake, though exporters welcomed it.",
    "Instead, the union offered talks. The party proposed instead a freeze on fees, and offered no alternative.",
]


def _both(vocab):
    spacy_matcher, ours = DependencyMatcher(vocab), PatternMatcher(vocab)
    for p in load_patterns():
        spacy_matcher.add(p.id, [list(p.pattern)])
        ours.add(p.id, [list(p.pattern)])
    return spacy_matcher, ours


def test_same_matches_in_the_same_order_as_spacy(extractor):
    spacy_matcher, ours = _both(extractor.nlp.vocab)
    docs = [extractor.nlp(t) for t in TEXTS] + [extractor.nlp(p.example[0]) for p in load_patterns()]
    total = 0
    for doc in docs:
        expected = spacy_matcher(doc)
        assert ours(doc) == expected, doc.text
        total += len(expected)
    assert total >= len(load_patterns())  # every pattern fires on its own example at least
    assert ours(extractor.nlp("")) == []


def test_in_not_in_flags_and_descendants(extractor):
    vocab = extractor.nlp.vocab
    pattern = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB", "LEMMA": {"NOT_IN": ["say"]}}},
               {"LEFT_ID": "verb", "REL_OP": ">>", "RIGHT_ID": "name", "RIGHT_ATTRS": {"IS_TITLE": True}},
               {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj", "RIGHT_ATTRS": {"DEP": {"IN": ["dobj"]}}}]
    spacy_matcher, ours = DependencyMatcher(vocab), PatternMatcher(vocab)
    spacy_matcher.add("p", [pattern])
    ours.add("p", [pattern])
    doc = extractor.nlp("Maria Lopez signed the treaty in Geneva, and Paul said Oslo approved the plan.")
    assert ours(doc) == spacy_matcher(doc) and ours(doc)
    assert all(doc[m[1][0]].lemma_ != "say" for m in ours(doc))


@pytest.mark.parametrize("node", [
    {"LEFT_ID": "verb", "REL_OP": "<", "RIGHT_ID": "b", "RIGHT_ATTRS": {}},
    {"LEFT_ID": "verb", "REL_OP": ".", "RIGHT_ID": "b", "RIGHT_ATTRS": {"POS": "DET"}},
    {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"SHAPE": "xxxx"}},
    {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"LOWER": {"REGEX": "^t"}}},
])
def test_what_it_does_not_read_goes_to_spacys_matcher_in_its_place(extractor, node):
    vocab = extractor.nlp.vocab
    plain = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}},
             {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj", "RIGHT_ATTRS": {"DEP": "dobj"}}]
    other = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}}, node]
    spacy_matcher, ours = DependencyMatcher(vocab), PatternMatcher(vocab)
    for m in (spacy_matcher, ours):
        m.add("plain", [plain])
        m.add("other", [other])
        m.add("plain again", [plain])
    doc = extractor.nlp("The minister signed the treaty, and the union, angry, rejected the plan today.")
    assert ours(doc) == spacy_matcher(doc)
    assert {doc.vocab.strings[k] for k, _ in ours(doc)} == {"plain", "other", "plain again"}


def test_a_badly_formed_pattern_is_refused_when_added(extractor):
    with pytest.raises(ConfigError):
        PatternMatcher(extractor.nlp.vocab).add("p", [[{"RIGHT_ID": "a", "RIGHT_ATTRS": {"POS": "VERB"}},
                                                      {"LEFT_ID": "z", "REL_OP": ">", "RIGHT_ID": "b"}]])


def test_the_stance_finder_uses_it(extractor):
    assert isinstance(matcher(extractor.nlp.vocab), PatternMatcher)

"""The indexed attribute ruler leaves every Doc exactly as spaCy's attribute ruler does."""

import pickle

import pytest
from spacy.tokens import Doc

from onrecord.nlp.attributes import IndexedAttributeRuler, index_attribute_ruler
from conftest import parsed_without, stock_and_indexed

pytestmark = pytest.mark.slow

# Written for these tests: contractions and colloquial pairs (the ruler's patterns of two tokens), "there is"
# (an expletive before a form of "be"), pronouns as subjects and objects, auxiliaries, odd whitespace.
TEXTS = [
    "I ain't gonna wait, y'all. Let's go before it gets dark; we gotta leave now.",
    "There's nothing left, and there are no plans. C'mon, you know it: nothin' works.",
    "She said I should give it to you, but it was not hers to give. Do you have it? I did.",
    "  Leading spaces,\n\n\ttabs\tand   runs of spaces  \n",
    "Ya'll ain't seen nothing. Gon na tell you: got ta run, let 's see.",
    "",
    "a",
]


@pytest.fixture(scope="module")
def pipelines():
    return stock_and_indexed(index_attribute_ruler)


def _parsed(nlp, texts):
    return parsed_without(nlp, texts, ["attribute_ruler", "lemmatizer", "ner"])


def test_the_indexed_ruler_writes_what_spacys_writes(pipelines):
    stock, indexed = pipelines
    ruler, fast = stock.get_pipe("attribute_ruler"), indexed.get_pipe("attribute_ruler")
    assert isinstance(fast, IndexedAttributeRuler) and not isinstance(ruler, IndexedAttributeRuler)
    docs, copies = _parsed(stock, TEXTS), _parsed(indexed, TEXTS)  # each pipeline has its own vocab
    assert [fast.match(d) for d in copies] == [ruler.match(d) for d in docs]
    for twice in range(2):  # the second time from the memo
        expected = [ruler(d.copy()).to_bytes() for d in docs]
        assert [fast(d.copy()).to_bytes() for d in copies] == expected
    rewritten = [fast(d) for d in copies]
    # The colloquial pairs did match (their lemmas come from the two-token patterns), and spaces got their POS.
    lemmas = {t.lower_: t.lemma_ for d in rewritten for t in d}
    assert lemmas["gon"] == "go" and lemmas["ai"] == "be" and lemmas["na"] == "to"
    assert all(t.pos_ == "SPACE" for d in rewritten for t in d if t.is_space)


def test_patterns_added_later_and_a_pickled_copy_give_the_same_docs():
    stock2, indexed2 = stock_and_indexed(index_attribute_ruler)
    for nlp in (stock2, indexed2):
        nlp.get_pipe("attribute_ruler").add([[{"LOWER": "wait"}, {"LOWER": ","}]], {"LEMMA": "pause"})
        nlp.get_pipe("attribute_ruler").add([[{"LOWER": "gonna"}]], {"POS": "AUX"})
        # Reads the POS that other rules write: it must see the Doc as it was before any rule wrote to it.
        nlp.get_pipe("attribute_ruler").add([[{"POS": "AUX"}, {"LOWER": "not"}]], {"LEMMA": "never"}, index=1)
        nlp.get_pipe("attribute_ruler").add([[{"POS": ""}, {"LOWER": "not"}]], {"LEMMA": "nay"}, index=-1)
    docs, copies = _parsed(stock2, TEXTS), _parsed(indexed2, TEXTS)
    expected = [stock2.get_pipe("attribute_ruler")(d.copy()).to_bytes() for d in docs]
    fast = indexed2.get_pipe("attribute_ruler")
    assert [fast(d.copy()).to_bytes() for d in copies] == expected
    assert any(t.lemma_ == "pause" for t in Doc(stock2.vocab).from_bytes(expected[0]))
    lemmas = {t.lemma_ for b in expected for t in Doc(stock2.vocab).from_bytes(b)}
    assert "nay" in lemmas and "never" not in lemmas
    copy = pickle.loads(pickle.dumps(fast))
    assert isinstance(copy, IndexedAttributeRuler)
    assert [copy(d.copy()).to_bytes() for d in copies] == expected


def test_the_extractors_pipeline_runs_the_indexed_ruler(extractor):
    assert isinstance(extractor.nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)

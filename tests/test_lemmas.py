"""The indexed lemmatizer leaves every Doc exactly as spaCy's lemmatizer does."""

import pickle

import pytest

from onrecord.nlp.lemmas import IndexedEnglishLemmatizer, index_lemmatizer
from conftest import parsed_without, stock_and_indexed

pytestmark = pytest.mark.slow

# Written for these tests: inflected verbs, nouns and adjectives in several forms, the same word with different
# parts of speech ("saw" / "saw"), proper names, contractions the attribute ruler lemmatizes itself, numbers.
TEXTS = [
    "She saw the saws and was sawing wood; they had seen better days, the workers said.",
    "The mice ran faster than the biggest cats.\n\nBetter prices are coming, analysts believed in 2019.",
    "I ain't gonna wait, y'all. Let's go: he'd said the Smiths were leaving Washington's offices.",
    "Running, ran, runs, run! Geese, children, data and criteria were counted 3 times.",
    "  Leading spaces,\n\n\ttabs\tand   runs of spaces  \n",
    "",
    "a",
]


@pytest.fixture(scope="module")
def pipelines():
    return stock_and_indexed(index_lemmatizer)


def _before_lemmas(nlp, texts):
    return parsed_without(nlp, texts, ["lemmatizer", "ner"])


def test_the_indexed_lemmatizer_writes_what_spacys_writes(pipelines):
    stock, indexed = pipelines
    slow, fast = stock.get_pipe("lemmatizer"), indexed.get_pipe("lemmatizer")
    assert isinstance(fast, IndexedEnglishLemmatizer) and not isinstance(slow, IndexedEnglishLemmatizer)
    docs, copies = _before_lemmas(stock, TEXTS), _before_lemmas(indexed, TEXTS)  # each pipeline has its own vocab
    assert not any(t.lemma for d in docs for t in d if t.text in ("saw", "mice", "running"))
    for _ in range(2):  # the second time with spaCy's cache filled
        expected = [slow(d.copy()).to_bytes() for d in docs]
        assert [fast(d.copy()).to_bytes() for d in copies] == expected
    lemmas = {(t.text, t.pos_): t.lemma_ for d in copies for t in [*fast(d.copy())]}
    assert lemmas[("mice", "NOUN")] == "mouse" and lemmas[("seen", "VERB")] == "see"
    assert lemmas[("Smiths", "PROPN")] == "Smiths"


def test_lemmas_set_before_are_kept_unless_the_lemmatizer_overwrites(pipelines):
    stock, indexed = pipelines
    slow, fast = stock.get_pipe("lemmatizer"), indexed.get_pipe("lemmatizer")
    docs, copies = _before_lemmas(stock, TEXTS[:2]), _before_lemmas(indexed, TEXTS[:2])
    for d in docs + copies:
        d[1].lemma_ = "KEPT"
    try:
        for overwrite in (False, True):
            slow.overwrite = fast.overwrite = overwrite
            expected = [slow(d.copy()) for d in docs]
            got = [fast(d.copy()) for d in copies]
            assert [d.to_bytes() for d in got] == [d.to_bytes() for d in expected]
            assert (got[0][1].lemma_ == "KEPT") is not overwrite
    finally:
        slow.overwrite = fast.overwrite = False


def test_a_pickled_pipeline_keeps_the_indexed_lemmatizer(pipelines):
    _, indexed = pipelines
    copy = pickle.loads(pickle.dumps(indexed))
    assert isinstance(copy.get_pipe("lemmatizer"), IndexedEnglishLemmatizer)
    assert [t.lemma_ for t in copy("The mice were running.")] == ["the", "mouse", "be", "run", "."]


def test_the_extractor_runs_the_indexed_lemmatizer():
    from onrecord import Extractor

    assert isinstance(Extractor().nlp.get_pipe("lemmatizer"), IndexedEnglishLemmatizer)

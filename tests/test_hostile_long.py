"""Issue 15 item 4: long and pathological articles in linear time.

The quadratic step was spaCy's tokenizer on one long whitespace-free run
(``[[[[…``): prefixes were split off one at a time over the rest of the run.
"""

from __future__ import annotations

import time

import pytest

from onrecord.nlp.tokens import MAX_RUN, BoundedTokenizer


@pytest.fixture(scope="module")
def nlp(extractor):
    return extractor.nlp


def _cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


@pytest.mark.parametrize("unit", ["[", "(", "\u201c", "[]"])
def test_tokenizing_a_run_of_punctuation_is_linear(nlp, unit):
    assert isinstance(nlp.tokenizer, BoundedTokenizer)
    small = _cpu(lambda: nlp.make_doc(unit * (4000 // len(unit))))
    large = _cpu(lambda: nlp.make_doc(unit * (32000 // len(unit))))
    # 8× the text: linear time is about 8× (quadratic was 64×); generous for a shared machine.
    assert large < 20 * max(small, 0.01), (small, large)
    assert large < 10


@pytest.mark.parametrize("text", [
    "a " + "[" * (MAX_RUN * 3 + 7) + " b\n\nc",
    "x" * (MAX_RUN + 1),
    "start  " + "http://example.org/" + "a" * 5000 + "?q=1  end.\n",
    "\u201cQuote\u201d " + "(" * 2500 + ")" * 2500 + "  \n  tail",
])
def test_long_runs_keep_the_text_exactly(nlp, text):
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert max(len(t.text) for t in doc) <= MAX_RUN


def test_ordinary_text_is_tokenized_as_spacy_does(nlp):
    text = "\u201cWe are ready,\u201d the minister said on Tuesday. U.S. officials (and others) disagreed."
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in nlp.tokenizer.tokenizer(text)]


def test_a_bracket_only_article_extracts_in_bounded_time(extractor):
    text = ("[" * 40 + "]" * 40 + " ") * 100 + "[" * 20000
    started = time.process_time()
    result = extractor.extract(text)
    assert time.process_time() - started < 120
    assert isinstance(result, (list, tuple))

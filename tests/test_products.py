"""The extractor's base pipeline runs its products through numpy, and parses as spaCy's own pipeline does."""

import numpy as np
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, POS, SENT_START, TAG
from thinc.api import Model, NumpyOps

from onrecord.nlp.pipeline import load_base
from onrecord.nlp.products import numpy_products

pytestmark = pytest.mark.slow

# Written for these tests: names, organisations, dates and numbers for NER, quotations, reported speech,
# a long sentence, paragraphs, odd spacing, one-token and empty texts (a product of a few rows).
TEXTS = [
    "“We will not back down,” Senator Maria Lopez told reporters in Austin on Tuesday, adding that the "
    "Texas Senate would vote on the $4.5 billion bill before March 3.",
    "The ministry said in a statement that 12 people had been hurt.\n\nA spokesman for Acme Corp. declined to "
    "comment, but two engineers who asked not to be named said the plant had been closed since 2019.",
    "According to the United Nations, prices rose 7 percent; analysts at Goldman Sachs believe they will fall.",
    "  Leading spaces,\n\n\ttabs\tand   runs of spaces  \n",
    "Yes.",
    "",
]
COLUMNS = [TAG, POS, DEP, HEAD, LEMMA, SENT_START, ENT_IOB, ENT_TYPE]


def _base_layers(nlp):
    return [node for name, pipe in nlp.pipeline if name != "onrecord_attributions"
            if isinstance(getattr(pipe, "model", None), Model) for node in pipe.model.walk()]


def test_the_extractors_layers_use_numpy_and_spacys_own_pipeline_keeps_blis(extractor):
    ours, stock = _base_layers(extractor.nlp), _base_layers(load_base())
    assert ours and all(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in ours)
    assert any(n.ops.use_blis for n in stock)  # load_base (the bench's "bare" parse) is spaCy's as it loads
    assert numpy_products(extractor.nlp) == 0  # nothing left to change: a second call is a no-op


def test_the_extractor_parses_as_spacys_pipeline_does(extractor):
    stock = load_base()
    ours = extractor.nlp
    with ours.select_pipes(disable=["onrecord_attributions"]):
        docs = list(ours.pipe(TEXTS, batch_size=4))
    for text, doc, ref in zip(TEXTS, docs, stock.pipe(TEXTS, batch_size=4)):
        assert doc.text == text
        assert np.array_equal(doc.to_array(COLUMNS), ref.to_array(COLUMNS)), text
        assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in ref.ents]
        assert doc.tensor.shape == ref.tensor.shape
        assert np.allclose(doc.tensor, ref.tensor, rtol=0, atol=1e-4), text


def test_layers_on_another_backend_are_left_alone():
    nlp = load_base()
    other = NumpyOps(use_blis=False)
    tok2vec = nlp.get_pipe("tok2vec").model
    for node in tok2vec.walk():
        node.ops = other
    changed = numpy_products(nlp)
    assert changed > 0
    assert all(node.ops is other for node in tok2vec.walk())

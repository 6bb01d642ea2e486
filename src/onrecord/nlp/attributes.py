"""spaCy's attribute ruler, matched once per distinct token instead of at every token.

The English pipelines' ``attribute_ruler`` maps fine-grained tags to parts of speech, morphology and a
few lemmas with about 180 Matcher patterns.  spaCy tries every pattern at every token, which took
longer than the parser (about 1.5 of the 12.5 CPU s the base pipeline spends on PolNeAR dev).

Nearly all of the patterns look at one token, and only at its text, tag, dependency label and part of
speech, so whether they match is the same for every token that agrees on those four values.
:class:`IndexedMatch` asks spaCy's own Matcher once per distinct (text, tag, dependency, POS), on a
one-token copy, and remembers the answer.  The few patterns that span several tokens (``gon na``,
``let 's``) are matched by spaCy's Matcher too, but only at the tokens where their first token matches
(known from the same memo).  The rules then apply in the ruler's order, a later rule overwriting an
earlier one's attribute, as in spaCy: the Doc ends up byte for byte the same (``tests/test_attributes.py``
and ``bench/attribute_ruler_check.py`` compare them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

#: Token pattern keys that depend only on the token's text (its lexeme), its tag, dependency label and POS.
_LEXICAL = {"ORTH", "TEXT", "LOWER", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "IS_ALPHA", "IS_ASCII", "IS_DIGIT",
            "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE",
            "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL"}
_PER_TOKEN = _LEXICAL | {"TAG", "DEP", "POS"}
#: Token attributes a one-token rule may set to be written column by column (plain struct fields).
_COLUMNS = {TAG, POS, MORPH, LEMMA, DEP}
#: Distinct tokens remembered before the memo starts again (a news article has a few hundred new ones).
MAX_MEMO = 200_000

Hits = tuple[tuple[int, int], ...]  # (rule number, match id) of the one-token rules that match a token
Memo = tuple[Hits, bool, tuple[int, ...], tuple[bool, ...]]  # see IndexedMatch._token


def _per_token(spec: dict[str, Any]) -> bool:
    return "OP" not in spec and all(k.upper() in _PER_TOKEN for k in spec)


class IndexedMatch:
    """``AttributeRuler.match`` and ``__call__`` for ``ruler``, one-token patterns answered from a memo."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self._built_for: tuple[Any, int] | None = None  # built on first use (and again if the patterns change)

    def _build(self) -> None:
        ruler = self.ruler
        strings = ruler.vocab.strings
        self._built_for = (ruler.matcher, len(ruler.attrs))
        self._single = Matcher(ruler.vocab, validate=False)  # one-token rules
        self._multi = Matcher(ruler.vocab, validate=False)  # the other rules
        self._starts = Matcher(ruler.vocab, validate=False)  # first tokens of the other rules
        self._span: int | None = 0  # the longest of the other rules' patterns; None: not all of fixed length
        columns: set[int] = set()
        for i in range(len(ruler.attrs)):
            key = str(i)
            patterns = ruler.matcher.get(key)[1] if key in ruler.matcher else []
            if not patterns:
                continue
            if (all(len(p) == 1 and _per_token(p[0]) for p in patterns) and ruler.indices[i] in (0, -1)
                    and set(ruler.attrs[i]) <= _COLUMNS):
                self._single.add(strings.add(key), patterns)
                columns |= set(ruler.attrs[i])
                continue
            self._multi.add(strings.add(key), patterns)
            if self._span is not None and all(p and all(_per_token(t) for t in p) for p in patterns):
                self._starts.add(strings.add(key), [[p[0]] for p in patterns])
                self._span = max(self._span, *(len(p) for p in patterns))
            else:
                self._span = None
        self._columns = sorted(columns)
        self._memo: dict[tuple[int, int, int, int], Memo] = {}

    def _probe(self, keys: list[tuple[int, int, int, int]]) -> list[Memo]:
        """For tokens with these (text, tag, dependency, POS) values: the one-token rules that match each,
        whether another rule may start there, and what the rules write (per column, the last rule's value).
        One copy of all of them, one token each, one Matcher call: a one-token pattern matches a token or
        not, whatever stands around it."""
        vocab = self.ruler.vocab
        probe = Doc(vocab, words=[vocab.strings[k[0]] for k in keys], spaces=[False] * len(keys))
        probe.from_array([TAG, DEP, POS], np.array([k[1:] for k in keys], dtype=np.uint64))
        hits: list[list[tuple[int, int]]] = [[] for _ in keys]
        for m_id, i, _ in self._single(probe, allow_missing=True, as_spans=False):
            hits[i].append((int(vocab.strings[m_id]), m_id))
        starts = {i for _, i, _ in self._starts(probe, allow_missing=True, as_spans=False)}
        memos = []
        for i, found in enumerate(hits):
            found.sort()  # the ruler's order
            values, given = [0] * len(self._columns), [False] * len(self._columns)
            for rule, _ in found:
                for attr, value in self.ruler.attrs[rule].items():
                    values[self._columns.index(attr)] = value
                    given[self._columns.index(attr)] = True
            memos.append((tuple(found), i in starts, tuple(values), tuple(given)))
        return memos

    def _distinct(self, doc: Doc) -> tuple[np.ndarray, list[Memo]]:
        """Each token's index among the document's distinct (text, tag, dependency, POS), and what they match."""
        if self._built_for != (self.ruler.matcher, len(self.ruler.attrs)):
            self._build()  # first use, or patterns added or reloaded
        if len(self._memo) > MAX_MEMO:
            self._memo.clear()
        values = doc.to_array([ORTH, TAG, DEP, POS]).reshape(len(doc), 4)
        order = np.lexsort(values.T[::-1])
        ranked = values[order]
        new = np.ones(len(doc), dtype=bool)
        new[1:] = (ranked[1:] != ranked[:-1]).any(axis=1)
        inverse = np.empty(len(doc), dtype=np.int64)
        inverse[order] = np.cumsum(new) - 1
        memo = self._memo
        keys = list(map(tuple, ranked[new].tolist()))
        found = [memo.get(key) for key in keys]
        unknown = [k for k, hit in zip(keys, found) if hit is None]
        if unknown:
            memo.update(zip(unknown, self._probe(unknown)))
            found = [memo[key] for key in keys]
        return inverse, found

    def _longer(self, doc: Doc, inverse: np.ndarray, found: list[Memo]) -> list[tuple[int, int, int, int]]:
        """Matches of the rules that are not one-token rules, as (rule, match id, start, end)."""
        strings = self.ruler.vocab.strings
        if self._span is None:
            raw = self._multi(doc, allow_missing=True, as_spans=False)
        else:
            starts = np.flatnonzero(np.array([memo[1] for memo in found], dtype=bool)[inverse])
            raw = [(m_id, i + s, i + e) for i in starts.tolist()
                   for m_id, s, e in self._multi(doc[i : i + self._span], allow_missing=True, as_spans=False)
                   if s == 0]
        return [(int(strings[m_id]), m_id, s, e) for m_id, s, e in raw]

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The matches ``AttributeRuler.match`` returns, in its order."""
        if not len(doc):
            return []
        inverse, found = self._distinct(doc)
        matches = self._longer(doc, inverse, found)
        for i, u in enumerate(inverse.tolist()):
            matches += [(rule, m_id, i, i + 1) for rule, m_id in found[u][0]]
        matches.sort()  # later rules take precedence
        return matches

    def apply(self, doc: Doc) -> Doc:
        """What ``AttributeRuler.__call__`` does, the one-token rules written column by column.

        A distinct token's final values follow from its rules in order, and ``Doc.from_array`` writes them
        as ``set_token_attrs`` would (one struct field each).  The tokens a longer rule reaches then get all
        their matches again through spaCy's ``set_annotations``, in the ruler's order, which overwrites
        every attribute those matches set."""
        if not len(doc):
            return doc
        inverse, found = self._distinct(doc)
        longer = self._longer(doc, inverse, found)  # matched on the document before any rule writes to it
        cols = self._columns
        if cols:
            given = np.array([memo[3] for memo in found], dtype=bool)
            if given.any():
                table = np.array([memo[2] for memo in found], dtype=np.uint64)
                current = doc.to_array(cols).reshape(len(doc), len(cols))
                doc.from_array(cols, np.where(given[inverse], table[inverse], current))
        if longer:
            indices = self.ruler.indices
            reached = sorted({s + indices[r] if indices[r] >= 0 else e + indices[r] for r, _, s, e in longer})
            again = longer + [(rule, m_id, i, i + 1) for i in reached for rule, m_id in found[inverse[i]][0]]
            again.sort()
            self.ruler.set_annotations(doc, again)
        return doc

    def __reduce__(self):  # rebuilt from the ruler in a worker process
        return (IndexedMatch, (self.ruler,))


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` that runs through :class:`IndexedMatch`: same patterns, configuration and
    serialisation; only the class of the loaded component changes (:func:`index_attribute_ruler`)."""

    def __call__(self, doc: Doc) -> Doc:
        try:
            return self._indexed.apply(doc)
        except Exception as err:  # as AttributeRuler.__call__
            return self.get_error_handler()(self.name, self, [doc], err)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        return self._indexed(doc)


def index_attribute_ruler(nlp) -> None:
    """Turn the pipeline's spaCy attribute ruler (if any) into an :class:`IndexedAttributeRuler`, in place."""
    for _, pipe in nlp.pipeline:
        if type(pipe) is AttributeRuler:
            pipe._indexed = IndexedMatch(pipe)
            pipe.__class__ = IndexedAttributeRuler

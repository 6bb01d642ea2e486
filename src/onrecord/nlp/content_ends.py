"""Where a content that follows its cue ends, chosen among the clause's break points at any distance.

The boundary model (``boundaries.py``) moves each edge within a few tokens of the tagger's.  A content's end is
often wrong by a clause or an adjunct ("... **during the first presidential debate Monday night**", "... and
encouraged Americans to ...", a content that runs on to the end of its sentence), too far for it.  Here the end
of a content that starts after its cue is re-chosen among

* its current end, and
* the *break points* between its start and the end of the next sentence: the end of the content's sentence
  and of the next one, and every gap before a word that opens a constituent attached to a word on its left
  (a trailing prepositional phrase, a conjunct, a relative or adverbial clause),

by the sum of a learned score of the gap (a linear model over the constituent the gap would leave out: its
relation, first word and where it attaches, i.e. to the cue's verb, inside the content or above it; fitted on
PolNeAR **train** gold by ``python -m onrecord.training.content_ends``) and the role tagger's log-probability
change of the moved end times a weight, plus a bonus for the current end (both tuned on dev).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from ..errors import ModelError
from . import features as F
from .modelfile import read_model_file, write_model_file

DEFAULT_ENDS_PATH = Path(__file__).parent / "model" / "content_ends.npz"

#: Parts of speech whose words are named in the features (the others by their part of speech).
CLOSED_POS = frozenset({"ADP", "SCONJ", "CCONJ", "PART", "PRON", "DET", "AUX", "PUNCT", "ADV"})
#: Marks a content's end is moved over (the scorer trims them; an end is compared without them).
CLOSING = frozenset(".,;:!?\"'“”‘’—–-()")


def _is_mark(token: Token) -> bool:
    return token.is_punct or token.text in CLOSING or token.is_space


def word_end(doc: Doc, end: int, start: int) -> int:
    """The end without the marks and spaces before it (never before ``start + 1``)."""
    while end > start + 1 and _is_mark(doc[end - 1]):
        end -= 1
    return end


def _sentence_end(doc: Doc, i: int) -> int:
    return doc[i].sent.end


def break_points(doc: Doc, start: int, stop: int) -> dict[int, tuple[str, ...]]:
    """The candidate ends (word ends, see :func:`word_end`) of a content starting at token ``start``, up to token
    ``stop`` (exclusive) and the end of the sentence after the content's, each with the kinds of break it is."""
    out: dict[int, list[str]] = {}
    first_end = _sentence_end(doc, start)
    limit = min(stop, _sentence_end(doc, first_end) if first_end < len(doc) else first_end)
    for end, kind in ((min(first_end, stop), "sent"), (limit, "sent2")):
        if end > start:
            out.setdefault(word_end(doc, end, start), []).append(kind)
    for t in doc[start + 1:limit]:
        if t.left_edge.i == t.i and t.head.i < t.i and not _is_mark(t):
            out.setdefault(word_end(doc, t.i, start), []).append("open")
    return {gap: tuple(kinds) for gap, kinds in out.items()}


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "13-25" if n <= 25 else "26+"


def _word(token: Token) -> str:
    return token.lower_ if token.pos_ in CLOSED_POS else token.pos_


@dataclass(frozen=True)
class Content:
    """A content that follows its cue: its cue's tokens and head, its first token."""

    cue: tuple[int, ...]
    head: int
    start: int

    @classmethod
    def of(cls, doc: Doc, cue: list[int], start: int) -> "Content":
        return cls(tuple(cue), F.cue_head(doc, list(cue)).i, start)

    def where(self, i: int, end: int) -> str:
        """Where token i (the head of what the end leaves out) lies: the cue's head, the cue, the content
        before the end, before the content, or after the end."""
        if i == self.head:
            return "head"
        if i in self.cue:
            return "cue"
        if self.start <= i < end:
            return "content"
        return "before" if i < self.start else "after"


#: Upper bounds of the buckets of the tagger's log-probability loss that the features name.
LOSS_BUCKETS = (0.1, 0.5, 1.0, 2.0, 4.0, 8.0)


def tagger_feature(end: int, current: int, change: float) -> str:
    """How the role tagger sees the end: its own ("cur"), or an extension ("x") or a cut ("c") of its end with
    its log-probability loss in buckets."""
    if end == current:
        return "tg=cur"
    loss = -change
    bucket = next((str(b) for b in LOSS_BUCKETS if loss <= b), "more")
    return f"tg={'x' if end > current else 'c'}{bucket}"


def end_features(doc: Doc, content: Content, end: int, kinds: tuple[str, ...], tagger: str) -> list[str]:
    """The features of ending the content at word end ``end`` (tokens ``content.start`` .. ``end - 1``);
    ``tagger``: :func:`tagger_feature`'s."""
    feats = [tagger] + ([f"k={k}" for k in kinds] or ["k=none"])
    feats.append("len=" + _bucket(end - content.start))
    last = doc[end - 1]
    feats += [f"lp={last.pos_}", f"ld={last.dep_}", f"lw={_word(last)}"]
    k = end
    while k < len(doc) and _is_mark(doc[k]):
        k += 1
    marks = "".join(doc[j].text for j in range(end, k) if not doc[j].is_space)[:3]
    feats.append(f"m={marks}")
    if k >= len(doc):
        return feats + ["t=END"]
    t = doc[k]
    if t.sent.start == t.i:
        feats.append("t=sentstart")
    if k > end and any(doc[j].text in ("\n", "\n\n") or "\n" in doc[j].text for j in range(end, k)):
        feats.append("t=para")
    head = t.head.i if t.head.i != t.i else t.i
    at = content.where(head, end) if head != t.i else "root"
    word = _word(t)
    feats += [f"tw={word}", f"td={t.dep_}", f"th={at}", f"td|th={t.dep_}|{at}", f"tw|th={word}|{at}",
              f"tw|td={word}|{t.dep_}", f"m|th={marks}|{at}"]
    if at == "content":
        feats.append(f"td|hp={t.dep_}|{t.head.pos_}")
    return feats


class EndModel:
    """The learned scores of content ends, with the tagger's weight and the current end's bonus."""

    def __init__(self, meta: dict, weights: np.ndarray) -> None:
        self.meta = meta
        self.weights = dict(zip(meta["features"], weights.astype(np.float64).tolist()))
        self.tagger_weight = float(meta.get("tagger_weight", 0.0))
        self.keep_bonus = float(meta.get("keep_bonus", 0.0))
        self.enabled = bool(meta.get("enabled", False))

    @classmethod
    def load(cls, path: str | Path = DEFAULT_ENDS_PATH) -> "EndModel":
        path = Path(path)
        try:
            meta, arrays = read_model_file(path)
            weights = arrays["weights"]
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"content end model {path} is missing or unreadable ({err}); rebuild it with "
                             "`python -m onrecord.training.content_ends` (see docs/training.md)") from err
        return cls(meta, weights)

    def save(self, path: str | Path) -> None:
        write_model_file(path, self.meta, {"weights": np.array([self.weights[f] for f in self.meta["features"]],
                                                               dtype=np.float32)})

    @property
    def active(self) -> bool:
        return self.enabled

    def score(self, doc: Doc, content: Content, end: int, kinds: tuple[str, ...], tagger: str) -> float:
        return sum(self.weights.get(f, 0.0) for f in end_features(doc, content, end, kinds, tagger))

    @staticmethod
    def candidates(doc: Doc, content: Content, current: int, stop: int,
                   tagger_change) -> tuple[int, dict[int, tuple[tuple[str, ...], float]]]:
        """The content's current word end, and every candidate end (the break points before ``stop``,
        exclusive: the first token the content may not take over, and the current end) with its kinds of
        break and the tagger's log-probability change (``tagger_change(end)``) when the content ends there."""
        points = break_points(doc, content.start, stop)
        here = word_end(doc, current, content.start)
        points.setdefault(here, ())
        return here, {end: (kinds, tagger_change(end)) for end, kinds in points.items()}

    def choose(self, doc: Doc, content: Content, current: int, stop: int, tagger_change) -> int:
        """The best end for the content now ending at ``current`` (see :meth:`candidates`)."""
        here, points = self.candidates(doc, content, current, stop, tagger_change)
        best, best_score = here, None
        for end, (kinds, change) in points.items():
            score = (self.score(doc, content, end, kinds, tagger_feature(end, here, change))
                     + self.tagger_weight * change + (self.keep_bonus if end == here else 0.0))
            if best_score is None or score > best_score:
                best, best_score = end, score
        return current if best == here else best

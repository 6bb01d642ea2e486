"""Where a source begins and ends, and which cues have none: the conventions of PolNeAR's annotators
that the role tagger's runs do not always follow, measured on train gold (bench/RESULTS.md, "Issue 17,
cues second pass") and applied to the model's reading of each cue (nlp/model.py, ``_roles``).

- A source is one run of tokens (:func:`one_source`), with no dateline in front (:func:`.datelines.after_dateline`).
- Some cues have no source at all (:func:`sourceless_cue`; the patterns are data:
  nlp/data/sourceless_cues.txt); the subject of such a cue is what it is about, and is content
  (:func:`spoken_of`; bench/RESULTS.md, "Issue 17, content ends").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np
from spacy.tokens import Doc, Token

from ..errors import ModelError
from . import features as F
from . import lexicon
from .datelines import after_dateline

#: The word classes a ``passive`` line of nlp/data/sourceless_cues.txt may name.
LEXICON_CLASSES = {"speech": lexicon.SPEECH_VERBS, "belief": lexicon.BELIEF_VERBS}


@dataclass(frozen=True)
class SourcelessPatterns:
    """nlp/data/sourceless_cues.txt: (tag, dependency label) of sentence-opening cue words (``opens``),
    lemmas of cue heads (``head``), the lexicon classes whose past participles lose a source that is
    their passive subject (``passive``), and the lemmas of sentence-opening cues that put a question to the
    main clause's subject (``asker``)."""

    opens: frozenset[tuple[str, str]]
    heads: frozenset[str]
    passive: frozenset[str]
    askers: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def sourceless_patterns() -> SourcelessPatterns:
    """The cues that get no source, read from nlp/data/sourceless_cues.txt."""
    return parse_sourceless(
        resources.files("onrecord.nlp").joinpath("data", "sourceless_cues.txt").read_text(encoding="utf-8"))


def parse_sourceless(text: str) -> SourcelessPatterns:
    """The patterns of a sourceless_cues.txt text; a line it cannot read is a ModelError naming it."""
    opens: set[tuple[str, str]] = set()
    heads: set[str] = set()
    passive: set[str] = set()
    askers: set[str] = set()
    for line in text.splitlines():
        row = line.split()
        if not row or row[0].startswith("#"):
            continue
        if row[0] == "opens" and len(row) == 3:
            opens.add((row[1], row[2]))
        elif row[0] == "head" and len(row) == 2:
            heads.add(row[1])
        elif row[0] == "passive" and len(row) == 2 and row[1] in LEXICON_CLASSES:
            passive.update(LEXICON_CLASSES[row[1]])
        elif row[0] == "asker" and len(row) == 2:
            askers.add(row[1])
        else:
            raise ModelError(f"sourceless_cues.txt: cannot read the line {line!r}")
    return SourcelessPatterns(frozenset(opens), frozenset(heads), frozenset(passive), frozenset(askers))


def _described(doc: Doc, cue: list[int]) -> tuple[Token, bool] | None:
    """The cue's head when a ``head`` pattern (a raising verb: True) or a ``passive`` one (a passive participle
    of the lexicon's classes: False) of nlp/data/sourceless_cues.txt describes the cue; None when none does."""
    patterns = sourceless_patterns()
    head = F.cue_head(doc, cue)
    lemma = head.lemma_.lower()
    if lemma in patterns.heads:
        return head, True
    if head.tag_ == "VBN" and lemma in patterns.passive:
        return head, False
    return None


def _holds_own_verb(doc: Doc, cue: list[int], head: Token) -> bool:
    """Whether the cue holds a verb besides its head ("appeared to **suggest**"): that verb's reading wins."""
    return any(doc[i].pos_ == "VERB" for i in cue if i != head.i)


def sourceless_cue(doc: Doc, cue: list[int], source: list[tuple[int, int]]) -> bool:
    """Whether a pattern of nlp/data/sourceless_cues.txt says the cue has no source: "Asked about the dam,
    the mayor said ..." (a sentence-opening passive participle), "the mayor seems to ..." (a raising verb),
    "the mayor was accused of ..." (a passive verb of saying whose source would be its passive subject).
    A cue that holds a verb of its own besides its head keeps its source ("appeared to **suggest**")."""
    described = _described(doc, cue)
    if described is not None:
        head, raising = described
        if _holds_own_verb(doc, cue, head):
            return False
        if raising:
            return True
        held = {k for i, j in source for k in range(i, j)}
        if any(t.dep_ == "nsubjpass" and t.i in held for t in head.children):
            return True
    return opens_without_source(doc, cue)


def asked_opening(doc: Doc, cue: list[int]) -> bool:
    """Does the cue open its sentence as an ``opens`` pattern of an ``asker`` verb ("Asked about the dam, the
    mayor said")? Its asker is not in the sentence: the main clause's subject is the one asked, and speaks only
    in its own cue ("Worried that ..., the government said" is the government's worry)."""
    return doc[min(cue)].lemma_.lower() in sourceless_patterns().askers and opens_without_source(doc, cue)


def opens_without_source(doc: Doc, cue: list[int]) -> bool:
    """Does the cue open its sentence in the form of an ``opens`` pattern?"""
    first = doc[min(cue)]
    if (first.tag_, first.dep_) not in sourceless_patterns().opens:
        return False
    return all(t.is_punct or t.is_space for t in doc[first.sent.start:first.i])


def spoken_of(doc: Doc, cue: list[int]) -> tuple[int, int] | None:
    """The subject of a cue that a ``head`` or ``passive`` pattern of nlp/data/sourceless_cues.txt describes,
    as a run of tokens [start, end): what the cue is about ("**the mayor** seems to have changed her mind",
    "**peacekeepers** have been blamed for ..."), which PolNeAR's annotators put in the content; None where
    the cue has no such subject or holds a verb of its own besides its head (as :func:`sourceless_cue`)."""
    described = _described(doc, cue)
    if described is None or _holds_own_verb(doc, cue, described[0]):
        return None
    head, raising = described
    deps = ("nsubj", "nsubjpass") if raising else ("nsubjpass",)
    subject = next((t for t in head.children if t.dep_ in deps), None)
    if subject is None or _expletive(subject):
        return None
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    if any(start <= i < end for i in cue):
        return None
    return start, end


def _expletive(subject) -> bool:
    """"**It** appeared that ...": a lone "it" whose verb governs a clause stands for that clause (PolNeAR train
    gold: such an "it" of a cue is in the content once and in no role 14 times; another "it" 14 and 7)."""
    return subject.lower_ == "it" and subject.left_edge.i == subject.right_edge.i and any(
        t.dep_ == "ccomp" for t in subject.head.children)


def source_belief(lp: np.ndarray, start: int, end: int) -> float:
    """The role tagger's mean probability that tokens [start, end) of its window are source (B-S or I-S);
    tokens outside the window count as 0."""
    inside = np.exp(lp[max(start, 0):max(min(end, len(lp)), 0), 1:3]).sum(axis=1)
    return float(inside.sum()) / max(end - start, 1)


def after_statement_noun(doc: Doc, start: int, end: int) -> int:
    """Where a source begins once a statement noun that the clause after it describes is left out: "..., **a
    charge** | Latvia's government called a fiction", "**a claim** | hospital doctors called a trick of averages"
    (the parser makes the noun a word of the subject's phrase; the speaker is the phrase after it)."""
    if end - start < 3 or doc[start].lower_ not in ("a", "an", "the") or \
            doc[start + 1].lower_ not in lexicon.STATEMENT_NOUNS or doc[start + 1].dep_ != "compound":
        return start
    # the next word opens the subject's own phrase ("Latvia's", "hospital", "the")
    return start + 2 if doc[start + 2].dep_ in ("compound", "poss", "nsubj", "amod", "det") else start


def one_source(doc: Doc, runs: list[tuple[int, int]],
               belief: Callable[[tuple[int, int]], float]) -> list[tuple[int, int]]:
    """A source as one run of tokens, as PolNeAR's annotators mark it (in train gold, 8 of 18,361 sources
    are discontinuous and 2 cross a paragraph break): a run is cut at a line break, runs with only commas
    or semicolons between them are joined ("The family, | protesters and civic leaders"), and of what is
    left the run the role tagger holds most surely to be source is kept (``belief``: a run's mean
    probability of B-S or I-S): "Goodlatte and Gowdy | sent a letter, signed by 200 **House Republicans**,
    seeking answers", where the nearest run is not the source."""
    pieces: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        start = after_statement_noun(doc, after_dateline(doc, start, end), end)
        for k in range(start, end + 1):
            if k == end or "\n" in doc[k].text:
                if k > start:
                    pieces.append((start, k))
                start = k + 1
    if len(pieces) < 2:
        return pieces
    joined = [pieces[0]]
    for start, end in pieces[1:]:
        gap = doc[joined[-1][1]:start]
        if all(t.text in (",", ";") for t in gap):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return [max(joined, key=belief)]

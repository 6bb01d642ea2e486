"""Token features for the learned taggers — the single definition used in training and at run time.

Every feature is a small integer id.  Ids of open classes (words, tags,
dependency labels) come from tables saved with the model, so a model never
depends on hash seeds or on the order labels were seen.  Sub-word features use
spaCy's stable string hashes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Token

from . import lexicon
from .quotes import Quote
from .rules import RawAttribution

N_AFFIX = 4096
N_SHAPE = 512
DOC_FEATURES = ("word", "prefix", "suffix", "shape", "pos", "tag", "dep", "ent", "lex", "quote", "bound", "rulecue")
ROLE_FEATURES = ("rel", "branch", "rulerole", "para")
MAX_WINDOW = 160
PARA_CONTEXT = 1  # paragraphs either side of the cue's paragraph that the role tagger sees

_INTRODUCER_WORDS = {w for pattern in lexicon.SOURCE_INTRODUCERS for w in pattern}


@dataclass
class Vocab:
    """String → id tables (0 = padding, 1 = unknown) saved with the model."""

    tables: dict[str, dict[str, int]]
    frozen: frozenset[str] = frozenset()  # tables that never grow (words: fixed by frequency first)

    @classmethod
    def empty(cls) -> "Vocab":
        return cls({name: {} for name in ("word", "tag", "dep", "ent", "branch")})

    def id(self, table: str, key: str, *, grow: bool = False) -> int:
        t = self.tables[table]
        found = t.get(key)
        if found is None:
            if not grow or table in self.frozen:
                return 1
            found = t[key] = len(t) + 2
        return found

    def size(self, table: str) -> int:
        return len(self.tables[table]) + 2


def _lex_class(tok: Token) -> int:
    lemma = tok.lemma_.lower()
    if tok.lower_ in _INTRODUCER_WORDS and tok.pos_ in ("ADP", "VERB", "SCONJ", "ADV"):
        base = 6
    elif tok.pos_ in ("VERB", "AUX") and lemma in lexicon.SPEECH_VERBS:
        base = 1
    elif tok.pos_ in ("VERB", "AUX") and lemma in lexicon.BELIEF_VERBS:
        base = 2
    elif tok.pos_ == "NOUN" and lemma in lexicon.NOMINAL_CUES:
        base = 3
    elif tok.pos_ == "ADJ" and tok.lower_ in lexicon.BELIEF_ADJECTIVES:
        base = 4
    elif lemma in lexicon.ALL_VERB_CUES:
        base = 5
    else:
        base = 0
    return base + 1


def paragraph_ids(doc: Doc) -> np.ndarray:
    """Paragraph number of every token (a newline in the text ends a paragraph)."""
    para = np.zeros(len(doc), dtype=np.int32)
    current = 0
    for tok in doc:
        para[tok.i] = current
        if "\n" in tok.text or "\n" in tok.whitespace_:
            current += 1
    return para


def quote_state(doc: Doc, quotes: list[Quote]) -> np.ndarray:
    """1 outside quotes, 2 inside, 3 a quote mark itself."""
    state = np.ones(len(doc), dtype=np.int32)
    starts = np.array([t.idx for t in doc], dtype=np.int64)
    for q in quotes:
        i = int(np.searchsorted(starts, q.start, side="left"))
        j = int(np.searchsorted(starts, q.end, side="left"))
        state[i:j] = 2
        if i < len(doc) and doc[i].idx == q.start:
            state[i] = 3
        if q.closed and 0 < j <= len(doc) and doc[j - 1].idx + len(doc[j - 1]) == q.end:
            state[j - 1] = 3
    return state


def doc_features(doc: Doc, quotes: list[Quote], raws: list[RawAttribution], vocab: Vocab, *, grow: bool = False) -> np.ndarray:
    """An (n_tokens, len(DOC_FEATURES)) int32 array."""
    n = len(doc)
    feats = np.zeros((n, len(DOC_FEATURES)), dtype=np.int32)
    qs = quote_state(doc, quotes)
    para = paragraph_ids(doc)
    rule_cues = {i for r in raws for i in r.cue}
    for tok in doc:
        i = tok.i
        bound = 1
        if i == 0 or para[i] != para[i - 1]:
            bound = 3
        elif tok.is_sent_start:
            bound = 2
        feats[i] = (
            vocab.id("word", tok.lower_, grow=grow),
            2 + tok.prefix % N_AFFIX,
            2 + tok.suffix % N_AFFIX,
            2 + tok.shape % N_SHAPE,
            2 + int(tok.pos),
            vocab.id("tag", tok.tag_, grow=grow),
            vocab.id("dep", tok.dep_, grow=grow),
            vocab.id("ent", f"{tok.ent_iob_}-{tok.ent_type_}", grow=grow),
            1 + _lex_class(tok),
            qs[i],
            bound,
            2 if i in rule_cues else 1,
        )
    return feats


def _rel_bucket(d: int) -> int:
    """Signed log-scale distance to the cue: 0 inside, ±1..±8 buckets either side."""
    if d == 0:
        return 9
    mag = min(8, int(np.log2(abs(d))) + 1)
    return 9 + mag if d > 0 else 9 - mag


def cue_head(doc: Doc, cue: list[int]) -> Token:
    inside = set(cue)
    for i in cue:
        if doc[i].head.i not in inside or doc[i].head.i == i:
            return doc[i]
    return doc[cue[-1]]


def _branch(tok: Token, head: Token, head_ancestors: dict[int, int]) -> str:
    if tok.i == head.i:
        return "cue"
    # Walk up from tok until we meet the cue head or one of its ancestors.
    prev = tok
    cur = tok
    steps = 0
    while steps < 40:
        if cur.i == head.i:
            return "child:" + prev.dep_
        if cur.i in head_ancestors:
            depth = head_ancestors[cur.i]
            if cur.i == tok.i:
                return f"anc{min(depth, 2)}"
            return f"sib{min(depth, 2)}:" + prev.dep_
        if cur.head.i == cur.i:
            return "other"
        prev, cur = cur, cur.head
        steps += 1
    return "other"


def window_for(doc: Doc, cue: list[int], para: np.ndarray) -> tuple[int, int]:
    """Token range [i, j) the role tagger reads for one cue: its paragraph and neighbours, capped."""
    p = para[cue[0]]
    lo = int(np.searchsorted(para, p - PARA_CONTEXT, side="left"))
    hi = int(np.searchsorted(para, p + PARA_CONTEXT, side="right"))
    if hi - lo > MAX_WINDOW:
        centre = (cue[0] + cue[-1]) // 2
        lo = max(lo, min(centre - MAX_WINDOW // 2, hi - MAX_WINDOW))
        hi = min(hi, lo + MAX_WINDOW)
    return lo, hi


def role_features(
    doc: Doc, cue: list[int], window: tuple[int, int], rule: RawAttribution | None, para: np.ndarray,
    vocab: Vocab, *, grow: bool = False,
) -> np.ndarray:
    """An (window length, len(ROLE_FEATURES)) int32 array of features relative to one cue."""
    lo, hi = window
    head = cue_head(doc, cue)
    ancestors: dict[int, int] = {}
    for depth, anc in enumerate(head.ancestors, 1):
        ancestors[anc.i] = depth
    role = np.ones(hi - lo, dtype=np.int32)
    if rule is not None:
        for a, b in rule.source:
            role[max(a, lo) - lo : max(min(b, hi) - lo, 0)] = 2
        for a, b in rule.content:
            role[max(a, lo) - lo : max(min(b, hi) - lo, 0)] = 3
    out = np.zeros((hi - lo, len(ROLE_FEATURES)), dtype=np.int32)
    first, last = cue[0], cue[-1]
    cue_set = set(cue)
    cue_para = para[first]
    for k, i in enumerate(range(lo, hi)):
        if i in cue_set:
            rel = 0
        elif i < first:
            rel = i - first
        else:
            rel = i - last
        tok = doc[i]
        if tok.sent.start != head.sent.start:
            branch = "othersent"
        else:
            branch = _branch(tok, head, ancestors)
        out[k] = (
            1 + _rel_bucket(rel),
            vocab.id("branch", branch, grow=grow),
            role[k],
            2 + int(np.clip(para[i] - cue_para, -1, 1)) + 1,
        )
    return out

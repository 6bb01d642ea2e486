"""Token features for the learned taggers — the single definition used in training and at run time.

Every feature is a small integer id.  Ids of open classes (words, tags,
dependency labels) come from tables saved with the model, so a model never
depends on hash seeds or on the order labels were seen.  Sub-word features use
spaCy's stable string hashes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy import symbols as spacy_symbols
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, LOWER, POS, PREFIX, SENT_START, SHAPE, SUFFIX, TAG
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


_POS = {name: int(spacy_symbols.IDS[name]) for name in ("VERB", "AUX", "ADP", "SCONJ", "ADV", "NOUN", "ADJ")}


#: Lexicon class by (lower form, POS, lemma) string hashes (spaCy's hashes do not depend on the vocab).
_LEX_CLASSES: dict[tuple[int, int, int], int] = {}
MAX_MEMO = 200_000


#: The "lex" column's value for a word in no list of the lexicon (the column holds 1 + _lex_class_of).
LEX_UNLISTED = 2


def _lex_class_of(lower: str, pos: int, lemma: str) -> int:
    lemma = lemma.lower()
    verb = pos in (_POS["VERB"], _POS["AUX"])
    if lower in _INTRODUCER_WORDS and pos in (_POS["ADP"], _POS["VERB"], _POS["SCONJ"], _POS["ADV"]):
        base = 6
    elif verb and lemma in lexicon.SPEECH_VERBS:
        base = 1
    elif verb and lemma in lexicon.BELIEF_VERBS:
        base = 2
    elif pos == _POS["NOUN"] and lemma in lexicon.NOMINAL_CUES:
        base = 3
    elif pos == _POS["ADJ"] and lower in lexicon.BELIEF_ADJECTIVES:
        base = 4
    elif lemma in lexicon.ALL_VERB_CUES:
        base = 5
    else:
        base = 0
    return base + 1


def token_starts(doc: Doc) -> np.ndarray:
    return doc.to_array(IDX).astype(np.int64).reshape(-1) if len(doc) else np.zeros(0, dtype=np.int64)


def paragraph_ids(doc: Doc, text: str | None = None) -> np.ndarray:
    """Paragraph number of every token: a newline in the text ends a paragraph (numbers are consecutive)."""
    if not len(doc):
        return np.zeros(0, dtype=np.int32)
    text = doc.text if text is None else text
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    newlines_before = np.concatenate([[0], np.cumsum(codes == 10)])[token_starts(doc)]
    return np.unique(newlines_before, return_inverse=True)[1].astype(np.int32)


def sentence_ids(doc: Doc) -> np.ndarray:
    """Sentence number of every token (``Token.sent`` rescans the document on each call)."""
    sent = np.zeros(len(doc), dtype=np.int32)
    for k, span in enumerate(doc.sents):
        sent[span.start : span.end] = k
    return sent


def quote_state(doc: Doc, quotes: list[Quote]) -> np.ndarray:
    """1 outside quotes, 2 inside, 3 a quote mark itself."""
    state = np.ones(len(doc), dtype=np.int32)
    starts = token_starts(doc)
    for q in quotes:
        i = int(np.searchsorted(starts, q.start, side="left"))
        j = int(np.searchsorted(starts, q.end, side="left"))
        state[i:j] = 2
        if i < len(doc) and doc[i].idx == q.start:
            state[i] = 3
        if q.closed and 0 < j <= len(doc) and doc[j - 1].idx + len(doc[j - 1]) == q.end:
            state[j - 1] = 3
    return state


def distinct_rows(values: np.ndarray) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """The distinct rows of an (n, k) integer array (as tuples of Python ints), where each first occurs,
    and each row's index among them."""
    order = np.lexsort(values.T[::-1])
    ranked = values[order]
    new = np.ones(len(values), dtype=bool)
    new[1:] = (ranked[1:] != ranked[:-1]).any(axis=1)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return list(map(tuple, ranked[new].tolist())), order[new], inverse  # lexsort is stable: the first comes first


def names(strings, hashes: np.ndarray) -> list[str]:
    """The strings of an array of string hashes (0: ""), each distinct hash looked up once."""
    uniq, inverse = np.unique(hashes, return_inverse=True)
    table = [strings[int(h)] if h else "" for h in uniq.tolist()]
    return [table[k] for k in inverse.reshape(-1).tolist()]


def _ids(strings, hashes: np.ndarray, key) -> np.ndarray:
    """Map an array of string hashes to ids, looking up each distinct value once."""
    uniq, inverse = np.unique(hashes, return_inverse=True)
    return np.array([key(strings[int(h)] if h else "") for h in uniq], dtype=np.int32)[inverse]


def doc_features(
    doc: Doc, quotes: list[Quote], raws: list[RawAttribution], vocab: Vocab, *, grow: bool = False,
    para: np.ndarray | None = None,
) -> np.ndarray:
    """An (n_tokens, len(DOC_FEATURES)) int32 array (column order: DOC_FEATURES)."""
    n = len(doc)
    feats = np.zeros((n, len(DOC_FEATURES)), dtype=np.int32)
    if not n:
        return feats
    strings = doc.vocab.strings
    a = doc.to_array([LOWER, PREFIX, SUFFIX, SHAPE, POS, TAG, DEP, ENT_IOB, ENT_TYPE, LEMMA, SENT_START])
    para = paragraph_ids(doc) if para is None else para
    feats[:, 0] = _ids(strings, a[:, 0], lambda w: vocab.id("word", w, grow=grow))
    feats[:, 1] = 2 + (a[:, 1] % N_AFFIX)
    feats[:, 2] = 2 + (a[:, 2] % N_AFFIX)
    feats[:, 3] = 2 + (a[:, 3] % N_SHAPE)
    feats[:, 4] = 2 + a[:, 4]
    feats[:, 5] = _ids(strings, a[:, 5], lambda t: vocab.id("tag", t, grow=grow))
    feats[:, 6] = _ids(strings, a[:, 6], lambda d: vocab.id("dep", d, grow=grow))
    iob_names = ("", "I", "O", "B")
    if grow:  # training: new entity labels get ids in reading order
        feats[:, 7] = [vocab.id("ent", f"{iob_names[i]}-{strings[h] if h else ''}", grow=True)
                       for i, h in zip(a[:, 7].tolist(), a[:, 8].tolist())]
    else:  # one lookup per distinct (IOB, label)
        pairs, _, inverse = distinct_rows(a[:, [7, 8]])
        feats[:, 7] = np.array([vocab.id("ent", f"{iob_names[i]}-{strings[h] if h else ''}") for i, h in pairs],
                               dtype=np.int32)[inverse]
    # Lexicon class depends on (lower form, POS, lemma): computed once per distinct triple, and remembered.
    triples, _, inverse = distinct_rows(a[:, [0, 4, 9]])
    if len(_LEX_CLASSES) > MAX_MEMO:
        _LEX_CLASSES.clear()
    classes = []
    for key in triples:
        found = _LEX_CLASSES.get(key)
        if found is None:
            lw, pos, lm = key
            found = _LEX_CLASSES[key] = 1 + _lex_class_of(strings[lw], pos, strings[lm] if lm else "")
        classes.append(found)
    feats[:, 8] = np.array(classes, dtype=np.int32)[inverse]
    feats[:, 9] = quote_state(doc, quotes)
    bound = np.where(a[:, 10].astype(np.int64) == 1, 2, 1)
    bound[0] = 3
    bound[1:][para[1:] != para[:-1]] = 3
    feats[:, 10] = bound
    rule_cues = np.zeros(n, dtype=bool)
    rule_cues[[i for r in raws for i in r.cue]] = True
    feats[:, 11] = np.where(rule_cues, 2, 1)
    return feats


def _rel_buckets(d: np.ndarray) -> np.ndarray:
    """Signed log-scale distance to the cue: 9 inside, 9 ± 1..8 either side."""
    mag = np.minimum(8, np.floor(np.log2(np.maximum(np.abs(d), 1))).astype(np.int64) + 1)
    return np.where(d == 0, 9, np.where(d > 0, 9 + mag, 9 - mag))


@dataclass
class DocView:
    """Per-document arrays the role features read for every cue (computed once per document)."""

    heads: list[int]  # absolute head index of every token (a list: indexed one by one in Python)
    deps: list[str]
    sents: np.ndarray
    para: np.ndarray

    @classmethod
    def of(cls, doc: Doc, para: np.ndarray) -> "DocView":
        heads = np.arange(len(doc), dtype=np.int64) + doc.to_array(HEAD).astype(np.int64).reshape(-1)
        return cls(heads.tolist(), names(doc.vocab.strings, doc.to_array(DEP)), sentence_ids(doc), para)


def cue_head(doc: Doc, cue: list[int]) -> Token:
    inside = set(cue)
    for i in cue:
        if doc[i].head.i not in inside or doc[i].head.i == i:
            return doc[i]
    return doc[cue[-1]]


def _branch(i: int, head: int, head_ancestors: dict[int, int], view: DocView) -> str:
    """How token i hangs from the cue: its child branch, an ancestor, a sibling branch, or unrelated."""
    if i == head:
        return "cue"
    heads, deps = view.heads, view.deps
    prev = cur = i
    for _ in range(40):
        if cur == head:
            return "child:" + deps[prev]
        depth = head_ancestors.get(cur)
        if depth is not None:
            if cur == i:
                return f"anc{min(depth, 2)}"
            return f"sib{min(depth, 2)}:" + deps[prev]
        nxt = heads[cur]
        if nxt == cur:
            return "other"
        prev, cur = cur, nxt
    return "other"


class _Branches:
    """``_branch`` for every token of a window at once: a token hangs from the cue by the same branch as its
    head does, one step further, so each token's answer is its head's (walked once, remembered)."""

    def __init__(self, head: int, head_ancestors: dict[int, int], view: DocView) -> None:
        self.head, self.ancestors, self.view = head, head_ancestors, view
        self.memo: dict[int, tuple[str, int | None]] = {}  # token -> (branch name, steps to where it is decided)

    def of(self, i: int) -> str:
        if i == self.head:
            return "cue"
        depth = self.ancestors.get(i)
        if depth is not None:
            return f"anc{min(depth, 2)}"
        heads, deps, memo = self.view.heads, self.view.deps, self.memo
        path = []
        cur = i
        while cur not in memo:
            up = heads[cur]
            if up == self.head:
                memo[cur] = ("child:" + deps[cur], 1)
            elif up in self.ancestors:
                memo[cur] = (f"sib{min(self.ancestors[up], 2)}:" + deps[cur], 1)
            elif up == cur:
                memo[cur] = ("other", None)
            else:
                path.append(cur)
                cur = up
        name, steps = memo[cur]
        while path:
            steps = None if steps is None else steps + 1
            memo[path.pop()] = (name, steps)
        steps = memo[i][1]
        return name if steps is not None and steps < 40 else "other"  # _branch walks 40 steps at most


def window_for(doc: Doc, cue: list[int], para: np.ndarray, reach: tuple[int, int] | None = None) -> tuple[int, int]:
    """Token range [i, j) the role tagger reads for one cue: its paragraph and neighbours, capped.

    ``reach`` = (tokens before the cue, tokens after it) narrows the window further; sources and
    contents almost never lie farther away (in PolNeAR train 99 % start within 46 tokens before the
    cue and end within 74 after it), and every token less is time saved."""
    p = para[cue[0]]
    lo = int(np.searchsorted(para, p - PARA_CONTEXT, side="left"))
    hi = int(np.searchsorted(para, p + PARA_CONTEXT, side="right"))
    if reach is not None:
        lo = max(lo, cue[0] - reach[0])
        hi = min(hi, cue[-1] + 1 + reach[1])
    if hi - lo > MAX_WINDOW:
        centre = (cue[0] + cue[-1]) // 2
        lo = max(lo, min(centre - MAX_WINDOW // 2, hi - MAX_WINDOW))
        hi = min(hi, lo + MAX_WINDOW)
    return lo, hi


def windows_for(cues: list[list[int]], para: np.ndarray, reach: tuple[int, int] | None = None
                ) -> list[tuple[int, int]]:
    """:func:`window_for` of every cue of a document at once (two searches over the paragraphs in all,
    instead of two per cue)."""
    if not cues:
        return []
    firsts = np.array([cue[0] for cue in cues], dtype=np.int64)
    lasts = np.array([cue[-1] for cue in cues], dtype=np.int64)
    p = para[firsts].astype(np.int64)
    lo = np.searchsorted(para, p - PARA_CONTEXT, side="left")
    hi = np.searchsorted(para, p + PARA_CONTEXT, side="right")
    if reach is not None:
        lo = np.maximum(lo, firsts - reach[0])
        hi = np.minimum(hi, lasts + 1 + reach[1])
    wide = hi - lo > MAX_WINDOW
    if wide.any():
        centre = (firsts + lasts) // 2
        capped_lo = np.maximum(lo, np.minimum(centre - MAX_WINDOW // 2, hi - MAX_WINDOW))
        hi = np.where(wide, np.minimum(hi, capped_lo + MAX_WINDOW), hi)
        lo = np.where(wide, capped_lo, lo)
    return list(zip(lo.tolist(), hi.tolist()))


def head_ancestors(view: DocView, head: int) -> dict[int, int]:
    """The tokens above ``head`` in the parse, each with its distance up from it (at most 60 steps: a parse
    that loops is cut there)."""
    ancestors: dict[int, int] = {}
    cur, depth = head, 0
    while view.heads[cur] != cur and depth < 60:
        cur = view.heads[cur]
        depth += 1
        ancestors[cur] = depth
    return ancestors


def role_features(
    doc: Doc, cue: list[int], window: tuple[int, int], rule: RawAttribution | None, view: DocView,
    vocab: Vocab, *, grow: bool = False,
) -> np.ndarray:
    """An (window length, len(ROLE_FEATURES)) int32 array of features relative to one cue."""
    lo, hi = window
    head = cue_head(doc, cue).i
    ancestors = head_ancestors(view, head)
    idx = np.arange(lo, hi)
    in_cue = np.zeros(hi - lo, dtype=bool)
    inside = [i - lo for i in cue if lo <= i < hi]
    in_cue[inside] = True
    first, last = cue[0], cue[-1]
    rel = np.where(in_cue, 0, np.where(idx < first, idx - first, idx - last))
    role = np.ones(hi - lo, dtype=np.int32)
    if rule is not None:
        for a, b in rule.source:
            role[max(a, lo) - lo : max(min(b, hi) - lo, 0)] = 2
        for a, b in rule.content:
            role[max(a, lo) - lo : max(min(b, hi) - lo, 0)] = 3
    out = np.empty((hi - lo, len(ROLE_FEATURES)), dtype=np.int32)
    out[:, 0] = 1 + _rel_buckets(rel)
    # Tokens outside the cue's sentence (most of a window) are all "othersent": only the sentence's own
    # tokens are walked.  Names are looked up in reading order, "othersent" where it first occurs, so that
    # training grows the table as it always did.
    in_sent = view.sents[lo:hi] == view.sents[head]
    same = np.flatnonzero(in_sent)
    first_other = int(np.argmin(in_sent)) if len(same) < hi - lo else None
    ids: dict[str, int] = {}
    column = []
    branches = _Branches(head, ancestors, view)
    for k in same.tolist():
        if first_other is not None and k > first_other and "othersent" not in ids:
            ids["othersent"] = vocab.id("branch", "othersent", grow=grow)
        name = branches.of(lo + k)
        found = ids.get(name)
        if found is None:
            found = ids[name] = vocab.id("branch", name, grow=grow)
        column.append(found)
    if first_other is not None:
        out[:, 1] = ids["othersent"] if "othersent" in ids else vocab.id("branch", "othersent", grow=grow)
    out[same, 1] = column
    out[:, 2] = role
    out[:, 3] = 3 + np.clip(view.para[lo:hi] - view.para[first], -1, 1)
    return out

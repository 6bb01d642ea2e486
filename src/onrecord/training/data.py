"""Turning PolNeAR gold into tagger examples: token features plus BIO labels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from ..nlp import features as F
from ..nlp.quotes import find_quotes
from ..nlp.rules import RawAttribution, extract_raw
from ..polnear.corpus import GoldAttribution, GoldDocument

CUE_LABELS = ("O", "B", "I")
ROLE_LABELS = ("O", "B-S", "I-S", "B-C", "I-C")
MAX_CUE_SEQ = 200


@dataclass
class Example:
    feats: np.ndarray  # (n, k) int32
    labels: np.ndarray  # (n,) int64
    dense: np.ndarray | None = None  # (n, d) float32 view into the document's tok2vec tensor
    start: int = 0  # the example's first token in its document


def token_mask(doc: Doc, frags) -> np.ndarray:
    """Tokens a gold character span covers (any overlap with non-space text)."""
    mask = np.zeros(len(doc), dtype=bool)
    for start, end in frags:
        while start < end and doc.text[start].isspace():
            start += 1
        while end > start and doc.text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            mask[span.start : span.end] = True
    return mask


def bio(mask: np.ndarray, b: int, i: int, out: np.ndarray) -> None:
    prev = False
    for k, m in enumerate(mask):
        if m:
            out[k] = i if prev else b
        prev = bool(m)


def paragraph_chunks(para: np.ndarray, limit: int = MAX_CUE_SEQ) -> list[tuple[int, int]]:
    chunks = []
    n = len(para)
    start = 0
    for k in range(1, n + 1):
        if k == n or para[k] != para[k - 1]:
            while k - start > limit:
                chunks.append((start, start + limit))
                start += limit
            if k > start:
                chunks.append((start, k))
            start = k
    return chunks


def cue_sequences(doc_feats: np.ndarray, para: np.ndarray, cue_bio: np.ndarray | None):
    for lo, hi in paragraph_chunks(para):
        yield lo, hi, doc_feats[lo:hi], None if cue_bio is None else cue_bio[lo:hi]


def _view(tensor: np.ndarray | None, lo: int, hi: int) -> np.ndarray | None:
    return None if tensor is None else tensor[lo:hi]


def _cue_tokens(doc: Doc, att: GoldAttribution) -> list[int]:
    return [int(i) for i in np.flatnonzero(token_mask(doc, att.cue))]


def examples_for(
    doc: Doc, gold: GoldDocument, vocab: F.Vocab, *, grow: bool, negatives: bool = True,
    tensor: np.ndarray | None = None, reach: tuple[int, int] | None = None,
) -> tuple[list[Example], list[Example]]:
    """Cue-tagger and role-tagger examples of one document."""
    text = doc.text
    quotes = find_quotes(text)
    raws = extract_raw(doc, quotes, text)
    feats = F.doc_features(doc, quotes, raws, vocab, grow=grow)
    para = F.paragraph_ids(doc)
    view = F.DocView.of(doc, para)
    cue_bio = np.zeros(len(doc), dtype=np.int64)
    for att in gold.attributions:
        mask = token_mask(doc, att.cue)
        # Cues of different attributions may touch; each starts its own B.
        idx = np.flatnonzero(mask)
        if len(idx):
            cue_bio[idx] = 2
            cue_bio[idx[0]] = 1
    cue_examples = [Example(f, y, _view(tensor, lo, hi), lo) for lo, hi, f, y in cue_sequences(feats, para, cue_bio)]

    rule_by_cue: dict[int, RawAttribution] = {}
    for r in raws:
        for i in r.cue:
            rule_by_cue[i] = r
    role_examples = []
    gold_cue_tokens: set[int] = set()
    for att in gold.attributions:
        cue = _cue_tokens(doc, att)
        if not cue:
            continue
        gold_cue_tokens.update(cue)
        window = F.window_for(doc, cue, para, reach)
        lo, hi = window
        rule = next((rule_by_cue[i] for i in cue if i in rule_by_cue), None)
        rf = F.role_features(doc, cue, window, rule, view, vocab, grow=grow)
        labels = np.zeros(hi - lo, dtype=np.int64)
        bio(token_mask(doc, att.source)[lo:hi], 1, 2, labels)
        content = token_mask(doc, att.content)[lo:hi]
        tmp = np.zeros(hi - lo, dtype=np.int64)
        bio(content, 3, 4, tmp)
        labels[content] = tmp[content]
        role_examples.append(Example(np.concatenate([feats[lo:hi], rf], axis=1), labels, _view(tensor, lo, hi), lo))
    if negatives:
        # Cue-like tokens that are not gold cues teach the role tagger to say "no content here".
        for r in raws:
            if gold_cue_tokens.intersection(r.cue):
                continue
            window = F.window_for(doc, r.cue, para, reach)
            lo, hi = window
            rf = F.role_features(doc, r.cue, window, r, view, vocab, grow=grow)
            role_examples.append(Example(np.concatenate([feats[lo:hi], rf], axis=1), np.zeros(hi - lo, dtype=np.int64),
                                         _view(tensor, lo, hi), lo))
    return cue_examples, role_examples

"""Scoring attributions against a PolNeAR split: Exact and Overlap P/R/F1.

The metric definitions are those documented by the workplace scorer
(``tools/polnear_score.py``), which follows Citron's evaluation: span
normalisation (closing quote marks join contents, edge whitespace and one edge
``,:;!?`` are trimmed, fragments merged), Exact compares character spans per
attribution (source/content also need the cue to share a token with the gold
cue), and Overlap counts regex tokens of each role inside the other side's
spans.  ``onrecord eval polnear`` prints the same table, so numbers can be
compared line by line; a test checks the two agree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .corpus import ROLES, GoldDocument

_TOKEN = re.compile(r"\w+|[^\w\s]")
_TRIM = ",:;!?"
_CLOSERS = ('"', "\u201d")
_BEFORE_CLOSER = ",.!?"

Intervals = tuple[tuple[int, int], ...]


class Tokens:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _TOKEN.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.ends, start)
        j = bisect.bisect_left(self.starts, end)
        return (i, j) if i < j else None


def _clean(text: str, start: int, end: int, role: str) -> tuple[int, int]:
    if role == "content":
        if end < len(text) and text[end] in _CLOSERS:
            end += 1
        elif end + 1 < len(text) and text[end] in _BEFORE_CLOSER and text[end + 1] in _CLOSERS:
            end += 2
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    s, e = start, end
    if s < e and text[s] in _TRIM:
        s += 1
    if s < e and text[e - 1] in _TRIM:
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if (s, e) != (start, end) and any(c.isalnum() for c in text[s:e]):
        return s, e
    return start, end


def _merge(intervals: Iterable[tuple[int, int]], gap_ok) -> Intervals:
    out: list[tuple[int, int]] = []
    for i, j in sorted(intervals):
        if out and (i <= out[-1][1] or gap_ok(out[-1][1], i)):
            out[-1] = (out[-1][0], max(out[-1][1], j))
        else:
            out.append((i, j))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Normalised:
    chars: Mapping[str, Intervals]
    toks: Mapping[str, Intervals]


def normalise(att: Mapping[str, Sequence[Sequence[int]]], tokens: Tokens) -> Normalised | None:
    text = tokens.text
    chars: dict[str, Intervals] = {}
    toks: dict[str, Intervals] = {}
    for role in ROLES:
        c, t = [], []
        for start, end in att.get(role) or ():
            if end <= start:
                continue
            start, end = _clean(text, start, end, role)
            if end <= start:
                continue
            c.append((start, end))
            snapped = tokens.snap(start, end)
            if snapped:
                t.append(snapped)
        chars[role] = _merge(c, lambda a, b: text[a:b].isspace())
        toks[role] = _merge(t, lambda a, b: False)
    if not any(chars[r] for r in ROLES):
        return None
    return Normalised(chars, toks)


def shares_token(a: Intervals, b: Intervals) -> bool:
    return any(i1 < j2 and i2 < j1 for i1, j1 in a for i2, j2 in b)


def _covered(spans: Intervals, cover: Intervals) -> int:
    return sum(max(0, min(j, cj) - max(i, ci)) for i, j in spans for ci, cj in cover)


def _union(lists: Iterable[Intervals]) -> Intervals:
    return _merge((iv for ivs in lists for iv in ivs), lambda a, b: False)


def _prf(p_num: int, p_den: int, r_num: int, r_den: int) -> dict[str, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _exact_hit(kind: str, p: Normalised, g: Normalised) -> bool:
    if kind == "cue":
        return bool(p.chars["cue"]) and p.chars["cue"] == g.chars["cue"]
    if kind == "attribution":
        return bool(p.chars["cue"]) and all(p.chars[r] == g.chars[r] for r in ROLES)
    return shares_token(p.toks["cue"], g.toks["cue"]) and p.chars[kind] == g.chars[kind]


EXACT_KEYS = ("cue", "source", "content", "attribution")


def score(gold: Sequence[GoldDocument], predictions: Mapping[str, Sequence[Mapping]]) -> dict:
    """Scores; ``predictions`` maps document id to attributions in the scorer's span format."""
    exact = {k: {"gold": 0, "pred": 0, "matched_pred": 0, "matched_gold": 0} for k in EXACT_KEYS}
    overlap = {r: {"gold_tokens": 0, "pred_tokens": 0, "overlap_pred": 0, "overlap_gold": 0} for r in ROLES}
    info = {"documents": len(gold), "documents_predicted": 0, "gold_attributions_without_source": 0,
            "gold_attributions_without_content": 0, "gold_attributions_without_cue": 0,
            "pred_attributions_dropped_empty": 0}
    for doc in gold:
        tokens = Tokens(doc.text)
        g_atts = [n for n in (normalise({r: a.role(r) for r in ROLES}, tokens) for a in doc.attributions) if n]
        raw = predictions.get(doc.id)
        if raw is not None:
            info["documents_predicted"] += 1
        raw = raw or []
        p_atts = [n for n in (normalise(a, tokens) for a in raw) if n]
        info["pred_attributions_dropped_empty"] += len(raw) - len(p_atts)
        for g in g_atts:
            info["gold_attributions_without_source"] += not g.chars["source"]
            info["gold_attributions_without_content"] += not g.chars["content"]
            info["gold_attributions_without_cue"] += not g.chars["cue"]
        for k in EXACT_KEYS:
            exact[k]["gold"] += len(g_atts)
            exact[k]["pred"] += len(p_atts)
            exact[k]["matched_pred"] += sum(any(_exact_hit(k, p, g) for g in g_atts) for p in p_atts)
            exact[k]["matched_gold"] += sum(any(_exact_hit(k, p, g) for p in p_atts) for g in g_atts)
        for r in ROLES:
            gs = [g.toks[r] for g in g_atts]
            ps = [p.toks[r] for p in p_atts]
            g_union, p_union = _union(gs), _union(ps)
            overlap[r]["gold_tokens"] += sum(j - i for s in gs for i, j in s)
            overlap[r]["pred_tokens"] += sum(j - i for s in ps for i, j in s)
            overlap[r]["overlap_pred"] += sum(_covered(s, g_union) for s in ps)
            overlap[r]["overlap_gold"] += sum(_covered(s, p_union) for s in gs)
    result: dict = {"exact": {}, "overlap": {}, "info": info}
    for k, c in exact.items():
        result["exact"][k] = dict(c, **_prf(c["matched_pred"], c["pred"], c["matched_gold"], c["gold"]))
    pooled = {key: sum(overlap[r][key] for r in ROLES) for key in overlap["cue"]}
    for k, c in [*overlap.items(), ("attribution", pooled)]:
        result["overlap"][k] = dict(c, **_prf(c["overlap_pred"], c["pred_tokens"], c["overlap_gold"], c["gold_tokens"]))
    return result


def format_table(result: dict, gold_label: str, pred_label: str) -> str:
    """The scorer's text table, line for line."""
    info = result["info"]
    out = [
        "PolNeAR attribution scores",
        f"gold: {gold_label}   pred: {pred_label}",
        "documents: %d gold, %d with predictions (%d missing: scored as predicting nothing)"
        % (info["documents"], info["documents_predicted"], info["documents"] - info["documents_predicted"]),
        "",
        "Exact (normalised character spans; source/content also need the cue to share a token with the gold cue)",
        "%-12s %7s %7s %7s %7s %7s %13s %13s" % ("", "P", "R", "F1", "gold", "pred", "matched_pred", "matched_gold"),
    ]
    for k in EXACT_KEYS:
        c = result["exact"][k]
        out.append("%-12s %6.2f%% %6.2f%% %6.2f%% %7d %7d %13d %13d" % (
            k, 100 * c["precision"], 100 * c["recall"], 100 * c["f1"], c["gold"], c["pred"],
            c["matched_pred"], c["matched_gold"]))
    out += ["", "Overlap (tokens of predicted spans inside gold spans of the same role, and vice versa)",
            "%-12s %7s %7s %7s %11s %11s %13s %13s" % ("", "P", "R", "F1", "gold_tok", "pred_tok",
                                                      "overlap_pred", "overlap_gold")]
    for k in EXACT_KEYS:
        c = result["overlap"][k]
        out.append("%-12s %6.2f%% %6.2f%% %6.2f%% %11d %11d %13d %13d" % (
            k, 100 * c["precision"], 100 * c["recall"], 100 * c["f1"], c["gold_tokens"], c["pred_tokens"],
            c["overlap_pred"], c["overlap_gold"]))
    out += ["", "gold attributions without source: %d, without content: %d, without cue: %d" % (
        info["gold_attributions_without_source"], info["gold_attributions_without_content"],
        info["gold_attributions_without_cue"])]
    if info["pred_attributions_dropped_empty"]:
        out.append("predicted attributions with no span left after normalisation (ignored): %d"
                   % info["pred_attributions_dropped_empty"])
    return "\n".join(out)


def headline(result: dict) -> dict[str, float]:
    """The figures the targets are stated in, as percentages."""
    out = {f"exact_{k}_f1": round(100 * result["exact"][k]["f1"], 2) for k in EXACT_KEYS}
    out.update({f"overlap_{k}_f1": round(100 * result["overlap"][k]["f1"], 2) for k in EXACT_KEYS})
    return out

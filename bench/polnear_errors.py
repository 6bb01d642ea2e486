"""Where PolNeAR Exact errors come from: missed, spurious and boundary errors per role, and which roles
broke each gold attribution that is not matched exactly.

    python bench/polnear_errors.py --gold ../shared/data/polnear/dev --pred dev.jsonl [--top 15] [--no-pos]

Reads the prediction file and the gold split as the shared scorer does (one annotator per article, the
same span normalisation: ``onrecord.polnear.score.normalise``), then, for each role:

* cue: a gold cue no predicted cue shares a token with is *missed*, a predicted cue sharing no token with
  a gold cue is *spurious*, and a gold cue that a predicted cue overlaps but does not equal is a
  *boundary* error (paired with the overlapping predicted cue sharing most tokens);
* source and content: judged, as the scorer does, between a gold attribution and the predictions whose cue
  shares a token with its cue: *no cue* (none does), *missed* (gold has the role, the prediction none),
  *spurious* (the prediction has it, gold none), *wrong* (no shared token), *boundary* (overlap, not equal).

A boundary error is described edge by edge: the words (and parts of speech, from the base pipeline's
tagger) the prediction has too many or too few at the start and at the end, counted by word and by POS.
For attribution, each unmatched gold attribution is put under the set of roles that differ from its
best-matching prediction (or *no cue* when no predicted cue overlaps).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import OnrecordError
from onrecord.polnear.corpus import ROLES, read_split
from onrecord.polnear.score import Normalised, Tokens, normalise, shares_token

#: Edge differences longer than this many tokens are counted by length only.
MAX_EDGE_WORDS = 3


@dataclass(frozen=True)
class EdgeDiff:
    """One edge of a boundary error: ``kind`` is "extra" (the prediction has words gold has not) or
    "missing"; ``side`` is "start" or "end"."""

    role: str
    side: str
    kind: str
    words: str
    pos: str


def _token_set(intervals) -> set[int]:
    return {k for i, j in intervals for k in range(i, j)}


def edge_diffs(role: str, pred: Normalised, gold: Normalised, tokens: Tokens, pos_of) -> list[EdgeDiff]:
    """The words at the start and at the end of the span that the prediction has in excess or lacks."""
    p, g = _token_set(pred.toks[role]), _token_set(gold.toks[role])
    if not p or not g:
        return []
    out = []
    for side, (pe, ge) in (("start", (min(p), min(g))), ("end", (max(p), max(g)))):
        if pe == ge:
            continue
        lo, hi = sorted((pe, ge))
        kind = "extra" if (pe < ge) == (side == "start") else "missing"
        idx = list(range(lo, hi) if side == "start" else range(lo + 1, hi + 1))
        if len(idx) > MAX_EDGE_WORDS:  # the first and the last word, which say where the edge went
            idx = [idx[0], -1, idx[-1]]
        words = " ".join(_word(tokens, k) for k in idx)
        pos = " ".join("…" if k < 0 else pos_of(tokens.starts[k]) for k in idx)
        out.append(EdgeDiff(role, side, kind, words, pos))
    return out


def _word(tokens: Tokens, k: int) -> str:
    return "…" if k < 0 else tokens.text[tokens.starts[k]:tokens.ends[k]].lower()


def _cue_words(att: Normalised, tokens: Tokens) -> str:
    return " ".join(_word(tokens, k) for i, j in att.toks["cue"] for k in range(i, j))


class PartsOfSpeech:
    """The coarse part of speech at a character offset, from the base pipeline's tagger (or "?")."""

    def __init__(self, texts: list[str], enabled: bool) -> None:
        self.by_text: dict[str, dict[int, str]] = {}
        if not enabled:
            return
        from onrecord.nlp.pipeline import load_base

        nlp = load_base()
        keep = {"tok2vec", "tagger", "attribute_ruler"}
        with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep]):
            for text, doc in zip(texts, nlp.pipe(texts, batch_size=16)):
                self.by_text[text] = {t.idx + k: t.pos_ for t in doc for k in range(len(t.text))}

    def reader(self, text: str):
        table = self.by_text.get(text, {})
        return lambda offset: table.get(offset, "?")


def _best(gold: Normalised, preds: list[Normalised]) -> Normalised | None:
    overlapping = [p for p in preds if shares_token(p.toks["cue"], gold.toks["cue"])]
    if not overlapping:
        return None
    g = _token_set(gold.toks["cue"])
    return max(overlapping, key=lambda p: (sum(p.chars[r] == gold.chars[r] for r in ROLES),
                                           len(g & _token_set(p.toks["cue"]))))


def analyse(gold_dir: Path, pred_path: Path, with_pos: bool = True) -> dict:
    docs = read_split(gold_dir)
    preds: dict[str, list] = {}
    with open(pred_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                obj = json.loads(line)
                preds[str(obj["id"])] = obj.get("attributions", [])
    pos = PartsOfSpeech([d.text for d in docs], with_pos)
    counts: dict[str, Counter] = {r: Counter() for r in ROLES}
    broke: Counter = Counter()
    edges: list[EdgeDiff] = []
    cue_words: dict[str, Counter] = {"missed": Counter(), "spurious": Counter()}
    for doc in docs:
        tokens = Tokens(doc.text)
        pos_of = pos.reader(doc.text)
        golds = [n for n in (normalise({r: a.role(r) for r in ROLES}, tokens) for a in doc.attributions) if n]
        ps = [n for n in (normalise(a, tokens) for a in preds.get(doc.id, [])) if n]
        for p in ps:  # predicted cues: right, boundary, spurious
            if any(p.chars["cue"] == g.chars["cue"] for g in golds):
                counts["cue"]["pred right"] += 1
            elif any(shares_token(p.toks["cue"], g.toks["cue"]) for g in golds):
                counts["cue"]["pred boundary"] += 1
            else:
                counts["cue"]["spurious"] += 1
                cue_words["spurious"][_cue_words(p, tokens)] += 1
        for g in golds:
            best = _best(g, ps)
            if any(all(p.chars[r] == g.chars[r] for r in ROLES) for p in ps):
                broke["matched"] += 1
            elif best is None:
                broke["no cue"] += 1
            else:
                broke["+".join(r for r in ROLES if best.chars[r] != g.chars[r])] += 1
            if best is None:
                counts["cue"]["missed"] += 1
                cue_words["missed"][_cue_words(g, tokens)] += 1
                for role in ("source", "content"):
                    counts[role]["no cue" if g.chars[role] else "no cue (gold empty)"] += 1
                continue
            if any(p.chars["cue"] == g.chars["cue"] for p in ps):
                counts["cue"]["right"] += 1
            else:
                counts["cue"]["boundary"] += 1
                exact = [p for p in ps if shares_token(p.toks["cue"], g.toks["cue"])]
                edges += edge_diffs("cue", max(exact, key=lambda p: len(
                    _token_set(p.toks["cue"]) & _token_set(g.toks["cue"]))), g, tokens, pos_of)
            for role in ("source", "content"):
                candidates = [p for p in ps if shares_token(p.toks["cue"], g.toks["cue"])]
                if any(p.chars[role] == g.chars[role] for p in candidates):
                    counts[role]["right"] += 1
                    continue
                p = best
                if not g.chars[role]:
                    counts[role]["spurious"] += 1
                elif not p.chars[role]:
                    counts[role]["missed"] += 1
                elif not shares_token(p.toks[role], g.toks[role]):
                    counts[role]["wrong"] += 1
                else:
                    counts[role]["boundary"] += 1
                    if len(p.chars[role]) != len(g.chars[role]):
                        counts[role]["boundary: fragments differ"] += 1
                    edges += edge_diffs(role, p, g, tokens, pos_of)
    return {"counts": counts, "broke": broke, "edges": edges, "cue_words": cue_words}


def report(result: dict, top: int) -> str:
    out = []
    for role in ROLES:
        c = result["counts"][role]
        out.append(f"{role}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: -kv[1])))
    out.append("attribution (gold, by the roles that differ from the best prediction): " + ", ".join(
        f"{k} {v}" for k, v in result["broke"].most_common()))
    for kind, words in result["cue_words"].items():
        out.append(f"cues {kind}, by words: " + "; ".join(f"{w!r} {n}" for w, n in words.most_common(top)))
    edges: list[EdgeDiff] = result["edges"]
    for role in ROLES:
        for side in ("start", "end"):
            for kind in ("extra", "missing"):
                sel = [e for e in edges if (e.role, e.side, e.kind) == (role, side, kind)]
                if not sel:
                    continue
                out.append(f"\n{role} {side}, {kind} ({len(sel)}):")
                words = Counter(e.words for e in sel).most_common(top)
                pos = Counter(e.pos for e in sel).most_common(top)
                out.append("  by word: " + "; ".join(f"{w!r} {n}" for w, n in words))
                out.append("  by POS:  " + "; ".join(f"{w} {n}" for w, n in pos))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True, type=Path, help="split folder with text/ and attributions/")
    ap.add_argument("--pred", required=True, type=Path, help="predictions, JSON lines (--format spans)")
    ap.add_argument("--top", type=int, default=15, help="most frequent words / POS sequences shown per edge")
    ap.add_argument("--no-pos", action="store_true", help="skip the tagger (parts of speech shown as ?)")
    args = ap.parse_args(argv)
    if not args.pred.is_file():
        print(f"error: no such prediction file: {args.pred}", file=sys.stderr)
        return 2
    try:
        result = analyse(args.gold, args.pred, not args.no_pos)
    except (ValueError, KeyError, TypeError) as err:
        print(f"error: {args.pred} is not a prediction file in the scorer's format ({err})", file=sys.stderr)
        return 2
    except OnrecordError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(report(result, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How far a PolNeAR Exact F1 figure, or the difference between two prediction files, would move with another
draw of documents: a paired bootstrap over the split's documents.

    python bench/polnear_compare.py --gold ../shared/data/polnear/dev --pred new.jsonl [--base old.jsonl] \\
        [--resamples 2000] [--seed 0]

Each document is scored once, as the shared scorer scores it (``onrecord.polnear.score.score``: Exact cue,
source, content and attribution). Then ``--resamples`` times, as many documents as the split holds are drawn
with replacement and F1 is computed again from the drawn documents' summed counts. Both files are scored on the
same draws. The report gives each figure with the 2.5th and 97.5th percentiles of its resampled values. With
``--base`` it also gives:

* the difference (pred minus base) and its percentiles;
* the share of draws in which pred scores higher;
* the gold attributions matched by one file and not the other, and the documents whose counts differ.

A difference whose interval spans zero, or that rests on a handful of attributions, is not evidence that one
file is better: keep a change for the gain it makes across documents, not for crossing a line.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from onrecord.errors import OnrecordError
from onrecord.polnear.corpus import read_split
from onrecord.polnear.evaluate import load_predictions
from onrecord.polnear.score import EXACT_KEYS, score

#: Per document and figure: matched predictions, predictions, matched gold, gold (the scorer's four counts).
COUNTS = ("matched_pred", "pred", "matched_gold", "gold")


@dataclass(frozen=True)
class Counts:
    """The scorer's Exact counts of every document: ``table[d, k, c]`` for document d, figure k
    (:data:`EXACT_KEYS`) and count c (:data:`COUNTS`)."""

    ids: tuple[str, ...]
    table: np.ndarray


def document_counts(gold_dir: Path, pred_path: Path) -> Counts:
    docs = read_split(gold_dir)
    preds = load_predictions(pred_path)
    table = np.zeros((len(docs), len(EXACT_KEYS), len(COUNTS)), dtype=np.int64)
    for d, doc in enumerate(docs):
        exact = score([doc], {doc.id: preds.get(doc.id, [])})["exact"]
        table[d] = [[exact[k][c] for c in COUNTS] for k in EXACT_KEYS]
    return Counts(tuple(doc.id for doc in docs), table)


def f1(summed: np.ndarray) -> np.ndarray:
    """F1 (in percent) from counts summed over documents: ``summed[..., c]`` in :data:`COUNTS` order."""
    mp, p, mg, g = (summed[..., c].astype(float) for c in range(len(COUNTS)))
    precision = np.divide(mp, p, out=np.zeros_like(mp), where=p > 0)
    recall = np.divide(mg, g, out=np.zeros_like(mg), where=g > 0)
    total = precision + recall
    return 100 * np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0)


def resampled_f1(counts: Counts, draws: np.ndarray) -> np.ndarray:
    """F1 of every figure on every draw: ``draws`` is (resamples, documents) of document indices."""
    return f1(counts.table[draws].sum(axis=1))


def compare(pred: Counts, base: Counts | None, resamples: int, seed: int) -> dict:
    """Each figure's F1 with its percentile interval, and with ``base`` the paired difference."""
    if base is not None and base.ids != pred.ids:
        raise ValueError("the two prediction files were scored against different documents")
    n = len(pred.ids)
    draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    mine, whole = resampled_f1(pred, draws), f1(pred.table.sum(axis=0))
    if base is not None:
        theirs, base_whole = resampled_f1(base, draws), f1(base.table.sum(axis=0))
    out: dict = {"documents": n, "resamples": resamples, "figures": {}}
    for k, key in enumerate(EXACT_KEYS):
        row = {"f1": float(whole[k]), "interval": _interval(mine[:, k])}
        if base is not None:
            diff = mine[:, k] - theirs[:, k]
            gained = pred.table[:, k, 2] - base.table[:, k, 2]
            row.update(base_f1=float(base_whole[k]), diff_interval=_interval(diff),
                       higher=float((diff > 0).mean()), matched_gold_diff=int(gained.sum()),
                       documents_changed=int((pred.table[:, k] != base.table[:, k]).any(axis=1).sum()))
            row["diff"] = row["f1"] - row["base_f1"]
        out["figures"][key] = row
    return out


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def report(result: dict) -> str:
    lines = [f"{result['documents']} documents, {result['resamples']} paired resamples; Exact F1 [2.5th, 97.5th "
             "percentile]"]
    for key, row in result["figures"].items():
        low, high = row["interval"]
        line = f"{key:<12} {row['f1']:6.2f} [{low:6.2f}, {high:6.2f}]"
        if "diff" in row:
            dl, dh = row["diff_interval"]
            line += (f"   base {row['base_f1']:6.2f}   diff {row['diff']:+5.2f} [{dl:+5.2f}, {dh:+5.2f}]"
                     f"   higher in {100 * row['higher']:5.1f} % of draws"
                     f"   matched gold {row['matched_gold_diff']:+d}, {row['documents_changed']} documents changed")
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True, type=Path, help="split folder with text/ and attributions/")
    ap.add_argument("--pred", required=True, type=Path, help="predictions, JSON lines (--format spans)")
    ap.add_argument("--base", type=Path, help="a second prediction file to compare with, on the same draws")
    ap.add_argument("--resamples", type=int, default=2000, help="bootstrap draws of the documents (default 2000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the draws (default 0)")
    args = ap.parse_args(argv)
    if args.resamples < 1:
        print("error: --resamples must be at least 1", file=sys.stderr)
        return 2
    for path in filter(None, (args.pred, args.base)):
        if not path.is_file():
            print(f"error: no such prediction file: {path}", file=sys.stderr)
            return 2
    try:
        pred = document_counts(args.gold, args.pred)
        base = document_counts(args.gold, args.base) if args.base else None
        print(report(compare(pred, base, args.resamples, args.seed)))
    except (OnrecordError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

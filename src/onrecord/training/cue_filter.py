"""Fit the cue filter (nlp/cue_filter.py) on PolNeAR train predictions and write it into a model's header.

    python -m onrecord.training.cue_filter --model src/onrecord/nlp/model/attribution.npz \\
        --train ../shared/data/polnear/train --threshold 0.4 [--skip 150] [--cache .cache/parsed] [--dry-run]

The model reads every train article after the first ``--skip`` (those stay out, for a direction check on
data the filter did not see), with its cue filter off, and each attribution it keeps is labelled 1 where
its cue has exactly the tokens of one of the article's gold cues, else 0.  A logistic regression (L2,
Newton's method) over the named features of ``cue_features`` that occur at least ``--min-count`` times is
fitted to those labels, and the weights, with ``--threshold`` (chosen on dev), go into the model file's
header as ``cue_filter``.  A derived model, not a copy of the annotations.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ..nlp.cue_filter import CueFilter, cue_features, judged
from ..nlp.rules import RawAttribution
from ..polnear.corpus import GoldDocument
from .data import token_mask
from .parse_cache import parsed_split, tok2vec_tensors
from .settings import set_meta


class Recorder:
    """Stands in for the model's cue filter: keeps everything and notes the features of each attribution
    the filter would judge."""

    def __init__(self) -> None:
        self.seen: list[tuple[list[int], dict[str, float]]] = []

    def keeps(self, doc: Doc, att: RawAttribution, listed: bool) -> bool:
        if judged(doc, att):
            self.seen.append((list(att.cue), cue_features(doc, att, listed)))
        return True


def gold_cues(doc: Doc, gold: GoldDocument) -> list[set[int]]:
    """Each gold cue as the set of its tokens (punctuation left out unless the cue is one mark)."""
    out = []
    for att in gold.attributions:
        covered = [int(i) for i in np.flatnonzero(token_mask(doc, att.cue))]
        tokens = {i for i in covered if not doc[i].is_punct or len(covered) == 1}
        if tokens:
            out.append(tokens)
    return out


def exact(doc: Doc, cue: list[int], golds: list[set[int]]) -> bool:
    tokens = {i for i in cue if not doc[i].is_punct or len(cue) == 1}
    return tokens in golds


def collect(model_path: str | None, train: str | Path, cache: str | Path, skip: int, limit: int | None = None
            ) -> tuple[list[dict[str, float]], list[bool]]:
    """Features and labels of every attribution the filter would judge in the train articles after ``skip``
    (at most ``limit`` of them)."""
    from ..nlp.component import AttributionComponent
    from ..nlp.pipeline import load_base

    gold, docs = parsed_split(train, cache)
    for doc, tensor in zip(docs, tok2vec_tensors(gold, cache)):
        doc.tensor = tensor
    component = AttributionComponent(load_base(), model_path=model_path, resolve_speakers=False)
    recorder = Recorder()
    component.model.cue_filter = recorder
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    for g, doc in list(zip(gold, docs))[skip : None if limit is None else skip + limit]:
        recorder.seen = []
        component.predict(doc)
        golds = gold_cues(doc, g)
        for cue, named in recorder.seen:
            rows.append(named)
            labels.append(exact(doc, cue, golds))
    return rows, labels


def fit(rows: list[dict[str, float]], labels: list[bool], min_count: int = 20, l2: float = 1.0,
        steps: int = 50) -> dict[str, float]:
    """Logistic regression weights per feature name (names seen fewer than ``min_count`` times left out)."""
    counts = Counter(name for row in rows for name in row)
    names = sorted(name for name, n in counts.items() if n >= min_count)
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows])
    y = np.array(labels, dtype=float)
    w = np.zeros(len(names))
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(names))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {name: round(float(v), 5) for name, v in zip(names, w)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="the model file whose header gets the filter")
    ap.add_argument("--train", required=True)
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("--skip", type=int, default=150, help="first train articles left out of the fit")
    ap.add_argument("--limit", type=int, default=None, help="at most this many articles (the accurate tier's "
                    "encoder is slow)")
    ap.add_argument("--cache", default=".cache/parsed")
    ap.add_argument("--min-count", type=int, default=20)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--dry-run", action="store_true", help="print the weights, do not write them")
    args = ap.parse_args(argv)
    from ..nlp.model import model_file

    path = model_file(args.model)
    rows, labels = collect(str(path), args.train, args.cache, args.skip, args.limit)
    weights = fit(rows, labels, args.min_count, args.l2)
    cue_filter = CueFilter(weights, args.threshold)
    dropped = sum(cue_filter.probability(row) < args.threshold for row in rows)
    print(f"{len(rows)} attributions ({sum(labels)} with an exact gold cue), {len(weights)} features; "
          f"the filter would drop {dropped} of them")
    for name, value in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {name}\t{value:+.3f}")
    if not args.dry_run:
        set_meta(str(path), cue_filter=cue_filter.to_header())
        print(f"cue_filter written into {path}")


if __name__ == "__main__":
    main()

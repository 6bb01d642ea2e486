"""Fit the content end model (``nlp/content_ends.py``) on PolNeAR train gold; choose its two weights on dev.

    python -m onrecord.training.content_ends --train ../shared/data/polnear/train \\
        --dev ../shared/data/polnear/dev --out src/onrecord/nlp/model/content_ends.npz

Every gold content whose last fragment starts after its cue is one example: the break points from its start
(``break_points``: the end of its sentence and of the next, and every gap before a constituent attached to its
left), up to the paragraph's end or the first gold cue or source token after the start, with the gold end
marked (contents whose end is no break point are left out and counted).  A linear model over
``end_features`` is fitted by maximising the gold end's softmax probability (``training.boundaries.fit``).
Then the shipped taggers run over dev and the weight of the role tagger's log-probability change and the bonus
of the tagger's own end are picked from ``--grid`` / ``--bonus`` by content Exact F1 (``--no-tune``: both 0,
the model inactive).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ..nlp.boundaries import CONTENT
from ..nlp.content_ends import Content, EndModel, end_features, tagger_feature, word_end
from .boundaries import Encoded, accuracy, fit
from .data import token_mask
from .parse_cache import parsed_split


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    cuts = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate([[idx[0]], idx[cuts + 1]])
    ends = np.concatenate([idx[cuts] + 1, [idx[-1] + 1]])
    return list(zip(starts.tolist(), ends.tolist()))


class Recorder(EndModel):
    """An end model that keeps every content's candidate ends (with the tagger's changes) and moves nothing."""

    def __init__(self) -> None:
        super().__init__({"features": [], "enabled": True}, np.zeros(0))
        self.seen: list = []

    def choose(self, doc, content: Content, current: int, stop: int, tagger_change) -> int:
        here, points = self.candidates(doc, content, current, stop, tagger_change)
        self.seen.append((content, here, points))
        return current


def gold_ends(doc, gold) -> dict[int, list[tuple[np.ndarray, int]]]:
    """For each gold content whose last fragment starts after its cue: its start → (cue mask, word end)."""
    out: dict[int, list[tuple[np.ndarray, int]]] = {}
    for att in gold.attributions:
        cue = token_mask(doc, att.cue)
        runs = _runs(token_mask(doc, att.content))
        if not cue.any() or not runs or runs[-1][0] <= np.flatnonzero(cue).max():
            continue
        start, end = runs[-1]
        out.setdefault(start, []).append((cue, word_end(doc, end, start)))
    return out


def document_examples(doc, gold, seen, counts: dict[str, int]):
    """(role, side, candidate ends, index of the gold end, feature lists) for every content the taggers found
    after its cue whose start and cue match a gold content's (the form ``training.boundaries.Encoded``
    reads)."""
    golds = gold_ends(doc, gold)
    out = []
    for content, here, points in seen:
        counts["contents"] += 1
        match = [end for cue, end in golds.get(content.start, []) if cue[list(content.cue)].any()]
        if not match:
            counts["no gold content with this start"] += 1
            continue
        gold_end = match[0]
        if gold_end not in points or len(points) < 2:
            counts["gold end not a candidate" if gold_end not in points else "one candidate"] += 1
            continue
        counts["tagger right" if gold_end == here else "tagger wrong"] += 1
        ends = sorted(points)
        out.append((CONTENT, "e", ends, ends.index(gold_end),
                    [end_features(doc, content, e, points[e][0], tagger_feature(e, here, points[e][1]))
                     for e in ends]))
    return out


def encode(split: str, cache: str, limit: int = 0, table: dict[str, int] | None = None):
    """The taggers' contents of a split (first ``limit`` documents) as encoded examples, with counts."""
    from ..nlp.component import AttributionComponent
    from ..nlp.pipeline import load_base
    from .parse_cache import tok2vec_tensors

    gold, docs = parsed_split(split, cache)
    if limit:
        gold, docs = gold[:limit], docs[:limit]
    for d, t in zip(docs, tok2vec_tensors(gold, cache)):
        d.tensor = t
    component = AttributionComponent(load_base(), resolve_speakers=False)
    recorder = Recorder()
    component._model.content_ends = recorder
    enc = Encoded(table)
    counts: dict[str, int] = {}
    for key in ("contents", "no gold content with this start", "gold end not a candidate", "one candidate",
                "tagger right", "tagger wrong"):
        counts[key] = 0
    with threadpool_limits(1):
        for doc, g in zip(docs, gold):
            recorder.seen = []
            component.predict(doc)
            enc.add(document_examples(doc, g, recorder.seen, counts))
    return enc, counts


def tune(model: EndModel, dev_split: str, cache: str, grid: list[float], bonus: list[float]) -> tuple[float, float]:
    """The tagger weight and the current end's bonus with the best content Exact F1 on dev."""
    from ..nlp.component import AttributionComponent
    from ..nlp.pipeline import load_base
    from ..polnear.score import score
    from ..records import DocumentResult
    from .parse_cache import tok2vec_tensors

    gold, docs = parsed_split(dev_split, cache)
    for d, t in zip(docs, tok2vec_tensors(gold, cache)):
        d.tensor = t
    component = AttributionComponent(load_base(), resolve_speakers=False)
    component._model.content_ends = model
    model.enabled = True
    best = None
    with threadpool_limits(1):
        for lam in grid:
            for keep in bonus:
                model.tagger_weight, model.keep_bonus = lam, keep
                preds = {g.id: DocumentResult(g.id, g.text, tuple(component.predict(d))).to_spans_dict()["attributions"]
                         for g, d in zip(gold, docs)}
                result = score(gold, preds)["exact"]
                f1 = result["content"]["f1"]
                print(f"  tagger weight {lam:g}, bonus {keep:g}: exact F1 content {100 * f1:.2f}, "
                      f"attribution {100 * result['attribution']['f1']:.2f}", flush=True)
                if best is None or f1 > best[0] + 1e-9:
                    best = (f1, lam, keep)
    return best[1], best[2]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True, help="PolNeAR train split folder (fitting)")
    ap.add_argument("--dev", required=True, help="PolNeAR dev split folder (tuning the two weights)")
    ap.add_argument("--out", required=True, help="where to write the .npz content end model")
    ap.add_argument("--cache", default=".cache/parsed", help="where parsed splits are cached")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--grid", type=float, nargs="+", default=[0.0, 0.25, 0.5, 1.0, 2.0])
    ap.add_argument("--bonus", type=float, nargs="+", default=[0.0, 1.0, 2.0, 4.0])
    ap.add_argument("--no-tune", action="store_true", help="skip the dev grid (the weights stay 0: inactive)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N train documents (smoke runs)")
    args = ap.parse_args(argv)

    t0 = time.time()
    enc, counts = encode(args.train, args.cache, args.limit)
    print(f"{len(enc.sizes)} train contents ({counts}), {len(enc.table)} features ({time.time() - t0:.0f}s)",
          flush=True)
    names, weights = fit(enc, args.min_count, args.l2, args.iters, args.lr)
    meta = {"features": names, "trained_on": str(args.train), "train_counts": counts,
            "args": {k: v for k, v in vars(args).items() if k not in ("train", "dev", "out", "cache")}}
    by_id = np.zeros(len(enc.table), dtype=np.float32)
    for name, wt in zip(names, weights):
        by_id[enc.table[name]] = wt
    meta["train_accuracy"] = accuracy(by_id, enc)
    dev_enc, dev_counts = encode(args.dev, args.cache, table=enc.table)
    meta["dev_accuracy"] = accuracy(by_id, dev_enc)
    meta["dev_counts"] = dev_counts
    print(f"gold end ranked first: train {meta['train_accuracy']}, dev {meta['dev_accuracy']} "
          f"({time.time() - t0:.0f}s)", flush=True)
    meta["enabled"] = True
    model = EndModel(meta, weights)
    if not args.no_tune:
        meta["tagger_weight"], meta["keep_bonus"] = tune(model, args.dev, args.cache, args.grid, args.bonus)
    model.meta = meta
    model.tagger_weight = float(meta.get("tagger_weight", 0.0))
    model.keep_bonus = float(meta.get("keep_bonus", 0.0))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    print(f"tagger weight {model.tagger_weight}, bonus {model.keep_bonus}; wrote {out} "
          f"({out.stat().st_size / 1e3:.0f} kB) in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()

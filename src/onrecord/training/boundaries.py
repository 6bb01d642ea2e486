"""Train the boundary model (``nlp/boundaries.py``) on PolNeAR train gold, then tune its tagger weights on dev.

    python -m onrecord.training.boundaries --train ../shared/data/polnear/train \\
        --dev ../shared/data/polnear/dev --out src/onrecord/nlp/model/boundaries.npz

1. For every gold attribution in train, each edge (start and end of the cue, the source and the
   content) gives one example: the gaps within ``--radius`` tokens of the gold edge, the gold one
   marked.  A linear model over the gaps' features is fitted by maximising the probability of the
   gold gap among them (softmax, L2-regularised, full-batch Adam; numpy only).
2. ``--tune``: the shipped taggers run once over dev, and for each role the weight of the taggers'
   log-probabilities against the learned gap scores is picked from a grid by the shared scorer's
   Exact F1 of that role on dev (0 leaves that role's spans as tagged).
"""

from __future__ import annotations

import argparse
from array import array
import time
from collections import Counter
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ..nlp import features as F
from ..nlp.boundaries import CONTENT, CUE, RADIUS, SOURCE, BoundaryModel, CueFrame, DocFacts, gap_features
from ..nlp.quotes import find_quotes
from .data import token_mask
from .parse_cache import parsed_split

ROLE_NAMES = {CUE: "cue", SOURCE: "source", CONTENT: "content"}


def _candidates(edge: int, other: int, side: str, radius: int, limits: tuple[int, int],
                blocked: np.ndarray) -> list[int]:
    """Gaps an edge may move to: as at run time, within the radius, the span kept non-empty and the
    tokens it takes over free."""
    lo, hi = limits
    if side == "s":
        gaps = range(max(lo, edge - radius), min(other, edge + radius + 1))
        return [g for g in gaps if g >= edge or not blocked[g:edge].any()]
    gaps = range(max(other + 1, edge - radius), min(hi, edge + radius) + 1)
    return [g for g in gaps if g <= edge or not blocked[edge:g].any()]


def document_examples(doc, gold, reach, radius: int, role_radius: dict[str, int] | None = None):
    """(role, side, candidate gaps, index of the gold gap, feature lists) for every gold edge of a document;
    ``role_radius``: a role's own radius where it has one."""
    role_radius = role_radius or {}
    text = doc.text
    para = F.paragraph_ids(doc)
    view = F.DocView.of(doc, para)
    facts = DocFacts(doc, view, F.quote_state(doc, find_quotes(text)))
    n = len(doc)
    cue_masks = [token_mask(doc, a.cue) for a in gold.attributions]
    all_cues = np.zeros(n, dtype=bool)
    for m in cue_masks:
        all_cues |= m
    out = []
    for att, cue_mask in zip(gold.attributions, cue_masks):
        cue = [int(i) for i in np.flatnonzero(cue_mask)]
        if not cue:
            continue
        frame = CueFrame.of(doc, cue, view)
        lo, hi = F.window_for(doc, cue, para, reach)
        masks = {SOURCE: token_mask(doc, att.source), CONTENT: token_mask(doc, att.content)}
        p = para[cue[0]]
        spans = {CUE: ((cue[0], cue[-1] + 1), (int(np.searchsorted(para, p)), int(np.searchsorted(para, p, "right"))),
                       all_cues & ~cue_mask)}
        for role in (SOURCE, CONTENT):
            idx = np.flatnonzero(masks[role][lo:hi])
            if len(idx):
                other = SOURCE if role == CONTENT else CONTENT
                spans[role] = ((lo + int(idx[0]), lo + int(idx[-1]) + 1), (lo, hi), cue_mask | masks[other])
        for role, ((s, e), limits, blocked) in spans.items():
            seen = CueFrame.of(doc, cue, view, head_only=True) if role == CUE else frame
            for side, edge, other in (("s", s, e), ("e", e, s)):
                gaps = _candidates(edge, other, side, role_radius.get(role, radius), limits, blocked)
                if edge not in gaps or len(gaps) < 2:
                    continue
                out.append((role, side, gaps, gaps.index(edge),
                            [gap_features(facts, seen, g, role, side) for g in gaps]))
    return out


class Encoded:
    """Edges with their gaps' features as ids (one growing table), compact enough for all of train."""

    def __init__(self, table: dict[str, int] | None = None) -> None:
        self.grow = table is None
        self.table: dict[str, int] = {} if table is None else table
        self.keys: list[str] = []  # role-side of each edge
        self.gold: list[int] = []  # index of the gold gap among the edge's gaps
        self.sizes: list[int] = []  # number of gaps of each edge
        self.lengths: list[int] = []  # number of feature ids of each gap
        self.ids = array("q")

    def add(self, examples) -> None:
        table = self.table
        for role, side, gaps, gold_at, lists in examples:
            self.keys.append(ROLE_NAMES[role] + ("-start" if side == "s" else "-end"))
            self.gold.append(gold_at)
            self.sizes.append(len(gaps))
            for names in lists:
                ids = []
                for f in names:
                    k = table.get(f)
                    if k is None and self.grow:
                        k = table[f] = len(table)
                    if k is not None:
                        ids.append(k)
                self.lengths.append(len(ids))
                self.ids.extend(ids)

    def save(self, path: Path) -> None:
        """Keep the encoded edges (``--examples``): fitting again with other settings skips the features."""
        names = sorted(self.table, key=self.table.get)
        np.savez(path, ids=np.frombuffer(self.ids, dtype=np.int64),
                 lengths=np.array(self.lengths), sizes=np.array(self.sizes), gold=np.array(self.gold),
                 keys=np.array(self.keys), names=np.array(names, dtype=object).astype(str))

    @classmethod
    def load(cls, path: Path) -> "Encoded":
        with np.load(path) as data:
            enc = cls({name: k for k, name in enumerate(data["names"].tolist())})
            enc.grow = True
            enc.ids.frombytes(data["ids"].astype(np.int64).tobytes())
            enc.lengths = data["lengths"].tolist()
            enc.sizes = data["sizes"].tolist()
            enc.gold = data["gold"].tolist()
            enc.keys = data["keys"].tolist()
        return enc

    def arrays(self):
        """(feature id, gap of each id, edge of each gap, 1 for the gold gaps)"""
        feat_idx = np.frombuffer(self.ids, dtype=np.int64)
        cand_of = np.repeat(np.arange(len(self.lengths)), self.lengths)
        group_of = np.repeat(np.arange(len(self.sizes)), self.sizes)
        starts = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        y = np.zeros(len(self.lengths))
        y[starts + np.array(self.gold, dtype=np.int64)] = 1.0
        return feat_idx, cand_of, group_of, y


def _scores(w, feat_idx, cand_of, group_of, n_cand, n_groups):
    s = np.bincount(cand_of, weights=w[feat_idx], minlength=n_cand)
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, group_of, s)
    return s, top


def fit(enc: Encoded, min_count: int, l2: float, iters: int, lr: float):
    feat_idx, cand_of, group_of, y = enc.arrays()
    n_cand, n_groups = len(y), len(enc.sizes)
    # features seen in fewer than min_count gaps get no weight
    seen = np.bincount(feat_idx, minlength=len(enc.table))
    keep = seen >= min_count
    mask = keep[feat_idx]
    feat_idx, cand_of = feat_idx[mask], cand_of[mask]
    w = np.zeros(len(enc.table))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    b1, b2 = 0.9, 0.999
    for t in range(1, iters + 1):
        s, top = _scores(w, feat_idx, cand_of, group_of, n_cand, n_groups)
        e = np.exp(s - top[group_of])
        z = np.bincount(group_of, weights=e, minlength=n_groups)
        prob = e / z[group_of]
        loss = -np.log(prob[y > 0] + 1e-12).sum() / n_groups + 0.5 * l2 * (w @ w)
        g_cand = (prob - y) / n_groups
        grad = np.bincount(feat_idx, weights=g_cand[cand_of], minlength=len(w)) + l2 * w
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + 1e-8)
        w[~keep] = 0.0
        if t % 25 == 0 or t == iters:
            print(f"  iter {t}: loss {loss:.4f}", flush=True)
    by_id = sorted(enc.table.items(), key=lambda kv: kv[1])
    names = [f for f, k in by_id if keep[k]]
    return names, w[keep].astype(np.float32)


def accuracy(weights_by_id: np.ndarray, enc: Encoded) -> dict[str, float]:
    """Share of edges whose gold gap scores highest, per role and side."""
    feat_idx, cand_of, group_of, y = enc.arrays()
    s, top = _scores(weights_by_id, feat_idx, cand_of, group_of, len(y), len(enc.sizes))
    gold_s = s[y > 0]
    # ties count against the gold gap unless it is the only best
    n_best = np.bincount(group_of, weights=(s >= top[group_of] - 1e-9).astype(float), minlength=len(enc.sizes))
    first = (gold_s >= top - 1e-9) & (n_best == 1)
    hits: Counter = Counter()
    total: Counter = Counter()
    for key, ok in zip(enc.keys, first.tolist()):
        total[key] += 1
        hits[key] += ok
    return {k: round(hits[k] / total[k], 4) for k in sorted(total)}


def _steps(steps, chosen: dict[str, float], per_side: bool):
    """The grid searches in order: each role's weight, then (``per_side``) each side's around it."""
    yield from steps
    if per_side:
        for role, _, _ in steps:
            lam = chosen.get(role, 0.0)
            if lam > 0:
                for side in ("s", "e"):
                    yield role, role + side, [lam / 2, lam, 2 * lam]


def tune(model: BoundaryModel, dev_split: str, cache: str, grid: list[float],
         roles: tuple[str, ...] = (CUE, CONTENT, SOURCE), per_side: bool = False) -> dict[str, float]:
    """The tagger weight per role that gives that role's best Exact F1 on dev (taggers run once)."""
    from ..nlp.component import AttributionComponent
    from ..nlp.pipeline import load_base
    from ..polnear.score import score
    from ..records import DocumentResult
    from .parse_cache import tok2vec_tensors

    gold, docs = parsed_split(dev_split, cache)
    nlp = load_base()
    tensors = tok2vec_tensors(gold, cache)
    for d, t in zip(docs, tensors):
        d.tensor = t
    component = AttributionComponent(nlp, resolve_speakers=False)
    tagger = component.model
    tagger.boundaries = model
    limits = threadpool_limits(1)  # small matrices: more BLAS threads only spin
    chosen: dict[str, float] = {}
    steps = [(role, role, grid) for role in roles]  # the cue first: the roles are read around the cues it settles
    for role, key, values in _steps(steps, chosen, per_side):
        best = None
        for lam in values:
            model.tagger_weight = {**chosen, key: lam}
            preds = {g.id: DocumentResult(g.id, g.text, tuple(component.predict(d))).to_spans_dict()["attributions"]
                     for g, d in zip(gold, docs)}
            result = score(gold, preds)["exact"]
            f1 = result[ROLE_NAMES[role]]["f1"]
            print(f"  {ROLE_NAMES[role]} ({key}) tagger weight {lam:g}: exact F1 {ROLE_NAMES[role]} {100 * f1:.2f}, "
                  f"attribution {100 * result['attribution']['f1']:.2f}", flush=True)
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, lam)
        chosen[key] = best[1]
    model.tagger_weight = chosen
    limits.unregister()
    return chosen


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True, help="PolNeAR train split folder (fitting)")
    ap.add_argument("--dev", required=True, help="PolNeAR dev split folder (tuning the tagger weights)")
    ap.add_argument("--out", required=True, help="where to write the .npz boundary model")
    ap.add_argument("--cache", default=".cache/parsed", help="where parsed splits are cached")
    ap.add_argument("--radius", type=int, default=RADIUS)
    ap.add_argument("--content-radius", type=int, default=0,
                    help="the content's edges' own radius (0: --radius), in training and at run time")
    ap.add_argument("--source-radius", type=int, default=0, help="likewise the source's")
    ap.add_argument("--reach", type=int, nargs=2, default=(56, 80), help="the role tagger's window (its model's)")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--grid", type=float, nargs="+", default=[0.0, 0.25, 0.5, 1.0, 2.0, 4.0])
    ap.add_argument("--per-side", action="store_true", help="then tune each side's weight around its role's")
    ap.add_argument("--no-tune", action="store_true", help="skip the dev grid (the weights stay 0: inactive)")
    ap.add_argument("--examples", default=None,
                    help="keep the encoded train edges here and reuse them when present (same code, same radius)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N train documents (smoke runs)")
    args = ap.parse_args(argv)

    t0 = time.time()
    gold, docs = parsed_split(args.train, args.cache)
    if args.limit:
        gold, docs = gold[: args.limit], docs[: args.limit]
    reach = tuple(args.reach)
    role_radius = {role: r for role, r in ((CONTENT, args.content_radius), (SOURCE, args.source_radius)) if r}
    if args.examples and Path(args.examples).exists():
        enc = Encoded.load(Path(args.examples))
    else:
        enc = Encoded()
        for d, g in zip(docs, gold):
            enc.add(document_examples(d, g, reach, args.radius, role_radius))
        if args.examples:
            enc.save(Path(args.examples))
    print(f"{len(enc.sizes)} train edges from {len(docs)} documents, {len(enc.table)} features "
          f"({time.time() - t0:.0f}s)", flush=True)
    names, weights = fit(enc, args.min_count, args.l2, args.iters, args.lr)
    meta = {
        "features": names, "radius": args.radius, "role_radius": role_radius, "trained_on": str(args.train),
        "args": {k: v for k, v in vars(args).items() if k not in ("train", "dev", "out", "cache")},
    }
    model = BoundaryModel(meta, weights)
    by_id = np.zeros(len(enc.table), dtype=np.float32)
    for name, wt in zip(names, weights):
        by_id[enc.table[name]] = wt
    meta["train_accuracy"] = accuracy(by_id, enc)
    dev_gold, dev_docs = parsed_split(args.dev, args.cache)
    dev_enc = Encoded(enc.table)
    for d, g in zip(dev_docs, dev_gold):
        dev_enc.add(document_examples(d, g, reach, args.radius, role_radius))
    meta["dev_accuracy"] = accuracy(by_id, dev_enc)
    print(f"gold gap ranked first: train {meta['train_accuracy']}\n  dev {meta['dev_accuracy']} "
          f"({time.time() - t0:.0f}s)", flush=True)
    if not args.no_tune:
        meta["tagger_weight"] = tune(model, args.dev, args.cache, args.grid, per_side=args.per_side)
    model.meta = meta
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    print(f"tagger weights {meta.get('tagger_weight')}; wrote {out} ({out.stat().st_size / 1e3:.0f} kB) "
          f"in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()

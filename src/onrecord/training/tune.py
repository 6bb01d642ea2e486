"""Choose a trained model's decoding settings on PolNeAR dev by the shared scorer's Exact F1.

    python -m onrecord.training.tune MODEL.npz --dev ../shared/data/polnear/dev --cache .cache/parsed \\
        --blend src/onrecord/nlp/model/attribution.npz blend.cue=0.5,0.7,1 blend.role=0.5,0.7,1 \\
        boundary_tagger_weight.C=0.25,0.5,1 rule_backoff=0.6,0.75

Each ``key=v1,v2,…`` is one step of a coordinate search, in the order given: every value is tried with the
values chosen so far (the model's own header for the keys not yet reached), and the best by ``--metric``
is kept (the header's value on a tie).  A dotted key sets one entry of a table in the header
(``boundary_tagger_weight.C``: the boundary model's weight of the taggers for contents, this model's own).
The dev split is parsed once (``--cache``) and the model's dense input (tok2vec, the encoder) computed once
per document, so a step costs only the taggers and the decoding.  Prints the chosen settings in the form
``python -m onrecord.training.settings`` writes into the header; ``--write`` writes them.
"""

from __future__ import annotations

import argparse
import json
import shlex
import time
from pathlib import Path

from ..nlp.boundaries import DEFAULT_BOUNDARY_PATH, BoundaryModel
from ..nlp.modelfile import read_model_file
from .settings import parse_value, set_meta, with_setting

METRICS = ("cue", "source", "content", "attribution")


def parse_steps(specs: list[str]) -> list[tuple[str, list]]:
    """``key=v1,v2`` → (key, [v1, v2]) with each value read as the settings tool reads it."""
    steps = []
    for spec in specs:
        key, sep, values = spec.partition("=")
        if not sep or not key or not values:
            raise SystemExit(f"not a setting to search: {spec!r} (expected key=v1,v2,...)")
        steps.append((key, [parse_value(v) for v in values.split(",")]))
    return steps


def setting_of(meta: dict, key: str):
    table, dot, entry = key.partition(".")
    return (meta.get(table) or {}).get(entry) if dot else meta.get(key)


class DevRun:
    """The dev split parsed, with each document's dense input computed once, ready to score a header."""

    def __init__(self, model_path: str, dev: str, cache: str, boundaries: str | None, limit: int = 0,
                 blend: str | None = None) -> None:
        from ..nlp.component import AttributionComponent
        from ..nlp.pipeline import load_base
        from .parse_cache import parsed_split, tok2vec_tensors

        self.meta, self.arrays = read_model_file(model_path)
        if blend:  # the blend.* keys search weights of averaging the model's taggers with this model's
            from .merge import blend_arrays

            own = self.meta.get("blend") or {"cue": 1.0, "role": 1.0}
            self.meta["blend"] = {**own, "from": blend_arrays(blend, self.meta, self.arrays, ("cue", "role"))}
        self.gold, self.docs = parsed_split(dev, cache)
        for d, t in zip(self.docs, tok2vec_tensors(self.gold, cache)):
            d.tensor = t
        if limit:
            self.gold, self.docs = self.gold[:limit], self.docs[:limit]
        self.nlp = load_base()
        self.component = AttributionComponent(self.nlp, model_path=model_path, resolve_speakers=False)
        first = self.component.model
        self.boundaries = BoundaryModel.load(boundaries) if boundaries else first.boundaries
        self.context = first.context
        self.dense = {id(d): self.context(d) if self.context is not None else None for d in self.docs}

    def current(self, meta: dict, key: str):
        """The setting's value in effect under ``meta`` (a boundary weight the header lacks: the boundary
        model's own)."""
        own = setting_of(meta, key)
        table, _, entry = key.partition(".")
        if own is None and table == "boundary_tagger_weight" and self.boundaries is not None:
            own = self.boundaries.tagger_weight.get(entry)
        return own

    def score(self, meta: dict) -> dict:
        from ..nlp.model import AttributionModel
        from ..polnear.score import score
        from ..records import DocumentResult

        model = AttributionModel(meta, self.arrays)
        if self.boundaries is not None:
            model.use_boundaries(self.boundaries)
        model.context = (lambda doc: self.dense[id(doc)]) if self.context is not None else None
        self.component.model = model
        preds = {g.id: DocumentResult(g.id, g.text, tuple(self.component.predict(d))).to_spans_dict()["attributions"]
                 for g, d in zip(self.gold, self.docs)}
        return score(self.gold, preds)["exact"]


def search(run: DevRun, steps: list[tuple[str, list]], metric: str) -> dict:
    """The coordinate search: the header with each step's best value."""
    meta = dict(run.meta)
    for key, values in steps:
        own = run.current(meta, key)
        tried = ([own] if own is not None and own not in values else []) + values
        best = None
        for value in tried:
            t0 = time.time()
            exact = run.score(with_setting(meta, key, value))
            f1 = exact[metric]["f1"]
            figures = " / ".join(f"{100 * exact[m]['f1']:.2f}" for m in METRICS)
            print(f"  {key}={json.dumps(value)}: {figures} ({time.time() - t0:.0f}s)", flush=True)
            if best is None or f1 > best[0] + 1e-9 or (abs(f1 - best[0]) <= 1e-9 and value == own):
                best = (f1, value)
        meta = with_setting(meta, key, best[1])
        print(f"{key} = {json.dumps(best[1])} (exact {metric} F1 {100 * best[0]:.2f})", flush=True)
    return meta


def main(argv: list[str] | None = None) -> None:
    from threadpoolctl import threadpool_limits

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="the trained model file (.npz)")
    ap.add_argument("steps", nargs="+", help="key=v1,v2,... in the order to search")
    ap.add_argument("--dev", required=True, help="PolNeAR dev split folder")
    ap.add_argument("--cache", default=".cache/parsed", help="where parsed splits are cached")
    ap.add_argument("--boundaries", default=None,
                    help=f"the boundary model (default: the one beside the model, else {DEFAULT_BOUNDARY_PATH.name})")
    ap.add_argument("--blend", default=None, help="a model whose taggers the blend.cue / blend.role weights "
                    "average the model's with (training.merge --blend then stores them)")
    ap.add_argument("--metric", choices=METRICS, default="attribution", help="the Exact F1 to maximise")
    ap.add_argument("--limit", type=int, default=0, help="only the first N dev documents (smoke runs)")
    ap.add_argument("--write", action="store_true", help="write the chosen settings into the model's header")
    args = ap.parse_args(argv)
    steps = parse_steps(args.steps)
    with threadpool_limits(1):  # small matrices: more BLAS threads only spin
        run = DevRun(args.model, args.dev, args.cache, args.boundaries or (
            None if Path(args.model).with_name("boundaries.npz").exists() else str(DEFAULT_BOUNDARY_PATH)),
            args.limit, args.blend)
        chosen = search(run, steps, args.metric)
    changed = {key.partition(".")[0] for key, _ in steps}
    line = " ".join(shlex.quote(f"{k}={json.dumps(chosen[k]) if isinstance(chosen[k], dict) else chosen[k]}")
                    for k in sorted(changed))
    print(f"python -m onrecord.training.settings {args.model} {line}")
    if args.write:
        if args.blend and "blend" in changed:
            raise SystemExit("--write: the file does not hold the blended taggers; merge again with --blend and "
                             "--blend-weight as chosen, then write the settings printed above")
        set_meta(args.model, **{k: chosen[k] for k in changed})


if __name__ == "__main__":
    main()

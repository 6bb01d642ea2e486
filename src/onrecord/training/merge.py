"""Join the cue tagger of one trained model file and the role tagger of another (trained in two processes
with ``--taggers cue`` and ``--taggers role`` from the same ``--init``, vocabularies and dense inputs).

    python -m onrecord.training.merge --cue CUE.npz --role ROLE.npz --out MODEL.npz \\
        [--blend src/onrecord/nlp/model/attribution.npz --blend-weight 0.6 0.5]

Several files after ``--cue`` (or ``--role``) give that tagger as the element-wise mean of their weights (a
"soup", as ``training.soup`` makes of fine-tuning runs): runs of one setting from one ``--init`` that differ
only in their seeds end close together, and their mean scores above each of them (bench/RESULTS.md).

``--blend`` also stores another model's taggers (the default model's: same features, vocabularies that the
trained ones extend) under ``blend.cue.`` / ``blend.role.``, and ``--blend-weight`` the share of the trained
taggers' log-probabilities (cue, role) when the two are averaged at run time; a tagger at weight 1 is not
blended, and its partner is not stored (tune with both below 1, then merge again with the chosen weights).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ..nlp.modelfile import read_model_file, write_model_file
from .soup import mean_arrays

SAME = ("vocab", "dense_width", "encoder", "layers", "window_reach", "doc_features", "role_features")


def merge(cue_path: str | list[str], role_path: str | list[str], out: str, blend: str | None = None,
          weights: tuple[float, float] = (1.0, 1.0)) -> dict:
    cue_runs = _read_all(cue_path)
    role_runs = _read_all(role_path)
    first, (role_meta, _) = role_runs[0]
    for path, (meta, _) in cue_runs + role_runs[1:]:
        differ = [k for k in SAME if meta.get(k) != role_meta.get(k)]
        if differ:
            raise SystemExit(f"{path} and {first} differ in {', '.join(differ)}: train all from the same --init")
    arrays = mean_arrays([{k: v for k, v in a.items() if k.startswith("cue.")} for _, (_, a) in cue_runs])
    arrays.update(mean_arrays([{k: v for k, v in a.items() if k.startswith("role.")} for _, (_, a) in role_runs]))
    meta = dict(role_meta)
    meta["dev_token_f1"] = {name: _each([m["dev_token_f1"][name] for _, (m, _) in runs])
                            for name, runs in (("cue", cue_runs), ("role", role_runs))}
    meta["args"] = {name: _each([m["args"] for _, (m, _) in runs]) for name, runs in (("cue", cue_runs), ("role", role_runs))}
    if blend is not None:
        blended = tuple(name for name, w in zip(("cue", "role"), weights) if w < 1.0)
        meta["blend"] = {"cue": weights[0], "role": weights[1], "from": blend_arrays(blend, meta, arrays, blended)}
    write_model_file(out, meta, arrays)
    return meta


def _read_all(paths: str | list[str]) -> list[tuple[str, tuple[dict, dict]]]:
    paths = [paths] if isinstance(paths, str) else list(paths)
    return [(p, read_model_file(p)) for p in paths]


def _each(values: list):
    """One run's value as it is; several runs' as the list of them (the header records every run)."""
    return values[0] if len(values) == 1 else values


def blend_arrays(path: str, meta: dict, arrays: dict, taggers: tuple[str, ...]) -> str:
    """Add the ``taggers`` of the model file ``path`` to ``arrays`` under ``blend.``; their embedding tables get
    rows for the ids only ``meta``'s vocabularies have, copies of their "unknown" row (id 1), so they read
    those tokens as they would at run time.  Returns that model's version."""
    other_meta, other = read_model_file(path)
    for table, ids in other_meta["vocab"].items():
        mine = meta["vocab"].get(table, {})
        if any(mine.get(key) != i for key, i in ids.items()):
            raise SystemExit(f"{path}'s {table} vocabulary is not part of the trained one's: train with --init {path}")
    if any(other_meta.get(k) != meta.get(k) for k in ("layers", "doc_features", "role_features")):
        raise SystemExit(f"{path} has other features or layers than the trained taggers")
    for key, value in other.items():
        prefix = key.split(".", 1)[0]
        if prefix not in taggers:
            continue
        want = arrays[key].shape
        if key.endswith(".weight") and ".embs." in key and value.shape[0] < want[0]:
            value = np.concatenate([value, np.repeat(value[1:2], want[0] - value.shape[0], axis=0)])
        arrays[f"blend.{key}"] = value
    return str(other_meta["version"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cue", required=True, nargs="+", help="the model file(s) whose cue tagger (their mean) is kept")
    ap.add_argument("--role", required=True, nargs="+", help="the model file(s) whose role tagger (their mean) is kept")
    ap.add_argument("--out", required=True)
    ap.add_argument("--blend", default=None, help="also store this model's taggers, to be averaged with the trained ones")
    ap.add_argument("--blend-weight", type=float, nargs=2, default=(0.5, 0.5), metavar=("CUE", "ROLE"),
                    help="the trained taggers' share of the averaged log-probabilities (1: not blended)")
    args = ap.parse_args(argv)
    if args.blend is not None and not all(0.0 <= w <= 1.0 for w in args.blend_weight):
        raise SystemExit("--blend-weight: each weight is between 0 and 1")
    try:
        meta = merge(args.cue, args.role, args.out, args.blend, tuple(args.blend_weight))
    except (OSError, ValueError, KeyError) as err:
        raise SystemExit(f"cannot merge: {err} (expected model files written by onrecord.training.train)")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB); dev token F1 {meta['dev_token_f1']}")


if __name__ == "__main__":
    main()

"""Average the weights of several fine-tuning runs that started from one bundle (a "model soup").

    python -m onrecord.training.soup .finetune/bundle.npz OUT/E OUT/S1 OUT/S2 OUT/S3 --out OUT/SOUP [--evaluate]

Runs of ``onrecord.training.finetune`` from the same bundle, with the same warm start and settings but
different seeds, end close to one another; the mean of their weights (taggers and tuned encoder layers alike)
is one model that costs nothing more at run time and, on PolNeAR dev, scores above its runs (bench/RESULTS.md,
"weight averages").  Each RUN is the ``--out`` prefix a trainer wrote (``RUN-taggers.npz``, ``RUN-layers.npz``);
the soup is written the same way, so ``finetune_bundle join`` makes the model file of it.  Runs that differ in
vocabulary, tuned or read layers, or starting model cannot be averaged and are refused.  ``--evaluate`` (needs
PyTorch; a minute on a CPU) records the soup's own dev token-F1, the trainer's selection signal.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

import numpy as np

from ..nlp.encoder import decode_tuned, encode_tuned
from ..nlp.modelfile import read_model_file, write_model_file

# What every run of one soup must share: their weights are only averaged, never aligned.
SHARED = ("vocab", "embedded_width", "init_version", "read_layers")


def bundle_layers(bundle: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The encoder layers the trainer started from (what its int8 layer files are differences from)."""
    return {k[len("enc."):]: v for k, v in bundle.items() if k.startswith("enc.encoder.layer.")}


def load_run(prefix: str, base: dict[str, np.ndarray], read_layers: list[int]) -> tuple[dict, dict, dict, dict]:
    """One run's tagger header and arrays, layer header and layers (float32).  Runs written before the
    trainer recorded its read layers read the bundle's (``read_layers``)."""
    tagger_meta, taggers = read_model_file(f"{prefix}-taggers.npz")
    tagger_meta.setdefault("read_layers", list(read_layers))
    layer_meta, layers = read_model_file(f"{prefix}-layers.npz")
    if any(k.endswith(".delta") for k in layers):
        layers = decode_tuned(layers, base)
    return tagger_meta, taggers, layer_meta, {k: v.astype(np.float32) for k, v in layers.items()}


def check_compatible(prefixes: list[str], runs: list[tuple[dict, dict, dict, dict]]) -> None:
    first = runs[0]
    for prefix, run in zip(prefixes[1:], runs[1:]):
        for key in SHARED:
            if run[0].get(key) != first[0].get(key):
                raise SystemExit(f"{prefix} differs from {prefixes[0]} in its {key}: only runs from one bundle "
                                 "and start can be averaged")
        if run[2]["tuned_layers"] != first[2]["tuned_layers"] or run[1].keys() != first[1].keys():
            raise SystemExit(f"{prefix} tunes other weights than {prefixes[0]}: only runs of one setting can be "
                             "averaged")


def mean_arrays(dicts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The element-wise mean of each array, in float32, stored in the first run's type."""
    return {k: np.mean([d[k].astype(np.float32) for d in dicts], axis=0).astype(dicts[0][k].dtype) for k in dicts[0]}


def soup(bundle_path: str, prefixes: list[str], out: str, evaluate: bool = False) -> dict:
    if len(prefixes) < 2:
        raise SystemExit("a soup needs at least two runs")
    bundle_meta, bundle = read_model_file(bundle_path)
    if "read_layers" not in bundle_meta:
        raise SystemExit(f"{bundle_path} is not a fine-tuning bundle (onrecord.training.finetune_bundle pack writes one)")
    base = bundle_layers(bundle)
    runs = [load_run(p, base, bundle_meta["read_layers"]) for p in prefixes]
    check_compatible(prefixes, runs)
    taggers = mean_arrays([r[1] for r in runs])
    layers = mean_arrays([r[3] for r in runs])
    header = {key: runs[0][0].get(key) for key in SHARED}
    header.update(version=f"polnear-minilm-finetuned-soup{len(runs)}-{date.today().isoformat()}",
                  args={"soup_of": [{"run": p, "epoch": r[0].get("epoch"), **r[0].get("args", {})}
                                    for p, r in zip(prefixes, runs)]},
                  dev_token_f1={k: [r[0]["dev_token_f1"][k] for r in runs] for k in ("cue", "role")})
    if evaluate:
        header["dev_token_f1"] = _evaluate(bundle_meta, bundle, header, taggers, layers, runs[0][2]["tuned_layers"])
    write_model_file(f"{out}-taggers.npz", header, taggers)
    write_model_file(f"{out}-layers.npz", {"tuned_layers": runs[0][2]["tuned_layers"], "soup_of": prefixes},
                     encode_tuned(layers, base))
    return header


def _evaluate(meta: dict, bundle: dict, header: dict, taggers: dict, layers: dict, tuned: list[int]) -> dict:
    """The soup's dev token-F1 as the trainer measures it (PyTorch on the CPU)."""
    import torch

    from . import finetune as ft

    model = ft.trained_model(meta, bundle, header["read_layers"], tuned, layers, taggers)
    f1 = ft.evaluate(model, ft.Split("dev", bundle, torch.device("cpu")))
    return {k: round(100 * v, 2) for k, v in f1.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle", help="the bundle the runs trained from (finetune_bundle pack)")
    ap.add_argument("runs", nargs="+", metavar="RUN", help="a trainer's --out prefix")
    ap.add_argument("--out", required=True, help="prefix of the two files written")
    ap.add_argument("--evaluate", action="store_true", help="record the soup's dev token-F1 (needs PyTorch)")
    args = ap.parse_args(argv)
    try:
        header = soup(args.bundle, args.runs, args.out, args.evaluate)
    except (OSError, ValueError, KeyError) as err:
        raise SystemExit(f"cannot average the runs: {err} (each RUN is a trainer's --out prefix, with RUN-taggers.npz "
                         "and RUN-layers.npz beside it)")
    print(json.dumps({k: header[k] for k in ("version", "dev_token_f1")}))


if __name__ == "__main__":
    main()

"""Check that a fine-tuned accurate model computes at run time what its trainer computed (training only, needs torch).

    python -m onrecord.training.finetune_check .finetune/bundle.npz OUT-taggers.npz OUT-layers.npz MODEL.npz \\
        --dev ../shared/data/polnear/dev --cache .cache/parsed

For a few dev documents: the token vectors of the trainer's PyTorch encoder (````onrecord.training.finetune````, the
bundle's float16 weights) against the run-time numpy encoder with the model file's tuned layers, and the cue
tagger's log-probabilities over each document's first paragraph chunk, the trainer's against the run-time
``Tagger``'s.  Prints the largest differences; float16 weights make them about 1e-3, a wrong layer or column
layout makes them of order 1.
"""

from __future__ import annotations

import argparse

import numpy as np


def main(argv: list[str] | None = None) -> None:
    import torch

    from ..nlp import features as F
    from ..nlp.encoder import MiniLMEncoder
    from ..nlp.modelfile import read_model_file
    from ..nlp.network import Tagger
    from .parse_cache import parsed_split

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle")
    ap.add_argument("taggers")
    ap.add_argument("layers")
    ap.add_argument("model", help="the model file finetune_bundle join made of the two")
    ap.add_argument("--dev", required=True)
    ap.add_argument("--cache", default=".cache/parsed")
    ap.add_argument("--docs", type=int, nargs="+", default=[0, 7, 40])
    args = ap.parse_args(argv)

    from . import finetune as ft

    meta, arrays = read_model_file(args.bundle)
    tagger_meta, tagger_arrays = read_model_file(args.taggers)
    layer_meta, layer_arrays = read_model_file(args.layers)
    dev = ft.Split("dev", arrays, torch.device("cpu"))
    model = ft.trained_model(meta, arrays, tagger_meta.get("read_layers"), layer_meta["tuned_layers"], layer_arrays,
                             tagger_arrays)
    _, docs = parsed_split(args.dev, args.cache)
    model_meta, model_arrays = read_model_file(args.model)
    encoder = MiniLMEncoder.load(tuned={k: v for k, v in model_arrays.items() if k.startswith("encoder.")})
    cue = Tagger.from_arrays("cue", model_arrays, len(F.DOC_FEATURES), model_meta["layers"])
    layers = tuple(model_meta["encoder"]["layers"])
    t2v = int(model_meta["encoder"]["tok2vec_width"])
    for d in args.docs:
        with torch.no_grad():
            vec, _ = model.token_vectors(dev, [d])
            theirs = torch.log_softmax(model.scores(dev, [d])["cue"][0], -1).numpy()
        ours = encoder.encode_words([t.text for t in docs[d]], layers)
        # The run-time cue tagger also reads tok2vec columns, at zero weight: any values do.
        dense = np.concatenate([np.random.default_rng(d).normal(size=(len(ours), t2v)).astype(np.float32), ours], 1)
        start, n = dev.a["chunks"][dev.chunk_off[d]]
        lo = start - dev.tok_off[d]
        lp = cue.log_probs(dev.a["feats"][start : start + n].astype(np.int64)[None], np.array([n]),
                           dense[lo : lo + n][None])
        print(f"document {d}: token vectors differ by at most {np.abs(ours - vec.numpy()).max():.2e}, "
              f"cue log-probabilities over {n} tokens by {np.abs(lp[0, :n] - theirs[0, :n]).max():.2e}")


if __name__ == "__main__":
    main()

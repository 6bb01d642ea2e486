"""The MiniLM encoder's token vectors for a parsed split, computed once and cached (float16).

    python -m onrecord.training.encoder_cache ../shared/data/polnear/train --cache /tmp/accurate/parsed

Every spaCy token of every document gets the hidden states of layers 1-4 (of six) (``onrecord.nlp.encoder``:
word pieces, overlapping windows, the mean of a token's pieces), stored as one (tokens, 4, 384) float16
array (``.npy``, read back memory-mapped) and the documents' offsets.  The windows, pieces and averaging are
the run-time code's; only the forward pass itself runs in PyTorch here (faster on CPU; the numpy one agrees
with it to 1e-5, ``onrecord.training.encoder_check``), so training sees what ``--model accurate`` computes.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np

from ..nlp.encoder import WINDOW, MiniLMEncoder, bundled_model_dir

#: Layers cached: the accurate tier stops its forward pass after the fourth of six layers (the upper two
#: would cost a third more time per word for the tagger's input; bench/RESULTS.md).
ALL_LAYERS = (1, 2, 3, 4)


def _torch_forward(torch, enc: MiniLMEncoder):
    from .encoder_check import torch_reference

    ref = torch_reference(torch, bundled_model_dir(), max(ALL_LAYERS))

    def forward(ids: np.ndarray, lengths: np.ndarray, layers) -> np.ndarray:
        states = ref(ids, lengths)
        return np.stack([states[k] for k in layers], axis=2)

    return forward


def cache_path(gold, cache_dir: str | Path, split_name: str, window: int, stride: int) -> Path:
    key = hashlib.sha256(("|".join(d.id + str(len(d.text)) for d in gold) + f"minilm{window}/{stride}/{ALL_LAYERS}").encode()
                         ).hexdigest()[:12]
    return Path(cache_dir) / f"minilm-{split_name}-{key}"


def encoder_features(gold, docs, cache_dir: str | Path, split_name: str, layers: tuple[int, ...],
                     window: int = WINDOW, stride: int | None = None, threads: int = 2) -> list[np.ndarray]:
    """Per document (tokens, len(layers) * 384) float16 vectors of the chosen layers (1..6), side by side."""
    from ..nlp.encoder import STRIDE

    stride = stride or STRIDE
    base = cache_path(gold, cache_dir, split_name, window, stride)
    states_file, offsets_file = base.with_suffix(".npy"), base.with_suffix(".offsets.npy")
    if not states_file.exists():
        import torch

        torch.set_num_threads(threads)
        enc = MiniLMEncoder.load(window=window, stride=stride)
        enc.forward = _torch_forward(torch, enc)  # the same windows and averaging, torch's matrix products
        offsets = np.cumsum([0] + [len(d) for d in docs])
        tmp = base.with_suffix(".partial.npy")
        out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float16, shape=(int(offsets[-1]), len(ALL_LAYERS), enc.hidden))
        start = time.time()
        for k, doc in enumerate(docs):
            vec = enc.encode_words([t.text for t in doc], ALL_LAYERS)
            out[offsets[k] : offsets[k + 1]] = vec.reshape(len(doc), len(ALL_LAYERS), enc.hidden).astype(np.float16)
            if k % 50 == 0:
                print(f"encoded {k}/{len(docs)} documents ({time.time() - start:.0f}s)", flush=True)
        out.flush()
        del out
        np.save(offsets_file, offsets)
        tmp.rename(states_file)
    states = np.load(states_file, mmap_mode="r")
    offsets = np.load(offsets_file)
    picked = [k - 1 for k in layers]
    return [np.ascontiguousarray(states[offsets[k] : offsets[k + 1], picked].reshape(offsets[k + 1] - offsets[k], -1))
            for k in range(len(docs))]


def main(argv: list[str] | None = None) -> None:
    from .parse_cache import parsed_split

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split")
    ap.add_argument("--cache", default=".cache/parsed")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    gold, docs = parsed_split(args.split, args.cache)
    feats = encoder_features(gold, docs, args.cache, Path(args.split).name, ALL_LAYERS, threads=args.threads)
    print(f"{len(feats)} documents, {sum(len(f) for f in feats)} tokens cached", flush=True)


if __name__ == "__main__":
    main()

"""Training-only check: the numpy MiniLM forward pass (``onrecord.nlp.encoder``) against PyTorch's.

    python -m onrecord.training.encoder_check ../shared/data/polnear/dev/text --docs 8

The reference is built from PyTorch's own ``nn.TransformerEncoderLayer`` (post-norm, exact GELU, LayerNorm
eps 1e-12: BERT's layer) loaded with the same safetensors weights, so the two share no code.  Every window of
the first ``--docs`` texts (at most 128 word pieces each, batched with padding) is run through both, and the
largest absolute difference of every layer's hidden states over the real pieces is printed.  Needs torch
(``pip install -e '.[train]'``); never runs in CI.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ..nlp.encoder import CLS_ID, SEP_ID, MiniLMEncoder, bundled_model_dir


def torch_reference(torch, model_dir: Path, n_layers: int):
    from safetensors.numpy import load_file

    w = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    nn = torch.nn
    layers = []
    for k in range(n_layers):
        p = f"encoder.layer.{k}."
        layer = nn.TransformerEncoderLayer(384, 12, dim_feedforward=1536, dropout=0.0, activation="gelu",
                                           layer_norm_eps=1e-12, batch_first=True, norm_first=False)
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]))
            layer.self_attn.out_proj.weight.copy_(w[p + "attention.output.dense.weight"])
            layer.self_attn.out_proj.bias.copy_(w[p + "attention.output.dense.bias"])
            layer.norm1.weight.copy_(w[p + "attention.output.LayerNorm.weight"])
            layer.norm1.bias.copy_(w[p + "attention.output.LayerNorm.bias"])
            layer.linear1.weight.copy_(w[p + "intermediate.dense.weight"])
            layer.linear1.bias.copy_(w[p + "intermediate.dense.bias"])
            layer.linear2.weight.copy_(w[p + "output.dense.weight"])
            layer.linear2.bias.copy_(w[p + "output.dense.bias"])
            layer.norm2.weight.copy_(w[p + "output.LayerNorm.weight"])
            layer.norm2.bias.copy_(w[p + "output.LayerNorm.bias"])
        layer.eval()
        layers.append(layer)

    def run(ids: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
        t = torch.from_numpy(ids)
        T = ids.shape[1]
        x = w["embeddings.word_embeddings.weight"][t] + w["embeddings.position_embeddings.weight"][:T] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = torch.nn.functional.layer_norm(x, (384,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
        pad = torch.from_numpy(np.arange(T)[None, :] >= lengths[:, None])
        states = [x]
        with torch.no_grad():
            for layer in layers:
                x = layer(x, src_key_padding_mask=pad)
                states.append(x)
        return [s.numpy() for s in states]

    return run


def main(argv: list[str] | None = None) -> None:
    import torch

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts", help="a folder of .txt files")
    ap.add_argument("--docs", type=int, default=8)
    ap.add_argument("--tolerance", type=float, default=1e-3)
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    enc = MiniLMEncoder.load()
    ref = torch_reference(torch, bundled_model_dir(), len(enc.layers))
    layers = list(range(len(enc.layers) + 1))
    worst = np.zeros(len(layers))
    windows = 0
    for path in sorted(Path(args.texts).glob("*.txt"))[: args.docs]:
        ids, _ = enc.pieces(path.read_text(encoding="utf-8").split())
        spans, _ = enc.windows(len(ids))
        lengths = np.array([b - a + 2 for a, b in spans])
        rows = np.zeros((len(spans), lengths.max()), dtype=np.int64)
        for r, (a, b) in enumerate(spans):
            rows[r, : b - a + 2] = [CLS_ID, *ids[a:b], SEP_ID]
        mine = enc.forward(rows, lengths, layers)
        theirs = ref(rows, lengths)
        real = np.arange(rows.shape[1])[None, :] < lengths[:, None]
        for k in layers:
            worst[k] = max(worst[k], float(np.abs(mine[:, :, k][real] - theirs[k][real]).max()))
        windows += len(spans)
    print(f"{windows} windows; max |numpy - torch| per layer (0 = embeddings): "
          + " ".join(f"{d:.2e}" for d in worst))
    if worst.max() > args.tolerance:
        raise SystemExit(f"numpy and torch differ by {worst.max():.2e} > {args.tolerance}")
    print("parity ok")


if __name__ == "__main__":
    main()

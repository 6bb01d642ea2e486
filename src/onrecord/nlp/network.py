"""The taggers' network in plain numpy: embeddings → projection → BiLSTM → label scores.

Training happens in PyTorch (``onrecord.training``), inference here, so the
installed package needs no deep-learning framework.  Weight names and gate
order follow ``torch.nn.LSTM`` (input, forget, cell, output) so exported
weights load unchanged; a test checks both give the same scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


@dataclass
class LSTMDirection:
    w_ih: np.ndarray  # (4H, D)
    w_hh: np.ndarray  # (4H, H)
    bias: np.ndarray  # (4H,)  (b_ih + b_hh)

    def run(self, x: np.ndarray, mask: np.ndarray, reverse: bool) -> np.ndarray:
        """x (B, T, D), mask (B, T) → hidden states (B, T, H); padded steps leave the state untouched."""
        B, T, _ = x.shape
        H = self.w_hh.shape[1]
        gates_x = x @ self.w_ih.T + self.bias  # all input projections at once
        w_hh_t = self.w_hh.T
        h = np.zeros((B, H), dtype=x.dtype)
        c = np.zeros((B, H), dtype=x.dtype)
        out = np.zeros((B, T, H), dtype=x.dtype)
        steps = range(T - 1, -1, -1) if reverse else range(T)
        for t in steps:
            g = gates_x[:, t] + h @ w_hh_t
            i = _sigmoid(g[:, :H])
            f = _sigmoid(g[:, H : 2 * H])
            cand = np.tanh(g[:, 2 * H : 3 * H])
            o = _sigmoid(g[:, 3 * H :])
            c_new = f * c + i * cand
            h_new = o * np.tanh(c_new)
            m = mask[:, t : t + 1]
            c = np.where(m, c_new, c)
            h = np.where(m, h_new, h)
            out[:, t] = h_new * m
        return out


@dataclass
class Tagger:
    """Scores every token of padded sequences: ids (B, T, K) → log-probabilities (B, T, L)."""

    embeddings: list[np.ndarray]
    proj_w: np.ndarray
    proj_b: np.ndarray
    layers: list[tuple[LSTMDirection, LSTMDirection]]
    out_w: np.ndarray
    out_b: np.ndarray

    @classmethod
    def from_arrays(cls, prefix: str, arrays: dict[str, np.ndarray], n_features: int, n_layers: int) -> "Tagger":
        def get(name: str) -> np.ndarray:
            return arrays[f"{prefix}.{name}"].astype(np.float32)

        layers = []
        for layer in range(n_layers):
            dirs = []
            for suffix in ("", "_reverse"):
                dirs.append(
                    LSTMDirection(
                        get(f"lstm.weight_ih_l{layer}{suffix}"),
                        get(f"lstm.weight_hh_l{layer}{suffix}"),
                        get(f"lstm.bias_ih_l{layer}{suffix}") + get(f"lstm.bias_hh_l{layer}{suffix}"),
                    )
                )
            layers.append((dirs[0], dirs[1]))
        return cls(
            embeddings=[get(f"embs.{k}.weight") for k in range(n_features)],
            proj_w=get("proj.weight"),
            proj_b=get("proj.bias"),
            layers=layers,
            out_w=get("out.weight"),
            out_b=get("out.bias"),
        )

    def log_probs(self, ids: np.ndarray, lengths: np.ndarray, dense: np.ndarray | None = None) -> np.ndarray:
        """``dense`` (B, T, D): real-valued token features (the base pipeline's tok2vec), if the model uses them."""
        B, T, K = ids.shape
        mask = np.arange(T)[None, :] < lengths[:, None]
        parts = [self.embeddings[k][ids[:, :, k]] for k in range(K)]
        if dense is not None:
            parts.append(dense.astype(np.float32))
        x = np.concatenate(parts, axis=-1)
        x = np.maximum(x @ self.proj_w.T + self.proj_b, 0.0)
        for fwd, bwd in self.layers:
            x = np.concatenate([fwd.run(x, mask, False), bwd.run(x, mask, True)], axis=-1)
        scores = x @ self.out_w.T + self.out_b
        scores -= scores.max(axis=-1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=-1, keepdims=True))


def pad(seqs: list[np.ndarray], dtype=np.int64) -> tuple[np.ndarray, np.ndarray]:
    """Stack (n_i, K) arrays into (B, T, K) with zero padding, and their lengths."""
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    T = int(lengths.max()) if len(seqs) else 0
    K = seqs[0].shape[1] if seqs else 0
    out = np.zeros((len(seqs), T, K), dtype=dtype)
    for b, s in enumerate(seqs):
        out[b, : len(s)] = s
    return out, lengths


def viterbi_bio(log_probs: np.ndarray, allowed: np.ndarray, start_allowed: np.ndarray) -> np.ndarray:
    """Best label path under BIO constraints: ``allowed[a, b]`` says label b may follow label a."""
    T, L = log_probs.shape
    neg = np.float32(-1e9)
    trans = np.where(allowed, 0.0, neg).astype(np.float32)
    score = np.where(start_allowed, log_probs[0], neg)
    back = np.zeros((T, L), dtype=np.int64)
    for t in range(1, T):
        cand = score[:, None] + trans
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    path = np.zeros(T, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(T - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path

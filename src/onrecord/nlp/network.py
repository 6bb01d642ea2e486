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

    def __post_init__(self) -> None:
        H = self.w_hh.shape[1]
        # One tanh over all four gates: sigmoid(x) = (tanh(x / 2) + 1) / 2 for the i, f, o gates.
        self._scale = np.full(4 * H, 0.5, dtype=np.float32)
        self._scale[2 * H : 3 * H] = 1.0
        self._w_hh_t = np.ascontiguousarray(self.w_hh.T)

    def run(self, x: np.ndarray, lengths: np.ndarray, reverse: bool) -> np.ndarray:
        """x (B, T, D) with rows sorted by length, longest first → hidden states (B, T, H).

        At step t exactly the first ``active`` rows hold a real token, so every step works on a
        prefix of the batch: no masks, no wasted work on padding.  In reverse, a row starts at its
        own last token with a zero state, because it was never touched before."""
        B, T, _ = x.shape
        H = self.w_hh.shape[1]
        gates_x = x @ self.w_ih.T + self.bias
        h = np.zeros((B, H), dtype=np.float32)
        c = np.zeros((B, H), dtype=np.float32)
        out = np.zeros((B, T, H), dtype=np.float32)
        active = (lengths[None, :] > np.arange(T)[:, None]).sum(axis=1)  # rows with a token at step t
        for t in range(T - 1, -1, -1) if reverse else range(T):
            n = int(active[t])
            g = np.tanh((gates_x[:n, t] + h[:n] @ self._w_hh_t) * self._scale)
            sig = 0.5 * g + 0.5
            c_n = sig[:, H : 2 * H] * c[:n] + sig[:, :H] * g[:, 2 * H : 3 * H]
            h_n = sig[:, 3 * H :] * np.tanh(c_n)
            c[:n] = c_n
            h[:n] = h_n
            out[:n, t] = h_n
        return out


def bilstm(x: np.ndarray, lengths: np.ndarray, fwd: LSTMDirection, bwd: LSTMDirection) -> np.ndarray:
    """Both directions of one layer in a single time loop: (B, T, D) → (B, T, 2H).

    Rows are sorted longest first.  The backward direction reads each row reversed within its own
    length, so at step t both directions work on the same active prefix of rows and every numpy
    call serves both (half the calls of running the directions one after the other; the loop is
    bound by call overhead, not arithmetic)."""
    B, T, _ = x.shape
    H = fwd.w_hh.shape[1]
    steps = np.arange(T)[None, :]
    rev = np.where(steps < lengths[:, None], lengths[:, None] - 1 - steps, steps)  # within-row reversal
    rows = np.arange(B)[:, None]
    scale = fwd._scale
    gx = np.empty((2, B, T, 4 * H), dtype=np.float32)
    np.matmul(x, fwd.w_ih.T, out=gx[0])
    gx[0] += fwd.bias
    np.matmul(x[rows, rev], bwd.w_ih.T, out=gx[1])
    gx[1] += bwd.bias
    gx *= scale
    w_hh = np.stack([fwd._w_hh_t, bwd._w_hh_t]) * scale  # (2, H, 4H), pre-scaled like the inputs
    h = np.zeros((2, B, H), dtype=np.float32)
    c = np.zeros((2, B, H), dtype=np.float32)
    out = np.zeros((2, B, T, H), dtype=np.float32)
    active = (lengths[None, :] > np.arange(T)[:, None]).sum(axis=1)
    for t in range(T):
        n = int(active[t])
        g = np.matmul(h[:, :n], w_hh)
        g += gx[:, :n, t]
        np.tanh(g, out=g)
        sig = g * 0.5
        sig += 0.5
        c_n = sig[..., H : 2 * H] * c[:, :n]
        c_n += sig[..., :H] * g[..., 2 * H : 3 * H]
        h_n = np.tanh(c_n)
        h_n *= sig[..., 3 * H :]
        c[:, :n] = c_n
        h[:, :n] = h_n
        out[:, :n, t] = h_n
    backward = out[1][rows, rev]
    backward[steps >= lengths[:, None]] = 0.0
    return np.concatenate([out[0], backward], axis=-1)


@dataclass
class Tagger:
    """Scores every token of padded sequences: ids (B, T, K) → log-probabilities (B, T, L)."""

    embeddings: list[np.ndarray]
    proj_w: np.ndarray
    proj_b: np.ndarray
    layers: list[tuple[LSTMDirection, LSTMDirection]]
    out_w: np.ndarray
    out_b: np.ndarray

    def __post_init__(self) -> None:
        # Fold the projection into the tables: concat(E_k[id_k]) @ W.T == sum_k (E_k @ W_k.T)[id_k],
        # so each token costs K row lookups and adds instead of a concatenation and a matrix product.
        self._folded: list[np.ndarray] = []
        col = 0
        for table in self.embeddings:
            width = table.shape[1]
            self._folded.append(np.ascontiguousarray(table @ self.proj_w[:, col : col + width].T, dtype=np.float32))
            col += width
        self._dense_w = np.ascontiguousarray(self.proj_w[:, col:].T, dtype=np.float32)

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
        order = np.argsort(-lengths, kind="stable")
        ids, lengths = ids[order], lengths[order]
        x = self._folded[0][ids[:, :, 0]]
        for k in range(1, K):
            x += self._folded[k][ids[:, :, k]]
        if dense is not None:
            x += dense[order].astype(np.float32) @ self._dense_w
        x = np.maximum(x + self.proj_b, 0.0)
        for fwd, bwd in self.layers:
            x = bilstm(x, lengths, fwd, bwd)
        scores = np.empty((B, T, self.out_w.shape[0]), dtype=np.float32)
        scores[order] = x @ self.out_w.T + self.out_b
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


def viterbi_bio_batch(
    log_probs: np.ndarray, lengths: np.ndarray, allowed: np.ndarray, start_allowed: np.ndarray
) -> np.ndarray:
    """``viterbi_bio`` for a padded batch (B, T, L) at once; positions past a row's length are 0."""
    B, T, L = log_probs.shape
    paths = np.zeros((B, T), dtype=np.int64)
    if B == 0 or T == 0:
        return paths
    # With constraints only (no transition scores), a row whose best labels already form a legal
    # path is its own answer; only the other rows need the dynamic programme.
    best = log_probs.argmax(axis=-1)
    real = np.arange(T)[None, :] < lengths[:, None]
    legal = start_allowed[best[:, 0]] & (allowed[best[:, :-1], best[:, 1:]] | ~real[:, 1:]).all(axis=1)
    paths[legal] = np.where(real[legal], best[legal], 0)
    redo = np.flatnonzero(~legal)
    if len(redo):
        paths[redo] = _viterbi_rows(log_probs[redo], lengths[redo], allowed, start_allowed)
    return paths


def _viterbi_rows(log_probs: np.ndarray, lengths: np.ndarray, allowed: np.ndarray, start_allowed: np.ndarray) -> np.ndarray:
    B, T, L = log_probs.shape
    paths = np.zeros((B, T), dtype=np.int64)
    neg = np.float32(-1e9)
    trans = np.where(allowed, 0.0, neg).astype(np.float32)
    score = np.where(start_allowed[None, :], log_probs[:, 0], neg)
    back = np.zeros((B, T, L), dtype=np.int64)
    for t in range(1, T):
        cand = score[:, :, None] + trans[None]
        back[:, t] = cand.argmax(axis=1)
        live = (t < lengths)[:, None]
        score = np.where(live, cand.max(axis=1) + log_probs[:, t], score)
    rows = np.arange(B)
    paths[rows, lengths - 1] = score.argmax(axis=1)
    for t in range(T - 1, 0, -1):
        live = t <= lengths - 1
        r = rows[live]
        paths[r, t - 1] = back[r, t, paths[r, t]]
    return paths

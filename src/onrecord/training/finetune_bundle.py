"""Pack what fine-tuning the accurate tier needs into one file that a machine without spaCy can train from,
and join what that training writes back into a model file.

    python -m onrecord.training.finetune_bundle pack --train ../shared/data/polnear/train \\
        --dev ../shared/data/polnear/dev --cache .cache/parsed --init FROZEN.npz --out .finetune/bundle.npz
    python -m onrecord.training.finetune_bundle join --taggers taggers.npz --layers layers.npz \\
        --out src/onrecord/nlp/model/accurate.npz

``pack`` writes, for both splits, each token's discrete features and BIO labels (the trainer's own
``examples_for``), the role tagger's windows, the word pieces and encoder windows of every document (the
run-time ``MiniLMEncoder``'s), the encoder's embedding rows those pieces use and its first four layers (float16),
and the accurate model's taggers to start from.  No text and no annotation is stored, only ids and labels;
the file stays outside the repository (``.finetune/`` is ignored).  ``onrecord.training.finetune`` trains
from it with PyTorch alone (on a GPU: a few minutes).

``join`` turns the trainer's output into the accurate model file: the current file's header and settings,
the fine-tuned taggers (with zero weight on the tok2vec columns they do not read, so the blend partner's
dense input stays as it is), the encoder layers they read (``encoder.layers``, from the trainer's header) and the
fine-tuned encoder layers under ``encoder.layer.K.`` (int8 differences from the published weights rounded to
float16, as the trainer wrote them).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from ..nlp.modelfile import read_model_file, write_model_file

ACCURATE = Path(__file__).resolve().parents[1] / "nlp" / "model" / "accurate.npz"  # join's template
ENCODER_LAYERS = 4  # the layers the bundle carries unless --encoder-layers says more (the shipped tier runs 4)


def _split_arrays(name: str, gold, docs, vocab, encoder, reach, emb_index: dict[int, int]) -> dict[str, np.ndarray]:
    from ..nlp import features as F
    from .data import examples_for

    feats, cue_labels, chunks, chunk_doc = [], [], [], []
    role_start, role_len, role_doc, role_feats, role_labels = [], [], [], [], []
    pieces, owners, doc_tokens, doc_pieces, win_start, win_len, win_doc, piece_win = [], [], [], [], [], [], [], []
    token_base = piece_base = win_base = 0
    for k, (g, d) in enumerate(zip(gold, docs)):
        cue, role = examples_for(d, g, vocab, grow=name == "train", reach=reach)
        doc_feats = np.concatenate([e.feats for e in cue]) if cue else np.zeros((0, len(F.DOC_FEATURES)), np.int32)
        if len(doc_feats) != len(d):
            raise SystemExit(f"document {g.id}: the cue examples do not cover its {len(d)} tokens")
        feats.append(doc_feats)
        cue_labels.append(np.concatenate([e.labels for e in cue]) if cue else np.zeros(0, np.int64))
        for e in cue:
            chunks.append((token_base + e.start, len(e.labels)))
            chunk_doc.append(k)
        for e in role:
            role_start.append(token_base + e.start)
            role_len.append(len(e.labels))
            role_doc.append(k)
            role_feats.append(e.feats[:, len(F.DOC_FEATURES):])
            role_labels.append(e.labels)
        ids, owner = encoder.pieces([t.text for t in d])
        spans, which = encoder.windows(len(ids))
        pieces.append(np.array([emb_index.setdefault(int(i), len(emb_index)) for i in ids], dtype=np.int32))
        owners.append(owner + token_base)
        piece_win.append(which + win_base)
        for a, b in spans:
            win_start.append(piece_base + a)
            win_len.append(b - a)
            win_doc.append(k)
        doc_tokens.append(len(d))
        doc_pieces.append(len(ids))
        token_base += len(d)
        piece_base += len(ids)
        win_base += len(spans)
    out = {
        "feats": np.concatenate(feats).astype(np.int32),
        "cue_labels": np.concatenate(cue_labels).astype(np.int8),
        "chunks": np.array(chunks, dtype=np.int32).reshape(-1, 2),
        "chunk_doc": np.array(chunk_doc, dtype=np.int32),
        "role_start": np.array(role_start, dtype=np.int32),
        "role_len": np.array(role_len, dtype=np.int32),
        "role_doc": np.array(role_doc, dtype=np.int32),
        "role_feats": np.concatenate(role_feats).astype(np.int32),
        "role_labels": np.concatenate(role_labels).astype(np.int8),
        "pieces": np.concatenate(pieces),
        "piece_owner": np.concatenate(owners).astype(np.int32),
        "piece_win": np.concatenate(piece_win).astype(np.int32),
        "win_start": np.array(win_start, dtype=np.int32),
        "win_len": np.array(win_len, dtype=np.int32),
        "win_doc": np.array(win_doc, dtype=np.int32),
        "doc_tokens": np.array(doc_tokens, dtype=np.int32),
        "doc_pieces": np.array(doc_pieces, dtype=np.int32),
    }
    # Small ids travel in the smallest type that holds them (the file must fit the device's transfer limits).
    for key in ("feats", "role_feats"):
        if out[key].max(initial=0) < 65536:
            out[key] = out[key].astype(np.uint16)
    return {f"{name}.{k}": v for k, v in out.items()}


def _encoder_arrays(weights: dict[str, np.ndarray], used: list[int], n_layers: int) -> dict[str, np.ndarray]:
    """The embedding rows of the pieces used (in first-seen order) and the first ``n_layers`` layers."""
    out = {"enc.embeddings.word_embeddings.weight": weights["embeddings.word_embeddings.weight"][used]}
    for key, value in weights.items():
        if key.startswith("embeddings.") and "word_embeddings" not in key:
            out[f"enc.{key}"] = value
        elif key.startswith("encoder.layer.") and int(key.split(".")[2]) < n_layers:
            out[f"enc.{key}"] = value
    return {k: v.astype(np.float16) for k, v in out.items()}


def pack(train: str, dev: str, cache: str, out: str, init: str, n_layers: int = ENCODER_LAYERS) -> dict:
    from safetensors.numpy import load_file

    from ..nlp import features as F
    from ..nlp.encoder import CLS_ID, SEP_ID, MiniLMEncoder, bundled_model_dir
    from .parse_cache import parsed_split
    from .train import DOC_DIMS, ROLE_DIMS, _sizes

    t0 = time.time()
    init_meta, init_arrays = read_model_file(init)
    if not init_meta.get("encoder") or init_meta["encoder"].get("tuned_layers"):
        raise SystemExit(f"{init} is not a frozen-encoder accurate model: fine-tuning starts from one (the "
                         "shipped file is already fine-tuned; docs/training.md builds the frozen one)")
    vocab = F.Vocab(init_meta["vocab"], frozenset({"word"}))
    reach = tuple(init_meta["window_reach"]) if init_meta.get("window_reach") else None
    encoder = MiniLMEncoder.load(window=init_meta["encoder"]["window"], stride=init_meta["encoder"]["stride"])
    emb_index: dict[int, int] = {CLS_ID: 0, SEP_ID: 1}
    arrays: dict[str, np.ndarray] = {}
    for name, split in (("train", train), ("dev", dev)):
        gold, docs = parsed_split(split, cache)
        arrays.update(_split_arrays(name, gold, docs, vocab, encoder, reach, emb_index))
        print(f"packed {name}: {len(docs)} documents ({time.time() - t0:.0f}s)", flush=True)
    used = sorted(emb_index, key=emb_index.get)
    arrays.update(_encoder_arrays(load_file(str(bundled_model_dir() / "model.safetensors")), used, n_layers))
    for key, value in init_arrays.items():
        if key.startswith(("cue.", "role.")):
            arrays[f"init.{key}"] = value
    meta = {
        "doc_sizes": _sizes(vocab, F.DOC_FEATURES), "doc_dims": [DOC_DIMS[n] for n in F.DOC_FEATURES],
        "role_sizes": _sizes(vocab, F.ROLE_FEATURES), "role_dims": [ROLE_DIMS[n] for n in F.ROLE_FEATURES],
        "tok2vec_width": int(init_meta["encoder"]["tok2vec_width"]), "read_layers": init_meta["encoder"]["layers"],
        "hidden": int(init_meta["hidden"]), "role_hidden": int(init_meta["role_hidden"]),
        "heads": encoder.heads, "eps": encoder.eps, "encoder_layers": n_layers,
        "vocab": vocab.tables, "init_version": init_meta["version"],
    }
    write_model_file(out, meta, arrays)
    print(f"wrote {out} ({Path(out).stat().st_size / 1e6:.1f} MB, {len(used)} word pieces) "
          f"in {time.time() - t0:.0f}s", flush=True)
    return meta


def join(taggers: str, layers: str, out: str, template: str = str(ACCURATE)) -> dict:
    """The accurate model file from the fine-tuned taggers and encoder layers, with ``template``'s settings
    (the layers stored as int8 differences from the published ones rounded to float16, the bundle's copies the
    trainer started from: ``nlp.encoder.encode_tuned``, header ``encoder.tuned_base``)."""
    from safetensors.numpy import load_file

    from ..nlp.encoder import bundled_model_dir, encode_tuned, tuned_base

    meta, arrays = read_model_file(template)
    tuned_meta, tuned = read_model_file(taggers)
    layer_meta, layer_arrays = read_model_file(layers)
    meta["vocab"] = tuned_meta["vocab"]
    for key, value in arrays.items():  # the blend partner must have a row for every id the taggers may see
        mine = tuned.get(key[len("blend."):])
        if key.startswith("blend.") and ".embs." in key and mine is not None and len(mine) > len(value):
            raise SystemExit(f"the fine-tuned vocabularies outgrow {template}'s blend partner ({key}): "
                             "merge the partner again (training.merge --blend) before joining")
    for key, value in tuned.items():
        if not key.startswith(("cue.", "role.")):
            continue
        if key.endswith("proj.weight"):
            value = _with_tok2vec_columns(value, tuned_meta, meta, key.split(".")[0])
        arrays[key] = value.astype(np.float16 if ".embs." in key else np.float32)
    for key in [k for k in arrays if k.startswith("encoder.")]:
        del arrays[key]
    # The trainer (and a soup) store int8 differences from the bundle's float16 copies of the published layers;
    # they are kept as they are, so the file holds the trained weights without a second rounding.
    if not any(k.endswith(".delta") for k in layer_arrays):  # a plain layer file, as the first trainer wrote
        base = tuned_base(load_file(str(bundled_model_dir() / "model.safetensors")), "float16")
        layer_arrays = encode_tuned(layer_arrays, base)
    arrays.update(layer_arrays)
    read = tuned_meta.get("read_layers", meta["encoder"]["layers"])
    if len(read) != len(meta["encoder"]["layers"]):
        raise SystemExit(f"the taggers read encoder layers {read}; {template}'s dense input has room for "
                         f"{len(meta['encoder']['layers'])}")
    meta["encoder"] = {**meta["encoder"], "layers": list(read), "tuned_layers": layer_meta["tuned_layers"],
                       "tuned_base": "float16"}
    meta["args"] = {"finetune": tuned_meta["args"], "from": tuned_meta.get("init_version", meta["version"])}
    meta["version"] = tuned_meta["version"]
    meta["dev_token_f1"] = tuned_meta["dev_token_f1"]
    write_model_file(out, meta, arrays)
    return meta


def _with_tok2vec_columns(proj: np.ndarray, tuned_meta: dict, meta: dict, tagger: str) -> np.ndarray:
    """The fine-tuned taggers read the discrete features' embeddings and the encoder only; the model file's
    dense input starts with the tok2vec vectors (the blend partner reads them), so zero columns go there."""
    width = int(meta["encoder"]["tok2vec_width"])
    first = int(tuned_meta["embedded_width"][tagger])
    if proj.shape[1] + width != meta["dense_width"] + first:
        raise SystemExit(f"{tagger} projection {proj.shape} does not fit the model's dense width {meta['dense_width']}")
    return np.concatenate([proj[:, :first], np.zeros((proj.shape[0], width), proj.dtype), proj[:, first:]], axis=1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack", help="write the training bundle")
    p.add_argument("--train", required=True)
    p.add_argument("--dev", required=True)
    p.add_argument("--cache", default=".cache/parsed")
    p.add_argument("--init", required=True, help="the frozen-encoder accurate model to start from")
    p.add_argument("--out", default=".finetune/bundle.npz")
    p.add_argument("--encoder-layers", type=int, default=ENCODER_LAYERS, choices=range(1, 7), metavar="N",
                   help="carry the encoder's first N layers (1-6; default %(default)s), so the trainer may read "
                        "and tune up to layer N")
    j = sub.add_parser("join", help="write the accurate model file from the trainer's output")
    j.add_argument("--taggers", required=True)
    j.add_argument("--layers", required=True)
    j.add_argument("--template", default=str(ACCURATE), help="the model file whose header and blend partner are kept")
    j.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if args.command == "pack":
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        pack(args.train, args.dev, args.cache, args.out, args.init, args.encoder_layers)
    else:
        meta = join(args.taggers, args.layers, args.out, args.template)
        print(json.dumps({k: meta[k] for k in ("version", "dev_token_f1")}))


if __name__ == "__main__":
    main()

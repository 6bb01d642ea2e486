"""Train the cue and role taggers on PolNeAR train, select on dev, export numpy weights.

    pip install -e '.[train]'
    python -m onrecord.training.train --train ../shared/data/polnear/train \\
        --dev ../shared/data/polnear/dev --out src/onrecord/nlp/model/attribution.npz

Needs PyTorch (CPU is enough: about 20 minutes on two cores).  The exported
file is plain numpy arrays plus a JSON header; inference never imports torch.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from ..nlp import features as F
from ..nlp.encoder import ENCODER_NAME, STRIDE, WEIGHTS_SHA256, WINDOW
from ..nlp.model import CUE_LABELS, ROLE_LABELS
from ..nlp.modelfile import read_model_file, write_model_file
from .data import Example, examples_for
from .parse_cache import parsed_split, tok2vec_tensors
from .torch_tagger import build_tagger

DOC_DIMS = {"word": 64, "prefix": 16, "suffix": 16, "shape": 8, "pos": 8, "tag": 16, "dep": 16, "ent": 8,
            "lex": 8, "quote": 4, "bound": 4, "rulecue": 4}
ROLE_DIMS = {"rel": 16, "branch": 16, "rulerole": 8, "para": 4}
FIXED_SIZES = {"prefix": F.N_AFFIX + 2, "suffix": F.N_AFFIX + 2, "shape": F.N_SHAPE + 2, "pos": 120, "lex": 10,
               "quote": 4, "bound": 4, "rulecue": 3, "rel": 20, "rulerole": 4, "para": 5}


def _sizes(vocab: F.Vocab, names: tuple[str, ...]) -> list[int]:
    return [vocab.size(n) if n in vocab.tables else FIXED_SIZES[n] for n in names]


def _batches(examples: list[Example], batch_size: int, shuffle: bool):
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].labels))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if shuffle:
        random.shuffle(batches)
    return batches


def _tensorise(torch, examples: list[Example], idx: list[int], word_dropout: float):
    seqs = [examples[i] for i in idx]
    T = max(len(e.labels) for e in seqs)
    K = seqs[0].feats.shape[1]
    ids = np.zeros((len(seqs), T, K), dtype=np.int64)
    labels = np.full((len(seqs), T), -100, dtype=np.int64)
    for b, e in enumerate(seqs):
        ids[b, : len(e.labels)] = e.feats
        labels[b, : len(e.labels)] = e.labels
    if word_dropout:
        drop = (np.random.random(ids.shape[:2]) < word_dropout) & (ids[:, :, 0] > 1)
        ids[:, :, 0][drop] = 1
    lengths = torch.tensor([len(e.labels) for e in seqs])
    vec = None
    if seqs[0].dense is not None:
        dense = np.zeros((len(seqs), T, seqs[0].dense.shape[1]), dtype=np.float32)
        for b, e in enumerate(seqs):
            dense[b, : len(e.labels)] = e.dense
        vec = torch.from_numpy(dense)
    return torch.from_numpy(ids), torch.from_numpy(labels), lengths, vec


def _span_f1(torch, model, examples: list[Example], labels: tuple[str, ...]) -> float:
    """Token-level F1 of non-O labels (a quick selection signal; the real score is the PolNeAR scorer)."""
    model.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for idx in _batches(examples, 64, False):
            ids, gold, lengths, vec = _tensorise(torch, examples, idx, 0.0)
            pred = model(ids, lengths, vec).argmax(-1)
            valid = gold != -100
            p, g = (pred > 0) & valid, (gold > 0) & valid
            tp += int(((pred == gold) & p & g).sum())
            fp += int((p & ~((pred == gold) & g)).sum())
            fn += int((g & ~((pred == gold) & p)).sum())
    model.train()
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def warm_start(torch, model, prefix: str, init: dict[str, np.ndarray]) -> None:
    """Start from a trained model's tagger (``--init``): its weights where the shapes agree; embedding rows
    of ids it did not have and projection columns of inputs it did not read (the encoder's) keep their
    fresh values, the new columns at zero, so training starts from the trained model's exact scores."""
    state = model.state_dict()
    with torch.no_grad():
        for key, value in state.items():
            old = init.get(f"{prefix}.{key}")
            if old is None:
                raise SystemExit(f"--init has no {prefix}.{key}")
            old = torch.from_numpy(old.astype(np.float32))
            if key == "proj.weight":
                if old.shape[0] != value.shape[0] or old.shape[1] > value.shape[1]:
                    raise SystemExit(f"--init's {prefix} projection {tuple(old.shape)} does not fit {tuple(value.shape)}")
                value.zero_()
                value[:, : old.shape[1]] = old
            elif key.startswith("embs.") and old.shape[0] <= value.shape[0] and old.shape[1:] == value.shape[1:]:
                value[: old.shape[0]] = old
            elif old.shape == value.shape:
                value.copy_(old)
            else:
                raise SystemExit(f"--init's {prefix}.{key} {tuple(old.shape)} does not fit {tuple(value.shape)}")


def train_tagger(torch, name: str, train: list[Example], dev: list[Example], sizes, dims, n_labels, args,
                 init: dict[str, np.ndarray] | None = None, on_best=None):
    dense = train[0].dense.shape[1] if train[0].dense is not None else 0
    hidden = args.role_hidden if name == "role" and args.role_hidden else args.hidden
    model = build_tagger(torch, sizes, dims, n_labels, hidden, args.layers, args.dropout, dense)
    if init is not None:
        warm_start(torch, model, name, init)
    if name not in args.taggers:  # kept as --init has it (its new inputs at zero weight)
        print(f"[{name}] not trained: taken from --init", flush=True)
        return model, float("nan")
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best, best_state = -1.0, None
    labels = CUE_LABELS if name == "cue" else ROLE_LABELS
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        total = 0.0
        for idx in _batches(train, args.batch_size, True):
            ids, gold, lengths, vec = _tensorise(torch, train, idx, args.word_dropout)
            scores = model(ids, lengths, vec)
            loss = loss_fn(scores.reshape(-1, n_labels), gold.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss.detach()) * len(idx)
        sched.step()
        f1 = _span_f1(torch, model, dev, labels)
        print(f"[{name}] epoch {epoch}: loss {total / len(train):.4f} dev token-F1 {100 * f1:.2f} "
              f"({time.time() - start:.0f}s)", flush=True)
        if f1 > best:
            best = f1
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            if on_best is not None:
                on_best(model, f1)
    model.load_state_dict(best_state)
    print(f"[{name}] best dev token-F1 {100 * best:.2f}", flush=True)
    return model, best


def _side_by_side(tok2vec: list[np.ndarray] | None, encoder: list[np.ndarray]) -> list[np.ndarray]:
    """Each document's dense input, float16 to halve the memory (batches are built in float32)."""
    if tok2vec is None:
        return encoder
    return [np.concatenate([t.astype(np.float16), e.astype(np.float16)], axis=1) for t, e in zip(tok2vec, encoder)]


def collect(gold, docs, vocab: F.Vocab, grow: bool, tensors=None, reach=None):
    cue, role = [], []
    for k, (g, d) in enumerate(zip(gold, docs)):
        c, r = examples_for(d, g, vocab, grow=grow, tensor=None if tensors is None else tensors[k], reach=reach)
        cue.extend(c)
        role.extend(r)
    return cue, role


def main(argv: list[str] | None = None) -> None:
    import torch

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True, help="PolNeAR train split folder")
    ap.add_argument("--dev", required=True, help="PolNeAR dev split folder (model selection)")
    ap.add_argument("--out", required=True, help="where to write the .npz model")
    ap.add_argument("--cache", default=".cache/parsed", help="where parsed splits are cached")
    ap.add_argument("--base", default=None, help="spaCy base pipeline (default: the pinned one)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--cue-epochs", type=int, default=None)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--role-hidden", type=int, default=None, help="role tagger width (default: --hidden)")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--dropout", type=float, default=0.25)
    ap.add_argument("--word-dropout", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--min-word-count", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reach", type=int, nargs=2, default=None, metavar=("BEFORE", "AFTER"),
                    help="role tagger window: at most this many tokens before and after the cue")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N train documents (smoke tests)")
    ap.add_argument("--no-dense", action="store_true", help="do not use the base pipeline's tok2vec vectors")
    ap.add_argument("--init", default=None, help="start from this trained model's weights and vocabularies "
                    "(same widths); the accurate tier starts from the default model")
    ap.add_argument("--taggers", nargs="+", choices=("cue", "role"), default=["cue", "role"],
                    help="train only these; the other is --init's (two processes can train one each, "
                         "then onrecord.training.merge joins them)")
    ap.add_argument("--encoder-layers", type=int, nargs="+", default=None, metavar="K",
                    help="the accurate tier: also read these hidden layers (1-4) of the MiniLM encoder, frozen "
                         "(cached under --cache by onrecord.training.encoder_cache)")
    args = ap.parse_args(argv)

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    t0 = time.time()
    train_gold, train_docs = parsed_split(args.train, args.cache, args.base)
    dev_gold, dev_docs = parsed_split(args.dev, args.cache, args.base)
    train_enc = dev_enc = None
    if args.encoder_layers:
        from .encoder_cache import encoder_features

        layers = tuple(args.encoder_layers)
        train_enc = encoder_features(train_gold, train_docs, args.cache, Path(args.train).name, layers, threads=args.threads)
        dev_enc = encoder_features(dev_gold, dev_docs, args.cache, Path(args.dev).name, layers, threads=args.threads)
        print(f"encoder vectors ready ({time.time() - t0:.0f}s)", flush=True)
    if args.limit:
        train_gold, train_docs = train_gold[: args.limit], train_docs[: args.limit]
        train_enc = train_enc[: args.limit] if train_enc is not None else None
    print(f"parsed {len(train_docs)} train / {len(dev_docs)} dev documents ({time.time() - t0:.0f}s)", flush=True)

    init = None
    if args.init:
        init_meta, init = read_model_file(args.init)
        vocab = F.Vocab(init_meta["vocab"], frozenset({"word"}))
    else:
        counts = Counter(t.lower_ for d in train_docs for t in d)
        vocab = F.Vocab.empty()
        for word, n in counts.most_common():
            if n >= args.min_word_count:
                vocab.id("word", word, grow=True)
        vocab.frozen = frozenset({"word"})
    train_vec = dev_vec = None
    if not args.no_dense:
        train_vec = tok2vec_tensors(train_gold, args.cache, args.base)
        dev_vec = tok2vec_tensors(dev_gold, args.cache, args.base)
        print(f"tok2vec vectors ready ({time.time() - t0:.0f}s)", flush=True)
    tok2vec_width = 0 if args.no_dense else int(train_vec[0].shape[1])
    use_encoder = train_enc is not None
    if use_encoder:  # tok2vec first, then the encoder's layers: the order EncoderVectors builds
        train_vec = _side_by_side(train_vec, train_enc)
        dev_vec = _side_by_side(dev_vec, dev_enc)
        train_enc = dev_enc = None  # only the side-by-side copies stay in memory
    reach = tuple(args.reach) if args.reach else None
    cue_train, role_train = collect(train_gold, train_docs, vocab, grow=True, tensors=train_vec, reach=reach)
    cue_dev, role_dev = collect(dev_gold, dev_docs, vocab, grow=False, tensors=dev_vec, reach=reach)
    print(f"examples: cue {len(cue_train)}/{len(cue_dev)}, role {len(role_train)}/{len(role_dev)}; "
          f"{vocab.size('word')} words", flush=True)

    doc_sizes = _sizes(vocab, F.DOC_FEATURES)
    role_sizes = doc_sizes + _sizes(vocab, F.ROLE_FEATURES)
    doc_dims = [DOC_DIMS[n] for n in F.DOC_FEATURES]
    role_dims = doc_dims + [ROLE_DIMS[n] for n in F.ROLE_FEATURES]

    def export(models: dict) -> None:
        """Write the model file; when one tagger is trained (--taggers), after every epoch that improves dev
        (a run stopped early keeps its best epoch so far)."""
        arrays: dict[str, np.ndarray] = {}
        for prefix in ("cue", "role"):
            for k, v in models[prefix][0].state_dict().items():
                arrays[f"{prefix}.{k}"] = v.detach().cpu().numpy().astype(np.float16 if "embs" in k else np.float32)
        meta = {
            "version": f"polnear-bilstm-{date.today().isoformat()}",
            "layers": args.layers,
            "dense_width": 0 if train_vec is None else int(train_vec[0].shape[1]),
            "encoder": None if not use_encoder else {
                "name": ENCODER_NAME, "layers": list(args.encoder_layers), "window": WINDOW, "stride": STRIDE,
                "tok2vec_width": tok2vec_width, "weights_sha256": WEIGHTS_SHA256},
            "window_reach": list(reach) if reach else None,
            "hidden": args.hidden,
            "role_hidden": args.role_hidden or args.hidden,
            "doc_features": list(F.DOC_FEATURES),
            "role_features": list(F.ROLE_FEATURES),
            "vocab": vocab.tables,
            "dev_token_f1": {p: round(100 * models[p][1], 2) for p in ("cue", "role")},
            "trained_on": str(args.train),
            "args": {k: v for k, v in vars(args).items() if k not in ("train", "dev", "out", "cache")},
        }
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_model_file(out, meta, arrays)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f}s", flush=True)

    specs = {"cue": (cue_train, cue_dev, doc_sizes, doc_dims, len(CUE_LABELS), args.cue_epochs or args.epochs),
             "role": (role_train, role_dev, role_sizes, role_dims, len(ROLE_LABELS), args.epochs)}
    models: dict = {}
    order = [n for n in ("cue", "role") if n not in args.taggers] + [n for n in ("cue", "role") if n in args.taggers]
    for name in order:
        train_ex, dev_ex, sizes, dims, n_labels, n_epochs = specs[name]
        on_best = None
        if len(models) == 1:  # the other tagger is ready (--init's, or not trained): checkpoint every better epoch
            on_best = lambda model, f1, name=name: export({**models, name: (model, f1)})  # noqa: E731
        models[name] = train_tagger(torch, name, train_ex, dev_ex, sizes, dims, n_labels,
                                    argparse.Namespace(**{**vars(args), "epochs": n_epochs}), init, on_best)
    export(models)


if __name__ == "__main__":
    main()

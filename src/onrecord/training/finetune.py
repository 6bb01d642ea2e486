"""Fine-tune the accurate tier: the MiniLM encoder's first layers and both taggers, trained together.

    PYTHONPATH=src python3 -m onrecord.training.finetune .finetune/bundle.npz --out OUT --tune-layers 1 2 3 4

Reads the bundle that ``onrecord.training.finetune_bundle pack`` writes and needs PyTorch and numpy only (it
imports no spaCy: the checkout's ``src`` on the path is enough, no install), so it runs on a GPU machine: there
an epoch over PolNeAR train takes seconds.  Each step encodes a few whole documents in the run-time windows (``onrecord.nlp.encoder``), averages
each token's word pieces, and trains the cue tagger on the documents' paragraphs and the role tagger on their
cue windows; the encoder's tuned layers learn from both taggers' losses.  The taggers start from the accurate
model's (their tok2vec input columns dropped: the fine-tuned encoder stands in for them).  ``--read-layers``
chooses which layers' states the taggers read (the bundle's, those of the model it was packed from, by default;
``pack --encoder-layers`` carries more).  With ``--ema``, an exponential moving average of the weights is what is
evaluated and written.  ``--start PREFIX`` begins from a finished run or soup instead of the bundle's taggers;
``--tune-layers`` with no layer trains the taggers alone, on vectors computed once per document (CPU-sized).
After every epoch that improves the dev token-F1 (mean of the two taggers'), ``OUT-taggers.npz`` and
``OUT-layers.npz`` (the tuned layers as int8 differences from the bundle's weights, ``nlp.encoder.encode_tuned``)
are written; ``finetune_bundle join`` makes the model file of them.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from contextlib import contextmanager
from datetime import date

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..nlp.encoder import decode_tuned, encode_tuned
from ..nlp.modelfile import read_model_file, write_model_file
from .torch_tagger import build_tagger

N_CUE, N_ROLE = 3, 5


class Layer(nn.Module):
    """One BERT layer (post-LayerNorm, exact GELU), as ``MiniLMEncoder.forward`` computes it."""

    def __init__(self, hidden: int, heads: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=eps)
        self.inter = nn.Linear(hidden, 4 * hidden)
        self.out = nn.Linear(4 * hidden, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=eps)

    NAMES = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
             "attn_out": "attention.output.dense", "ln1": "attention.output.LayerNorm",
             "inter": "intermediate.dense", "out": "output.dense", "ln2": "output.LayerNorm"}

    def load(self, arrays: dict[str, np.ndarray], prefix: str) -> None:
        with torch.no_grad():
            for mine, theirs in self.NAMES.items():
                module = getattr(self, mine)
                module.weight.copy_(torch.from_numpy(arrays[f"{prefix}{theirs}.weight"].astype(np.float32)))
                module.bias.copy_(torch.from_numpy(arrays[f"{prefix}{theirs}.bias"].astype(np.float32)))

    def export(self, prefix: str) -> dict[str, np.ndarray]:
        out = {}
        for mine, theirs in self.NAMES.items():
            module = getattr(self, mine)
            out[f"{prefix}{theirs}.weight"] = module.weight.detach().cpu().numpy().astype(np.float32)
            out[f"{prefix}{theirs}.bias"] = module.bias.detach().cpu().numpy().astype(np.float32)
        return out

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        B, T, H = x.shape
        nh = self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(B, T, nh, H // nh).transpose(1, 2)

        p = self.dropout if self.training else 0.0
        ctx = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)), split(self.value(x)),
                                             attn_mask=mask, dropout_p=p)
        ctx = ctx.transpose(1, 2).reshape(B, T, H)
        x = self.ln1(x + F.dropout(self.attn_out(ctx), p, self.training))
        return self.ln2(x + F.dropout(self.out(F.gelu(self.inter(x))), p, self.training))


class Encoder(nn.Module):
    def __init__(self, meta: dict, arrays: dict[str, np.ndarray], tune: set[int], dropout: float) -> None:
        super().__init__()

        def t(name: str) -> torch.Tensor:
            return torch.from_numpy(arrays[f"enc.embeddings.{name}"].astype(np.float32))

        self.register_buffer("word", t("word_embeddings.weight"))
        self.register_buffer("pos", t("position_embeddings.weight"))
        self.register_buffer("type0", t("token_type_embeddings.weight")[0])
        self.emb_ln = nn.LayerNorm(self.word.shape[1], eps=meta["eps"])
        with torch.no_grad():
            self.emb_ln.weight.copy_(t("LayerNorm.weight"))
            self.emb_ln.bias.copy_(t("LayerNorm.bias"))
        self.emb_ln.requires_grad_(False)
        self.layers = nn.ModuleList()
        for k in range(meta["encoder_layers"]):
            layer = Layer(self.word.shape[1], meta["heads"], meta["eps"], dropout)
            layer.load(arrays, f"enc.encoder.layer.{k}.")
            layer.requires_grad_(k + 1 in tune)
            self.layers.append(layer)
        self.read = [int(k) for k in meta["read_layers"]]

    def forward(self, rows: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """(W, T) compact piece ids → (W, T, len(read) * H): the read layers' states side by side."""
        T = rows.shape[1]
        x = self.emb_ln(self.word[rows] + self.pos[:T][None] + self.type0)
        mask = (torch.arange(T, device=rows.device)[None, :] < lengths[:, None])[:, None, None, :]
        states = {}
        for k, layer in enumerate(self.layers[: max(self.read)], start=1):
            x = layer(x, mask)
            if k in self.read:
                states[k] = x
        return torch.cat([states[k] for k in self.read], dim=-1)


def warm_start(tagger: nn.Module, arrays: dict[str, np.ndarray], prefix: str, skip: tuple[int, int]) -> None:
    """The accurate model's tagger weights; the projection's columns ``skip`` (its tok2vec input) are dropped,
    and embedding tables keep their rows for ids the bundle's vocabularies added."""
    with torch.no_grad():
        for key, value in tagger.state_dict().items():
            old = torch.from_numpy(arrays[f"{prefix}.{key}"].astype(np.float32))
            if key == "proj.weight":
                old = torch.cat([old[:, : skip[0]], old[:, skip[1]:]], dim=1)
            if key.startswith("embs."):
                value[: min(len(old), len(value))] = old[: len(value)]
            elif old.shape == value.shape:
                value.copy_(old)
            else:
                raise SystemExit(f"{prefix}.{key}: {tuple(old.shape)} does not fit {tuple(value.shape)}")


class Split:
    """One split of the bundle, on the device, with each document's windows, pieces, chunks and cue windows."""

    def __init__(self, name: str, arrays: dict[str, np.ndarray], device: torch.device, limit: int = 0) -> None:
        a = {k[len(name) + 1:]: v for k, v in arrays.items() if k.startswith(name + ".")}
        self.name, self.a = name, a
        n_docs = len(a["doc_tokens"]) if not limit else min(limit, len(a["doc_tokens"]))
        self.docs = list(range(n_docs))
        self.tok_off = np.concatenate([[0], np.cumsum(a["doc_tokens"])])
        self.piece_off = np.concatenate([[0], np.cumsum(a["doc_pieces"])])
        self.win_off = np.searchsorted(a["win_doc"], np.arange(len(a["doc_tokens"]) + 1))
        self.chunk_off = np.searchsorted(a["chunk_doc"], np.arange(len(a["doc_tokens"]) + 1))
        self.role_off = np.searchsorted(a["role_doc"], np.arange(len(a["doc_tokens"]) + 1))
        self.role_feat_off = np.concatenate([[0], np.cumsum(a["role_len"])])
        self.feats = torch.from_numpy(a["feats"].astype(np.int64)).to(device)
        self.cue_labels = torch.from_numpy(a["cue_labels"].astype(np.int64)).to(device)
        self.role_feats = torch.from_numpy(a["role_feats"].astype(np.int64)).to(device)
        self.role_labels = torch.from_numpy(a["role_labels"].astype(np.int64)).to(device)
        self.device = device

    def batches(self, docs_per_batch: int, shuffle: bool) -> list[list[int]]:
        docs = list(self.docs)
        if shuffle:
            random.shuffle(docs)
        return [docs[i : i + docs_per_batch] for i in range(0, len(docs), docs_per_batch)]

    def encoder_input(self, docs: list[int], cls: int, sep: int):
        """Window rows of the documents, and for each of their pieces (window row, position, batch token)."""
        a = self.a
        wins = np.concatenate([np.arange(self.win_off[d], self.win_off[d + 1]) for d in docs])
        lengths = a["win_len"][wins] + 2
        rows = np.zeros((len(wins), int(lengths.max())), dtype=np.int64)
        for r, w in enumerate(wins):
            s, n = a["win_start"][w], a["win_len"][w]
            rows[r, 0], rows[r, n + 1] = cls, sep
            rows[r, 1 : n + 1] = a["pieces"][s : s + n]
        pieces = np.concatenate([np.arange(self.piece_off[d], self.piece_off[d + 1]) for d in docs])
        row_of = np.full(len(a["win_len"]), -1, dtype=np.int64)
        row_of[wins] = np.arange(len(wins))
        pw = a["piece_win"][pieces]
        pos = 1 + pieces - a["win_start"][pw]
        tokens, local = self.token_index(docs)
        dev = self.device
        return (torch.from_numpy(rows).to(dev), torch.from_numpy(lengths).to(dev),
                torch.from_numpy(row_of[pw]).to(dev), torch.from_numpy(pos).to(dev),
                torch.from_numpy(local[a["piece_owner"][pieces]]).to(dev), tokens, local)

    def token_index(self, docs: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The documents' tokens (split-wide ids) in batch order, and each split token's batch position (-1)."""
        tokens = np.concatenate([np.arange(self.tok_off[d], self.tok_off[d + 1]) for d in docs])
        local = np.full(self.tok_off[-1], -1, dtype=np.int64)
        local[tokens] = np.arange(len(tokens))
        return tokens, local

    def sequences(self, kind: str, docs: list[int], local: np.ndarray):
        """Padded (global token, batch token, extra-feature row) index matrices of the cue chunks or cue windows."""
        a = self.a
        if kind == "cue":
            idx = np.concatenate([np.arange(self.chunk_off[d], self.chunk_off[d + 1]) for d in docs])
            starts, lens = a["chunks"][idx, 0], a["chunks"][idx, 1]
            extra = None
        else:
            idx = np.concatenate([np.arange(self.role_off[d], self.role_off[d + 1]) for d in docs])
            starts, lens = a["role_start"][idx], a["role_len"][idx]
            extra = self.role_feat_off[idx]
        if len(idx) == 0:
            return None
        T = int(lens.max())
        steps = np.arange(T)[None, :]
        valid = steps < lens[:, None]
        glob = np.where(valid, starts[:, None] + steps, 0)
        out = [torch.from_numpy(glob).to(self.device), torch.from_numpy(np.where(valid, local[glob], 0)).to(self.device),
               torch.from_numpy(valid).to(self.device), torch.from_numpy(lens.astype(np.int64))]
        out.append(None if extra is None else torch.from_numpy(np.where(valid, extra[:, None] + steps, 0)).to(self.device))
        return out


class Averaged:
    """An exponential moving average of the trained parameters, evaluated and written in their place.  It
    smooths dev token-F1's swings from epoch to epoch (half a point without it); on PolNeAR dev it did not beat
    the plain weights (bench/RESULTS.md, the accurate tier's fourth pass), so it is off by default."""

    def __init__(self, params: list[torch.Tensor], decay: float) -> None:
        self.params, self.decay = params, decay
        self.shadow = [p.detach().clone() for p in params]

    def update(self) -> None:
        with torch.no_grad():
            for s, p in zip(self.shadow, self.params):
                s.lerp_(p.detach(), 1.0 - self.decay)

    @contextmanager
    def swapped_in(self):
        saved = [p.detach().clone() for p in self.params]
        with torch.no_grad():
            for p, s in zip(self.params, self.shadow):
                p.copy_(s)
        try:
            yield
        finally:
            with torch.no_grad():
                for p, s in zip(self.params, saved):
                    p.copy_(s)


def check_layers(meta: dict, args) -> dict:
    """The bundle's header with the layers the taggers read; a clear stop when the bundle lacks them."""
    read = list(args.read_layers or meta["read_layers"])
    if max(read) > meta["encoder_layers"] or min(read) < 1:
        raise SystemExit(f"the bundle carries encoder layers 1-{meta['encoder_layers']}, not {read}: pack it "
                         "again with --encoder-layers")
    if len(read) != len(meta["read_layers"]):
        raise SystemExit(f"the taggers read {len(meta['read_layers'])} layers side by side, not {len(read)}")
    if not set(args.tune_layers) <= set(range(1, max(read) + 1)):
        raise SystemExit(f"--tune-layers {args.tune_layers}: only layers up to {max(read)} are run")
    return {**meta, "read_layers": read}


class Model(nn.Module):
    def __init__(self, meta, arrays, args) -> None:
        super().__init__()
        self.encoder = Encoder(meta, arrays, set(args.tune_layers), args.encoder_dropout)
        # The bundle's weights of the layers written (the tuned ones, and those a --start run tuned): their
        # differences from these are what is written.
        self.base: dict[str, np.ndarray] = {}
        self.keep_base(arrays, args.tune_layers)
        # With no layer tuned, a document's vectors never change: computed once (dropout off), then reused.
        self.frozen = not args.tune_layers
        self.cached: dict[tuple[str, int], torch.Tensor] = {}
        dense = len(meta["read_layers"]) * self.encoder.word.shape[1]
        cue_w, role_w = sum(meta["doc_dims"]), sum(meta["doc_dims"]) + sum(meta["role_dims"])
        self.embedded = {"cue": cue_w, "role": role_w}
        self.cue = build_tagger(torch, meta["doc_sizes"], meta["doc_dims"], N_CUE, meta["hidden"], 1, args.dropout,
                                dense)
        self.role = build_tagger(torch, meta["doc_sizes"] + meta["role_sizes"], meta["doc_dims"] + meta["role_dims"],
                                 N_ROLE, meta["role_hidden"], 1, args.dropout, dense)
        t2v = meta["tok2vec_width"]
        if not args.from_scratch:
            warm_start(self.cue, arrays, "init.cue", (cue_w, cue_w + t2v))
            warm_start(self.role, arrays, "init.role", (role_w, role_w + t2v))
        self.cls, self.sep = 0, 1  # the bundle's compact ids of [CLS] and [SEP]

    def keep_base(self, arrays: dict[str, np.ndarray], layers: list[int]) -> None:
        wanted = set(layers)
        self.base.update({k[len("enc."):]: v for k, v in arrays.items()
                          if k.startswith("enc.encoder.layer.") and int(k.split(".")[3]) + 1 in wanted})

    def written_layers(self) -> list[int]:
        return sorted({int(k.split(".")[2]) + 1 for k in self.base})

    def token_vectors(self, split: Split, docs: list[int]):
        if not self.frozen:
            return self.encoded(split, docs)
        missing = [d for d in docs if (split.name, d) not in self.cached]
        if missing:
            mode = self.encoder.training
            self.encoder.eval()
            with torch.no_grad():
                for d in missing:
                    self.cached[split.name, d] = self.encoded(split, [d])[0]
            self.encoder.train(mode)
        return torch.cat([self.cached[split.name, d] for d in docs]), split.token_index(docs)[1]

    def encoded(self, split: Split, docs: list[int]):
        rows, lengths, row, pos, tok, tokens, local = split.encoder_input(docs, self.cls, self.sep)
        states = self.encoder(rows, lengths)[row, pos]
        vec = torch.zeros(len(tokens), states.shape[1], device=states.device)
        vec.index_add_(0, tok, states)
        counts = torch.zeros(len(tokens), device=states.device).index_add_(0, tok, torch.ones_like(tok, dtype=vec.dtype))
        return vec / counts.clamp(min=1.0)[:, None], local

    def scores(self, split: Split, docs: list[int], word_dropout: float = 0.0):
        vec, local = self.token_vectors(split, docs)
        out = {}
        for kind, tagger in (("cue", self.cue), ("role", self.role)):
            seq = split.sequences(kind, docs, local)
            if seq is None:
                continue
            glob, loc, valid, lengths, extra = seq
            ids = split.feats[glob]
            if extra is not None:
                ids = torch.cat([ids, split.role_feats[extra]], dim=-1)
                gold = split.role_labels[extra]
            else:
                gold = split.cue_labels[glob]
            if word_dropout and self.training:
                drop = (torch.rand(ids.shape[:2], device=ids.device) < word_dropout) & (ids[..., 0] > 1)
                ids = ids.clone()
                ids[..., 0][drop] = 1
            ids = ids * valid[..., None]
            gold = torch.where(valid, gold, torch.full_like(gold, -100))
            out[kind] = (tagger(ids, lengths, vec[loc] * valid[..., None]), gold)
        return out


def trained_model(bundle_meta: dict, bundle: dict[str, np.ndarray], read_layers: list[int] | None,
                  tuned: list[int], layers: dict[str, np.ndarray], taggers: dict[str, np.ndarray]) -> Model:
    """A run's model as its trainer had it, in eval mode: the bundle's start with the run's tuned ``layers``
    (plain, or the trainer's int8 differences from the bundle's) and its ``taggers`` in place."""
    settings = argparse.Namespace(tune_layers=tuned, read_layers=read_layers, encoder_dropout=0.0, dropout=0.0,
                                  from_scratch=True)
    model = Model(check_layers(bundle_meta, settings), bundle, settings).eval()
    load_run(model, bundle, tuned, layers, taggers)
    return model


def load_run(model: Model, bundle: dict[str, np.ndarray], tuned: list[int], layers: dict[str, np.ndarray],
             taggers: dict[str, np.ndarray]) -> None:
    """Put a run's tuned ``layers`` (plain, or the trainer's int8 differences from the bundle's) and its
    ``taggers`` into ``model``; those layers are then written with the model's own."""
    model.keep_base(bundle, tuned)
    if any(k.endswith(".delta") for k in layers):
        layers = decode_tuned(layers, model.base)
    for k in tuned:
        model.encoder.layers[k - 1].load(layers, f"encoder.layer.{k - 1}.")
    for name in ("cue", "role"):
        tagger = getattr(model, name)
        state = {k[len(name) + 1:]: torch.from_numpy(v.astype(np.float32)) for k, v in taggers.items()
                 if k.startswith(name + ".")}
        if {k: tuple(v.shape) for k, v in state.items()} != {k: tuple(v.shape) for k, v in tagger.state_dict().items()}:
            raise SystemExit(f"the run's {name} tagger does not fit this bundle's (other vocabularies or widths)")
        tagger.load_state_dict(state)


def start_run(model: Model, bundle: dict[str, np.ndarray], prefix: str, read_layers: list[int]) -> None:
    """``--start PREFIX``: begin from a finished run (or a soup), PREFIX-taggers.npz and PREFIX-layers.npz."""
    try:
        tagger_meta, taggers = read_model_file(f"{prefix}-taggers.npz")
        layer_meta, layers = read_model_file(f"{prefix}-layers.npz")
    except (OSError, ValueError) as err:
        raise SystemExit(f"--start {prefix}: {err} (expected the files a run or training.soup writes)")
    if list(tagger_meta.get("read_layers") or read_layers) != list(read_layers):
        raise SystemExit(f"--start {prefix}: its taggers read layers {tagger_meta['read_layers']}, not {read_layers}")
    load_run(model, bundle, list(layer_meta["tuned_layers"]), layers, taggers)


def token_f1(counts: list[int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(model: Model, split: Split) -> dict[str, float]:
    """Token-level F1 of the non-O labels per tagger (``onrecord.training.train``'s selection signal)."""
    model.eval()
    counts = {"cue": [0, 0, 0], "role": [0, 0, 0]}
    with torch.no_grad():
        for docs in split.batches(16, False):
            for kind, (scores, gold) in model.scores(split, docs).items():
                pred = scores.argmax(-1)
                ok = gold != -100
                p, g, same = (pred > 0) & ok, (gold > 0) & ok, pred == gold
                c = counts[kind]
                c[0] += int((same & p & g).sum())
                c[1] += int((p & ~(same & g)).sum())
                c[2] += int((g & ~(same & p)).sum())
    model.train()
    return {k: token_f1(v) for k, v in counts.items()}


def export(model: Model, meta: dict, args, f1: dict[str, float], epoch: int) -> None:
    taggers = {}
    for name in ("cue", "role"):
        for k, v in getattr(model, name).state_dict().items():
            taggers[f"{name}.{k}"] = v.detach().cpu().numpy().astype(np.float16 if "embs" in k else np.float32)
    header = {"version": f"polnear-minilm-finetuned-{date.today().isoformat()}", "vocab": meta["vocab"],
              "embedded_width": model.embedded, "dev_token_f1": {k: round(100 * v, 2) for k, v in f1.items()},
              "epoch": epoch, "args": {k: v for k, v in vars(args).items() if k not in ("bundle", "out")},
              "init_version": meta["init_version"], "read_layers": meta["read_layers"]}
    write_model_file(f"{args.out}-taggers.npz", header, taggers)
    layers = {}
    for k in model.written_layers():
        layers.update(model.encoder.layers[k - 1].export(f"encoder.layer.{k - 1}."))
    write_model_file(f"{args.out}-layers.npz", {"tuned_layers": model.written_layers(), "epoch": epoch},
                     encode_tuned(layers, model.base))


def train(args) -> None:
    t0 = time.time()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    device = torch.device(args.device)
    meta, arrays = read_model_file(args.bundle)
    meta = check_layers(meta, args)
    train_split = Split("train", arrays, device, args.limit)
    dev_split = Split("dev", arrays, device, args.limit)
    model = Model(meta, arrays, args)
    if args.start:
        start_run(model, arrays, args.start, meta["read_layers"])
    model = model.to(device)
    del arrays
    enc_params = [p for p in model.encoder.parameters() if p.requires_grad]
    tag_params = list(model.cue.parameters()) + list(model.role.parameters())
    opt = torch.optim.AdamW([{"params": enc_params, "lr": args.encoder_lr, "weight_decay": 0.01},
                             {"params": tag_params, "lr": args.lr, "weight_decay": 0.0}])
    per_epoch = math.ceil(len(train_split.docs) / args.docs_per_batch)
    # The learning rates warm up, then fall linearly to zero at the last epoch; with a --deadline, the number
    # of epochs is fixed after the first one, by its time, so the schedule ends when the time does.
    plan = {"epochs": args.epochs}

    def rate(step: int) -> float:
        steps = plan["epochs"] * per_epoch
        warm = max(1, int(0.06 * steps))
        return min((step + 1) / warm, max(0.0, (steps - step) / max(1, steps - warm)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, rate)
    averaged = Averaged(enc_params + tag_params, args.ema) if args.ema else None
    start_f1 = evaluate(model, dev_split)
    print(f"start: dev token-F1 cue {100 * start_f1['cue']:.2f} role {100 * start_f1['role']:.2f} "
          f"({time.time() - t0:.0f}s)", flush=True)
    best, epoch = -1.0, 0
    while epoch < plan["epochs"]:
        epoch += 1
        e0 = time.time()
        total = 0.0
        for docs in train_split.batches(args.docs_per_batch, True):
            out = model.scores(train_split, docs, args.word_dropout)
            loss = sum(F.cross_entropy(s.reshape(-1, s.shape[-1]), g.reshape(-1), ignore_index=-100)
                       for s, g in out.values())
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc_params + tag_params, 5.0)
            opt.step()
            sched.step()
            if averaged:
                averaged.update()
            total += float(loss.detach())
        f1 = evaluate(model, dev_split)
        if averaged:
            print(f"  (without the average: cue {100 * f1['cue']:.2f} role {100 * f1['role']:.2f})", flush=True)
            with averaged.swapped_in():
                f1 = evaluate(model, dev_split)
        mean = (f1["cue"] + f1["role"]) / 2
        last_epoch = time.time() - e0
        print(f"epoch {epoch}/{plan['epochs']}: loss {total:.1f} dev token-F1 cue {100 * f1['cue']:.2f} "
              f"role {100 * f1['role']:.2f} ({last_epoch:.0f}s, {time.time() - t0:.0f}s in all)", flush=True)
        if epoch == 1 and args.deadline:
            fit = 1 + int((args.deadline - (time.time() - t0)) / (last_epoch * 1.1))
            plan["epochs"] = max(1, min(args.epochs, fit))
            print(f"  {plan['epochs']} epochs fit the deadline ({args.deadline:.0f}s)", flush=True)
        if mean > best:
            best = mean
            if averaged:
                with averaged.swapped_in():
                    export(model, meta, args, f1, epoch)
            else:
                export(model, meta, args, f1, epoch)
            print(f"  wrote {args.out}-taggers.npz / -layers.npz", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle", help="the file finetune_bundle pack wrote")
    ap.add_argument("--out", required=True, help="prefix of the two output files")
    ap.add_argument("--tune-layers", type=int, nargs="*", default=[1, 2, 3, 4],
                    help="encoder layers trained (none: the taggers alone, on vectors computed once)")
    ap.add_argument("--start", metavar="PREFIX", help="begin from a finished run or soup (PREFIX-taggers.npz and "
                    "PREFIX-layers.npz) instead of the bundle's taggers and encoder")
    ap.add_argument("--read-layers", type=int, nargs="+", help="encoder layers the taggers read (default: the "
                    "bundle's model's, e.g. 3 4); as many as it reads")
    ap.add_argument("--ema", type=float, default=0.0, metavar="DECAY",
                    help="evaluate and write an exponential moving average of the weights (e.g. 0.998; 0 = off)")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--docs-per-batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3, help="the taggers' learning rate")
    ap.add_argument("--encoder-lr", type=float, default=3e-5)
    ap.add_argument("--dropout", type=float, default=0.25)
    ap.add_argument("--encoder-dropout", type=float, default=0.1)
    ap.add_argument("--word-dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--from-scratch", action="store_true", help="fresh taggers instead of the accurate model's")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents of each split (smoke tests)")
    ap.add_argument("--deadline", type=float, default=0.0, help="start no epoch that would end after this many seconds")
    train(ap.parse_args(argv))


if __name__ == "__main__":
    main()

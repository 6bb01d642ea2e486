"""Parse a PolNeAR split once and keep the Docs (DocBin) next to the gold, keyed by the base pipeline."""

from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.tokens import DocBin

from ..nlp.pipeline import load_base
from ..polnear.corpus import GoldDocument, read_split

ATTRS = ["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START", "MORPH"]


def parsed_split(split: str | Path, cache_dir: str | Path, base: str | None = None, n_process: int = 1):
    """(gold documents, parsed Docs) for a split, parsing only when the cache is missing."""
    gold = read_split(split)
    nlp = load_base(base)
    key = hashlib.sha256(
        ("|".join(d.id + str(len(d.text)) for d in gold) + nlp.meta["name"] + nlp.meta["version"]
         + "|".join(nlp.pipe_names)).encode()  # the pipes, not only the model: a component may change the parse
    ).hexdigest()[:12]
    path = Path(cache_dir) / f"{Path(split).name}-{key}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        docs = list(nlp.pipe((d.text for d in gold), batch_size=16, n_process=n_process))
        DocBin(attrs=ATTRS, store_user_data=False, docs=docs).to_disk(path)
    assert all(d.text == g.text for d, g in zip(docs, gold))
    return gold, docs


def tok2vec_tensors(gold: list[GoldDocument], cache_dir: str | Path, base: str | None = None) -> list:
    """The base pipeline's tok2vec output for every document (what ``doc.tensor`` holds at run time)."""
    import numpy as np

    nlp = load_base(base)
    key = hashlib.sha256(("|".join(d.id + str(len(d.text)) for d in gold) + nlp.meta["name"]
                          + nlp.meta["version"] + "tok2vec").encode()).hexdigest()[:12]
    path = Path(cache_dir) / f"tensors-{key}.npz"
    if path.exists():
        with np.load(path) as data:
            return [data[f"d{i}"].astype(np.float32) for i in range(len(gold))]
    tok2vec = nlp.get_pipe("tok2vec")
    out = [tok2vec(nlp.make_doc(d.text)).tensor.astype(np.float32) for d in gold]
    np.savez(path, **{f"d{i}": t.astype(np.float16) for i, t in enumerate(out)})
    return out

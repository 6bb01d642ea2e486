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
        ("|".join(d.id + str(len(d.text)) for d in gold) + nlp.meta["name"] + nlp.meta["version"]).encode()
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

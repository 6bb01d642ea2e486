"""onrecord: who said what, when, about what — and who disputes it.

The public surface is what ``__all__`` lists; everything else is internal.
spaCy is imported only when something needs it (``Extractor``, ``load_pipeline``),
so commands that only read the store start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .documents import InputDocument, read_document  # noqa: E402
from .errors import ConfigError, InputError, ModelError, OnrecordError, StoreError  # noqa: E402
from .records import Attribution, AttributionKind, DocumentResult, Span, Speaker  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from .extractor import Extractor
    from .nlp.pipeline import load_pipeline

_LAZY = {"Extractor": ("onrecord.extractor", "Extractor"), "load_pipeline": ("onrecord.nlp.pipeline", "load_pipeline")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")


__all__ = sorted(
    [
        "Attribution",
        "AttributionKind",
        "ConfigError",
        "DocumentResult",
        "Extractor",
        "InputDocument",
        "InputError",
        "ModelError",
        "OnrecordError",
        "Span",
        "Speaker",
        "StoreError",
        "__version__",
        "load_pipeline",
        "read_document",
    ]
)

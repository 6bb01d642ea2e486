"""onrecord: who said what, when, about what — and who disputes it.

The public surface is what ``__all__`` lists; everything else is internal.
"""

__version__ = "0.1.0"

from .documents import InputDocument, read_document  # noqa: E402
from .errors import ConfigError, InputError, ModelError, OnrecordError, StoreError  # noqa: E402
from .extractor import Extractor  # noqa: E402
from .nlp.pipeline import load_pipeline  # noqa: E402
from .records import Attribution, AttributionKind, DocumentResult, Span, Speaker  # noqa: E402

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

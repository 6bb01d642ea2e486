"""The library entry point for extraction: text in, attribution records out."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .documents import MAX_BYTES, InputDocument
from .errors import InputError
from .nlp import windows
from .nlp.pipeline import base_model_name, load_pipeline
from .records import Attribution, DocumentResult
from .settings import DEFAULT_STRATEGY

ERROR_KEY = "onrecord_error"


def _record_error(name: str, component: object, docs: list[Doc], err: Exception) -> None:
    # Module-level so it pickles into spaCy's worker processes.
    for doc in docs:
        doc.user_data[ERROR_KEY] = f"{name} failed: {err.__class__.__name__}: {err}"


class Extractor:
    """Loads the pipeline once; extracts from one text or streams of documents.

    >>> ex = Extractor()                       # doctest: +SKIP
    >>> ex.extract("“We are ready,” Putin said.")[0].speaker.name   # doctest: +SKIP
    'Putin'
    """

    def __init__(
        self,
        base: str | None = None,
        *,
        strategy: str = DEFAULT_STRATEGY,
        model_path: str | None = None,
        resolve_speakers: bool = True,
        nlp: Language | None = None,
    ) -> None:
        self.base = base_model_name(base)
        self.strategy = strategy
        self._nlp = nlp or load_pipeline(
            base, strategy=strategy, model_path=model_path, resolve_speakers=resolve_speakers
        )
        self._nlp.max_length = max(self._nlp.max_length, MAX_BYTES + 1)
        # Only our component gets the handler: spaCy's compiled pipes do not accept one.
        self._nlp.get_pipe("onrecord_attributions").set_error_handler(_record_error)

    @property
    def nlp(self) -> Language:
        return self._nlp

    @cached_property
    def version(self) -> str:
        """Identifies everything that decides the output: store it next to results."""
        meta = self._nlp.meta
        comp = self._nlp.get_pipe("onrecord_attributions")
        model = getattr(getattr(comp, "model", None), "version", "rules")
        return f"onrecord-{__version__}+{self.strategy}-{model}+{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"

    def extract(self, text: str) -> tuple[Attribution, ...]:
        if not isinstance(text, str):
            raise InputError(f"expected str, got {type(text).__name__}")
        return self.parse(text)._.attributions

    def parse(self, text: str) -> Doc:
        """``nlp(text)``; a long text is parsed in bounded windows (``onrecord.nlp.windows``)."""
        return windows.parse(self._nlp, text)

    def pipe(self, items: Iterable[tuple[str, Any]], *, n_process: int = 1, batch_size: int = 16
             ) -> Iterator[tuple[Doc, Any]]:
        """``nlp.pipe(items, as_tuples=True)``, with long texts parsed in bounded windows."""
        return windows.pipe(self._nlp, items, n_process=n_process, batch_size=batch_size)

    def docs(self, texts: Iterable[str], *, n_process: int = 1, batch_size: int = 16) -> Iterator[Doc]:
        """Parsed Docs with ``doc._.attributions`` set, for callers that need the parse too."""
        return (doc for doc, _ in self.pipe(((t, None) for t in texts), n_process=n_process, batch_size=batch_size))

    def extract_documents(
        self, documents: Iterable[InputDocument], *, n_process: int = 1, batch_size: int = 16
    ) -> Iterator[DocumentResult]:
        """One DocumentResult per input, in order; a failing document carries its error, the rest go on."""
        stream = ((d.text, d) for d in documents)
        for doc, src in self.pipe(stream, n_process=n_process, batch_size=batch_size):
            error = doc.user_data.get(ERROR_KEY)
            atts = () if error else doc._.attributions
            yield DocumentResult(src.id, src.text, atts, error)

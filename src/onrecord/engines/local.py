"""The local engine: spaCy's ``nlp.pipe`` in this process, or in ``n_process`` worker processes."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..analysis import ArticleMeta, Enricher, ProcessedArticle, process_texts


class LocalEngine:
    name = "local"

    def __init__(
        self,
        extractor: Any = None,
        *,
        n_process: int = 1,
        batch_size: int = 16,
        enrichers: Iterable[Enricher] | None = None,
        **extractor_options: Any,
    ) -> None:
        if n_process < 1:
            raise ValueError("n_process must be at least 1")
        self._extractor = extractor
        self._extractor_options = extractor_options
        self.n_process = n_process
        self.batch_size = batch_size
        self.enrichers = None if enrichers is None else tuple(enrichers)

    @property
    def extractor(self) -> Any:
        if self._extractor is None:  # loaded on first use: `--help` and dry paths stay fast
            from ..extractor import Extractor

            self._extractor = Extractor(**self._extractor_options)
        return self._extractor

    @property
    def version(self) -> str:
        return self.extractor.version

    def process(self, items: Iterable[tuple[str, ArticleMeta]]) -> Iterator[ProcessedArticle]:
        return process_texts(self.extractor, items, n_process=self.n_process, batch_size=self.batch_size,
                             enrichers=self.enrichers)

    def close(self) -> None:
        """Nothing held between runs: spaCy's worker processes end with each ``process`` stream."""

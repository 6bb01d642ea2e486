"""The local engine: everything in this process, or batches of articles in forked worker processes.

With ``n_process > 1`` each worker is a fork of this process made after the
pipeline is loaded, so it starts instantly and shares the model's memory.  A
worker parses *and* analyses (all enrichers) a batch of articles and sends back
plain ``ProcessedArticle`` records; the parent only writes.  spaCy's own
``nlp.pipe(n_process=...)`` would ship every parsed Doc back to the parent and
leave the enrichers there, which keeps the second core half idle.

At most ``2 × n_process`` batches are in flight, so inputs are read lazily and
memory stays flat however long the stream is.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Iterable, Iterator

from ..analysis import ArticleMeta, Enricher, ProcessedArticle, content_id, process_texts
from ..errors import OnrecordError

# Set in the parent right before forking; each worker inherits it.
_WORKER_STATE: dict[str, Any] = {}


def _init_worker() -> None:
    # The taggers' matrices are small: BLAS threads only fight the other workers for the cores.
    from threadpoolctl import threadpool_limits

    _WORKER_STATE["blas"] = threadpool_limits(1)


def _process_batch(batch: list[tuple[str, ArticleMeta]]) -> list[ProcessedArticle]:
    extractor, enrichers = _WORKER_STATE["extractor"], _WORKER_STATE["enrichers"]
    try:
        return list(process_texts(extractor, batch, n_process=1, batch_size=len(batch) or 1, enrichers=enrichers))
    except Exception:
        # One article broke the batch: redo it article by article so only that one carries the error.
        out = []
        for text, meta in batch:
            try:
                out.extend(process_texts(extractor, [(text, meta)], n_process=1, enrichers=enrichers))
            except Exception as err:
                out.append(ProcessedArticle(content_id(text), text, meta, (), extractor.version, {},
                                            f"{err.__class__.__name__}: {err}"))
        return out


def _batches(items: Iterable[tuple[str, ArticleMeta]], size: int) -> Iterator[list[tuple[str, ArticleMeta]]]:
    batch: list[tuple[str, ArticleMeta]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
        self._pool: Any = None

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
        if self.n_process == 1:
            return process_texts(self.extractor, items, n_process=1, batch_size=self.batch_size,
                                 enrichers=self.enrichers)
        return self._process_in_workers(items)

    def _process_in_workers(self, items: Iterable[tuple[str, ArticleMeta]]) -> Iterator[ProcessedArticle]:
        from ..analysis import load_enrichers

        if self._pool is None:
            _WORKER_STATE["extractor"] = self.extractor  # load before forking: workers share it
            _WORKER_STATE["enrichers"] = tuple(load_enrichers() if self.enrichers is None else self.enrichers)
            self._pool = ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_init_worker)
        pending: deque = deque()
        try:
            for batch in _batches(items, self.batch_size):
                pending.append(self._pool.submit(_process_batch, batch))
                while len(pending) >= 2 * self.n_process:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool as err:
            self._pool = None
            raise OnrecordError(
                "a worker process died (killed, or out of memory); everything written so far is in the store: "
                "run the same command again to carry on"
            ) from err

    def close(self) -> None:
        """Stop the worker processes (a later ``process`` starts new ones)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

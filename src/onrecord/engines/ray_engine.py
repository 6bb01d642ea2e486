"""The Ray engine: extraction on a Ray cluster with Ray Data, one pipeline per actor.

    engine = RayEngine(workers=8, address="head-node:6379")   # or no address: a local cluster
    for processed in engine.process(items):                   # (text, ArticleMeta) pairs, lazily
        writer.write(processed)                               # the one writer stays in this process
    engine.close()

How a run goes: the items are read here in windows of ``window`` articles.
Each window becomes a Ray Dataset whose ``map_batches`` runs on a pool of
``workers`` actors.  Each actor loads the spaCy pipeline and the enrichers once,
in its constructor, then analyses batch after batch of ``batch_size``
articles.  Results come back here as pickled ProcessedArticles, in input order,
for the caller's single writer.

Faults are Ray Data's to handle, and it does: its actors are created with
``max_restarts=-1`` and ``max_task_retries=-1``.  When a worker process dies,
Ray restarts the actor (which loads the pipeline again) and runs the lost
batches again.  The output of a batch whose worker died is never returned, so
nothing comes back twice.  This engine also checks that every article of a
window came back exactly once before it yields past it.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import socket
from collections import Counter
from typing import Any, Iterable, Iterator

import pyarrow as pa
import ray
import ray.data
import ray.exceptions

from ..analysis import ArticleMeta, Enricher, ProcessedArticle, content_id, load_enrichers, process_texts
from ..errors import ConfigError, OnrecordError

#: Articles per Ray Dataset.  Each window starts a fresh actor pool, which loads
#: the pipeline again (a few seconds).  4096 articles keep that cost to a few
#: per cent of a window's work, and keep the texts held here in memory small.
DEFAULT_WINDOW = 4096
#: How long a window waits for its first actors to load the pipeline before the job fails.
ACTOR_START_TIMEOUT_S = 600


class _ArticleAnalyser:
    """One Ray Data actor: the pipeline loaded once, then batch after batch of articles."""

    def __init__(self, extractor_options: dict[str, Any], enrichers: tuple[Enricher, ...] | None,
                 threads: int = 1) -> None:
        from threadpoolctl import threadpool_limits

        from ..extractor import Extractor

        # As many BLAS threads as CPUs reserved for the actor, as the local engine does: a BLAS library that
        # starts one thread per core in every actor makes the actors fight over the node's cores.
        self._blas = threadpool_limits(threads)

        self.extractor = Extractor(**extractor_options)
        self.enrichers = load_enrichers() if enrichers is None else tuple(enrichers)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def __call__(self, batch: pa.Table) -> pa.Table:
        texts = batch.column("text").to_pylist()
        metas = [ArticleMeta.from_dict(json.loads(m)) for m in batch.column("meta").to_pylist()]
        processed = self._analyse(list(zip(texts, metas)))
        return pa.table({
            "idx": batch.column("idx"),
            "article": pa.array([pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) for p in processed], pa.binary()),
            "worker": pa.array([self.worker] * len(processed), pa.string()),
        })

    def _analyse(self, items: list[tuple[str, ArticleMeta]]) -> list[ProcessedArticle]:
        try:
            return list(process_texts(self.extractor, items, batch_size=len(items) or 1, enrichers=self.enrichers))
        except Exception:  # one article broke the whole batch: find it, keep the others
            return [self._one(text, meta) for text, meta in items]

    def _one(self, text: str, meta: ArticleMeta) -> ProcessedArticle:
        try:
            return next(process_texts(self.extractor, [(text, meta)], enrichers=self.enrichers))
        except Exception as err:  # recorded on the article, as the local engine records a failing component
            return ProcessedArticle(content_id(text), text, meta, (), self.extractor.version, {},
                                    f"extraction failed: {err.__class__.__name__}: {err}")


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast on a wrong HOST:PORT: Ray itself keeps retrying an unreachable cluster for minutes."""
    host, sep, port = address.rpartition(":")
    if address == "auto" or "://" in address or not sep or not port.isdigit():
        return  # Ray's own forms ("auto", "ray://…") and anything else: Ray checks and reports them
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as err:
        raise ConfigError(
            f"cannot reach a Ray cluster at {address} ({err.strerror or err}); start one with `ray start --head` "
            "and pass the address it prints (HOST:6379), or leave out --address for a local cluster"
        ) from None


def _windows(items: Iterable[tuple[str, ArticleMeta]], size: int) -> Iterator[list[tuple[str, ArticleMeta]]]:
    window: list[tuple[str, ArticleMeta]] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


class RayEngine:
    """Extraction on a Ray cluster: ``workers`` actors, each with its own pipeline.

    ``address`` names an existing cluster (``"head-node:6379"``, or ``"auto"``
    for the one ``ray start`` runs on this machine).  Without it, a local
    cluster with ``workers`` CPUs is started and shut down again by ``close()``.
    A process that is already connected to Ray (its own ``ray.init()``) keeps
    that connection whatever ``address`` says.

    ``extractor`` (an :class:`onrecord.Extractor`) is optional: the actors load
    their own pipeline from ``base``/``strategy``/``model_path`` (or from the
    given extractor's base and strategy), and results made with another
    extractor version than the given one are refused.
    """

    name = "ray"

    def __init__(
        self,
        extractor: Any = None,
        *,
        workers: int = 1,
        address: str | None = None,
        batch_size: int = 16,
        window: int = DEFAULT_WINDOW,
        cpus_per_worker: float = 1.0,
        enrichers: Iterable[Enricher] | None = None,
        init_options: dict[str, Any] | None = None,
        **extractor_options: Any,
    ) -> None:
        if workers < 1:
            raise ConfigError("--workers must be at least 1")
        if batch_size < 1 or window < 1:
            raise ConfigError("batch size and window must be at least 1")
        if cpus_per_worker <= 0:
            raise ConfigError("cpus_per_worker must be positive")
        self._extractor = extractor
        if extractor is not None:
            extractor_options = {"base": extractor.base, "strategy": extractor.strategy, **extractor_options}
        self.extractor_options = extractor_options
        self.workers = workers
        self.address = address
        self.batch_size = batch_size
        self.window = window
        self.cpus_per_worker = cpus_per_worker
        self.enrichers = None if enrichers is None else tuple(enrichers)
        self.init_options = dict(init_options or {})
        self._owns_ray = False
        self._version: str | None = None
        #: articles analysed per worker ("host:pid"), over every run of this engine.
        self.worker_articles: Counter[str] = Counter()

    # -- the cluster ---------------------------------------------------------------------------------------
    def connect(self) -> None:
        """Join the cluster at ``address``, the one this process is connected to, or start a local one."""
        if ray.is_initialized():
            return
        options: dict[str, Any] = {"logging_level": "WARNING", "log_to_driver": False, **self.init_options}
        if self.address:
            _check_reachable(self.address)
            options["address"] = self.address
        else:
            options.setdefault("num_cpus", max(1, math.ceil(self.workers * self.cpus_per_worker)))
            options.setdefault("include_dashboard", False)
            # A cluster started for one run reports nothing home (Ray's documented opt-out; set it to 1 to allow).
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            ray.init(**options)
        except ConnectionError as err:
            raise ConfigError(
                f"cannot reach a Ray cluster at {self.address!r} ({err}); start one with `ray start --head` "
                "and pass the address it prints (host:6379), or leave out --address for a local cluster"
            ) from None
        except (ValueError, RuntimeError) as err:
            raise ConfigError(f"cannot start Ray ({err})") from None
        self._owns_ray = True

    def close(self) -> None:
        """Shut down the local cluster this engine started; a cluster it joined is left running."""
        if self._owns_ray and ray.is_initialized():
            ray.shutdown()
        self._owns_ray = False

    def __enter__(self) -> "RayEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the engine contract ---------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        if self._version is None:
            if self._extractor is not None:
                self._version = self._extractor.version
            else:  # what the actors will load; built here once, only when asked before any run
                from ..extractor import Extractor

                self._version = Extractor(**self.extractor_options).version
        return self._version

    def process(self, items: Iterable[tuple[str, ArticleMeta]]) -> Iterator[ProcessedArticle]:
        """One ProcessedArticle per item, in input order; items are read one window at a time."""
        for window in _windows(items, self.window):
            self.connect()
            yield from self._run(window)

    # -- internals -------------------------------------------------------------------------------------------------
    def _pool(self) -> ray.data.ActorPoolStrategy:
        # Start as many actors as the cluster has CPUs for (the last window's actors may still be releasing
        # theirs: count the cluster's, not what is free this instant); an autoscaling cluster grows to `workers`.
        total = ray.cluster_resources().get("CPU", 0.0)
        start = max(1, min(self.workers, int(total // self.cpus_per_worker)))
        return ray.data.ActorPoolStrategy(min_size=1, max_size=self.workers, initial_size=start)

    def _run(self, window: list[tuple[str, ArticleMeta]]) -> Iterator[ProcessedArticle]:
        # One block per batch, and one batch per task (batch_size=None): blocks are what Ray spreads over the
        # actors and runs again after a fault.  (Even splits by row count would let Ray Data glue two small
        # blocks into one task, and a task twice the size comes back half as often.)
        blocks = []
        for start in range(0, len(window), self.batch_size):
            part = window[start:start + self.batch_size]
            blocks.append(pa.table({
                "idx": pa.array(range(start, start + len(part)), pa.int64()),
                "text": pa.array([text for text, _ in part], pa.large_string()),
                "meta": pa.array([json.dumps(m.to_dict(), ensure_ascii=False) for _, m in part], pa.string()),
            }))
        ds = ray.data.from_arrow(blocks)
        ds = ds.map_batches(
            _ArticleAnalyser,
            fn_constructor_kwargs={"extractor_options": self.extractor_options, "enrichers": self.enrichers,
                                   "threads": max(1, int(self.cpus_per_worker))},
            batch_size=None,
            batch_format="pyarrow",
            compute=self._pool(),
            num_cpus=self.cpus_per_worker,
        )
        ds.context.execution_options.preserve_order = True
        # Hand out batches only once the first actors have loaded their pipeline: otherwise the first one ready
        # takes the queue's head (two batches per actor in flight) while the others are still loading.
        ds.context.wait_for_min_actors_s = ACTOR_START_TIMEOUT_S
        ds.context.enable_progress_bars = False  # the caller shows progress (ingest has its own bar)
        ds.context.print_on_execution_start = False
        pending: dict[int, ProcessedArticle] = {}
        next_idx = 0
        try:
            for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
                for idx, blob, worker in zip(batch.column("idx").to_pylist(), batch.column("article").to_pylist(),
                                             batch.column("worker").to_pylist()):
                    if idx < next_idx or idx in pending:
                        raise OnrecordError(f"the Ray engine returned article {idx} of a window twice; "
                                            "nothing of it was yielded twice, but please report this")
                    pending[idx] = self._checked(pickle.loads(blob))
                    self.worker_articles[worker] += 1
                while next_idx in pending:
                    yield pending.pop(next_idx)
                    next_idx += 1
        except ray.exceptions.RayError as err:
            raise OnrecordError(
                f"the Ray job failed ({err.__class__.__name__}: {str(err).splitlines()[0]}); articles already "
                "written are kept, so run the same command again to finish"
            ) from err
        if next_idx != len(window) or pending:
            raise OnrecordError(f"the Ray engine returned {next_idx} of {len(window)} articles of a window; "
                                "run the same command again to finish")

    def _checked(self, processed: ProcessedArticle) -> ProcessedArticle:
        # Every article of a run must come from the same extractor, or the store would mix two models' output.
        expected = self._extractor.version if self._extractor is not None else self._version
        if expected is None:
            self._version = processed.extractor_version
        elif processed.extractor_version != expected:
            raise ConfigError(
                f"a Ray worker extracts with {processed.extractor_version} but this run uses {expected}; "
                "install the same onrecord and English pipeline on every node"
            )
        return processed

"""Engines run extraction over a stream of articles: ``(text, ArticleMeta)`` in, ``ProcessedArticle`` out.

Every engine has the same small shape, so ingest does not care where parsing
happens (this process and spaCy workers, or a Ray cluster)::

    engine = get_engine("local", extractor=ex, n_process=2)
    for processed in engine.process(items):   # lazily, in input order
        writer.write(processed)
    engine.close()

``process`` must consume ``items`` lazily (ingest decides per item, while
reading, whether it needs extraction at all) and must yield exactly one
ProcessedArticle per item, in order.
"""

from __future__ import annotations

import importlib
from typing import Any, Iterable, Iterator, Protocol, runtime_checkable

from ..analysis import ArticleMeta, ProcessedArticle
from ..errors import ConfigError


@runtime_checkable
class Engine(Protocol):
    name: str

    @property
    def version(self) -> str:
        """The extractor version the articles are processed with."""

    def process(self, items: Iterable[tuple[str, ArticleMeta]]) -> Iterator[ProcessedArticle]:
        """One ProcessedArticle per item, in order."""

    def close(self) -> None:
        """Release workers and models."""


#: name → "module:Class"; an engine whose module is not installed is reported, not fatal.
ENGINES: dict[str, str] = {
    "local": "onrecord.engines.local:LocalEngine",
    "ray": "onrecord.engines.ray_engine:RayEngine",
}


def get_engine(name: str = "local", **options: Any) -> Engine:
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; use one of {', '.join(sorted(ENGINES))}")
    module_name, _, cls = ENGINES[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        raise ConfigError(
            f"the {name} engine is not available ({err.name} is missing); install it, e.g. pip install 'onrecord[{name}]'"
        ) from None
    return getattr(module, cls)(**options)

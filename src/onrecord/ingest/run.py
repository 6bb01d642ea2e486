"""Ingest: read inputs, skip what is stored, extract the rest, write each article in its own transaction.

    inputs ─▶ Sources.items ─▶ checks, dedupe ─▶ engine.process ─▶ Writer.write ─▶ SQLite
                 │ Failure          │ unchanged                        (one transaction each)
                 └──────────────────┴──────────────▶ report (one line per failed item)

Nothing is extracted twice: an article whose text is already stored cleanly is
counted as unchanged before it reaches the engine, unless ``reprocess``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence

from ..analysis import ArticleMeta, content_id
from ..documents import looks_english
from ..errors import ConfigError, InputError, StoreError
from ..store.writer import Writer, WriteStatus
from .items import Failure, IngestOptions, Item, RawArticle, checked_text
from .sources import Sources


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What happened to one input item."""

    origin: str
    status: str  # stored | replaced | unchanged | failed
    article_id: str | None = None
    message: str | None = None
    words: int = 0

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True, slots=True)
class IngestReport:
    stored: int
    replaced: int
    unchanged: int
    failed: int
    words: int  # words in the articles extracted this run
    seconds: float
    failures: tuple[ItemOutcome, ...] = ()

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def extracted(self) -> int:
        return self.stored + self.replaced

    def to_dict(self) -> dict:
        return {
            "stored": self.stored, "replaced": self.replaced, "unchanged": self.unchanged, "failed": self.failed,
            "words": self.words, "seconds": round(self.seconds, 3),
            "failures": [{"origin": f.origin, "message": f.message, "article_id": f.article_id}
                         for f in self.failures],
        }


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("stored", "replaced", "unchanged", "failed"), 0))
    words: int = 0
    failures: list[ItemOutcome] = field(default_factory=list)


def usable(item: Item, options: IngestOptions, emit: Callable[[ItemOutcome], None]
           ) -> tuple[str, ArticleMeta, str] | None:
    """An input's checked text, its metadata (English when unsaid and the text reads so) and its article id, or
    None once a failed input is reported through ``emit``: the first step of ingest and of a shard export."""
    if isinstance(item, Failure):
        emit(ItemOutcome(item.origin, "failed", message=item.message))
        return None
    origin = item.meta.origin
    try:
        text = checked_text(item.text, origin, options)
    except InputError as err:
        emit(ItemOutcome(origin, "failed", message=str(err).removeprefix(f"{origin}: ")))
        return None
    meta = item.meta
    if meta.language is None and looks_english(text):
        meta = replace(meta, language="en")
    return text, meta, content_id(text)


def _merge(new: ArticleMeta, old: ArticleMeta) -> ArticleMeta:
    """Metadata read now, completed by what was stored before (a re-run must not forget the title)."""
    return ArticleMeta(**{k: getattr(new, k) if getattr(new, k) is not None else getattr(old, k)
                          for k in ArticleMeta.__slots__})


def ingest(
    inputs: Sequence[str | Path] = (),
    *,
    db: str | Path,
    engine=None,
    extractor=None,
    processes: int = 1,
    batch_size: int = 16,
    options: IngestOptions | None = None,
    reprocess: bool = False,
    stdin: BinaryIO | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
    finalize_every: int = 500,
) -> IngestReport:
    """Store every article the inputs hold; re-extract stored ones with ``reprocess``.

    ``inputs`` are files, folders, http(s) URLs, files of URLs or ``"-"`` for
    ``stdin``.  With ``reprocess`` and no inputs, every stored article is
    extracted again from its stored text.  Each article is one transaction, so
    an interrupted run can simply be run again.
    """
    options = options or IngestOptions()
    if not inputs and not reprocess:
        raise ConfigError("nothing to ingest: name files, folders, URLs or - for stdin (or use --reprocess)")
    if engine is None:
        from ..engines.local import LocalEngine

        engine = LocalEngine(extractor, n_process=processes, batch_size=batch_size)
    run = _Run(options, reprocess, on_item, finalize_every)
    writer = Writer(db)
    try:
        with Sources(options, stdin=stdin) as sources:
            if inputs:
                items: Iterable[Item] = sources.items(str(i) for i in inputs)
            else:  # --reprocess alone: the store's own texts (ids listed first: rows are replaced as we go)
                items = (RawArticle(*writer.stored_meta(aid)) for aid in writer.article_ids())
            run.execute(writer, engine, items)
    finally:
        writer.close(finalize=False)
    return run.report()


class _Run:
    """One ingest run's decisions and counts."""

    def __init__(self, options: IngestOptions, reprocess: bool,
                 on_item: Callable[[ItemOutcome], None] | None, finalize_every: int) -> None:
        self.options = options
        self.reprocess = reprocess
        self.on_item = on_item
        self.finalize_every = finalize_every
        self.tally = _Tally()
        self.started = time.perf_counter()
        self.later_sources: dict[str, list[ArticleMeta]] = {}

    def emit(self, outcome: ItemOutcome) -> None:
        self.tally.counts[outcome.status] += 1
        if outcome.failed:
            self.tally.failures.append(outcome)
        if self.on_item is not None:
            self.on_item(outcome)

    def report(self) -> IngestReport:
        c = self.tally.counts
        return IngestReport(c["stored"], c["replaced"], c["unchanged"], c["failed"], self.tally.words,
                            time.perf_counter() - self.started, tuple(self.tally.failures))

    def to_extract(self, writer: Writer, items: Iterable[Item]) -> Iterator[tuple[str, ArticleMeta]]:
        """The items that need extraction; everything else is reported here, before any parsing."""
        seen: set[str] = set()
        extracting: set[str] = set()
        for item in items:
            read = usable(item, self.options, self.emit)
            if read is None:
                continue
            text, meta, article_id = read
            origin = meta.origin
            if article_id in seen:  # the same text twice in one run (a syndicated copy)
                if article_id in extracting:  # its first copy is still on its way to the store
                    self.later_sources.setdefault(article_id, []).append(meta)
                else:
                    writer.note_seen(article_id, meta)
                self.emit(ItemOutcome(origin, "unchanged", article_id))
                continue
            seen.add(article_id)
            state = writer.status(article_id)
            if state == "ok" and not self.reprocess:
                writer.note_seen(article_id, meta)
                self.emit(ItemOutcome(origin, "unchanged", article_id))
                continue
            if state is not None:
                stored = writer.stored_meta(article_id)
                if stored is not None:
                    meta = _merge(meta, stored[1])
            extracting.add(article_id)
            yield text, meta

    def execute(self, writer: Writer, engine, items: Iterable[Item]) -> None:
        written = 0
        for processed in engine.process(self.to_extract(writer, items)):
            origin = processed.meta.origin
            try:
                status = writer.write(processed, replace=self.reprocess)
            except StoreError as err:  # this article is not stored; the next ones may well be
                self.emit(ItemOutcome(origin, "failed", processed.id, str(err)))
                continue
            for meta in self.later_sources.pop(processed.id, ()):
                writer.note_seen(processed.id, meta)
            words = len(processed.text.split())
            if status is WriteStatus.UNCHANGED:  # another writer stored it meanwhile
                self.emit(ItemOutcome(origin, "unchanged", processed.id))
                continue
            self.tally.words += words
            written += 1
            if processed.error:
                self.emit(ItemOutcome(origin, "failed", processed.id,
                                      f"{processed.error} (stored without it; the next ingest retries this article)",
                                      words))
            else:
                self.emit(ItemOutcome(origin, status.value, processed.id, None, words))
            if self.finalize_every and written % self.finalize_every == 0:
                self._finalize(writer)
        if written or writer.finalize_pending():  # also what an interrupted run left undone
            self._finalize(writer)

    def _finalize(self, writer: Writer) -> None:
        try:
            writer.finalize()
        except StoreError as err:  # the articles are committed; say so and let the run finish
            self.emit(ItemOutcome("finalize", "failed", message=str(err)))

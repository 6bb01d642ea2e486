"""``onrecord ingest | quotes | speakers | show | search | export``: the store's verbs, thin over the library."""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.text import Text

from ..documents import MAX_BYTES
from ..records import AttributionKind
from ..settings import DEFAULT_DB, DEFAULT_STRATEGY
from ._app import (ProgressLine, app, err, out, plain, print_summary, print_table, progress_bar, record_table,
                   run_guarded, safe)
from .scale import ADDRESS_HELP, ENGINE_HELP, WORKERS_HELP, EngineChoice, build_engine

DB_ENV = "ONRECORD_DB"


def _db_option():
    return typer.Option(Path(DEFAULT_DB), "--db", envvar=DB_ENV,
                        help=f"The store file (default {DEFAULT_DB}, or ${DB_ENV}).")


class SearchScope(str, Enum):
    articles = "articles"
    quotes = "quotes"


class ExportChoice(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    brat = "brat"


class BratLayout(str, Enum):
    brat = "brat"
    polnear = "polnear"


_plain = plain  # the one sanitiser, in cli/_app.py


def _filters(by, about, since, until, outlet, kind, article=None):
    from ..store.filters import QuoteFilter

    return run_guarded(QuoteFilter.build, by=by, about=about, since=since, until=until, outlet=outlet,
                       kind=kind, article=article)


# -- ingest -----------------------------------------------------------------------------------------------

@app.command()
def ingest(
    inputs: Optional[list[str]] = typer.Argument(
        None, help="Files (.txt .html .jsonl .rss/.atom/.xml .warc(.gz) .urls), folders (recursively), "
                   "http(s) URLs, or - for stdin."),
    db: Path = _db_option(),
    reprocess: bool = typer.Option(False, "--reprocess",
                                   help="Extract again articles already stored (after a model upgrade), replacing "
                                        "their attributions atomically. With no inputs: every stored article."),
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Worker processes for parsing."),
    engine_name: EngineChoice = typer.Option(EngineChoice.local, "--engine", "-e", help=ENGINE_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help=WORKERS_HELP + " Default: --processes."),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles per spaCy batch."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", min=1, help="Largest article text, in bytes."),
    max_page_bytes: int = typer.Option(10 * MAX_BYTES, "--max-page-bytes", min=1,
                                       help="Largest HTML page, feed or downloaded body, in bytes."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1,
                                  help="Seconds one URL may take in all: connecting, the answer and the whole body."),
    follow_links: bool = typer.Option(False, "--follow-links",
                                      help="Fetch the page of feed entries that only carry a summary."),
    any_language: bool = typer.Option(False, "--any-language",
                                      help="Store texts that do not look like English (results will be poor)."),
    base: Optional[str] = typer.Option(None, "--base", help="spaCy English pipeline to build on."),
    strategy: str = typer.Option(DEFAULT_STRATEGY, "--strategy", help="model or rules."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary; failures still go to stderr."),
) -> None:
    """Read news into the store: who said what in each article, once per article.

    Every article is written in its own transaction: stop it (even kill -9) and
    run it again, and each finished article is there once. Articles already
    stored are skipped before extraction. An input that cannot be used (binary,
    not UTF-8, empty, too large, not English, a broken page, feed or WARC)
    gets one line in the summary and the run goes on; the exit status is 1 when
    any input failed.

    Examples:

      onrecord ingest articles/                     # .txt, .html, .jsonl, feeds, WARCs, recursively

      onrecord ingest https://example.org/feed.xml --follow-links

      onrecord ingest urls.txt --db news.db         # a file with one URL per line

      curl -s https://example.org/story | onrecord ingest -

      onrecord ingest --reprocess                   # re-extract everything after a model upgrade

      onrecord ingest crawl/ --engine ray --workers 16 --address head:6379   # on a Ray cluster
    """
    from ..ingest import IngestOptions

    options = run_guarded(IngestOptions, max_bytes=max_bytes, max_page_bytes=max_page_bytes, timeout=timeout,
                          follow_links=follow_links, any_language=any_language)
    engine = build_engine(engine_name, workers=workers or processes, address=address, batch_size=batch_size,
                          base=base, strategy=strategy)
    _quiet_libraries()
    report = _ingest_with_progress(inputs or [], db, engine, options, reprocess=reprocess, quiet=quiet)
    for f in report.failures:
        err.print(Text.assemble(("failed ", "red"), _plain(f.origin), ": ", _plain(f.message)))
    print_summary(report, lambda: _ingest_line(report, db), as_json=as_json, quiet=quiet)
    if not report.ok:
        raise typer.Exit(1)


def _ingest_with_progress(inputs: list[str], db: Path, engine, options, *, reprocess: bool, quiet: bool):
    """Run the ingest with a progress line on a terminal's stderr; the engine is closed however it ends."""
    from ..ingest.run import ingest as run_ingest

    started = time.perf_counter()
    with progress_bar(quiet, "ingesting") as bar:
        line = ProgressLine(bar, "ingest", ("stored", "replaced"), started)
        try:
            return run_guarded(run_ingest, inputs, db=db, engine=engine, options=options,
                               reprocess=reprocess, on_item=line.on_item)
        finally:
            engine.close()  # a local Ray cluster started for this run stops with it


def _ingest_line(report, db: Path) -> str:
    words_rate = report.words / report.seconds if report.seconds else 0.0
    return (f"{report.stored} stored, {report.replaced} replaced, {report.unchanged} unchanged, "
            f"{report.failed} failed in {report.seconds:.1f} s ({words_rate:,.0f} words/s) → {db}")


def _quiet_libraries() -> None:
    # trafilatura logs a warning for every page it finds nothing in; the summary already says so, once.
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.ERROR)


# -- quotes and speakers ----------------------------------------------------------------------------------

_BY = typer.Option(None, "--by", help="Speaker name; every word must match (\"putin\" finds \"Vladimir Putin\").")
_ABOUT = typer.Option(None, "--about", help="Words in what was said (full-text; \"a phrase\", word*, OR, NOT).")
_SINCE = typer.Option(None, "--since", help="From this date on: YYYY-MM-DD or words (\"2 weeks ago\").")
_UNTIL = typer.Option(None, "--until", help="Up to this date, inclusive.")
_OUTLET = typer.Option(None, "--outlet", help="Only this outlet (exact name, any case).")
_KIND = typer.Option(None, "--kind", help="Only this kind of report.")


@app.command()
def quotes(
    by: Optional[str] = _BY,
    about: Optional[str] = _ABOUT,
    since: Optional[str] = _SINCE,
    until: Optional[str] = _UNTIL,
    outlet: Optional[str] = _OUTLET,
    kind: Optional[AttributionKind] = _KIND,
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="At most this many statements."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many first (for paging)."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per statement instead of a table."),
) -> None:
    """Who said what: stored statements, newest first.

    A statement's date is the day it was said when the text gives it, else the
    article's publication date.

    Examples:

      onrecord quotes --by "Ana Silva"

      onrecord quotes --about "ceasefire talks" --since 2024-03-01 --kind direct

      onrecord quotes --outlet "The Gazette" --json | jq .content_text
    """
    from ..store import Reader

    f = _filters(by, about, since, until, outlet, kind)

    def fetch():
        with Reader(db) as reader:
            return reader.quotes(f, limit=limit, offset=offset)

    rows = run_guarded(fetch)
    if as_json:
        for q in rows:
            sys.stdout.write(json.dumps(q.to_dict(), ensure_ascii=False) + "\n")
        return
    table = record_table(f"{len(rows)} statement(s)", [
        ("date", "date"), ("speaker", "name", "bold cyan"), ("cue", "short", "magenta"), ("kind", "short"),
        ("content", "text"), ("statement", "ref", "dim")])
    for q in rows:
        where = Text(f"{q.article_id[:8]}#{q.idx}", style="dim")  # the reference `onrecord fix` takes
        if q.outlet:
            where.append("\n")
            where.append_text(_plain(q.outlet))
        table.add_row(q.date or "—", _plain(q.speaker or "—"), _plain(q.cue_text), q.kind.value,
                      _plain(q.content_text), where)
    print_table(table)


@app.command()
def speakers(
    by: Optional[str] = _BY,
    about: Optional[str] = _ABOUT,
    since: Optional[str] = _SINCE,
    until: Optional[str] = _UNTIL,
    outlet: Optional[str] = _OUTLET,
    kind: Optional[AttributionKind] = _KIND,
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="At most this many speakers."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per speaker instead of a table."),
) -> None:
    """Who is quoted most: statements and articles per speaker, first and last seen.

    Examples:

      onrecord speakers

      onrecord speakers --about election --since "1 month ago" -n 20
    """
    from ..store import Reader

    f = _filters(by, about, since, until, outlet, kind)

    def fetch():
        with Reader(db) as reader:
            return reader.speakers(f, limit=limit)

    rows = run_guarded(fetch)
    if as_json:
        for s in rows:
            sys.stdout.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
        return
    table = record_table(f"{len(rows)} speaker(s)", [
        ("speaker", "name"), ("type", "short"), ("statements", "number"), ("articles", "number"),
        ("first seen", "date"), ("last seen", "date")])
    for s in rows:
        table.add_row(_plain(s.name, "bold cyan"), s.type, str(s.statements), str(s.articles),
                      s.first_seen or "—", s.last_seen or "—")
    print_table(table)


# -- show and search ----------------------------------------------------------------------------------------

SOURCE_STYLE, CUE_STYLE, CONTENT_STYLE = "bold cyan", "bold magenta", "green"


#: How ``show`` marks each role in plain text (a file or a pipe): opening and closing marks.
MARKS = {"source": ("[[", "]]"), "cue": ("{{", "}}"), "content": ("<<", ">>")}


def marked(text: str, quotes) -> str:
    """The article with every source, cue and content between its MARKS (closing marks first where one span
    ends and another starts at the same offset)."""
    body = safe(text)
    events = []
    for q in quotes:
        for role, (opening, closing) in MARKS.items():
            for span in getattr(q, role):
                start, end = max(0, span.start), min(len(body), span.end)
                if start < end:
                    events.append((start, 1, -end, opening))
                    events.append((end, 0, -start, closing))
    out, pos = [], 0
    for at, _, _, mark in sorted(events):
        out.append(body[pos:at])
        out.append(mark)
        pos = at
    out.append(body[pos:])
    return "".join(out)


def highlighted(text: str, quotes) -> Text:
    """The article with every source, cue and content styled; cue wins where spans overlap."""
    body = _plain(text)
    for role, style in (("content", CONTENT_STYLE), ("source", SOURCE_STYLE), ("cue", CUE_STYLE)):
        for q in quotes:
            for span in getattr(q, role):
                body.stylize(style, span.start, span.end)
    return body


@app.command()
def show(
    article: str = typer.Argument(..., help="Article id, a unique start of it (4+ characters), or its URL."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="The article and its attributions as one JSON object."),
) -> None:
    """One article in the terminal with sources, cues and contents highlighted.

    Examples:

      onrecord show 3f2a9c

      onrecord show https://gazette.example/harbour --json
    """
    from ..store import Reader

    def fetch():
        with Reader(db) as reader:
            return reader.article(article)

    view = run_guarded(fetch)
    if as_json:
        sys.stdout.write(json.dumps(view.to_dict(), ensure_ascii=False) + "\n")
        return
    a = view.article
    out.print(_plain(a.display_title or a.name or a.id, "bold"))
    facts = " · ".join(x for x in (a.outlet, a.published, a.author, a.url) if x)
    if facts:
        out.print(_plain(facts, "dim"))
    out.print(Text(f"{a.id} · {len(view.quotes)} attribution(s) · {a.extractor_version}", style="dim"))
    if a.error:
        out.print(Text.assemble(("error: ", "red"), _plain(a.error)))
    if out.is_terminal:
        out.print(Text.assemble("\n", ("source", SOURCE_STYLE), "  ", ("cue", CUE_STYLE), "  ",
                                ("content", CONTENT_STYLE), "\n"))
        out.print(highlighted(a.text, view.quotes))
    else:  # a file or a pipe gets no colours, so the marks are written into the text
        out.print("\nmarks: " + " ".join(f"{o}{role}{c}" for role, (o, c) in MARKS.items()) + "\n",
                  markup=False, highlight=False)
        out.print(marked(a.text, view.quotes), markup=False, highlight=False)
    out.print(Text("\nwho each source is:", style="bold"))
    for q in view.quotes:
        line = Text(f"  #{q.idx} ", style="dim").append_text(_plain(q.source_text or "(no source)", SOURCE_STYLE))
        line.append(" → ").append_text(_plain(q.speaker or "unresolved", "bold"))
        if q.speaker_type:
            line.append(f" ({q.speaker_type})", style="dim")
        line.append("  ").append_text(_plain(q.cue_text, CUE_STYLE))
        out.print(line)


@app.command()
def search(
    text: str = typer.Argument(..., help="Words to find; \"a phrase\", word*, OR and NOT work."),
    scope: SearchScope = typer.Option(SearchScope.articles, "--in",
                                      help="articles: titles and texts. quotes: what was said, and by whom."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many hits."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per hit instead of a table."),
) -> None:
    """Full-text search, best matches first (SQLite FTS5, BM25; titles weigh more).

    Examples:

      onrecord search "harbour deal"

      onrecord search 'ceasefire OR truce' --in quotes -n 5
    """
    from ..store import Reader

    def fetch():
        with Reader(db) as reader:
            return reader.search(text, scope=scope.value, limit=limit)

    hits = run_guarded(fetch)
    if as_json:
        for h in hits:
            sys.stdout.write(json.dumps(h.to_dict(), ensure_ascii=False) + "\n")
        return
    table = record_table(f"{len(hits)} hit(s)", [
        ("#", "number"), ("article", "ref", "dim"), ("published", "date"), ("title / speaker", "name"),
        ("match", "text")])
    for rank, h in enumerate(hits, 1):
        snippet = _plain(h.snippet.replace("\n", " "))  # one for one: the marks' offsets still hold
        for start, end in h.marks:
            snippet.stylize("bold yellow", start, end)
        who = _plain(h.speaker, "bold cyan") if h.speaker else _plain(h.title or "", "bold")
        if h.outlet:
            who.append("\n")
            who.append_text(_plain(h.outlet, "dim"))
        ref = h.article_id[:8] + (f"#{h.idx}" if h.idx is not None else "")
        table.add_row(str(rank), ref, (h.published or "—")[:10], who, snippet)
    print_table(table)


@app.command()
def rebuild(
    db: Path = _db_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line."),
) -> None:
    """Rebuild canonical entities, claims and positions from every stored article, in one transaction.

    Ingest keeps these tables up to date by itself, touching only what new articles can change; both
    ways give the same tables. Rebuild after changing the code, or to check a store.

    Example:

      onrecord rebuild --db news.db
    """
    from ..store.writer import rebuild_store

    seconds = run_guarded(rebuild_store, db)
    if not quiet:
        err.print(f"rebuilt the cross-article tables of {safe(db)} in {seconds:.1f} s", highlight=False, markup=False)


# -- export ---------------------------------------------------------------------------------------------------

@app.command()
def export(
    fmt: ExportChoice = typer.Option(ExportChoice.jsonl, "--format", "-f",
                                     help="jsonl or csv (stdout or --output), parquet (--output file), "
                                          "brat (--output folder)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Where to write (required for parquet and brat)."),
    by: Optional[str] = _BY,
    about: Optional[str] = _ABOUT,
    since: Optional[str] = _SINCE,
    until: Optional[str] = _UNTIL,
    outlet: Optional[str] = _OUTLET,
    kind: Optional[AttributionKind] = _KIND,
    layout: BratLayout = typer.Option(BratLayout.brat, "--layout",
                                      help="brat: <id>.txt + <id>.ann + annotation.conf, for the brat tool. "
                                           "polnear: text/ + attributions/, for `onrecord eval polnear` and training."),
    annotator: str = typer.Option("onrc", "--annotator", help="4-character annotator id in polnear .ann names."),
    csv_raw: bool = typer.Option(False, "--csv-raw",
                                 help="CSV cells exactly as stored. By default a cell starting with = + - @ gets "
                                      "a leading ' (so a spreadsheet shows it instead of running it) and control "
                                      "characters become \ufffd."),
    db: Path = _db_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line."),
) -> None:
    """Export statements (all, or those the filters select) for analysis or for correction.

    Examples:

      onrecord export --format csv -o quotes.csv --since 2024-01-01

      onrecord export --format parquet -o quotes.parquet --by "Ana Silva"

      onrecord export --format brat -o to-correct/ --outlet "The Gazette"

      onrecord export --format brat --layout polnear -o corrected-split/
    """
    from ..store.export import export as run_export

    if fmt in (ExportChoice.parquet, ExportChoice.brat) and output is None:
        from ._app import fail

        raise fail(f"--format {fmt.value} needs --output ({'a file' if fmt is ExportChoice.parquet else 'a folder'})")
    f = _filters(by, about, since, until, outlet, kind)
    summary = run_guarded(run_export, db, output if output is not None else sys.stdout, format=fmt.value, filter=f,
                          layout=layout.value, annotator=annotator, csv_raw=csv_raw)
    if not quiet:
        err.print(f"exported {summary.rows} statement(s) from {summary.articles} article(s) as {fmt.value}"
                  + (f" to {output}" if output else ""), highlight=False, markup=False)

"""The Typer application and the helpers every command shares."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..errors import OnrecordError, OutputError
from ..sanitise import printable

app = typer.Typer(
    name="onrecord",
    help=(
        "Who said what, when, about what — and who disputes it.\n\n"
        "Extract attributed statements (source, cue, content, speaker) from news text, "
        "keep them in a SQLite record, and query, check and export them.\n\n"
        "Start with:  onrecord extract examples/articles"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

def safe(text: Any) -> str:
    """Control characters become U+FFFD one for one: nothing in an article, a name or an argument can drive the
    terminal (ESC, CSI, OSC hyperlinks and titles, bells), and offsets into the text still hold."""
    return "" if text is None else printable(str(text))


def plain(value: Any, style: str = "") -> Text:
    """Text from articles, names, paths or arguments, for printing: never read as rich markup, never escapes."""
    return Text(safe(value), style=style)


class SafeConsole(Console):
    """Every plain string printed (tables' cells included) is shown as written: no markup, no control characters.

    Styled output is built as :class:`rich.text.Text` (``plain``, ``Text.assemble``), never as markup strings.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs.update(markup=False, emoji=False)
        return super().render_str(safe(text), **kwargs)


out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)


#: How each kind of column behaves in a terminal table: words wrap (long ones fold) instead of being cut to "sa…",
#: dates and numbers stay whole, and no column grows past what it holds, so wide terminals get no padding.
COLUMN_KINDS: dict[str, dict] = {
    "date": {"min_width": 10, "no_wrap": True},
    "number": {"justify": "right", "no_wrap": True},
    "ref": {"min_width": 8, "overflow": "fold"},
    "short": {"min_width": 4, "max_width": 16, "overflow": "fold"},
    "name": {"min_width": 8, "max_width": 30, "overflow": "fold"},
    "text": {"min_width": 16, "max_width": 100, "overflow": "fold"},
}


def record_table(title: str | None, columns: "list[tuple[str, str] | tuple[str, str, str]]") -> "Table":
    """A table for reading: ``columns`` are (header, kind in COLUMN_KINDS[, style])."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=False, pad_edge=False,
                  collapse_padding=True)
    for header, kind, *style in columns:
        table.add_column(header, style=style[0] if style else None, **COLUMN_KINDS[kind])
    return table


def print_table(table: "Table", console: Console | None = None) -> None:
    """Print a table wrapped to the terminal's width (the consoles soft-wrap text, which would make every cell
    one unbreakable line and push tables past the edge or cut their words)."""
    (console or out).print(table, soft_wrap=False)


def fail(message: str, code: int = 2) -> "typer.Exit":
    """Print an error the user can act on and leave with ``code``."""
    err.print(Text.assemble(("error:", "bold red"), " ", plain(message)), highlight=False)
    return typer.Exit(code)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"onrecord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """onrecord: the record of who said what."""


def run_guarded(fn, *args, **kwargs):
    """Turn library errors into one clear line and exit status 2 (1 when an output could not be written),
    never a traceback."""
    try:
        return fn(*args, **kwargs)
    except OutputError as e:  # a full disk, a closed pipe: the request was fine, the run failed
        raise fail(str(e), 1) from None
    except OnrecordError as e:
        raise fail(str(e)) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


# -- long runs (ingest, scale export, scale merge): a progress line on a terminal, then a summary ----------------

def progress_bar(quiet: bool, verb: str):
    """A transient progress bar on stderr, shown only on a terminal and unless ``quiet``."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn(verb), TextColumn("{task.fields[summary]}"), TimeElapsedColumn())
    return Progress(*columns, console=err, disable=quiet or not err.is_terminal, transient=True)


class ProgressLine:
    """The bar's line as outcomes arrive: articles done (the ``done`` statuses), their rate, unchanged, failed.

    Its ``on_item`` is the ``on_item`` callback the library's runs take."""

    def __init__(self, bar, name: str, done: tuple[str, ...], started: float) -> None:
        self.bar = bar
        self.task = bar.add_task(name, total=None, summary="starting…")
        self.done = done
        self.started = started
        self.counts: dict[str, int] = {}

    def on_item(self, outcome) -> None:
        import time

        counts = self.counts
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        done = sum(counts.get(status, 0) for status in self.done)
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        self.bar.update(self.task, summary=f"{done} articles · {rate:.1f}/s · {counts.get('unchanged', 0)} unchanged · "
                                           f"{counts.get('failed', 0)} failed")


def print_summary(report, line, *, as_json: bool, quiet: bool) -> None:
    """A run's summary: its report as JSON on stdout, or ``line()`` (unless ``quiet``)."""
    import json

    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    elif not quiet:
        out.print(line(), highlight=False, markup=False)

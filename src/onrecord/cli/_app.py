"""The Typer application and the helpers every command shares."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from .. import __version__
from ..errors import OnrecordError

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

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> "typer.Exit":
    """Print an error the user can act on and leave with ``code``."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
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
    """Turn library errors into one clear line and exit status 2, never a traceback."""
    try:
        return fn(*args, **kwargs)
    except OnrecordError as e:
        raise fail(str(e)) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)

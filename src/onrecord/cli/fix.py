"""``onrecord fix`` (speaker, date, claim, stance, merge, split, list, undo) and ``onrecord review``.

Thin over :mod:`onrecord.corrections`: every correction is kept in the store with who made it and when, and
is applied again whenever the article is re-extracted.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.text import Text

from ._app import app, out, print_table, record_table, run_guarded
from .store import _db_option, _plain

fix_app = typer.Typer(
    help=(
        "Correct the record: a statement's speaker or date, a party's side of a claim, a stance, which names are "
        "one entity. Corrections are kept in the store with who made them and when, survive `onrecord ingest "
        "--reprocess`, show in exports, and can be listed and undone.\n\n"
        "Statements are named ARTICLE#N, as `onrecord quotes` and `onrecord review` print them.\n\n"
        "Examples:\n\n"
        "  onrecord fix speaker 3f2a9c1d#4 \"Dmitry Peskov\"\n\n"
        "  onrecord fix speaker 3f2a9c1d#5 --clear\n\n"
        "  onrecord fix date 3f2a9c1d#4 2025-12-03\n\n"
        "  onrecord fix claim 9b1e44 \"Ukraine\" --side disputed\n\n"
        "  onrecord fix stance Russia \"28-point plan\" support\n\n"
        "  onrecord fix merge \"Volodymyr Zelensky\" \"Vladimir Zelensky\"\n\n"
        "  onrecord fix list\n\n"
        "  onrecord fix undo 3"
    ),
    no_args_is_help=True,
)
app.add_typer(fix_app, name="fix")

_ACTOR = typer.Option(None, "--actor", help="Who makes the correction (default: cli:<your login name>).")


class Side(str, Enum):
    asserted = "asserted"
    disputed = "disputed"


def _done(c) -> None:
    out.print(Text(f"correction {c.id}: ", style="bold").append_text(_plain(c.note))
              .append(f"  ({c.actor}, {c.made_at})", style="dim"))


@fix_app.command()
def speaker(
    ref: str = typer.Argument(..., help="The statement: ARTICLE#N (ARTICLE an id or its first 4+ characters)."),
    name: Optional[str] = typer.Argument(None, help="Who made it."),
    clear: bool = typer.Option(False, "--clear", help="The statement has no known speaker."),
    type_: str = typer.Option("PERSON", "--type", help="PERSON, ORG, GOVERNMENT, PLACE, ROLE or GROUP."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """Set or clear who made a statement."""
    from ..corrections import set_speaker
    from ._app import fail

    if clear == bool(name and name.strip()):
        raise fail("give a NAME, or --clear (not both)")
    _done(run_guarded(set_speaker, db, ref, None if clear else name, type=type_, actor=actor))


@fix_app.command()
def date(
    ref: str = typer.Argument(..., help="The statement: ARTICLE#N."),
    day: Optional[str] = typer.Argument(None, help="The day it was said: YYYY-MM-DD (or words: \"last tuesday\")."),
    clear: bool = typer.Option(False, "--clear", help="The day is not known (falls back to the publication day)."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """Set or clear the day a statement was made."""
    from ..corrections import set_date
    from ._app import fail

    if clear == bool(day and day.strip()):
        raise fail("give a DAY, or --clear (not both)")
    _done(run_guarded(set_date, db, ref, None if clear else day, actor=actor))


@fix_app.command()
def claim(
    claim_id: str = typer.Argument(..., help="The claim's id (or its first characters), from `onrecord claims "
                                             "--format jsonl` or the claims page."),
    party: str = typer.Argument(..., help="The party, as the claim names it."),
    side: Optional[Side] = typer.Option(None, "--side", help="Put the party on this side."),
    remove: bool = typer.Option(False, "--remove", help="Take the party out of the claim."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """Move a party to the other side of a claim, or take it out."""
    from ..corrections import move_party
    from ._app import fail

    if remove == (side is not None):
        raise fail("give --side asserted|disputed, or --remove (one of them)")
    _done(run_guarded(move_party, db, claim_id, party, None if remove else side.value, actor=actor))


@fix_app.command()
def stance(
    party: str = typer.Argument(..., help="The party, as the positions matrix names it."),
    proposal: str = typer.Argument(..., help="The proposal, as the positions matrix names it."),
    value: str = typer.Argument(..., help="support, oppose, reject, mixed, \"seek revision\" or counter-proposal."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """Set a party's stance on a proposal."""
    from ..corrections import set_stance

    _done(run_guarded(set_stance, db, party, proposal, value, actor=actor))


@fix_app.command()
def merge(
    names: list[str] = typer.Argument(..., help="Two or more names of one entity; the first is the name to show."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """These names are one entity."""
    from ..corrections import merge_names

    _done(run_guarded(merge_names, db, names, actor=actor))


@fix_app.command()
def split(
    names: list[str] = typer.Argument(..., help="Two or more names that are different entities."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """These names are different entities."""
    from ..corrections import merge_names

    _done(run_guarded(merge_names, db, names, split=True, actor=actor))


@fix_app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Undone corrections too."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per correction."),
) -> None:
    """Every correction in force (with --all, undone ones too), oldest first."""
    from ..corrections import list_corrections

    rows = run_guarded(list_corrections, db, include_undone=all_)
    if as_json:
        for c in rows:
            sys.stdout.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        return
    table = record_table(f"{len(rows)} correction(s)", [
        ("id", "number"), ("what", "text"), ("by", "name"), ("when", "ref"), ("state", "name")])
    for c in rows:
        state = "in force" if c.active else f"undone by {c.undone_by}"
        table.add_row(str(c.id), _plain(c.note), _plain(c.actor), c.made_at, _plain(state))
    print_table(table)


@fix_app.command()
def undo(
    correction: int = typer.Argument(..., help="The correction's id, from `onrecord fix list`."),
    actor: Optional[str] = _ACTOR,
    db: Path = _db_option(),
) -> None:
    """Undo a correction; it stays in `fix list --all`, marked undone, with who undid it."""
    from ..corrections import undo as run_undo

    c = run_guarded(run_undo, db, correction, actor=actor)
    out.print(Text(f"undone {c.id}: ", style="bold").append_text(_plain(c.note)))


@app.command()
def review(
    reason: Optional[list[str]] = typer.Option(None, "--reason", help="Only these: both_sides, suspect_speaker, "
                                                                      "low_confidence, undated (repeatable)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many items per reason."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per item."),
) -> None:
    """What most needs a person's eye, each with the `onrecord fix` command that corrects it.

    A party on both sides of one claim, speaker names that are pronouns or descriptions, statements the
    extractor was unsure of, statements with no date.

    Examples:

      onrecord review

      onrecord review --reason undated -n 100 --json
    """
    from ..corrections import REASONS
    from ..corrections import review as run_review

    rows = run_guarded(run_review, db, reasons=tuple(reason) if reason else REASONS, limit=limit)
    if as_json:
        for item in rows:
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        return
    table = record_table(f"{len(rows)} item(s) to review", [
        ("why", "short"), ("statement or claim", "text"), ("fix with", "text")])
    for item in rows:
        what = Text(item.ref, style="dim").append("\n").append_text(_plain(item.detail))
        table.add_row(item.reason.replace("_", " "), what, _plain(item.fix))
    print_table(table)

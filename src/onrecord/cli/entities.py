"""``onrecord entities`` (list, show, merge, split) and ``onrecord timeline``: thin calls of onrecord.entities."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.text import Text

from ..settings import DEFAULT_DB
from ._app import app, err, out, plain, print_table, record_table, run_guarded

DB_ENV = "ONRECORD_DB"  # the same variable the store's verbs read


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


def _db_option():
    return typer.Option(Path(DEFAULT_DB), "--db", envvar=DB_ENV, help=f"The store file (default {DEFAULT_DB}, or ${DB_ENV}).")


_plain = plain  # names and quotes come from articles: the one sanitiser, in cli/_app.py


entities_app = typer.Typer(
    help=(
        "Canonical people, organisations, governments, places and unnamed sources across the store.\n\n"
        "Spellings and transliterations are merged (Zelensky / Zelenskyy / Zelenskiy, Kyiv / Kiev), each merge "
        "with its evidence; roles come with the dates they were reported.\n\n"
        "Examples:\n\n"
        "  onrecord entities                         # the most quoted entities\n\n"
        "  onrecord entities --type PERSON --format jsonl > people.jsonl\n\n"
        "  onrecord entities show \"Zelenskiy\"       # any spelling finds the entity\n\n"
        "  onrecord entities merge \"Volodymyr Zelensky\" \"Vladimir Zelensky\"\n\n"
        "  onrecord entities split \"Olena Kovalenko\" \"Taras Kovalenko\""
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(entities_app, name="entities")

_TYPE = typer.Option(None, "--type", "-t", help="Only this type: PERSON, ORG, GOVERNMENT, PLACE, ROLE or GROUP.")
_NAME = typer.Option(None, "--name", help="Only entities with a name like this (any spelling, part of a name).")
_MIN = typer.Option(0, "--min-statements", min=0, help="Only entities with at least this many statements.")
_LIMIT = typer.Option(None, "--limit", "-n", min=1, help="At most this many entities.")
_FORMAT = typer.Option(ListFormat.table, "--format", "-f",
                       help="table: for reading. jsonl: one entity a line (name, type, aliases, roles with dates, "
                            "statements, merge evidence).")


def _print_entities(db: Path, type_: Optional[str], name: Optional[str], min_statements: int,
                    limit: Optional[int], fmt: ListFormat) -> None:
    from ..entities import list_entities

    rows = run_guarded(list_entities, db, type=type_, name=name, min_statements=min_statements, limit=limit)
    if fmt is ListFormat.jsonl:
        for e in rows:
            sys.stdout.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        return
    table = record_table(f"{len(rows)} entit{'y' if len(rows) == 1 else 'ies'}", [
        ("name", "name", "bold cyan"), ("type", "short"), ("statements", "number"), ("roles", "text"),
        ("also written", "text", "dim")])
    for e in rows:
        roles = "; ".join(f"{r.text} ({r.first_seen or '?'})" for r in e.roles[:3])
        table.add_row(_plain(e.name), e.type.value, str(e.statements), _plain(roles), _plain(", ".join(e.aliases[:6])))
    print_table(table)


@entities_app.callback()
def entities(
    ctx: typer.Context,
    type_: Optional[str] = _TYPE,
    name: Optional[str] = _NAME,
    min_statements: int = _MIN,
    limit: Optional[int] = _LIMIT,
    fmt: ListFormat = _FORMAT,
    db: Path = _db_option(),
) -> None:
    """List canonical entities, most statements first (same as `onrecord entities list`)."""
    if ctx.invoked_subcommand is None:
        _print_entities(db, type_, name, min_statements, limit, fmt)


@entities_app.command("list")
def list_(
    type_: Optional[str] = _TYPE,
    name: Optional[str] = _NAME,
    min_statements: int = _MIN,
    limit: Optional[int] = _LIMIT,
    fmt: ListFormat = _FORMAT,
    db: Path = _db_option(),
) -> None:
    """List canonical entities, most statements first.

    Examples:

      onrecord entities list --type PERSON --min-statements 2

      onrecord entities list --format jsonl | jq -c '{name, roles}'
    """
    _print_entities(db, type_, name, min_statements, limit, fmt)


@entities_app.command()
def show(
    ref: str = typer.Argument(..., help="An entity id (person:dmitry-peskov) or any name it goes by."),
    db: Path = _db_option(),
    as_json: bool = typer.Option(False, "--json", help="The entity and its statements as one JSON object."),
) -> None:
    """One entity: its names, roles over time, why its names were merged, and its statements in time order.

    Examples:

      onrecord entities show Peskov

      onrecord entities show "person:volodymyr-zelensky" --json
    """
    from ..entities import show_entity

    entity, statements = run_guarded(show_entity, db, ref)
    if as_json:
        data = entity.to_dict()
        data["statements_in_order"] = [s.to_dict() for s in statements]
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    head = Text()
    head.append(entity.name, style="bold cyan")
    head.append(f"  {entity.type.value}  {entity.id}", style="dim")
    out.print(head)
    for label, value in (("also written", ", ".join(entity.aliases)), ("country", entity.country),
                         ("speaks for", entity.stands_for), ("part of", entity.part_of)):
        if value:
            out.print(Text(f"{label}: ", style="bold").append_text(_plain(value)))
    if entity.roles:
        out.print(Text("roles:", style="bold"))
        for r in entity.roles:
            seen = r.first_seen if r.first_seen == r.last_seen else f"{r.first_seen} … {r.last_seen}"
            out.print(Text("  ").append_text(_plain(r.text)).append(f"  (seen {seen}, {r.articles} article(s))",
                                                                     style="dim"))
    if entity.evidence:
        out.print(Text("merged because:", style="bold"))
        for v in entity.evidence:
            out.print(Text(f"  [{v.rule}] ", style="magenta").append_text(_plain(v.detail)))
    _timeline_table(statements, f"{len(statements)} statement(s), in the order they were made")


@entities_app.command()
def merge(
    names: list[str] = typer.Argument(..., help="Two or more names of one entity; the first is the name to show."),
    db: Path = _db_option(),
    aliases: Optional[Path] = typer.Option(None, "--aliases", help="Alias file (TOML) to apply as well."),
) -> None:
    """Tell onrecord that these names are one entity; the rule is kept in the store for later ingests.

    Examples:

      onrecord entities merge "Volodymyr Zelensky" "Vladimir Zelensky"
    """
    _override(names, db, aliases, split=False)


@entities_app.command()
def split(
    names: list[str] = typer.Argument(..., help="Two or more names that are different entities."),
    db: Path = _db_option(),
    aliases: Optional[Path] = typer.Option(None, "--aliases", help="Alias file (TOML) to apply as well."),
) -> None:
    """Tell onrecord that these names are different entities, whatever their spelling suggests.

    Examples:

      onrecord entities split "Olena Kovalenko" "Taras Kovalenko"
    """
    _override(names, db, aliases, split=True)


def _override(names: list[str], db: Path, aliases: Optional[Path], *, split: bool) -> None:
    from ..entities import load_aliases, merge_entities

    rules = run_guarded(load_aliases, aliases) if aliases else None
    # Re-merging rebuilds every canonical entity: seconds on a large store, so show that work is going on.
    with err.status("re-merging entities…"):
        result = run_guarded(merge_entities, db, names, split=split, aliases=rules)
    verb = "kept apart" if split else "merged"
    out.print(Text(f"{verb}: ").append_text(_plain(" / ".join(names))))
    for e in result:
        out.print(Text("  ").append_text(_plain(e.name)).append(f"  {e.id}, {e.statements} statement(s)", style="dim"))


def _timeline_table(rows, title: str) -> None:
    table = record_table(title, [("when", "date"), ("speaker", "name", "bold cyan"), ("cue", "short", "magenta"),
                                 ("content", "text"), ("source", "ref", "dim")])
    for t in rows:
        when = Text(t.when or "—")
        if t.basis == "text":
            when.append(f"\n{t.date_text}", style="dim")
        elif t.basis == "published":
            when.append("\n(published)", style="dim")
        where = Text(t.article_id[:8])
        if t.outlet:
            where.append("\n").append_text(_plain(t.outlet))
        table.add_row(when, _plain(t.speaker or "—"), _plain(t.cue_text), _plain(t.content_text), where)
    print_table(table)


@app.command()
def timeline(
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only statements by this entity (any name)."),
    about: Optional[str] = typer.Option(None, "--about", help="Only statements whose content mentions this text."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many statements."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table or jsonl."),
    db: Path = _db_option(),
) -> None:
    """Statements in the order they were made.

    A statement's date is the one its sentence gives ("Earlier on Tuesday, Putin
    stated…", resolved against the publication date) when there is one, else the
    article's publication day; the `when` column says which.

    Examples:

      onrecord timeline --entity Zelensky

      onrecord timeline --about Kupiansk --format jsonl
    """
    from ..entities import timeline as run_timeline

    rows = run_guarded(run_timeline, db, entity=entity, about=about, limit=limit)
    if fmt is ListFormat.jsonl:
        for t in rows:
            sys.stdout.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")
        return
    _timeline_table(rows, f"{len(rows)} statement(s), in the order they were made")

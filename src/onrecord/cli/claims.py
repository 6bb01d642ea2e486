"""``onrecord claims`` and ``onrecord positions``: thin calls of onrecord.claims over the store."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.text import Text

from ..settings import DEFAULT_DB
from ._app import app, err, plain, print_table, record_table, run_guarded

DB_ENV = "ONRECORD_DB"  # the same variable the store's verbs read


class ClaimFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    jsonld = "jsonld"


class PositionFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


def _db_option():
    return typer.Option(Path(DEFAULT_DB), "--db", envvar=DB_ENV,
                        help=f"The store file (default {DEFAULT_DB}, or ${DB_ENV}).")


_plain = plain  # names and sentences come from articles: the one sanitiser, in cli/_app.py


def _open(output: Optional[Path]):
    return open(output, "w", encoding="utf-8") if output else sys.stdout


@app.command()
def claims(
    contested: bool = typer.Option(True, "--contested/--all", "-c/-A",
                                   help="Contested claims only (the default: at least one party asserts and "
                                        "one disputes), or --all to list one-sided claims as well."),
    about: Optional[str] = typer.Option(None, "--about", "-a",
                                        help="Words that must all appear in the topic, a party or the evidence "
                                             "(\"Pokrovsk\", \"hospital Ternivka\"); a name also finds the "
                                             "other names of its entity (Kupyansk, Kupiansk)."),
    kind: Optional[str] = typer.Option(None, "--kind", "-k",
                                       help="Only this kind: statement, control, casualties, prisoners, accusation, "
                                            "authorship or progress."),
    party: Optional[str] = typer.Option(None, "--party", help="Only claims this party asserted or disputed."),
    fmt: ClaimFormat = typer.Option(ClaimFormat.table, "--format", "-f",
                                    help="table: for reading. jsonl: one claim a line (topic, asserted_by, "
                                         "disputed_by, evidence with article ids and spans). jsonld: one "
                                         "schema.org document of ClaimReview items."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write jsonl/jsonld here instead of stdout."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many claims."),
    db: Path = _db_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line on stderr."),
) -> None:
    """Contested claims across the store: who asserted each, who disputed it, since when, with the sentences.

    A claim is a proposition about a target: control of a place, a casualty or
    prisoner figure, an attack someone is accused of, who wrote a document,
    whether talks made progress.  The same claim from different outlets and
    days is grouped once.  Only contested claims are listed unless --all is
    given (a claim no one disputes is a statement, not a dispute).

    Examples:

      onrecord ingest articles/ && onrecord claims

      onrecord claims --about Pokrovsk

      onrecord claims --all --kind accusation --format jsonl > accusations.jsonl

      onrecord claims --format jsonld -o claims.jsonld
    """
    from ..claims import ClaimIndex

    def fetch():
        with ClaimIndex(db) as idx:
            found = idx.claims(contested=contested, about=about, kind=kind, party=party, limit=limit)
            # JSON-LD links each evidence to its article (address, title, outlet, date); the others do not.
            articles = idx.articles(s.evidence.article for c in found for s in c.statements) \
                if fmt is ClaimFormat.jsonld else {}
        return found, articles

    found, articles = run_guarded(fetch)
    if fmt is ClaimFormat.table:
        _claims_table(found)
    else:
        _write_claims(found, articles, fmt, output)
    if not quiet:
        contested_n = sum(c.contested for c in found)
        err.print(f"{len(found)} claim(s), {contested_n} contested", highlight=False)


def _write_claims(found, articles, fmt: ClaimFormat, output: Optional[Path]) -> None:
    """Claims as JSON lines or one JSON-LD document, to ``output`` or stdout."""
    from ..claims import claim_reviews, write_jsonl

    sink = _open(output)
    try:
        if fmt is ClaimFormat.jsonl:
            write_jsonl(found, sink)
        else:
            sink.write(json.dumps(claim_reviews(found, articles), ensure_ascii=False, indent=2) + "\n")
    finally:
        if output:
            sink.close()


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word and marked, so no word is shown half."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _claims_table(found) -> None:
    # Columns by kind (cli/_app.py): they wrap at the terminal's width instead of cutting words.
    table = record_table(None, [("claim", "text", "bold"), ("sides", "name"), ("evidence", "text")])
    table.show_lines = True
    for c in found:
        lines = Text()
        for s in c.statements[:6]:
            # Words, not marks: a side is what a party says, not a verdict on it.
            verb = "asserts" if s.side.value == "asserted" else "disputes"
            lines.append(f"{s.evidence.said_on or '?'} {verb}: ", style="dim")
            lines.append_text(_plain(s.party, "bold"))
            lines.append(": ")
            lines.append_text(_plain(_clip(s.evidence.text, 160)))
            lines.append("\n")
        if len(c.statements) > 6:
            lines.append(f"… {len(c.statements) - 6} more (use --format jsonl)", style="dim")
        since = f"since {c.first_seen or '?'}" + (f", disputed {c.disputed_since}" if c.disputed_since else "")
        sides = Text.assemble(("asserted by\n", "green"), _plain("\n".join(c.asserted_by) or "?"),
                              ("\ndisputed by\n", "red"), _plain("\n".join(c.disputed_by) or "?"))
        table.add_row(_plain(f"{c.topic}\n{c.proposition}\n{since}"), sides, lines)
    print_table(table)


@app.command()
def positions(
    proposal: Optional[str] = typer.Option(None, "--proposal", "-p",
                                           help="Words of the proposal's name (\"28-point\", \"NATO membership\")."),
    party: Optional[str] = typer.Option(None, "--party", help="Words of the party's name."),
    about: Optional[str] = typer.Option(None, "--about", "-a",
                                        help="Words that must all appear in the proposal, the party or the "
                                             "evidence; a name also finds the other names of its entity."),
    stance: Optional[str] = typer.Option(None, "--stance", help="Only this stance: support, oppose, reject, mixed, "
                                                                "\"seek revision\" or counter-proposal."),
    fmt: PositionFormat = typer.Option(PositionFormat.table, "--format", "-f",
                                       help="table: for reading. jsonl: one position a line (party, proposal, "
                                            "stance, stances over time, evidence)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write jsonl here instead of stdout."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many positions."),
    db: Path = _db_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line on stderr."),
) -> None:
    """Where each party stands on each proposal: support, oppose, reject, mixed, seek revision, counter-proposal.

    Proposals are recognised as entities ("the US-supported 28-point plan", "the
    amendments suggested by Kyiv", "NATO membership"); "the plan", "this
    proposal" are resolved to the one the article means.  The stance shown is
    the latest; every stance seen is kept.

    Examples:

      onrecord positions

      onrecord positions --proposal "28-point plan"

      onrecord positions --party Kremlin --format jsonl
    """
    from ..claims import list_positions, write_jsonl

    found = run_guarded(list_positions, db, proposal=proposal, party=party, stance=stance, about=about,
                        limit=limit)
    if fmt is PositionFormat.table:
        table = record_table(None, [("proposal", "name", "bold"), ("party", "name", "cyan"), ("stance", "short"),
                                    ("evidence", "text")])
        table.show_lines = True
        for p in found:
            ev = Text()
            for e in p.evidence[:4]:
                ev.append(f"{e.said_on or '?'} ", style="dim")
                ev.append_text(_plain(_clip(e.text, 200)))
                ev.append("\n")
            history = p.stance.value + (f"\n(was {', '.join(s.value for s in p.stances[:-1])})"
                                        if len(set(p.stances)) > 1 else "")
            table.add_row(_plain(p.proposal), _plain(p.party), _plain(history), ev)
        print_table(table)
    else:
        sink = _open(output)
        try:
            write_jsonl(found, sink)
        finally:
            if output:
                sink.close()
    if not quiet:
        err.print(f"{len(found)} position(s)", highlight=False)

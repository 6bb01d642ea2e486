"""Making, listing and undoing corrections: what `onrecord fix` and the web editor call.

Every correction is one row in ``corrections`` and one ``made`` line in ``correction_log`` (who, when), written
in one transaction with its effect on the record.  Statement corrections then rerun the cross-article steps
(``Writer.finalize``), so speaker pages, entities and claims follow at once.
"""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..errors import ConfigError, StoreError
from ..entities.incremental import mark_names
from .apply import apply_across, apply_article, tables
from .records import COLUMNS, Correction, CorrectionKind

SIDES = ("asserted", "disputed")
ENTITY_TYPES = ("PERSON", "ORG", "GOVERNMENT", "PLACE", "ROLE", "GROUP")
_REF = re.compile(r"^\s*([0-9a-fA-F]{4,16}|\S+?)\s*[#:/]\s*(\d+)\s*$")


def default_actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        return "cli"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_ref(ref: str) -> tuple[str, int]:
    """``ARTICLE#IDX`` (``ARTICLE`` an id or a unique start of one; ``:`` works too) → (article ref, idx)."""
    m = _REF.match(ref or "")
    if not m:
        raise ConfigError(f"{ref!r} is not a statement reference; use ARTICLE#N as `onrecord quotes` prints it "
                          "(e.g. 3f2a9c1d#4)")
    return m.group(1), int(m.group(2))


class _Session:
    """The store's writer for one correction: checks the store exists first (a correction never creates one)."""

    def __init__(self, db: str | Path) -> None:
        from ..store import Reader
        from ..store.writer import Writer

        with Reader(db) as reader:  # raises StoreError with what to do for a missing file or a non-store
            self.reader_path = reader.path
        self.writer = Writer(db)
        self.conn = self.writer.conn

    def __enter__(self) -> "_Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.writer.close(finalize=False)

    def resolve_article(self, ref: str) -> str:
        from ..store import Reader

        with Reader(self.reader_path) as reader:
            return reader.resolve(ref)

    def transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(self.conn)
            self.conn.execute("COMMIT")
        except BaseException as err:
            self.conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise StoreError(f"the correction could not be stored ({err}); the store is unchanged") from err
            raise
        return result


def _insert(conn: sqlite3.Connection, kind: CorrectionKind, actor: str, note: str, *, article_id: str | None = None,
            cue: tuple[int, int] | None = None, target: str | None = None, party: str | None = None,
            value: Any = None, before: Any = None) -> int:
    cid = conn.execute(
        "INSERT INTO corrections(kind, article_id, cue_start, cue_end, target, party, value, before, note, actor,"
        " made_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (kind.value, article_id, cue[0] if cue else None, cue[1] if cue else None, target, party,
         json.dumps(value, ensure_ascii=False), json.dumps(before, ensure_ascii=False), note, actor, _now()),
    ).fetchone()[0]
    conn.execute("INSERT INTO correction_log(correction_id, action, actor, at) VALUES (?, 'made', ?, ?)",
                 (cid, actor, _now()))
    return cid


def _get(conn: sqlite3.Connection, cid: int) -> Correction:
    row = conn.execute(f"SELECT {COLUMNS} FROM corrections WHERE id = ?", (cid,)).fetchone()
    if row is None:
        raise ConfigError(f"there is no correction {cid}; see `onrecord fix list`")
    return Correction.from_row(row)


def _statement(s: _Session, ref: str) -> tuple[str, int, tuple[int, int], sqlite3.Row | tuple]:
    article_ref, idx = parse_ref(ref)
    article_id = s.resolve_article(article_ref)
    row = s.conn.execute("SELECT cue_spans, speaker_name, said_on, content_text FROM attributions"
                         " WHERE article_id = ? AND idx = ?", (article_id, idx)).fetchone()
    if row is None:
        n = s.conn.execute("SELECT count(*) FROM attributions WHERE article_id = ?", (article_id,)).fetchone()[0]
        raise ConfigError(f"article {article_id} has no statement #{idx} (it has {n}, numbered 0–{max(n - 1, 0)}); "
                          f"see `onrecord show {article_id[:8]}`")
    cues = json.loads(row[0])
    return article_id, idx, (cues[0][0], cues[-1][1]), row


def _statement_fix(db: str | Path, ref: str, kind: CorrectionKind, value: Any, actor: str | None,
                   describe: Callable[[tuple, str], tuple[Any, str]]) -> Correction:
    with _Session(db) as s:
        article_id, idx, cue, row = _statement(s, ref)
        before, note = describe(row, f"{article_id[:12]}#{idx}")

        def work(conn: sqlite3.Connection) -> int:
            cid = _insert(conn, kind, actor or default_actor(), note, article_id=article_id, cue=cue, value=value,
                          before=before)
            apply_article(conn, article_id)
            return cid

        cid = s.transaction(work)
        s.writer.finalize()  # entities, speaker pages and claims follow the corrected statement
        return _get(s.conn, cid)


def set_speaker(db: str | Path, ref: str, name: str | None, *, type: str = "PERSON",
                actor: str | None = None) -> Correction:
    """Set (or, with ``name=None``, clear) who made the statement ``ref`` (``ARTICLE#IDX``)."""
    clean = " ".join((name or "").split()) or None
    kind = (type or "PERSON").upper()
    if kind not in ENTITY_TYPES:
        raise ConfigError(f"--type {type!r} is not an entity type; use one of {', '.join(ENTITY_TYPES)}")
    value = {"name": clean, "type": kind} if clean else None
    return _statement_fix(db, ref, CorrectionKind.SPEAKER, value, actor, lambda row, where: (
        row[1], f"speaker of {where}: {row[1] or '(none)'} → {clean or '(none)'}"))


def set_date(db: str | Path, ref: str, day: str | date | None, *, actor: str | None = None) -> Correction:
    """Set (or, with ``day=None``, clear) the day the statement ``ref`` was made."""
    from ..store.filters import parse_date

    value = parse_date(day, option="date") if day else None
    return _statement_fix(db, ref, CorrectionKind.DATE, value, actor, lambda row, where: (
        row[2], f"date of {where}: {row[2] or '(none)'} → {value or '(none)'}"))


def _claim(conn: sqlite3.Connection, ref: str) -> str:
    if not {"claims", "claim_statements"} <= tables(conn):
        raise StoreError("this store has no claims yet; run `onrecord ingest --reprocess` to find them")
    ref = ref.strip()
    rows = conn.execute("SELECT id FROM claims WHERE id = ? OR id LIKE ? LIMIT 2",
                        (ref, ref.replace("%", "").replace("_", "") + "%")).fetchall()
    if len(rows) != 1:
        raise ConfigError(f"{'no claim' if not rows else 'several claims'} with id {ref!r}; "
                          "see the ids with `onrecord claims --format jsonl`")
    return rows[0][0]


def move_party(db: str | Path, claim: str, party: str, side: str | None, *, actor: str | None = None) -> Correction:
    """Put ``party`` on ``side`` (asserted, disputed) of ``claim``, or with ``side=None`` take it out."""
    if side is not None and side not in SIDES:
        raise ConfigError(f"side {side!r}: use asserted or disputed")
    with _Session(db) as s:
        claim_id = _claim(s.conn, claim)
        rows = s.conn.execute("SELECT DISTINCT party, side FROM claim_statements WHERE claim_id = ?",
                              (claim_id,)).fetchall()
        matching = [(p, sd) for p, sd in rows if p.casefold() == party.strip().casefold()]
        if not matching:
            names = ", ".join(sorted({p for p, _ in rows})) or "nobody"
            raise ConfigError(f"{party!r} is not a party to claim {claim_id}; its parties are: {names}")
        name = matching[0][0]
        before = sorted({sd for _, sd in matching})
        kind = CorrectionKind.CLAIM_SIDE if side else CorrectionKind.CLAIM_REMOVE
        note = (f"{name} on claim {claim_id}: {'/'.join(before)} → {side or 'removed'}")

        def work(conn: sqlite3.Connection) -> int:
            cid = _insert(conn, kind, actor or default_actor(), note, target=claim_id, party=name, value=side,
                          before=before)
            apply_across(conn)
            return cid

        return _get(s.conn, s.transaction(work))


def set_stance(db: str | Path, party: str, proposal: str, stance: str, *, actor: str | None = None) -> Correction:
    """Set ``party``'s stance on ``proposal`` (names as the positions matrix shows them, any case)."""
    from ..claims.records import Stance

    try:
        value = Stance(stance.strip().lower().replace("_", " ").replace("counter proposal", "counter-proposal")).value
    except ValueError:
        raise ConfigError(f"stance {stance!r}: use one of {', '.join(s.value for s in Stance)}") from None
    with _Session(db) as s:
        if "positions" not in tables(s.conn):
            raise StoreError("this store has no positions yet; run `onrecord ingest --reprocess` to find them")
        rows = s.conn.execute(
            "SELECT id, party, proposal, stance FROM positions WHERE party = ? COLLATE NOCASE AND"
            " (proposal = ? COLLATE NOCASE OR proposal_key = ? COLLATE NOCASE)",
            (party.strip(), proposal.strip(), proposal.strip())).fetchall()
        if len(rows) > 1:  # a bare "proposal" is each article's own: the key names which
            keys = s.conn.execute(
                "SELECT proposal_key FROM positions WHERE party = ? COLLATE NOCASE AND proposal = ? COLLATE NOCASE",
                (party.strip(), proposal.strip())).fetchall()
            raise ConfigError(f"{party!r} has {len(rows)} positions on proposals called {proposal!r} (one per "
                              f"article); name one by its key: {', '.join(k[0] for k in keys)}")
        if len(rows) != 1:
            known = s.conn.execute("SELECT DISTINCT proposal FROM positions WHERE party = ? COLLATE NOCASE",
                                   (party.strip(),)).fetchall()
            hint = ("; its proposals: " + ", ".join(r[0] for r in known)) if known else \
                "; see `onrecord positions` for the parties and proposals"
            raise ConfigError(f"no position of {party!r} on {proposal!r}{hint}")
        pid, pname, proposal_name, old = rows[0]
        note = f"stance of {pname} on {proposal_name}: {old} → {value}"

        def work(conn: sqlite3.Connection) -> int:
            cid = _insert(conn, CorrectionKind.STANCE, actor or default_actor(), note, target=pid, party=pname,
                          value=value, before=old)
            apply_across(conn)
            return cid

        return _get(s.conn, s.transaction(work))


def merge_names(db: str | Path, names: list[str], *, split: bool = False, actor: str | None = None) -> Correction:
    """These names are one entity (or, with ``split``, different ones): kept with the entities' own overrides."""
    from ..entities.aliases import split_rule

    clean = [" ".join(n.split()) for n in names if n and n.strip()]
    if len(clean) < 2:
        raise ConfigError("give at least two names, e.g. `onrecord fix merge \"Volodymyr Zelensky\" \"Vladimir Zelensky\"`")
    if split:
        split_rule(tuple(clean), "onrecord fix split")
    with _Session(db) as s:
        if "entity_overrides" not in tables(s.conn):
            raise StoreError("this store has no entity tables; run `onrecord ingest --reprocess` first")
        kind = CorrectionKind.SPLIT if split else CorrectionKind.MERGE

        def work(conn: sqlite3.Connection) -> int:
            oid = conn.execute("INSERT INTO entity_overrides(kind, names, created_at) VALUES (?, ?, ?) RETURNING id",
                               (kind.value, json.dumps(clean, ensure_ascii=False), _now())).fetchone()[0]
            mark_names(conn, clean, _now())  # the next finalize merges again what these names reach
            return _insert(conn, kind, actor or default_actor(), f"{kind.value}: {' / '.join(clean)}",
                           target=json.dumps(clean, ensure_ascii=False), value={"override": oid})

        cid = s.transaction(work)
        s.writer.finalize()
        return _get(s.conn, cid)


def undo(db: str | Path, cid: int, *, actor: str | None = None) -> Correction:
    """Undo correction ``cid``: it stays in the list, marked undone, and the record goes back to without it."""
    with _Session(db) as s:
        c = _get(s.conn, int(cid))
        if not c.active:
            raise ConfigError(f"correction {cid} was already undone by {c.undone_by} at {c.undone_at}")
        who = actor or default_actor()

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE corrections SET undone_by = ?, undone_at = ? WHERE id = ?", (who, _now(), c.id))
            conn.execute("INSERT INTO correction_log(correction_id, action, actor, at) VALUES (?, 'undone', ?, ?)",
                         (c.id, who, _now()))
            if c.kind in (CorrectionKind.MERGE, CorrectionKind.SPLIT):
                conn.execute("DELETE FROM entity_overrides WHERE id = ?", ((c.value or {}).get("override"),))
                mark_names(conn, json.loads(c.target or "[]"), _now())
            elif c.article_id:
                apply_article(conn, c.article_id)

        s.transaction(work)
        # Claims and positions are regrouped from the articles and the remaining corrections applied again.
        s.writer.finalize()
        return _get(s.conn, c.id)


def list_corrections(db: str | Path, *, include_undone: bool = False) -> list[Correction]:
    """Every correction, oldest first; undone ones only with ``include_undone``."""
    from ..store.connection import open_reader

    conn = open_reader(db)
    try:
        if "corrections" not in tables(conn):
            return []
        sql = f"SELECT {COLUMNS} FROM corrections" + ("" if include_undone else " WHERE undone_at IS NULL")
        return [Correction.from_row(r) for r in conn.execute(sql + " ORDER BY id")]
    finally:
        conn.close()

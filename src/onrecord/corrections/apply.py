"""Applying the stored corrections to the rows extraction wrote, again after every write and rebuild.

Statement corrections (speaker, date) are applied per article, inside the article's write transaction, by
:func:`apply_article`; claim and position corrections after the claims feature regrouped everything, by
:func:`apply_across`.  Both are idempotent: ``apply_article`` first puts back what extraction wrote (stashed
in ``attributions.extra["extracted"]`` the first time a statement is changed), then applies every active
correction in the order made.  So undoing a correction is: mark it undone, apply again.

A statement is found again by its cue span, not by its position in the list: a re-extraction after a model
upgrade may find one statement more or less, and the correction must still land on the same words.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any

from ..errors import StoreError
from ..names import skeleton
from ..store.incremental import mark_pending
from .records import COLUMNS, Correction, CorrectionKind

STASH = "extracted"  # key in attributions.extra: the extractor's own values, before any correction
CORRECTED = "corrected"  # key in attributions.extra: what was corrected (exports show it)
ADDED = "correction"  # key in an entity's JSON (entity_articles.data): added by a correction, not the extractor

_STASHED_COLUMNS = ("speaker_id", "speaker_name", "speaker_mention", "speaker_type", "speaker_antecedent", "said_on")


def tables(conn: sqlite3.Connection) -> frozenset[str]:
    return frozenset(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def active(conn: sqlite3.Connection, *, article_id: str | None = None,
           kinds: tuple[CorrectionKind, ...] | None = None) -> list[Correction]:
    sql = f"SELECT {COLUMNS} FROM corrections WHERE undone_at IS NULL"
    params: list[Any] = []
    if article_id is not None:
        sql += " AND article_id = ?"
        params.append(article_id)
    if kinds:
        sql += f" AND kind IN ({','.join('?' * len(kinds))})"
        params.extend(k.value for k in kinds)
    return [Correction.from_row(r) for r in conn.execute(sql + " ORDER BY id", params)]


def find_statement(conn: sqlite3.Connection, article_id: str, cue_start: int, cue_end: int) -> int | None:
    """The statement of the article whose cue overlaps [cue_start, cue_end) most, else None."""
    best, best_overlap = None, 0
    for idx, cues in conn.execute("SELECT idx, cue_spans FROM attributions WHERE article_id = ?", (article_id,)):
        overlap = sum(max(0, min(e, cue_end) - max(s, cue_start)) for s, e in json.loads(cues))
        if overlap > best_overlap:
            best, best_overlap = idx, overlap
    return best


# -- statements ---------------------------------------------------------------------------------------------

def apply_article(conn: sqlite3.Connection, article_id: str) -> int:
    """Put back the extractor's values for the article, then apply its active statement corrections.

    Runs inside the caller's transaction; returns how many corrections found their statement.
    """
    if "corrections" not in tables(conn):
        return 0
    wanted = active(conn, article_id=article_id, kinds=(CorrectionKind.SPEAKER, CorrectionKind.DATE))
    stashed = conn.execute(
        "SELECT 1 FROM attributions WHERE article_id = ? AND extra LIKE '%\"extracted\"%' LIMIT 1", (article_id,)
    ).fetchone()
    if not wanted and not stashed:
        return 0
    entities = _EntityData(conn, article_id)
    # What this changes (speakers, dates) feeds the cross-article tables: the next finalize redoes the article's share.
    mark_pending(conn, [article_id], datetime.now(timezone.utc).isoformat(timespec="seconds"))
    _restore(conn, article_id, entities)
    applied = 0
    for c in wanted:
        if c.cue_start is None or c.cue_end is None:
            continue
        idx = find_statement(conn, article_id, c.cue_start, c.cue_end)
        if idx is None:
            continue
        _stash(conn, article_id, idx, entities, c.kind)
        if c.kind is CorrectionKind.SPEAKER:
            _set_speaker(conn, article_id, idx, c.value, entities)
        else:
            conn.execute("UPDATE attributions SET said_on = ? WHERE article_id = ? AND idx = ?",
                         (c.value, article_id, idx))
        applied += 1
    entities.save()
    return applied


class _EntityData:
    """The entities feature's per-article JSON (what its rebuild reads), when the store has it."""

    def __init__(self, conn: sqlite3.Connection, article_id: str) -> None:
        self.conn, self.article_id = conn, article_id
        self.data: dict[str, Any] | None = None
        if {"entity_articles", "entity_speakers", "entity_locals"} <= tables(conn):
            row = conn.execute("SELECT data FROM entity_articles WHERE article_id = ?", (article_id,)).fetchone()
            if row:
                self.data = json.loads(row[0])
        self.changed = False

    @property
    def ents(self) -> dict[str, Any]:
        assert self.data is not None
        return self.data.setdefault("entities", {})

    def link(self, idx: int) -> list | None:
        if self.data is None:
            return None
        for s in self.ents.get("speakers", []):
            if s["idx"] == idx:
                return [s["local"], s["via"]]
        return None

    def set_link(self, idx: int, link: list | None) -> None:
        if self.data is None:
            return
        speakers = [s for s in self.ents.get("speakers", []) if s["idx"] != idx]
        self.conn.execute("DELETE FROM entity_speakers WHERE article_id = ? AND idx = ?", (self.article_id, idx))
        if link is not None:
            speakers.append({"idx": idx, "local": link[0], "via": link[1]})
            self.conn.execute("INSERT INTO entity_speakers(article_id, idx, local, via) VALUES (?, ?, ?, ?)",
                              (self.article_id, idx, link[0], link[1]))
        self.ents["speakers"] = sorted(speakers, key=lambda s: s["idx"])
        self.changed = True

    def strip_added(self) -> None:
        if self.data is None:
            return
        entities = self.ents.get("entities", [])
        kept = [e for e in entities if not e.get(ADDED)]
        if len(kept) != len(entities):
            self.ents["entities"] = kept
            self.conn.execute("DELETE FROM entity_locals WHERE article_id = ? AND local >= ?",
                              (self.article_id, len(kept)))
            self.changed = True

    def local_for(self, name: str, type_: str) -> int | None:
        """The article's entity with this name (any spelling), else a new one added for the correction."""
        if self.data is None:
            return None
        from ..entities.names import skeleton

        key = skeleton(name)
        entities = self.ents.setdefault("entities", [])
        for e in entities:
            variants = [e["name"], *(m["text"] for m in e.get("mentions", ()) if m.get("how") == "name")]
            if any(skeleton(v) == key for v in variants):
                return int(e["local"])
        local = len(entities)
        entities.append({"local": local, "type": type_, "name": name, "mentions": [], "roles": [], "country": None,
                         "stands_for": None, "part_of": None, ADDED: True})
        self.conn.execute("INSERT INTO entity_locals(article_id, local, type, name) VALUES (?, ?, ?, ?)",
                          (self.article_id, local, type_, name))
        self.changed = True
        return local

    def save(self) -> None:
        if self.data is not None and self.changed:
            self.conn.execute("UPDATE entity_articles SET data = ? WHERE article_id = ?",
                              (json.dumps(self.data, ensure_ascii=False), self.article_id))


def _extra(raw: str | None) -> dict[str, Any]:
    value = json.loads(raw) if raw else {}
    return value if isinstance(value, dict) else {}


def _stash(conn: sqlite3.Connection, article_id: str, idx: int, entities: _EntityData, kind: CorrectionKind) -> None:
    row = conn.execute(f"SELECT extra, {', '.join(_STASHED_COLUMNS)} FROM attributions WHERE article_id = ? AND idx = ?",
                       (article_id, idx)).fetchone()
    extra = _extra(row[0])
    if STASH not in extra:
        extra[STASH] = {**dict(zip(_STASHED_COLUMNS, row[1:])), "link": entities.link(idx)}
    extra[CORRECTED] = sorted({*extra.get(CORRECTED, ()), kind.value})
    conn.execute("UPDATE attributions SET extra = ? WHERE article_id = ? AND idx = ?",
                 (json.dumps(extra, ensure_ascii=False), article_id, idx))


def _restore(conn: sqlite3.Connection, article_id: str, entities: _EntityData) -> None:
    rows = conn.execute(
        "SELECT idx, extra FROM attributions WHERE article_id = ? AND extra LIKE '%\"extracted\"%'", (article_id,)
    ).fetchall()
    for idx, raw in rows:
        extra = _extra(raw)
        original = extra.pop(STASH, None)
        extra.pop(CORRECTED, None)
        if original is None:
            continue
        sets = ", ".join(f"{c} = ?" for c in _STASHED_COLUMNS)
        conn.execute(f"UPDATE attributions SET {sets}, extra = ? WHERE article_id = ? AND idx = ?",
                     (*(original.get(c) for c in _STASHED_COLUMNS), json.dumps(extra, ensure_ascii=False) if extra
                      else None, article_id, idx))
        entities.set_link(idx, original.get("link"))
    entities.strip_added()


def speaker_id(conn: sqlite3.Connection, name: str, type_: str) -> int:
    return conn.execute(
        "INSERT INTO speakers(name, type) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET type = CASE WHEN type = 'UNKNOWN' THEN excluded.type ELSE type END"
        " RETURNING id", (name, type_)).fetchone()[0]


def _set_speaker(conn: sqlite3.Connection, article_id: str, idx: int, value: Any, entities: _EntityData) -> None:
    if not value:  # clear: the statement has no known speaker
        conn.execute("UPDATE attributions SET speaker_id = NULL, speaker_name = NULL, speaker_type = NULL,"
                     " speaker_antecedent = NULL WHERE article_id = ? AND idx = ?", (article_id, idx))
        entities.set_link(idx, None)
        return
    name, type_ = value["name"], value.get("type") or "PERSON"
    conn.execute("UPDATE attributions SET speaker_id = ?, speaker_name = ?, speaker_type = ?, speaker_antecedent = NULL"
                 " WHERE article_id = ? AND idx = ?", (speaker_id(conn, name, type_), name, type_, article_id, idx))
    local = entities.local_for(name, type_)
    if local is not None:
        entities.set_link(idx, [local, "correction"])


# -- claims and positions ---------------------------------------------------------------------------------

def apply_across(conn: sqlite3.Connection) -> int:
    """Apply every active claim and position correction to the regrouped tables (caller's transaction)."""
    have = tables(conn)
    if "corrections" not in have or not {"claims", "claim_statements", "positions"} <= have:
        return 0
    applied = 0
    for c in active(conn, kinds=(CorrectionKind.CLAIM_SIDE, CorrectionKind.CLAIM_REMOVE, CorrectionKind.STANCE)):
        if c.kind is CorrectionKind.STANCE:
            n = conn.execute("UPDATE positions SET stance = ? WHERE id = ?", (c.value, c.target)).rowcount
            applied += (n or _stance_by_entity(conn, have, c)) > 0
            continue
        # The party as the person named it, or any other name of its entity (a regrouping after an upgrade
        # or --reprocess may show the entity under another of its names).
        who, params = _party_match(conn, have, c.party or "")
        if c.kind is CorrectionKind.CLAIM_SIDE:
            n = conn.execute(f"UPDATE claim_statements SET side = ? WHERE claim_id = ? AND {who}",
                             (c.value, c.target, *params)).rowcount
        else:
            n = conn.execute(f"DELETE FROM claim_statements WHERE claim_id = ? AND {who}",
                             (c.target, *params)).rowcount
        if n:
            recompute_claim(conn, c.target)
            applied += 1
    return applied


def _stance_by_entity(conn: sqlite3.Connection, have: frozenset[str], c: Correction) -> int:
    """A stance correction whose position now shows its party under another name of the same entity (its id,
    a hash of the party's name and the proposal, changed): the position of that entity on the same proposal."""
    from ..claims.grouping import position_id

    who, params = _party_match(conn, have, c.party or "", "positions")
    rows = conn.execute(f"SELECT id, proposal_key FROM positions WHERE {who}", params).fetchall()
    for pid, key in rows:
        if position_id(c.party or "", key) == c.target:
            return conn.execute("UPDATE positions SET stance = ? WHERE id = ?", (c.value, pid)).rowcount
    # a bare proposal ("the proposal") set before its key named its article: each article's position on it
    split = [pid for pid, key in rows if "@" in key and position_id(c.party or "", key.split("@")[0]) == c.target]
    return sum(conn.execute("UPDATE positions SET stance = ? WHERE id = ?", (c.value, pid)).rowcount for pid in split)


def _party_match(conn: sqlite3.Connection, have: frozenset[str], party: str,
                 table: str = "claim_statements") -> tuple[str, tuple]:
    """SQL condition on ``table`` for ``party``: its name, or the entity (party_id) going by that name."""
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if "party_id" not in columns or "entity_names" not in have:
        return "party = ? COLLATE NOCASE", (party,)
    return ("(party = ? COLLATE NOCASE OR party_id IN (SELECT entity_id FROM entity_names WHERE key = ?))",
            (party, skeleton(party)))


def recompute_claim(conn: sqlite3.Connection, claim_id: str) -> None:
    """A claim's sides, dates and count again from its statements (after a party was moved or removed)."""
    rows = conn.execute("SELECT party, side, said_on FROM claim_statements WHERE claim_id = ? ORDER BY ord",
                        (claim_id,)).fetchall()
    if not rows:
        conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
        return
    sides: dict[str, dict[str, None]] = {"asserted": {}, "disputed": {}}
    for party, side, _ in rows:
        sides[side].setdefault(party, None)
    dates = [d for _, _, d in rows if d]
    disputed = [d for _, side, d in rows if d and side == "disputed"]
    conn.execute(
        "UPDATE claims SET asserted_by = ?, disputed_by = ?, contested = ?, first_seen = ?, disputed_since = ?,"
        " statements = ? WHERE id = ?",
        (json.dumps(list(sides["asserted"]), ensure_ascii=False), json.dumps(list(sides["disputed"]), ensure_ascii=False),
         int(bool(sides["asserted"]) and bool(sides["disputed"])), min(dates) if dates else None,
         min(disputed) if disputed else None, len(rows), claim_id))


def check(conn: sqlite3.Connection) -> None:
    if "corrections" not in tables(conn):
        raise StoreError("this store has no corrections table yet; open it once with a writer (`onrecord ingest`)")

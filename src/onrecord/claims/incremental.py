"""The claims feature's cross-article tables, brought up to date block by block.

Every claim mention falls in one *block* (its kind and the first letters of its
target's key, :func:`~onrecord.claims.grouping.mention_block`) and every
proposal and position in one too (the proposal's head noun,
:func:`~onrecord.claims.grouping.proposal_block`): grouping never looks past a
block.  ``finalize`` regroups the blocks that the pending articles fall in now
or fell in before, plus those of articles naming a party or place whose
canonical name the entities finalize just changed, and of articles whose
parties came through a local entity the entities finalize moved to another
entity, or are an entity it renamed (``claim_party_nodes``); ``rebuild`` regroups every
block.  Both write the same rows, since a block's groups depend only on its items.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Callable, Iterable, Mapping

from ..entities.names import skeleton
from ..store import incremental as inc
from . import parties
from .enricher import BlockGroups, BlockItems, block_items, canonical_names, group_block, stored_days
from .grouping import (SourcedMention, SourcedPosition, SourcedProposal, claim_id, mention_block, position_id,
                       proposal_block)
from .party_entities import Party, PartyEntities
from .records import ArticleClaims, ClaimMention, PositionMention, ProposalMention

STATE = "claims"
VERSION = "4"  # bump when blocks or grouping change: stores grouped by an older version regroup in full once
_DERIVED = ("claim_statements", "claims", "position_evidence", "positions", "proposals", "claim_block_rows",
            "claim_article_blocks", "claim_name_refs", "claim_party_nodes", "claim_items")


def finalize(conn: sqlite3.Connection) -> None:
    """Regroup what the pending articles (and renamed parties) touch (caller holds the transaction)."""
    changed = inc.changed_names(conn)
    if inc.state(conn, STATE) != VERSION or "*" in changed:
        rebuild(conn)
        return
    pending = set(inc.pending(conn))
    renamed: set[str] = set()
    for batch in inc.chunks(sorted(changed)):
        renamed |= {r[0] for r in conn.execute(
            f"SELECT article_id FROM claim_name_refs WHERE key IN ({inc.marks(len(batch))})", batch)}
    renamed |= moved_parties(conn)
    if pending or renamed:
        update(conn, pending, renamed)


def moved_parties(conn: sqlite3.Connection) -> set[str]:
    """Articles with a party whose local entity is now in another canonical entity (of the local entities the
    entities finalize noted as moved: it works out which, in proportion to what changed), or whose entity was
    renamed (by the entity's id: a renamed entity keeps its members)."""
    if not PartyEntities(conn).enabled:
        return set()
    inc.note_moved_nodes(conn, "SELECT article_id, local FROM entity_members WHERE 0")  # the table exists
    out = {r[0] for r in conn.execute(
        "SELECT DISTINCT n.article_id FROM temp.finalize_moved_nodes t"
        " CROSS JOIN claim_party_nodes n ON n.article_id = t.article_id AND n.local = t.local"
        " LEFT JOIN entity_members m ON m.article_id = n.article_id AND m.local = n.local"
        " LEFT JOIN entities e ON e.id = m.entity_id"
        " WHERE m.entity_id IS NOT n.entity_id OR e.name IS NOT n.name")}
    for batch in inc.chunks(inc.renamed_entities(conn)):
        out |= {r[0] for r in conn.execute(
            "SELECT n.article_id FROM claim_party_nodes n JOIN entities e ON e.id = n.entity_id"
            f" WHERE n.entity_id IN ({inc.marks(len(batch))}) AND e.name IS NOT n.name", batch)}
    return out


def rebuild(conn: sqlite3.Connection) -> None:
    """Every block regrouped from every stored article (caller holds the transaction)."""
    for table in _DERIVED:
        conn.execute(f"DELETE FROM {table}")
    ids = [r[0] for r in conn.execute("SELECT c.article_id FROM claim_articles c JOIN articles a ON a.id = c.article_id")]
    canonical = canonical_names(conn)
    _regroup(conn, _refresh(conn, ids, canonical), canonical)
    inc.set_state(conn, STATE, VERSION)


def update(conn: sqlite3.Connection, article_ids: Iterable[str], renamed: Iterable[str] = ()) -> None:
    """Refresh the items of ``article_ids`` (new or re-written articles) from the articles, and those of
    ``renamed`` (articles unchanged, whose parties or names the entities finalize changed) from their stored
    items; then regroup every block those items fall in now or fell in before."""
    ids = sorted(set(article_ids))
    stored = _stored_articles(conn, sorted(set(renamed) - set(ids)))
    ids = sorted(set(ids) | (set(renamed) - set(stored)))  # no stored article (none now): read as the others
    canonical = canonical_names(conn)
    blocks: set[str] = set()
    for batch in inc.chunks(ids + stored):
        q = inc.marks(len(batch))
        blocks |= {r[0] for r in conn.execute(
            f"SELECT block FROM claim_article_blocks WHERE article_id IN ({q})", batch)}
    for batch in inc.chunks(ids):
        q = inc.marks(len(batch))
        for table in ("claim_article_blocks", "claim_name_refs", "claim_party_nodes", "claim_items"):
            conn.execute(f"DELETE FROM {table} WHERE article_id IN ({q})", batch)
    blocks |= _refresh(conn, ids, canonical)
    blocks |= _re_resolve(conn, stored, canonical)
    _regroup(conn, blocks, canonical)


def _stored_articles(conn: sqlite3.Connection, article_ids: list[str]) -> list[str]:
    """Those of these articles that are stored (an article gone since leaves only its old items)."""
    out: list[str] = []
    for batch in inc.chunks(article_ids):
        out += [r[0] for r in conn.execute(
            "SELECT c.article_id FROM claim_articles c JOIN articles a ON a.id = c.article_id"
            f" WHERE c.article_id IN ({inc.marks(len(batch))})", batch)]
    return sorted(out)


def _re_resolve(conn: sqlite3.Connection, article_ids: list[str], canonical: Callable[[str], str]) -> set[str]:
    """Unchanged articles' items with their parties found again and their targets' blocks named again: the
    local entity each party came through is the article's own (stored), only its canonical entity, or the
    store's entity of its name, or a target's canonical name can have changed.  Returns the new blocks."""
    blocks: set[str] = set()
    for batch in inc.chunks(article_ids, BATCH):
        q = inc.marks(len(batch))
        old = conn.execute("SELECT article_id, what, idx, published, outlet, item, party_local FROM claim_items"
                           f" WHERE article_id IN ({q})", batch).fetchall()
        for table in ("claim_article_blocks", "claim_party_nodes", "claim_items"):
            conn.execute(f"DELETE FROM {table} WHERE article_id IN ({q})", batch)
        party = PartyEntities(conn)
        rows = []
        for article, what, idx, published, outlet, item, local in old:
            data = json.loads(item)
            if what == "mention":
                m = ClaimMention.from_dict(data)
                block = mention_block(SourcedMention(article, m, outlet, published, idx), canonical)
                who = party.resolve(article, m.party, local) if m.party else None
            elif what == "position":
                block = proposal_block(data["proposal_key"])
                who = party.resolve(article, data["party"], local)
            else:
                block, who = proposal_block(data["key"]), None
            rows.append((block, article, what, idx, published, outlet, item, who, local))
        blocks |= _write_items(conn, rows)
        _write_nodes(conn, party)
    return blocks


def _write_items(conn: sqlite3.Connection, rows: list[tuple]) -> set[str]:
    """``(block, article, what, idx, published, outlet, item JSON, Party or None, local)`` rows into claim_items,
    and each article's blocks into claim_article_blocks; returns the blocks."""
    conn.executemany(
        "INSERT INTO claim_items(block, article_id, what, idx, published, outlet, item, party_id, party, party_local)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(*row[:7], row[7].id if row[7] else None, row[7].name if row[7] else None, row[8]) for row in rows])
    conn.executemany("INSERT OR IGNORE INTO claim_article_blocks(article_id, block) VALUES (?,?)",
                     sorted({(row[1], row[0]) for row in rows}))
    return {row[0] for row in rows}


#: Articles read at a time when their items are refreshed (bounds a full rebuild's memory).
BATCH = 500


def _refresh(conn: sqlite3.Connection, article_ids: list[str], canonical: Callable[[str], str]) -> set[str]:
    """Store these articles' items (``claim_items``): each mention, position and proposal in its block, dated
    and with its party resolved to an entity now, so that regrouping a block reads no article.  Returns the
    blocks they fall in."""
    blocks: set[str] = set()
    for batch in inc.chunks(article_ids, BATCH):
        articles = _load(conn, batch)
        blocks |= _index(conn, articles, canonical)
        party = PartyEntities(conn)
        rows = []
        for block, items in block_items(articles, canonical=canonical, said_on=stored_days(conn)).items():
            for m in items.mentions:
                local = party.local_of(m.article, m.mention.party, m.mention.source) if m.mention.party else None
                who = party.resolve(m.article, m.mention.party, local) if m.mention.party else None
                rows.append((block, m.article, "mention", m.index, m.published, m.outlet, m.mention.to_dict(), who,
                             local))
            for p in items.positions:
                local = party.local_of(p.article, p.position.party, p.position.source)
                who = party.resolve(p.article, p.position.party, local)
                rows.append((block, p.article, "position", p.index, p.published, p.outlet, p.position.to_dict(),
                             who, local))
            for r in items.proposals:  # without its spans, which grouping never reads
                rows.append((block, r.article, "proposal", r.index, r.published, None,
                             {k: v for k, v in r.proposal.to_dict().items() if k != "spans"}, None, None))
        _write_items(conn, [(*row[:6], json.dumps(row[6], ensure_ascii=False), *row[7:]) for row in rows])
        _write_nodes(conn, party)
    return blocks


def _stored_items(conn: sqlite3.Connection, blocks: list[str]) -> dict[str, tuple[BlockItems, dict]]:
    """The stored items of these blocks, in grouping order, with the party each item's party resolved to."""
    out: dict[str, tuple[BlockItems, dict]] = {}
    rows = conn.execute(
        "SELECT block, article_id, what, idx, published, outlet, item, party_id, party FROM claim_items"
        f" WHERE block IN ({inc.marks(len(blocks))})", blocks).fetchall()
    rows.sort(key=lambda r: (r[0], r[4] or "", r[1], r[3]))  # (published, article, index), as group_blocks reads
    for block, article, what, idx, published, outlet, item, party_id, party in rows:
        items, parties_of = out.setdefault(block, (BlockItems(), {}))
        data = json.loads(item)
        if what == "mention":
            m = ClaimMention.from_dict(data)
            items.mentions.append(SourcedMention(article, m, outlet, published, idx))
            if m.party:
                parties_of[(article, m.party, m.source)] = Party(party_id, party)
        elif what == "position":
            p = PositionMention.from_dict(data)
            items.positions.append(SourcedPosition(article, p, outlet, published, idx))
            parties_of[(article, p.party, p.source)] = Party(party_id, party)
        else:
            items.proposals.append(SourcedProposal(article, ProposalMention.from_dict(data), published, idx))
    return out


def _regroup(conn: sqlite3.Connection, blocks: set[str], canonical: Callable[[str], str]) -> None:
    """Replace the claims, positions and proposals of these blocks by a regrouping of their stored items."""
    for batch in inc.chunks(sorted(blocks)):
        q = inc.marks(len(batch))
        owned = conn.execute(f"SELECT tbl, id FROM claim_block_rows WHERE block IN ({q})", batch).fetchall()
        conn.execute(f"DELETE FROM claim_block_rows WHERE block IN ({q})", batch)
        for tbl, child, column in (("claims", "claim_statements", "claim_id"),
                                   ("positions", "position_evidence", "position_id"), ("proposals", None, None)):
            keys = sorted(i for t, i in owned if t == tbl)
            for keys_batch in inc.chunks(keys):
                kq = inc.marks(len(keys_batch))
                if child:
                    conn.execute(f"DELETE FROM {child} WHERE {column} IN ({kq})", keys_batch)
                conn.execute(f"DELETE FROM {tbl} WHERE {'key' if tbl == 'proposals' else 'id'} IN ({kq})", keys_batch)
    for batch in inc.chunks(sorted(blocks)):
        stored = _stored_items(conn, batch)
        for block in batch:
            if block in stored:
                items, parties_of = stored[block]
                groups = group_block(items, canonical=canonical,
                                     party=lambda article, name, source, p=parties_of: p[(article, name, source)])
                _write_block(conn, block, groups)


def _write_nodes(conn: sqlite3.Connection, party: PartyEntities) -> None:
    """The local entities parties came through in this grouping (their entity may have moved since: replace)."""
    conn.executemany("INSERT OR REPLACE INTO claim_party_nodes(article_id, local, entity_id, name) VALUES (?,?,?,?)",
                     [(aid, local, eid, name) for (aid, local), (eid, name) in sorted(party.nodes.items())])


def _load(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> list[tuple[str, dict]]:
    """Stored articles' claims data (all, or these), in (published, id) order."""
    sql = ("SELECT c.article_id, c.published, c.data FROM claim_articles c JOIN articles a ON a.id = c.article_id")
    rows: list[tuple[str, Any, str]] = []
    if article_ids is None:
        rows = conn.execute(sql).fetchall()
    else:
        for batch in inc.chunks(sorted(set(article_ids))):
            rows += conn.execute(f"{sql} WHERE c.article_id IN ({inc.marks(len(batch))})", batch).fetchall()
    rows.sort(key=lambda r: (r[1] or "", r[0]))
    return [(aid, json.loads(data)) for aid, _, data in rows]


def article_blocks(article_id: str, data: Mapping[str, Any], canonical: Callable[[str], str]) -> set[str]:
    """The blocks an article's mentions, proposals and positions fall in."""
    found = ArticleClaims.from_dict(data)
    out = {mention_block(SourcedMention(article_id, m, index=i), canonical) for i, m in enumerate(found.mentions)}
    out |= {proposal_block(p.proposal_key) for p in found.positions}
    out |= {proposal_block(p.key) for p in found.proposals}
    return out


def name_refs(data: Mapping[str, Any]) -> set[str]:
    """The name keys an article's grouping asks the entities about (targets and parties)."""
    found = ArticleClaims.from_dict(data)
    names = [m.target for m in found.mentions] + [m.party for m in found.mentions if m.party]
    names += [p.party for p in found.positions]
    return {skeleton(n) for n in names}


def _index(conn: sqlite3.Connection, articles: list[tuple[str, dict]], canonical: Callable[[str], str]) -> set[str]:
    blocks: set[str] = set()
    rows, refs = [], []
    for aid, data in articles:
        mine = article_blocks(aid, data, canonical)
        blocks |= mine
        rows += [(aid, b) for b in sorted(mine)]
        refs += [(k, aid) for k in sorted(name_refs(data))]
    conn.executemany("INSERT OR IGNORE INTO claim_article_blocks(article_id, block) VALUES (?,?)", rows)
    conn.executemany("INSERT OR IGNORE INTO claim_name_refs(key, article_id) VALUES (?,?)", refs)
    return blocks


def _write_block(conn: sqlite3.Connection, block: str, groups: BlockGroups) -> None:
    owned: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for c in groups.claims:
        cid = c.id if c.id not in seen else claim_id(c.kind, c.target, c.holder, salt=len(seen))
        if conn.execute("SELECT 1 FROM claims WHERE id = ?", (cid,)).fetchone():
            # Another block holds a claim of this id (two blocks naming one target alike): scope it by block
            # rather than fail the finalize. Grouping's ids make this rare.
            cid = claim_id(c.kind, c.target, c.holder, block)
        seen.add(cid)
        owned.append((block, "claims", cid))
        conn.execute(
            "INSERT INTO claims(id, kind, target, holder, topic, proposition, value, contested, asserted_by,"
            " disputed_by, first_seen, disputed_since, statements) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (cid, c.kind.value, c.target, c.holder, c.topic, c.proposition, c.value, int(c.contested),
             json.dumps(c.asserted_by, ensure_ascii=False), json.dumps(c.disputed_by, ensure_ascii=False),
             c.first_seen, c.disputed_since, len(c.statements)))
        conn.executemany(
            "INSERT INTO claim_statements(claim_id, ord, party, party_id, side, cue, article_id, start, end, text,"
            " said_on, outlet) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(cid, i, s.party, s.party_id, s.side.value, s.cue, s.evidence.article, s.evidence.span.start,
              s.evidence.span.end, s.evidence.text, s.evidence.said_on, s.evidence.outlet)
             for i, s in enumerate(c.statements)])
    conn.executemany("INSERT OR REPLACE INTO proposals(key, name, kind, proposed_by, articles) VALUES (?,?,?,?,?)",
                     [(p["key"], p["name"], p["kind"], p["proposed_by"], p["articles"]) for p in groups.proposals])
    owned += [(block, "proposals", p["key"]) for p in groups.proposals]
    for p in groups.positions:
        pkey = p.proposal_key or parties.key(p.proposal)
        pid = position_id(p.party, pkey)
        owned.append((block, "positions", pid))
        dates = [e.said_on for e in p.evidence if e.said_on]
        conn.execute(
            "INSERT OR REPLACE INTO positions(id, party, party_id, proposal, proposal_key, stance, stances, first_seen,"
            " last_seen) VALUES (?,?,?,?,?,?,?,?,?)",
            (pid, p.party, p.party_id, p.proposal, pkey, p.stance.value, json.dumps([s.value for s in p.stances]),
             min(dates) if dates else None, max(dates) if dates else None))
        conn.executemany(
            "INSERT OR REPLACE INTO position_evidence(position_id, ord, stance, article_id, start, end, text, said_on,"
            " outlet) VALUES (?,?,?,?,?,?,?,?,?)",
            [(pid, i, p.stances[i].value, e.article, e.span.start, e.span.end, e.text, e.said_on, e.outlet)
             for i, e in enumerate(p.evidence)])
    conn.executemany("INSERT OR REPLACE INTO claim_block_rows(block, tbl, id) VALUES (?,?,?)", owned)


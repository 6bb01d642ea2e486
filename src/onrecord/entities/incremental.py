"""The entities feature's cross-article tables, brought up to date incrementally.

    finalize(conn)   articles marked pending → the components their entities' keys reach → recomputed
    rebuild(conn)    every component of the store: the same computation, so the same tables

A component (:mod:`~onrecord.entities.blocking`) is merged by
:func:`~onrecord.entities.merge.canonicalise` on its own members, with the
articles in (published, id) order, so its entities depend only on which local
entities it holds.  Two things an entity shows come from outside its component
and are filled in by a second pass over the stored tables: the canonical name
of what a role is *of* ("Russia's" → "Russia") and of the government a seat
speaks for.  When a name key's canonical name changes, the entities whose roles
use it are passed again, and the key is handed to later finalize steps (the
claims feature names parties through it).

Derived tables of this module (migration ``0104_entity_keys``): ``entity_keys``
(every local entity's blocking keys and the entity it is in; it outlives a
replaced article, so finalize knows what the old version touched) and
``entity_refs`` (the name keys an entity's roles use).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterable, Mapping

from ..store import incremental as inc
from .aliases import AliasRules, load_aliases
from .blocking import KEYS_VERSION, linked, node_keys, partner, passive, thing_block
from .merge import ArticleInput, canonicalise, roles_seen
from .names import skeleton
from .records import ArticleEntities, Entity, EntityType, LocalEntity, Mention, Role, SpeakerLink
from ..records import Span
from .schema import STATEMENTS_SELECT

Node = tuple[str, int]
STATE = "entities"
_TABLES = ("entity_names", "entity_members", "entities", "entity_statements", "entity_keys", "entity_refs")


# -- rules and fingerprint ------------------------------------------------------------------------------------

def base_rules(aliases: AliasRules | None) -> AliasRules:
    from .enricher import ALIASES_ENV

    return aliases if aliases is not None else load_aliases(os.environ.get(ALIASES_ENV) or None)


def fingerprint(base: AliasRules) -> str:
    """What the stored tables were built with: key version, data version and the alias file's rules."""
    from .enricher import DATA_VERSION

    raw = json.dumps([KEYS_VERSION, DATA_VERSION,
                      [[list(m.names), m.type.value if m.type else None] for m in base.merges],
                      [list(s.names) for s in base.splits]], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _all_rules(conn: sqlite3.Connection, base: AliasRules) -> AliasRules:
    from .enricher import store_rules

    # The user's latest word wins: store overrides after the alias file, splits checked at every join anyway.
    return base + store_rules(conn)


# -- entry points ---------------------------------------------------------------------------------------------

def finalize(conn: sqlite3.Connection, aliases: AliasRules | None = None) -> None:
    """Bring the canonical tables up to date with the pending articles (caller holds the transaction)."""
    base = base_rules(aliases)
    if inc.state(conn, STATE) != fingerprint(base):
        rebuild(conn, base)  # first run on this store, or the alias file or the code changed
        return
    ids = inc.pending(conn)
    if ids:
        update(conn, ids, _all_rules(conn, base))


def rebuild(conn: sqlite3.Connection, aliases: AliasRules | None = None) -> list[Entity]:
    """Every canonical table from every stored article (caller holds the transaction); returns the entities."""
    base = base_rules(aliases)
    rules = _all_rules(conn, base)
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table}")
    inputs = load_inputs(conn)
    keys = _key_rows(inputs, rules)
    conn.executemany("INSERT OR IGNORE INTO entity_keys(key, article_id, local) VALUES (?,?,?)", keys)
    by_node: dict[Node, set[str]] = defaultdict(set)
    for k, aid, local in keys:
        by_node[(aid, local)].add(k)
    built: list[Entity] = []
    for comp in components(by_node):
        result = _merge_component(comp, inputs, rules)
        _write(conn, result.entities, result.members)
        built += result.entities
    _second_pass(conn, [e.id for e in built])
    inc.set_state(conn, STATE, fingerprint(base))
    inc.note_changed_names(conn, ["*"])  # every name may have changed: later steps regroup everything
    return built


def update(conn: sqlite3.Connection, article_ids: Iterable[str], rules: AliasRules) -> None:
    """Recompute the components that these articles' entities (as they are now, and as they were) reach."""
    ids = sorted(set(article_ids))
    seeds: set[str] = set()
    old_entities: set[str] = set()
    for batch in inc.chunks(ids):
        q = inc.marks(len(batch))
        for key, eid in conn.execute(f"SELECT key, entity_id FROM entity_keys WHERE article_id IN ({q})", batch):
            seeds.add(key)
            if eid:
                old_entities.add(eid)
        conn.execute(f"DELETE FROM entity_keys WHERE article_id IN ({q})", batch)
    inputs = load_inputs(conn, ids)
    rows = _key_rows(inputs, rules)
    conn.executemany("INSERT OR IGNORE INTO entity_keys(key, article_id, local) VALUES (?,?,?)", rows)
    seeds |= {k for k, _, _ in rows}
    by_node: dict[Node, set[str]] = defaultdict(set)
    placed: dict[Node, str] = {}

    def keys_of(nodes: list[Node]) -> Iterable[tuple[Node, str]]:
        for node, key, eid in _keys_of(conn, nodes):
            by_node[node].add(key)
            if eid:
                placed[node] = eid
            yield node, key

    nodes, _ = inc.closure(seeds, lambda ks: _items_with(conn, ks), keys_of, _Linked(conn), passive)
    missing = sorted(n for n in nodes if n not in by_node)
    for batch in inc.chunks(missing):
        list(keys_of(batch))
    old_entities |= set(placed.values())
    _recompute(conn, by_node, old_entities, rules, inputs)
    # An entity can come out unchanged while its statements moved (a corrected date): index them again; and
    # the articles' keys, written afresh above, learn the entity of their local entity.
    for batch in inc.chunks(ids):
        q = inc.marks(len(batch))
        conn.execute("UPDATE entity_keys SET entity_id = (SELECT m.entity_id FROM entity_members m WHERE"
                     " m.article_id = entity_keys.article_id AND m.local = entity_keys.local)"
                     f" WHERE article_id IN ({q})", batch)
        conn.execute(f"DELETE FROM entity_statements WHERE article_id IN ({q})", batch)
        conn.execute(f"INSERT OR IGNORE INTO entity_statements(entity_id, day, pk, article_id) {STATEMENTS_SELECT}"
                     f" WHERE s.article_id IN ({q})", batch)


# -- reading --------------------------------------------------------------------------------------------------

def load_inputs(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> dict[str, ArticleInput]:
    """Stored articles' local entities (all, or those of these articles), keyed by article id."""
    if article_ids is None:
        return _load(conn, [("{table} t", [])])
    return _load(conn, [(f"{{table}} t WHERE t.article_id IN ({inc.marks(len(b))})", b)
                        for b in inc.chunks(sorted(set(article_ids)))])


def load_nodes(conn: sqlite3.Connection, nodes: Iterable[Node]) -> dict[str, ArticleInput]:
    """Only these local entities, each article holding those of its own that were asked for."""
    _node_table(conn, nodes)
    return _load(conn, [("temp.finalize_nodes n CROSS JOIN {table} t ON t.article_id = n.article_id"
                         " AND t.local = n.local", [])])


def _node_table(conn: sqlite3.Connection, nodes: Iterable[Node]) -> None:
    """Nodes in a temporary table, to be joined through the tables' (article_id, local) indexes."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS finalize_nodes (article_id TEXT NOT NULL, local INTEGER NOT NULL,"
                 " PRIMARY KEY (article_id, local)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.finalize_nodes")
    conn.executemany("INSERT OR IGNORE INTO temp.finalize_nodes(article_id, local) VALUES (?,?)", nodes)


def _load(conn: sqlite3.Connection, sources: list[tuple[str, list]]) -> dict[str, ArticleInput]:
    """Local entities from the per-article tables (what ``write_article`` stored), a source at a time.

    The tables, not the article's JSON: a component of a large store holds a few entities of many articles,
    and reading those rows costs a fraction of parsing whole articles.
    """
    locals_: dict[str, dict[int, tuple]] = defaultdict(dict)
    mentions: dict[Node, list[Mention]] = defaultdict(list)
    roles: dict[Node, list[Role]] = defaultdict(list)
    speakers: dict[str, list[SpeakerLink]] = defaultdict(list)
    for source, params in sources:
        for aid, local, *row in conn.execute(
                "SELECT t.article_id, t.local, t.type, t.name, t.country, t.stands_for, t.part_of FROM "
                + source.format(table="entity_locals"), params):
            locals_[aid][local] = tuple(row)
        for aid, local, start, end, text, how in conn.execute(
                "SELECT t.article_id, t.local, t.start, t.end, t.text, t.how FROM "
                + source.format(table="entity_mentions") + " ORDER BY t.rowid", params):
            mentions[(aid, local)].append(Mention(Span(start, end), text, how))
        for aid, local, title, of, text, start, end, source_ in conn.execute(
                "SELECT t.article_id, t.local, t.title, t.of, t.text, t.start, t.end, t.source FROM "
                + source.format(table="entity_roles") + " ORDER BY t.rowid", params):
            roles[(aid, local)].append(Role(title, of, text, Span(start, end), source_))
        for aid, idx, local, via in conn.execute(
                "SELECT t.article_id, t.idx, t.local, t.via FROM " + source.format(table="entity_speakers"), params):
            if local in locals_.get(aid, ()):
                speakers[aid].append(SpeakerLink(idx, local, via))
    out: dict[str, ArticleInput] = {}
    for batch in inc.chunks(sorted(locals_)):
        for aid, published, outlet in conn.execute(
                f"SELECT article_id, published, outlet FROM entity_articles WHERE article_id IN ({inc.marks(len(batch))})",
                batch):
            ents = tuple(LocalEntity(k, EntityType(t), name, tuple(mentions.get((aid, k), ())),
                                     tuple(roles.get((aid, k), ())), country, stands, part)
                         for k, (t, name, country, stands, part) in sorted(locals_[aid].items()))
            out[aid] = ArticleInput(aid, ArticleEntities(ents, tuple(sorted(speakers.get(aid, ()), key=lambda s: s.idx))),
                                    published, outlet)
    return out


def _key_rows(inputs: Mapping[str, ArticleInput], rules: AliasRules) -> list[tuple[str, str, int]]:
    return [(k, aid, e.local) for aid, a in inputs.items() for e in a.entities.entities
            for k in sorted(node_keys(e, a.published, rules))]


def _items_with(conn: sqlite3.Connection, keys: list[str]) -> Iterable[tuple[Node, str]]:
    for aid, local, key in conn.execute(
            f"SELECT article_id, local, key FROM entity_keys WHERE key IN ({inc.marks(len(keys))})", keys):
        yield (aid, local), key


def _keys_of(conn: sqlite3.Connection, nodes: list[Node]) -> Iterable[tuple[Node, str, str | None]]:
    _node_table(conn, nodes)
    rows = conn.execute("SELECT k.article_id, k.local, k.key, k.entity_id FROM temp.finalize_nodes n CROSS JOIN"
                        " entity_keys k ON k.article_id = n.article_id AND k.local = n.local").fetchall()
    for aid, local, key, eid in rows:
        yield (aid, local), key, eid


class _Linked:
    """Keys tied to a key without a shared entity, among those stored (blocking.linked)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.blocks: dict[str, list[str]] = {}

    def __call__(self, key: str) -> list[str]:
        other = partner(key)
        if other:
            found = self.conn.execute("SELECT 1 FROM entity_keys WHERE key = ? LIMIT 1", (other,)).fetchone()
            return [other] if found else []
        if not key.startswith("t:"):
            return []
        block = thing_block(key)
        if block not in self.blocks:  # one query per two-letter block
            self.blocks[block] = [r[0] for r in self.conn.execute(
                "SELECT DISTINCT key FROM entity_keys WHERE key >= ? AND key < ?", (block, block + "\U0010ffff"))]
        return linked(key, self.blocks[block])


def components(by_node: Mapping[Node, set[str]]) -> list[list[Node]]:
    """The nodes split into components of shared keys and tied keys (blocking.linked), each sorted."""
    uf = inc.UnionFind()
    tied: set[str] = set()
    held: dict[str, list[Node]] = defaultdict(list)
    for n, keys in by_node.items():
        uf.find(("n", n))
        for k in keys:
            if passive(k):
                held[k].append(n)
                continue
            uf.union(("n", n), ("k", k))
            if k.startswith(("t:", "q:")):
                tied.add(k)
    blocks: dict[str, list[str]] = defaultdict(list)
    for k in sorted(tied):
        if k.startswith("t:"):
            blocks[thing_block(k)].append(k)
        else:  # a role name's key: the holders of that role and bucket join it
            for n in held.get(partner(k), ()):
                uf.union(("k", k), ("n", n))
    for block in blocks.values():
        for i, ka in enumerate(block):
            for kb in linked(ka, block[i + 1:]):
                uf.union(("k", ka), ("k", kb))
    groups = uf.groups(("n", n) for n in by_node)
    return sorted((sorted(n for _, n in g) for g in groups), key=lambda g: g[0])


# -- writing --------------------------------------------------------------------------------------------------

_ROW = "name, type, country, statements, articles, aliases, evidence"


def _row(e: Entity) -> tuple:
    return (e.name, e.type.value, e.country, e.statements, e.articles, json.dumps(list(e.aliases), ensure_ascii=False),
            json.dumps([v.to_dict() for v in e.evidence], ensure_ascii=False))


def _recompute(conn: sqlite3.Connection, by_node: Mapping[Node, set[str]], old_entities: set[str],
               rules: AliasRules, inputs: dict[str, ArticleInput]) -> None:
    """Merge the region's components again; write only the entities that came out different."""
    missing = [n for n in by_node if n[0] not in inputs]
    inputs.update(load_nodes(conn, missing))
    entities: list[Entity] = []
    members: dict[Node, str] = {}
    for comp in components(by_node):
        result = _merge_component(comp, inputs, rules)
        entities += result.entities
        members.update(result.members)
    old = sorted(old_entities)
    old_rows: dict[str, tuple] = {}
    old_members: dict[str, set[Node]] = defaultdict(set)
    for batch in inc.chunks(old):
        q = inc.marks(len(batch))
        old_rows.update((r[0], tuple(r[1:])) for r in conn.execute(
            f"SELECT id, {_ROW} FROM entities WHERE id IN ({q})", batch))
        for eid, aid, local in conn.execute(
                f"SELECT entity_id, article_id, local FROM entity_members WHERE entity_id IN ({q})", batch):
            old_members[eid].add((aid, local))
    new_members: dict[str, set[Node]] = defaultdict(set)
    for node, eid in members.items():
        new_members[eid].add(node)
    kept = {e.id for e in entities if old_rows.get(e.id) == _row(e) and old_members.get(e.id) == new_members[e.id]}
    gone = sorted(set(old) - kept)
    fresh = [e for e in entities if e.id not in kept]
    old_keys = _name_keys(conn, gone)
    before = _resolve_all(conn, old_keys)
    old_node_names = _node_names(conn, gone)
    for batch in inc.chunks(gone):
        q = inc.marks(len(batch))
        for table, col in (("entity_names", "entity_id"), ("entity_members", "entity_id"), ("entities", "id"),
                           ("entity_statements", "entity_id"), ("entity_refs", "entity_id")):
            conn.execute(f"DELETE FROM {table} WHERE {col} IN ({q})", batch)
    _write(conn, fresh, {n: members[n] for e in fresh for n in new_members[e.id]})
    new_ids = [e.id for e in fresh]
    new_keys = _name_keys(conn, new_ids) - old_keys
    # A key no old entity had was named (if at all) by entities outside this update: that is its old name.
    before.update(_resolve_all(conn, new_keys, without=set(new_ids)))
    after = _resolve_all(conn, old_keys | new_keys)
    changed = {k for k in old_keys | new_keys if before.get(k) != after.get(k)}
    again = set(new_ids)
    for batch in inc.chunks(sorted(changed)):
        again |= {r[0] for r in conn.execute(
            f"SELECT entity_id FROM entity_refs WHERE key IN ({inc.marks(len(batch))})", batch)}
    new_node_names = _node_names(conn, new_ids)
    moved = [n for n, name in old_node_names.items() if new_node_names.get(n) != name]
    again |= _referrers(conn, moved)
    _second_pass(conn, sorted(again))
    inc.note_changed_names(conn, changed)


def _merge_component(comp: list[Node], inputs: Mapping[str, ArticleInput], rules: AliasRules):
    """canonicalise() on one component: its articles in (published, id) order, each holding only its members."""
    locals_of: dict[str, set[int]] = defaultdict(set)
    for aid, local in comp:
        locals_of[aid].add(local)
    arts = []
    for aid in sorted(locals_of, key=lambda a: (inputs[a].published or "", a)):
        a, keep = inputs[aid], locals_of[aid]
        ents = replace(a.entities, entities=tuple(e for e in a.entities.entities if e.local in keep),
                       speakers=tuple(s for s in a.entities.speakers if s.local in keep))
        arts.append(replace(a, entities=ents))
    return canonicalise(arts, rules)


def _write(conn: sqlite3.Connection, entities: list[Entity], members: Mapping[Node, str]) -> None:
    """Entity rows (roles and references are the second pass's), members, names and statement index."""
    conn.executemany(
        f"INSERT INTO entities(id, {_ROW}, stands_for, part_of, roles) VALUES (?,?,?,?,?,?,?,?,NULL,NULL,'[]')",
        [(e.id, *_row(e)) for e in entities])
    rows = sorted(members.items())
    conn.executemany("INSERT INTO entity_members(article_id, local, entity_id) VALUES (?,?,?)",
                     [(aid, local, eid) for (aid, local), eid in rows])
    conn.executemany("UPDATE entity_keys SET entity_id = ? WHERE article_id = ? AND local = ?",
                     [(eid, aid, local) for (aid, local), eid in rows])
    names = {(skeleton(n), n, e.id) for e in entities for n in (e.name, *e.aliases)}
    conn.executemany("INSERT INTO entity_names(key, name, entity_id) VALUES (?,?,?)", sorted(names))
    for batch in inc.chunks(sorted(e.id for e in entities)):
        conn.execute(f"INSERT INTO entity_statements(entity_id, day, pk, article_id) {STATEMENTS_SELECT}"
                     f" WHERE m.entity_id IN ({inc.marks(len(batch))})", batch)


def _second_pass(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> None:
    """Roles (with what each is of named canonically), and the government or body an entity speaks for."""
    names: dict[str, str | None] = {}

    def canonical(of: str) -> str:
        key = skeleton(of)
        if key not in names:
            names[key] = _resolve_all(conn, {key}).get(key)
        return names[key] or of

    for batch in inc.chunks(sorted(set(entity_ids))):
        q = inc.marks(len(batch))
        roles: dict[str, list[tuple[Role, str | None, str]]] = defaultdict(list)
        for eid, title, of, text, start, end, source, published, aid in conn.execute(
                "SELECT m.entity_id, r.title, r.of, r.text, r.start, r.end, r.source, a.published, m.article_id"
                " FROM entity_members m JOIN entity_roles r ON r.article_id = m.article_id AND r.local = m.local"
                " JOIN entity_articles a ON a.article_id = m.article_id"
                f" WHERE m.entity_id IN ({q}) ORDER BY m.entity_id, a.published, m.article_id, m.local, r.rowid",
                batch):
            roles[eid].append((Role(title, of, text, Span(start, end), source), published, aid))
        refs: dict[str, dict[str, list[str]]] = {"stands_for": defaultdict(list), "part_of": defaultdict(list)}
        for column, found in refs.items():
            for eid, name in conn.execute(
                    "SELECT m.entity_id, e.name FROM entity_members m"
                    " JOIN entity_locals l ON l.article_id = m.article_id AND l.local = m.local"
                    f" JOIN entity_members m2 ON m2.article_id = l.article_id AND m2.local = l.{column}"
                    " JOIN entities e ON e.id = m2.entity_id JOIN entity_articles a ON a.article_id = m.article_id"
                    f" WHERE m.entity_id IN ({q}) ORDER BY m.entity_id, a.published, m.article_id, m.local", batch):
                found[eid].append(name)
        rows, ref_rows = [], []
        for eid in batch:
            seen = roles_seen(roles.get(eid, ()), canonical)
            stands = Counter(refs["stands_for"].get(eid, ())).most_common(1)
            part = Counter(refs["part_of"].get(eid, ())).most_common(1)
            rows.append((json.dumps([r.to_dict() for r in seen], ensure_ascii=False),
                         stands[0][0] if stands else None, part[0][0] if part else None, eid))
            ref_rows += sorted({(skeleton(r.of), eid) for r, _, _ in roles.get(eid, ()) if r.of})
        conn.executemany("UPDATE entities SET roles = ?, stands_for = ?, part_of = ? WHERE id = ?", rows)
        conn.execute(f"DELETE FROM entity_refs WHERE entity_id IN ({q})", batch)
        conn.executemany("INSERT OR IGNORE INTO entity_refs(key, entity_id) VALUES (?,?)", ref_rows)


# -- canonical names of name keys -----------------------------------------------------------------------------

def best_name(candidates: Iterable[tuple[str, str, int]]) -> str | None:
    """Of ``(entity id, name, statements)`` sharing a name key, the name of the most quoted (then lowest id)."""
    best = min(candidates, key=lambda c: (-c[2], c[0]), default=None)
    return best[1] if best else None


def _resolve_all(conn: sqlite3.Connection, keys: Iterable[str], without: set[str] = frozenset()) -> dict[str, str]:
    found: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for batch in inc.chunks(sorted(keys)):
        for key, eid, name, statements in conn.execute(
                "SELECT n.key, e.id, e.name, e.statements FROM entity_names n JOIN entities e ON e.id = n.entity_id"
                f" WHERE n.key IN ({inc.marks(len(batch))})", batch):
            if eid not in without:
                found[key].append((eid, name, statements))
    return {k: best_name(c) for k, c in found.items()}


def _name_keys(conn: sqlite3.Connection, entity_ids: list[str]) -> set[str]:
    out: set[str] = set()
    for batch in inc.chunks(entity_ids):
        out |= {r[0] for r in conn.execute(
            f"SELECT key FROM entity_names WHERE entity_id IN ({inc.marks(len(batch))})", batch)}
    return out


def _node_names(conn: sqlite3.Connection, entity_ids: list[str]) -> dict[Node, str]:
    out: dict[Node, str] = {}
    for batch in inc.chunks(entity_ids):
        for aid, local, name in conn.execute(
                "SELECT m.article_id, m.local, e.name FROM entity_members m JOIN entities e ON e.id = m.entity_id"
                f" WHERE m.entity_id IN ({inc.marks(len(batch))})", batch):
            out[(aid, local)] = name
    return out


def _referrers(conn: sqlite3.Connection, nodes: list[Node]) -> set[str]:
    """Entities with a member that speaks for, or belongs to, one of these nodes (same article)."""
    out: set[str] = set()
    for aid, local in nodes:
        out |= {r[0] for r in conn.execute(
            "SELECT m.entity_id FROM entity_locals l JOIN entity_members m"
            " ON m.article_id = l.article_id AND m.local = l.local"
            " WHERE l.article_id = ? AND (l.stands_for = ? OR l.part_of = ?)", (aid, local, local))}
    return out


def canonical_of(conn: sqlite3.Connection, name: str) -> str:
    """The canonical name of the entity a name belongs to (the most quoted, when several share its key)."""
    key = skeleton(name)
    return _resolve_all(conn, {key}).get(key) or name


def mark_names(conn: sqlite3.Connection, names: Iterable[str], since: str) -> None:
    """Mark for the next finalize the articles with an entity going by one of ``names`` (a merge or split
    rule was added or removed): it merges again every component they are in."""
    keys = sorted({"n:" + skeleton(n) for n in names})
    touched: set[str] = set()
    for batch in inc.chunks(keys):
        touched |= {r[0] for r in conn.execute(
            f"SELECT DISTINCT article_id FROM entity_keys WHERE key IN ({inc.marks(len(batch))})", batch)}
    inc.mark_pending(conn, sorted(touched), since)

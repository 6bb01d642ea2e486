"""The entities feature's cross-article tables, brought up to date incrementally.

    finalize(conn)   articles marked pending → their forms' counts → the components those forms' keys reach
    rebuild(conn)    every component of the store: the same computation, so the same tables

The merge works on *forms* (:mod:`~onrecord.entities.forms`): local entities it
cannot tell apart, held once with their counts.  A pending article's local
entities leave the forms they were (``entity_nodes``) and join the forms they are
now; the components (:mod:`~onrecord.entities.blocking`) those forms' keys reach are
merged again by :func:`~onrecord.entities.merge.merge_units`, the forms in id
order, so a component's entities depend only on which forms it holds and their
counts.  Only entities that came out different are written, and only the local
entities of forms that moved to another entity are written again: the cost
follows the distinct forms reached, not how often each was written.

Two things an entity shows come from outside its component and are filled in by a
second pass: the canonical name of what a role is *of* ("Russia's" → "Russia")
and of the government a seat speaks for.  When a name key's canonical name
changes, the entities whose roles use it are passed again, and the key is handed
to later finalize steps (the claims feature names parties through it).

Derived tables of this module (migrations ``0104``, ``0105``): ``entity_forms``,
``entity_nodes``, ``entity_form_keys``, ``entity_form_refs`` and ``entity_refs``
(the name keys an entity's roles use).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

from ..store import incremental as inc
from .aliases import AliasRules, load_aliases
from .blocking import KEYS_VERSION, linked, node_keys, partner, passive, thing_block
from .forms import Counts, Form, form_of, held_of
from .merge import MERGE_VERSION, THINGS, ArticleInput, entity_of, merge_units, roles_seen
from .names import skeleton
from .records import ArticleEntities, Entity, EntityType, LocalEntity, Mention, MergeEvidence, Role, SpeakerLink
from ..records import Span
from .schema import STATEMENTS_SELECT, statements_of

Node = tuple[str, int]
STATE = "entities"
RULES_STATE = "entities-rules"  # the alias file's rules and the store's hand merges and splits
_TABLES = ("entity_names", "entity_members", "entities", "entity_statements", "entity_refs", "entity_forms",
           "entity_nodes", "entity_form_keys", "entity_form_refs", "entity_key_links")


# -- rules and fingerprint ------------------------------------------------------------------------------------

def base_rules(aliases: AliasRules | None) -> AliasRules:
    from .enricher import ALIASES_ENV

    return aliases if aliases is not None else load_aliases(os.environ.get(ALIASES_ENV) or None)


def fingerprint(base: AliasRules) -> str:
    """What the stored tables were built with: key, data and merge versions and the alias file's rules."""
    from .enricher import DATA_VERSION

    raw = json.dumps([KEYS_VERSION, DATA_VERSION, MERGE_VERSION,
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
    forms: dict[str, Form] = {}
    counts: dict[str, Counts] = defaultdict(Counts)
    members: list[tuple[str, int, str]] = []
    ids = [r[0] for r in conn.execute("SELECT article_id FROM entity_articles ORDER BY article_id")]
    for batch in inc.chunks(ids):  # a batch of articles at a time: only their forms stay in memory
        nodes = _node_rows(load_inputs(conn, batch))
        conn.executemany("INSERT INTO entity_nodes(article_id, local, form, statements, stands_for, part_of, held)"
                         " VALUES (?,?,?,?,?,?,?)", [n.row() for n in nodes])
        for n in nodes:
            forms.setdefault(n.form.id, n.form)
            counts[n.form.id].add(1, n.statements, n.stands_for, n.part_of, n.held)
            members.append((n.article_id, n.local, n.form.id))
        for fid in {(n.form.id, n.article_id) for n in nodes}:
            counts[fid[0]].articles += 1
    _save_forms(conn, forms, counts)
    by_form: dict[str, set[str]] = {fid: _form_keys(f, counts[fid], rules) for fid, f in forms.items()}
    conn.executemany("INSERT INTO entity_form_keys(key, form) VALUES (?,?)",
                     sorted((k, fid) for fid, keys in by_form.items() for k in keys))
    links = _links_among(k for keys in by_form.values() for k in keys)
    conn.executemany("INSERT INTO entity_key_links(key, other) VALUES (?,?)",
                     sorted((k, o) for k, others in links.items() for o in others))
    built: list[Entity] = []
    placed: dict[str, str] = {}
    retyped: dict[str, EntityType] = {}
    for comp in components(by_form, links):
        result = _merge_forms(comp, forms, counts, rules)
        _write(conn, result.entities)
        built += result.entities
        placed.update(result.members)
        retyped.update(result.retyped)
    conn.executemany("UPDATE entity_forms SET entity_id = ?, as_type = ? WHERE form = ?",
                     [(e, retyped[f].value if f in retyped else None, f) for f, e in placed.items()])
    conn.executemany("INSERT INTO entity_members(article_id, local, entity_id) VALUES (?,?,?)",
                     sorted((aid, local, placed[fid]) for aid, local, fid in members))
    conn.execute(f"INSERT INTO entity_statements(entity_id, day, pk, article_id) {STATEMENTS_SELECT}")
    _second_pass(conn, [e.id for e in built])
    inc.set_state(conn, STATE, fingerprint(base))
    inc.set_state(conn, RULES_STATE, fingerprint(rules))
    inc.note_changed_names(conn, ["*"])  # every name may have changed: later steps regroup everything
    return built


def update(conn: sqlite3.Connection, article_ids: Iterable[str], rules: AliasRules) -> None:
    """The articles' local entities leave their old forms and join their new ones; the components those forms
    reach are merged again, and what came out different is written.

    A form that was already placed and only got heavier or lighter (same keys, same days held, and for an
    organisation or place no change across "more than one") cannot change what the merge joins: merge_units
    reads counts only to weigh an entity's name, type and country, and in retyping.  Its entity is recomputed
    from its own forms (:func:`_reweigh`); only when its name or type comes out different is its component
    merged again.  Everything else reached goes through the component merge."""
    ids = sorted(set(article_ids))
    old_nodes: list[tuple] = []
    for batch in inc.chunks(ids):
        q = inc.marks(len(batch))
        old_nodes += conn.execute("SELECT article_id, local, form, statements, stands_for, part_of, held"
                                  f" FROM entity_nodes WHERE article_id IN ({q})", batch).fetchall()
        conn.execute(f"DELETE FROM entity_nodes WHERE article_id IN ({q})", batch)
    new_nodes = _node_rows(load_inputs(conn, ids))
    conn.executemany("INSERT INTO entity_nodes(article_id, local, form, statements, stands_for, part_of, held)"
                     " VALUES (?,?,?,?,?,?,?)", [n.row() for n in new_nodes])
    touched = sorted({r[2] for r in old_nodes} | {n.form.id for n in new_nodes})
    forms, counts, placed_before, as_type = _load_forms(conn, touched)
    for n in new_nodes:
        forms.setdefault(n.form.id, n.form)
    weight_before = {f: counts[f].nodes for f in touched}
    held_before = {f: counts[f].held() for f in touched if forms[f].apart}
    # A form with no roles and no seats, before and after, changes nothing the second pass shows.
    quiet = {f for f in touched if not _shown(forms[f], counts[f])}
    before_pairs = {(r[2], r[0]) for r in old_nodes}
    after_pairs = {(n.form.id, n.article_id) for n in new_nodes}
    for _, _, fid, statements, stands, part, held in old_nodes:
        counts[fid].add(-1, statements, stands, part, held)
    for n in new_nodes:
        counts[n.form.id].add(1, n.statements, n.stands_for, n.part_of, n.held)
    for fid, _ in before_pairs - after_pairs:
        counts[fid].articles -= 1
    for fid, _ in after_pairs - before_pairs:
        counts[fid].articles += 1
    # The touched forms' keys, with the rules as they are now (a hand merge adds keys).
    stored: dict[str, set[str]] = defaultdict(set)
    for batch in inc.chunks(touched):
        for key, fid in conn.execute(
                f"SELECT key, form FROM entity_form_keys WHERE form IN ({inc.marks(len(batch))})", batch):
            stored[fid].add(key)
    gone_forms = sorted(f for f in touched if counts[f].nodes <= 0)
    live = {f: forms[f] for f in touched if counts[f].nodes > 0}
    now = {fid: _form_keys(forms[fid], counts[fid], rules) if fid in live else set() for fid in touched}
    moving = {k for fid in touched for k in now[fid] ^ stored.get(fid, set())}
    present_before = _present(conn, moving)
    _save_forms(conn, live, counts, gone_forms)
    for fid in live:
        keys = now[fid]
        if keys != stored.get(fid, set()):
            conn.executemany("DELETE FROM entity_form_keys WHERE key = ? AND form = ?",
                             [(k, fid) for k in sorted(stored.get(fid, set()) - keys)])
            conn.executemany("INSERT INTO entity_form_keys(key, form) VALUES (?,?)",
                             [(k, fid) for k in sorted(keys - stored.get(fid, set()))])
    present_after = _present(conn, moving)
    _relink(conn, present_after - present_before, present_before - present_after)

    def only_weighed(f: str) -> bool:
        if f not in placed_before or f not in live or now[f] != stored.get(f, set()):
            return False
        if forms[f].apart and held_before.get(f) != counts[f].held():
            return False
        w0, w1 = weight_before[f], counts[f].nodes
        return forms[f].entity.type not in THINGS or w0 == w1 or (w0 > 1 and w1 > 1)

    # A hand merge or split since the last finalize can change any join: then nothing is only reweighed.
    same_rules = inc.state(conn, RULES_STATE) == fingerprint(rules)
    weighed = {f for f in touched if same_rules and only_weighed(f)}
    inc.set_state(conn, RULES_STATE, fingerprint(rules))
    reweighed, again_slow = _reweigh(conn, {placed_before[f] for f in weighed}, rules)
    seeds: set[str] = set()
    for f in touched:
        if f not in weighed or placed_before[f] in again_slow:
            seeds |= now[f] | stored.get(f, set())
    by_form: dict[str, set[str]] = defaultdict(set)

    def keys_of(batch: Sequence[str]) -> Iterable[tuple[str, str]]:
        for fid, key in _keys_of(conn, batch):
            by_form[fid].add(key)
            yield fid, key

    reached, _ = inc.closure(seeds, lambda ks: _items_with(conn, ks), keys_of, _Linked(conn), passive)
    for batch in inc.chunks(sorted(f for f in reached if f not in by_form)):
        list(keys_of(batch))
    for f in gone_forms:  # no key reaches a form that is gone: its entity is among the old ones all the same
        by_form.setdefault(f, set())
    more = _load_forms(conn, sorted(f for f in by_form if f not in forms))
    forms.update(more[0])
    counts.update(more[1])
    placed_before.update(more[2])
    as_type.update(more[3])
    # An entity reweighed on its own is left to the component merge when that reaches it too.
    in_region = {placed_before[f] for f in by_form if f in placed_before}
    reweighed = [e for e in reweighed if e.id not in in_region]
    quiet = {f for f in quiet if not _shown(forms[f], counts[f])}
    _recompute(conn, ids, new_nodes, by_form, forms, counts, placed_before, as_type,
               [f for f in touched if f not in quiet], rules, reweighed)


def _shown(form: Form, counts: Counts) -> bool:
    """Whether a form's members add to what the second pass shows of its entity: roles, seats, membership."""
    return bool(form.entity.roles or counts.roles or counts.targets())


def _reweigh(conn: sqlite3.Connection, entity_ids: set[str], rules: AliasRules) -> tuple[list[Entity], set[str]]:
    """Entities whose forms only changed weight, recomputed from their forms (as retyped), and the ids of those
    that cannot be (their components are merged again).  The id is made from the members' names, not their
    counts (merge._id_name), so a reweighed entity keeps it even when a tie tips and its name changes."""
    out: list[Entity] = []
    again: set[str] = set()
    rows: dict[str, list[tuple]] = defaultdict(list)
    old: dict[str, tuple] = {}
    for batch in inc.chunks(sorted(entity_ids)):
        q = inc.marks(len(batch))
        for row in conn.execute("SELECT entity_id, form, data, nodes, statements, articles, refs, as_type"
                                f" FROM entity_forms WHERE entity_id IN ({q}) ORDER BY entity_id, form", batch):
            rows[row[0]].append(row[1:])
        old.update((r[0], r[1:]) for r in conn.execute(
            f"SELECT id, name, type, evidence FROM entities WHERE id IN ({q})", batch))
    for eid in sorted(entity_ids):
        members = []
        for fid, data, nodes, statements, articles, refs, typ in rows.get(eid, ()):
            form = Form.from_json(fid, data)
            unit = form.unit(Counts.from_row(nodes, statements, articles, refs, read_only=True))
            members.append((replace(form.entity, type=EntityType(typ)) if typ else form.entity, unit))
        if eid not in old or not members:
            again.add(eid)
            continue
        name, type_, evidence = old[eid]
        e = entity_of(members, rules)
        # A changed type can mean that the store's retyping of one-word names changed too (merge._retype reads
        # the weights of things by type): merged again, as is an id this rule did not make (-2: kept apart).
        made = eid == e.id or (eid.startswith(e.id + "-") and eid[len(e.id) + 1:].isdigit())
        if e.type.value != type_ or not made:
            again.add(eid)
            continue
        out.append(replace(e, id=eid, evidence=tuple(MergeEvidence.from_dict(v) for v in json.loads(evidence))))
    return out, again


# -- reading --------------------------------------------------------------------------------------------------

def load_inputs(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> dict[str, ArticleInput]:
    """Stored articles' local entities (all, or those of these articles), keyed by article id."""
    if article_ids is None:
        return _load(conn, [("{table} t", [])])
    return _load(conn, [(f"{{table}} t WHERE t.article_id IN ({inc.marks(len(b))})", b)
                        for b in inc.chunks(sorted(set(article_ids)))])


def _load(conn: sqlite3.Connection, sources: list[tuple[str, list]]) -> dict[str, ArticleInput]:
    """Local entities from the per-article tables (what ``write_article`` stored), a source at a time."""
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


class _NodeRow:
    """One local entity as finalize files it: its form, statements, and the forms it speaks for or is part of."""

    __slots__ = ("article_id", "local", "form", "statements", "stands_for", "part_of", "held")

    def __init__(self, article_id: str, local: int, form: Form, statements: int, stands_for: str | None,
                 part_of: str | None, held: str | None) -> None:
        self.article_id, self.local, self.form = article_id, local, form
        self.statements, self.stands_for, self.part_of, self.held = statements, stands_for, part_of, held

    def row(self) -> tuple:
        return (self.article_id, self.local, self.form.id, self.statements, self.stands_for, self.part_of, self.held)


def _node_rows(inputs: Mapping[str, ArticleInput]) -> list[_NodeRow]:
    out: list[_NodeRow] = []
    for aid in sorted(inputs):
        a = inputs[aid]
        forms = {e.local: form_of(e, a.published) for e in a.entities.entities}
        said = Counter(link.local for link in a.entities.speakers)
        for e in a.entities.entities:
            stands = forms[e.stands_for].id if e.stands_for in forms else None
            part = forms[e.part_of].id if e.part_of in forms else None
            out.append(_NodeRow(aid, e.local, forms[e.local], said[e.local], stands, part, held_of(e, a.published)))
    return out


def _form_keys(form: Form, counts: Counts, rules: AliasRules) -> set[str]:
    return node_keys(form.entity, form.day, rules, counts.held() if form.apart else None)


def _load_forms(conn: sqlite3.Connection, form_ids: Sequence[str]
                ) -> tuple[dict[str, Form], dict[str, Counts], dict[str, str], dict[str, str | None]]:
    """Stored forms: data, counts, entity, and the type the merge gave them where it is not their own."""
    forms: dict[str, Form] = {}
    counts: dict[str, Counts] = defaultdict(Counts)
    placed: dict[str, str] = {}
    as_type: dict[str, str | None] = {}
    for batch in inc.chunks(form_ids):
        for fid, data, nodes, statements, articles, refs, eid, typ in conn.execute(
                "SELECT form, data, nodes, statements, articles, refs, entity_id, as_type FROM entity_forms"
                f" WHERE form IN ({inc.marks(len(batch))})", batch):
            forms[fid] = Form.from_json(fid, data)
            counts[fid] = Counts.from_row(nodes, statements, articles, refs)
            as_type[fid] = typ
            if eid:
                placed[fid] = eid
    return forms, counts, placed, as_type


def _save_forms(conn: sqlite3.Connection, forms: Mapping[str, Form], counts: Mapping[str, Counts],
                gone: Sequence[str] = ()) -> None:
    """Write forms' counts (new forms with their data) and drop forms no local entity is any more."""
    for batch in inc.chunks(gone):
        q = inc.marks(len(batch))
        for table in ("entity_forms", "entity_form_keys", "entity_form_refs"):
            conn.execute(f"DELETE FROM {table} WHERE form IN ({q})", batch)
    conn.executemany(
        "INSERT INTO entity_forms(form, data, nodes, statements, articles, refs) VALUES (?,?,?,?,?,?)"
        " ON CONFLICT(form) DO UPDATE SET nodes = excluded.nodes, statements = excluded.statements,"
        " articles = excluded.articles, refs = excluded.refs",
        [(fid, f.to_json(), counts[fid].nodes, counts[fid].statements, counts[fid].articles, counts[fid].refs_json())
         for fid, f in sorted(forms.items())])
    ids = sorted(forms)
    for batch in inc.chunks(ids):
        conn.execute(f"DELETE FROM entity_form_refs WHERE form IN ({inc.marks(len(batch))})", batch)
    conn.executemany("INSERT INTO entity_form_refs(target, form) VALUES (?,?)",
                     [(t, fid) for fid in ids for t in sorted(counts[fid].targets())])


def _items_with(conn: sqlite3.Connection, keys: list[str]) -> Iterable[tuple[str, str]]:
    for fid, key in conn.execute(
            f"SELECT form, key FROM entity_form_keys WHERE key IN ({inc.marks(len(keys))})", keys):
        yield fid, key


def _keys_of(conn: sqlite3.Connection, form_ids: Sequence[str]) -> Iterable[tuple[str, str]]:
    return conn.execute(f"SELECT form, key FROM entity_form_keys WHERE form IN ({inc.marks(len(form_ids))})",
                        list(form_ids)).fetchall()


class _Linked:
    """Keys tied to a key without a shared form (blocking.linked): stored links, and a role key's partner."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __call__(self, key: str) -> list[str]:
        other = partner(key)
        if other:
            found = self.conn.execute("SELECT 1 FROM entity_form_keys WHERE key = ? LIMIT 1", (other,)).fetchone()
            return [other] if found else []
        if not key.startswith("t:"):
            return []
        return [r[0] for r in self.conn.execute("SELECT other FROM entity_key_links WHERE key = ?", (key,))]


def _links_among(keys: Iterable[str]) -> dict[str, list[str]]:
    """Every pair of ``t:`` keys spelled alike among ``keys`` (blocking.linked), both ways."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for k in sorted(set(keys)):
        if k.startswith("t:"):
            blocks[thing_block(k)].append(k)
    out: dict[str, list[str]] = defaultdict(list)
    for block in blocks.values():
        for i, ka in enumerate(block):
            for kb in linked(ka, block[i + 1:]):
                out[ka].append(kb)
                out[kb].append(ka)
    return out


def _stored_links(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for batch in inc.chunks(sorted(k for k in set(keys) if k.startswith("t:"))):
        for key, other in conn.execute(
                f"SELECT key, other FROM entity_key_links WHERE key IN ({inc.marks(len(batch))})", batch):
            out[key].append(other)
    return out


def _present(conn: sqlite3.Connection, keys: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for batch in inc.chunks(sorted(set(keys))):
        out |= {r[0] for r in conn.execute(
            f"SELECT DISTINCT key FROM entity_form_keys WHERE key IN ({inc.marks(len(batch))})", batch)}
    return out


def _relink(conn: sqlite3.Connection, appeared: set[str], vanished: set[str]) -> None:
    """Keep entity_key_links to the stored keys: a key no form had before is compared once with its block."""
    for batch in inc.chunks(sorted(vanished)):
        q = inc.marks(len(batch))
        conn.execute(f"DELETE FROM entity_key_links WHERE key IN ({q})", batch)
        conn.execute(f"DELETE FROM entity_key_links WHERE other IN ({q})", batch)
    blocks: dict[str, list[str]] = {}
    rows: set[tuple[str, str]] = set()
    for key in sorted(k for k in appeared if k.startswith("t:")):
        block = thing_block(key)
        if block not in blocks:
            blocks[block] = [r[0] for r in conn.execute(
                "SELECT DISTINCT key FROM entity_form_keys WHERE key >= ? AND key < ?", (block, block + "\U0010ffff"))]
        for other in linked(key, blocks[block]):
            rows |= {(key, other), (other, key)}
    conn.executemany("INSERT OR IGNORE INTO entity_key_links(key, other) VALUES (?,?)", sorted(rows))


def components(by_node: Mapping[Any, set[str]], links: Mapping[str, Iterable[str]]) -> list[list[Any]]:
    """The nodes (forms) split into components of shared keys and tied keys: ``links`` ties ``t:`` keys spelled
    alike (blocking.linked), a role name's ``q:`` key ties the holders of its passive ``h:`` partner.
    Each component sorted."""
    uf = inc.UnionFind()
    roles: set[str] = set()
    present: set[str] = set()
    held: dict[str, list[Any]] = defaultdict(list)
    for n, keys in by_node.items():
        uf.find(("n", n))
        for k in keys:
            if passive(k):
                held[k].append(n)
                continue
            uf.union(("n", n), ("k", k))
            present.add(k)
            if k.startswith("q:"):
                roles.add(k)
    for k in sorted(roles):  # a role name's key: the holders of that role and bucket join it
        for n in held.get(partner(k), ()):
            uf.union(("k", k), ("n", n))
    for k in sorted(present):
        for other in links.get(k, ()):
            if other in present:
                uf.union(("k", k), ("k", other))
    groups = uf.groups(("n", n) for n in by_node)
    return sorted((sorted(n for _, n in g) for g in groups), key=lambda g: g[0])


# -- writing --------------------------------------------------------------------------------------------------

_ROW = "name, type, country, statements, articles, aliases, evidence"


def _row(e: Entity) -> tuple:
    return (e.name, e.type.value, e.country, e.statements, e.articles, json.dumps(list(e.aliases), ensure_ascii=False),
            json.dumps([v.to_dict() for v in e.evidence], ensure_ascii=False))


def _merge_forms(comp: list[str], forms: Mapping[str, Form], counts: Mapping[str, Counts], rules: AliasRules):
    """merge_units() on one component's forms, in form id order (``comp`` is sorted)."""
    return merge_units({f: forms[f].unit(counts[f]) for f in comp}, rules)


def _recompute(conn: sqlite3.Connection, ids: list[str], new_nodes: list[_NodeRow], by_form: Mapping[str, set[str]],
               forms: Mapping[str, Form], counts: Mapping[str, Counts], placed_before: Mapping[str, str],
               as_type: Mapping[str, str | None], touched: list[str], rules: AliasRules,
               reweighed: list[Entity]) -> None:
    """Merge the reached components again; write only the entities that came out different (and those
    reweighed on their own), and again only the local entities whose form moved to another entity."""
    entities: list[Entity] = []
    placed: dict[str, str] = {}
    retyped: dict[str, EntityType] = {}
    live = {f: keys for f, keys in by_form.items() if counts[f].nodes > 0}
    for comp in components(live, _stored_links(conn, {k for keys in live.values() for k in keys})):
        result = _merge_forms(comp, forms, counts, rules)
        entities += result.entities
        placed.update(result.members)
        retyped.update(result.retyped)
    old = sorted({placed_before[f] for f in by_form if f in placed_before})
    old_rows: dict[str, tuple] = {}
    old_forms: dict[str, set[str]] = defaultdict(set)
    for batch in inc.chunks(old):
        q = inc.marks(len(batch))
        old_rows.update((r[0], tuple(r[1:])) for r in conn.execute(
            f"SELECT id, {_ROW} FROM entities WHERE id IN ({q})", batch))
    for fid in by_form:
        if fid in placed_before:
            old_forms[placed_before[fid]].add(fid)
    new_forms: dict[str, set[str]] = defaultdict(set)
    for fid, eid in placed.items():
        new_forms[eid].add(fid)
    kept = {e.id for e in entities if old_rows.get(e.id) == _row(e) and old_forms.get(e.id) == new_forms[e.id]}
    gone = sorted(set(old) - kept)
    fresh = [e for e in entities if e.id not in kept]
    reweighed_ids = [e.id for e in reweighed]
    old_keys = _name_keys(conn, gone + reweighed_ids)
    before = _resolve_all(conn, old_keys)
    # A reweighed entity keeps its id, and its name when no tie tipped.
    old_names = dict(_shown_names(conn, reweighed_ids))
    renamed = [e.id for e in reweighed if old_names.get(e.id) != e.name]
    for batch in inc.chunks(gone):
        q = inc.marks(len(batch))
        for table, col in (("entity_names", "entity_id"), ("entities", "id"), ("entity_refs", "entity_id")):
            conn.execute(f"DELETE FROM {table} WHERE {col} IN ({q})", batch)
    _write(conn, fresh)
    conn.executemany(f"UPDATE entities SET {', '.join(c + ' = ?' for c in _ROW.split(', '))} WHERE id = ?",
                     [(*_row(e), e.id) for e in reweighed])
    _write_names(conn, [e for e in reweighed if e.id in set(renamed)], rewrite=True)
    moved = sorted(f for f, eid in placed.items() if placed_before.get(f) != eid)
    types = [(retyped[f].value if f in retyped else None, f) for f in sorted(placed)]
    conn.executemany("UPDATE entity_forms SET entity_id = ?, as_type = ? WHERE form = ?",
                     [(placed[f], t, f) for t, f in types if f in moved or as_type.get(f) != t])
    _move_members(conn, moved, set(ids))
    # The pending articles' local entities: members and statements written afresh.
    where = {**placed_before, **placed}
    for batch in inc.chunks(ids):
        q = inc.marks(len(batch))
        conn.execute(f"DELETE FROM entity_members WHERE article_id IN ({q})", batch)
        conn.execute(f"DELETE FROM entity_statements WHERE article_id IN ({q})", batch)
    conn.executemany("INSERT INTO entity_members(article_id, local, entity_id) VALUES (?,?,?)",
                     sorted((n.article_id, n.local, where[n.form.id]) for n in new_nodes))
    for batch in inc.chunks(ids):
        conn.execute(f"INSERT OR IGNORE INTO entity_statements(entity_id, day, pk, article_id) {STATEMENTS_SELECT}"
                     f" WHERE s.article_id IN ({inc.marks(len(batch))})", batch)
    new_ids = [e.id for e in fresh]
    new_keys = _name_keys(conn, new_ids) - old_keys
    # A key no old entity had was named (if at all) by entities outside this update: that is its old name.
    before.update(_resolve_all(conn, new_keys, without=set(new_ids)))
    after = _resolve_all(conn, old_keys | new_keys)
    changed = {k for k in old_keys | new_keys if before.get(k) != after.get(k)}
    # touched: the forms whose roles or seats may have changed (quiet ones left out by update)
    again = set(new_ids) | {where[f] for f in touched if f in where}
    for batch in inc.chunks(sorted(changed)):
        again |= {r[0] for r in conn.execute(
            f"SELECT entity_id FROM entity_refs WHERE key IN ({inc.marks(len(batch))})", batch)}
    # Entities whose members speak for (or belong to) a form that moved, or whose entity was renamed (an
    # entity renamed keeps its id and members: later steps are told its id, not its local entities).
    renamed += [e.id for e in fresh if e.id in old_rows and old_rows[e.id][0] != e.name]
    inc.note_renamed_entities(conn, renamed)
    targets = set(moved)
    for batch in inc.chunks(renamed):
        targets |= {r[0] for r in conn.execute(
            f"SELECT form FROM entity_forms WHERE entity_id IN ({inc.marks(len(batch))})", batch)}
    for batch in inc.chunks(sorted(targets)):
        again |= {r[0] for r in conn.execute(
            "SELECT f.entity_id FROM entity_form_refs r JOIN entity_forms f ON f.form = r.form"
            f" WHERE r.target IN ({inc.marks(len(batch))})", batch) if r[0]}
    _second_pass(conn, sorted(again))
    inc.note_changed_names(conn, changed)


def _move_members(conn: sqlite3.Connection, moved: list[str], pending: set[str]) -> None:
    """The stored local entities of forms now in another entity (noted as moved for later steps; those of the
    pending articles are written afresh by the caller): members and statement index follow, set at a
    time (a finalize can move tens of thousands of local entities; only those that said something, the
    ``statements`` of their node, have statement rows to move)."""
    if not moved:
        return
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS finalize_moved (article_id TEXT NOT NULL, local INTEGER NOT NULL,"
                 " entity_id TEXT NOT NULL, said INTEGER NOT NULL, PRIMARY KEY (article_id, local)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.finalize_moved")
    for batch in inc.chunks(moved):
        conn.execute("INSERT INTO temp.finalize_moved(article_id, local, entity_id, said) SELECT n.article_id,"
                     " n.local, f.entity_id, n.statements > 0 FROM entity_nodes n JOIN entity_forms f ON f.form = n.form"
                     f" WHERE n.form IN ({inc.marks(len(batch))})", batch)
    # Later steps (claims' parties) look only at the local entities noted as moved: all of these.
    inc.note_moved_nodes(conn, "SELECT article_id, local FROM temp.finalize_moved")
    for batch in inc.chunks(sorted(pending)):
        conn.execute(f"DELETE FROM temp.finalize_moved WHERE article_id IN ({inc.marks(len(batch))})", batch)
    said = "(SELECT article_id, local FROM temp.finalize_moved WHERE said)"
    old = conn.execute(statements_of(said)).fetchall()
    conn.executemany("DELETE FROM entity_statements WHERE entity_id = ? AND day = ? AND pk = ?",
                     [r[:3] for r in old])
    # Driven by the moved rows (an UPDATE ... FROM would scan every member: the temp table has no statistics).
    conn.execute("UPDATE entity_members AS m SET entity_id = (SELECT t.entity_id FROM temp.finalize_moved t"
                 " WHERE t.article_id = m.article_id AND t.local = m.local)"
                 " WHERE (article_id, local) IN (SELECT article_id, local FROM temp.finalize_moved)")
    conn.execute("INSERT OR IGNORE INTO entity_statements(entity_id, day, pk, article_id) " + statements_of(said))


def _write(conn: sqlite3.Connection, entities: list[Entity]) -> None:
    """Entity rows (roles and references are the second pass's) and names."""
    conn.executemany(
        f"INSERT INTO entities(id, {_ROW}, stands_for, part_of, roles) VALUES (?,?,?,?,?,?,?,?,NULL,NULL,'[]')",
        [(e.id, *_row(e)) for e in entities])
    _write_names(conn, entities)


def _write_names(conn: sqlite3.Connection, entities: list[Entity], rewrite: bool = False) -> None:
    """Every name the entities go by (``rewrite``: instead of those stored for them)."""
    if rewrite:
        for batch in inc.chunks([e.id for e in entities]):
            conn.execute(f"DELETE FROM entity_names WHERE entity_id IN ({inc.marks(len(batch))})", batch)
    names = {(skeleton(n), n, e.id) for e in entities for n in (e.name, *e.aliases)}
    conn.executemany("INSERT INTO entity_names(key, name, entity_id) VALUES (?,?,?)", sorted(names))


def _shown_names(conn: sqlite3.Connection, entity_ids: list[str]) -> Iterable[tuple[str, str]]:
    """(id, name) of these entities as stored."""
    for batch in inc.chunks(entity_ids):
        yield from conn.execute(f"SELECT id, name FROM entities WHERE id IN ({inc.marks(len(batch))})", batch)


_NO_REFS = Counts().refs_json()  # a form whose members speak for nothing, belong to nothing and hold no roles


def _second_pass(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> None:
    """Roles (with what each is of named canonically), and the government or body an entity speaks for, from
    the counts of its forms."""
    names: dict[str, str | None] = {}

    def canonical(of: str) -> str:
        key = skeleton(of)
        if key not in names:
            names[key] = _resolve_all(conn, {key}).get(key)
        return names[key] or of

    for batch in inc.chunks(sorted(set(entity_ids))):
        q = inc.marks(len(batch))
        # Only forms with roles or references add to what this pass shows (most have neither): the rest are
        # left in SQLite, unparsed.
        rows = conn.execute("SELECT entity_id, form, data, nodes, articles, refs FROM entity_forms"
                            f" WHERE entity_id IN ({q}) AND (json_array_length(data, '$.entity.roles') > 0"
                            " OR refs <> ?)", [*batch, _NO_REFS]).fetchall()
        counts = {r[1]: Counts.from_row(r[3], 0, r[4], r[5], read_only=True) for r in rows}
        targets = sorted({t for c in counts.values() for t in c.targets()})
        target_names: dict[str, str] = {}
        for tb in inc.chunks(targets):
            target_names.update(conn.execute(
                "SELECT f.form, e.name FROM entity_forms f JOIN entities e ON e.id = f.entity_id"
                f" WHERE f.form IN ({inc.marks(len(tb))})", tb).fetchall())
        items: dict[str, list[tuple]] = defaultdict(list)
        refs: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: {"stands_for": Counter(), "part_of": Counter()})
        for eid, fid, data, nodes, articles, raw in rows:
            form = Form.from_json(fid, data)
            c = counts[fid]
            for r in (() if form.apart else form.entity.roles):
                items[eid].append((form.day or "", fid, r, nodes, articles))
            for r, day, n in c.role_items():  # a person: its roles counted by day
                items[eid].append((day or "", f"{fid}@{day or ''}", r, n, n))
            for column, found in (("stands_for", c.stands_for), ("part_of", c.part_of)):
                for target, n in (found or {}).items():
                    if target in target_names:
                        refs[eid][column][target_names[target]] += n
        out, ref_rows = [], []
        for eid in batch:
            mine = sorted(items.get(eid, ()), key=lambda i: (i[0], i[1]))
            seen = roles_seen([(r, day or None, fid, nodes, articles) for day, fid, r, nodes, articles in mine],
                              canonical)
            best = {column: min(found.items(), key=lambda kv: (-kv[1], kv[0]))[0] if found else None
                    for column, found in refs[eid].items()} if eid in refs else {"stands_for": None, "part_of": None}
            out.append((json.dumps([r.to_dict() for r in seen], ensure_ascii=False), best["stands_for"],
                        best["part_of"], eid))
            ref_rows += sorted({(skeleton(r.of), eid) for _, _, r, _, _ in mine if r.of})
        conn.executemany("UPDATE entities SET roles = ?, stands_for = ?, part_of = ? WHERE id = ?", out)
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
            "SELECT DISTINCT n.article_id FROM entity_form_keys k JOIN entity_nodes n ON n.form = k.form"
            f" WHERE k.key IN ({inc.marks(len(batch))})", batch)}
    inc.mark_pending(conn, sorted(touched), since)

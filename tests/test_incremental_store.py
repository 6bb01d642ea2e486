"""The incremental finalize against the full rebuild: same tables whatever the order and batches articles come in.

Property: the same articles, written in random orders and random batch sizes (with a finalize after each
batch and some articles re-written), leave exactly the entity, claim and position tables that one full
rebuild makes from the same store, and the same tables as every other order.  Real pipeline, real SQLite.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.analysis import ArticleMeta, load_enrichers, process_texts
from onrecord.cli import app
from onrecord.entities import merge_entities
from onrecord.store import Writer

FIXTURES = Path(__file__).parent / "fixtures"

# Statements are keyed by attributions.pk, which depends on the order articles were stored: compared as
# (article_id, idx) instead, so that stores filled in different orders can be compared.
TABLES = {
    "entities": "SELECT id, name, type, country, stands_for, part_of, statements, articles, aliases, roles, evidence"
                " FROM entities",
    "entity_members": "SELECT article_id, local, entity_id FROM entity_members",
    "entity_names": "SELECT key, name, entity_id FROM entity_names",
    "entity_statements": "SELECT s.entity_id, s.day, a.article_id, a.idx FROM entity_statements s"
                         " JOIN attributions a ON a.pk = s.pk",
    # The finalize's own derived tables: forms with their counts and keys, and every local entity's form.
    "entity_forms": "SELECT form, data, nodes, statements, articles, refs, entity_id, as_type FROM entity_forms",
    "entity_nodes": "SELECT article_id, local, form, statements, stands_for, part_of, held FROM entity_nodes",
    "entity_form_keys": "SELECT key, form FROM entity_form_keys",
    "entity_form_refs": "SELECT target, form FROM entity_form_refs",
    "entity_key_links": "SELECT key, other FROM entity_key_links",
    "entity_refs": "SELECT key, entity_id FROM entity_refs",
    "claims": "SELECT * FROM claims",
    "claim_statements": "SELECT * FROM claim_statements",
    "proposals": "SELECT * FROM proposals",
    "positions": "SELECT * FROM positions",
    "position_evidence": "SELECT * FROM position_evidence",
    # The claims finalize's own: each block's items with their parties resolved, and what parties came through.
    "claim_items": "SELECT * FROM claim_items",
    "claim_party_nodes": "SELECT * FROM claim_party_nodes",
}


def _texts():
    entities = json.loads((FIXTURES / "entities" / "articles.json").read_text("utf-8"))
    for a in entities["articles"]:
        yield ((FIXTURES / "entities" / a["file"]).read_text("utf-8"),
               ArticleMeta(origin=a["file"], outlet=a["outlet"], published=a["published"]))
    for i, path in enumerate(sorted((FIXTURES / "claims").glob("*.txt"))):
        yield path.read_text("utf-8"), ArticleMeta(origin=path.name, outlet=path.stem.split("-")[1],
                                                   published=f"2025-11-{10 + i:02d}")


@pytest.fixture(scope="module")
def processed(extractor):
    out = list(process_texts(extractor, _texts(), enrichers=load_enrichers()))
    assert all(a.error is None for a in out)
    return out


def snapshot(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in TABLES.items()}
    finally:
        conn.close()


def _fill(path: Path, articles, rng: random.Random, *, rewrite: int = 2) -> None:
    order = list(articles)
    rng.shuffle(order)
    with Writer(path) as writer:
        i = 0
        while i < len(order):
            size = rng.randint(1, 5)
            for article in order[i:i + size]:
                writer.write(article)
            i += size
            # Now and then re-process an article already stored (a model upgrade, --reprocess).
            if rewrite and rng.random() < 0.4:
                writer.write(rng.choice(order[:i]), replace=True)
                rewrite -= 1
            writer.finalize()


def _same(incremental, full) -> None:
    for name in TABLES:
        assert incremental[name] == full[name], (name, sorted(set(incremental[name]) - set(full[name]), key=repr)[:5],
                                                 sorted(set(full[name]) - set(incremental[name]), key=repr)[:5])


@pytest.mark.parametrize("seed", range(4))
def test_random_orders_and_batches_give_the_full_rebuild(tmp_path, processed, seed):
    path = tmp_path / f"s{seed}.db"
    _fill(path, processed, random.Random(seed))
    incremental = snapshot(path)
    with Writer(path) as writer:
        writer.rebuild()
    full = snapshot(path)
    assert len(full["entities"]) > 20 and len(full["claims"]) > 3 and full["positions"]
    _same(incremental, full)


def test_every_order_gives_the_same_tables(tmp_path, processed):
    snaps = []
    for seed in (11, 12, 13):
        path = tmp_path / f"o{seed}.db"
        _fill(path, processed, random.Random(seed), rewrite=0)
        snaps.append(snapshot(path))
    for name in TABLES:
        assert snaps[0][name] == snaps[1][name] == snaps[2][name], name


def test_an_unrelated_article_leaves_other_entities_untouched(tmp_path, processed, extractor):
    path = tmp_path / "u.db"
    with Writer(path) as writer:
        for article in processed:
            writer.write(article)
    conn = sqlite3.connect(path)
    before = dict(conn.execute("SELECT id, rowid FROM entities"))
    text = ("Quentin Marlowe, the harbour master of Port Ellery, said on Monday that the new ferry timetable "
            "would start in spring. \u201cWe have waited long enough,\u201d Marlowe told reporters.")
    new = next(process_texts(extractor, [(text, ArticleMeta(origin="ferry.txt", published="2025-12-01"))],
                             enrichers=load_enrichers()))
    with Writer(path) as writer:
        writer.write(new)
    after = dict(conn.execute("SELECT id, rowid FROM entities"))
    conn.close()
    kept = [eid for eid in before if after.get(eid) == before[eid]]
    assert len(kept) == len(before)  # not one of them was deleted and written again
    assert any("marlowe" in eid for eid in set(after) - set(before))


def test_hand_corrections_survive_both_paths(tmp_path, processed):
    path = tmp_path / "h.db"
    first, rest = processed[:-4], processed[-4:]
    with Writer(path) as writer:
        for article in first:
            writer.write(article)
    conn = sqlite3.connect(path)
    people = [r[0] for r in conn.execute("SELECT name FROM entities WHERE type = 'PERSON' AND name LIKE '% %'"
                                         " ORDER BY statements DESC, id LIMIT 2")]
    places = [r[0] for r in conn.execute("SELECT name FROM entities WHERE type = 'PLACE' ORDER BY articles DESC, id"
                                         " LIMIT 2")]
    conn.close()
    assert len(people) == 2 and len(places) == 2
    merge_entities(path, people)
    merge_entities(path, places, split=True)
    with Writer(path) as writer:
        for article in rest:
            writer.write(article)
    incremental = snapshot(path)
    conn = sqlite3.connect(path)
    ids = {conn.execute("SELECT entity_id FROM entity_names WHERE name = ?", (n,)).fetchone()[0] for n in people}
    conn.close()
    assert len(ids) == 1  # merged by hand, and still merged after more articles came in
    result = CliRunner().invoke(app, ["rebuild", "--db", str(path)])
    assert result.exit_code == 0, result.output
    full = snapshot(path)
    _same(incremental, full)


def test_scale_merge_finalizes_the_same_way(tmp_path, processed):
    from onrecord.engines.shards import ShardWriter, merge_shards

    folder = tmp_path / "shards"
    order = list(processed)
    random.Random(5).shuffle(order)
    with ShardWriter(folder, rows_per_shard=4) as shards:
        for article in order:
            shards.add(article)
    path = tmp_path / "merged.db"
    report = merge_shards(folder, path, finalize_every=3)  # several incremental finalizes along the way
    assert report.ok and report.stored == len(processed)
    merged = snapshot(path)
    with Writer(path) as writer:
        writer.rebuild()
    full = snapshot(path)
    _same(merged, full)


def test_a_killed_finalize_is_finished_by_the_next_run(tmp_path, processed):
    path = tmp_path / "k.db"
    writer = Writer(path)
    for article in processed[:6]:
        writer.write(article)
    writer.close(finalize=False)  # as if killed before the final step
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM pending_finalize").fetchone()[0] == 6
    conn.close()
    with Writer(path) as writer:
        assert writer.finalize_pending()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM pending_finalize").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0] > 10
    conn.close()


def _copy(article, n: int):
    """The same processed article under another id (its text marked): the same names, so the same forms."""
    from dataclasses import replace

    from onrecord.analysis import content_id

    text = article.text + f"\n\n(Copy {n}.)"
    return replace(article, id=content_id(text), text=text, meta=replace(article.meta, origin=f"copy{n}-{article.meta.origin}"))


def _entities_only():
    from onrecord.entities import EntityEnricher

    return [EntityEnricher()]


def _finalize_changes(path: Path, article) -> int:
    with Writer(path, enrichers=_entities_only()) as writer:
        writer.write(article)
        before = writer.conn.total_changes
        writer.finalize()
        return writer.conn.total_changes - before


def test_finalize_writes_follow_the_new_article_not_the_store(tmp_path, processed):
    """Copies of the stored articles make every form heavier but add none: adding one more article then
    writes no more entity rows into a store three times as large (fewer: forms already heavy are only
    reweighed, where in the small store some cross from one to two and their components merge again)."""
    first, new = processed[:-1], processed[-1]
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    with Writer(small, enrichers=_entities_only()) as writer:
        for article in first:
            writer.write(article)
    with Writer(large, enrichers=_entities_only()) as writer:
        for n in range(3):
            for article in first:
                writer.write(_copy(article, n) if n else article)
    conn = sqlite3.connect(large)
    forms, nodes = conn.execute("SELECT COUNT(*), SUM(nodes) FROM entity_forms").fetchone()
    conn.close()
    assert nodes > 2 * forms  # the copies share their forms
    assert 0 < _finalize_changes(large, new) <= _finalize_changes(small, new)
    with Writer(large, enrichers=_entities_only()) as writer:
        incremental = snapshot(large)
        writer.rebuild()
    full = snapshot(large)
    _same(incremental, full)


def test_a_reprocessed_article_leaves_its_old_forms(tmp_path, processed):
    """An article re-written with other names: its old forms lose it (and go when nobody else is them)."""
    from dataclasses import replace

    path = tmp_path / "r.db"
    with Writer(path) as writer:
        for article in processed:
            writer.write(article)
    target = processed[0]
    data = json.loads(json.dumps(target.enrichments))
    for e in data["entities"]["entities"]["entities"]:
        e["name"] = e["name"] + "ovich"
        for m in e["mentions"]:
            if m["how"] == "name":
                m["text"] = m["text"] + "ovich"
    with Writer(path) as writer:
        writer.write(replace(target, enrichments=data), replace=True)
        writer.finalize()
        incremental = snapshot(path)
        conn = writer.conn
        names = [r[0] for r in conn.execute("SELECT name FROM entities e JOIN entity_members m ON m.entity_id = e.id"
                                            " WHERE m.article_id = ?", (target.id,))]
        writer.rebuild()
    full = snapshot(path)
    assert names and all("ovich" in n for n in names)
    _same(incremental, full)


def _ostrova(extractor, spelling: str, n: int):
    text = (f"{spelling} Ostrova, the governor of Velmar, said on Tuesday that his forces had captured the town of "
            f"Dorn after weeks of fighting.\n\nRuritania's General Staff denied that Dorn had fallen. \u201cOur units "
            f"still hold the town,\u201d it said in statement {n}.")
    meta = ArticleMeta(origin=f"ostrova-{n}.txt", outlet="The Velmar Post", published=f"2025-10-{n + 1:02d}")
    return next(process_texts(extractor, [(text, meta)], enrichers=load_enrichers()))


def test_a_tie_that_tips_renames_the_entity_but_keeps_its_id_and_members(tmp_path, extractor):
    """Two spellings of one person, one article each: a third article tips the tie and the name shown changes,
    while the id (made from the spellings, not their counts) and every member row stay; the claims' parties
    follow the new name; the full rebuild gives the same tables."""
    path = tmp_path / "t.db"
    a, b, c = _ostrova(extractor, "Dmitri", 0), _ostrova(extractor, "Dmitry", 1), _ostrova(extractor, "Dmitry", 2)
    with Writer(path) as writer:
        writer.write(a)
        writer.write(b)
    conn = sqlite3.connect(path)
    query = "SELECT e.id, e.name FROM entities e WHERE e.name LIKE '% Ostrova'"
    parties = "SELECT DISTINCT party FROM claim_statements WHERE party_id = 'person:dmitri-ostrova'"
    assert conn.execute(query).fetchall() == [("person:dmitri-ostrova", "Dmitri Ostrova")]  # tie: the shorter key
    rows = "SELECT article_id, local, entity_id FROM entity_members WHERE article_id IN (?, ?) ORDER BY 1, 2"
    members = conn.execute(rows, (a.id, b.id)).fetchall()
    assert [m[0] for m in members if m[2] == "person:dmitri-ostrova"] == sorted([a.id, b.id])
    assert conn.execute(parties).fetchall() == [("Dmitri Ostrova",)]
    with Writer(path) as writer:
        writer.write(c)
    assert conn.execute(query).fetchall() == [("person:dmitri-ostrova", "Dmitry Ostrova")]
    assert conn.execute(rows, (a.id, b.id)).fetchall() == members
    assert conn.execute(parties).fetchall() == [("Dmitry Ostrova",)]
    conn.close()
    incremental = snapshot(path)
    with Writer(path) as writer:
        writer.rebuild()
    _same(incremental, snapshot(path))

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
    "claims": "SELECT * FROM claims",
    "claim_statements": "SELECT * FROM claim_statements",
    "proposals": "SELECT * FROM proposals",
    "positions": "SELECT * FROM positions",
    "position_evidence": "SELECT * FROM position_evidence",
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


@pytest.mark.parametrize("seed", range(4))
def test_random_orders_and_batches_give_the_full_rebuild(tmp_path, processed, seed):
    path = tmp_path / f"s{seed}.db"
    _fill(path, processed, random.Random(seed))
    incremental = snapshot(path)
    with Writer(path) as writer:
        writer.rebuild()
    full = snapshot(path)
    assert len(full["entities"]) > 20 and len(full["claims"]) > 3 and full["positions"]
    for name in TABLES:
        assert incremental[name] == full[name], name


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
    for name in TABLES:
        assert incremental[name] == full[name], name


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
    for name in TABLES:
        assert merged[name] == full[name], name


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

"""Canonical names where users look: `quotes --by` and `speakers` go through the entities of a real store."""

from __future__ import annotations

import json
import sqlite3

import pytest

from onrecord.analysis import process_texts
from onrecord.entities import EntityEnricher, EntityIndex
from onrecord.names import dirt
from onrecord.store import Reader, Writer
from onrecord.store.filters import QuoteFilter
from test_entities_store import _items  # the entities fixtures, read in one place

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory, extractor):
    path = tmp_path_factory.mktemp("resolve") / "store.db"
    with Writer(path, enrichers=[EntityEnricher()]) as writer:
        for article in process_texts(extractor, _items(), enrichers=[EntityEnricher()]):
            assert article.error is None
            writer.write(article)
    return path


def test_quotes_by_any_spelling_finds_every_statement_of_the_entity(db):
    with EntityIndex(db) as idx:
        zelensky = idx.get("Zelenskiy")
    conn = sqlite3.connect(db)
    expected = set(conn.execute("SELECT a.article_id, a.idx FROM entity_statements s JOIN attributions a"
                                " ON a.pk = s.pk WHERE s.entity_id = ?", (zelensky.id,)))
    conn.close()
    with Reader(db) as reader:
        spelled = {(q.article_id, q.idx) for q in reader.quotes(by="zelenskiy", limit=None)}
        written = {(q.article_id, q.idx) for q in reader.quotes(by="Zelensky", limit=None)}
    assert expected and expected <= spelled and spelled == written


def test_speakers_lists_entities_once_each_with_clean_names(db):
    with Reader(db) as reader:
        rows = reader.speakers(limit=None)
    ids = [r.entity_id for r in rows if r.entity_id]
    assert ids and len(ids) == len(set(ids))
    assert not [r.name for r in rows if dirt(r.name)]
    with EntityIndex(db) as idx:
        zelensky = idx.get("Zelenskiy")
    row = next(r for r in rows if r.entity_id == zelensky.id)
    assert row.name == zelensky.name and row.statements == zelensky.statements


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_exports_carry_the_entity_id_and_canonical_name_beside_the_speaker(db, tmp_path, fmt):
    from onrecord.store.export import ExportFormat, export

    out = tmp_path / f"quotes.{fmt}"
    export(db, out, format=ExportFormat(fmt), filter=QuoteFilter(by="Zelenskiy"))
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    elif fmt == "csv":
        import csv

        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        rows = pq.read_table(out).to_pylist()
    with EntityIndex(db) as idx:
        zelensky = idx.get("Zelenskiy")
    assert rows and all(r["entity_id"] == zelensky.id and r["entity_name"] == zelensky.name for r in rows)
    assert {r["speaker"] for r in rows} and all("speaker" in r for r in rows)


def test_about_and_search_find_every_spelling_of_a_name(db):
    with Reader(db) as reader:
        variants = reader.name_variants("Kupyansk")
        assert {"Kupiansk", "Kupyansk"} <= set(variants)
        by_one = {(q.article_id, q.idx) for q in reader.quotes(about="Kupyansk", limit=None)}
        by_other = {(q.article_id, q.idx) for q in reader.quotes(about="Kupiansk", limit=None)}
        assert by_one and by_one == by_other
        assert {h.article_id for h in reader.search("Kupyansk")} == {h.article_id for h in reader.search("Kupiansk")}
        assert reader.name_variants("no such place anywhere") == []


def test_timeline_about_finds_every_spelling_of_a_name(db):
    with EntityIndex(db) as idx:
        one = {(t.article_id, t.idx) for t in idx.timeline(about="Kupyansk")}
        other = {(t.article_id, t.idx) for t in idx.timeline(about="Kupiansk")}
    assert one and one == other


def test_upgrading_marks_the_store_for_rebuild_and_reprocess_keeps_hand_merges(db, tmp_path, extractor):
    import shutil

    from onrecord.entities import merge_entities
    from onrecord.ingest.run import ingest

    path = tmp_path / "old.db"
    shutil.copy(db, path)
    merge_entities(path, ["Olena Kovalenko", "Taras Kovalenko"])
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM schema_migrations WHERE name = '0103_resolution_layer'")  # a store from before
    conn.execute("DELETE FROM pending_finalize")
    conn.commit()
    with Writer(path, enrichers=[EntityEnricher()]) as writer:  # opening for writing applies the migration
        assert writer.finalize_pending()
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    ingest(db=path, extractor=extractor, reprocess=True)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == articles
    assert conn.execute("SELECT count(*) FROM pending_finalize").fetchone()[0] == 0
    conn.close()
    with EntityIndex(path) as idx:
        assert idx.get("Olena Kovalenko").id == idx.get("Taras Kovalenko").id


def test_a_store_without_the_entities_tables_gives_quotes_without_entity_columns(tmp_path):
    from test_web_support import border_article

    path = tmp_path / "old.db"
    with Writer(path, enrichers=(), migration_modules=("onrecord.store.schema",)) as writer:
        writer.write(border_article())
    with Reader(path) as reader:
        quotes = reader.quotes(limit=None)
        assert quotes and all(q.entity_id is None and q.entity_name is None for q in quotes)
        assert reader.speakers(limit=None) and reader.name_variants("Northland") == []

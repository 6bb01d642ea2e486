"""Canonical names where users look: `quotes --by` and `speakers` go through the entities of a real store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from onrecord.analysis import ArticleMeta, process_texts
from onrecord.entities import EntityEnricher, EntityIndex
from onrecord.names import dirt
from onrecord.store import Reader, Writer

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures" / "entities"


def _items():
    spec = json.loads((FIXTURES / "articles.json").read_text("utf-8"))
    for a in spec["articles"]:
        yield (FIXTURES / a["file"]).read_text("utf-8"), ArticleMeta(origin=a["file"], outlet=a["outlet"],
                                                                      published=a["published"])


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

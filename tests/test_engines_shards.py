"""Parquet shards: export, query with pyarrow and DuckDB, merge into the store, resume, damage.

The inputs are the invented articles of tests/fixtures/engines spread over two
JSONL shards and a WARC (written here with warcio), with one syndicated copy.
A merged shard folder must give the same store as `onrecord ingest` of the
same inputs: same articles, same attribution rows, same sources, same rows in
every feature table.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from onrecord.analysis import ArticleMeta
from onrecord.engines.local import LocalEngine
from onrecord.engines.shards import (
    ShardWriter, export_shards, merge_shards, part_files, read_shards, read_sightings,
)
from onrecord.errors import ConfigError, InputError
from onrecord.ingest import ingest

FIXTURE = Path(__file__).parent / "fixtures" / "engines" / "articles.jsonl"


def fixture_articles() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def variants(n: int) -> list[dict]:
    """``n`` distinct articles: the fixture's, each closed by a different invented reader's comment."""
    base = fixture_articles()
    out = []
    for i in range(n):
        a = dict(base[i % len(base)])
        round_ = i // len(base)
        if round_:
            a["url"] = f"{a['url']}?edition={round_}"
            a["text"] += (f"\n\nA resident of district {round_ + 1}, Jana Petrov-{round_}, said the decision "
                          f"would be discussed at the next neighbourhood meeting.")
        out.append(a)
    return out


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def write_warc(path: Path, articles: list[dict]) -> Path:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for a in articles:
            paragraphs = "".join(f"<p>{p}</p>" for p in a["text"].split("\n\n"))
            body = (f"<html><head><title>{a['title']}</title></head><body><article><h1>{a['title']}</h1>"
                    f"{paragraphs}</article></body></html>").encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(a["url"], "response", payload=BytesIO(body),
                                                          http_headers=headers))
    return path


def build_inputs(folder: Path) -> Path:
    """A folder of two JSONL shards and a WARC; the WARC's first page repeats a JSONL article's text."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = fixture_articles()
    write_jsonl(folder / "shard-000.jsonl", articles[:4])
    write_jsonl(folder / "shard-001.jsonl", articles[4:7])
    syndicated = dict(articles[0], url="https://syndicate.example/ferry", outlet="Syndicate Wire")
    write_jsonl(folder / "shard-002.jsonl", [syndicated])
    write_warc(folder / "crawl.warc.gz", articles[7:])
    return folder


def table_rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def table_counts(db: Path) -> dict[str, int]:
    names = [r[0] for r in table_rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY 1")]
    return {n: table_rows(db, f'SELECT count(*) FROM "{n}"')[0][0] for n in names if n != "schema_migrations"}


ATTRIBUTION_COLUMNS = ("article_id, idx, kind, speaker_name, speaker_mention, speaker_type, speaker_antecedent, "
                       "confidence, source_spans, cue_spans, content_spans, source_text, cue_text, content_text, "
                       "start, end, said_on, extra")
ARTICLE_COLUMNS = "id, url, outlet, title, author, published, language, origin, name, text, words, n_attributions, error"


def assert_same_store(a: Path, b: Path) -> None:
    assert table_rows(a, f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id") == \
        table_rows(b, f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")
    assert table_rows(a, f"SELECT {ATTRIBUTION_COLUMNS} FROM attributions ORDER BY article_id, idx") == \
        table_rows(b, f"SELECT {ATTRIBUTION_COLUMNS} FROM attributions ORDER BY article_id, idx")
    assert table_rows(a, "SELECT article_id, origin, url, outlet FROM article_sources ORDER BY 1, 2") == \
        table_rows(b, "SELECT article_id, origin, url, outlet FROM article_sources ORDER BY 1, 2")
    assert table_counts(a) == table_counts(b)  # every feature table (entities, claims…) holds as many rows


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return build_inputs(tmp_path_factory.mktemp("engines-in") / "news")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, inputs, extractor) -> Path:
    db = tmp_path_factory.mktemp("engines-db") / "direct.db"
    report = ingest([inputs], db=db, extractor=extractor)
    assert report.ok and report.stored == 8 and report.unchanged == 1, report
    return db


@pytest.fixture(scope="module")
def shards(tmp_path_factory, inputs, extractor) -> Path:
    folder = tmp_path_factory.mktemp("engines-shards") / "shards"
    report = export_shards([inputs], folder, engine=LocalEngine(extractor), rows_per_shard=3)
    assert report.ok, report.failures
    assert (report.exported, report.unchanged, report.parts) == (8, 1, 3)
    return folder


def test_merged_shards_give_the_store_that_ingest_gives(shards, ingested, tmp_path):
    db = tmp_path / "merged.db"
    report = merge_shards(shards, db)
    assert (report.stored, report.unchanged, report.failed, report.sightings, report.parts) == (8, 0, 0, 1, 3)
    assert_same_store(db, ingested)
    # Every article's statement count matches its rows: nothing half-written.
    assert table_rows(db, "SELECT count(*) FROM articles a WHERE n_attributions != "
                          "(SELECT count(*) FROM attributions t WHERE t.article_id = a.id)") == [(0,)]

    again = merge_shards(shards, db)  # idempotent: nothing new, nothing doubled
    assert (again.stored, again.unchanged, again.failed) == (0, 8, 0)
    assert_same_store(db, ingested)


def test_shards_round_trip_the_engines_articles_exactly(shards, inputs, extractor):
    articles = list(read_shards(shards))
    by_id = {a.id: a for a in articles}
    assert len(articles) == len(by_id) == 8
    texts = [(a.text, a.meta) for a in articles]
    # Processing the stored texts again gives back exactly what the shards hold (confidence unrounded).
    assert list(LocalEngine(extractor).process(texts)) == articles
    (sighting_id, meta), = list(read_sightings(shards))
    assert meta.outlet == "Syndicate Wire" and by_id[sighting_id].meta.outlet == "Harbour Gazette"


def test_shards_are_queryable_with_pyarrow_and_duckdb(shards, ingested):
    duckdb = pytest.importorskip("duckdb")
    root = shards.as_posix()
    per_outlet = duckdb.sql(
        f"SELECT a.outlet, count(*) FROM '{root}/attributions/*.parquet' t "
        f"JOIN '{root}/articles/*.parquet' a ON a.id = t.article_id GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert per_outlet == table_rows(ingested, "SELECT a.outlet, count(*) FROM attributions t "
                                              "JOIN articles a ON a.id = t.article_id GROUP BY 1 ORDER BY 1")
    table = pads.dataset(shards / "attributions", format="parquet").to_table()
    assert table.num_rows == sum(n for _, n in per_outlet)
    assert table.schema.field("cue").type == pa.list_(pa.list_(pa.int64()))
    speakers = set(table.column("speaker").to_pylist())
    assert {"Colm Brennan", "Petra Horvat"} <= speakers


def test_export_stopped_midway_resumes_without_losing_or_doubling(inputs, ingested, extractor, tmp_path):
    folder = tmp_path / "shards"
    engine = LocalEngine(extractor)
    seen = []

    def stop_after_three(outcome):
        seen.append(outcome)
        if sum(o.status == "exported" for o in seen) == 3:
            raise KeyboardInterrupt  # what Ctrl-C does at that moment

    with pytest.raises(KeyboardInterrupt):
        export_shards([inputs], folder, engine=engine, rows_per_shard=2, on_item=stop_after_three)
    first = {a.id for a in read_shards(folder)}
    assert 1 <= len(first) <= 3  # whole parts only; at most what was extracted

    # What a kill between writing a part's files and committing it leaves behind: ignored, then removed.
    (folder / "attributions" / ".part-000009.parquet.tmp").write_bytes(b"half a file")
    orphan = folder / "attributions" / "part-000009.parquet"
    orphan.write_bytes((folder / "attributions" / part_files(folder)[0].name).read_bytes())
    assert {a.id for a in read_shards(folder)} == first

    report = export_shards([inputs], folder, engine=engine, rows_per_shard=2)
    assert report.exported == 8 - len(first) and report.ok
    assert not orphan.exists() and not list(folder.rglob(".part-*"))
    ids = [a.id for a in read_shards(folder)]
    assert len(ids) == len(set(ids)) == 8
    db = tmp_path / "merged.db"
    merge_shards(folder, db)
    assert_same_store(db, ingested)


class _FailOn:
    """An enricher that fails on one article, as a feature with a bug would."""

    name = "fail_on"

    def __init__(self, word: str) -> None:
        self.word = word

    def analyse(self, doc, meta, attributions):
        if self.word in doc.text:
            raise RuntimeError("feature bug")
        return None

    def write(self, conn, article_id, data):
        pass

    def finalize(self, conn):
        pass


def test_articles_exported_with_an_error_are_retried(inputs, ingested, extractor, tmp_path):
    from onrecord.analysis import load_enrichers

    folder = tmp_path / "shards"
    failing = LocalEngine(extractor, enrichers=(*load_enrichers(), _FailOn("Ostervik")))
    first = export_shards([inputs], folder, engine=failing)
    assert first.failed == 1 and "feature bug" in first.failures[0].message and not first.ok
    again = export_shards([inputs], folder, engine=LocalEngine(extractor))
    assert (again.exported, again.failed) == (1, 0)  # only the failed one is extracted again
    db = tmp_path / "merged.db"
    report = merge_shards(folder, db)
    assert report.failed == 0  # the clean copy replaced the one with the error
    assert_same_store(db, ingested)


def test_damaged_or_foreign_shards_get_a_clear_error(shards, tmp_path):
    with pytest.raises(ConfigError, match="no shards"):
        merge_shards(tmp_path / "nothing-here", tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()  # refused before a store is created

    damaged = tmp_path / "damaged"
    for table in ("articles", "attributions", "sightings"):
        (damaged / table).mkdir(parents=True)
        for part in sorted((shards / table).iterdir()):
            (damaged / table / part.name).write_bytes(part.read_bytes())
    second = sorted((damaged / "articles").iterdir())[1]
    good = second.read_bytes()
    second.write_bytes(b"PAR1 this is not parquet")
    db = tmp_path / "partial.db"
    with pytest.raises(InputError, match="not a readable Parquet shard") as info:
        merge_shards(damaged, db)
    assert second.name in str(info.value)
    assert not db.exists()  # every articles file is read before the first write
    second.write_bytes(good)

    third = sorted((damaged / "attributions").iterdir())[2]
    pq.write_table(pq.read_table(third).slice(1), third)  # one statement row lost
    with pytest.raises(InputError, match="attribution rows for"):
        merge_shards(damaged, db)
    # The parts before the damage are stored whole; nothing half-written.
    stored = table_rows(db, "SELECT count(*), sum(n_attributions) FROM articles")[0]
    assert stored[0] == 6 and table_rows(db, "SELECT count(*) FROM attributions")[0][0] == stored[1]


def test_shard_writer_refuses_a_file_and_continues_a_folder(tmp_path, extractor):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        ShardWriter(target)
    folder = tmp_path / "shards"
    items = [(a["text"], ArticleMeta(origin=a["url"], url=a["url"])) for a in fixture_articles()[:2]]
    processed = list(LocalEngine(extractor).process(items))
    with ShardWriter(folder) as w:
        w.add(processed[0])
        with pytest.raises(ConfigError, match="another export is writing"):
            ShardWriter(folder)
    with ShardWriter(folder) as w:
        assert w.exported == {processed[0].id: False}
        w.add(processed[1])
    assert [p.name for p in part_files(folder)] == ["part-000000.parquet", "part-000001.parquet"]
    assert list(read_shards(folder)) == processed


def test_the_same_article_added_twice_is_written_once(tmp_path, extractor):
    from onrecord.analysis import ArticleMeta, process_texts
    from onrecord.engines.shards import ShardWriter, merge_shards

    text = "The mayor said that the bridge would reopen on Monday."
    first, second = process_texts(extractor, [(text, ArticleMeta("a.txt")), (text, ArticleMeta("b.txt"))])
    with ShardWriter(tmp_path / "shards") as shards:
        shards.add(first)
        shards.add(second)
    report = merge_shards(tmp_path / "shards", tmp_path / "store.db")
    assert report.stored == 1

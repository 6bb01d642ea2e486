"""The single writer: one transaction per article (enrichers included), idempotent, atomic replacement."""

from __future__ import annotations

import sqlite3

import pytest

from onrecord.analysis import ArticleMeta, ProcessedArticle, content_id, process_texts
from onrecord.errors import StoreError
from onrecord.records import Attribution, AttributionKind, Span, Speaker
from onrecord.store import MIGRATION_MODULES, Reader, Writer, WriteStatus

# This module is also a feature module: its migration adds the enricher's tables.
MIGRATIONS = [(
    "0190_test_word_counts",
    """
    CREATE TABLE test_word_counts (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        words INTEGER NOT NULL
    );
    CREATE TABLE test_statement_marks (
        article_id TEXT NOT NULL, idx INTEGER NOT NULL, mark TEXT,
        FOREIGN KEY (article_id, idx) REFERENCES attributions(article_id, idx) ON DELETE CASCADE
    );
    CREATE TABLE test_finalized (articles INTEGER NOT NULL);
    """,
)]
MODULES = (*MIGRATION_MODULES, __name__)


class WordCounter:
    """A real enricher: its rows live and die with the article's."""

    name = "test_words"

    def __init__(self, *, probe=None):
        self.probe = probe  # called inside the article's transaction

    def analyse(self, doc, meta, attributions):
        return {"words": len(doc), "statements": len(attributions)}

    def write(self, conn, article_id, data):
        if data.get("explode"):
            raise RuntimeError("enricher bug")
        conn.execute("INSERT INTO test_word_counts VALUES (?, ?)", (article_id, data["words"]))
        for idx in range(data.get("statements", 0)):
            conn.execute("INSERT INTO test_statement_marks VALUES (?, ?, 'seen')", (article_id, idx))
        if self.probe:
            self.probe(article_id)

    def finalize(self, conn):
        conn.execute("INSERT INTO test_finalized SELECT count(*) FROM test_word_counts")


TEXT = ("The harbour master said on Monday that the pier would reopen. "
        "\u201cWe are nearly done,\u201d said Ana Silva, the chief engineer.")


def attribution(text, source, cue, content, kind=AttributionKind.INDIRECT, name=None):
    def span(part):
        start = text.index(part)
        return (Span(start, start + len(part)),)

    return Attribution(
        cue=span(cue), content=span(content), source=span(source), kind=kind,
        speaker=Speaker(source, name or source, "PERSON"), confidence=0.9,
        cue_text=cue, content_text=content, source_text=source,
    )


def processed(text=TEXT, attributions=None, *, origin="a.txt", enrich=None, error=None, version="v1"):
    if attributions is None:
        attributions = (
            attribution(text, "The harbour master", "said", "that the pier would reopen"),
            attribution(text, "Ana Silva", "said", "We are nearly done", AttributionKind.DIRECT),
        )
    enrichments = {"test_words": enrich} if enrich is not None else {}
    meta = ArticleMeta(origin=origin, url=f"https://example.org/{origin}", outlet="Example", title="Pier")
    return ProcessedArticle(content_id(text), text, meta, tuple(attributions), version, enrichments, error)


def rows(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_an_article_is_stored_with_its_attributions_spans_and_fts(tmp_path):
    db = tmp_path / "s.db"
    with Writer(db) as w:
        assert w.write(processed()) is WriteStatus.STORED
    with Reader(db) as r:
        view = r.article(content_id(TEXT))
        assert view.article.n_attributions == 2 and len(view.quotes) == 2
        direct = next(q for q in view.quotes if q.kind is AttributionKind.DIRECT)
        assert TEXT[direct.content[0].start:direct.content[0].end] == "We are nearly done"
        assert direct.attribution().speaker.name == "Ana Silva"
        assert [h.article_id for h in r.search("pier")] == [content_id(TEXT)]
        assert [h.idx for h in r.search("nearly done", scope="quotes")] == [direct.idx]


def test_the_same_text_again_is_stored_once_and_the_new_source_remembered(tmp_path):
    db = tmp_path / "s.db"
    with Writer(db) as w:
        w.write(processed(origin="first.txt"))
        # Extra whitespace does not make it another article: the id hashes normalised text.
        again = processed(TEXT.replace(". ", ".\n\n  "), origin="copy.html")
        assert again.text != TEXT
        assert w.write(again) is WriteStatus.UNCHANGED
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db, "SELECT count(*) FROM attributions") == [(2,)]
    assert sorted(r[0] for r in rows(db, "SELECT origin FROM article_sources")) == ["copy.html", "first.txt"]


def test_replace_swaps_attributions_and_enricher_rows_in_one_go(tmp_path):
    db = tmp_path / "s.db"
    with Writer(db, enrichers=[WordCounter()], migration_modules=MODULES) as w:
        w.write(processed(enrich={"words": 10, "statements": 2}))
        first = rows(db, "SELECT ingested_at, pk FROM articles")[0]
        one = (attribution(TEXT, "Ana Silva", "said", "We are nearly done", AttributionKind.DIRECT),)
        status = w.write(processed(attributions=one, enrich={"words": 11, "statements": 1}, version="v2"),
                         replace=True)
    assert status is WriteStatus.REPLACED
    assert rows(db, "SELECT count(*), min(idx), max(idx) FROM attributions") == [(1, 0, 0)]
    assert rows(db, "SELECT n_attributions, extractor_version, ingested_at FROM articles") == [(1, "v2", first[0])]
    assert rows(db, "SELECT words FROM test_word_counts") == [(11,)]
    assert rows(db, "SELECT count(*) FROM test_statement_marks") == [(1,)]
    with Reader(db) as r:
        assert r.search("reopen", scope="quotes") == []  # the old statement left the index too
        assert len(r.search("nearly", scope="quotes")) == 1
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO attributions_fts(attributions_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_an_enricher_failing_to_write_leaves_nothing_of_the_article(tmp_path):
    db = tmp_path / "s.db"
    with Writer(db, enrichers=[WordCounter()], migration_modules=MODULES) as w:
        with pytest.raises(StoreError, match="test_words enricher.*nothing of the article was kept"):
            w.write(processed(enrich={"explode": True}))
        # The writer is still usable and the next article goes in whole.
        other = "Officials said the bridge would open. " * 3
        w.write(processed(other, attributions=(), origin="b.txt", enrich={"words": 3}))
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db, "SELECT count(*) FROM attributions") == [(0,)]
    assert rows(db, "SELECT count(*) FROM speakers") == [(0,)]


def test_finalize_runs_after_a_batch_in_its_own_transaction(tmp_path):
    db = tmp_path / "s.db"
    with Writer(db, enrichers=[WordCounter()], migration_modules=MODULES) as w:
        w.write(processed(enrich={"words": 5}))
        w.finalize()
        w.write(processed("A second text said nothing much at all today.", (), origin="c.txt", enrich={"words": 9}))
    # Once explicitly, once on close for the article written since.
    assert rows(db, "SELECT articles FROM test_finalized ORDER BY rowid") == [(1,), (2,)]


def test_an_article_stored_with_an_error_is_replaced_by_the_next_write(tmp_path):
    db = tmp_path / "s.db"
    with Writer(db) as w:
        w.write(processed(attributions=(), error="onrecord_attributions failed: boom"))
        assert w.status(content_id(TEXT)) == "error"
        assert w.write(processed()) is WriteStatus.REPLACED
        assert w.status(content_id(TEXT)) == "ok"
    assert rows(db, "SELECT error, n_attributions FROM articles") == [(None, 2)]


def test_readers_see_the_last_commit_while_the_writer_is_inside_the_next(tmp_path):
    db = tmp_path / "s.db"
    seen = []

    def probe(article_id):
        # Runs inside the writer's open transaction for `article_id`.
        with Reader(db) as r:
            seen.append((article_id, sorted(a.id for a in r.iter_articles())))
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                r.conn.execute("DELETE FROM articles")

    first, second = processed(enrich={"words": 1}), processed(
        "Another text, which the mayor said was final.", (), origin="d.txt", enrich={"words": 2})
    with Writer(db, enrichers=[WordCounter(probe=probe)], migration_modules=MODULES) as w:
        w.write(first)
        w.write(second)
    assert seen == [(first.id, []), (second.id, [first.id])]


@pytest.mark.slow
def test_real_extraction_round_trips_through_the_store(tmp_path, extractor):
    texts = [
        ("\u201cThe bridge will open in May,\u201d Mayor Helen Okafor said on Monday. "
         "Engineers said that the cables had passed every test.", ArticleMeta(origin="x.txt", outlet="Courier")),
        ("Union leader Peter Lund said the offer was fair. The company declined to comment.",
         ArticleMeta(origin="y.txt")),
    ]
    db = tmp_path / "s.db"
    with Writer(db) as w:
        for article in process_texts(extractor, texts):
            w.write(article)
        extracted = {a.id: a for a in process_texts(extractor, texts)}
    with Reader(db) as r:
        for article_id, article in extracted.items():
            view = r.article(article_id)
            assert view.article.extractor_version == extractor.version
            # What comes back out is exactly what went in, whatever the extractor found.
            assert [q.attribution().to_spans_dict() for q in view.quotes] == \
                [a.to_spans_dict() for a in article.attributions]
            assert [q.speaker for q in view.quotes] == [a.speaker.name if a.speaker else None
                                                        for a in article.attributions]

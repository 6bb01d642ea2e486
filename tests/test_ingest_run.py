"""Ingest end to end with the real extractor: idempotent, re-extractable, failures isolated and reported."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from onrecord.analysis import content_id
from onrecord.engines.local import LocalEngine
from onrecord.errors import ConfigError
from onrecord.ingest import IngestOptions, ingest
from onrecord.store import Reader

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
pytestmark = pytest.mark.slow

# Every good article in the fixtures: 2 texts, 2 pages, 3 feed entries, 2 JSONL lines.
GOOD = 9
BAD = {"malformed.xml", "front-page.html", "articles.jsonl:2", "articles.jsonl:3", "articles.jsonl:4",
       "bruecke"}


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def consistent(db):
    """No half-written article: every article has exactly the attributions it says, numbered 0..n-1."""
    bad = rows(db, """
        SELECT ar.id FROM articles ar LEFT JOIN attributions a ON a.article_id = ar.id
        GROUP BY ar.id HAVING count(a.pk) != ar.n_attributions
            OR (count(a.pk) > 0 AND (min(a.idx) != 0 OR max(a.idx) != count(a.pk) - 1))""")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO attributions_fts(attributions_fts) VALUES ('integrity-check')")
    return bad == []


def test_a_mixed_folder_is_stored_once_with_a_line_for_each_bad_item(tmp_path, extractor):
    db = tmp_path / "s.db"
    seen = []
    report = ingest([FIXTURES], db=db, extractor=extractor, on_item=seen.append)
    assert (report.stored, report.failed) == (GOOD, len(BAD)) and not report.ok
    assert {f.origin.rsplit("/", 1)[-1] for f in report.failures} == BAD
    assert all(f.message for f in report.failures)
    assert len(seen) == GOOD + len(BAD) and report.words > 0
    assert rows(db, "SELECT count(*) FROM articles") == [(GOOD,)]
    assert consistent(db)
    with Reader(db) as r:
        titles = {a.title for a in r.iter_articles()}
        assert {"Museum returns carved panels", "Frost hits valley orchards", "Dock workers accept contract"} <= titles
        assert all(a.language == "en" and a.extractor_version == extractor.version for a in r.iter_articles())
        assert r.speakers(by="Okafor")  # a speaker the flood-barrier text names is found
    again = ingest([FIXTURES], db=db, extractor=extractor)
    assert (again.stored, again.unchanged, again.failed) == (0, GOOD, len(BAD))
    assert rows(db, "SELECT count(*) FROM articles") == [(GOOD,)]


def test_the_same_text_from_two_formats_is_one_article_with_two_sources(tmp_path, extractor):
    text = (FIXTURES / "text" / "orchard.txt").read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "copy.jsonl").write_text(
        '{"text": %s, "url": "https://wire.example/frost", "outlet": "Wire"}\n' % __import__("json").dumps(text))
    db = tmp_path / "s.db"
    report = ingest([FIXTURES / "text" / "orchard.txt", tmp_path / "in"], db=db, extractor=extractor)
    assert (report.stored, report.unchanged) == (1, 1)
    assert rows(db, "SELECT id FROM articles") == [(content_id(text),)]
    origins = {r[0] for r in rows(db, "SELECT origin FROM article_sources")}
    assert origins == {str(FIXTURES / "text" / "orchard.txt"), "https://wire.example/frost"}
    ingest(db=db, extractor=extractor, reprocess=True)  # replacing the article keeps where it was seen
    assert {r[0] for r in rows(db, "SELECT origin FROM article_sources")} == origins


def test_reprocess_replaces_attributions_and_keeps_what_was_known(tmp_path, extractor):
    db = tmp_path / "s.db"
    ingest([FIXTURES / "text", FIXTURES / "feeds" / "rss-full.xml"], db=db, extractor=extractor)
    before = dict(rows(db, "SELECT id, ingested_at FROM articles"))
    counts = dict(rows(db, "SELECT id, n_attributions FROM articles"))
    report = ingest([FIXTURES / "text"], db=db, extractor=extractor, reprocess=True)
    assert (report.replaced, report.stored, report.unchanged) == (2, 0, 0)
    report = ingest(db=db, extractor=extractor, reprocess=True)  # no inputs: everything stored
    assert report.replaced == len(before) == 4
    assert dict(rows(db, "SELECT id, ingested_at FROM articles")) == before
    assert dict(rows(db, "SELECT id, n_attributions FROM articles")) == counts  # same model, same result
    assert rows(db, "SELECT count(*) FROM articles WHERE title IS NULL") == [(0,)]
    assert consistent(db)


class FlakyEngine(LocalEngine):
    """The real engine, except that articles whose text contains ``marker`` come out failed, as a crash would."""

    def __init__(self, extractor, marker):
        super().__init__(extractor)
        self.marker = marker

    def process(self, items):
        for article in super().process(items):
            if self.marker and self.marker in article.text:
                article = replace(article, attributions=(), error="onrecord_attributions failed: RuntimeError: boom")
            yield article


def test_an_article_whose_extraction_failed_is_kept_visible_and_retried(tmp_path, extractor):
    db = tmp_path / "s.db"
    report = ingest([FIXTURES / "text"], db=db, engine=FlakyEngine(extractor, "Apple growers"))
    (failure,) = report.failures
    assert "boom" in failure.message and "retries" in failure.message
    assert rows(db, "SELECT count(*) FROM articles WHERE error IS NOT NULL") == [(1,)]
    report = ingest([FIXTURES / "text"], db=db, engine=FlakyEngine(extractor, None))
    assert (report.replaced, report.unchanged, report.failed) == (1, 1, 0)
    assert rows(db, "SELECT count(*) FROM articles WHERE error IS NOT NULL") == [(0,)]


def test_non_english_text_is_refused_unless_asked_for(tmp_path, extractor):
    german = ("Die Stadtverwaltung teilte am Montag mit, dass die Brücke im Sommer renoviert werden soll. "
              "Der Bürgermeister sagte, die Arbeiten würden drei Monate dauern.")
    (tmp_path / "de.txt").write_text(german, encoding="utf-8")
    db = tmp_path / "s.db"
    (failure,) = ingest([tmp_path / "de.txt"], db=db, extractor=extractor).failures
    assert "English" in failure.message and "--any-language" in failure.message
    report = ingest([tmp_path / "de.txt"], db=db, extractor=extractor, options=IngestOptions(any_language=True))
    assert report.stored == 1
    assert rows(db, "SELECT language FROM articles") == [(None,)]


def test_hostile_markup_in_a_text_is_stored_as_text_and_scripts_in_pages_not_at_all(tmp_path, extractor):
    hostile = ('The mayor said <script>alert("x")</script> that [bold red]nothing[/] had changed. '
               "Officials said the \x1b[2J council would meet again on Friday.")
    (tmp_path / "hostile.txt").write_text(hostile, encoding="utf-8")
    db = tmp_path / "s.db"
    ingest([tmp_path / "hostile.txt", FIXTURES / "html" / "museum.html"], db=db, extractor=extractor)
    stored = {r[0] for r in rows(db, "SELECT text FROM articles")}
    assert hostile in stored  # the record is faithful to its source; display escapes it
    assert not any("Injected paragraph" in t or "document.cookie" in t for t in stored)


def test_inputs_are_required_unless_reprocessing(tmp_path):
    with pytest.raises(ConfigError, match="nothing to ingest"):
        ingest([], db=tmp_path / "s.db")


def test_worker_processes_give_the_same_store(tmp_path, extractor):
    texts = tmp_path / "texts"
    shutil.copytree(FIXTURES / "text", texts)
    (texts / "more.jsonl").write_bytes((FIXTURES / "jsonl" / "articles.jsonl").read_bytes())
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ingest([texts], db=one, extractor=extractor, processes=1)
    ingest([texts], db=two, extractor=extractor, processes=2, batch_size=2)
    sql = "SELECT article_id, idx, kind, speaker_name, cue_spans, content_spans FROM attributions ORDER BY 1, 2"
    assert rows(one, sql) == rows(two, sql) and rows(one, sql)

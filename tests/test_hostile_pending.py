"""Issue 15 item 7: a run killed before its finalize step leaves the derived tables to the next run.

The writer records "finalize pending" in the same transaction as each article;
finalize clears it.  A run that stores nothing new (every article unchanged)
still finishes what an interrupted run left.
"""

from __future__ import annotations

import sqlite3

from onrecord.engines.local import LocalEngine
from onrecord.ingest import ingest
from onrecord.ingest.items import RawArticle
from onrecord.store.writer import Writer

TEXTS = {
    "harbour.txt": ("\u201cThe harbour will reopen in May,\u201d Mayor Helen Okafor told reporters on Tuesday. "
                    "Councillor Tomas Lindqvist said the plan was too expensive.\n"),
    "bridge.txt": ("Minister Ivo Petrov said on Monday that the bridge repairs would be finished by June. "
                   "\u201cWe have the money,\u201d Petrov said.\n"),
}


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _count(db, table):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _killed_before_finalize(folder, db, extractor):
    """What `kill -9` just before the final step leaves: every article committed, finalize never run."""
    from onrecord.ingest import Sources
    from onrecord.ingest.items import IngestOptions

    with Sources(IngestOptions()) as sources:
        items = [(i.text, i.meta) for i in sources.items([str(folder)]) if isinstance(i, RawArticle)]
    writer = Writer(db)
    for processed in LocalEngine(extractor).process(items):
        writer.write(processed)
    writer.conn.close()  # no finalize, no close(): the process died here
    writer.conn = None


def test_pending_finalize_is_recorded_with_the_article_and_cleared_by_finalize(tmp_path, extractor):
    folder, db = _folder(tmp_path), tmp_path / "s.db"
    _killed_before_finalize(folder, db, extractor)
    assert _count(db, "articles") == 2
    assert _count(db, "pending_finalize") == 2
    assert _count(db, "entities") == 0  # the state the issue describes
    with Writer(db) as writer:
        assert writer.finalize_pending()
        writer.finalize()
        assert not writer.finalize_pending()
    assert _count(db, "pending_finalize") == 0
    assert _count(db, "entities") > 0


def test_the_next_run_finishes_what_a_killed_run_left(tmp_path, extractor):
    folder, db = _folder(tmp_path), tmp_path / "s.db"
    _killed_before_finalize(folder, db, extractor)
    report = ingest([folder], db=db, extractor=extractor)
    assert report.unchanged == 2 and report.extracted == 0
    assert _count(db, "entities") > 0
    assert _count(db, "entity_statements") > 0
    assert _count(db, "pending_finalize") == 0

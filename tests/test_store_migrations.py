"""Named migrations: applied once, in name order, atomically; feature modules plug in; absent ones are skipped."""

from __future__ import annotations

import sqlite3
import sys
import types

import pytest

from onrecord.errors import StoreError
from onrecord.store import Reader, Writer
from onrecord.store.migrations import MIGRATION_MODULES, applied, collect, migrate, split_statements

# Tests about the mechanism use the store's own schema alone, whatever features are registered.
CORE = ("onrecord.store.schema",)


@pytest.fixture
def feature_module():
    """A real module object in sys.modules, the way a feature package exposes MIGRATIONS."""
    created = []

    def make(name: str, migrations: list[tuple[str, str]]) -> str:
        module = types.ModuleType(name)
        module.MIGRATIONS = migrations
        sys.modules[name] = module
        created.append(name)
        return name

    yield make
    for name in created:
        sys.modules.pop(name, None)


def tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def test_a_new_store_applies_every_registered_migration_in_name_order_and_uses_wal(tmp_path):
    db = tmp_path / "s.db"
    Writer(db).close()
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
    assert names == sorted(names) == [m.name for m in collect(MIGRATION_MODULES)]
    assert names[0] == "0001_core"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"articles", "attributions", "speakers", "article_sources", "articles_fts", "attributions_fts"} <= tables(db)


def test_reopening_applies_nothing_twice(tmp_path):
    db = tmp_path / "s.db"
    Writer(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    assert migrate(conn) == []
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(collect(MIGRATION_MODULES))


def test_feature_migrations_run_in_name_order_across_modules(tmp_path, feature_module):
    # 0101 needs 0100's table; listing them out of order (and in two modules) must not matter.
    late = feature_module("onrecord_test_feature_late", [
        ("0101_feature_notes", "CREATE TABLE feature_notes (id INTEGER PRIMARY KEY,"
                               " thing_id INTEGER NOT NULL REFERENCES feature_things(id));"
                               "CREATE INDEX feature_notes_thing ON feature_notes(thing_id);"),
    ])
    early = feature_module("onrecord_test_feature_early", [
        ("0100_feature_things", "CREATE TABLE feature_things (id INTEGER PRIMARY KEY,"
                                " article_id TEXT REFERENCES articles(id) ON DELETE CASCADE);"),
    ])
    db = tmp_path / "s.db"
    Writer(db, migration_modules=(*CORE, late, early)).close()
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT name FROM schema_migrations ORDER BY rowid").fetchall()
    core = [m.name for m in collect(CORE)]
    assert [r[0] for r in rows] == [*core, "0100_feature_things", "0101_feature_notes"]
    assert {"feature_things", "feature_notes"} <= tables(db)


def test_a_store_made_without_a_feature_gets_its_tables_later(tmp_path, feature_module):
    db = tmp_path / "s.db"
    Writer(db, migration_modules=CORE).close()
    name = feature_module("onrecord_test_feature_added", [("0290_claims_stub", "CREATE TABLE claims_stub (x);")])
    Writer(db, migration_modules=(*CORE, name)).close()
    assert "claims_stub" in tables(db)


def test_a_missing_optional_module_does_not_break_the_store(tmp_path):
    db = tmp_path / "s.db"
    Writer(db, migration_modules=(*CORE, "onrecord.no_such_feature.schema")).close()
    with Reader(db) as reader:
        assert reader.counts()["articles"] == 0


def test_a_failing_migration_leaves_no_trace(tmp_path, feature_module):
    db = tmp_path / "s.db"
    Writer(db).close()
    before = applied(sqlite3.connect(db))
    name = feature_module("onrecord_test_feature_bad", [
        ("0199_half_done", "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"),
    ])
    with pytest.raises(StoreError, match="0199_half_done.*unchanged"):
        Writer(db, migration_modules=(*MIGRATION_MODULES, name))
    assert "half_done" not in tables(db)
    assert applied(sqlite3.connect(db)) == before


def test_clashing_or_badly_named_migrations_are_refused(feature_module):
    a = feature_module("onrecord_test_clash_a", [("0100_same", "SELECT 1;")])
    b = feature_module("onrecord_test_clash_b", [("0100_same", "SELECT 1;")])
    with pytest.raises(StoreError, match="both"):
        collect((a, b))
    c = feature_module("onrecord_test_badname", [("entities-v1", "SELECT 1;")])
    with pytest.raises(StoreError, match="badly named"):
        collect((c,))


def test_trigger_bodies_stay_whole_when_a_script_is_split():
    script = """
    CREATE TABLE t (x);  -- a comment
    CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
        INSERT INTO t2 VALUES (new.x);
        INSERT INTO t3 VALUES (new.x);
    END;
    """
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].count("INSERT INTO") == 2 and statements[1].rstrip().endswith("END;")


def test_opening_something_that_is_not_a_store_says_so(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just some bytes" * 100)
    with pytest.raises(StoreError, match="not an onrecord store"):
        Writer(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(StoreError, match="not an onrecord store"):
        Reader(other)
    with pytest.raises(StoreError, match="no store at"):
        Reader(tmp_path / "absent.db")
    with pytest.raises(StoreError, match="folder"):
        Writer(tmp_path)

"""The entities feature inside a real SQLite store: ingest through the single writer, then query and the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.analysis import ArticleMeta, process_texts
from onrecord.cli import app
from onrecord.entities import EntityEnricher, EntityIndex, merge_entities, timeline
from onrecord.errors import ConfigError
from onrecord.store import Writer

FIXTURES = Path(__file__).parent / "fixtures" / "entities"


def _items():
    spec = json.loads((FIXTURES / "articles.json").read_text("utf-8"))
    for a in spec["articles"]:
        yield (FIXTURES / a["file"]).read_text("utf-8"), ArticleMeta(origin=a["file"], outlet=a["outlet"],
                                                                      published=a["published"])


@pytest.fixture(scope="module")
def processed(extractor):
    return list(process_texts(extractor, _items(), enrichers=[EntityEnricher()]))


@pytest.fixture()
def db(tmp_path, processed):
    path = tmp_path / "store.db"
    with Writer(path, enrichers=[EntityEnricher()]) as writer:
        for article in processed:
            assert article.error is None
            writer.write(article)
    return path


def test_variants_from_several_outlets_become_one_entity_and_namesakes_do_not(db):
    with EntityIndex(db) as idx:
        zelensky = idx.get("Zelenskiy")
        assert idx.get("Zelenskyy").id == idx.get("Volodymyr Zelensky").id == zelensky.id
        assert zelensky.articles >= 4 and zelensky.statements >= 4
        assert idx.canonical_name("Kiev") == idx.canonical_name("Kyiv")
        assert idx.canonical_name("Kupyansk") == idx.canonical_name("Kupiansk")
        assert idx.get("Peskov").id == idx.get("Dmitri Peskov").id
        assert idx.get("Olena Kovalenko").id != idx.get("Taras Kovalenko").id
        assert idx.get("Mikhail Orlov").id != idx.get("Pavel Orlov").id
        people = idx.entities(type="PERSON")
        assert len({e.id for e in people}) == len(people)


def test_roles_carry_the_dates_they_were_seen(db):
    with EntityIndex(db) as idx:
        peskov = idx.get("Dmitry Peskov")
    spokesman = [r for r in peskov.roles if r.title.lower() == "spokesman"]
    assert spokesman and spokesman[0].first_seen <= spokesman[0].last_seen
    assert spokesman[0].first_seen.startswith("2025-11")


def test_statement_dates_fill_said_on_apart_from_publication(db):
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.said_on, ar.published FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "WHERE a.said_on IS NOT NULL").fetchall()
    assert rows, "some fixture statements say the day they were made"
    assert any(said != published[:10] for said, published in rows)
    # "said on Wednesday" in an article published Thursday 2025-11-20.
    day = conn.execute("SELECT a.said_on FROM attributions a JOIN articles ar ON ar.id = a.article_id "
                       "WHERE ar.published = '2025-11-20' AND a.content_text LIKE '%holding their positions%'"
                       ).fetchone()
    assert day == ("2025-11-19",)


def test_the_timeline_is_in_the_order_statements_were_made(db):
    rows = timeline(db, entity="Zelensky")
    days = [r.when[:10] for r in rows if r.basis in ("text", "published") and len(r.when) >= 10]
    assert days == sorted(days) and len(rows) >= 4
    assert {r.speaker for r in rows} == {rows[0].speaker}
    about = timeline(db, about="Kupiansk")
    # any spelling of the place's name (issue 12: canonical names everywhere)
    assert about and all(any(v in (r.content_text + r.cue_text).lower() for v in ("kupiansk", "kupyansk"))
                         for r in about)


def test_figures_are_stored_with_their_canonical_reporter(db):
    with EntityIndex(db) as idx:
        figures = idx.quantities()
    homes = [q for q in figures if q["counts"] == "homes"]
    assert homes and homes[0]["value"] == 40.0 and homes[0]["qualifier"] == "more than"
    assert homes[0]["reported_by"] == "Taras Kovalenko"


def test_rewriting_the_same_articles_changes_nothing(db, processed):
    conn = sqlite3.connect(db)
    before = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("entities", "entity_members", "entity_mentions", "statement_dates", "quantities")]
    with Writer(db, enrichers=[EntityEnricher()]) as writer:
        for article in processed:
            writer.write(article, replace=True)
    after = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
             for t in ("entities", "entity_members", "entity_mentions", "statement_dates", "quantities")]
    assert before == after


def test_merge_and_split_overrides_are_kept_and_applied(db):
    merged = merge_entities(db, ["Olena Kovalenko", "Taras Kovalenko"])
    assert len(merged) == 1
    with EntityIndex(db) as idx:
        assert idx.get("Olena Kovalenko").id == idx.get("Taras Kovalenko").id
    merge_entities(db, ["Olena Kovalenko", "Taras Kovalenko"], split=True)
    with EntityIndex(db) as idx:
        assert idx.get("Olena Kovalenko").id != idx.get("Taras Kovalenko").id
        assert idx.get("Peskov").id == idx.get("Dmitry Peskov").id
    merge_entities(db, ["Dmitry Peskov", "Peskov"], split=True)
    with EntityIndex(db) as idx:
        assert idx.get("Peskov").id != idx.get("Dmitry Peskov").id
    with pytest.raises(ConfigError, match="cannot be told apart"):
        merge_entities(db, ["Kyiv", "Kiev"], split=True)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM entity_overrides").fetchone()[0] == 3


def test_cli_lists_entities_as_jsonl_with_the_promised_fields(db):
    runner = CliRunner()
    result = runner.invoke(app, ["entities", "--format", "jsonl", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert lines and all({"name", "type", "aliases", "roles", "statements"} <= set(e) for e in lines)
    zelensky = next(e for e in lines if e["name"].startswith("Volodymyr Zel"))
    assert any(r["first_seen"] for r in zelensky["roles"])
    counts = [e["statements"] for e in lines]
    assert counts == sorted(counts, reverse=True)


def test_cli_show_merge_timeline_and_errors(db, tmp_path):
    runner = CliRunner()
    shown = runner.invoke(app, ["entities", "show", "Peskov", "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["name"].endswith("Peskov") and data["evidence"] and data["statements_in_order"]
    table = runner.invoke(app, ["timeline", "--entity", "Zelensky", "--db", str(db)])
    assert table.exit_code == 0 and "Zelensky" in table.stdout
    missing = runner.invoke(app, ["entities", "show", "Nobody Atall", "--db", str(db)])
    assert missing.exit_code == 2 and "no entity is called" in missing.output
    nodb = runner.invoke(app, ["entities", "--db", str(tmp_path / "none.db")])
    assert nodb.exit_code == 2 and "no store" in nodb.output
    one = runner.invoke(app, ["entities", "merge", "Kyiv", "--db", str(db)])
    assert one.exit_code == 2 and "at least two names" in one.output
    merged = runner.invoke(app, ["entities", "merge", "Olena Kovalenko", "Taras Kovalenko", "--db", str(db)])
    assert merged.exit_code == 0 and "merged" in merged.stdout
    assert "entities" in runner.invoke(app, ["--help"]).stdout
    assert "Examples" in runner.invoke(app, ["entities", "--help"]).stdout


def test_markup_in_names_is_printed_as_text(tmp_path, extractor):
    text = "[bold red]Evil[/] Corp said that [link=http://x]everything[/link] was fine.\n"
    article = next(process_texts(extractor, [(text, ArticleMeta(origin="x", published="2025-01-02"))],
                                 enrichers=[EntityEnricher()]))
    db = tmp_path / "m.db"
    with Writer(db, enrichers=[EntityEnricher()]) as writer:
        writer.write(article)
    result = CliRunner().invoke(app, ["timeline", "--db", str(db)])
    assert result.exit_code == 0
    assert "[/link]" in result.stdout or "everything" in result.stdout


def test_finalize_across_batches_matches_a_full_rebuild(tmp_path, processed):
    from onrecord.entities import rebuild

    path = tmp_path / "batches.db"
    enricher = EntityEnricher()
    with Writer(path, enrichers=[enricher]) as writer:
        for article in processed[:3]:
            writer.write(article)
        writer.finalize()
        for article in processed[3:]:
            writer.write(article)
        writer.write(processed[0], replace=True)
    conn = sqlite3.connect(path, isolation_level=None)
    query = "SELECT id, name, type, statements, articles, aliases, roles FROM entities ORDER BY id"
    batched = conn.execute(query).fetchall()
    conn.execute("BEGIN")
    rebuild(conn)
    full = conn.execute(query).fetchall()
    conn.execute("ROLLBACK")
    assert batched == full and len(full) > 10


def _statement_index(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple]]:
    """entity_statements as stored, and what the three-table join it stands for gives now."""
    stored = conn.execute("SELECT entity_id, day, pk, article_id FROM entity_statements ORDER BY 1, 2, 3").fetchall()
    joined = conn.execute(
        "SELECT m.entity_id, COALESCE(a.day, ''), a.pk, a.article_id FROM entity_speakers s"
        " JOIN entity_members m ON m.article_id = s.article_id AND m.local = s.local"
        " JOIN attributions a ON a.article_id = s.article_id AND a.idx = s.idx ORDER BY 1, 2, 3").fetchall()
    return stored, joined


def test_the_statement_index_follows_rewrites_and_merges(db, processed):
    conn = sqlite3.connect(db)
    stored, joined = _statement_index(conn)
    assert stored and stored == joined
    # Re-extracting an article gives its statements new keys: the index must point at the new ones.
    with Writer(db, enrichers=[EntityEnricher()]) as writer:
        writer.write(processed[0], replace=True)
    stored_after, joined_after = _statement_index(conn)
    assert stored_after == joined_after and stored_after != stored
    merge_entities(db, ["Olena Kovalenko", "Taras Kovalenko"])
    stored_merged, joined_merged = _statement_index(conn)
    assert stored_merged == joined_merged
    assert len({e for e, *_ in stored_merged}) < len({e for e, *_ in stored_after})


def test_a_store_from_before_the_statement_index_gets_it_on_upgrade(db):
    conn = sqlite3.connect(db)
    expected, _ = _statement_index(conn)
    conn.execute("DROP TABLE entity_statements")
    conn.execute("DELETE FROM schema_migrations WHERE name = '0102_entity_statements'")
    conn.commit()
    with Writer(db, enrichers=[EntityEnricher()]):  # opening for writing applies the missing migration
        pass
    assert _statement_index(conn)[0] == expected

"""The whole path: `onrecord ingest <folder>`, then `onrecord claims` / `onrecord positions`, on a real
SQLite store (WAL, the single writer, the entities feature running first)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.analysis import ArticleMeta, load_enrichers, process_texts
from onrecord.claims import ClaimIndex, ClaimsEnricher, list_claims
from onrecord.cli import app
from onrecord.errors import StoreError
from onrecord.store import Writer, WriteStatus

FIXTURES = Path(__file__).parent / "fixtures" / "claims"
HOSTILE = (
    "Title: [bold red]Breaking[/] <script>alert(1)</script>\nOutlet: Test Wire\nPublished: 2025-03-10\n\n"
    "Russia said its forces had captured the village of <b>Sosnivka</b>[/]. "
    "The Ukrainian army dismissed Russia's claims of having captured Sosnivka as \x1b[31mpropaganda.\n"
)
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "claims.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_claims_lists_contested_claims_unless_all_is_asked(store):
    def listed(*flags):
        result = runner.invoke(app, ["claims", "--db", str(store), "--format", "jsonl", "--quiet", *flags])
        assert result.exit_code == 0, result.output
        return jsonl(result.stdout)

    default, everything = listed(), listed("--all")
    assert default == listed("--contested")
    assert default and all(r["contested"] and r["asserted_by"] and r["disputed_by"] for r in default)
    assert any(not r["contested"] for r in everything)  # the fixtures hold one-sided claims too
    assert [r["id"] for r in default] == [r["id"] for r in everything if r["contested"]]


def test_claims_jsonl_has_topic_parties_and_evidence_spans(store):
    result = runner.invoke(app, ["claims", "--db", str(store), "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0, result.output
    rows = jsonl(result.stdout)
    assert rows
    conn = sqlite3.connect(store)
    for row in rows:
        assert {"topic", "asserted_by", "disputed_by", "evidence"} <= set(row)
        assert all(isinstance(p, str) for p in row["asserted_by"] + row["disputed_by"])
        for ev in row["evidence"]:
            (text,) = conn.execute("SELECT text FROM articles WHERE id = ?", (ev["article"],)).fetchone()
            assert text[ev["span"][0]:ev["span"][1]] == ev["text"]
    zarichne = [r for r in rows if r["topic"] == "control of Zarichne"]
    assert len(zarichne) == 1 and zarichne[0]["contested"]


def test_contested_and_about_filter(store):
    rows = jsonl(runner.invoke(app, ["claims", "--db", str(store), "--contested", "--about", "ternivka hospital",
                                     "-f", "jsonl", "-q"]).stdout)
    assert [r["kind"] for r in rows] == ["accusation"]
    everything = list_claims(store)
    contested = list_claims(store, contested=True)
    assert 0 < len(contested) < len(everything)
    assert all(c.contested for c in contested)
    bilyi = [c for c in everything if "Bilyi" in c.target]
    assert len(bilyi) == 1 and bilyi[0] not in contested


def test_positions_jsonl(store):
    result = runner.invoke(app, ["positions", "--db", str(store), "--proposal", "ceasefire framework", "-f", "jsonl",
                                 "-q"])
    assert result.exit_code == 0, result.output
    rows = jsonl(result.stdout)
    assert rows and all({"party", "proposal", "stance", "evidence"} <= set(r) for r in rows)
    stances = {r["party"]: r["stance"] for r in rows}
    assert stances.get("Kremlin") == "reject"
    assert "counter-proposal" in stances.values()
    assert all(ev["article"] and len(ev["span"]) == 2 for r in rows for ev in r["evidence"])


def test_jsonld_is_a_claim_review_graph(store, tmp_path):
    out = tmp_path / "claims.jsonld"
    result = runner.invoke(app, ["claims", "--db", str(store), "--contested", "-f", "jsonld", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@graph"] and all(r["@type"] == "ClaimReview" for r in doc["@graph"])
    assert all(r["onrecord:disputedBy"] for r in doc["@graph"])
    assert all("#char=" in a["url"] for r in doc["@graph"] for a in r["itemReviewed"]["appearance"])


def test_hostile_article_text_is_shown_as_written(store):
    result = runner.invoke(app, ["claims", "--db", str(store), "--about", "Sosnivka"])
    assert result.exit_code == 0, result.output
    assert "<b>Sosnivka</b>[/]" in result.stdout  # markup printed, not interpreted
    assert "\x1b" not in result.stdout
    rows = jsonl(runner.invoke(app, ["claims", "--db", str(store), "--about", "Sosnivka", "-f", "jsonl", "-q"]).stdout)
    assert rows and rows[0]["contested"]


def test_the_claims_verbs_fail_clearly_without_a_store(tmp_path):
    result = runner.invoke(app, ["claims", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "onrecord ingest" in result.output
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE articles (id TEXT)").connection.close()
    sqlite3.connect(plain).execute("CREATE TABLE schema_migrations (name TEXT)").connection.close()
    with pytest.raises(StoreError, match="no claim tables"):
        ClaimIndex(plain)


def test_unknown_kind_and_stance_are_usage_errors(store):
    result = runner.invoke(app, ["claims", "--db", str(store), "--kind", "weather"])
    assert result.exit_code == 2 and "control" in result.output
    result = runner.invoke(app, ["positions", "--db", str(store), "--stance", "maybe"])
    assert result.exit_code == 2 and "seek revision" in result.output


def test_rewriting_and_reprocessing_never_duplicate_rows(extractor, tmp_path):
    from onrecord.ingest.text import split_header

    items = []
    for path in sorted(FIXTURES.glob("0[12]*.txt")):
        meta, body = split_header(path.read_text(encoding="utf-8"))
        items.append((body, ArticleMeta(origin=path.name, outlet=meta["outlet"], published=meta["published"])))
    enrichers = load_enrichers()
    names = [e.name for e in enrichers]
    # Claims build on the entities; only corrections, which amend every table, come after them.
    assert names.index("entities") < names.index("claims") and isinstance(enrichers[names.index("claims")], ClaimsEnricher)
    assert names[-1] == "corrections"
    processed = list(process_texts(extractor, items))
    assert all(p.error is None and "claims" in p.enrichments for p in processed)
    db = tmp_path / "s.db"

    def counts():
        conn = sqlite3.connect(db)
        try:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("claim_mentions", "claims", "claim_statements", "positions")}
        finally:
            conn.close()

    with Writer(db) as w:
        assert [w.write(p) for p in processed] == [WriteStatus.STORED] * 2
    first = counts()
    assert first["claims"] > 0 and first["claim_mentions"] > 0
    with Writer(db) as w:
        assert [w.write(p) for p in processed] == [WriteStatus.UNCHANGED] * 2
        assert [w.write(p, replace=True) for p in processed] == [WriteStatus.REPLACED] * 2
    assert counts() == first
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    orphans = conn.execute("SELECT count(*) FROM claim_statements s LEFT JOIN articles a ON a.id = s.article_id "
                           "WHERE a.id IS NULL").fetchone()[0]
    assert orphans == 0
    with ClaimIndex(db) as idx:
        ids = [c.id for c in idx.claims()]
    assert len(ids) == len(set(ids))

"""`onrecord fix` and `onrecord review` on real stores built by the real ingest: corrections change the record,
survive `ingest --reprocess`, show in exports, are listed with who and when, and can be undone."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def invoke(*args: str, ok: bool = True):
    result = runner.invoke(app, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One ingest of the corrections and claims fixtures, copied for each test (ingest is the slow part)."""
    folder = tmp_path_factory.mktemp("articles")
    for sub in ("corrections", "claims"):
        for path in (FIXTURES / sub).glob("*.txt"):
            shutil.copy(path, folder / f"{sub}-{path.name}")
    db = tmp_path_factory.mktemp("db") / "base.db"
    invoke("ingest", folder, "--db", db, "--quiet")
    return db


@pytest.fixture
def db(built, tmp_path):
    copy = tmp_path / "store.db"
    src = sqlite3.connect(built)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    return copy


def statement(db: Path, cue: str, speaker: str | None = None) -> dict:
    rows = [q for q in jsonl(invoke("quotes", "--db", db, "--json", "-n", "500").stdout)
            if q["cue_text"] == cue and (speaker is None or q["speaker"] == speaker)]
    assert len(rows) == 1, rows
    return rows[0]


def ref(q: dict) -> str:
    return f"{q['article_id'][:8]}#{q['idx']}"


def test_speaker_correction_survives_reprocess_and_shows_in_csv_export(db):
    it = statement(db, "added")
    assert it["speaker"] != "Port Halden Authority"
    out = invoke("fix", "speaker", ref(it), "Port Halden Authority", "--type", "ORG", "--actor", "ana", "--db", db)
    assert "Port Halden Authority" in out.stdout and "ana" in out.stdout
    for again in (("ingest", "--reprocess"), ("rebuild",), ()):  # as made, re-extracted, rebuilt
        fixed = statement(db, "added")
        assert fixed["speaker"] == "Port Halden Authority" and fixed["corrected"] == ["speaker"]
        rows = list(csv.DictReader(io.StringIO(invoke("export", "--db", db, "--format", "csv", "--quiet").stdout)))
        row = next(r for r in rows if r["article_id"] == it["article_id"] and r["idx"] == str(it["idx"]))
        assert row["speaker"] == "Port Halden Authority" and json.loads(row["corrected"]) == ["speaker"]
        if again:
            invoke(*again, "--db", db, "--quiet")
    # The entities feature counts the statement for the corrected speaker.
    entity = json.loads(invoke("entities", "show", "Port Halden Authority", "--json", "--db", db).stdout)
    assert entity["statements"] >= 1
    assert any(s["content_text"] == it["content_text"] for s in entity["statements_in_order"])


def test_clear_speaker_and_undo_restores_the_extractor_values(db):
    it = statement(db, "added")
    invoke("fix", "speaker", ref(it), "--clear", "--db", db)
    assert statement(db, "added")["speaker"] is None
    listed = jsonl(invoke("fix", "list", "--json", "--db", db).stdout)
    assert [c["kind"] for c in listed] == ["speaker"] and listed[0]["actor"].startswith("cli")
    invoke("fix", "undo", str(listed[0]["id"]), "--actor", "bo", "--db", db)
    back = statement(db, "added")
    assert back["speaker"] == it["speaker"] and back["corrected"] == []
    assert invoke("fix", "list", "--json", "--db", db).stdout.strip() == ""
    history = jsonl(invoke("fix", "list", "--all", "--json", "--db", db).stdout)
    assert history[0]["undone_by"] == "bo" and not history[0]["active"]
    log = sqlite3.connect(db).execute("SELECT action, actor FROM correction_log ORDER BY id").fetchall()
    assert log[0][0] == "made" and log[1] == ("undone", "bo")


def test_later_corrections_win_and_undoing_one_keeps_the_other(db):
    q = statement(db, "told", "Marta Kowal")
    invoke("fix", "speaker", ref(q), "A First", "--db", db)
    invoke("fix", "speaker", ref(q), "B Second", "--db", db)
    assert statement(db, "told", "B Second")["idx"] == q["idx"]
    ids = [c["id"] for c in jsonl(invoke("fix", "list", "--json", "--db", db).stdout)]
    invoke("fix", "undo", str(ids[1]), "--db", db)
    assert statement(db, "told", "A First")["idx"] == q["idx"]
    assert invoke("fix", "undo", str(ids[1]), "--db", db, ok=False).exit_code == 2


def test_date_correction_moves_the_statement_in_date_filters(db):
    q = statement(db, "warned")
    invoke("fix", "date", ref(q), "2025-03-30", "--db", db)
    moved = jsonl(invoke("quotes", "--db", db, "--json", "--until", "2025-03-31").stdout)
    assert [m["cue_text"] for m in moved if m["article_id"] == q["article_id"]] == ["warned"]
    invoke("ingest", "--reprocess", "--db", db, "--quiet")
    assert statement(db, "warned")["date"] == "2025-03-30"


def test_correction_follows_its_statement_when_reextraction_renumbers(db, extractor):
    """A statement found by its cue: a new model that drops an earlier statement must not misplace a fix."""
    from onrecord.analysis import ArticleMeta, process_texts
    from onrecord.store import Writer

    q = statement(db, "added")
    invoke("fix", "speaker", ref(q), "Port Halden Authority", "--db", db)
    text = sqlite3.connect(db).execute("SELECT text, published FROM articles WHERE id = ?",
                                       (q["article_id"],)).fetchone()
    (processed,) = process_texts(extractor, [(text[0], ArticleMeta("x", published=text[1]))])
    dropped = replace(processed, attributions=processed.attributions[1:])
    with Writer(db) as writer:
        writer.write(dropped, replace=True)
    moved = statement(db, "added")
    assert moved["idx"] == q["idx"] - 1 and moved["speaker"] == "Port Halden Authority"


def claim_rows(db: Path) -> list[dict]:
    return jsonl(invoke("claims", "--all", "--db", db, "--format", "jsonl", "--quiet").stdout)  # a fix may end a dispute


def test_claim_party_moved_and_removed_survive_reprocess(db):
    claim = next(c for c in claim_rows(db) if c["contested"])
    party = claim["disputed_by"][0]
    invoke("fix", "claim", claim["id"][:8], party, "--side", "asserted", "--db", db)
    for again in (("ingest", "--reprocess"), ("rebuild",), ()):  # as made, after a re-extraction, after a rebuild
        after = next(c for c in claim_rows(db) if c["id"] == claim["id"])
        assert party in after["asserted_by"] and party not in after["disputed_by"]
        if again:
            invoke(*again, "--db", db, "--quiet")
    invoke("fix", "claim", claim["id"], party, "--remove", "--db", db)
    after = next(c for c in claim_rows(db) if c["id"] == claim["id"])
    assert party not in after["asserted_by"] + after["disputed_by"]
    assert all(s["party"] != party for s in after["statements"])


def test_stance_correction(db):
    rows = jsonl(invoke("positions", "--db", db, "--format", "jsonl", "--quiet").stdout)
    pos = next(p for p in rows if p["stance"] != "oppose")
    invoke("fix", "stance", pos["party"].upper(), pos["proposal"], "oppose", "--db", db)
    rows = jsonl(invoke("positions", "--db", db, "--format", "jsonl", "--quiet").stdout)
    assert next(p for p in rows if p["party"] == pos["party"] and p["proposal"] == pos["proposal"])["stance"] == "oppose"
    bad = invoke("fix", "stance", pos["party"], pos["proposal"], "maybe", "--db", db, ok=False)
    assert bad.exit_code == 2 and "support" in bad.output


def test_merge_and_undo_through_fix(db):
    invoke("fix", "merge", "Marta Kowal", "Jonas Berg", "--db", db)
    merged = json.loads(invoke("entities", "show", "Jonas Berg", "--json", "--db", db).stdout)
    assert merged["name"] == "Marta Kowal"
    (cid,) = [c["id"] for c in jsonl(invoke("fix", "list", "--json", "--db", db).stdout)]
    invoke("fix", "undo", str(cid), "--db", db)
    apart = json.loads(invoke("entities", "show", "Jonas Berg", "--json", "--db", db).stdout)
    assert apart["name"] == "Jonas Berg"


@pytest.mark.parametrize("args, says", [
    (["speaker", "zzzz#1", "X"], "no article"),
    (["speaker", "nonsense", "X"], "not a statement reference"),
    (["speaker", "{art}#99", "X"], "has no statement #99"),
    (["speaker", "{art}#0"], "NAME, or --clear"),
    (["date", "{art}#0", "2025-02-31"], "not a real date"),
    (["claim", "ffffffffff", "Russia", "--remove"], "no claim"),
    (["undo", "999"], "no correction 999"),
    (["merge", "Only One"], "at least two names"),
])
def test_bad_corrections_get_one_line_and_change_nothing(db, args, says):
    art = statement(db, "added")["article_id"]
    before = sqlite3.connect(db).execute("SELECT count(*), total(length(extra)) FROM attributions").fetchone()
    result = invoke("fix", *[a.format(art=art[:8]) for a in args], "--db", db, ok=False)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2
    after = sqlite3.connect(db).execute("SELECT count(*), total(length(extra)) FROM attributions").fetchone()
    assert before == after


def test_missing_store_is_not_created(tmp_path):
    result = invoke("fix", "list", "--db", tmp_path / "none.db", ok=False)
    assert result.exit_code == 2 and "no store" in result.output
    result = invoke("fix", "speaker", "abcd#1", "X", "--db", tmp_path / "none.db", ok=False)
    assert result.exit_code == 2 and not (tmp_path / "none.db").exists()


def test_review_queue_lists_suspect_speakers_with_a_fix_and_drops_them_once_fixed(db):
    items = jsonl(invoke("review", "--db", db, "--json", "-n", "100").stdout)
    reasons = {i["reason"] for i in items}
    assert "suspect_speaker" in reasons
    suspect = next(i for i in items if i["reason"] == "suspect_speaker")
    assert suspect["fix"].startswith(f"onrecord fix speaker {suspect['ref']}")
    invoke("fix", "speaker", suspect["ref"], "Port Halden Authority", "--db", db)
    again = jsonl(invoke("review", "--db", db, "--json", "-n", "100", "--reason", "suspect_speaker").stdout)
    assert suspect["ref"] not in {i["ref"] for i in again}
    bad = invoke("review", "--db", db, "--reason", "nonsense", ok=False)
    assert bad.exit_code == 2 and "both_sides" in bad.output


def test_review_finds_a_party_on_both_sides_and_undated_statements(db):
    conn = sqlite3.connect(db)
    # What grouping produces when one party's statements read both ways: the same party, the other side.
    cid, party, side = conn.execute("SELECT claim_id, party, side FROM claim_statements LIMIT 1").fetchone()
    conn.execute("INSERT INTO claim_statements(claim_id, ord, party, side, cue, article_id, start, end, text)"
                 " SELECT claim_id, 999, party, ?, cue, article_id, start, end, text FROM claim_statements"
                 " WHERE claim_id = ? AND party = ? LIMIT 1",
                 ("disputed" if side == "asserted" else "asserted", cid, party))
    conn.execute("UPDATE attributions SET said_on = NULL, published_day = NULL WHERE idx = 0")
    conn.commit()
    items = jsonl(invoke("review", "--db", db, "--json", "-n", "100").stdout)
    both = [i for i in items if i["reason"] == "both_sides"]
    assert [(i["ref"], i["speaker"]) for i in both] == [(cid, party)]
    assert both[0]["fix"].startswith(f"onrecord fix claim {cid}")
    undated = [i for i in items if i["reason"] == "undated"]
    assert undated and all(i["fix"].startswith("onrecord fix date ") and i["idx"] == 0 for i in undated)


def test_suspect_name_rules():
    from onrecord.corrections.review import suspect_name

    assert suspect_name("he") and suspect_name("its") and suspect_name("officials")
    assert suspect_name("the ministry spokesman")
    assert suspect_name("Marta Kowal") is None and suspect_name("UN") is None


def test_a_bare_proposal_is_each_articles_own_and_an_older_stance_correction_reaches_every_one(tmp_path):
    from onrecord.claims.grouping import position_id
    from onrecord.claims.parties import key

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Dockers split over pay\n\nThe Setubal Dockers Union on Monday rejected the "
                                  "proposal, saying it would cut wages.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Ferry crews back new rota\n\nThe Setubal Dockers Union on Tuesday welcomed the "
                                  "proposal, saying it was fair to crews.\n", encoding="utf-8")
    db = tmp_path / "store.db"
    invoke("ingest", folder, "--db", db, "--quiet")
    rows = [p for p in jsonl(invoke("positions", "--db", db, "--format", "jsonl", "--quiet").stdout)
            if p["proposal"] == "proposal"]
    assert len(rows) == 2 and {p["stance"] for p in rows} == {"reject", "support"}, rows
    party = rows[0]["party"]
    many = invoke("fix", "stance", party, "proposal", "mixed", "--db", db, ok=False)
    assert many.exit_code == 2 and "one per article" in many.output and "proposal@" in many.output
    # a correction made when both articles' positions were one (its id: the party's and the bare name's)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO corrections(kind, target, party, value, before, note, actor, made_at)"
                     " VALUES ('stance', ?, ?, '\"mixed\"', '\"support\"', 'test', 'test', '2026-01-01')",
                     (position_id(party, key("proposal")), party))
    conn.close()
    invoke("rebuild", "--db", db, "--quiet")
    rows = [p for p in jsonl(invoke("positions", "--db", db, "--format", "jsonl", "--quiet").stdout)
            if p["proposal"] == "proposal"]
    assert [p["stance"] for p in rows] == ["mixed", "mixed"], rows

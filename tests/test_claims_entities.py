"""Claims and positions through the resolution layer, on a real store: any name of an entity finds them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.analysis import ArticleMeta, load_enrichers, process_texts
from onrecord.claims import ClaimIndex
from onrecord.claims.grouping import position_id
from onrecord.cli import app
from onrecord.entities import EntityIndex, merge_entities
from onrecord.names import skeleton
from onrecord.store import Writer

pytestmark = pytest.mark.slow
runner = CliRunner()

# Two articles written for these tests: one person named "Zelensky" in the first and "Zelenskiy" in the second.
ARTICLES = [
    ("Russia's defence ministry said on Thursday that its forces had captured Vovchansk. President Volodymyr "
     "Zelensky denied that Russian troops had captured Vovchansk, saying Ukrainian units still held the town. "
     "Zelensky also rejected the 12-point peace plan put forward by Moscow.",
     ArticleMeta(origin="a1", outlet="Test Wire", published="2025-05-01")),
    ("Zelenskiy said Kyiv would keep talking to its allies about air defence. The Ukrainian leader said more "
     "systems were needed before winter.",
     ArticleMeta(origin="a2", outlet="Other Wire", published="2025-05-02")),
]


def build(path: Path, extractor, items=ARTICLES) -> Path:
    enrichers = load_enrichers()
    with Writer(path, enrichers=enrichers) as writer:
        for article in process_texts(extractor, items, enrichers=enrichers):
            assert article.error is None, article.error
            writer.write(article)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory, extractor):
    return build(tmp_path_factory.mktemp("claims-entities") / "store.db", extractor)


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_claims_and_positions_about_any_name_of_the_entity(db):
    with EntityIndex(db) as idx:
        zelensky = idx.get("Zelensky")
    assert {"Zelensky", "Zelenskiy"} <= {zelensky.name, *zelensky.aliases}
    with ClaimIndex(db) as idx:
        by_name = {c.id for c in idx.claims(about="Zelensky")}
        by_alias = {c.id for c in idx.claims(about="Zelenskiy")}
        assert by_name and by_name == by_alias
        assert {p.proposal for p in idx.positions(about="Zelenskiy")} == {p.proposal for p in
                                                                          idx.positions(about="Zelensky")}
        assert idx.positions(about="Zelenskiy")
        assert idx.claims(about="Zelenskiy Vovchansk") == []  # an alias stands for the whole query, not a word of it
        assert idx.claims(about="no such name anywhere") == []


def test_the_cli_about_options_accept_an_alias(db):
    for verb in ("claims", "positions"):
        result = runner.invoke(app, [verb, "--db", str(db), "--about", "zelenskiy", "-f", "jsonl", "-q"])
        assert result.exit_code == 0, result.output
        assert _jsonl(result.stdout), verb


def _rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_statements_and_positions_hold_the_entity_of_the_attribution(db):
    with EntityIndex(db) as idx:
        zelensky = idx.get("Zelensky")
    # Every statement whose party came through an attribution holds the entity the resolution layer linked to
    # that attribution, and shows that entity's canonical name.
    linked = _rows(db, "SELECT cs.party, cs.party_id, e.name, ss.entity_id FROM claim_statements cs"
                       " JOIN claim_mentions m ON m.article_id = cs.article_id AND m.start = cs.start"
                       " JOIN statement_speakers ss ON ss.article_id = m.article_id AND ss.idx = m.source"
                       " JOIN entities e ON e.id = cs.party_id")
    assert linked and all(pid == eid and party == name for party, pid, name, eid in linked)
    assert (zelensky.name, zelensky.id) in {(p, pid) for p, pid, _, _ in linked}
    positions = _rows(db, "SELECT party, party_id FROM positions")
    assert (zelensky.name, zelensky.id) in positions
    # No party is held as a name alone when an entity of the store goes by it.
    orphans = _rows(db, "SELECT party FROM claim_statements WHERE party_id IS NULL UNION "
                        "SELECT party FROM positions WHERE party_id IS NULL")
    for (party,) in orphans:
        assert not _rows(db, "SELECT 1 FROM entity_names WHERE key = ?", (skeleton(party),)), party


def test_jsonl_keeps_its_fields_and_adds_the_entity_id(db):
    claims = _jsonl(runner.invoke(app, ["claims", "--db", str(db), "-f", "jsonl", "-q"]).stdout)
    assert claims
    for row in claims:
        assert {"id", "topic", "asserted_by", "disputed_by", "evidence", "statements", "reversals"} <= set(row)
        assert all(isinstance(p, str) for p in row["asserted_by"] + row["disputed_by"])
        assert all({"party", "party_id", "side", "article", "span", "text"} <= set(s) for s in row["statements"])
    positions = _jsonl(runner.invoke(app, ["positions", "--db", str(db), "-f", "jsonl", "-q"]).stdout)
    assert positions and all({"party", "party_id", "proposal", "stance", "stances", "evidence"} <= set(p)
                             for p in positions)
    assert any(p["party_id"] for p in positions)


def _claim_of(path: Path, party: str) -> tuple[str, str]:
    (cid, side), = _rows(path, "SELECT claim_id, side FROM claim_statements WHERE party = ?", (party,))
    return cid, side


def test_a_hand_merge_moves_the_parties_and_the_incremental_finalize_matches_the_rebuild(db, tmp_path):
    from onrecord.store.writer import rebuild_store

    path = tmp_path / "merge.db"
    shutil.copy(db, path)
    with EntityIndex(path) as idx:
        ministry = idx.get("Russian Ministry of Defence")
        russia = idx.get("Russia")
    assert ministry.id != russia.id
    assert ("Russian Ministry of Defence", ministry.id) in _rows(path, "SELECT party, party_id FROM claim_statements")
    merge_entities(path, ["Russia", "Russian Ministry of Defence"])  # runs the incremental finalize
    with EntityIndex(path) as idx:
        merged = idx.get("Russian Ministry of Defence")
    assert merged.id == idx_get(path, "Russia").id
    parties = set(_rows(path, "SELECT party, party_id FROM claim_statements"))
    assert (merged.name, merged.id) in parties and ministry.id not in {pid for _, pid in parties}
    incremental = {t: sorted(_rows(path, f"SELECT * FROM {t}"), key=repr) for t in TABLES}
    rebuild_store(path)
    assert incremental == {t: sorted(_rows(path, f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def idx_get(path: Path, name: str):
    with EntityIndex(path) as idx:
        return idx.get(name)


TABLES = ("claims", "claim_statements", "positions", "position_evidence", "claim_party_nodes")


def _downgrade(path: Path) -> None:
    """Make ``path`` a store from before 0204_claim_party_entities: no entity columns, data without sources."""
    conn = sqlite3.connect(path)
    for sql in ("DROP INDEX claim_statements_party", "DROP INDEX positions_party",
                "ALTER TABLE claim_statements DROP COLUMN party_id", "ALTER TABLE positions DROP COLUMN party_id",
                "ALTER TABLE claim_mentions DROP COLUMN source", "ALTER TABLE position_mentions DROP COLUMN source",
                "DROP TABLE claim_party_nodes", "DELETE FROM schema_migrations WHERE name = '0204_claim_party_entities'",
                "UPDATE finalize_state SET value = '1' WHERE name = 'claims'", "DELETE FROM pending_finalize"):
        conn.execute(sql)
    for aid, data in conn.execute("SELECT article_id, data FROM claim_articles").fetchall():
        found = json.loads(data)
        for item in found.get("mentions", []) + found.get("positions", []):
            item.pop("source", None)
        conn.execute("UPDATE claim_articles SET data = ? WHERE article_id = ?", (json.dumps(found), aid))
    conn.execute("UPDATE claim_statements SET party = 'Zelensky' WHERE party = 'Volodymyr Zelensky'")  # old names
    for pid, key in conn.execute("SELECT id, proposal_key FROM positions WHERE party = 'Volodymyr Zelensky'"
                                 ).fetchall():
        old = position_id("Zelensky", key)  # a position's id is a hash of its party's name and the proposal
        conn.execute("UPDATE position_evidence SET position_id = ? WHERE position_id = ?", (old, pid))
        conn.execute("UPDATE positions SET party = 'Zelensky', id = ? WHERE id = ?", (old, pid))
    conn.commit()
    conn.close()


def test_upgrading_resolves_the_parties_and_keeps_hand_corrections(db, tmp_path, extractor):
    from onrecord.corrections import move_party, set_stance
    from onrecord.ingest.run import ingest

    path = tmp_path / "old.db"
    shutil.copy(db, path)
    _downgrade(path)
    with ClaimIndex(path) as idx:  # a reader of a store no writer has upgraded yet
        assert {s.party_id for c in idx.claims() for s in c.statements} == {None}
    cid, side = _claim_of(path, "Zelensky")
    flipped = "asserted" if side == "disputed" else "disputed"
    move_party(path, cid, "Zelensky", flipped)  # a correction made on the old store, under the old name
    (proposal, stance), = _rows(path, "SELECT proposal, stance FROM positions WHERE party = 'Zelensky'")
    corrected = "support" if stance != "support" else "oppose"
    set_stance(path, "Zelensky", proposal, corrected)
    with Writer(path, enrichers=load_enrichers()) as writer:  # opening for writing applies the migration
        assert writer.finalize_pending()
    zelensky = idx_get(path, "Zelensky")
    assert _rows(path, "SELECT side, party_id FROM claim_statements WHERE claim_id = ? AND party = ?",
                 (cid, zelensky.name)) == [(flipped, zelensky.id)]
    assert _rows(path, "SELECT stance, party_id FROM positions WHERE party = ?", (zelensky.name,)) == [
        (corrected, zelensky.id)]
    ingest(db=path, extractor=extractor, reprocess=True)  # re-reads every party from its attribution
    assert _rows(path, "SELECT stance, party_id FROM positions WHERE party = ?", (zelensky.name,)) == [
        (corrected, zelensky.id)]
    assert _rows(path, "SELECT side, party_id FROM claim_statements WHERE claim_id = ? AND party = ?",
                 (cid, zelensky.name)) == [(flipped, zelensky.id)]
    assert _rows(path, "SELECT count(*) FROM claim_mentions WHERE source IS NOT NULL")[0][0] > 0
    # The ClaimReview export shows the corrected side.
    result = runner.invoke(app, ["claims", "--all", "--db", str(path), "-f", "jsonld", "-q"])  # the fix may end the dispute
    assert result.exit_code == 0, result.output
    review, = [r for r in json.loads(result.stdout)["@graph"] if r["@id"] == f"urn:onrecord:claim:{cid}"]
    disputing = {c["author"]["name"] for c in review["onrecord:disputedBy"]}
    asserting = {a["name"] for a in review["itemReviewed"]["author"]}
    assert zelensky.name in (disputing if flipped == "disputed" else asserting)
    assert zelensky.name not in (asserting if flipped == "disputed" else disputing)


def test_the_resolver_gives_claims_the_institution_named_before_and_the_person_in_apposition(extractor):
    from onrecord.entities.article import analyse_entities

    doc = extractor.nlp(
        "Russia's defence ministry said on Monday that its troops had taken the village. Ukraine's foreign "
        "minister, Olena Kovalchuk, said the claim was a lie. The ministry later said the village was under "
        "full control, and the Russian ministry added that the operation was over. The US State Department "
        "declined to comment.")
    found = analyse_entities(doc, doc._.attributions)
    speaker_of = {doc._.attributions[link.idx].source_text.strip(" ,"): found.entities[link.local].name
                  for link in found.speakers}
    assert speaker_of.get("Russia's defence ministry") == "Russian Ministry of Defence", speaker_of
    assert speaker_of.get("The ministry") == "Russian Ministry of Defence", speaker_of
    assert speaker_of.get("the Russian ministry") == "Russian Ministry of Defence", speaker_of
    assert speaker_of.get("Ukraine's foreign minister, Olena Kovalchuk") == "Olena Kovalchuk", speaker_of
    assert "American State Department" not in {e.name for e in found.entities}


def test_mentions_and_positions_name_the_attribution_whose_speaker_their_party_is(extractor):
    from onrecord.claims import analyse_article

    doc = extractor.nlp("President Volodymyr Zelensky said on Monday that he rejected the 12-point peace plan put "
                        "forward by Moscow. The Kremlin said its forces had captured Vovchansk, and Ukraine's army "
                        "denied that Russian troops had captured the town.")
    found = analyse_article(doc)
    atts = doc._.attributions
    assert found.positions and found.mentions
    for item in (*found.positions, *found.mentions):
        assert item.source is not None, item
        assert atts[item.source].start < item.span.end and item.span.start < atts[item.source].end
    sources = {p.party: atts[p.source].source_text for p in found.positions}
    assert "Zelensky" in sources["Volodymyr Zelensky"]
    assert {atts[m.source].source_text for m in found.mentions} >= {"The Kremlin"}


def test_the_web_claims_board_filters_by_any_name_of_the_entity(db):
    from onrecord.web.queries import claims_board
    from onrecord.web.state import StoreState

    state = StoreState(db)
    try:
        by_name = {c.id for c in claims_board(state, contested_only=False, about="Zelensky").claims}
        by_alias = {c.id for c in claims_board(state, contested_only=False, about="Zelenskiy").claims}
        by_party = {c.id for c in claims_board(state, contested_only=False, party="zelenskiy").claims}
        assert by_name and by_name == by_alias == by_party
        assert not claims_board(state, contested_only=False, about="no such name anywhere").claims
    finally:
        state.close()

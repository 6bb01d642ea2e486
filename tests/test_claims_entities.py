"""Claims and positions through the resolution layer, on a real store: any name of an entity finds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.analysis import ArticleMeta, load_enrichers, process_texts
from onrecord.claims import ClaimIndex
from onrecord.cli import app
from onrecord.entities import EntityIndex
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

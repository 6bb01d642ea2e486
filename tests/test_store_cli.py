"""The store's CLI verbs: thin over the library, exit statuses that scripts can trust, nothing unescaped."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
pytestmark = pytest.mark.slow
runner = CliRunner()

HOSTILE = ('Mayor Helen Okafor said <script>alert("x")</script> that [bold red]nothing[/] had changed. '
           "Officials said the \x1b[2J council would meet again on Friday, and Okafor said she was ready.")


def cli(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = folder.parent / "cli.db"
    result = cli("ingest", FIXTURES / "text", FIXTURES / "html" / "museum.html", folder, "--db", path)
    assert result.exit_code == 0, result.output
    assert "4 stored, 0 replaced, 0 unchanged, 0 failed" in result.stdout
    return path


def test_ingest_reports_each_failure_and_exits_1(tmp_path):
    result = cli("ingest", FIXTURES / "jsonl", FIXTURES / "feeds" / "malformed.xml", "--db", tmp_path / "x.db",
                 "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["stored"] == 2 and report["failed"] == 5
    for origin in ("articles.jsonl:2", "articles.jsonl:3", "articles.jsonl:4", "bruecke", "malformed.xml"):
        assert origin in result.stderr
    again = cli("ingest", FIXTURES / "jsonl" / "articles.jsonl", "--db", tmp_path / "x.db", "--quiet")
    assert again.exit_code == 1 and again.stdout == ""  # quiet: failures only, on stderr


def test_quotes_speakers_and_search_as_json(db):
    quotes = [json.loads(line) for line in cli("quotes", "--by", "okafor", "--db", db, "--json").stdout.splitlines()]
    assert quotes and {q["speaker"] for q in quotes} <= {"Helen Okafor", "Mayor Helen Okafor", "Okafor"}
    assert all(q["content_text"] for q in quotes)
    speakers = [json.loads(line) for line in cli("speakers", "--db", db, "--json", "-n", "100").stdout.splitlines()]
    assert any("Okafor" in s["name"] for s in speakers)
    assert all(s["statements"] >= s["articles"] >= 1 for s in speakers)
    hits = [json.loads(line) for line in cli("search", "carved panels", "--db", db, "--json").stdout.splitlines()]
    assert hits[0]["title"] == "Museum returns carved panels"
    table = cli("quotes", "--by", "okafor", "--db", db)
    assert table.exit_code == 0 and "statement(s)" in table.stdout


def test_show_highlights_without_ever_interpreting_the_text(db):
    hit = json.loads(cli("search", "alert", "--db", db, "--json").stdout.splitlines()[0])
    shown = cli("show", hit["article_id"][:8], "--db", db)
    assert shown.exit_code == 0
    assert "[bold red]nothing[/]" in shown.stdout  # rich markup shown as written
    assert '<script>alert("x")</script>' in shown.stdout
    assert "\x1b[2J" not in shown.stdout and "\ufffd[2J" in shown.stdout  # no terminal control from an article
    as_json = json.loads(cli("show", hit["article_id"], "--db", db, "--json").stdout)
    assert as_json["text"] == HOSTILE and as_json["n_attributions"] == len(as_json["attributions"])


def test_export_formats_from_the_command_line(db, tmp_path):
    out = cli("export", "--format", "csv", "--by", "okafor", "--db", db)
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and all("okafor" in r["speaker"].lower() for r in rows)
    assert f"exported {len(rows)} statement(s)" in out.stderr
    missing = cli("export", "--format", "parquet", "--db", db)
    assert missing.exit_code == 2 and "--output" in missing.stderr
    brat = cli("export", "--format", "brat", "-o", tmp_path / "brat", "--db", db, "--quiet")
    assert brat.exit_code == 0 and list((tmp_path / "brat").glob("*.ann"))


def test_user_errors_are_one_line_and_exit_2(db, tmp_path):
    for args, message in [
        (("quotes", "--db", tmp_path / "absent.db"), "no store at"),
        (("quotes", "--since", "2024-13-01", "--db", db), "YYYY-MM-DD"),
        (("show", "ffffffff", "--db", db), "no article"),
        (("search", '"" OR', "--db", db), "no words"),
        (("ingest", "--db", db), "nothing to ingest"),
    ]:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and "Traceback" not in result.output


def test_every_verb_teaches_with_examples():
    for verb in ("ingest", "quotes", "speakers", "show", "search", "export"):
        result = cli(verb, "--help")
        assert result.exit_code == 0 and "Examples" in result.stdout and "--db" in result.stdout


def test_stdin_through_a_real_process(tmp_path):
    page = (FIXTURES / "html" / "museum.html").read_bytes()
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-c", "from onrecord.cli import main; main()", "ingest", "-", "--db", str(db)]
    first = subprocess.run(cmd, input=page, capture_output=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert b"1 stored" in first.stdout
    second = subprocess.run(cmd, input=page, capture_output=True, timeout=120)
    assert b"0 stored, 0 replaced, 1 unchanged" in second.stdout
    empty = subprocess.run(cmd, input=b"", capture_output=True, timeout=120)
    assert empty.returncode == 1 and b"empty" in empty.stderr

"""Issue 15 items 9, 12, 13 and 14 (entities merge): what the commands print and write, under hostile data.

Article text, titles and arguments are hostile: nothing they hold may reach the
terminal as an escape sequence or be read as rich markup; CSV cells must not
become spreadsheet formulas; a full disk is one line and exit 1, and leaves no
half-written export behind.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

runner = CliRunner()
ESC = "\x1b"
HOSTILE = (f"Title: {ESC}]0;owned{ESC}\\Harbour {ESC}[2J news\nOutlet: =HYPERLINK(\"http://evil.example\")\n\n"
           f"Mayor Helen Okafor said that [link=http://evil.example]the harbour[/link] would reopen {ESC}[2J "
           f"in May and that nothing [/x] had changed. {ESC}]8;;http://evil.example{ESC}\\click{ESC}]8;;{ESC}\\ "
           "Councillor Tomas Lindqvist said =1+2 was the cost, and Okafor said \u201c@SUM(A1) is fine\u201d.\n\n"
           + "The council met on Tuesday to discuss the harbour and the budget for the coming year. " * 12 + "\n")


def cli(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-cli")
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = folder / "h.db"
    result = cli("ingest", folder / "hostile.txt", "--db", path)
    assert result.exit_code == 0, result.output
    return path


def _clean(output: str) -> None:
    assert ESC not in output
    assert "\x07" not in output and "\x9b" not in output
    assert "Traceback" not in output


@pytest.mark.parametrize("args", [
    ["timeline"], ["timeline", "--entity", "Okafor"], ["entities"], ["entities", "show", "Okafor"],
    ["quotes"], ["show", "HOSTILE"], ["search", "harbour"], ["speakers"],
])
def test_store_commands_never_send_escape_sequences(db, args):
    if args == ["show", "HOSTILE"]:
        import sqlite3

        with sqlite3.connect(db) as conn:
            args = ["show", conn.execute("SELECT id FROM articles").fetchone()[0]]
    result = cli(*args, "--db", db)
    assert result.exit_code == 0, result.output
    _clean(result.output)


def test_extract_prints_article_text_as_text_not_markup(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(HOSTILE.split("\n\n", 1)[1], encoding="utf-8")
    result = cli("extract", path)
    assert result.exit_code == 0, result.output
    _clean(result.output)
    assert "[/x]" in result.output or "Okafor" in result.output


def test_extract_survives_markup_in_a_path(tmp_path):
    path = tmp_path / "[" / "x]" / "[link=x].txt"  # the path holds "[/x]"
    path.parent.mkdir(parents=True)
    path.write_text("Mayor Helen Okafor said the harbour would reopen in May.\n", encoding="utf-8")
    result = cli("extract", path, tmp_path / "[/y]missing.txt")
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 1
    assert "[/y]missing.txt" in result.output


@pytest.mark.parametrize("args", [
    ["show", "[/x]"], ["quotes", "--since", "[/x]"], ["quotes", "--until", "[/x]"], ["entities", "show", "[/x]"],
    ["timeline", "--entity", "[/x]"], ["claims", "--kind", "[/x]"], ["export", "--since", "[/x]"],
    ["show", f"{ESC}[2J"],
])
def test_markup_and_escapes_in_arguments_are_one_line_errors(db, args):
    result = cli(*args, "--db", db)
    assert result.exit_code == 2, (args, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    _clean(result.output)
    assert "error" in result.output


# -- item 13: CSV cells are not formulas and hold no control characters ----------------------------------

def test_csv_export_neutralises_formulas_and_control_characters(db, tmp_path):
    out = tmp_path / "q.csv"
    result = cli("export", "--format", "csv", "-o", out, "--db", db)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert ESC not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", cell
    raw = tmp_path / "raw.csv"
    assert cli("export", "--format", "csv", "--csv-raw", "-o", raw, "--db", db).exit_code == 0
    assert any(cell.startswith("=") for row in csv.reader(io.StringIO(raw.read_text(encoding="utf-8")))
               for cell in row)


# -- item 9: a full disk ------------------------------------------------------------------------------

def _limited(max_bytes: int):
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, like ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return limit


def _run_limited(args, max_bytes):
    return subprocess.run([sys.executable, "-c", "from onrecord.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, preexec_fn=_limited(max_bytes), timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    """A store whose exports are larger than the 3 KB 'disk' below, in rollback-journal mode so that reading it
    needs no -shm file (which WAL readers create, 32 KB)."""
    folder = tmp_path_factory.mktemp("hostile-big")
    people = ["Mayor Helen Okafor", "Councillor Tomas Lindqvist", "Minister Ivo Petrov", "Director Ingrid Solheim"]
    for a in range(2):
        text = " ".join(f"{people[i % 4]} said on Tuesday that the budget for project {a}-{i} would rise by "
                        f"{i + 3} percent, and that the council had agreed to it after a long debate."
                        for i in range(30))
        (folder / f"a{a}.txt").write_text(text + "\n", encoding="utf-8")
    path = folder / "big.db"
    assert cli("ingest", folder, "--db", path).exit_code == 0
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return path


@pytest.mark.parametrize("fmt,name", [("jsonl", "q.jsonl"), ("csv", "q.csv"), ("parquet", "q.parquet"),
                                      ("brat", "brat")])
def test_export_on_a_full_disk_is_one_line_and_leaves_no_partial_file(big_db, tmp_path, fmt, name):
    out = tmp_path / name
    assert cli("export", "--format", fmt, "-o", tmp_path / "fits", "--db", big_db).exit_code == 0
    assert max(p.stat().st_size for p in [tmp_path / "fits", *(tmp_path / "fits").rglob("*")]) > 3_000
    shutil.rmtree(tmp_path / "fits") if (tmp_path / "fits").is_dir() else (tmp_path / "fits").unlink()
    proc = _run_limited(["export", "--format", fmt, "-o", out, "--db", big_db], 3_000)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left either


def test_ingest_on_a_full_disk_is_one_line_and_the_store_stays_usable(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(f"Mayor Helen Okafor said on Tuesday that case {i} was closed, and "
                                          "Councillor Tomas Lindqvist said the council had agreed.\n" * 40,
                                          encoding="utf-8")
    db = tmp_path / "s.db"
    proc = _run_limited(["ingest", folder, "--db", db], 200_000)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (1, 2), proc.stderr
    assert "full" in proc.stderr or "too large" in proc.stderr or "disk" in proc.stderr
    again = cli("ingest", folder, "--db", db)  # with room again, the run completes
    assert again.exit_code == 0, again.output


# -- item 14: entities merge of names that do not exist ------------------------------------------------

def test_merging_unknown_names_is_refused_and_a_rule_is_kept_once(db):
    import sqlite3

    bad = cli("entities", "merge", "Nobody Atall", "Noone Elsewhere", "--db", db)
    assert bad.exit_code == 2 and "no entity" in bad.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM entity_overrides").fetchone()[0] == 0
    for _ in range(2):
        ok = cli("entities", "merge", "Helen Okafor", "Okafor", "--db", db)
        assert ok.exit_code == 0, ok.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM entity_overrides").fetchone()[0] == 1

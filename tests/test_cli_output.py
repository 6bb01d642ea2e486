"""Output a person can read: terminal tables wrap at 80 columns instead of cutting words, do not pad on wide
terminals, and `show` written to a file or a pipe marks sources, cues and contents and says whom each source
resolved to.  The commands run as real processes, with the terminal width set the way a shell sets it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out-articles")
    for sub in ("corrections", "claims"):
        for path in (FIXTURES / sub).glob("*.txt"):
            shutil.copy(path, folder / f"{sub}-{path.name}")
    store = tmp_path_factory.mktemp("out-db") / "news.db"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(store), "--quiet"])
    assert result.exit_code == 0, result.output
    return store


def run(db: Path, *args: str, columns: int = 80) -> list[str]:
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"}
    done = subprocess.run([sys.executable, "-m", "onrecord", *args, "--db", str(db)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("args", [("quotes", "-n", "60"), ("speakers", "-n", "60"), ("timeline", "-n", "60"),
                                  ("entities",), ("review",), ("fix", "list")])
def test_tables_wrap_at_80_columns_without_cutting_words(db, args):
    lines = run(db, *args)
    assert lines and max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert not any("…" in line for line in lines)


def test_dates_names_and_cues_stay_whole_at_80_columns(db):
    import json

    lines = run(db, "quotes", "-n", "60")
    rows = [json.loads(x) for x in run(db, "quotes", "-n", "60", "--json")]
    days = DAY.findall("\n".join(lines))
    assert len(days) == sum(1 for r in rows if r["date"])
    text = " ".join(" ".join(line.split()) for line in lines)
    for r in rows:
        assert r["cue_text"].split()[0] in text  # a cue is never cut to "sa…"


def test_wide_terminals_are_not_padded(db):
    lines = run(db, "speakers", "-n", "60", columns=200)
    names = [x for x in run(db, "speakers", "-n", "60", "--json", columns=200)]
    longest = max(len(__import__("json").loads(n)["name"]) for n in names)
    # Six columns: the name plus five short ones (type, two counts, two dates) and the space between them.
    assert max(len(line.rstrip()) for line in lines) <= longest + 70


def test_show_in_a_pipe_marks_every_role_and_says_whom_each_source_resolved_to(db):
    import json

    quotes = [json.loads(x) for x in run(db, "quotes", "--outlet", "coastal times", "-n", "100", "--json")]
    article = next(q["article_id"] for q in quotes if q["source_text"])
    mine = sorted((q for q in quotes if q["article_id"] == article), key=lambda q: q["idx"])
    lines = run(db, "show", article[:8])
    text = "\n".join(lines)
    assert "\x1b[" not in text  # no colour codes in a pipe
    for q in mine:
        if q["source_text"]:
            assert f"[[{q['source_text']}]]" in text
        assert "{{" + q["cue_text"] + "}}" in text
        assert q["content_text"].split()[0] in text.split("<<", 1)[1]
        assert f"#{q['idx']} {q['source_text'] or '(no source)'} → {q['speaker'] or 'unresolved'}" in text
    assert "marks: [[source]] {{cue}} <<content>>" in text  # the legend, then one pair per content span
    assert text.count("<<") - 1 == text.count(">>") - 1 == sum(len(q["content"]) for q in mine)


def test_marks_nest_and_clip():
    from onrecord.cli.store import marked
    from onrecord.records import Span

    class Q:
        source = (Span(0, 3),)
        cue = (Span(4, 8),)
        content = (Span(9, 100),)

    assert marked("Ana said she\x1b left", [Q]) == "[[Ana]] {{said}} <<she\ufffd left>>"

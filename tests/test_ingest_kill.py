"""kill -9 an ingest at several points, run it again: every article once, none half-written, nothing lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord.analysis import content_id
from onrecord.ingest import ingest

pytestmark = pytest.mark.slow

N = 60
PEOPLE = [("Mayor", "Helen Okafor"), ("Councillor", "Tomas Lindqvist"), ("Minister", "Ivo Petrov"),
          ("Director", "Ingrid Solheim"), ("Ambassador", "Paulo Amani"), ("Senator", "Rosa Lindgren"),
          ("Chief executive", "Clara Moss"), ("Union leader", "Peter Lund")]
PLACES = ["Riverside", "Kerro", "Northgate", "Port Amsel", "Eastwick", "Valley Forge", "Lowmoor"]
PROJECTS = ["bridge repairs", "new tram line", "flood barrier", "school extension", "harbour dredging",
            "hospital wing", "cycle network"]
MONTHS = ["March", "April", "May", "June", "September", "October"]


def article(i: int) -> str:
    """An invented, news-shaped article; every one differs."""
    (t1, p1), (t2, p2) = PEOPLE[i % len(PEOPLE)], PEOPLE[(i * 3 + 1) % len(PEOPLE)]
    place, project, month = PLACES[i % len(PLACES)], PROJECTS[(i * 5) % len(PROJECTS)], MONTHS[i % len(MONTHS)]
    last1, last2 = p1.split()[-1], p2.split()[-1]
    return (
        f"{place} officials said on Tuesday that the {project} would be finished by {month}, ending weeks of "
        f"uncertainty for residents. The announcement followed a meeting that lasted {i % 5 + 2} hours.\n\n"
        f"\u201cWe owe people a clear answer, and today we have one,\u201d {t1} {p1} told reporters outside the "
        f"town hall. {last1} said that the cost would stay within the budget agreed last year.\n\n"
        f"Critics were not convinced. {t2} {p2}, who has opposed the plan from the start, called the figures "
        f"\u201cwishful thinking\u201d and argued that the council had ignored independent advice. {last2} "
        f"added that {i + 12} families had already written to complain.\n\n"
        f"According to the regional audit office, similar projects have run over budget by {i % 9 + 11} percent "
        f"on average. The office declined to comment further on case {i}."
    )


def count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


def start(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from onrecord.cli import main; main()", "ingest", str(folder), "--db", str(db),
         "--batch-size", "1", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def kill_when(folder: Path, db: Path, threshold: int, rng: random.Random) -> bool:
    """Run an ingest and SIGKILL it once the store holds ``threshold`` articles; True if it was still running."""
    proc = start(folder, db)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if (threshold == 0 and db.exists()) or (threshold and count(db) >= threshold):
                time.sleep(rng.uniform(0, 0.03))  # land anywhere, mid-transaction included
                break
            time.sleep(0.005)
        alive = proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stderr.close()
    return alive


def snapshot(db: Path, sql: str):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


ATTRIBUTIONS = "SELECT article_id, idx, kind, speaker_name, source_spans, cue_spans, content_spans FROM attributions ORDER BY 1, 2"


def test_kill_nine_at_several_points_then_run_again(tmp_path, extractor):
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = [article(i) for i in range(N)]
    for i, text in enumerate(texts):
        (folder / f"story-{i:03}.txt").write_text(text, encoding="utf-8")
    assert len({content_id(t) for t in texts}) == N

    db = tmp_path / "killed.db"
    rng = random.Random(1234)
    killed_running = [kill_when(folder, db, point, rng) for point in (0, 5, 20, 35, 50)]
    assert sum(killed_running) >= 3, "the ingest finished before most kills: make the articles longer"
    partial = count(db)
    assert 0 < partial < N

    final = subprocess.run(
        [sys.executable, "-c", "from onrecord.cli import main; main()", "ingest", str(folder), "--db", str(db),
         "--quiet"], capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr

    # Every article once; no article without all of its attributions; indexes intact.
    assert snapshot(db, "SELECT count(*), count(DISTINCT id) FROM articles") == [(N, N)]
    assert {r[0] for r in snapshot(db, "SELECT id FROM articles")} == {content_id(t) for t in texts}
    assert snapshot(db, """
        SELECT count(*) FROM articles ar
        WHERE ar.n_attributions != (SELECT count(*) FROM attributions a WHERE a.article_id = ar.id)""") == [(0,)]
    assert snapshot(db, "SELECT count(*) FROM article_sources") == [(N,)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO attributions_fts(attributions_fts) VALUES ('integrity-check')")

    # The interrupted store holds exactly what one uninterrupted run stores.
    reference = tmp_path / "reference.db"
    ingest([folder], db=reference, extractor=extractor)
    assert snapshot(db, ATTRIBUTIONS) == snapshot(reference, ATTRIBUTIONS)

    # And ingesting everything again adds nothing.
    again = ingest([folder], db=db, extractor=extractor)
    assert (again.stored, again.unchanged, again.failed) == (0, N, 0)
    assert snapshot(db, "SELECT count(*) FROM articles") == [(N,)]

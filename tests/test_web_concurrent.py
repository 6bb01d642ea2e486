"""The server keeps answering while a real `onrecord ingest` process writes to the same store, shows what each
commit adds, and leaves the store whole."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from test_web_support import build_store, running_server

pytestmark = pytest.mark.slow

PEOPLE = ["Ana Ruiz", "Tomas Brandt", "Elif Demir", "Nuno Vale", "Rui Costa", "Marta Leal"]


def _articles(folder, n: int) -> None:
    """Short invented council reports, each with a couple of plainly attributed statements."""
    folder.mkdir()
    for i in range(n):
        a, b = PEOPLE[i % len(PEOPLE)], PEOPLE[(i + 2) % len(PEOPLE)]
        (folder / f"report-{i:03d}.txt").write_text(
            f"Title: Council report {i}\nOutlet: The Test Gazette\nPublished: 2024-07-{1 + i % 28:02d}\n\n"
            f"The council met on Tuesday to discuss budget item {i}.\n\n"
            f"“We will vote on item {i} next week,” {a} said after the meeting.\n\n"
            f"{b} told reporters that the cost of item {i} was higher than planned.\n",
            encoding="utf-8")


def test_server_answers_while_an_ingest_writes(tmp_path, extractor):
    db = build_store(tmp_path / "live.db", extractor)
    _articles(tmp_path / "incoming", 60)
    with running_server(db) as base, httpx.Client(base_url=base, timeout=30) as client:
        before = client.get("/timeline.json").json()["total"]
        writer = subprocess.Popen([sys.executable, "-m", "onrecord", "ingest", str(tmp_path / "incoming"),
                                   "--db", str(db), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        seen, statuses, paths = [], [], ["/", "/speakers", "/claims", "/timeline", "/search?q=council"]
        i = 0
        while writer.poll() is None:
            r = client.get("/timeline.json")
            statuses.append(r.status_code)
            seen.append(r.json()["total"])
            page = client.get(paths[i % len(paths)])
            statuses.append(page.status_code)
            i += 1
        out, err = writer.communicate()
        assert writer.returncode == 0, err
        after = client.get("/timeline.json").json()["total"]
        home = client.get("/").text
        assert "Council report" in home  # the new articles are on the pages once committed
    assert set(statuses) == {200}
    assert len(statuses) > 20, "the ingest ended before the server was asked much; make it longer"
    assert seen == sorted(seen)  # never an older view after a newer one
    assert after > before
    # While the writer ran, the pages moved with its commits, not only after it finished.
    assert len({n for n in seen if before < n < after}) >= 1
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        bad = conn.execute("SELECT count(*) FROM articles ar WHERE n_attributions !="
                           " (SELECT count(*) FROM attributions a WHERE a.article_id = ar.id)").fetchone()[0]
        assert bad == 0

"""The web pages over HTTP: a real `onrecord serve` process on loopback, a store built by the real ingest.

What a page shows is checked against what the store's own query API returns,
never against hard-coded extraction results: the extractor will change, the
pages must keep showing whatever it found.
"""

from __future__ import annotations

import html
import re
import sqlite3
import subprocess
import sys
from urllib.parse import quote

import httpx
import pytest

from test_web_support import BORDER_TEXT, build_store, free_port, running_server, wait_until_up

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor):
    return build_store(tmp_path_factory.mktemp("web") / "news.db", extractor)


@pytest.fixture(scope="module")
def base(store):
    with running_server(store) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def _articles(store):
    with sqlite3.connect(store) as conn:
        return {title: aid for aid, title in conn.execute("SELECT id, title FROM articles")}


def _text(page: str) -> str:
    """The visible text of an HTML page, roughly: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_home_lists_latest_articles_and_most_quoted(client, store):
    r = client.get("/")
    assert r.status_code == 200
    from onrecord.entities import EntityIndex

    with EntityIndex(store) as idx:
        top = idx.entities(limit=3)
    body = _text(r.text)
    for entity in top:
        assert entity.name in body
    for title in _articles(store):
        assert html.escape(title, quote=True) in r.text or title in body


def test_article_highlights_every_statement_and_links_speakers(client, store):
    from onrecord.store import Reader

    aid = _articles(store)["Harbour deal splits the city council"]
    r = client.get(f"/article/{aid}")
    assert r.status_code == 200
    with Reader(store) as reader:
        view = reader.article(aid)
    assert view.quotes, "the extractor should find statements in the harbour article"
    page = r.text
    for q in view.quotes:
        assert f'id="s{q.idx}"' in page  # every statement has an anchor in the text
        assert html.escape(q.content_text, quote=True) in page
    # Every source highlight links to a speaker page that answers.
    links = set(re.findall(r'<a class="or-run or-source[^"]*" href="(/speaker/[^"]+)"', page))
    assert links
    for link in links:
        assert client.get(link, follow_redirects=True).status_code == 200
    # The text is shown whole and unchanged: highlighting only wraps it.
    shown = re.search(r'<div class="or-text" id="text">(.*?)</div>', page, re.S).group(1)
    shown = re.sub(r'<span class="or-tip">[^<]*</span>', "", shown)
    assert _text(shown) == view.article.text


def test_article_by_id_prefix_and_json(client, store):
    aid = _articles(store)["Operator promises open books on harbour contract"]
    assert client.get(f"/article/{aid[:8]}").status_code == 200
    data = client.get(f"/article/{aid}.json").json()
    assert data["article"]["id"] == aid
    assert len(data["statements"]) == data["article"]["n_attributions"]


def test_evidence_mark_highlights_the_sentence(client, store):
    aid = _articles(store)["Both sides claim Ashford"]
    start = BORDER_TEXT.index("Southland denied")
    end = start + len("Southland denied that Ashford had fallen")
    r = client.get(f"/article/{aid}?mark={start}-{end}")
    assert r.status_code == 200
    marked = re.findall(r'class="or-run[^"]*or-mark[^"]*"[^>]*>([^<]*)', r.text)
    assert "".join(marked) == "Southland denied that Ashford had fallen"
    assert 'id="mark"' in r.text
    assert client.get(f"/article/{aid}?mark=oops").status_code == 400


def test_hostile_article_is_escaped_everywhere(client, store):
    aid = next(a for t, a in _articles(store).items() if t.startswith("<script>"))
    for path in (f"/article/{aid}", "/", "/search?q=reject&in=quotes", "/timeline"):
        page = client.get(path).text
        for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<b onmouseover",
                    'href="javascript:'):
            assert raw not in page, f"{raw!r} reached {path} unescaped"
    page = client.get(f"/article/{aid}").text
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in page  # shown, as text
    assert "javascript:alert(&#39;url&#39;)" in page  # the bad URL is shown, not linked
    r = client.get(f"/article/{aid}")
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none' forbids every script
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_speaker_page_shows_statements_roles_and_redirects_spellings(client, store):
    from onrecord.entities import EntityIndex

    with EntityIndex(store) as idx:
        ruiz = idx.get("Ana Ruiz")
        timeline = idx.timeline(entity=ruiz.id)
    r = client.get(f"/speaker/{quote(ruiz.id, safe='')}")
    assert r.status_code == 200
    body = _text(r.text)
    assert ruiz.name in body
    for entry in timeline:
        assert entry.content_text in body
    for role in ruiz.roles:
        assert role.text in body
    # Any spelling of the name lands on the one entity page.
    moved = client.get("/speaker/" + quote("ana ruiz"))
    assert moved.status_code == 302
    assert moved.headers["location"] == f"/speaker/{quote(ruiz.id, safe='')}"
    data = client.get(f"/speaker/{quote(ruiz.id, safe='')}.json").json()
    assert data["statements"] == len(timeline)
    assert client.get("/speaker/" + quote("Nobody Atall")).status_code == 404


def test_speakers_timeline_and_search(client, store):
    from onrecord.store import Reader

    with Reader(store) as reader:
        counts = reader.counts()
        hits = reader.search("harbour")
    speakers = client.get("/speakers.json").json()
    assert speakers["total"] > 0
    tl = client.get("/timeline.json").json()
    assert tl["total"] == counts["attributions"]
    days = [s["day"] for s in tl["statements"] if s["day"]]
    assert days == sorted(days)  # oldest first
    assert sum(p["statements"] for p in tl["per_period"]) <= tl["total"]
    narrowed = client.get("/timeline.json", params={"since": "2024-04-01", "until": "2024-04-30"}).json()
    assert 0 < narrowed["total"] < tl["total"]
    assert all("2024-04-01" <= s["day"] <= "2024-04-30" for s in narrowed["statements"])
    found = client.get("/search.json", params={"q": "harbour"}).json()
    assert [h["article_id"] for h in found["hits"]] == [h.article_id for h in hits]
    assert client.get("/search", params={"q": "!!!"}).status_code == 200  # no words: a message, not an error
    assert "no words" in client.get("/search", params={"q": "!!!"}).text
    assert client.get("/timeline", params={"since": "not a date at all"}).status_code == 400


def test_claims_board_shows_both_sides_with_links_to_sentences(client, store):
    from onrecord.claims import ClaimIndex

    with ClaimIndex(store) as idx:
        contested = idx.claims(contested=True)
    assert contested, "the hand-written Ashford article gives one contested claim"
    r = client.get("/claims")
    assert r.status_code == 200
    body = _text(r.text)
    for claim in contested:
        assert claim.topic in body
        for party in claim.asserted_by + claim.disputed_by:
            assert party in body
    evidence = re.findall(r'class="or-evidence" href="([^"]+)"', r.text)
    assert evidence
    followed = client.get(html.unescape(evidence[0]))
    assert followed.status_code == 200 and "or-mark" in followed.text
    data = client.get("/claims.json").json()
    assert {c["id"] for c in data["claims"]} == {c.id for c in contested}
    assert client.get("/claims", params={"kind": "nonsense"}).status_code == 400
    assert client.get("/claims.json", params={"about": "zzzz-nowhere"}).json()["claims"] == []


def test_positions_matrix_has_evidence_for_each_cell(client, store):
    from onrecord.claims import ClaimIndex

    with ClaimIndex(store) as idx:
        positions = idx.positions(proposal="ceasefire plan")
    assert positions
    data = client.get("/positions.json").json()
    seen = {(p["party"], p["proposal"]): p for p in data["positions"]}
    for pos in positions:
        cell = seen[(pos.party, pos.proposal)]
        assert cell["stance"] == pos.stance.value
        assert [e["text"] for e in cell["evidence"]] == [e.text for e in pos.evidence]
    page = client.get("/positions").text
    assert page.count("<details") >= len(positions)


def test_datasette_tables_sql_and_csv_are_there_and_read_only(client, store):
    r = client.get("/onrecord/attributions.json", params={"_shape": "array", "_size": "max"})
    assert r.status_code == 200
    with sqlite3.connect(store) as conn:
        n = conn.execute("SELECT count(*) FROM attributions").fetchone()[0]
    assert len(r.json()) == n
    csv = client.get("/onrecord/articles.csv")
    assert csv.status_code == 200 and csv.text.startswith("pk,id,")
    sql = client.get("/onrecord.json", params={"sql": "select count(*) as n from speakers", "_shape": "array"})
    assert sql.json()[0]["n"] > 0
    # Datasette refuses writing SQL, and the connection under it could not write anyway.
    bad = client.get("/onrecord.json", params={"sql": "delete from articles"})
    assert bad.status_code == 400
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT count(*) FROM attributions").fetchone()[0] == n


def test_connections_the_server_makes_are_read_only(store):
    from onrecord.errors import StoreError
    from onrecord.web import StoreState, create_datasette

    ds = create_datasette(store)
    db = ds.get_database("onrecord")
    conn = db.connect()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("CREATE TABLE t(x)")
    with pytest.raises(StoreError, match="read-only"):
        db.connect(write=True)
    state = StoreState(store)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        state.session().conn.execute("DELETE FROM articles")
    state.close()
    db.close()


def test_pages_say_so_when_claims_and_entities_are_absent(tmp_path):
    """A store made before the entities and claims features: pages degrade, they do not fail."""
    from test_web_support import border_article

    from onrecord.store import Writer

    db = tmp_path / "old.db"
    with Writer(db, enrichers=(), migration_modules=("onrecord.store.schema",)) as writer:
        writer.write(border_article())
    with running_server(db) as base, httpx.Client(base_url=base) as c:
        assert "No claims recorded yet" in c.get("/claims").text
        assert "No positions recorded yet" in c.get("/positions").text
        assert "No claims recorded yet" in c.get("/").text
        aid = c.get("/timeline.json").json()["statements"][0]["article_id"]
        page = c.get(f"/article/{aid}")
        assert page.status_code == 200 and "No claims recorded yet" in page.text
        speaker = c.get("/speaker/Northland")  # by the extractor's name: no entities to resolve it
        assert speaker.status_code == 200 and "no canonical entity" in speaker.text
        assert c.get("/speakers.json").json()["total"] == 2


def _serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onrecord", "serve", *args], capture_output=True, text=True,
                          timeout=60)


def test_serve_refuses_bad_stores_and_busy_ports(tmp_path, store):
    missing = _serve("--db", str(tmp_path / "none.db"), "--port", str(free_port()))
    assert missing.returncode == 2 and "onrecord ingest" in missing.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    bad = _serve("--db", str(junk), "--port", str(free_port()))
    assert bad.returncode == 2 and "not an onrecord store" in bad.stderr
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = _serve("--db", str(store), "--port", str(taken.getsockname()[1]))
    assert busy.returncode == 2 and "already in use" in busy.stderr
    assert "Examples" in _serve("--help").stdout


def test_claim_cards_and_speaker_pages_follow_a_change_to_the_store(store, tmp_path):
    import shutil

    copy = tmp_path / "copy.db"
    shutil.copy(store, copy)
    with sqlite3.connect(copy) as conn:
        cid, topic = conn.execute("SELECT id, topic FROM claims WHERE contested = 1 LIMIT 1").fetchone()
        eid, statements = conn.execute(
            "SELECT entity_id, count(*) FROM entity_statements GROUP BY entity_id ORDER BY 2 DESC LIMIT 1").fetchone()
    with running_server(copy) as url, httpx.Client(base_url=url, timeout=30) as c:
        for _ in range(2):  # the second answer comes from the server's caches
            assert topic in _text(c.get("/claims").text)
            assert c.get(f"/speaker/{quote(eid, safe='')}.json").json()["statements"] == statements
        # The page the browser has is still the page: 304 with nothing in it, and the page's security headers.
        tag = c.get("/claims").headers["etag"]
        again = c.get("/claims", headers={"if-none-match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        assert "default-src 'none'" in again.headers["content-security-policy"]
        assert c.get("/claims", headers={"if-none-match": 'W/"other"'}).status_code == 200
        assert "etag" not in c.get("/article/no-such-article").headers  # only pages that are there are tagged
        with sqlite3.connect(copy) as conn:  # a writer changes the claim and removes one of the statements
            conn.execute("UPDATE claims SET topic = 'a topic renamed by a writer' WHERE id = ?", (cid,))
            conn.execute("DELETE FROM entity_statements WHERE entity_id = ?1 AND pk ="
                         " (SELECT min(pk) FROM entity_statements WHERE entity_id = ?1)", (eid,))
        changed = c.get("/claims", headers={"if-none-match": tag})  # the old tag no longer matches: the new page
        assert changed.status_code == 200 and changed.headers["etag"] != tag
        body = _text(changed.text)
        assert "a topic renamed by a writer" in body and f"<h2>{topic}</h2>" not in c.get("/claims").text
        assert c.get(f"/speaker/{quote(eid, safe='')}.json").json()["statements"] == statements - 1


def test_speaker_pages_from_the_statement_index_match_the_join_they_replace(store):
    from onrecord.web import queries
    from onrecord.web.state import StoreState

    with sqlite3.connect(store) as conn:
        refs = [r[0] for r in conn.execute("SELECT DISTINCT entity_id FROM entity_statements")]
    assert len(refs) > 3
    indexed, joined = StoreState(store, cache_size=0), StoreState(store, cache_size=0)
    try:
        for ref in refs:
            target = queries.resolve_speaker(indexed, ref)
            for number in (1, 2):
                a = queries.speaker_page(indexed, target, page=number, per_page=2)
                session = joined.session()
                session.tables = session.tables - {"entity_statements"}  # as a store from before 0102 reads
                joined.fragments = type(joined.fragments)(0)
                b = queries.speaker_page(joined, target, page=number, per_page=2)
                assert a.to_dict() == b.to_dict()
                assert (a.statements, a.articles, a.first_day, a.last_day) == (
                    b.statements, b.articles, b.first_day, b.last_day)
    finally:
        indexed.close()
        joined.close()


def _children(pid: int) -> set[int]:
    """The server's worker processes (multiprocessing's resource tracker is a child too, not a worker)."""
    from pathlib import Path

    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z" and b"spawn_main" in cmdline:
            out.add(int(stat.parent.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_several_workers_share_the_port_restart_and_stop_together(store):
    import os
    import signal
    import time

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "onrecord", "serve", "--db", str(store), "--port", str(port),
                             "--workers", "2", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = _children(proc.pid)
        assert len(workers) >= 2
        # Fresh connections land on both workers' sockets; all of them answer.
        for _ in range(20):
            with httpx.Client(base_url=base, timeout=30) as c:
                assert c.get("/claims").status_code == 200
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = _children(proc.pid)
            if victim not in now and len(now) >= 2:
                break
            time.sleep(0.2)
        assert victim not in _children(proc.pid) and len(_children(proc.pid)) >= 2, "the dead worker was replaced"
        wait_until_up(base + "/speakers", proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) is not None
        leftover = [w for w in workers - {victim} if os.path.exists(f"/proc/{w}") and
                    open(f"/proc/{w}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
        assert leftover == [], "workers outlive the server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

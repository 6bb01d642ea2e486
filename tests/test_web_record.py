"""Working with the record on the web: the article list, outlets, wire copies, the review queue, the plugin's
registration and configuration, base_url, JSON/CSV links, and corrections through the pages (sign-in, CSRF,
read-only by default), on a store built by the real ingest and a real `onrecord serve` process."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from test_web_support import editing_server, running_server

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("record-articles")
    for sub in ("record", "corrections", "claims"):
        for path in (FIXTURES / sub).glob("*.txt"):
            shutil.copy(path, folder / f"{sub}-{path.name}")
    db = tmp_path_factory.mktemp("record-db") / "news.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client(store):
    with running_server(store) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _rows(page: dict) -> dict[str, dict]:
    return {r["id"]: r for r in page["articles"]}


def test_article_list_pages_and_filters(client, store):
    everything = client.get("/articles.json").json()
    assert everything["total"] >= 10
    ids = [r["id"] for r in everything["articles"]]
    one = client.get("/articles.json", params={"page": 2}).json()
    assert one["page"] == 2
    # Outlet: part of the name, any case, on the page and in the CSV link under it.
    coastal = client.get("/articles.json", params={"outlet": "coastal TIMES"}).json()
    assert coastal["outlets"] == ["Coastal Times", "Coastal Times (Wire copy)"]
    assert {r["outlet"] for r in coastal["articles"]} <= set(coastal["outlets"]) and len(coastal["articles"]) == 2
    dated = client.get("/articles.json", params={"since": "2025-05-01", "until": "2025-05-07"}).json()
    assert dated["articles"] and all("2025-05-01" <= r["published"][:10] <= "2025-05-07" for r in dated["articles"])
    quoted = client.get("/articles.json", params={"speaker": "Marta Kowal"}).json()
    assert quoted["total"] == 2
    disputed = client.get("/articles.json", params={"disputed": "1"}).json()
    assert disputed["articles"] and all(r["disputed"] for r in disputed["articles"])
    assert disputed["total"] < everything["total"] and set(_rows(disputed)) <= set(ids) | set(_rows(disputed))
    bad = client.get("/articles", params={"since": "2025-02-31"})
    assert bad.status_code == 400 and "not a real date" in bad.text
    page = client.get("/articles", params={"outlet": "coastal"})
    assert page.status_code == 200 and "Halden" in page.text


def test_titles_come_from_metadata_else_the_headline_line(client):
    rows = client.get("/articles.json", params={"outlet": "brannock gazette"}).json()["articles"]
    assert [r["title"] for r in rows] == ["Island councillors demand ferry guarantee"]
    page = client.get(f"/article/{rows[0]['id']}")
    assert "<h1>Island councillors demand ferry guarantee</h1>" in page.text and "Untitled" not in page.text


def test_wire_copies_are_one_story_with_their_carriers(client):
    rows = client.get("/articles.json", params={"since": "2025-05-06", "until": "2025-05-06"}).json()["articles"]
    assert len(rows) == 1, rows
    story = rows[0]
    assert set(story["carriers"]) == {"Northern Ledger", "Harbour Post (Wire copy)"} and len(story["copies"]) == 1
    # Both copies stay readable on their own.
    assert client.get(f"/article/{story['copies'][0]}").status_code == 200


def test_outlet_pages(client):
    listing = client.get("/outlets.json").json()["outlets"]
    assert {"Coastal Times", "Northern Ledger"} <= {o["name"] for o in listing}
    # A part of a name that fits one outlet goes to it; one that fits several asks which.
    one = client.get("/outlet/NORTHERN%20LED", follow_redirects=False)
    assert one.status_code == 302 and one.headers["location"].endswith("/outlet/Northern%20Ledger")
    several = client.get("/outlet/coastal")
    assert several.status_code == 200 and "Coastal Times (Wire copy)" in several.text and "pick one" in several.text
    assert client.get("/outlet/no-such-outlet").status_code == 404
    page = client.get("/outlet/Global%20Desk.json").json()
    assert page["articles"] >= 1 and page["speakers"]
    top = page["speakers"][0]
    assert top["statements"] >= max(s["statements"] for s in page["speakers"])
    assert all(c["contested"] for c in page["claims"])
    assert page["chart"]["total"] == page["articles"]
    body = client.get("/outlet/Global%20Desk").text
    assert "Whom it quotes most" in body and 'class="or-axis-label"' in body


def test_every_page_links_its_json_and_csv_and_both_answer(client, store):
    aid = client.get("/articles.json").json()["articles"][0]["id"]
    speaker = client.get("/speakers.json").json()["speakers"][0]["ref"]
    for path in ("/", "/articles", "/outlets", "/outlet/Global%20Desk", f"/article/{aid}",
                 f"/speaker/{quote(speaker, safe='')}", "/speakers", "/claims", "/positions", "/timeline",
                 "/search?q=ferry", "/review"):
        page = client.get(path)
        assert page.status_code == 200, path
        links = dict(re.findall(r'<a class="or-(json|csv)" href="([^"]+)"', page.text))
        assert set(links) == {"json", "csv"}, path
        data = client.get(html.unescape(links["json"]))
        assert data.status_code == 200 and data.headers["content-type"].startswith("application/json"), path
        table = client.get(html.unescape(links["csv"]))
        assert table.status_code == 200 and "text/" in table.headers["content-type"], (path, table.text[:200])
        assert len(list(csv.reader(io.StringIO(table.text)))) >= 2, path


def test_review_page_lists_the_queue_with_fix_commands(client, store):
    from onrecord.corrections import review

    expected = review(store, limit=50)
    page = client.get("/review.json").json()
    assert [i["ref"] for i in page["items"]] == [i.ref for i in expected]
    body = client.get("/review").text
    assert "onrecord fix" in body and "or-fix" not in body  # read-only server: commands, no forms
    assert client.get("/review", params={"reason": "nonsense"}).status_code == 400


def test_evidence_links_carry_a_text_fragment(client):
    body = client.get("/claims").text
    links = re.findall(r'class="or-evidence" href="([^"]+)"', body)
    assert links and all(":~:text=" in html.unescape(h) and "?mark=" in h for h in links)


def test_sides_are_words_not_check_marks(client):
    body = client.get("/claims").text
    css = client.get("/-/onrecord/static/onrecord.css").text
    for glyph in ("✓", "✗"):
        assert glyph not in body and glyph not in css
    assert "asserted" in _text(body) and "disputed" in _text(body)


def test_read_only_by_default(client):
    assert client.post("/-/onrecord/fix", data={"what": "speaker"}).status_code in (403, 404, 405)
    assert "or-fix" not in client.get(client.get("/articles.json").json()["articles"][0]["id"].join(("/article/", ""))).text


# -- the plugin inside Datasette ---------------------------------------------------------------------------

def test_entry_point_is_declared_and_a_plain_datasette_is_left_alone(store):
    import tomllib

    from datasette.app import Datasette

    from onrecord.web.app import ensure_plugin

    data = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert data["project"]["entry-points"]["datasette"]["onrecord"] == "onrecord.web"
    ensure_plugin()  # what the entry point does once onrecord is installed

    async def fetch(ds, path):
        await ds.invoke_startup()
        return await ds.client.get(path)

    plain = Datasette(files=[str(store)])
    home = asyncio.run(fetch(plain, "/"))
    assert home.status_code == 200 and "or-nav" not in home.text  # Datasette's own index, not onrecord's
    assert asyncio.run(fetch(plain, "/articles")).status_code == 404
    # Configured through plugin config alone, a Datasette serves the pages over any database name.
    configured = Datasette(files=[str(store)], metadata={"plugins": {"onrecord": {"database": store.stem}}})
    page = asyncio.run(fetch(configured, "/articles"))
    assert page.status_code == 200 and "or-nav" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_base_url_prefixes_every_link(store):
    with running_server(store, "--base-url", "/news/") as url, httpx.Client(base_url=url, timeout=30) as c:
        home = c.get("/news/")
        assert home.status_code == 200
        hrefs = set(re.findall(r'(?:href|action)="(/[^"]*)"', home.text))
        assert hrefs and all(h.startswith("/news/") for h in hrefs), sorted(h for h in hrefs if not h.startswith("/news/"))
        for href in sorted(hrefs)[:25]:
            assert c.get(html.unescape(href)).status_code == 200, href
        article = c.get("/news/articles.json").json()["articles"][0]["id"]
        page = c.get(f"/news/article/{article}").text
        assert all(h.startswith("/news/") for h in re.findall(r'(?:href|action)="(/[^"]*)"', page))


# -- corrections on the web ---------------------------------------------------------------------------------

@pytest.fixture
def editing(store, tmp_path):
    """A copy of the store served with --allow-edit; yields (base URL, sign-in URL, store path)."""
    db = tmp_path / "edit.db"
    shutil.copy(store, db)
    with editing_server(db) as (base, sign_in):
        yield base, sign_in, db


def test_web_correction_needs_sign_in_and_csrf_and_survives_reprocess_into_csv(editing):
    base, sign_in, db = editing
    with httpx.Client(base_url=base, timeout=60) as anon:
        target = next(q for q in anon.get("/articles.json", params={"speaker": "Marta Kowal"}).json()["articles"])
        page = anon.get(f"/article/{target['id']}").text
        assert "or-fix" not in page  # not signed in: no forms
        refused = anon.post("/-/onrecord/fix", data={"what": "speaker", "ref": f"{target['id']}#0", "name": "X"})
        assert refused.status_code == 403
    with httpx.Client(base_url=base, timeout=60) as editor:
        assert editor.get(sign_in.replace(base, "")).status_code in (200, 302)
        page = editor.get(f"/article/{target['id']}").text
        token = re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)
        form = {"what": "speaker", "ref": f"{target['id']}#0", "name": "Web Corrected Name", "type": "PERSON",
                "back": f"/article/{target['id']}#statement-0"}
        assert editor.post("/-/onrecord/fix", data=form).status_code == 403  # no CSRF token
        done = editor.post("/-/onrecord/fix", data={**form, "csrftoken": token})
        assert done.status_code == 302 and "fixed=" in done.headers["location"]
        shown = editor.get(done.headers["location"].replace(base, ""))
        assert "Web Corrected Name" in shown.text and "or-done" in shown.text
        bad = editor.post("/-/onrecord/fix", data={**form, "ref": "nonsense", "csrftoken": token})
        assert bad.status_code == 302 and "error=" in bad.headers["location"]
    listed = runner.invoke(app, ["fix", "list", "--json", "--db", str(db)])
    assert '"actor": "web:root"' in listed.stdout
    assert runner.invoke(app, ["ingest", "--reprocess", "--db", str(db), "--quiet"]).exit_code == 0
    exported = runner.invoke(app, ["export", "--format", "csv", "--db", str(db), "--quiet"]).stdout
    rows = [r for r in csv.DictReader(io.StringIO(exported)) if r["article_id"] == target["id"] and r["idx"] == "0"]
    assert rows and rows[0]["speaker"] == "Web Corrected Name" and "speaker" in rows[0]["corrected"]


def test_cli_outlet_filter_matches_part_of_the_name_in_any_case(store):
    result = runner.invoke(app, ["quotes", "--outlet", "coastal times", "--json", "--db", str(store)])
    outlets = {line.split('"outlet": ')[1].split('"')[1] for line in result.stdout.splitlines()}
    assert outlets == {"Coastal Times", "Coastal Times (Wire copy)"}


def test_stance_merge_and_undo_from_the_pages(editing):
    base, sign_in, db = editing
    with httpx.Client(base_url=base, timeout=60) as editor:
        editor.get(sign_in.replace(base, ""))
        page = editor.get("/positions").text
        form = re.search(r'name="party" value="([^"]+)">\s*<input type="hidden" name="proposal" value="([^"]+)">', page)
        party, proposal = html.unescape(form.group(1)), html.unescape(form.group(2))
        token = re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)
        done = editor.post("/-/onrecord/fix", data={"what": "stance", "party": party, "proposal": proposal,
                                                   "stance": "mixed", "back": "/positions", "csrftoken": token})
        assert done.status_code == 302 and "fixed=" in done.headers["location"], done.headers["location"]
        assert "or-done" in editor.get(done.headers["location"].replace(base, "")).text
        listed = runner.invoke(app, ["positions", "--db", str(db), "--format", "jsonl", "--quiet"]).stdout
        assert any(f'"party": "{party}"' in line and '"stance": "mixed"' in line for line in listed.splitlines())
        merged = editor.post("/-/onrecord/fix", data={"what": "merge", "names": "Marta Kowal\nJonas Berg",
                                                     "back": "/corrections", "csrftoken": token})
        assert "fixed=" in merged.headers["location"]
        page = editor.get("/corrections").text
        assert "merge: Marta Kowal / Jonas Berg" in html.unescape(page) and "stance of" in page
        rows = editor.get("/corrections.json").json()["corrections"]
        newest = rows[0]
        undone = editor.post("/-/onrecord/fix", data={"what": "undo", "id": str(newest["id"]), "back": "/corrections",
                                                     "csrftoken": token})
        assert "fixed=" in undone.headers["location"]
        after = editor.get("/corrections.json").json()["corrections"][0]
        assert after["id"] == newest["id"] and not after["active"] and after["undone_by"] == "web:root"

"""The record's pages in a real Chromium: nothing wider than the window at 1280 and 390 px, the positions matrix
whole on a desktop screen, labelled chart axes, and a correction made through the page by a signed-in editor."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from test_web_support import ARGS, ARTIFACTS, BROWSER_MARKS, CHROMIUM, editing_server

pytestmark = BROWSER_MARKS
FIXTURES = Path(__file__).parent / "fixtures"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-articles")
    for sub in ("record", "corrections", "claims", "web"):
        for path in (FIXTURES / sub).glob("*.txt"):
            shutil.copy(path, folder / f"{sub}-{path.name}")
    db = tmp_path_factory.mktemp("browser-db") / "news.db"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def server(store):
    with editing_server(store) as (base, sign_in):
        yield base, sign_in


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _paths(base: str) -> list[str]:
    with httpx.Client(base_url=base, timeout=30) as c:
        article = c.get("/articles.json").json()["articles"][0]["id"]
        speaker = c.get("/speakers.json").json()["speakers"][0]["ref"]
    return ["/", "/articles", "/outlets", "/outlet/Global%20Desk", f"/article/{article}",
            f"/speaker/{quote(speaker, safe='')}", "/speakers", "/claims?all=1", "/positions", "/timeline",
            "/search?q=harbour", "/review"]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_window(browser, server, width):
    base, _ = server
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in _paths(base):
            page.goto(base + path)
            assert page.locator("h1").first.is_visible(), path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow} px wider than a {width} px window"
            ARTIFACTS.mkdir(exist_ok=True)
            name = path.strip("/").split("?")[0].replace("/", "-").replace("%", "") or "home"
            page.screenshot(path=str(ARTIFACTS / f"record-{width}-{name[:40]}.png"), full_page=True)
    finally:
        context.close()


def test_positions_matrix_shows_every_column_at_1280(browser, server):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/positions")
        headers = page.locator(".or-matrix th[scope=col]")
        assert headers.count() > 0
        for i in range(headers.count()):
            box = headers.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    finally:
        context.close()


def test_charts_have_labelled_axes(browser, server):
    base, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/timeline")
        labels = page.locator(".or-chart .or-axis-label").all_text_contents()
        assert "statements" in labels and any(u in labels for u in ("day", "month", "year"))
        ticks = page.locator(".or-chart .or-tick").all_text_contents()
        assert "0" in ticks and len(ticks) >= 4
    finally:
        context.close()


def test_an_editor_corrects_a_speaker_on_the_page(browser, server, store):
    base, sign_in = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            article = c.get("/articles.json", params={"outlet": "coastal times (wire"}).json()["articles"][0]["id"]
        page.goto(f"{base}/article/{article}")
        assert page.locator("details.or-fixes").count() == 0  # not signed in: read-only
        page.goto(sign_in)
        page.goto(f"{base}/article/{article}")
        row = page.locator("#statement-1")
        row.locator("details.or-fixes summary").click()
        row.locator("input[name=name]").fill("Marta Kowal")
        row.locator("button", has_text="Set speaker").click()
        page.wait_for_load_state()
        assert page.locator(".or-done").is_visible()
        assert "Marta Kowal" in page.locator("#statement-1").inner_text()
        page.goto(f"{base}/review")
        assert page.locator("h1").inner_text() == "Needs review"
    finally:
        context.close()
    listed = CliRunner().invoke(app, ["fix", "list", "--json", "--db", str(store)]).stdout
    assert "Marta Kowal" in listed and '"actor": "web:root"' in listed

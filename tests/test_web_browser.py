"""The pages in a real headless Chromium (Debian's, driven by Playwright): load, follow links, hover, and make
sure hostile markup in an article stays text.  A screenshot of every page is kept under test-artifacts/.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

import pytest

from test_web_support import ARGS, ARTIFACTS, BROWSER_MARKS, CHROMIUM, build_store, running_server

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor):
    return build_store(tmp_path_factory.mktemp("web-browser") / "news.db", extractor)


@pytest.fixture(scope="module")
def base(store):
    with running_server(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every dialog (alert, confirm, prompt) and script error it meets."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []
    pg.errors = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def _ids(store) -> dict[str, str]:
    with sqlite3.connect(store) as conn:
        return {title: aid for aid, title in conn.execute("SELECT id, title FROM articles")}


def test_every_page_loads_with_visible_content(page, base, store):
    ids = _ids(store)
    harbour = ids["Harbour deal splits the city council"]
    from onrecord.entities import EntityIndex

    with EntityIndex(store) as idx:
        ruiz = idx.get("Ana Ruiz")
    pages = {
        "home": ("/", "The record"),
        "article": (f"/article/{harbour}", "Harbour deal splits the city council"),
        "speaker": (f"/speaker/{quote(ruiz.id, safe='')}", ruiz.name),
        "speakers": ("/speakers", "Speakers"),
        "claims": ("/claims", "Contested claims"),
        "positions": ("/positions", "Positions on proposals"),
        "timeline": ("/timeline", "Timeline"),
        "search": ("/search?q=harbour", "Search"),
        "tables": ("/onrecord", "onrecord"),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("h1").first.inner_text().strip() == heading, path
        shot(page, name)
    assert page.errors == []


def test_links_lead_from_home_to_article_to_speaker(page, base, store):
    page.goto(base + "/")
    first = page.locator("a.or-article-link").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    # Every statement in the text is highlighted; a source links to its speaker's page.
    assert page.locator(".or-text .or-cue").count() > 0
    source = page.locator(".or-text a.or-source").first
    speaker = source.locator(".or-tip").inner_text().split(" · ")[0]
    source.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == speaker
    # The speaker's statements link back into articles, at the statement itself.
    back = page.locator(".or-content-cell a").first
    href = back.get_attribute("href")
    back.click()
    page.wait_for_load_state()
    assert "#s" in href and page.url.endswith(href)
    shot(page, "followed-statement")


def test_hover_shows_the_resolved_speaker(page, base, store):
    from onrecord.entities import EntityIndex

    aid = _ids(store)["Operator promises open books on harbour contract"]
    with EntityIndex(store) as idx:
        speakers = idx.speakers(aid)
    page.goto(f"{base}/article/{aid}")
    runs = page.locator(".or-text .or-source")
    assert runs.count() > 0
    for i in range(runs.count()):
        run = runs.nth(i)
        tip = run.locator(".or-tip")
        assert not tip.is_visible()
        run.hover()
        assert tip.is_visible()
        idx_ = int(run.get_attribute("data-statement"))
        expected = speakers.get((aid, idx_))
        if expected is not None:
            assert tip.inner_text().startswith(expected.name)
    shot(page, "hover")


def test_claims_board_evidence_and_positions_open_on_click(page, base):
    page.goto(base + "/claims")
    card = page.locator("article.or-claim").first
    assert "Northland" in card.inner_text() and "Southland" in card.inner_text()
    evidence = card.locator("a.or-evidence").first
    quoted = evidence.inner_text().strip("“”")
    evidence.click()
    page.wait_for_load_state()
    marked = page.locator(".or-text .or-mark")
    assert marked.count() > 0
    assert "".join(marked.all_inner_texts()).replace("\n", "") .startswith(quoted.split()[0])
    assert marked.first.is_visible()
    shot(page, "evidence")
    page.goto(base + "/positions")
    cell = page.locator("details.or-cell").first
    assert not cell.locator("ul").is_visible()
    cell.locator("summary").click()
    assert cell.locator("ul a.or-evidence").first.is_visible()
    shot(page, "positions-open")


def test_hostile_markup_is_shown_as_text_and_never_runs(page, base, store):
    aid = next(a for t, a in _ids(store).items() if t.startswith("<script>"))
    for path in (f"/article/{aid}", "/", "/search?q=reject&in=quotes", "/timeline", "/speakers"):
        page.goto(base + path)
        page.wait_for_timeout(200)  # time for an onerror or onload handler to fire, were there one
        injected = page.evaluate(
            "() => document.querySelectorAll('main script, main img, main svg:not(.or-chart svg) , main iframe,"
            " main b, main [onerror], main [onload], main [onmouseover], a[href^=\"javascript:\"]').length")
        assert injected == 0, path
    page.goto(f"{base}/article/{aid}")
    text = page.locator(".or-text").inner_text()
    assert "<script>alert('quote')</script>" in text
    assert "<img src=x onerror=alert('img')>" in text
    assert page.locator("h1").inner_text().startswith("<script>alert('title')</script>")
    # Hovering and clicking the hostile text does nothing but show it.
    for run in page.locator(".or-text .or-run").all():
        run.hover()
    page.locator(".or-text").click()
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.errors == []
    shot(page, "hostile")

"""Shared by the web tests: a store built from the fixture articles, and a real server on loopback.

The store holds the texts in tests/fixtures/web (read by the real ingest and
extractor, entities and claims included) plus one article whose claims and
positions are given as the claims feature's own per-article data, so the claims
board and the positions matrix have something to show whatever the detection
rules find; the grouping across articles is still the feature's own.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "web"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

# Browser tests: Debian's Chromium, driven through Playwright; without it they skip and say how to install it.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="no chromium binary: install Debian's with `apt-get install -y chromium chromium-driver` "
                              "(.ci/run does)"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

BORDER_TEXT = (
    "Northland said on Monday that its forces had taken the town of Ashford. "
    "Southland denied that Ashford had fallen and said its troops still held the town.\n\n"
    "Northland backed the ceasefire plan, while Southland rejected the ceasefire plan."
)


def _span(text: str, piece: str) -> list[int]:
    start = text.index(piece)
    return [start, start + len(piece)]


def border_article():
    """An article whose claims data is written out by hand in the claims feature's own format."""
    from onrecord.analysis import ArticleMeta, ProcessedArticle, content_id
    from onrecord.claims.records import ArticleClaims, ClaimMention, PositionMention, ProposalMention
    from onrecord.records import Attribution, AttributionKind, Span, Speaker

    t = BORDER_TEXT

    def sp(piece: str) -> Span:
        return Span(*_span(t, piece))

    atts = (
        Attribution(cue=(sp("said on Monday"),), content=(sp("its forces had taken the town of Ashford"),),
                    source=(sp("Northland"),), kind=AttributionKind.INDIRECT,
                    speaker=Speaker("Northland", "Northland", "GPE"), cue_text="said",
                    content_text="its forces had taken the town of Ashford", source_text="Northland"),
        Attribution(cue=(sp("denied"),), content=(sp("Ashford had fallen"),), source=(sp("Southland"),),
                    kind=AttributionKind.INDIRECT, speaker=Speaker("Southland", "Southland", "GPE"),
                    cue_text="denied", content_text="Ashford had fallen", source_text="Southland"),
    )
    claim_text_a = "Northland said on Monday that its forces had taken the town of Ashford."
    claim_text_b = "Southland denied that Ashford had fallen"
    claims = ArticleClaims(
        mentions=(
            ClaimMention("control", "Ashford", "Northland", 1, sp(claim_text_a), claim_text_a, cue="said",
                         holder="Northland", change=True, said_on="2024-06-03"),
            ClaimMention("control", "Ashford", "Southland", -1, sp(claim_text_b), claim_text_b, cue="denied",
                         holder="Northland", said_on="2024-06-04", answers=0),
        ),
        positions=(
            PositionMention("Northland", "ceasefire plan", "ceasefire plan", "support",
                            sp("Northland backed the ceasefire plan"), "Northland backed the ceasefire plan",
                            "backed", "2024-06-04"),
            PositionMention("Southland", "ceasefire plan", "ceasefire plan", "reject",
                            sp("Southland rejected the ceasefire plan"), "Southland rejected the ceasefire plan",
                            "rejected", "2024-06-04"),
        ),
        proposals=(ProposalMention("ceasefire plan", "ceasefire plan",
                                   (sp("ceasefire plan"),), None, "plan"),),
    )
    data = {**claims.to_dict(), "version": 1, "published": "2024-06-04", "outlet": "Border Wire"}
    meta = ArticleMeta(origin="test:border", title="Both sides claim Ashford", outlet="Border Wire",
                       published="2024-06-04")
    return ProcessedArticle(content_id(t), t, meta, atts, "test-written", {"claims": data})


def build_store(db: Path, extractor) -> Path:
    """The fixture articles through the real ingest, then the hand-written claims article."""
    from onrecord.ingest import ingest
    from onrecord.store import Writer

    report = ingest([FIXTURES], db=db, extractor=extractor)
    assert report.failed == 0, [(f.origin, f.message) for f in report.failures]
    with Writer(db) as writer:
        writer.write(border_article())
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {timeout} s")


@contextmanager
def running_server(db: Path, *extra: str):
    """``onrecord serve`` in its own process on a free loopback port; yields the base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "onrecord", "serve", "--db", str(db), "--port", str(port),
                             "--quiet", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def editing_server(db: Path, *extra: str):
    """``onrecord serve --allow-edit`` on a free loopback port; yields (base URL, the one-time sign-in URL)."""
    import re

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "onrecord", "serve", "--db", str(db), "--port", str(port),
                             "--allow-edit", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        line = proc.stderr.readline()
        found = re.search(r"(http://\S+/-/auth-token\?token=[0-9a-f]+)", line)
        assert found, f"no sign-in link in {line!r}"
        wait_until_up(base + "/", proc)
        yield base, found.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

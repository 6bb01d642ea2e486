"""The web package's pure parts: cutting text into highlighted runs, the chart, URL helpers, the cache."""

from __future__ import annotations

import pytest

from onrecord.errors import ConfigError
from onrecord.records import Span
from onrecord.web.chart import build_chart
from onrecord.web.highlight import Piece, pieces_of, runs
from onrecord.web.plugin import article_url, safe_href, speaker_url
from onrecord.web.queries import parse_mark
from onrecord.web.state import Cache

TEXT = "“We are ready,” Ana Ruiz said, adding that talks “went well” on Monday."


def _span(piece: str) -> Span:
    start = TEXT.index(piece)
    return Span(start, start + len(piece))


def test_runs_cover_the_text_exactly_once_and_keep_every_role():
    outer = (0, [_span("Ana Ruiz")], [_span("said")], [_span("We are ready")])
    inner = (1, [_span("Ana Ruiz")], [_span("adding")], [_span("that talks “went well”")])
    quoted = (2, [], [_span("“went well”")], [_span("went well")])
    out = runs(TEXT, pieces_of([outer, inner, quoted]))
    assert "".join(r.text for r in out) == TEXT
    assert all(a.end == b.start for a, b in zip(out, out[1:]))
    by_text = {r.text: r for r in out}
    assert by_text["Ana Ruiz"].roles == ("source",)
    assert by_text["said"].roles == ("cue",) and by_text["said"].statement == 0
    # Inside statement 1's content, statement 2's quote is the innermost statement.
    assert by_text["went well"].statement == 2 and set(by_text["went well"].roles) == {"cue", "content"}
    anchors = [a for r in out for a in r.anchors]
    assert sorted(anchors) == ["s0", "s1", "s2"]


def test_runs_clip_spans_beyond_the_text_and_mark_evidence():
    text = "short text"
    out = runs(text, [Piece(0, "content", Span(6, 400))], mark=Span(0, 5))
    assert "".join(r.text for r in out) == text
    assert out[0].roles == ("mark",) and "mark" in out[0].anchors
    assert out[-1].text == "text" and out[-1].roles == ("content",)
    assert runs("", [Piece(0, "cue", Span(0, 3))]) == ()


def test_runs_agree_with_a_character_by_character_reading_of_random_overlapping_spans():
    """Each character's roles and innermost statement, worked out from its covering pieces alone, are what the
    run over it says: the smallest statement by total extent, then source before cue before content, then the
    piece that starts first (and came first). Spans nest, overlap, repeat, run past the text and are empty."""
    import random

    rng = random.Random(16)
    for _ in range(3000):
        n = rng.randint(0, 40)
        text = "".join(rng.choice("ab ") for _ in range(n))
        pieces = [Piece(st, role, Span(a, a + rng.randint(0, 15)))
                  for st in range(rng.randint(0, 5)) for role in ("source", "cue", "content")
                  for a in [rng.randint(0, n + 4) for _ in range(rng.randint(0, 2))]]
        rng.shuffle(pieces)
        mark = None if rng.random() < 0.5 else Span(*sorted((rng.randint(0, n + 2), rng.randint(0, n + 2))))
        out = runs(text, pieces, mark)
        assert "".join(r.text for r in out) == text
        inside = [(p, Span(min(p.span.start, n), min(p.span.end, n))) for p in pieces]
        inside = [(p, s) for p, s in inside if s.end > s.start]
        extent: dict[int, int] = {}
        for p, s in inside:
            extent[p.statement] = extent.get(p.statement, 0) + s.end - s.start
        order = sorted(range(len(inside)), key=lambda k: inside[k][1].start)
        rank = {k: (extent[inside[k][0].statement], ("source", "cue", "content").index(inside[k][0].role), pos)
                for pos, k in enumerate(order)}
        for run in out:
            for at in range(run.start, run.end):
                over = [k for k, (p, s) in enumerate(inside) if s.start <= at < s.end]
                roles = tuple(r for r in ("source", "cue", "content") if any(inside[k][0].role == r for k in over))
                if mark is not None and mark.start <= at < min(mark.end, n):
                    roles += ("mark",)
                assert run.roles == roles
                best = min(over, key=rank.get) if over else None
                assert run.statement == (inside[best][0].statement if over else None)
                assert run.role == (inside[best][0].role if over else None)


def test_chart_picks_its_period_and_keeps_empty_ones():
    days = build_chart({"2024-03-01": 2, "2024-03-03": 1})
    assert days.unit == "day" and [b.count for b in days.bars] == [2, 0, 1]
    months = build_chart({"2024-01-15": 1, "2024-05-02": 4}, undated=3)
    assert months.unit == "month" and len(months.bars) == 5 and months.peak == 4
    assert months.undated == 3 and months.total == 8
    assert months.bars[0].since == "2024-01-01" and months.bars[1].until == "2024-02-29"
    tallest = max(months.bars, key=lambda b: b.height)
    assert tallest.label == "2024-05" and tallest.y + tallest.height == months.height
    years = build_chart({"2001-06-01": 1, "2024-01-01": 1, "garbage": 5})
    assert years.unit == "year" and years.undated == 5
    assert build_chart({}).bars == ()


def test_urls_escape_what_they_carry_and_only_web_addresses_become_links():
    assert speaker_url("person:a/b c") == "/speaker/person%3Aa%2Fb%20c"
    assert article_url("abc", mark=Span(3, 9)) == "/article/abc?mark=3-9#mark"
    assert article_url("abc", 4) == "/article/abc#s4"
    assert safe_href("https://example.org/x") == "https://example.org/x"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,hi", "//evil.example", "", None):
        assert safe_href(bad) is None


def test_links_under_a_base_url_are_prefixed_exactly_once():
    """A link made by Links and given back to it (the speaker page's pager pages its own URL) keeps one prefix."""
    from datasette.app import Datasette

    from onrecord.web.plugin import Links

    links = Links(Datasette(files=[], settings={"base_url": "/news/"}).urls)
    speaker = links.speaker("person:ana ruiz")
    assert speaker == "/news/speaker/person%3Aana%20ruiz"
    assert links.page(speaker, page=2) == "/news/speaker/person%3Aana%20ruiz?page=2"
    assert links.path(links.path("/claims")) == "/news/claims"
    assert links.page(links.page("/claims", kind="control")) == "/news/claims?kind=control"
    assert links.article("a1b2", 3) == "/news/article/a1b2#s3"
    assert links.outlet("Arab News") == "/news/outlet/Arab%20News"
    assert links.table_csv("claims", kind="control") == "/news/onrecord/claims.csv?kind=control&_size=max"
    assert Links().page(Links().speaker("x"), page=2) == "/speaker/x?page=2"


def test_mark_parsing():
    assert parse_mark("12-40") == Span(12, 40)
    assert parse_mark(None) is None
    for bad in ("12", "a-b", "40-12", "-3-4"):
        with pytest.raises(ConfigError, match="START-END"):
            parse_mark(bad)


def test_cache_serves_only_the_generation_it_was_computed_in():
    cache, calls = Cache(size=2), []

    def compute(value):
        calls.append(value)
        return value

    assert cache.get("a", 1, lambda: compute("a1")) == "a1"
    assert cache.get("a", 1, lambda: compute("again")) == "a1"
    assert cache.get("a", 2, lambda: compute("a2")) == "a2"  # the store moved on: recomputed
    cache.get("b", 2, lambda: compute("b"))
    cache.get("c", 2, lambda: compute("c"))  # evicts the least recently used, "a"
    assert cache.get("a", 2, lambda: compute("a3")) == "a3"
    assert calls == ["a1", "a2", "b", "c", "a3"]


def test_worker_sockets_send_small_writes_at_once():
    """Without TCP_NODELAY on accepted connections a page waits 40 ms on the client's delayed ACK."""
    import asyncio
    import socket

    from onrecord.web.app import _listen

    async def main() -> int:
        sock = _listen("127.0.0.1", 0)
        port = sock.getsockname()[1]
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                conn = transport.get_extra_info("socket")
                seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return value

    assert asyncio.run(main()) != 0


def test_workers_sharing_a_socket_ask_about_one_client_in_fifty_to_reconnect():
    """So keep-alive connections that all landed on one worker spread over the others as clients reconnect."""
    import asyncio

    from onrecord.web.app import RECONNECT_EVERY, spread_connections

    async def page(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"ok"})

    app = spread_connections(page)

    async def main() -> list[list]:
        seen = []
        for _ in range(5000):
            sent = []

            async def send(message):
                sent.append(message)

            await app({"type": "http", "method": "GET", "path": "/"}, None, send)
            assert sent[1]["body"] == b"ok"
            seen.append(sent[0]["headers"])
        return seen

    seen = asyncio.run(main())
    closing = sum((b"connection", b"close") in h for h in seen)
    assert 5000 / RECONNECT_EVERY / 2 < closing < 5000 / RECONNECT_EVERY * 2
    assert all((b"content-type", b"text/html") in h for h in seen)


def test_workers_that_cannot_start_stop_the_server_with_a_hint(tmp_path, monkeypatch, capfd):
    """uvicorn's own worker processes build the app from the environment; a store gone after the parent's checks
    makes each worker exit with uvicorn's start-up failure status and one line, and uvicorn's supervisor then
    stops the server instead of restarting workers forever."""
    from onrecord.errors import ConfigError
    from onrecord.web import app as web_app

    vanished = tmp_path / "vanished.db"
    monkeypatch.setattr(web_app, "check_serve", lambda db, **kw: vanished)  # the parent's checks passed earlier
    monkeypatch.setenv(web_app.ENV, "")
    with pytest.raises(ConfigError, match="--workers 1"):
        web_app.serve(vanished, port=0, workers=2, quiet=True)
    err = capfd.readouterr().err
    assert "onrecord serve worker:" in err and "vanished.db" in err
    assert "Traceback" not in err


def test_a_worker_without_its_options_exits_as_a_start_up_failure(monkeypatch, capsys):
    from uvicorn.config import STARTUP_FAILURE

    from onrecord.web import app as web_app

    monkeypatch.delenv(web_app.ENV, raising=False)
    with pytest.raises(SystemExit) as stopped:
        web_app.app_from_env()
    assert stopped.value.code == STARTUP_FAILURE
    assert web_app.ENV in capsys.readouterr().err
"""Issue 15: a bounded-time fuzz of every reader (random and adversarial bytes, JSONL, HTML, feeds, WARC).

Each generated input is written to a file of its kind and read by the real
readers (:class:`onrecord.ingest.Sources`).  For every input: no exception
escapes, every item is an article or a Failure, every failure is one line; at
the end the process's peak RSS is within a stated bound, and a sample of the
inputs goes through the real ``onrecord ingest`` command, whose exit status
must be the documented 0 (all used) or 1 (some failed), never a traceback.

``ONRECORD_FUZZ_EXAMPLES`` (default 120 per reader) sets the effort; the
number of inputs tried is printed (``pytest -s``).
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import time
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from onrecord.ingest import Failure, IngestOptions, RawArticle, Sources  # noqa: E402

EXAMPLES = int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "120"))
#: Peak RSS the readers may add over the whole fuzz run (the limits keep any one input far below this).
RSS_BOUND_MB = 600
#: Small limits, so that "too large" paths are exercised as well as normal ones.
OPTIONS = IngestOptions(max_bytes=20_000, max_page_bytes=60_000, timeout=2, any_language=True)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
TRIED: dict[str, int] = {}
SAMPLES: list[Path] = []

WORDS = st.sampled_from(["the", "minister", "said", "\u201c", "\u201d", "[bold]", "[/x]", "\x1b[2J", "<script>",
                         "&amp;", "\u202e", "\x00", "harbour", "ceasefire", "=HYPERLINK(", "ok", "\n\n", "\ufeff"])
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join))
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                           max_leaves=20)


def _read(path: Path, kind: str) -> None:
    TRIED[kind] = TRIED.get(kind, 0) + 1
    if len(SAMPLES) < 40 and TRIED[kind] % 10 == 1:
        SAMPLES.append(path)
    with Sources(OPTIONS) as sources:
        items = list(sources.items([str(path)]))
    for item in items:
        assert isinstance(item, (RawArticle, Failure)), item
        if isinstance(item, Failure):
            assert item.message and "\n" not in item.message, item.message
            assert "Traceback" not in item.message
            assert len(item.message) < 2000


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _file(folder: Path, suffix: str, data: bytes) -> Path:
    n = sum(TRIED.values())
    path = folder / f"f{n:05d}{suffix}"
    path.write_bytes(data)
    return path


@SETTINGS
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(["", ".txt", ".html", ".jsonl", ".xml", ".warc",
                                                             ".warc.gz", ".urls"]))
def test_random_bytes_under_any_name(folder, data, suffix):
    _read(_file(folder, suffix, data), "bytes")


@SETTINGS
@given(lines=st.lists(st.one_of(
    JSON_VALUES.map(lambda v: json.dumps(v)),
    st.dictionaries(st.sampled_from(["text", "html", "url", "title", "published", "outlet", "author", "language"]),
                    JSON_VALUES, max_size=6).map(json.dumps),
    st.builds(lambda t, u: json.dumps({"text": t, "url": u}), TEXT, st.text(max_size=40).map(lambda s: "http://" + s)),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
), max_size=12))
def test_jsonl(folder, lines):
    _read(_file(folder, ".jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")), "jsonl")


TAGS = st.sampled_from(["p", "div", "script", "style", "article", "b", "i", "a", "title", "meta", "iframe", "svg",
                        "table", "td", "br", "h1", "!--", "![CDATA["])


@SETTINGS
@given(parts=st.lists(st.one_of(TEXT, TAGS.map(lambda t: f"<{t}>"), TAGS.map(lambda t: f"</{t}>"),
                                st.integers(1, 500).map(lambda n: "<b>" * n)), max_size=60))
def test_html(folder, parts):
    _read(_file(folder, ".html", ("<html><body>" + "".join(parts)).encode("utf-8", "surrogatepass")), "html")


@SETTINGS
@given(entries=st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT), max_size=6), atom=st.booleans(), cut=st.integers(0, 400))
def test_feeds(folder, entries, atom, cut):
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;")

    if atom:
        body = "".join(f"<entry><title>{esc(t)}</title><link href=\"{esc(l)}\"/><updated>{esc(d)}</updated>"
                       f"<content type=\"html\">{esc(c)}</content></entry>" for t, l, d, c in entries)
        doc = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>{body}</feed>'
    else:
        body = "".join(f"<item><title>{esc(t)}</title><link>{esc(l)}</link><pubDate>{esc(d)}</pubDate>"
                       f"<description>{esc(c)}</description></item>" for t, l, d, c in entries)
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'
    data = doc.encode("utf-8", "surrogatepass")
    _read(_file(folder, ".xml", data[: len(data) - cut] if cut else data), "feed")


RECORD_TYPES = st.sampled_from(["response", "resource", "request", "metadata", "warcinfo", "bogus", ""])
CTYPES = st.sampled_from(["text/html", "text/plain", "application/http; msgtype=response", "image/png", ""])


@st.composite
def warc_records(draw):
    body = draw(st.one_of(TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=800)))
    rtype, ctype = draw(RECORD_TYPES), draw(CTYPES)
    if ctype.startswith("application/http"):
        status = draw(st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "garbage"]))
        inner = draw(st.sampled_from(["text/html", "text/plain", "application/pdf"]))
        body = f"HTTP/1.1 {status}\r\nContent-Type: {inner}\r\n\r\n".encode() + body
    length = len(body) + draw(st.sampled_from([0, 0, 0, -5, 7, 10_000]))
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Target-URI: http://fuzz.example/{draw(st.integers(0, 99))}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {max(length, 0)}\r\n\r\n").encode()
    return head + body + b"\r\n\r\n"


@SETTINGS
@given(records=st.lists(warc_records(), min_size=1, max_size=5), gz=st.booleans(), cut=st.integers(0, 300))
def test_warc(folder, records, gz, cut):
    data = b"".join(gzip.compress(r) for r in records) if gz else b"".join(records)
    _read(_file(folder, ".warc.gz" if gz else ".warc", data[: len(data) - cut] if cut else data), "warc")


def test_zz_peak_rss_and_the_command_on_a_sample(folder):
    """Runs after the fuzz tests above (pytest keeps file order): the bound, and the real command's statuses."""
    from typer.testing import CliRunner

    from onrecord.cli import app

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(TRIED.values())
    print(f"\nfuzz: {total} inputs tried ({TRIED}); peak RSS of the test process {peak:.0f} MB")
    if total == 0:
        pytest.skip("the fuzz tests did not run")
    assert peak < RSS_BOUND_MB + 1200  # the test process itself (spaCy, trafilatura) is about 1 GB at most
    sample = folder / "sample"
    sample.mkdir(exist_ok=True)
    for path in SAMPLES[:12]:
        (sample / path.name).write_bytes(path.read_bytes()[:3000])
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", str(sample), "--db", str(folder / "s.db"), "--any-language",
                                      "--max-bytes", "20000", "--quiet"])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    print(f"fuzz: `onrecord ingest` on {len(SAMPLES[:12])} sampled inputs: exit {result.exit_code} "
          f"in {time.monotonic() - started:.1f} s")

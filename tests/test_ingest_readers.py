"""Readers: every input format gives articles with metadata, or one clear failure per bad item."""

from __future__ import annotations

import gzip
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onrecord.ingest import Failure, IngestOptions, RawArticle, Sources, sniff
from onrecord.ingest.text import split_header

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OPTIONS = IngestOptions()


def read(inputs, options=OPTIONS, stdin=None):
    with Sources(options, stdin=stdin) as sources:
        return list(sources.items([str(i) for i in inputs]))


def articles(items):
    return [i for i in items if isinstance(i, RawArticle)]


def failures(items):
    return [i for i in items if isinstance(i, Failure)]


def one(items) -> RawArticle:
    assert len(items) == 1 and isinstance(items[0], RawArticle), items
    return items[0]


# -- plain text -------------------------------------------------------------------------------------------

def test_a_text_header_becomes_metadata_and_the_text_starts_after_it():
    a = one(read([FIXTURES / "text" / "flood-barrier.txt"]))
    assert a.text.startswith("The Riverside council voted on Monday")
    assert (a.meta.title, a.meta.outlet, a.meta.author, a.meta.published) == (
        "Riverside council approves flood barrier", "Riverside Courier", "Nadia Brandt", "2024-04-02")
    assert a.meta.url == "https://riverside-courier.example/news/flood-barrier"
    assert a.meta.name == "flood-barrier"


def test_a_sidecar_json_gives_metadata_to_a_plain_text():
    a = one(read([FIXTURES / "text" / "orchard.txt"]))
    assert (a.meta.title, a.meta.outlet, a.meta.published) == ("Frost hits valley orchards", "Valley Farmer", "2024-04-10")
    assert a.text.startswith("Apple growers")


@pytest.mark.parametrize("text", [
    "Washington: The president said on Monday that talks would go on.\n\nMore text.",
    "Title: only a header line without the blank line after it",
    "Title: x\nNot a header line\n\nBody",
])
def test_text_that_merely_looks_like_a_header_is_left_whole(text):
    assert split_header(text) == ({}, text)


def test_bad_text_files_each_get_a_clear_line(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners said prices would rise.".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n\n ")
    (tmp_path / "header-only.txt").write_text("Title: Nothing follows\n\n")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(50_000_000)  # a 50 MB file, refused before a byte is read
    got = {Path(f.origin).name: f.message for f in failures(read([tmp_path]))}
    assert "binary" in got["binary.txt"]
    assert "not valid UTF-8" in got["latin1.txt"] and "iconv" in got["latin1.txt"]
    assert "empty" in got["empty.txt"]
    assert "no article text" in got["header-only.txt"]
    assert "50.0 MB is larger than the 1.0 MB limit" in got["huge.txt"] and "--max-bytes" in got["huge.txt"]


# -- HTML -------------------------------------------------------------------------------------------------

def test_an_html_page_gives_its_main_text_and_metadata_without_scripts_or_navigation():
    a = one(read([FIXTURES / "html" / "museum.html"]))
    assert "These panels were never ours to keep" in a.text
    assert "According to the museum" in a.text
    for junk in ("Injected paragraph", "document.cookie", "font-family", "Copyright", "Sport"):
        assert junk not in a.text
    assert (a.meta.title, a.meta.author, a.meta.outlet) == ("Museum returns carved panels", "Luis Ferreira",
                                                            "The Harbour Gazette")
    assert a.meta.published.startswith("2024-03-18")


def test_broken_markup_still_yields_the_story_and_a_page_without_one_fails():
    a = one(read([FIXTURES / "html" / "broken.html"]))
    assert "Our crews worked through the night" in a.text and "Unclosed markup" not in a.text.split("\n")[0]
    (f,) = read([FIXTURES / "html" / "front-page.html"])
    assert isinstance(f, Failure) and "no article text" in f.message


def test_binary_bytes_named_html_are_refused(tmp_path):
    (tmp_path / "x.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)
    (f,) = read([tmp_path / "x.html"])
    assert "binary" in f.message


# -- JSONL ------------------------------------------------------------------------------------------------

def test_jsonl_reads_good_lines_and_names_the_bad_ones():
    items = read([FIXTURES / "jsonl" / "articles.jsonl"])
    good = {a.meta.url: a for a in articles(items)}
    dock = good["https://port-news.example/dock-vote"]
    assert (dock.meta.title, dock.meta.outlet, dock.meta.published) == (
        "Dock workers accept contract", "Port News", "2024-02-29")
    assert "what our grandmother baked" in good["https://town-crier.example/bakery"].text  # an "html" line
    assert good["https://town-crier.example/bakery"].meta.title == "Bakery wins award"
    bad = {f.origin.rsplit(":", 1)[1]: f.message for f in failures(items)}
    assert set(bad) == {"2", "3", "4"}
    assert "not valid JSON" in bad["2"] and "'text'" in bad["3"] and "JSON list" in bad["4"]


# -- feeds ------------------------------------------------------------------------------------------------

def test_an_rss_feed_uses_full_content_and_drops_scripts():
    items = read([FIXTURES / "feeds" / "rss-full.xml"])
    strike, alarm = articles(items)
    assert "Nobody wanted to see empty platforms" in strike.text  # content:encoded, not the teaser
    assert (strike.meta.outlet, strike.meta.author, strike.meta.published) == (
        "Northern Wire", "Sam Oduya", "2024-03-05T07:15:00+00:00")
    assert strike.meta.url == strike.meta.origin == "https://northern-wire.example/rail-strike-deal"
    assert "stolen" not in alarm.text and "alert" not in alarm.text
    assert "Residents do not need to do anything" in alarm.text


def test_an_atom_summary_is_used_when_there_is_no_content():
    a = one(read([FIXTURES / "feeds" / "atom-summary.xml"]))
    assert a.text.startswith("The town library will open")
    assert (a.meta.outlet, a.meta.author, a.meta.title) == ("Coastal Times", "Ola Nwosu", "Library extends opening hours")


def test_a_malformed_feed_is_one_failure():
    (f,) = read([FIXTURES / "feeds" / "malformed.xml"])
    assert "not an RSS/Atom feed" in f.message


# -- WARC -------------------------------------------------------------------------------------------------

def write_warc(path: Path, *, gzip_records=True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (FIXTURES / "html" / "museum.html").read_bytes()
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip_records)

        def response(url, status, ctype, body):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))

        writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
        writer.write_record(writer.create_warc_record("https://news.example/panels", "request",
                                                      payload=io.BytesIO(b"GET /panels HTTP/1.1\r\n\r\n")))
        response("https://news.example/panels", "200 OK", "text/html; charset=utf-8", page)
        response("https://news.example/gone", "404 Not Found", "text/html", b"<html><body>Not found</body></html>")
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        note = b"Officials said the ferry would run again on Monday after a week of storms."
        writer.write_record(writer.create_warc_record("https://news.example/note.txt", "resource",
                                                      payload=io.BytesIO(note), warc_content_type="text/plain"))


def test_a_warc_gives_one_article_per_successful_page_or_text(tmp_path):
    for gz in (True, False):
        path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
        write_warc(path, gzip_records=gz)
        items = read([path])
        assert failures(items) == []
        panels, note = articles(items)
        assert panels.meta.url == "https://news.example/panels" and "never ours to keep" in panels.text
        assert panels.meta.title == "Museum returns carved panels"
        assert note.meta.url == "https://news.example/note.txt" and note.text.startswith("Officials said")


def test_a_truncated_warc_keeps_the_records_before_the_damage(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.8)])
    items = read([cut])
    assert [a.meta.url for a in articles(items)] == ["https://news.example/panels"]
    (f,) = failures(items)
    assert f.origin == str(cut) and "not a readable WARC" in f.message and "before it were read" in f.message
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a warc file\n" * 10)
    (f,) = read([junk])
    assert "not a WARC file" in f.message


# -- folders, stdin, sniffing --------------------------------------------------------------------------

def test_folders_are_read_recursively_skipping_hidden_files_sidecars_and_unknown_kinds(tmp_path):
    story = "The mayor said on Tuesday that the market would reopen in spring. Traders welcomed the news."
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text(story)
    (tmp_path / "a" / "deep.meta.json").write_text('{"title": "x"}')
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "secret.txt").write_text(story + " hidden")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 10)
    (tmp_path / "notes.md").write_text("# not an input")
    items = read([tmp_path])
    assert [i.meta.origin for i in items] == [str(tmp_path / "a" / "b" / "deep.txt")]


def test_missing_inputs_are_reported_and_the_rest_is_read(tmp_path):
    items = read([tmp_path / "nope.txt", FIXTURES / "text" / "orchard.txt"])
    assert "no such file" in items[0].message and isinstance(items[1], RawArticle)


@pytest.mark.parametrize("name, kind", [
    ("html/museum.html", "html"), ("feeds/rss-full.xml", "feed"), ("feeds/atom-summary.xml", "feed"),
    ("jsonl/articles.jsonl", "jsonl"), ("text/orchard.txt", "text"),
])
def test_stdin_is_read_as_whatever_its_bytes_are(name, kind):
    data = (FIXTURES / name).read_bytes()
    assert sniff(data[:8192]) == kind
    items = read(["-"], stdin=io.BytesIO(data))
    assert articles(items), items


def test_sniffing_recognises_warc_url_lists_and_text():
    assert sniff(b"WARC/1.0\r\nWARC-Type: warcinfo") == "warc"
    assert sniff(gzip.compress(b"WARC/1.0")) == "warc"
    assert sniff(b"# my list\nhttps://a.example/1\n\nhttp://b.example/2\n") == "urls"
    assert sniff(b"https://a.example/1 is where the mayor said it") == "text"
    assert sniff(b"\xef\xbb\xbf  <?xml version='1.0'?><rss>") == "feed"


# -- the web ---------------------------------------------------------------------------------------------

PAGES = {
    "/story": ("text/html; charset=utf-8", (FIXTURES / "html" / "museum.html").read_bytes()),
    "/feed": ("application/rss+xml", (FIXTURES / "feeds" / "rss-full.xml").read_bytes()),
    "/atom": ("application/atom+xml", (FIXTURES / "feeds" / "atom-summary.xml").read_bytes()),
    "/plain": ("text/plain", b"The harbour master said the port would reopen on Friday after repairs."),
    "/image": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    "/huge": ("text/html", b"<html><body>" + b"<p>word </p>" * 20_000 + b"</body></html>"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        try:
            path = self.path.split("?")[0]
            if path == "/slow":
                time.sleep(1.5)
            if path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/story")
                self.end_headers()
                return
            if path == "/library-hours":  # the Atom entry's link, rewritten onto this server
                path = "/story"
            if path not in PAGES:
                self.send_error(404, "Not Found")
                return
            ctype, body = PAGES[path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            if path != "/huge":  # no length: the client must count bytes itself
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_are_fetched_and_read_by_content_type(server):
    items = read([f"{server}/story", f"{server}/feed", f"{server}/plain", f"{server}/redirect"])
    got = articles(items)
    assert failures(items) == []
    assert [a.meta.title for a in got[:3]] == ["Museum returns carved panels", "Rail strike called off after late-night deal",
                                               "Council tests new alarm"]
    assert got[3].meta.url == f"{server}/plain" and got[3].text.startswith("The harbour master")
    assert got[4].meta.url == f"{server}/story"  # the address after the redirect


def test_web_failures_are_clear_and_do_not_stop_the_list(server, tmp_path):
    options = IngestOptions(timeout=0.5, max_page_bytes=100_000, fetch_workers=2)
    urls = tmp_path / "list.txt"
    urls.write_text("\n".join([
        "# today's reading", f"{server}/missing", f"{server}/slow", f"{server}/huge", f"{server}/image",
        "ftp://files.example/x", f"{server}/story", "",
    ]))
    started = time.perf_counter()
    items = read([urls], options)
    assert time.perf_counter() - started < 5
    assert [a.meta.url for a in articles(items)] == [f"{server}/story"]
    why = {f.origin.replace(server, ""): f.message for f in failures(items)}
    assert "HTTP 404" in why["/missing"]
    assert "timed out after 0.5 s" in why["/slow"]
    assert "larger than the 0.1 MB page limit" in why["/huge"]
    assert "image/png" in why["/image"]
    assert "not an http(s) URL" in why[f"{urls}:6"]


def test_nothing_listening_is_a_clear_failure():
    (f,) = read(["http://127.0.0.1:9/never"], IngestOptions(timeout=1))
    assert "cannot be fetched" in f.message or "timed out" in f.message


def test_follow_links_fetches_pages_for_summary_only_entries(server, tmp_path):
    atom = (FIXTURES / "feeds" / "atom-summary.xml").read_text().replace("https://coastal-times.example", server)
    (tmp_path / "feed.atom").write_text(atom)
    plain = one(read([tmp_path / "feed.atom"]))
    followed = one(read([tmp_path / "feed.atom"], IngestOptions(follow_links=True)))
    assert plain.text.startswith("The town library")
    assert "never ours to keep" in followed.text
    # The feed's metadata wins over the page's where the feed has it.
    assert (followed.meta.title, followed.meta.outlet) == ("Library extends opening hours", "Coastal Times")

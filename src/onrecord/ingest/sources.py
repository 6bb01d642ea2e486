"""From what the user names (files, folders, URLs, a file of URLs, ``-``) to a stream of items.

The kind of a file comes from its name where the name is clear, otherwise
from its first bytes, so ``curl … | onrecord ingest -`` works for HTML, feeds,
JSONL, WARC and plain text alike.  A ``.txt`` file whose lines are all URLs is
a URL list.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..errors import InputError
from .feeds import page_item, read_feed
from .fetch import Fetcher, bounded_map
from .html import html_article
from .items import MAX_URL_LINE, Failure, IngestOptions, Item, RawArticle, bounded_lines, quoted
from .jsonl import read_jsonl
from .text import read_text_file, text_article
from .warc import read_warc

KINDS = ("text", "html", "jsonl", "feed", "warc", "urls")
SUFFIXES = {
    ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc", ".urls": "urls",
}
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_ANY_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def kind_by_name(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIXES[suffix]
    return None


def sniff(head: bytes) -> str:
    """The kind of a document from its first few kilobytes."""
    if head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b"):
        return "warc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = start[:4096].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<"):
        if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
            return "feed"
        return "html"
    if _is_url_list(head):
        return "urls"
    return "text"


def _is_url_list(head: bytes) -> bool:
    try:
        lines = [ln.strip() for ln in head.decode("utf-8", "ignore").splitlines()]
    except Exception:
        return False
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if lines and len(head) >= 8192:
        lines.pop()  # the last line may be cut off at the sniffing window
    # Any scheme counts here, so an ftp:// line fails on its own instead of turning the list into "text".
    return bool(lines) and all(_ANY_URL.match(ln) for ln in lines)


def iter_files(folder: Path) -> Iterator[Path | Failure]:
    """Files under ``folder``, recursively, sorted; hidden files and metadata sidecars skipped.

    What cannot be read is one Failure each, never skipped in silence and never opened: a FIFO (reading it
    would block), a device or a link to one, a dangling link, a folder that cannot be listed."""
    for path in _walk(folder):
        if isinstance(path, Failure):
            yield path
            continue
        if path.name.endswith(".meta.json"):
            continue
        try:
            st = path.stat()
        except OSError as err:
            if path.is_symlink():
                yield Failure(str(path), "is a link to nothing (its target does not exist)")
            else:
                yield Failure(str(path), f"cannot be read ({err.strerror or err})")
            continue
        if stat.S_ISREG(st.st_mode):
            if kind_by_name(path):
                yield path
        elif not stat.S_ISDIR(st.st_mode):
            what = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or \
                stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file"
            link = " (through a link)" if path.is_symlink() else ""
            yield Failure(str(path), f"is {what}{link}, not a regular file; skipped")


def _walk(folder: Path) -> Iterator[Path | Failure]:
    """Every entry under ``folder`` in sorted order, hidden ones left out; a folder that cannot be listed is a
    Failure. Links to folders are not followed (no loops)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield Failure(str(folder), f"is a folder that cannot be read ({err.strerror or err})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        else:
            yield path


def url_lines(stream: BinaryIO, origin: str) -> Iterator[str | Failure]:
    """The http(s) URLs of a URL list, and one Failure for each line that is not one (too long, other scheme)."""
    for line in bounded_lines(stream, MAX_URL_LINE):
        where = f"{origin}:{line.number}"
        if line.data is None:
            yield Failure(where, f"a {line.length:,}-byte line starting {quoted(line.prefix)} is longer than "
                                 f"{MAX_URL_LINE:,} bytes, too long for a URL; skipped")
            continue
        text = line.data.decode("utf-8", "replace").strip()
        if not text or text.startswith("#"):
            continue
        yield text if is_url(text) else Failure(where, f"{quoted(text)} is not an http(s) URL")


class Sources:
    """Reads every input in turn; owns the HTTP client when something needs fetching."""

    def __init__(self, options: IngestOptions, *, stdin: BinaryIO | None = None,
                 fetcher: Fetcher | None = None) -> None:
        self.options = options
        self._stdin = stdin
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options)
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> "Sources":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- entry point ---------------------------------------------------------------------------------
    def items(self, inputs: Iterable[str]) -> Iterator[Item]:
        for raw in inputs:
            raw = str(raw)
            if raw == "-":
                yield from self._stdin_items()
            elif is_url(raw):
                yield from self._urls([raw])
            else:
                path = Path(raw)
                if path.is_dir():
                    for child in iter_files(path):
                        if isinstance(child, Failure):
                            yield child
                        else:
                            yield from self._file(child)
                elif path.is_file():
                    yield from self._file(path)
                elif path.exists():
                    yield Failure(raw, "is not a regular file or folder")
                else:
                    yield Failure(raw, "no such file, folder or http(s) URL")

    # -- files ---------------------------------------------------------------------------------------
    def _file(self, path: Path) -> Iterator[Item]:
        origin = str(path)
        try:
            kind = kind_by_name(path)
            if kind in (None, "text"):
                with open(path, "rb") as handle:
                    head = handle.read(8192)
                sniffed = sniff(head)
                # A .txt of URLs is a URL list; an unnamed file is whatever its bytes say.
                kind = "urls" if kind == "text" and sniffed == "urls" else (kind or sniffed)
            if kind == "text":
                yield read_text_file(path, self.options)
            elif kind == "html":
                yield html_article(self._read_limited(path), origin=origin, limit=self.options.max_page_bytes)
            elif kind == "feed":
                yield from read_feed(self._read_limited(path), origin=origin, options=self.options,
                                     fetch_page=self._fetch_page)
            elif kind == "jsonl":
                with open(path, "rb") as handle:
                    yield from read_jsonl(handle, origin=origin, options=self.options)
            elif kind == "warc":
                with open(path, "rb") as handle:
                    yield from read_warc(handle, origin=origin, options=self.options)
            elif kind == "urls":
                yield from self._urls(self._url_lines(path))
        except InputError as err:
            yield Failure(origin, str(err).removeprefix(f"{origin}: "))
        except OSError as err:
            yield Failure(origin, f"cannot be read ({err.strerror or err})")

    def _read_limited(self, path: Path) -> bytes:
        size = path.stat().st_size
        if size > self.options.max_page_bytes:
            raise InputError(f"{size / 1e6:.1f} MB is larger than the {self.options.max_page_bytes / 1e6:.1f} MB "
                             "limit for one page or feed; raise it with --max-page-bytes", source=str(path))
        return path.read_bytes()

    def _url_lines(self, path: Path) -> Iterator[str | Failure]:
        with open(path, "rb") as handle:
            yield from url_lines(handle, str(path))

    # -- stdin ---------------------------------------------------------------------------------------
    def _stdin_items(self) -> Iterator[Item]:
        raw = self._stdin if self._stdin is not None else sys.stdin.buffer
        stream = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
        head = stream.peek(8192)[:8192]
        kind = sniff(head)
        try:
            if kind == "jsonl":
                yield from read_jsonl(stream, origin="-", options=self.options)
            elif kind == "warc":
                yield from read_warc(stream, origin="-", options=self.options)
            elif kind == "urls":
                yield from self._urls(url_lines(stream, "-"))
            else:
                data = stream.read(self.options.max_page_bytes + 1)
                if kind == "text":
                    yield text_article(data, origin="-", options=self.options)
                elif kind == "feed":
                    yield from read_feed(data, origin="-", options=self.options, fetch_page=self._fetch_page)
                else:
                    yield html_article(data, origin="-", limit=self.options.max_page_bytes)
        except InputError as err:
            yield Failure("-", str(err).removeprefix("-: ").removeprefix("<stdin>: "))

    # -- the web -------------------------------------------------------------------------------------
    def _fetch_page(self, url: str) -> Item:
        try:
            fetched = self.fetcher.fetch(url)
        except InputError as err:
            return Failure(url, str(err).removeprefix(f"{url}: "))
        return page_item(fetched.data, url=fetched.url, options=self.options)

    def _fetch_items(self, url: str) -> list[Item]:
        """Everything one URL gives: a page, a feed's entries, or a plain text (runs in a fetch thread)."""
        try:
            fetched = self.fetcher.fetch(url)
            ctype, data = fetched.content_type, fetched.data
            kind = sniff(data[:8192])
            if ctype in ("application/rss+xml", "application/atom+xml") or (kind == "feed" and "xml" in ctype):
                return list(read_feed(data, origin=url, options=self.options, fetch_page=self._fetch_page))
            if ctype in ("text/html", "application/xhtml+xml") or (kind == "html" and not ctype.startswith("text/plain")):
                return [html_article(data, origin=url, url=fetched.url, limit=self.options.max_page_bytes)]
            if ctype.startswith("text/plain") or (not ctype and kind == "text"):
                article = text_article(data, origin=url, options=self.options)
                return [RawArticle(article.text, replace(article.meta, url=article.meta.url or fetched.url))]
            return [Failure(url, f"has content type {ctype or 'unknown'!r}; only HTML pages, feeds and plain text "
                                 "can be ingested")]
        except InputError as err:
            return [Failure(url, str(err).removeprefix(f"{url}: "))]

    def _urls(self, urls: Iterable[str | Failure]) -> Iterator[Item]:
        bad: list[Failure] = []

        def only_urls() -> Iterator[str]:
            for u in urls:
                if isinstance(u, Failure):
                    bad.append(u)
                else:
                    yield u

        for future in bounded_map(self._fetch_items, only_urls(), self.options.fetch_workers):
            while bad:
                yield bad.pop(0)
            yield from future.result()
        yield from bad

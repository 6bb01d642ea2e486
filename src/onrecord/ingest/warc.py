"""WARC files (the format of news crawls such as Common Crawl's CC-NEWS), read with warcio.

Every successful (HTTP 200) HTML or plain-text ``response`` or ``resource``
record becomes one article; requests, metadata, redirects, errors and images
are passed over.  A damaged file yields the records before the damage and one
failure line for the rest; so does a record cut short (the file ends before its
Content-Length), an empty file and one with no WARC record at all.

Memory is bounded whatever the file holds: a header line is read at most
:data:`MAX_LINE` bytes at a time (warcio would build a 1 GiB line of zeros in
memory, many times over), and a body at most the page limit.
"""

from __future__ import annotations

import io
import sys
import zlib
from contextlib import contextmanager
from dataclasses import replace
from typing import BinaryIO, Iterator

from ..errors import InputError
from .html import html_article
from .items import Failure, IngestOptions, Item, RawArticle
from .text import text_article

_HTML = {"text/html", "application/xhtml+xml"}
_WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}
#: The longest header line read from a WARC record; a longer one makes the record unreadable.
MAX_LINE = 64 * 1024


def _bounded_lines(iterator) -> None:
    """Make warcio read header lines at most MAX_LINE bytes at a time (it has no limit of its own)."""
    reader = iterator.reader
    readline = reader.readline

    def bounded(length: int | None = None) -> bytes:
        want = MAX_LINE if not length or length > MAX_LINE else length
        line = readline(want)
        while line and not line.endswith(b"\n") and len(line) < want:  # warcio may stop short of ``want``
            more = readline(want - len(line))
            if not more:
                break
            line += more
        if len(line) >= MAX_LINE and not line.endswith(b"\n") and (not length or length > MAX_LINE):
            raise InputError(f"has a header line longer than {MAX_LINE // 1024} KB; the file is damaged or not "
                             "a WARC file")
        return line

    reader.readline = bounded


def _looks_like_warc(stream: BinaryIO) -> bool:
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if not head:
        return True  # cannot look without consuming: let warcio decide
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(stream.peek(4096)[:4096], 64)
        except zlib.error:
            return False
    return head.startswith(b"WARC/") or head.startswith(b"filedesc://")


@contextmanager
def _warnings_captured() -> Iterator[io.StringIO]:
    """warcio prints its warnings to stderr itself; we count them and report once, in the summary."""
    buffer, saved = io.StringIO(), sys.stderr
    sys.stderr = buffer
    try:
        yield buffer
    finally:
        sys.stderr = saved


def read_warc(stream: BinaryIO, *, origin: str, options: IngestOptions) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    if not _looks_like_warc(stream):
        yield Failure(origin, "is not a WARC file (it does not start with a WARC/ header)")
        return
    records = 0
    iterator = ArchiveIterator(stream, arc2warc=True)
    _bounded_lines(iterator)
    while True:
        # stderr is swapped only while warcio runs, never across a yield.
        with _warnings_captured():
            try:
                record = next(iterator, None)
                found = None if record is None else _article_bytes(record, origin, records + 1, options)
            except Exception as err:  # ArchiveLoadFailed, zlib.error, ValueError… on damaged input
                read = f"; the {records} record(s) before it were read" if records else ""
                if isinstance(err, InputError):
                    yield Failure(origin, f"{err}{read}")
                else:
                    detail = f"{err.__class__.__name__}: {err}".strip()
                    yield Failure(origin, f"is not a readable WARC file ({detail[:200]}){read}")
                return
        if record is None:
            if records == 0:
                yield Failure(origin, "holds no WARC record (it is empty, or not a WARC file after its first line)")
                return
            break
        records += 1
        if found is None:
            continue
        url, mime, data = found
        try:
            if mime in _HTML:
                yield html_article(data, origin=url, url=url, limit=options.max_page_bytes)
            else:
                article = text_article(data, origin=url, options=options)
                yield RawArticle(article.text, replace(article.meta, url=article.meta.url or url))
        except InputError as err:
            yield Failure(url, str(err).removeprefix(f"{url}: "))
    if iterator.err_count:
        yield Failure(origin, f"is damaged: {iterator.err_count} record(s) are cut short or have a wrong "
                              f"Content-Length; the {records} record(s) before it were read")


def _article_bytes(record, origin: str, number: int, options: IngestOptions) -> tuple[str, str, bytes] | None:
    """(url, media type, body) of a record that can hold an article, else None."""
    if record.rec_type not in _WARC_TYPES:
        raise InputError(f"record {number} has no valid WARC-Type ({str(record.rec_type)[:40]!r}); "
                         "the file is damaged or not a WARC file")
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        ctype = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    mime = ctype.split(";")[0].strip().lower()
    if mime not in _HTML and mime != "text/plain":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or f"{origin}#{number}"
    body = record.content_stream().read(options.max_page_bytes + 1)
    missing = getattr(record.raw_stream, "limit", 0)
    if len(body) <= options.max_page_bytes and missing > 0:  # the file ended before the record did
        raise InputError(f"record {number} ({url[:200]}) is cut short: the file ends {missing:,} byte(s) before "
                         "its Content-Length says; the file is truncated")
    return url, mime, body

"""WARC files (the format of news crawls such as Common Crawl's CC-NEWS), read with warcio.

Every successful (HTTP 200) HTML or plain-text ``response`` or ``resource``
record becomes one article; requests, metadata, redirects, errors and images
are passed over.  A damaged file yields the records before the damage and one
failure line for the rest.
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
    while True:
        # stderr is swapped only while warcio runs, never across a yield.
        with _warnings_captured():
            try:
                record = next(iterator, None)
                found = None if record is None else _article_bytes(record, origin, records + 1, options)
            except Exception as err:  # ArchiveLoadFailed, zlib.error, ValueError… on damaged input
                detail = f"{err.__class__.__name__}: {err}".strip()
                read = f"; the {records} record(s) before it were read" if records else ""
                yield Failure(origin, f"is not a readable WARC file ({detail[:200]}){read}")
                return
        if record is None:
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
    return url, mime, record.content_stream().read(options.max_page_bytes + 1)

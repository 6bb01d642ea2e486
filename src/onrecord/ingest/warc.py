"""WARC files (the format of news crawls such as Common Crawl's CC-NEWS), read with warcio.

Every successful (HTTP 200) HTML or plain-text ``response`` or ``resource``
record becomes one article; requests, metadata, redirects, errors and images
are passed over.  A damaged file yields the records before the damage and one
failure line for the rest.
"""

from __future__ import annotations

from dataclasses import replace
from typing import BinaryIO, Iterator

from ..errors import InputError
from .html import html_article
from .items import Failure, IngestOptions, Item, RawArticle
from .text import text_article

_HTML = {"text/html", "application/xhtml+xml"}


def read_warc(stream: BinaryIO, *, origin: str, options: IngestOptions) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    records = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            records += 1
            if record.rec_type == "response":
                if record.http_headers is None or record.http_headers.get_statuscode() != "200":
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
            elif record.rec_type == "resource":
                ctype = record.rec_headers.get_header("Content-Type") or ""
            else:
                continue
            mime = ctype.split(";")[0].strip().lower()
            if mime not in _HTML and mime != "text/plain":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or f"{origin}#{records}"
            data = record.content_stream().read(options.max_page_bytes + 1)
            try:
                if mime in _HTML:
                    yield html_article(data, origin=url, url=url, limit=options.max_page_bytes)
                else:
                    article = text_article(data, origin=url, options=options)
                    yield RawArticle(article.text, replace(article.meta, url=article.meta.url or url))
            except InputError as err:
                yield Failure(url, str(err).removeprefix(f"{url}: "))
    except Exception as err:  # warcio raises ArchiveLoadFailed, zlib, ValueError… on damaged input
        detail = f"{err.__class__.__name__}: {err}".strip()
        read = f"; the {records} record(s) before it were read" if records else ""
        yield Failure(origin, f"is not a readable WARC file ({detail[:200]}){read}")

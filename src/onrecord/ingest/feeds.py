"""RSS and Atom feeds with feedparser: one article per entry, full content where the feed carries it.

Feeds often carry only a teaser.  Entries with full content (``content:encoded``,
Atom ``<content>``) are used as they are; for the others the summary is stored,
or, with ``follow_links``, the entry's page is fetched and extracted.
"""

from __future__ import annotations

import io
from typing import Callable, Iterator

from ..analysis import ArticleMeta
from ..errors import InputError
from .html import fragment_text, html_article
from .items import Failure, IngestOptions, Item, RawArticle
from .meta import clean, clean_url, iso_published, outlet_from_url


def _published(entry) -> str | None:
    """The entry's date: published, else updated. Read with the plain dict lookup because feedparser's own
    `get("updated")` falls back to `published` with a DeprecationWarning when an entry has no update date."""
    for key in ("published_parsed", "updated_parsed", "published", "updated"):
        if value := dict.get(entry, key):
            return iso_published(value)
    return None


def _entry_html(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    return max(contents, key=len) if contents else ""


def read_feed(
    data: bytes,
    *,
    origin: str,
    options: IngestOptions,
    fetch_page: Callable[[str], Item] | None = None,
) -> Iterator[Item]:
    import feedparser

    if len(data) > options.max_page_bytes:
        yield Failure(origin, f"the feed is {len(data) / 1e6:.1f} MB, over the page limit; raise --max-page-bytes")
        return
    # A stream, never bytes or str: feedparser treats strings that look like paths or URLs as things to open.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        yield Failure(origin, f"is not an RSS/Atom feed with entries{why}; check the file or URL")
        return
    feed = parsed.get("feed", {})
    outlet = clean(feed.get("title"))
    language = clean(feed.get("language"))
    for number, entry in enumerate(parsed.entries, 1):
        link = clean_url(entry.get("link"))
        where = link or f"{origin}#{number}"
        defaults = ArticleMeta(
            origin=where,
            url=link,
            outlet=outlet or outlet_from_url(link),
            title=clean(entry.get("title")),
            author=clean(entry.get("author")),
            published=_published(entry),
            language=language,
        )
        full = _entry_html(entry)
        if not full and options.follow_links and link and fetch_page is not None:
            item = fetch_page(link)
            if isinstance(item, RawArticle):
                # The feed's own metadata is usually cleaner than what a page's markup yields.
                m = item.meta
                merged = ArticleMeta(**{k: getattr(defaults, k) or getattr(m, k) for k in ArticleMeta.__slots__})
                item = RawArticle(item.text, merged)
            yield item
            continue
        text = fragment_text(full or entry.get("summary", "") or "")
        if not text.strip():
            yield Failure(where, "the feed entry has no text (no content or summary)"
                          + ("; try --follow-links" if link and not options.follow_links else ""))
            continue
        yield RawArticle(text, defaults)


def page_item(fetched_data: bytes, *, url: str, options: IngestOptions) -> Item:
    try:
        return html_article(fetched_data, origin=url, url=url, limit=options.max_page_bytes)
    except InputError as err:
        return Failure(url, str(err).removeprefix(f"{url}: "))

"""HTML pages and fragments to article text and metadata, with trafilatura.

trafilatura keeps the article body and drops navigation, scripts and styles,
so markup (hostile or not) never reaches the stored text.
"""

from __future__ import annotations

import html as htmllib
import re

from ..analysis import ArticleMeta
from ..errors import InputError
from .items import RawArticle
from .meta import clean, clean_url, iso_published, outlet_from_url

_TAG = re.compile(r"<[a-zA-Z/!]")
#: A page whose main text is shorter is a front page, a menu or an error page, not an article.
MIN_PAGE_WORDS = 15


def _check_bytes(data: bytes | str, origin: str, limit: int) -> None:
    size = len(data)
    if size > limit:
        raise InputError(
            f"{size / 1e6:.1f} MB is larger than the {limit / 1e6:.1f} MB limit for one page; "
            "raise it with --max-page-bytes",
            source=origin,
        )
    head = data[:8192]
    if (b"\x00" in head) if isinstance(head, bytes) else ("\x00" in head):
        raise InputError("looks like a binary file (it contains NUL bytes), not an HTML page", source=origin)


def html_article(data: bytes | str, *, origin: str, url: str | None = None, limit: int,
                 defaults: ArticleMeta | None = None) -> RawArticle:
    """The main text of a whole page, with its title, author, date and site name."""
    import trafilatura

    _check_bytes(data, origin, limit)
    if isinstance(data, bytes) and not data.strip():
        raise InputError("is empty (no page to read)", source=origin)
    try:
        doc = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, include_tables=False,
        )
    except Exception as err:  # trafilatura and lxml raise many kinds on broken markup
        raise InputError(f"is not a readable HTML page ({err.__class__.__name__}: {err})", source=origin) from None
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_PAGE_WORDS:
        raise InputError(
            "has no article text that trafilatura could find (a front page, a login wall, or a script-only app?)",
            source=origin,
        )
    d = defaults or ArticleMeta(origin=origin)
    page_url = url or clean_url(getattr(doc, "url", None)) or d.url
    return RawArticle(text, ArticleMeta(
        origin=origin,
        url=page_url,
        outlet=d.outlet or clean(doc.sitename) or outlet_from_url(page_url) or clean(doc.hostname),
        title=d.title or clean(doc.title),
        author=d.author or clean(doc.author),
        published=d.published or iso_published(doc.date),
        language=d.language or clean(getattr(doc, "language", None)),
        name=d.name,
    ))


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content or summary); plain text passes through unescaped."""
    if not _TAG.search(fragment):
        return "\n".join(line.strip() for line in htmllib.unescape(fragment).strip().splitlines())
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(fragment, favor_recall=True, include_comments=False)
        text = (doc.text or "").strip() if doc is not None else ""
        if not text:  # too short for trafilatura's article heuristics: take all visible text
            text = trafilatura.html2txt(f"<html><body>{fragment}</body></html>").strip()
    except Exception:
        text = ""
    return text

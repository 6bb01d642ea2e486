"""What readers produce: an article's text with its metadata, or a failure to report; and the options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .. import __version__
from ..analysis import ArticleMeta
from ..documents import MAX_BYTES, decode, looks_english
from ..errors import InputError


@dataclass(frozen=True, slots=True)
class RawArticle:
    text: str
    meta: ArticleMeta


@dataclass(frozen=True, slots=True)
class Failure:
    """An input (a file, a URL, one JSONL line, one feed entry…) that gave no article, and why."""

    origin: str
    message: str


Item = Union[RawArticle, Failure]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How inputs are read and fetched; one object passed through every reader."""

    max_bytes: int = MAX_BYTES  # one article's text (UTF-8 bytes)
    max_page_bytes: int = 10 * MAX_BYTES  # one HTML page, feed, fetched body or stdin document
    timeout: float = 20.0  # seconds for each HTTP request (connect, read, write, pool)
    fetch_workers: int = 4  # URLs fetched at the same time
    follow_links: bool = False  # fetch the page of feed entries that carry only a summary
    any_language: bool = False  # keep texts that do not look like English
    user_agent: str = f"onrecord/{__version__} (news attribution research; +https://pypi.org/project/onrecord/)"

    def __post_init__(self) -> None:
        if self.max_bytes < 1 or self.max_page_bytes < 1:
            raise ValueError("size limits must be positive")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.fetch_workers < 1:
            raise ValueError("fetch_workers must be at least 1")


def checked_text(text: str, origin: str, options: IngestOptions) -> str:
    """The same checks as for a file's bytes (empty, too large, binary-looking), plus the language guard."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("contains characters that are not valid Unicode (lone surrogates)", source=origin) from None
    text = decode(data, origin=origin, max_bytes=options.max_bytes)
    if not options.any_language and not looks_english(text):
        raise InputError(
            "does not look like English; onrecord's models are English-only "
            "(pass --any-language to store it anyway)",
            source=origin,
        )
    return text

"""What readers produce: an article's text with its metadata, or a failure to report; and the options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterator, Union

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
    timeout: float = 20.0  # seconds one URL may take in all (connect, answer, whole body): a total deadline
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


#: The longest line of a URL list; a longer one is reported (quoted by a short prefix) and skipped.
MAX_URL_LINE = 8192
#: How much of a bad line or value a failure message quotes.
QUOTE_CHARS = 80
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a line-based input: its bytes, or only its length when it was longer than the limit."""

    number: int
    data: bytes | None  # None: too long, and not kept
    length: int
    prefix: bytes = b""  # its first bytes, for the message about a line too long


def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[Line]:
    """The lines of ``stream``, never holding more than ``limit`` bytes of one (a 400 MB line costs 1 MB)."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield Line(number, raw, len(raw))
            continue
        length, prefix = len(raw), raw[:200]
        while not raw.endswith(b"\n"):  # skip the rest of the line a chunk at a time
            raw = stream.readline(_CHUNK)
            if not raw:
                break
            length += len(raw)
        yield Line(number, None, length, prefix)


def quoted(data: bytes | str) -> str:
    """A short, printable quote of a bad value for a failure message."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return repr(text[:QUOTE_CHARS]) + ("…" if len(text) > QUOTE_CHARS else "")


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

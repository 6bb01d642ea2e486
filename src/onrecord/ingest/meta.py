"""Normalising the metadata readers find: dates to ISO 8601, outlets from URLs."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: The longest metadata value kept (a title, an author, an outlet); longer ones are cut at a word.
MAX_META_CHARS = 1000
#: The longest URL kept as an article's address.
MAX_URL_CHARS = 4096


def iso_published(value) -> str | None:
    """ISO 8601 (``YYYY-MM-DD`` or a datetime with seconds) from what feeds, pages and users write; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
    if isinstance(value, (bool, dict, list, tuple, set, bytes)):  # a JSON object or list is no date
        return None
    if isinstance(value, str) and len(value) > 200:  # no date is written in 200 characters
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat(timespec="seconds")  # RSS's RFC 822 dates
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow import: only for the odd free-form date

    try:
        parsed = dateparser.parse(text, languages=["en"])
    except (ValueError, OverflowError, TypeError, IndexError, AttributeError):  # odd text dateparser trips on
        return None
    return parsed.isoformat(timespec="seconds") if parsed else None


def outlet_from_url(url: str | None) -> str | None:
    """``www.example.com`` → ``example.com``: a readable outlet when the page names none."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # "http://[::1" and other addresses urllib cannot split
        return None
    return host.removeprefix("www.") or None


def clean(value, limit: int = MAX_META_CHARS) -> str | None:
    """A metadata string with whitespace collapsed and at most ``limit`` characters, or None.

    Only strings and numbers are metadata: a JSON object or list where a title should be is dropped, never
    stored as its Python repr."""
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = " ".join(str(value)[: limit * 4].split())
    if len(text) > limit:
        text = text[:limit - 1].rsplit(" ", 1)[0] + "…"
    return text or None


def clean_url(value) -> str | None:
    """An article's address: a string without spaces, at most MAX_URL_CHARS long, or None."""
    url = clean(value, MAX_URL_CHARS)
    return url if url and " " not in url and not url.endswith("…") else None

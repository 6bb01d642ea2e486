"""Normalising the metadata readers find: dates to ISO 8601, outlets from URLs."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_published(value) -> str | None:
    """ISO 8601 (``YYYY-MM-DD`` or a datetime with seconds) from what feeds, pages and users write; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
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

    parsed = dateparser.parse(text, languages=["en"])
    return parsed.isoformat(timespec="seconds") if parsed else None


def outlet_from_url(url: str | None) -> str | None:
    """``www.example.com`` → ``example.com``: a readable outlet when the page names none."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def clean(value) -> str | None:
    """A metadata string with whitespace collapsed, or None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None

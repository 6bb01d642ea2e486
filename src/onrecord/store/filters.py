"""The filters shared by ``quotes``, ``export`` and ``speakers``, validated once at the edge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError
from ..records import AttributionKind

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_date(value: str | date | None, *, option: str = "date") -> str | None:
    """``YYYY-MM-DD`` from an ISO date, or words like "last monday" or "3 weeks ago"."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if _ISO.match(text):
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise ConfigError(f"{option} {text!r} is not a real date; use YYYY-MM-DD") from None
    import dateparser  # slow to import; only natural-language dates need it

    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DATES_FROM": "past"})
    if parsed is None:
        raise ConfigError(f"cannot read {option} {text!r}; use YYYY-MM-DD or words like '2 weeks ago'")
    return parsed.date().isoformat()


def like_pattern(part: str) -> str:
    """A LIKE pattern (with ``ESCAPE '\\'``) matching any text that contains ``part``, in any (ASCII) case."""
    escaped = part.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


#: The SQL test for "the outlet's name contains this, in any case", one ``?`` for :func:`like_pattern`.
OUTLET_MATCH = "{column} LIKE ? ESCAPE '\\'"


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Which statements to return; every field is optional and they combine with AND."""

    by: str | None = None  # speaker name, case-insensitive, matched as whole words ("putin" finds "Vladimir Putin")
    about: str | None = None  # full-text query over the statement's content and speaker
    since: str | None = None  # YYYY-MM-DD, inclusive, on the statement's date (said_on, else published)
    until: str | None = None  # YYYY-MM-DD, inclusive
    outlet: str | None = None  # part of the outlet's name, any case ("arab news" finds "Arab News (Reuters copy)")
    kind: AttributionKind | None = None
    article: str | None = None  # one article id

    @classmethod
    def build(
        cls,
        *,
        by: str | None = None,
        about: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        outlet: str | None = None,
        kind: str | AttributionKind | None = None,
        article: str | None = None,
    ) -> "QuoteFilter":
        """Normalise loose user input (dates in words, kind names) or raise ConfigError."""
        if kind is not None and not isinstance(kind, AttributionKind):
            try:
                kind = AttributionKind(str(kind).lower().replace("-", "_"))
            except ValueError:
                names = ", ".join(k.value for k in AttributionKind)
                raise ConfigError(f"unknown kind {kind!r}; use one of {names}") from None
        start, end = parse_date(since, option="--since"), parse_date(until, option="--until")
        if start and end and start > end:
            raise ConfigError(f"--since {start} is after --until {end}; swap them")
        return cls(
            by=(by or "").strip() or None,
            about=(about or "").strip() or None,
            since=start,
            until=end,
            outlet=(outlet or "").strip() or None,
            kind=kind,
            article=article or None,
        )

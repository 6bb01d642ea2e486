"""One date expression → a dated period, relative to the publication date.

News style is regular enough that three rules cover most of it, and each is a
place where a general-purpose parser guesses differently from a reporter:

* a bare weekday ("on Tuesday") is the most recent such day *on or before*
  publication (dateparser would pick the previous week when the article itself
  is published on a Tuesday), or the next one when the verb is future;
* a month or day without a year ("in November", "December 5") is the most
  recent one on or before publication (the next one for future verbs);
* durations ("five hours", "several weeks", "more than a year") are not points
  in time and resolve to nothing.

Everything else ("two weeks ago", "last month", "24 February 2022") goes to
dateparser with the publication date as its relative base.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any, Mapping

import dateparser
from dateparser.date import DateDataParser


class Granularity(str, Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date expression and the period it names.

    ``value`` is ISO 8601 at the expression's precision: ``2025-12-01`` (day),
    ``2025-W48`` (week), ``2025-11`` (month), ``2022`` (year); ``start`` and
    ``end`` are the first and last day of that period.
    """

    text: str
    value: str
    start: date
    end: date
    granularity: Granularity
    relative: bool  # True when the publication date decided it ("on Tuesday"), False for "24 February 2022"

    @property
    def day(self) -> str | None:
        """The ISO day when the expression names one day, else None."""
        return self.value if self.granularity is Granularity.DAY else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "granularity": self.granularity.value,
            "relative": self.relative,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ResolvedDate":
        return cls(
            text=str(data["text"]),
            value=str(data["value"]),
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            granularity=Granularity(data["granularity"]),
            relative=bool(data["relative"]),
        )


WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

# Words that make an expression a point or period in time rather than a duration.
_ANCHORS = re.compile(
    r"\b(ago|last|this|next|past|previous|earlier|later|yesterday|today|tonight|tomorrow|"
    + "|".join(sorted(WEEKDAYS))
    + "|"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\b|\b\d{4}\b|\d{1,2}[/.-]\d{1,2}",
    re.IGNORECASE,
)
# Lead-ins that do not change the date: "earlier on Tuesday", "as recently as last week".
_LEAD = re.compile(
    r"^(?:(?:earlier|later|late|early|as recently as|as early as|since|until|by|from|on|in|at|during|"
    r"around|about|over|the|this past|then|only|just)\s+)+",
    re.IGNORECASE,
)
_SAME_DAY = {"today", "tonight", "this morning", "this afternoon", "this evening", "earlier today", "later today"}
_VAGUE_PAST = re.compile(r"\b(the )?(past|last|previous) (few|several|couple of|many) ", re.IGNORECASE)
# A weekday, possibly with a part of the day before or after it: "on Tuesday", "Tuesday night", and (after the
# lead-ins are stripped from "in the early hours of Wednesday") "hours of Wednesday", "morning of Tuesday".
_WEEKDAY_RE = re.compile(r"^(?:(?:small )?hours of |(?:morning|afternoon|evening|night) of )?(last |this |next |on )?("
                         + "|".join(WEEKDAYS) + r")(\s+(morning|afternoon|evening|night))?$", re.IGNORECASE)
_FOUR_DIGIT_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|21\d\d)\b")


def parse_published(value: str | date | datetime | None) -> date | None:
    """The publication day from ISO 8601 (date or datetime) or the forms feeds use; None when unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


@lru_cache(maxsize=64)
def _parser(base: date, future: bool) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12, 0),
            "PREFER_DATES_FROM": "future" if future else "past",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def _week(day: date, text: str, relative: bool) -> ResolvedDate:
    start = day - timedelta(days=day.weekday())
    iso = day.isocalendar()
    return ResolvedDate(text, f"{iso.year}-W{iso.week:02d}", start, start + timedelta(days=6), Granularity.WEEK, relative)


def _month(year: int, month: int, text: str, relative: bool) -> ResolvedDate:
    last = calendar.monthrange(year, month)[1]
    return ResolvedDate(text, f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last),
                        Granularity.MONTH, relative)


def _day(day: date, text: str, relative: bool) -> ResolvedDate:
    return ResolvedDate(text, day.isoformat(), day, day, Granularity.DAY, relative)


def _weekday(name: str, modifier: str, base: date, future: bool) -> date:
    target = WEEKDAYS[name]
    back = (base.weekday() - target) % 7
    if modifier == "next" or (future and modifier != "last"):
        ahead = (target - base.weekday()) % 7 or 7
        return base + timedelta(days=ahead)
    if modifier == "last":
        return base - timedelta(days=back or 7)
    return base - timedelta(days=back)


def _shift_year(day: date, base: date, future: bool) -> date:
    """A day written without a year: the most recent on or before ``base`` (the next one for future verbs)."""

    def with_year(y: int) -> date:
        return day.replace(year=y, day=min(day.day, calendar.monthrange(y, day.month)[1]))

    candidate = with_year(base.year)
    if future and candidate < base:
        candidate = with_year(base.year + 1)
    elif not future and candidate > base:
        candidate = with_year(base.year - 1)
    return candidate


@dataclass(frozen=True)
class _Expression:
    """A date expression as the rules read it."""

    raw: str  # as written, white space collapsed: what the resolved date quotes
    low: str  # lower case, without trailing punctuation or a possessive "'s"
    core: str  # ``low`` without lead-ins that do not change the date ("earlier on", "as recently as")
    has_year: bool  # names a four-digit year: dated without a publication date, and not relative


def resolve_expression(
    text: str, published: str | date | datetime | None, *, future: bool = False
) -> ResolvedDate | None:
    """The period ``text`` names, read on the day ``published``; None for durations and what cannot be dated.

    ``future`` says the governing verb is in the future tense ("will meet on Tuesday").
    Without a publication date only self-contained dates ("24 February 2022") resolve.
    """
    expr = _expression(text)
    if expr is None:
        return None
    base = parse_published(published)
    if base is not None:
        found = _from_publication(expr, base, future)
        if found is not None:
            return found
    if base is None and not expr.has_year:
        return None  # "last week" with no publication date: nothing to anchor it to
    return _parsed(expr, base, future)


def _expression(text: str) -> _Expression | None:
    """The expression, or None when it is no point in time: empty, too long, a duration, a vague stretch."""
    raw = " ".join(str(text).split())
    if not raw or len(raw) > 80:
        return None
    low = raw.lower().strip(" ,.;:’'")
    low = re.sub(r"[’']s$", "", low)
    if not _ANCHORS.search(low):
        return None  # "five hours", "several weeks", "one year": durations, not dates
    if _VAGUE_PAST.search(low):
        return None  # "the past few weeks": a stretch ending now, too vague to date a statement
    core = _LEAD.sub("", low).strip()
    return _Expression(raw, low, core, bool(_FOUR_DIGIT_YEAR.search(core)))


def _from_publication(expr: _Expression, base: date, future: bool) -> ResolvedDate | None:
    """News words counted from the publication day ("yesterday", "on Tuesday", "last week", "in November");
    None for the rest, which goes to the general parser."""
    raw, core = expr.raw, expr.core
    if core in _SAME_DAY or expr.low in _SAME_DAY:
        return _day(base, raw, True)
    if core in ("yesterday", "last night") or core.startswith("yesterday "):
        return _day(base - timedelta(days=1), raw, True)
    if core == "tomorrow" or core.startswith("tomorrow "):
        return _day(base + timedelta(days=1), raw, True)
    m = _WEEKDAY_RE.match(core)
    if m:
        modifier = (m.group(1) or "").strip()
        return _day(_weekday(m.group(2).lower(), modifier, base, future), raw, True)
    if core in ("this week",):
        return _week(base, raw, True)
    if core in ("last week", "the previous week", "previous week"):
        return _week(base - timedelta(days=7), raw, True)
    if core == "next week":
        return _week(base + timedelta(days=7), raw, True)
    if core in ("this month", "earlier this month", "later this month"):
        return _month(base.year, base.month, raw, True)
    if core in ("this year", "earlier this year", "later this year"):
        return ResolvedDate(raw, f"{base.year:04d}", date(base.year, 1, 1), date(base.year, 12, 31),
                            Granularity.YEAR, True)
    if core in MONTHS:
        month = MONTHS[core]
        year = base.year
        if not future and month > base.month:
            year -= 1
        elif future and month < base.month:
            year += 1
        return _month(year, month, raw, True)
    return None


def _parsed(expr: _Expression, base: date | None, future: bool) -> ResolvedDate | None:
    """The rest through dateparser, with the publication day as its relative base; a year that is not
    written ("one year") is a duration, and a month or day without one takes the year of ``_shift_year``."""
    raw, core, has_year = expr.raw, expr.core, expr.has_year
    anchor = base or date(2000, 1, 1)
    data = _parser(anchor, future).get_date_data(core or expr.low)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    period = data.period or "day"
    relative = not has_year
    if period == "year":
        if not has_year:
            return None  # "one year" read as a date: a duration
        return ResolvedDate(raw, f"{day.year:04d}", date(day.year, 1, 1), date(day.year, 12, 31), Granularity.YEAR, False)
    if period == "month":
        if not has_year and base is not None and not re.search(r"\b(ago|last|previous|next)\b", core):
            day = _shift_year(day.replace(day=1), base, future)
        return _month(day.year, day.month, raw, relative)
    if period == "week":
        return _week(day, raw, relative)
    if not has_year and base is not None and any(m in core.split() for m in MONTHS) and "ago" not in core:
        day = _shift_year(day, base, future)
    return _day(day, raw, relative)

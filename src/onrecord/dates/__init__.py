"""Dates in news text, resolved against the article's publication date.

    >>> from onrecord.dates import resolve_expression
    >>> resolve_expression("on Monday", "2025-12-02").value
    '2025-12-01'

``resolve_expression`` turns one expression into a :class:`ResolvedDate`;
``find_dates`` finds and resolves every date in a parsed Doc; ``said_on``
picks, for each attribution, the date the text gives for when it was said.
"""

from .resolve import Granularity, ResolvedDate, parse_published, resolve_expression
from .statements import date_mentions, said_on_dates

__all__ = [
    "Granularity",
    "ResolvedDate",
    "date_mentions",
    "parse_published",
    "resolve_expression",
    "said_on_dates",
]

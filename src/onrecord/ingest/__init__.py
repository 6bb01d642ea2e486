"""Getting news into the store: text, HTML, JSONL, RSS/Atom, WARC, URLs, URL lists, folders and stdin.

    report = ingest(["feeds/", "https://example.org/story"], db="onrecord.db")
    report.stored, report.unchanged, report.failures

Readers yield :class:`RawArticle` (text + ArticleMeta) or :class:`Failure`
items; :func:`ingest` checks, dedupes, extracts and writes them.
"""

from .fetch import Fetcher
from .items import Failure, IngestOptions, Item, RawArticle
from .run import IngestReport, ItemOutcome, ingest
from .sources import Sources, sniff

__all__ = sorted([
    "Failure", "Fetcher", "IngestOptions", "IngestReport", "Item", "ItemOutcome", "RawArticle", "Sources",
    "ingest", "sniff",
])

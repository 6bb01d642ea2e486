"""The SQLite record: one writer that stores processed articles, read-only queries, exports.

    Writer(db).write(ProcessedArticle)      one transaction per article, enrichers included
    Reader(db).quotes(by=..., about=...)    statements, speakers, articles, full-text search
    export(db, path, format=...)            jsonl, csv, parquet, brat standoff

See docs/store.md for the schema and the contracts feature packages build on.
"""

from .export import ExportFormat, ExportSummary, export
from .filters import QuoteFilter, parse_date
from .migrations import MIGRATION_MODULES, migrate
from .queries import Reader
from .records import ArticleView, Quote, SearchHit, SpeakerSummary, StoredArticle
from .writer import Writer, WriteStatus

__all__ = sorted([
    "ArticleView", "ExportFormat", "ExportSummary", "MIGRATION_MODULES", "Quote", "QuoteFilter", "Reader",
    "SearchHit", "SpeakerSummary", "StoredArticle", "WriteStatus", "Writer", "export", "migrate", "parse_date",
])

"""Corrections as the last enricher: re-applied whenever an article is written and after every rebuild.

It finds nothing in the text (``analyse`` returns an empty object); its ``write`` runs after the other
enrichers wrote the article, inside the same transaction, and puts the article's statement corrections back
on the fresh rows; its ``finalize`` runs after the entities and claims features rebuilt their cross-article
tables and applies the claim and position corrections to them.  So a correction survives a re-ingest,
``onrecord ingest --reprocess`` and every rebuild.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from spacy.tokens import Doc

from ..analysis import ArticleMeta
from ..records import Attribution
from .apply import apply_across, apply_article


class CorrectionsEnricher:
    """Registered in ``analysis.ENRICHERS`` after every feature whose rows it corrects."""

    name = "corrections"

    def analyse(self, doc: Doc, meta: ArticleMeta, attributions: tuple[Attribution, ...]) -> dict[str, Any]:
        return {}

    def write(self, conn: sqlite3.Connection, article_id: str, data: Any) -> None:
        apply_article(conn, article_id)

    def finalize(self, conn: sqlite3.Connection) -> None:
        apply_across(conn)

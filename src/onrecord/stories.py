"""Stories: copies of one text carried by several outlets (wire copies), recognised by their wording.

The store already keeps one article per exact text (its id is a hash of the text), with every outlet that
carried it.  A wire story reprinted with another headline, a dateline or a credit line is a different text,
though.  Each article gets a *print*: the ``SIZE`` smallest CRC-32 values of its word 5-grams (a bottom-k
sketch; shared wording gives shared values).  Two articles whose prints share at least ``SAME_STORY`` of
their values are copies of one story.  The enricher computes the print next to the parse and stores it in
``story_prints`` (one indexed row per value), so finding an article's copies is one index lookup.

Migrations ``0400``–``0499`` belong to this module.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from typing import Any

from spacy.tokens import Doc

from .analysis import ArticleMeta
from .records import Attribution

#: Values kept per article, and how many two articles must share to be one story (half: copies share most of
#: their 5-grams, two stories on one event share a few phrases at most).
SIZE = 16
SAME_STORY = 8
SHINGLE = 5
_WORD = re.compile(r"\w+")

_SCHEMA = """
CREATE TABLE story_prints (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    value INTEGER NOT NULL,           -- one of the article's SIZE smallest 5-gram CRC-32 values
    PRIMARY KEY (value, article_id)
) WITHOUT ROWID;
CREATE INDEX story_prints_article ON story_prints(article_id);
"""

MIGRATIONS: list[tuple[str, str]] = [("0400_story_prints", _SCHEMA)]


def story_print(text: str, size: int = SIZE) -> list[int]:
    """The ``size`` smallest CRC-32 values of the text's lower-cased word 5-grams (fewer for a short text)."""
    words = _WORD.findall(text.casefold())
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}
    return sorted(zlib.crc32(g.encode("utf-8")) for g in grams)[:size]


class StoriesEnricher:
    """Registered in ``analysis.ENRICHERS``; no cross-article step (copies are looked up when shown)."""

    name = "stories"

    def analyse(self, doc: Doc, meta: ArticleMeta, attributions: tuple[Attribution, ...]) -> dict[str, Any]:
        return {"print": story_print(doc.text)}

    def write(self, conn: sqlite3.Connection, article_id: str, data: Any) -> None:
        conn.execute("DELETE FROM story_prints WHERE article_id = ?", (article_id,))
        conn.executemany("INSERT OR IGNORE INTO story_prints(article_id, value) VALUES (?, ?)",
                         [(article_id, int(v)) for v in (data or {}).get("print", ())])

    def finalize(self, conn: sqlite3.Connection) -> None:
        return None


def copies_of(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """Other articles that are copies of the same story, by id (none when the store has no prints)."""
    values = [r[0] for r in conn.execute("SELECT value FROM story_prints WHERE article_id = ?", (article_id,))]
    if len(values) < SAME_STORY:
        return []
    marks = ",".join("?" * len(values))
    return [r[0] for r in conn.execute(
        f"SELECT article_id FROM story_prints WHERE value IN ({marks}) AND article_id != ?"
        " GROUP BY article_id HAVING count(*) >= ? ORDER BY article_id", (*values, article_id, SAME_STORY))]

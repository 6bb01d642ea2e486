"""The "needs review" queue: places where the record is most likely wrong, each with the command that fixes it.

    both_sides       a party on both sides of one claim (asserting and disputing the same proposition)
    suspect_speaker  a speaker name that is a pronoun, has no capital letter, or starts like a description
    low_confidence   a statement the extractor was unsure of (confidence below LOW_CONFIDENCE)
    undated          a statement with no day at all (neither the text nor the article gives one)

Statements a person already corrected (the same field) are not queued again.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from ..errors import ConfigError
from ..nlp.speakers import GROUP_PRONOUNS, PERSON_PRONOUNS, RELATIVE_PRONOUNS
from .apply import tables
from .records import ReviewItem

REASONS = ("both_sides", "suspect_speaker", "low_confidence", "undated")
#: Statements below this confidence are queued. The extractor's scores sit mostly above 0.8; half is a coin toss.
LOW_CONFIDENCE = 0.5
PRONOUNS = frozenset(PERSON_PRONOUNS) | GROUP_PRONOUNS | RELATIVE_PRONOUNS | {"his", "its", "their", "our", "my"}
_DESCRIPTION_START = frozenset({"the", "a", "an", "this", "that", "these", "those", "some", "many", "one"})


def suspect_name(name: str) -> str | None:
    """Why a speaker name looks wrong, or None when it looks like a name."""
    words = re.findall(r"[\w'’.-]+", name)
    if not words:
        return "has no letters"
    if name.strip().casefold() in PRONOUNS:
        return "is a pronoun"
    if not any(ch.isupper() for ch in name):
        return "has no capital letter"
    if words[0].casefold() in _DESCRIPTION_START:
        return "starts like a description, not a name"
    if len(words) > 8:
        return "is too long for a name"
    return None


def _ref(article_id: str, idx: int) -> str:
    return f"{article_id[:12]}#{idx}"


def _corrected(extra: str | None, field: str) -> bool:
    if not extra or "corrected" not in extra:
        return False
    value = json.loads(extra)
    return isinstance(value, dict) and field in value.get("corrected", ())


def review_queue(conn: sqlite3.Connection, *, reasons: tuple[str, ...] = REASONS,
                 limit: int = 50) -> list[ReviewItem]:
    """Up to ``limit`` items per reason, in the order of ``REASONS``."""
    unknown = [r for r in reasons if r not in REASONS]
    if unknown:
        raise ConfigError(f"unknown review reason {unknown[0]!r}; use one of {', '.join(REASONS)}")
    have = tables(conn)
    items: list[ReviewItem] = []
    if "both_sides" in reasons and {"claims", "claim_statements"} <= have:
        rows = conn.execute(
            "SELECT c.id, c.proposition, s.party, min(s.article_id), min(s.text) FROM claim_statements s"
            " JOIN claims c ON c.id = s.claim_id GROUP BY s.claim_id, s.party"
            " HAVING count(DISTINCT s.side) > 1 ORDER BY c.first_seen DESC, c.id LIMIT ?", (limit,))
        for cid, proposition, party, article_id, text in rows:
            items.append(ReviewItem(
                "both_sides", cid, article_id, None, party, text,
                f"{party} is both asserting and disputing “{proposition}”",
                f'onrecord fix claim {cid} "{party}" --side asserted|disputed|--remove'))
    statement_sql = ("SELECT article_id, idx, speaker_name, confidence, content_text, extra FROM attributions"
                     " WHERE {} ORDER BY article_id, idx LIMIT ?")
    if "suspect_speaker" in reasons:
        found = 0
        for aid, idx, name, _, text, extra in conn.execute(statement_sql.format("speaker_name IS NOT NULL"), (-1,)):
            why = suspect_name(name)
            if why is None or _corrected(extra, "speaker"):
                continue
            ref = _ref(aid, idx)
            items.append(ReviewItem("suspect_speaker", ref, aid, idx, name, text, f"the speaker name “{name}” {why}",
                                    f'onrecord fix speaker {ref} "NAME"   (or --clear)'))
            found += 1
            if found >= limit:
                break
    if "low_confidence" in reasons:
        for aid, idx, name, conf, text, extra in conn.execute(
                statement_sql.format("confidence < ?").replace("ORDER BY", "ORDER BY confidence,"),
                (LOW_CONFIDENCE, limit)):
            if _corrected(extra, "speaker"):
                continue
            ref = _ref(aid, idx)
            items.append(ReviewItem("low_confidence", ref, aid, idx, name, text,
                                    f"extracted with confidence {conf:.2f}",
                                    f'onrecord fix speaker {ref} "NAME"   (or --clear)'))
    if "undated" in reasons:
        for aid, idx, name, _, text, extra in conn.execute(statement_sql.format("day IS NULL"), (limit,)):
            ref = _ref(aid, idx)
            items.append(ReviewItem("undated", ref, aid, idx, name, text,
                                    "neither the text nor the article says when this was said",
                                    f"onrecord fix date {ref} YYYY-MM-DD"))
    return items


def review(db: str | Path, *, reasons: tuple[str, ...] = REASONS, limit: int = 50) -> list[ReviewItem]:
    from ..store.connection import open_reader

    conn = open_reader(db)
    try:
        return review_queue(conn, reasons=reasons, limit=limit)
    finally:
        conn.close()

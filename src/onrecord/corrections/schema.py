"""The corrections feature's tables (migrations 0300–0399).

    corrections      every correction a person made: what (kind), where (the statement's article and cue span, or a
                     claim, position or names), the new value, who and when; undone ones stay, marked undone
    correction_log   the audit trail: every correction made or undone, by whom and when

No foreign key ties a correction to an article: a correction outlives ``--reprocess``, which deletes and
re-inserts the article, and is applied again to the re-extracted rows (see :mod:`onrecord.corrections.apply`).
"""

from __future__ import annotations

_CORRECTIONS = """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('speaker', 'date', 'claim_side', 'claim_remove', 'stance', 'merge', 'split')),
    article_id TEXT,                  -- statement corrections: the article (no foreign key: survives --reprocess)
    cue_start INTEGER,                -- the statement's first cue span when it was corrected: finds it again
    cue_end INTEGER,                  --   after re-extraction, whatever its position in the list
    target TEXT,                      -- claim id, position id, or JSON list of names (merge, split)
    party TEXT,                       -- claim corrections: the party moved or removed
    value TEXT,                       -- JSON: the new value (a name, a date, a side, a stance; null clears)
    before TEXT,                      -- JSON: what it replaced, for reading the list
    note TEXT,                        -- what was corrected, in words
    actor TEXT NOT NULL,
    made_at TEXT NOT NULL,
    undone_by TEXT,
    undone_at TEXT
);
CREATE INDEX corrections_article ON corrections(article_id) WHERE undone_at IS NULL;

CREATE TABLE correction_log (
    id INTEGER PRIMARY KEY,
    correction_id INTEGER NOT NULL REFERENCES corrections(id),
    action TEXT NOT NULL CHECK (action IN ('made', 'undone')),
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0300_corrections", _CORRECTIONS),
]

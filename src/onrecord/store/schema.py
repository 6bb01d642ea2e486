"""The store's own tables: articles, where each was seen, speakers, attributions and their FTS5 indexes.

Names 0001_… to 0099_… belong to this module; feature packages number theirs
from 0100 (entities) and 0200 (claims) and reach the core through foreign keys:

    REFERENCES articles(id) ON DELETE CASCADE
    FOREIGN KEY (article_id, idx) REFERENCES attributions(article_id, idx) ON DELETE CASCADE

so that replacing an article (``--reprocess``) removes their rows in the same
transaction as the writer's own.
"""

from __future__ import annotations

_CORE = """
CREATE TABLE articles (
    pk INTEGER PRIMARY KEY,            -- stable integer key for the FTS index (VACUUM keeps it)
    id TEXT NOT NULL UNIQUE,           -- analysis.content_id(text)
    url TEXT,
    outlet TEXT,
    title TEXT,
    author TEXT,
    published TEXT,                    -- ISO 8601 date or datetime, as given by the source
    language TEXT,
    origin TEXT,                       -- the file, URL or "-" it was first read from
    name TEXT,
    text TEXT NOT NULL,
    words INTEGER NOT NULL,
    n_attributions INTEGER NOT NULL,   -- written in the same transaction: a check against half-written rows
    extractor_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL,         -- first time this text was stored (kept across --reprocess)
    processed_at TEXT NOT NULL,        -- last extraction
    error TEXT                         -- extraction or enricher failure; such articles are retried
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet COLLATE NOCASE);
CREATE INDEX articles_url ON articles(url);

-- Every place an article's text was seen: syndicated copies share one article row.
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (article_id, origin)
) WITHOUT ROWID;

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type TEXT NOT NULL DEFAULT 'UNKNOWN'
);

CREATE TABLE attributions (
    pk INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,              -- position in ProcessedArticle.attributions
    kind TEXT NOT NULL,
    speaker_id INTEGER REFERENCES speakers(id),
    speaker_name TEXT,
    speaker_mention TEXT,
    speaker_type TEXT,
    speaker_antecedent TEXT,           -- JSON [start, end] or NULL
    confidence REAL NOT NULL,
    source_spans TEXT NOT NULL,        -- JSON [[start, end], ...], code-point offsets into articles.text
    cue_spans TEXT NOT NULL,
    content_spans TEXT NOT NULL,
    source_text TEXT NOT NULL,
    cue_text TEXT NOT NULL,
    content_text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    said_on TEXT,                      -- ISO date the statement was made (filled by the entities feature)
    extra TEXT,                        -- JSON object or NULL
    UNIQUE (article_id, idx)
);
CREATE INDEX attributions_speaker ON attributions(speaker_id);
CREATE INDEX attributions_kind ON attributions(kind);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='pk',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
END;

CREATE VIRTUAL TABLE attributions_fts USING fts5(
    speaker_name, content_text, content='attributions', content_rowid='pk',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER attributions_fts_insert AFTER INSERT ON attributions BEGIN
    INSERT INTO attributions_fts(rowid, speaker_name, content_text) VALUES (new.pk, new.speaker_name, new.content_text);
END;
CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN
    INSERT INTO attributions_fts(attributions_fts, rowid, speaker_name, content_text)
        VALUES ('delete', old.pk, old.speaker_name, old.content_text);
END;
CREATE TRIGGER attributions_fts_update AFTER UPDATE OF speaker_name, content_text ON attributions BEGIN
    INSERT INTO attributions_fts(attributions_fts, rowid, speaker_name, content_text)
        VALUES ('delete', old.pk, old.speaker_name, old.content_text);
    INSERT INTO attributions_fts(rowid, speaker_name, content_text) VALUES (new.pk, new.speaker_name, new.content_text);
END;
"""

# A statement's date (when it was said, else the day its article was published) as an indexed column, so
# "quotes --by X" and "--since" newest first read only the rows they return instead of sorting every match.
# ``day`` is generated, so the dates feature filling ``said_on`` moves it with no extra work.
_STATEMENT_DAY = """
ALTER TABLE attributions ADD COLUMN published_day TEXT;  -- YYYY-MM-DD of the article, copied by the writer
ALTER TABLE attributions ADD COLUMN day TEXT GENERATED ALWAYS AS (COALESCE(said_on, published_day)) VIRTUAL;
UPDATE attributions SET published_day =
    (SELECT substr(published, 1, 10) FROM articles WHERE articles.id = attributions.article_id);
CREATE INDEX attributions_speaker_day ON attributions(speaker_id, day);
DROP INDEX attributions_speaker;  -- the new index starts with speaker_id: it serves every lookup the old one did
CREATE INDEX attributions_day ON attributions(day);
"""

# Articles written since the enrichers' cross-article step last completed. The writer adds a row in each
# article's own transaction and finalize deletes them in its own, so a run killed in between leaves the
# marker behind and the next run (even one that stores nothing new) rebuilds the derived tables.
# No foreign key: replacing an article deletes its row, and that too leaves finalize work to do.
_PENDING_FINALIZE = """
CREATE TABLE pending_finalize (
    article_id TEXT PRIMARY KEY,
    since TEXT NOT NULL          -- when the article was written (UTC ISO 8601)
) WITHOUT ROWID;
"""

# What the incremental finalize needs to trust its cross-article tables: for each feature, a fingerprint
# of the code and alias rules that built them. A different fingerprint means a full rebuild.
_FINALIZE_STATE = """
CREATE TABLE finalize_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

#: (name, SQL script), applied in name order by :mod:`onrecord.store.migrations`.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_core", _CORE),
    ("0002_statement_day", _STATEMENT_DAY),
    ("0090_pending_finalize", _PENDING_FINALIZE),
    ("0091_finalize_state", _FINALIZE_STATE),
]

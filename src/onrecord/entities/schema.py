"""The entities feature's tables (migrations 0100–0199), written by :class:`~onrecord.entities.enricher.EntityEnricher`.

Per article (replaced with the article: every row cascades from ``articles``):

    entity_articles    the enrichment as JSON (what finalize re-reads) with the publication date
    entity_locals      one row per entity an article knows, with its in-article id ``local``
    entity_mentions    where each is named or referred to
    entity_roles       roles from titles and appositions, with the date they were seen (publication day)
    entity_speakers    attribution (article_id, idx) → local entity, and how the link was made
    date_mentions      every resolved date expression
    statement_dates    the date the text gives for a statement; day-precise ones also fill attributions.said_on
    quantities         figures inside attributed content, with the local entity that reported them

Across articles (kept up to date by ``finalize``, see entities/incremental.py):

    entities           canonical entities: name, type, aliases, roles (JSON), statement count, merge evidence
    entity_members     (article_id, local) → entity id
    entity_names       every name an entity goes by, keyed for spelling-insensitive lookup
    entity_overrides   merges and splits the user asked for with `onrecord entities merge/split`
    entity_statements  every statement of each entity in date order (the speaker page reads one index range)
    entity_forms       local entities the merge cannot tell apart, once each, with their counts and entity
    entity_nodes       every local entity's form (outlives a replaced article, so finalize knows what it was)
    entity_form_keys   each form's blocking keys (what finalize follows to the forms a new article reaches)
    entity_key_links   stored "t:" keys spelled alike, both ways (found once, when a key first appears)
    entity_form_refs   which forms have members that speak for, or belong to, a form's members
    entity_refs        the name keys each entity's roles are of
"""

from __future__ import annotations

_PER_ARTICLE = """
CREATE TABLE entity_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    published TEXT,
    outlet TEXT,
    data TEXT NOT NULL                -- JSON: EntityEnricher.analyse's output
);

CREATE TABLE entity_locals (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local INTEGER NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    stands_for INTEGER,               -- local id of the government a seat or capital speaks for
    part_of INTEGER,                  -- local id of the organisation a role or unit belongs to
    PRIMARY KEY (article_id, local)
) WITHOUT ROWID;

CREATE TABLE entity_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    how TEXT NOT NULL                 -- name, title, pronoun, metonym, institution, role, group
);
CREATE INDEX entity_mentions_article ON entity_mentions(article_id, local);

CREATE TABLE entity_roles (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local INTEGER NOT NULL,
    title TEXT NOT NULL,
    of TEXT,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    source TEXT NOT NULL,
    seen_on TEXT                      -- the article's publication day: roles change over time
);
CREATE INDEX entity_roles_article ON entity_roles(article_id, local);

CREATE TABLE entity_speakers (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    local INTEGER NOT NULL,
    via TEXT NOT NULL,
    PRIMARY KEY (article_id, idx),
    FOREIGN KEY (article_id, idx) REFERENCES attributions(article_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE date_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,              -- ISO 8601 at its precision: 2025-12-01, 2025-W48, 2025-11, 2022
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    granularity TEXT NOT NULL,        -- day, week, month, year
    relative INTEGER NOT NULL         -- 1 when the publication date decided it
);
CREATE INDEX date_mentions_article ON date_mentions(article_id);

CREATE TABLE statement_dates (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    first_day TEXT NOT NULL,
    granularity TEXT NOT NULL,
    PRIMARY KEY (article_id, idx),
    FOREIGN KEY (article_id, idx) REFERENCES attributions(article_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE quantities (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,             -- the attribution whose content holds the figure
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value REAL,
    low REAL,
    high REAL,
    bound TEXT NOT NULL,              -- exact, min, max, approx
    qualifier TEXT NOT NULL,
    unit TEXT,
    counts TEXT NOT NULL,
    predicate TEXT NOT NULL,
    reported_by TEXT,                 -- the speaker's name in the article
    reporter_local INTEGER,           -- its local entity (canonical one through entity_members)
    FOREIGN KEY (article_id, idx) REFERENCES attributions(article_id, idx) ON DELETE CASCADE
);
CREATE INDEX quantities_article ON quantities(article_id, idx);
"""

#: Each statement's entity, day and key: what ``entity_statements`` holds (the migration and rebuild share it).
STATEMENTS_SELECT = (
    "SELECT m.entity_id, COALESCE(a.day, ''), a.pk, a.article_id FROM entity_speakers s"
    " JOIN entity_members m ON m.article_id = s.article_id AND m.local = s.local"
    " JOIN attributions a ON a.article_id = s.article_id AND a.idx = s.idx"
)



def statements_of(nodes: str) -> str:
    """What STATEMENTS_SELECT gives, for the local entities in table ``nodes`` (article_id, local) only, read
    starting from that table (an index lookup per local entity, never a pass over every statement)."""
    return ("SELECT m.entity_id, COALESCE(a.day, ''), a.pk, a.article_id FROM " + nodes + " n"
            " CROSS JOIN entity_speakers s ON s.article_id = n.article_id AND s.local = n.local"
            " JOIN entity_members m ON m.article_id = s.article_id AND m.local = s.local"
            " JOIN attributions a ON a.article_id = s.article_id AND a.idx = s.idx")


_CANONICAL = """
CREATE TABLE entities (
    id TEXT PRIMARY KEY,              -- stable slug: person:volodymyr-zelensky
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    stands_for TEXT,                  -- canonical name of the government it speaks for
    part_of TEXT,
    statements INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    aliases TEXT NOT NULL,            -- JSON list
    roles TEXT NOT NULL,              -- JSON list of {role, title, of, first_seen, last_seen, articles}
    evidence TEXT NOT NULL            -- JSON list of {a, b, rule, detail, score}
);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
CREATE INDEX entities_type ON entities(type, statements);

CREATE TABLE entity_members (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (article_id, local)
) WITHOUT ROWID;
CREATE INDEX entity_members_entity ON entity_members(entity_id);

CREATE TABLE entity_names (
    key TEXT NOT NULL,                -- names.skeleton(name)
    name TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
CREATE INDEX entity_names_key ON entity_names(key);

CREATE TABLE entity_overrides (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    names TEXT NOT NULL,              -- JSON list; for merge the first is the name to show
    created_at TEXT NOT NULL
);

-- Each statement with its canonical speaker: the join most queries want.
CREATE VIEW statement_speakers AS
SELECT s.article_id, s.idx, s.via, m.entity_id, e.name AS entity_name, e.type AS entity_type
FROM entity_speakers s
JOIN entity_members m ON m.article_id = s.article_id AND m.local = s.local
JOIN entities e ON e.id = m.entity_id;
"""

# The speaker page lists an entity's statements newest first. Joining members, speakers and attributions
# for that costs a lookup in three indexes per statement (0.3 s for a speaker quoted 57,000 times); this
# table, rebuilt with the other canonical tables, is one range of one index. Undated statements have day ''
# so that they sort last. Filled here from what a store already holds, so no finalize is needed after upgrade.
_STATEMENTS = """
CREATE TABLE entity_statements (
    entity_id TEXT NOT NULL,
    day TEXT NOT NULL,                -- attributions.day, '' when the statement has none
    pk INTEGER NOT NULL,              -- attributions.pk
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, day, pk)
) WITHOUT ROWID;
CREATE INDEX entity_statements_article ON entity_statements(article_id);
""" + f"INSERT INTO entity_statements(entity_id, day, pk, article_id) {STATEMENTS_SELECT};\n"

# Issue 12, one resolution layer: a store written before it holds speakers resolved by the old resolvers and
# canonical entities merged without the country rule.  Upgrading marks every article for the cross-article step,
# so the next run (any `onrecord ingest`, even one storing nothing new) rebuilds the canonical entities with the
# new merge rules; `onrecord ingest --reprocess` re-resolves every statement.  Hand merges and splits live in
# entity_overrides, which neither step touches, and are applied again by the rebuild.
_RESOLUTION_LAYER = """
INSERT OR REPLACE INTO pending_finalize(article_id, since)
SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM articles;
"""

# What the incremental finalize needs (entities/incremental.py): every local entity's blocking keys with the
# canonical entity it is in, and the name keys each entity's roles use. No foreign keys: the rows of a
# replaced article must outlive it, so that finalize knows which components its old version was in.
# Empty after the upgrade: the next finalize finds no fingerprint in finalize_state and rebuilds in full.
_KEYS = """
CREATE TABLE entity_keys (
    key TEXT NOT NULL,                -- entities.blocking.node_keys
    article_id TEXT NOT NULL,
    local INTEGER NOT NULL,
    entity_id TEXT,                   -- NULL until finalize places the local entity
    PRIMARY KEY (key, article_id, local)
) WITHOUT ROWID;
CREATE INDEX entity_keys_node ON entity_keys(article_id, local);

CREATE TABLE entity_refs (
    key TEXT NOT NULL,                -- names.skeleton of what a role is of
    entity_id TEXT NOT NULL,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_refs_entity ON entity_refs(entity_id);
"""

# Forms (entities/forms.py): the incremental finalize works on distinct forms, not on every local entity.
# entity_keys is replaced by entity_form_keys; the next finalize finds an older fingerprint and rebuilds in full.
_FORMS = """
DROP TABLE IF EXISTS entity_keys;

CREATE TABLE entity_forms (
    form TEXT PRIMARY KEY,            -- entities.forms.form_of(...).id
    data TEXT NOT NULL,               -- JSON: {"entity": the local entity as the merge reads it, "day": ...}
    nodes INTEGER NOT NULL,           -- local entities of this form
    statements INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    refs TEXT NOT NULL,               -- JSON: {"stands_for": {form: n}, "part_of": {form: n}, "roles": ...}
    entity_id TEXT                    -- NULL until finalize places it
) WITHOUT ROWID;
CREATE INDEX entity_forms_entity ON entity_forms(entity_id);

CREATE TABLE entity_nodes (
    article_id TEXT NOT NULL,
    local INTEGER NOT NULL,
    form TEXT NOT NULL,
    statements INTEGER NOT NULL,
    stands_for TEXT,                  -- the form of the local entity it speaks for
    part_of TEXT,
    held TEXT,                        -- JSON: the roles and day it adds to its form's counts (entities.forms)
    PRIMARY KEY (article_id, local)
) WITHOUT ROWID;
CREATE INDEX entity_nodes_form ON entity_nodes(form, article_id);

CREATE TABLE entity_form_keys (
    key TEXT NOT NULL,                -- entities.blocking.node_keys
    form TEXT NOT NULL,
    PRIMARY KEY (key, form)
) WITHOUT ROWID;
CREATE INDEX entity_form_keys_form ON entity_form_keys(form);

CREATE TABLE entity_key_links (
    key TEXT NOT NULL,                -- a "t:" key and another stored one spelled alike (blocking.linked)
    other TEXT NOT NULL,
    PRIMARY KEY (key, other)
) WITHOUT ROWID;

CREATE TABLE entity_form_refs (
    target TEXT NOT NULL,
    form TEXT NOT NULL,
    PRIMARY KEY (target, form)
) WITHOUT ROWID;
CREATE INDEX entity_form_refs_form ON entity_form_refs(form);
"""

# The type the merge gave a form where it is not the form's own ("Orlov" tagged as an organisation, a person
# elsewhere): what lets finalize reweigh an entity from its forms without merging its component again.
_FORM_TYPES = """
ALTER TABLE entity_forms ADD COLUMN as_type TEXT;
"""

# Finalize reads and replaces an entity's names by entity id: without this index each of those is a pass over
# every name in the store.
_NAMES_BY_ENTITY = """
CREATE INDEX IF NOT EXISTS entity_names_entity ON entity_names(entity_id);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0100_entities_per_article", _PER_ARTICLE),
    ("0101_entities_canonical", _CANONICAL),
    ("0102_entity_statements", _STATEMENTS),
    ("0103_resolution_layer", _RESOLUTION_LAYER),
    ("0104_entity_keys", _KEYS),
    ("0105_entity_forms", _FORMS),
    ("0106_entity_form_types", _FORM_TYPES),
    ("0107_entity_names_entity", _NAMES_BY_ENTITY),
]

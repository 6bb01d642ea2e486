"""The claims feature's tables (migrations 0200–0299), written by :class:`~onrecord.claims.enricher.ClaimsEnricher`.

Per article (replaced with the article: every row cascades from ``articles``):

    claim_articles      the enrichment as JSON (what finalize re-reads), with publication day and outlet
    claim_mentions      one party affirming (+1) or denying (-1) one proposition, with its evidence span
    proposal_mentions   the proposals an article talks about, with who put each forward
    position_mentions   one party's stance on one proposal in one article

Across articles (kept up to date by ``finalize``, see claims/incremental.py):

    claims              one proposition: kind, target, holder, who asserted and who disputed it (JSON lists)
    claim_statements    each party's statement on a claim, on which side, with article, span and date
    proposals           proposals merged across articles
    positions           party × proposal → latest stance and every stance seen
    position_evidence   the sentences each position rests on
    claim_article_blocks, claim_name_refs, claim_block_rows, claim_party_nodes   what finalize updates by
    claim_items         each block's mentions, positions and proposals, dated, parties resolved: what it regroups
"""

from __future__ import annotations

_PER_ARTICLE = """
CREATE TABLE claim_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    published TEXT,                   -- the article's publication day (statements without a date get it)
    outlet TEXT,
    data TEXT NOT NULL                -- JSON: ClaimsEnricher.analyse's output
);

CREATE TABLE claim_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,             -- position in the article's mention list
    kind TEXT NOT NULL,               -- control, casualties, prisoners, accusation, authorship, progress
    target TEXT NOT NULL,
    party TEXT,                       -- NULL: the text does not say who asserts it ("accusations that ...")
    party_side TEXT,
    holder TEXT,                      -- who the proposition credits (see holder_other)
    polarity INTEGER NOT NULL CHECK (polarity IN (1, -1)),
    change INTEGER NOT NULL,
    value TEXT,
    cue TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    said_on TEXT,
    via TEXT NOT NULL,                -- attribution, nominal, reference
    answers INTEGER,                  -- idx of the assertion this dispute answers, in the same article
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX claim_mentions_target ON claim_mentions(kind, target COLLATE NOCASE);

CREATE TABLE proposal_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,               -- plan, amendment, alternative, membership
    proposed_by TEXT,
    spans TEXT NOT NULL,              -- JSON [[start, end], ...] of every mention
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE position_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    party TEXT NOT NULL,
    proposal TEXT NOT NULL,
    proposal_key TEXT NOT NULL,
    stance TEXT NOT NULL,
    cue TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    said_on TEXT,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
"""

_ACROSS = """
CREATE TABLE claims (
    id TEXT PRIMARY KEY,              -- hash of kind, target and holder: stable across rebuilds
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    holder TEXT,
    topic TEXT NOT NULL,
    proposition TEXT NOT NULL,
    value TEXT,
    contested INTEGER NOT NULL,
    asserted_by TEXT NOT NULL,        -- JSON list of party names
    disputed_by TEXT NOT NULL,        -- JSON list of party names
    first_seen TEXT,
    disputed_since TEXT,
    statements INTEGER NOT NULL
);
CREATE INDEX claims_contested ON claims(contested, first_seen);

CREATE TABLE claim_statements (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,             -- date order
    party TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('asserted', 'disputed')),
    cue TEXT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    said_on TEXT,
    outlet TEXT,
    PRIMARY KEY (claim_id, ord)
) WITHOUT ROWID;
CREATE INDEX claim_statements_article ON claim_statements(article_id);

CREATE TABLE proposals (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    proposed_by TEXT,
    articles INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE positions (
    id TEXT PRIMARY KEY,              -- hash of party and proposal key
    party TEXT NOT NULL,
    proposal TEXT NOT NULL,
    proposal_key TEXT NOT NULL,
    stance TEXT NOT NULL,             -- the latest stance
    stances TEXT NOT NULL,            -- JSON: every stance seen, in date order
    first_seen TEXT,
    last_seen TEXT
);
CREATE INDEX positions_proposal ON positions(proposal_key);

CREATE TABLE position_evidence (
    position_id TEXT NOT NULL REFERENCES positions(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    stance TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    said_on TEXT,
    outlet TEXT,
    PRIMARY KEY (position_id, ord)
) WITHOUT ROWID;
"""

# What the incremental finalize needs (claims/incremental.py). No foreign keys: the rows of a replaced
# article must outlive it, so that finalize knows which blocks its old version was in. Empty after the
# upgrade: the next finalize finds no version in finalize_state and regroups in full.
_BLOCKS = """
CREATE TABLE claim_article_blocks (
    article_id TEXT NOT NULL,
    block TEXT NOT NULL,              -- grouping.mention_block / proposal_block of one of its items
    PRIMARY KEY (article_id, block)
) WITHOUT ROWID;
CREATE INDEX claim_article_blocks_block ON claim_article_blocks(block);

CREATE TABLE claim_name_refs (
    key TEXT NOT NULL,                -- names.skeleton of a target or party named through the entities
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE INDEX claim_name_refs_article ON claim_name_refs(article_id);

CREATE TABLE claim_block_rows (
    tbl TEXT NOT NULL,                -- claims, positions, proposals
    id TEXT NOT NULL,                 -- claims.id, positions.id, proposals.key
    block TEXT NOT NULL,              -- (after the key: SQLite 3.40's integrity_check misreads it before)
    PRIMARY KEY (tbl, id)
) WITHOUT ROWID;
CREATE INDEX claim_block_rows_block ON claim_block_rows(block);
"""

_HOLDER_OTHER = """
-- holder_other = 1: the proposition credits some side other than `holder` ("X withdrew from the town").
ALTER TABLE claim_mentions ADD COLUMN holder_other INTEGER NOT NULL DEFAULT 0;
"""

# Issue 12, one resolution layer: the parties of claims and positions are the entities the resolution layer
# found, not names the claims code made up.  Per article, each mention and position keeps the attribution whose
# speaker its party is (``source``, NULL for a party named in the text); across articles, each statement and
# position holds its party's canonical entity (``party_id``, NULL when no entity names it) beside the canonical
# name shown and exported (``party``).  claim_party_nodes remembers which local entity each party came through,
# so that the incremental finalize regroups an article when the entities finalize moves one of them.
# Upgrading marks every article for the cross-article step (the next run regroups every claim with its parties
# resolved; the claims' finalize_state is dropped so that it regroups in full), and `onrecord ingest
# --reprocess` re-reads each article's parties from its attributions.  Hand corrections (corrections tables,
# 0300) are untouched and applied again after the regrouping.
_PARTY_ENTITIES = """
ALTER TABLE claim_mentions ADD COLUMN source INTEGER;      -- attributions.idx of the party's statement, or NULL
ALTER TABLE position_mentions ADD COLUMN source INTEGER;
ALTER TABLE claim_statements ADD COLUMN party_id TEXT;     -- entities.id of the party, NULL: no entity names it
ALTER TABLE positions ADD COLUMN party_id TEXT;
CREATE INDEX claim_statements_party ON claim_statements(party_id);
CREATE INDEX positions_party ON positions(party_id);
CREATE TABLE claim_party_nodes (
    article_id TEXT NOT NULL,         -- no foreign key: like claim_article_blocks, it outlives a replaced article
    local INTEGER NOT NULL,           -- the local entity (entity_locals) a party of the article came through
    entity_id TEXT NOT NULL,          -- its canonical entity when the claims were last grouped
    name TEXT NOT NULL,               -- and that entity's name then
    PRIMARY KEY (article_id, local)
) WITHOUT ROWID;
DELETE FROM finalize_state WHERE name = 'claims';
INSERT OR REPLACE INTO pending_finalize(article_id, since)
SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM articles;
"""

# Issue 14: each block's items stored with what grouping reads of them (the mention, position or proposal with
# its statement's day, and the entity its party resolved to), so that the incremental finalize regroups a block
# from these rows instead of re-reading, re-dating and re-resolving every article in it.  Refreshed for the
# articles a finalize works on (pending, or whose parties or names the entities finalize changed).  The claims'
# finalize_state goes, so the next finalize regroups in full once and fills it.
_ITEMS = """
CREATE TABLE claim_items (
    block TEXT NOT NULL,              -- grouping.mention_block / proposal_block
    article_id TEXT NOT NULL,         -- no foreign key, like claim_article_blocks
    what TEXT NOT NULL CHECK (what IN ('mention', 'position', 'proposal')),
    idx INTEGER NOT NULL,             -- its index in the article's list of that kind
    published TEXT,
    outlet TEXT,
    item TEXT NOT NULL,               -- JSON: ClaimMention / PositionMention / ProposalMention, dated from the store
    party_id TEXT,                    -- the entity its party resolved to (NULL: none, or no party)
    party TEXT,                       -- that entity's canonical name, or the party's own name
    PRIMARY KEY (block, article_id, what, idx)
) WITHOUT ROWID;
CREATE INDEX claim_items_article ON claim_items(article_id);
DELETE FROM finalize_state WHERE name = 'claims';
"""

# The local entity each item's party came through (claims/party_entities.py, ``local_of``): it depends on the
# article alone, so an article whose parties or names only the entities finalize changed has its parties found
# again from its stored items, without reading the article.  Proposals are stored without their spans (grouping
# never reads them).  Regrouped in full once (no finalize_state).
_ITEMS_LOCAL = """
ALTER TABLE claim_items ADD COLUMN party_local INTEGER;   -- entity_locals.local the party came through, or NULL
DELETE FROM finalize_state WHERE name = 'claims';
"""

# Issue 14: an entity renamed by the entities finalize keeps its id (entities/merge.py, _id_name), so the claims
# finalize finds the articles whose parties it is by entity id instead of by each of its local entities.
_PARTY_NODES_ENTITY = """
CREATE INDEX IF NOT EXISTS claim_party_nodes_entity ON claim_party_nodes(entity_id);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0200_claims_per_article", _PER_ARTICLE),
    ("0201_claims_across_articles", _ACROSS),
    ("0202_claim_blocks", _BLOCKS),
    ("0203_claim_mentions_holder_other", _HOLDER_OTHER),
    ("0204_claim_party_entities", _PARTY_ENTITIES),
    ("0205_claim_items", _ITEMS),
    ("0206_claim_items_local", _ITEMS_LOCAL),
    ("0207_claim_party_nodes_entity", _PARTY_NODES_ENTITY),
]

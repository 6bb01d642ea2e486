"""What each page needs from the store, as typed records; the views only render them.

Every function takes the server's :class:`~onrecord.web.state.StoreState` and
runs on the calling thread's read-only connection.  The work a page does is
bounded by what it shows (one article, one page of statements, one page of
claims), except for whole-speaker figures (counts, the chart), which are
computed once per store generation and cached.  Entities and claims are
optional: a store made before those features gets pages that say so instead
of errors.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..errors import ConfigError, OnrecordError
from ..records import Span
from ..store.filters import parse_date
from ..store.fts import fts_query
from ..store.records import display_title
from .chart import build_chart
from .records import Chart
from .highlight import pieces_of, runs
from .records import (ArticleLink, ArticlePage, Cell, ClaimCard, ClaimNote, ClaimsBoard, ClaimStatement, Evidence,
                      HitRow, HomePage, Pager, PositionsMatrix, RoleRow, SearchPage, SpeakerPage, SpeakerSummaryRow,
                      StatementRow, TimelinePage)
from .state import Session, StoreState

PER_PAGE = 50
CLAIMS_PER_PAGE = 25
MATRIX_PROPOSALS = 12
MATRIX_PARTIES = 40


class NotFound(OnrecordError):
    """The page asks for something the store does not hold (an article, a speaker)."""


# -- shared pieces ----------------------------------------------------------------------------------------

#: No listing has this many pages; a larger number is refused before it reaches SQLite (which holds 64 bits).
MAX_PAGE = 10_000_000


def _page_number(page: int | str | None) -> int:
    text = str(page or 1).strip()
    if len(text) > 12 or not text.lstrip("+-").isdigit():
        raise ConfigError(f"page {text[:20]!r} is not a page number; use page=1, 2, ...")
    number = int(text)
    if number > MAX_PAGE:
        raise ConfigError(f"page {number} is past the last page; use page=1, 2, ...")
    return max(1, number)


def parse_mark(value: str | None) -> Span | None:
    """``START-END`` in the URL (evidence links) as a span; anything else is refused with a hint."""
    if not value:
        return None
    start, sep, end = value.partition("-")
    try:
        span = Span(int(start), int(end)) if sep else None
    except ValueError:
        span = None
    if span is None:
        raise ConfigError(f"mark={value!r} is not START-END character offsets, e.g. mark=120-184")
    return span


def _statement_rows(session: Session, pks: Iterable[int], *, entity_names: bool = True) -> list[StatementRow]:
    """Statements by primary key, in the order given, with their canonical speakers where the store has them."""
    pks = list(pks)
    if not pks:
        return []
    marks = ",".join("?" * len(pks))
    rows = session.conn.execute(
        "SELECT a.pk, a.article_id, a.idx, a.day, a.said_on, a.kind, a.speaker_name, a.speaker_mention,"
        " a.cue_text, a.content_text, a.confidence, ar.title, ar.outlet"
        f" FROM attributions a JOIN articles ar ON ar.id = a.article_id WHERE a.pk IN ({marks})", pks).fetchall()
    linked = {}
    if entity_names and session.has_entities and rows:
        # Joined by the statements' keys, each step a primary-key lookup (a LEFT JOIN onto the view, or one
        # "(article_id = ? AND idx = ?) OR ..." term per row, cost several times more).
        linked = {pk: (eid, name, via) for pk, eid, name, via in session.conn.execute(
            "SELECT a.pk, s.entity_id, s.entity_name, s.via FROM attributions a JOIN statement_speakers s"
            f" ON s.article_id = a.article_id AND s.idx = a.idx WHERE a.pk IN ({marks})", pks)}
    by_pk = {}
    for pk, aid, idx, day, said_on, kind, speaker, mention, cue, content, confidence, title, outlet in rows:
        eid, name, via = linked.get(pk, (None, None, None))
        by_pk[pk] = StatementRow(aid, idx, day, said_on, kind, name or speaker, eid or speaker, via, mention, cue,
                                 content, confidence, title, outlet)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _party_refs(state: StoreState, session: Session, names: Iterable[str]) -> dict[str, str | None]:
    """The speaker page each party name can link to (an entity id, a speaker name) or None."""
    # One memo per store generation: a claims page names hundreds of parties, mostly the same ones.
    known: dict[str, str | None] = state.cache.get(("party-refs",), state.generation, dict)
    out: dict[str, str | None] = {}
    for name in set(names):
        if name in known:
            out[name] = known[name]
            continue
        ref = None
        if session.has_entities:
            from ..entities.names import skeleton

            row = session.conn.execute(
                "SELECT n.entity_id FROM entity_names n JOIN entities e ON e.id = n.entity_id WHERE n.key = ?"
                " ORDER BY e.statements DESC LIMIT 1", (skeleton(name),)).fetchone()
            ref = row[0] if row else None
        if ref is None:
            row = session.conn.execute("SELECT name FROM speakers WHERE name = ?", (name,)).fetchone()
            ref = row[0] if row else None
        out[name] = known[name] = ref
    return out


# -- article reader ---------------------------------------------------------------------------------------

def article_page(state: StoreState, ref: str, *, mark: Span | None = None) -> ArticlePage:
    session = state.session()
    try:
        view = session.reader.article(ref)
    except ConfigError as err:
        raise NotFound(str(err)) from None
    article = view.article
    linked = {}
    if session.has_entities:
        linked = {idx: (eid, name, via) for idx, eid, name, via in session.conn.execute(
            "SELECT idx, entity_id, entity_name, via FROM statement_speakers WHERE article_id = ?", (article.id,))}
    statements = []
    for q in view.quotes:
        eid, name, via = linked.get(q.idx, (None, None, None))
        statements.append(StatementRow(
            q.article_id, q.idx, q.date, q.said_on, q.kind.value, name or q.speaker, eid or q.speaker, via,
            q.speaker_mention or q.source_text or None, q.cue_text, q.content_text, q.confidence))
    text_runs = runs(article.text, pieces_of((q.idx, q.source, q.cue, q.content) for q in view.quotes), mark)
    return ArticlePage(article, text_runs, tuple(statements), _article_notes(session, article.id), mark,
                       session.has_claims)


def _article_notes(session: Session, article_id: str) -> tuple[ClaimNote, ...]:
    if not session.has_claims:
        return ()
    from ..claims.records import ClaimKind

    notes = []
    for kind, target, party, polarity, start, end, text in session.conn.execute(
        "SELECT kind, target, party, polarity, start, end, text FROM claim_mentions WHERE article_id = ?"
        " ORDER BY start", (article_id,)
    ):
        try:
            label = ClaimKind(kind).topic(target)
        except ValueError:  # a kind added after this version of the page: show it as stored
            label = f"{kind}: {target}"
        notes.append(ClaimNote(kind, label, party, "asserts" if polarity > 0 else "disputes", Span(start, end), text))
    for party, proposal, stance, start, end, text in session.conn.execute(
        "SELECT party, proposal, stance, start, end, text FROM position_mentions WHERE article_id = ? ORDER BY start",
        (article_id,)
    ):
        notes.append(ClaimNote("position", proposal, party, stance, Span(start, end), text))
    return tuple(notes)


# -- speakers ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SpeakerTarget:
    """What a /speaker/<ref> URL resolves to: a canonical entity, or a speaker name the extractor gave."""

    ref: str  # the canonical ref: the entity id, or the speaker's stored name
    entity_id: str | None
    speaker_id: int | None
    name: str
    type: str


def resolve_speaker(state: StoreState, ref: str) -> SpeakerTarget:
    """An entity by id, then an entity by any of its names, then a speaker name; NotFound otherwise."""
    session = state.session()
    ref = (ref or "").strip()
    if not ref:
        raise NotFound("no speaker given; pick one from /speakers")
    if session.has_entities:
        row = session.conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (ref,)).fetchone()
        if row is None:
            from ..entities.names import skeleton

            row = session.conn.execute(
                "SELECT e.id, e.name, e.type FROM entity_names n JOIN entities e ON e.id = n.entity_id"
                " WHERE n.key = ? ORDER BY e.statements DESC LIMIT 1", (skeleton(ref),)).fetchone()
        if row is not None:
            return SpeakerTarget(row[0], row[0], None, row[1], row[2])
    row = session.conn.execute("SELECT id, name, type FROM speakers WHERE name = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"no speaker or entity is called {ref!r}; look for it with the search box or on /speakers")
    return SpeakerTarget(row[1], None, row[0], row[1], row[2])


@dataclass(frozen=True, slots=True)
class Digest:
    """Every statement of one speaker, newest first (what the timeline filters by date)."""

    pks: array  # attribution primary keys, newest first (undated last)
    days: tuple[str | None, ...]  # their days, same order
    articles: int
    per_day: dict[str, int]
    undated: int


@dataclass(frozen=True, slots=True)
class Figures:
    """What a speaker page says about all of a speaker's statements, whichever page of them it lists."""

    statements: int
    articles: int
    first_day: str | None
    last_day: str | None
    chart: Chart

    @classmethod
    def of(cls, per_day: dict[str, int], undated: int, articles: int) -> "Figures":
        days = sorted(per_day)
        return cls(sum(per_day.values()) + undated, articles, days[0] if days else None,
                   days[-1] if days else None, build_chart(per_day, undated))


def _indexed(session: Session, target: SpeakerTarget) -> bool:
    """Whether the store keeps this speaker's statements in date order (entities, migration 0102 on)."""
    return target.entity_id is not None and "entity_statements" in session.tables


def _digest(session: Session, target: SpeakerTarget) -> Digest:
    if _indexed(session, target):
        # Already in page order in the index: newest day first, undated ('') last, key breaking ties.
        rows = session.conn.execute(
            "SELECT pk, day, article_id FROM entity_statements WHERE entity_id = ? ORDER BY day DESC, pk DESC",
            (target.entity_id,)).fetchall()
        days = tuple(r[1] or None for r in rows)
        return Digest(array("q", (r[0] for r in rows)), days, len({r[2] for r in rows}),
                      dict(Counter(d for d in days if d)), days.count(None))
    if target.entity_id is not None:  # a store from before migration 0102, opened read-only
        rows = session.conn.execute(
            "SELECT a.pk, a.day, a.article_id FROM entity_members m"
            " JOIN entity_speakers s ON s.article_id = m.article_id AND s.local = m.local"
            " JOIN attributions a ON a.article_id = s.article_id AND a.idx = s.idx"
            " WHERE m.entity_id = ?", (target.entity_id,)).fetchall()
    else:
        rows = session.conn.execute(
            "SELECT pk, day, article_id FROM attributions WHERE speaker_id = ?", (target.speaker_id,)).fetchall()
    # Newest first, undated last; the primary key breaks ties so pages never shuffle between requests.
    rows.sort(key=lambda r: (r[1] is not None, r[1] or "", r[0]), reverse=True)
    return Digest(array("q", (r[0] for r in rows)), tuple(r[1] for r in rows), len({r[2] for r in rows}),
                  dict(Counter(r[1] for r in rows if r[1])), sum(1 for r in rows if not r[1]))


def speaker_digest(state: StoreState, target: SpeakerTarget) -> Digest:
    session = state.session()
    return state.cache.get(("speaker", target.ref), state.generation, lambda: _digest(session, target))


def speaker_figures(state: StoreState, target: SpeakerTarget) -> Figures:
    """Counts, first and last day and the chart: one small object per speaker and store generation."""
    session = state.session()

    def compute() -> Figures:
        if not _indexed(session, target):
            digest = speaker_digest(state, target)
            return Figures.of(digest.per_day, digest.undated, digest.articles)
        per_day, undated = {}, 0
        for day, n in session.conn.execute(
                "SELECT day, count(*) FROM entity_statements WHERE entity_id = ? GROUP BY day", (target.entity_id,)):
            if day:
                per_day[day] = n
            else:
                undated = n
        articles = session.conn.execute("SELECT count(DISTINCT article_id) FROM entity_statements"
                                        " WHERE entity_id = ?", (target.entity_id,)).fetchone()[0]
        return Figures.of(per_day, undated, articles)

    return state.fragments.get(("speaker-figures", target.ref), state.generation, compute)


def speaker_page(state: StoreState, target: SpeakerTarget, *, page: int | str | None = 1,
                 per_page: int = PER_PAGE) -> SpeakerPage:
    session = state.session()
    figures = speaker_figures(state, target)
    pager = Pager(_page_number(page), per_page, figures.statements)
    if _indexed(session, target):  # one page of the index; no list of every statement is needed
        pks = [r[0] for r in session.conn.execute(
            "SELECT pk FROM entity_statements WHERE entity_id = ? ORDER BY day DESC, pk DESC LIMIT ? OFFSET ?",
            (target.entity_id, per_page, pager.offset))]
    else:
        pks = speaker_digest(state, target).pks[pager.offset:pager.offset + per_page]
    rows = _statement_rows(session, pks)
    aliases: tuple[str, ...] = ()
    roles: tuple[RoleRow, ...] = ()
    evidence: tuple[dict, ...] = ()
    part_of = stands_for = None
    if target.entity_id is not None:
        from ..entities.queries import EntityIndex

        entity = EntityIndex(session.conn).get(target.entity_id)
        aliases, part_of, stands_for = entity.aliases, entity.part_of, entity.stands_for
        roles = tuple(RoleRow(r.text, r.first_seen, r.last_seen, r.articles) for r in entity.roles)
        evidence = tuple(e.to_dict() for e in entity.evidence)
    return SpeakerPage(
        ref=target.ref, name=target.name, type=target.type, entity_id=target.entity_id, aliases=aliases, roles=roles,
        part_of=part_of, stands_for=stands_for, statements=figures.statements, articles=figures.articles,
        first_day=figures.first_day, last_day=figures.last_day,
        chart=figures.chart, rows=tuple(rows), pager=pager, evidence=evidence,
    )


def speakers_list(state: StoreState, *, page: int | str | None = 1, per_page: int = PER_PAGE
                  ) -> tuple[list[SpeakerSummaryRow], Pager]:
    """Who is quoted most: canonical entities where the store has them, else the extractor's speaker names."""
    session = state.session()
    number = _page_number(page)
    if session.has_entities:
        total = session.conn.execute("SELECT count(*) FROM entities WHERE statements > 0").fetchone()[0]
        pager = Pager(number, per_page, total)
        rows = [SpeakerSummaryRow(eid, name, type_, n, arts) for eid, name, type_, n, arts in session.conn.execute(
            "SELECT id, name, type, statements, articles FROM entities WHERE statements > 0"
            " ORDER BY statements DESC, name LIMIT ? OFFSET ?", (per_page, pager.offset))]
        return rows, pager
    # Without entities, counting needs a pass over every statement: once per store generation.
    everyone = state.cache.get(("speakers",), state.generation, lambda: [
        SpeakerSummaryRow(s.name, s.name, s.type, s.statements, s.articles)
        for s in session.reader.speakers(limit=None)])
    pager = Pager(number, per_page, len(everyone))
    return everyone[pager.offset:pager.offset + per_page], pager


# -- timeline ---------------------------------------------------------------------------------------------

def timeline_page(state: StoreState, *, speaker: str | None = None, about: str | None = None,
                  since: str | None = None, until: str | None = None, page: int | str | None = 1,
                  per_page: int = PER_PAGE) -> TimelinePage:
    """Statements in the order they were made (oldest first), with a chart of how many per period."""
    session = state.session()
    start, end = parse_date(since, option="since"), parse_date(until, option="until")
    if start and end and start > end:
        raise ConfigError(f"since {start} is after until {end}; swap them")
    match = fts_query(about) if about and about.strip() else None
    number = _page_number(page)
    target = resolve_speaker(state, speaker) if speaker and speaker.strip() else None
    key = ("timeline", target.ref if target else None, match, start, end)

    def compute() -> tuple[array, dict[str, int], int]:
        if target is not None:
            digest = speaker_digest(state, target)
            pairs = [(d, pk) for pk, d in zip(digest.pks, digest.days)
                     if (not start or (d and d >= start)) and (not end or (d and d <= end))]
            if match:
                hits = {r[0] for r in session.conn.execute(
                    "SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?", (match,))}
                pairs = [p for p in pairs if p[1] in hits]
        else:
            where, params = [], []
            if match:
                where.append("pk IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?)")
                params.append(match)
            if start:
                where.append("day >= ?")
                params.append(start)
            if end:
                where.append("day <= ?")
                params.append(end)
            pairs = session.conn.execute(
                "SELECT day, pk FROM attributions" + (" WHERE " + " AND ".join(where) if where else ""),
                params).fetchall()
        pairs.sort(key=lambda p: (p[0] is None, p[0] or "", p[1]))
        per_day = Counter(d for d, _ in pairs if d)
        return array("q", (pk for _, pk in pairs)), dict(per_day), sum(1 for d, _ in pairs if not d)

    pks, per_day, undated = state.cache.get(key, state.generation, compute)
    pager = Pager(number, per_page, len(pks))
    rows = _statement_rows(session, pks[pager.offset:pager.offset + per_page])
    return TimelinePage(build_chart(per_day, undated), tuple(rows), pager, target.name if target else None,
                        target.ref if target else None)


# -- claims and positions ---------------------------------------------------------------------------------

def _words(text: str | None) -> list[str]:
    from ..claims import parties

    return [w for w in parties.key(text or "").split() if w]


def _name_choices(session: Session, text: str | None) -> tuple[tuple[str, ...], ...]:
    """The word lists a filter accepts: its own words and those of every other name of the entity it names."""
    if not text or not _words(text):
        return ()
    from ..store.queries import name_variants

    return tuple(dict.fromkeys(tuple(_words(t)) for t in [text, *name_variants(session.conn, text)] if _words(t)))


def claims_board(state: StoreState, *, contested_only: bool = True, kind: str | None = None,
                 about: str | None = None, party: str | None = None, page: int | str | None = 1,
                 per_page: int = CLAIMS_PER_PAGE) -> ClaimsBoard:
    session = state.session()
    number = _page_number(page)
    if not session.has_claims:
        return ClaimsBoard(False, (), Pager(number, per_page, 0), contested_only, ())
    from ..claims.records import ClaimKind

    if kind:
        try:
            kind = ClaimKind(kind.strip().lower()).value
        except ValueError:
            raise ConfigError(f"unknown claim kind {kind!r}; use one of "
                              f"{', '.join(k.value for k in ClaimKind)}") from None
    # Each filter's own words, or those of another name of the entity it names ('Zelenskiy' finds Zelensky).
    about_words, party_words = _name_choices(session, about), _name_choices(session, party)

    def ordered() -> list[str]:
        ids = []
        for cid, claim_kind, contested, blob, names in _claim_index(state, session):
            if (contested_only and not contested) or (kind and claim_kind != kind):
                continue
            if about_words and not any(all(w in blob for w in words) for words in about_words):
                continue
            if party_words and not any(all(w in n for w in words) for n in names for words in party_words):
                continue
            ids.append(cid)
        return ids

    ids = state.cache.get(("claims", contested_only, kind, about_words, party_words), state.generation, ordered)
    pager = Pager(number, per_page, len(ids))
    cards = _claim_cards(state, session, ids[pager.offset:pager.offset + per_page])
    kinds = state.cache.get(("claim-kinds",), state.generation, lambda: tuple(
        r[0] for r in session.conn.execute("SELECT DISTINCT kind FROM claims ORDER BY kind")))
    return ClaimsBoard(True, tuple(cards), pager, contested_only, kinds)


def _claim_index(state: StoreState, session: Session) -> list[tuple[str, str, bool, str, tuple[str, ...]]]:
    """Every claim in board order with its searchable words, folded once per store generation.

    Filtering then is a pass over plain strings: folding names (accents, apostrophes) and decoding the party
    lists is what costs, and doing it per request made a filtered board a second's work on 20,000 claims.
    """

    def build() -> list[tuple[str, str, bool, str, tuple[str, ...]]]:
        from ..claims import parties

        out = []
        for cid, kind, contested, topic, target, holder, value, asserted, disputed in session.conn.execute(
            "SELECT id, kind, contested, topic, target, holder, value, asserted_by, disputed_by FROM claims"
            " ORDER BY contested DESC, statements DESC, first_seen DESC, topic"
        ):
            names = tuple(parties.key(n) for n in (*json.loads(asserted), *json.loads(disputed)))
            blob = " ".join((*(parties.key(t or "") for t in (topic, target, holder, value)), *names))
            out.append((cid, kind, bool(contested), blob, names))
        return out

    return state.cache.get(("claim-index",), state.generation, build)


def _claim_cards(state: StoreState, session: Session, ids: list[str]) -> list[ClaimCard]:
    """The cards for ``ids``, in order: from the fragment cache where this generation already built them."""
    generation = state.generation
    known = {cid: card for cid in ids
             if (card := state.fragments.peek(("claim-card", cid), generation)) is not None}
    missing = [cid for cid in ids if cid not in known]
    for card in _read_claim_cards(state, session, missing):
        state.fragments.put(("claim-card", card.id), generation, card)
        known[card.id] = card
    return [known[c] for c in ids if c in known]


def _read_claim_cards(state: StoreState, session: Session, ids: list[str]) -> list[ClaimCard]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    statements: dict[str, list[tuple]] = {}
    for row in session.conn.execute(
        "SELECT claim_id, party, side, cue, article_id, start, end, text, said_on, outlet FROM claim_statements"
        f" WHERE claim_id IN ({marks}) ORDER BY claim_id, ord", ids
    ):
        statements.setdefault(row[0], []).append(row[1:])
    refs = _party_refs(state, session, (s[0] for rows in statements.values() for s in rows))
    cards = {}
    for (cid, kind, topic, proposition, value, contested, asserted, disputed, first_seen,
         disputed_since) in session.conn.execute(
        "SELECT id, kind, topic, proposition, value, contested, asserted_by, disputed_by, first_seen,"
        f" disputed_since FROM claims WHERE id IN ({marks})", ids
    ):
        cards[cid] = ClaimCard(
            cid, kind, topic, proposition, value, bool(contested), tuple(json.loads(asserted)),
            tuple(json.loads(disputed)), first_seen, disputed_since,
            tuple(ClaimStatement(party, refs.get(party), side, cue or "", aid, Span(start, end), text, said_on,
                                 outlet)
                  for party, side, cue, aid, start, end, text, said_on, outlet in statements.get(cid, ())),
        )
    return [cards[c] for c in ids if c in cards]


def positions_matrix(state: StoreState, *, proposal: str | None = None, party: str | None = None
                     ) -> PositionsMatrix:
    """Parties (rows) × proposals (columns): each cell the party's latest stance, with its evidence."""
    session = state.session()
    if not session.has_claims:
        return PositionsMatrix(False, (), (), {}, 0, 0)
    from ..claims import parties

    proposal_words, party_words = _words(proposal), _words(party)
    proposals = [(key, name) for key, name in session.conn.execute(
        "SELECT key, name FROM proposals ORDER BY articles DESC, name")
        if not proposal_words or all(w in parties.key(name) for w in proposal_words)]
    shown = proposals[:MATRIX_PROPOSALS]
    column = {key: i for i, (key, _) in enumerate(shown)}
    positions = []
    if shown:
        marks = ",".join("?" * len(shown))
        positions = [row for row in session.conn.execute(
            "SELECT id, party, proposal_key, stance, stances FROM positions"
            f" WHERE proposal_key IN ({marks})", [k for k, _ in shown])
            if not party_words or all(w in parties.key(row[1]) for w in party_words)]
    ranked = Counter(p[1] for p in positions)
    names = sorted(ranked, key=lambda n: (-ranked[n], n))
    kept = names[:MATRIX_PARTIES]
    row_of = {n: i for i, n in enumerate(kept)}
    positions = [p for p in positions if p[1] in row_of]
    evidence: dict[str, list[Evidence]] = {}
    if positions:
        marks = ",".join("?" * len(positions))
        for pid, aid, start, end, text, said_on, outlet in session.conn.execute(
            "SELECT position_id, article_id, start, end, text, said_on, outlet FROM position_evidence"
            f" WHERE position_id IN ({marks}) ORDER BY position_id, ord", [p[0] for p in positions]
        ):
            evidence.setdefault(pid, []).append(Evidence(aid, Span(start, end), text, said_on, outlet))
    cells = {(row_of[p[1]], column[p[2]]): Cell(p[3], tuple(json.loads(p[4])), tuple(evidence.get(p[0], ())))
             for p in positions}
    refs = _party_refs(state, session, kept)
    return PositionsMatrix(True, tuple(name for _, name in shown), tuple((n, refs.get(n)) for n in kept), cells,
                           len(proposals) - len(shown), len(names) - len(kept))


# -- search and home --------------------------------------------------------------------------------------

def _pieces(snippet: str, marks: tuple[tuple[int, int], ...]) -> tuple[tuple[str, bool], ...]:
    out, pos = [], 0
    for start, end in marks:
        if start > pos:
            out.append((snippet[pos:start], False))
        out.append((snippet[start:end], True))
        pos = end
    if pos < len(snippet):
        out.append((snippet[pos:], False))
    return tuple(out)


def search_page(state: StoreState, query: str | None, *, scope: str = "articles", limit: int = 30) -> SearchPage:
    session = state.session()
    query = (query or "").strip()
    if scope not in ("articles", "quotes"):
        raise ConfigError(f"unknown search scope {scope!r}; use articles or quotes")
    if not query:
        return SearchPage("", scope, (), (), None)
    try:
        hits = session.reader.search(query, scope=scope, limit=limit)
    except ConfigError as err:
        return SearchPage(query, scope, (), (), str(err))
    rows = tuple(HitRow(h.article_id, h.idx, h.title, h.outlet, h.published, h.speaker, _pieces(h.snippet, h.marks))
                 for h in hits)
    speakers: tuple[SpeakerSummaryRow, ...] = ()
    if session.has_entities:
        from ..entities.queries import EntityIndex

        speakers = tuple(SpeakerSummaryRow(e.id, e.name, e.type.value, e.statements, e.articles)
                         for e in EntityIndex(session.conn).entities(name=query, min_statements=1, limit=8))
    return SearchPage(query, scope, rows, speakers, None)


def home_page(state: StoreState) -> HomePage:
    session = state.session()
    counts = state.cache.get(("counts",), state.generation, session.reader.counts)
    speakers, _ = speakers_list(state, per_page=12)
    recent = tuple(ArticleLink(aid, display_title(title, start), outlet, published, n)
                   for aid, title, start, outlet, published, n in session.conn.execute(
        "SELECT id, title, substr(text, 1, 400), outlet, published, n_attributions FROM articles"
        " ORDER BY published DESC, pk DESC LIMIT 15"))
    contested = claims_board(state, contested_only=True, per_page=5).claims if session.has_claims else ()
    return HomePage(counts, tuple(speakers), recent, contested, session.has_claims, session.has_entities)


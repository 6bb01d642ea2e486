"""Browsing the record by article and by outlet, and the review queue, for the pages.

    articles_page   every article, newest first, 50 a page; filters: outlet (part of its name, any case),
                    publication dates, a speaker quoted in it, only articles with a disputed claim
    outlets_list    every outlet with its number of articles
    outlet_page     one outlet: whom it quotes most, the contested claims it reports, its articles over time
    review_page     the "needs review" queue (onrecord.corrections.review)

Copies of one story are one row: articles with the same text are already one article (the store keys them
by their text) with every outlet that carried it in ``article_sources``; wire copies whose texts differ a
little are grouped by :mod:`onrecord.web.stories` where the store has that table.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from ..store.filters import OUTLET_MATCH, like_pattern, parse_date
from ..store.records import display_title
from .chart import build_chart
from .queries import NotFound, _claim_cards, _page_number
from .records import (ArticleFilters, ArticleRow, ArticlesPage, OutletPage, OutletRow, Pager, ReviewPage,
                      SpeakerSummaryRow)
from .state import Session, StoreState

PER_PAGE = 50
OUTLET_SPEAKERS = 15
OUTLET_CLAIMS = 10
OUTLET_RECENT = 20

_ROW = ("SELECT ar.id, ar.title, substr(ar.text, 1, 400), ar.outlet, ar.published, ar.n_attributions,"
        " (SELECT group_concat(outlet, char(31)) FROM (SELECT DISTINCT outlet FROM article_sources s"
        "  WHERE s.article_id = ar.id AND outlet IS NOT NULL)) FROM articles ar")


def _disputed_ids(session: Session, ids: list[str]) -> set[str]:
    if not ids or not session.has_claims:
        return set()
    marks = ",".join("?" * len(ids))
    return {r[0] for r in session.conn.execute(
        f"SELECT DISTINCT article_id FROM claim_statements WHERE side = 'disputed' AND article_id IN ({marks})", ids)}


def _rows(session: Session, sql: str, params: list[Any]) -> list[ArticleRow]:
    raw = session.conn.execute(sql, params).fetchall()
    disputed = _disputed_ids(session, [r[0] for r in raw])
    out = []
    for aid, title, start, outlet, published, n, carriers in raw:
        names = tuple(dict.fromkeys([*([outlet] if outlet else []), *(carriers.split("\x1f") if carriers else [])]))
        out.append(ArticleRow(aid, display_title(title, start), outlet, published, n, aid in disputed, names))
    return out


def _speaker_articles(session: Session, speaker: str) -> tuple[str, list[Any]]:
    """SQL (one subquery) for the articles in which ``speaker`` is quoted: by entity where known, else by name."""
    parts, params = [], []
    ids = session.reader.speaker_ids(speaker)
    if ids:
        parts.append(f"SELECT article_id FROM attributions WHERE speaker_id IN ({','.join('?' * len(ids))})")
        params += ids
    if session.has_entities:
        from ..entities.names import skeleton

        entity_ids = [r[0] for r in session.conn.execute(
            "SELECT DISTINCT entity_id FROM entity_names WHERE key = ?", (skeleton(speaker),))]
        if entity_ids and "entity_statements" in session.tables:
            parts.append("SELECT article_id FROM entity_statements WHERE entity_id IN "
                         f"({','.join('?' * len(entity_ids))})")
            params += entity_ids
    if not parts:
        return "0", []
    return "ar.id IN (" + " UNION ".join(parts) + ")", params


def article_filters(*, outlet: str | None = None, since: str | None = None, until: str | None = None,
                    speaker: str | None = None, disputed: Any = None) -> ArticleFilters:
    start, end = parse_date(since, option="since"), parse_date(until, option="until")
    if start and end and start > end:
        raise ConfigError(f"since {start} is after until {end}; swap them")
    return ArticleFilters((outlet or "").strip() or None, start, end, (speaker or "").strip() or None,
                          str(disputed or "").lower() in ("1", "true", "yes", "on"))


def articles_page(state: StoreState, filters: ArticleFilters, *, page: int | str | None = 1,
                  per_page: int = PER_PAGE) -> ArticlesPage:
    session = state.session()
    clauses, params = [], []
    outlets: tuple[str, ...] = ()
    if filters.outlet:
        clauses.append("(" + OUTLET_MATCH.format(column="ar.outlet") + " OR ar.id IN (SELECT article_id FROM"
                       " article_sources WHERE " + OUTLET_MATCH.format(column="outlet") + "))")
        params += [like_pattern(filters.outlet)] * 2
        outlets = tuple(r[0] for r in session.conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE " + OUTLET_MATCH.format(column="outlet") + " ORDER BY 1",
            (like_pattern(filters.outlet),)))
    if filters.since:
        clauses.append("substr(ar.published, 1, 10) >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("substr(ar.published, 1, 10) <= ?")
        params.append(filters.until)
    if filters.speaker:
        sql, extra = _speaker_articles(session, filters.speaker)
        clauses.append(sql)
        params += extra
    if filters.disputed:
        if not session.has_claims:
            clauses.append("0")
        else:
            clauses.append("ar.id IN (SELECT article_id FROM claim_statements WHERE side = 'disputed')")
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    total = session.conn.execute(f"SELECT count(*) FROM articles ar{where}", params).fetchone()[0]
    pager = Pager(_page_number(page), per_page, total)
    rows = _rows(session, f"{_ROW}{where} ORDER BY ar.published DESC, ar.pk DESC LIMIT ? OFFSET ?",
                 [*params, per_page, pager.offset])
    return ArticlesPage(tuple(_with_copies(state, session, rows)), pager, filters, outlets)


def _with_copies(state: StoreState, session: Session, rows: list[ArticleRow]) -> list[ArticleRow]:
    """Rows of the same story folded into the first one shown, with every outlet that carried it."""
    from .stories import story_groups

    groups = story_groups(state, session, [r.id for r in rows])
    if not groups:
        return rows
    out: list[ArticleRow] = []
    first_of: dict[str, int] = {}
    for row in rows:
        story = groups.get(row.id)
        if story is None:
            out.append(row)
            continue
        story_id, members = story
        if story_id in first_of:
            i = first_of[story_id]
            lead = out[i]
            out[i] = ArticleRow(lead.id, lead.title, lead.outlet, lead.published, lead.statements,
                                lead.disputed or row.disputed, tuple(dict.fromkeys(lead.carriers + row.carriers)),
                                lead.copies)
            continue
        first_of[story_id] = len(out)
        copies = tuple(m for m in members if m != row.id)
        carriers = row.carriers
        if copies:
            marks = ",".join("?" * len(copies))
            more = [r[0] for r in session.conn.execute(
                f"SELECT DISTINCT outlet FROM articles WHERE id IN ({marks}) AND outlet IS NOT NULL", copies)]
            carriers = tuple(dict.fromkeys(carriers + tuple(more)))
        out.append(ArticleRow(row.id, row.title, row.outlet, row.published, row.statements, row.disputed,
                              carriers, copies))
    return out


def outlets_list(state: StoreState, part: str | None = None) -> list[OutletRow]:
    session = state.session()

    def compute() -> list[OutletRow]:
        return [OutletRow(*r) for r in session.conn.execute(
            "SELECT outlet, count(*), min(substr(published, 1, 10)), max(substr(published, 1, 10)) FROM articles"
            " WHERE outlet IS NOT NULL GROUP BY outlet COLLATE NOCASE ORDER BY count(*) DESC, outlet")]

    rows = state.cache.get(("outlets",), state.generation, compute)
    if part:
        key = part.strip().casefold()
        rows = [r for r in rows if key in r.name.casefold()]
    return rows


def resolve_outlet(state: StoreState, name: str) -> str | list[OutletRow]:
    """The outlet a URL names: exactly (any case), else the only one whose name contains it; else the choices."""
    name = (name or "").strip()
    if not name:
        raise NotFound("no outlet given; pick one from /outlets")
    rows = outlets_list(state)
    exact = [r.name for r in rows if r.name.casefold() == name.casefold()]
    if exact:
        return exact[0]
    partial = outlets_list(state, name)
    if len(partial) == 1:
        return partial[0].name
    if not partial:
        raise NotFound(f"no outlet is called {name!r} or has it in its name; see /outlets")
    return partial


def outlet_page(state: StoreState, name: str) -> OutletPage:
    session = state.session()
    n, first, last = session.conn.execute(
        "SELECT count(*), min(substr(published, 1, 10)), max(substr(published, 1, 10)) FROM articles"
        " WHERE outlet = ? COLLATE NOCASE", (name,)).fetchone()
    statements = session.conn.execute(
        "SELECT count(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id WHERE ar.outlet = ?"
        " COLLATE NOCASE", (name,)).fetchone()[0]
    speakers = _outlet_speakers(session, name)
    claims: tuple = ()
    if session.has_claims:
        ids = [r[0] for r in session.conn.execute(
            "SELECT c.id FROM claims c WHERE c.contested = 1 AND c.id IN (SELECT claim_id FROM claim_statements"
            " WHERE outlet = ? COLLATE NOCASE) ORDER BY c.first_seen DESC, c.id LIMIT ?", (name, OUTLET_CLAIMS))]
        claims = tuple(_claim_cards(state, session, ids))
    per_day = dict(session.conn.execute(
        "SELECT substr(published, 1, 10), count(*) FROM articles WHERE outlet = ? COLLATE NOCASE GROUP BY 1",
        (name,)).fetchall())
    undated = per_day.pop(None, 0)
    recent = _rows(session, f"{_ROW} WHERE ar.outlet = ? COLLATE NOCASE ORDER BY ar.published DESC, ar.pk DESC"
                            " LIMIT ?", [name, OUTLET_RECENT])
    return OutletPage(name, n, statements, first, last, tuple(speakers), claims,
                      build_chart(per_day, undated), tuple(recent))


def _outlet_speakers(session: Session, name: str) -> list[SpeakerSummaryRow]:
    if session.has_entities:
        rows = session.conn.execute(
            "SELECT ss.entity_id, ss.entity_name, ss.entity_type, count(*), count(DISTINCT ss.article_id)"
            " FROM statement_speakers ss JOIN articles ar ON ar.id = ss.article_id WHERE ar.outlet = ? COLLATE NOCASE"
            " GROUP BY ss.entity_id ORDER BY 4 DESC, 2 LIMIT ?", (name, OUTLET_SPEAKERS))
    else:
        rows = session.conn.execute(
            "SELECT a.speaker_name, a.speaker_name, coalesce(a.speaker_type, 'UNKNOWN'), count(*),"
            " count(DISTINCT a.article_id) FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            " WHERE ar.outlet = ? COLLATE NOCASE AND a.speaker_name IS NOT NULL GROUP BY a.speaker_id"
            " ORDER BY 4 DESC, 2 LIMIT ?", (name, OUTLET_SPEAKERS))
    return [SpeakerSummaryRow(*r) for r in rows]


def review_page(state: StoreState, reason: str | None = None, limit: int = 50) -> ReviewPage:
    from ..corrections import REASONS, review_queue

    session = state.session()
    if reason and reason not in REASONS:
        raise ConfigError(f"unknown review reason {reason!r}; use one of {', '.join(REASONS)}")
    items = review_queue(session.conn, reasons=(reason,) if reason else REASONS, limit=limit)
    return ReviewPage(tuple(items), REASONS, reason)


__all__ = ["articles_page", "article_filters", "outlets_list", "outlet_page", "resolve_outlet", "review_page",
           ]


def corrections_list(state: StoreState) -> list[Any]:
    """Every correction, newest first, undone ones included (onrecord.corrections.Correction)."""
    from ..corrections.apply import tables
    from ..corrections.records import COLUMNS, Correction

    session = state.session()
    if "corrections" not in tables(session.conn):
        return []
    return [Correction.from_row(r) for r in session.conn.execute(f"SELECT {COLUMNS} FROM corrections ORDER BY id DESC")]

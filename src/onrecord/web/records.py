"""What each page shows, as frozen records: the templates render them, ``.json`` URLs return them as data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..records import Span
from ..store.records import StoredArticle
from .highlight import Run


def plain(value: Any) -> Any:
    """Records, enums, spans and tuples as JSON-able data."""
    if isinstance(value, Span):
        return value.to_list()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Pager:
    page: int  # 1-based
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One statement as lists show it, with the speaker page it links to."""

    article_id: str
    idx: int
    day: str | None  # when it was said if the text says so, else the article's publication day
    said_on: str | None
    kind: str
    speaker: str | None  # the canonical entity's name where known, else the extractor's name
    speaker_ref: str | None  # what /speaker/<ref> resolves: an entity id or a speaker name
    via: str | None  # how the speaker was linked (name, pronoun, title, ...)
    mention: str | None  # the source as written: "he", "the minister"
    cue_text: str
    content_text: str
    confidence: float
    title: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # 2024-03, 2024-03-05 or 2024
    count: int
    since: str  # first day of the bar, for the link to the statements it counts
    until: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Chart:
    """Statements per period, laid out for an SVG of ``width`` × ``height``."""

    unit: str  # day, month or year
    bars: tuple[Bar, ...]
    width: int
    height: int
    peak: int
    undated: int
    total: int


@dataclass(frozen=True, slots=True)
class ClaimNote:
    """A claim or a position found in one article, for the reader's side panel."""

    kind: str
    label: str
    party: str | None
    side: str  # asserts, disputes, or a stance
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: StoredArticle
    runs: tuple[Run, ...]
    statements: tuple[StatementRow, ...]
    notes: tuple[ClaimNote, ...]
    mark: Span | None
    claims_available: bool

    def by_idx(self) -> dict[int, StatementRow]:
        return {s.idx: s for s in self.statements}

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article.to_dict(), "statements": plain(self.statements), "claims": plain(self.notes),
                "mark": plain(self.mark)}


@dataclass(frozen=True, slots=True)
class RoleRow:
    role: str
    first_seen: str | None
    last_seen: str | None
    articles: int


@dataclass(frozen=True, slots=True)
class SpeakerPage:
    ref: str
    name: str
    type: str
    entity_id: str | None  # None when the store has no entity for it: statements by the extractor's name
    aliases: tuple[str, ...]
    roles: tuple[RoleRow, ...]
    part_of: str | None
    stands_for: str | None
    statements: int
    articles: int
    first_day: str | None
    last_day: str | None
    chart: Chart
    rows: tuple[StatementRow, ...]
    pager: Pager
    evidence: tuple[dict, ...]  # why names were merged into this entity

    def to_dict(self) -> dict[str, Any]:
        data = plain(self)
        data["rows"] = plain(self.rows)
        data["page"] = {"page": self.pager.page, "pages": self.pager.pages, "per_page": self.pager.per_page}
        del data["pager"], data["chart"]
        return data


@dataclass(frozen=True, slots=True)
class SpeakerSummaryRow:
    ref: str
    name: str
    type: str
    statements: int
    articles: int


@dataclass(frozen=True, slots=True)
class ClaimStatement:
    party: str
    party_ref: str | None  # speaker page to link to, when the store knows the party
    side: str  # asserted or disputed
    cue: str
    article_id: str
    span: Span
    text: str
    said_on: str | None
    outlet: str | None


@dataclass(frozen=True, slots=True)
class ClaimCard:
    id: str
    kind: str
    topic: str
    proposition: str
    value: str | None
    contested: bool
    asserted_by: tuple[str, ...]
    disputed_by: tuple[str, ...]
    first_seen: str | None
    disputed_since: str | None
    statements: tuple[ClaimStatement, ...]


@dataclass(frozen=True, slots=True)
class ClaimsBoard:
    available: bool  # False: the store has no claim tables (made before the claims feature)
    claims: tuple[ClaimCard, ...]
    pager: Pager
    contested_only: bool
    kinds: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"available": self.available, "claims": plain(self.claims), "page": self.pager.page,
                "pages": self.pager.pages, "total": self.pager.total}


@dataclass(frozen=True, slots=True)
class Evidence:
    article_id: str
    span: Span
    text: str
    said_on: str | None
    outlet: str | None


@dataclass(frozen=True, slots=True)
class Cell:
    stance: str
    stances: tuple[str, ...]  # every stance seen, in date order
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class PositionsMatrix:
    available: bool
    proposals: tuple[str, ...]  # columns
    parties: tuple[tuple[str, str | None], ...]  # rows: (name, speaker ref)
    cells: dict[tuple[int, int], Cell]  # (row, column) → the party's position on the proposal
    more_proposals: int  # proposals left out of the matrix
    more_parties: int

    def to_dict(self) -> dict[str, Any]:
        return {"available": self.available, "proposals": list(self.proposals),
                "positions": [{"party": self.parties[r][0], "proposal": self.proposals[c], **plain(cell)}
                              for (r, c), cell in sorted(self.cells.items())]}


@dataclass(frozen=True, slots=True)
class TimelinePage:
    chart: Chart
    rows: tuple[StatementRow, ...]
    pager: Pager
    speaker: str | None  # the name of the speaker asked for
    speaker_ref: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "total": self.pager.total, "page": self.pager.page,
                "per_period": [{"period": b.label, "statements": b.count} for b in self.chart.bars],
                "statements": plain(self.rows)}


@dataclass(frozen=True, slots=True)
class HitRow:
    article_id: str
    idx: int | None
    title: str | None
    outlet: str | None
    published: str | None
    speaker: str | None
    pieces: tuple[tuple[str, bool], ...]  # the snippet as (text, matched) pieces


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    scope: str
    hits: tuple[HitRow, ...]
    speakers: tuple[SpeakerSummaryRow, ...]
    error: str | None

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(frozen=True, slots=True)
class ArticleLink:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    statements: int


@dataclass(frozen=True, slots=True)
class HomePage:
    counts: dict[str, int]
    speakers: tuple[SpeakerSummaryRow, ...]
    recent: tuple[ArticleLink, ...]
    contested: tuple[ClaimCard, ...]
    claims_available: bool
    entities_available: bool


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article (or one story: the same text, or a wire copy, carried by several outlets) in a list."""

    id: str
    title: str | None  # from metadata, else the headline line
    outlet: str | None
    published: str | None
    statements: int
    disputed: bool  # some statement in it disputes a claim
    carriers: tuple[str, ...] = ()  # every outlet that carried this text or a copy of it
    copies: tuple[str, ...] = ()  # ids of other articles that are copies of the same story


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    speaker: str | None = None
    disputed: bool = False

    def params(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "since": self.since, "until": self.until, "speaker": self.speaker,
                "disputed": "1" if self.disputed else None}


@dataclass(frozen=True, slots=True)
class ArticlesPage:
    rows: tuple[ArticleRow, ...]
    pager: Pager
    filters: ArticleFilters
    outlets: tuple[str, ...]  # outlets the outlet filter matched (empty: no outlet filter)

    def to_dict(self) -> dict[str, Any]:
        return {"articles": plain(self.rows), "page": self.pager.page, "pages": self.pager.pages,
                "total": self.pager.total, "filters": plain(self.filters), "outlets": list(self.outlets)}


@dataclass(frozen=True, slots=True)
class OutletRow:
    name: str
    articles: int
    first: str | None
    last: str | None


@dataclass(frozen=True, slots=True)
class OutletPage:
    name: str
    articles: int
    statements: int
    first: str | None
    last: str | None
    speakers: tuple[SpeakerSummaryRow, ...]  # whom it quotes most
    claims: tuple[ClaimCard, ...]  # contested claims its articles report
    chart: Chart  # its articles per period
    recent: tuple[ArticleRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(frozen=True, slots=True)
class ReviewPage:
    items: tuple[Any, ...]  # onrecord.corrections.ReviewItem
    reasons: tuple[str, ...]
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items], "reasons": list(self.reasons), "reason": self.reason}

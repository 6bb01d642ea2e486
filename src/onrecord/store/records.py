"""Typed, frozen records that store queries return (plain data for JSON, CSV and Parquet)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..records import Attribution, AttributionKind, Span, Speaker


#: A first line longer than this is a paragraph, not a headline.
HEADLINE_MAX = 200


def headline(text: str | None) -> str | None:
    """The article's first line when it reads as a headline: short, and followed by more text."""
    if not text:
        return None
    first, _, rest = text.strip().partition("\n")
    first = " ".join(first.split())
    if not first or not rest.strip() or len(first) > HEADLINE_MAX:
        return None
    return first


def display_title(title: str | None, text: str | None) -> str | None:
    """What to call an article: its title from metadata, else its headline line, else None."""
    return (title or "").strip() or headline(text)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: str
    url: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published: str | None
    language: str | None
    origin: str | None
    name: str | None
    text: str
    words: int
    n_attributions: int
    extractor_version: str
    ingested_at: str
    processed_at: str
    error: str | None

    @property
    def display_title(self) -> str | None:
        return display_title(self.title, self.text)

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["display_title"] = self.display_title
        if not with_text:
            del data["text"]
        return data


@dataclass(frozen=True, slots=True)
class Quote:
    """One stored attribution with the article facts needed to read it on its own."""

    article_id: str
    idx: int
    kind: AttributionKind
    speaker: str | None
    speaker_mention: str | None
    speaker_type: str | None
    confidence: float
    source_text: str
    cue_text: str
    content_text: str
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    said_on: str | None
    date: str | None  # said_on, else the article's published date (YYYY-MM-DD)
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    corrected: tuple[str, ...] = ()  # what a person corrected (speaker, date), see onrecord.corrections
    entity_id: str | None = None  # the canonical entity that made the statement (entities feature)
    entity_name: str | None = None  # its canonical name: the same for every spelling of the speaker

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["kind"] = self.kind.value
        data["corrected"] = list(self.corrected)
        for role in ("source", "cue", "content"):
            data[role] = [s.to_list() for s in data[role]]
        return data

    def attribution(self) -> Attribution:
        """Back to the extractor's record (speaker antecedents are not kept here)."""
        speaker = (
            Speaker(self.speaker_mention or self.source_text, self.speaker, self.speaker_type or "UNKNOWN")
            if self.speaker is not None
            else None
        )
        return Attribution(
            cue=self.cue, content=self.content, source=self.source, kind=self.kind, speaker=speaker,
            confidence=self.confidence, cue_text=self.cue_text, content_text=self.content_text,
            source_text=self.source_text, said_on=self.said_on,
        )


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article with every attribution stored for it, in extraction order."""

    article: StoredArticle
    quotes: tuple[Quote, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.article.to_dict(), "attributions": [q.to_dict() for q in self.quotes]}


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    name: str
    type: str
    statements: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    entity_id: str | None = None  # the canonical entity, when the store has the entities feature

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: an article, or one attribution when ``idx`` is set; lower score ranks higher."""

    article_id: str
    idx: int | None
    score: float
    snippet: str
    marks: tuple[tuple[int, int], ...]  # matched stretches of ``snippet``, [start, end)
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    speaker: str | None

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["marks"] = [list(m) for m in self.marks]
        return data

"""Frozen records for entities: what one article says about them, and what the whole store knows.

Per article (computed next to the parse, travels as plain data):
:class:`ArticleEntities` holds :class:`LocalEntity` items with their
:class:`Mention` and :class:`Role` records, and a :class:`SpeakerLink` for each
attribution.  Across articles: :class:`Entity` (canonical) with its
:class:`MergeEvidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from ..records import Span


class EntityType(str, Enum):
    PERSON = "PERSON"
    ORG = "ORG"  # organisations and institutions: "United Nations", "Ukrainian military"
    GOVERNMENT = "GOVERNMENT"  # countries and seats of government: "Russia", "Kremlin", "White House"
    PLACE = "PLACE"  # cities, regions, continents: "Kyiv", "Pokrovsk", "Europe"
    ROLE = "ROLE"  # unnamed sources: "Kremlin spokesman", "Ukrainian officials"
    GROUP = "GROUP"  # other sources: "Ukraine and its allies", "international observers"


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an entity is named or referred to. ``how``: name, title, pronoun, metonym, description."""

    span: Span
    text: str
    how: str = "name"

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_list(), "text": self.text, "how": self.how}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Mention":
        return cls(Span.from_list(data["span"]), str(data["text"]), str(data.get("how", "name")))


@dataclass(frozen=True, slots=True)
class Role:
    """A role the article gives a person: 'Putin’s chief aide' → title 'chief aide', of 'Vladimir Putin'."""

    title: str  # "President", "chief aide", "Secretary of State", "son-in-law"
    of: str | None  # whom or what the role is for: "Russia", "Vladimir Putin", "Kremlin"; None when unsaid
    text: str  # as the article puts it: "Russian President", "Trump’s envoy"
    span: Span
    source: str = "title"  # title (before the name), appos (", the Kremlin spokesman,"), conj (shared possessor)

    @property
    def key(self) -> str:
        from .roles import role_key

        return role_key(self.title, self.of)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "of": self.of, "text": self.text, "span": self.span.to_list(),
                "source": self.source}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Role":
        return cls(str(data["title"]), data.get("of"), str(data["text"]), Span.from_list(data["span"]),
                   str(data.get("source", "title")))


@dataclass(frozen=True, slots=True)
class LocalEntity:
    """One entity as one article knows it."""

    local: int  # id inside the article
    type: EntityType
    name: str  # the article's fullest name for it
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    country: str | None = None  # the country it belongs to or stands for, when known
    stands_for: int | None = None  # local id of the government a seat or capital speaks for
    part_of: int | None = None  # local id of the organisation a role or unit belongs to

    @property
    def variants(self) -> tuple[str, ...]:
        seen: dict[str, None] = {self.name: None}
        for m in self.mentions:
            if m.how == "name":
                seen.setdefault(m.text, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "local": self.local,
            "type": self.type.value,
            "name": self.name,
            "mentions": [m.to_dict() for m in self.mentions],
            "roles": [r.to_dict() for r in self.roles],
            "country": self.country,
            "stands_for": self.stands_for,
            "part_of": self.part_of,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "LocalEntity":
        return cls(
            local=int(data["local"]),
            type=EntityType(data["type"]),
            name=str(data["name"]),
            mentions=tuple(Mention.from_dict(m) for m in data.get("mentions", ())),
            roles=tuple(Role.from_dict(r) for r in data.get("roles", ())),
            country=data.get("country"),
            stands_for=data.get("stands_for"),
            part_of=data.get("part_of"),
        )


@dataclass(frozen=True, slots=True)
class SpeakerLink:
    """Attribution ``idx`` was made by local entity ``local``; ``via`` says how the link was made."""

    idx: int
    local: int
    via: str  # name, pronoun, title, relative, metonym, institution, role, group

    def to_dict(self) -> dict[str, Any]:
        return {"idx": self.idx, "local": self.local, "via": self.via}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SpeakerLink":
        return cls(int(data["idx"]), int(data["local"]), str(data["via"]))


@dataclass(frozen=True, slots=True)
class ArticleEntities:
    """Everything the entities feature finds in one article."""

    entities: tuple[LocalEntity, ...] = ()
    speakers: tuple[SpeakerLink, ...] = ()

    def get(self, local: int) -> LocalEntity:
        return self.entities[local]

    def speaker_of(self, idx: int) -> LocalEntity | None:
        for link in self.speakers:
            if link.idx == idx:
                return self.entities[link.local]
        return None

    def find(self, name: str) -> LocalEntity | None:
        """The entity an article calls ``name`` (any variant, spelling-insensitive)."""
        from .names import skeleton

        key = skeleton(name)
        for ent in self.entities:
            if any(skeleton(v) == key for v in ent.variants):
                return ent
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"entities": [e.to_dict() for e in self.entities], "speakers": [s.to_dict() for s in self.speakers]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ArticleEntities":
        return cls(
            tuple(LocalEntity.from_dict(e) for e in data.get("entities", ())),
            tuple(SpeakerLink.from_dict(s) for s in data.get("speakers", ())),
        )


@dataclass(frozen=True, slots=True)
class MergeEvidence:
    """Why two names were taken for one entity."""

    a: str
    b: str
    rule: str  # same-name, spelling, partial-name, role-holder, alias, manual
    detail: str
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "rule": self.rule, "detail": self.detail, "score": round(self.score, 3)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "MergeEvidence":
        return cls(str(data["a"]), str(data["b"]), str(data["rule"]), str(data["detail"]),
                   float(data.get("score", 1.0)))


@dataclass(frozen=True, slots=True)
class RoleSeen:
    """A role of a canonical entity with the dates it was reported (article publication dates)."""

    text: str
    title: str
    of: str | None
    first_seen: str | None
    last_seen: str | None
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.text, "title": self.title, "of": self.of, "first_seen": self.first_seen,
                "last_seen": self.last_seen, "articles": self.articles}


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity across the store."""

    id: str  # stable slug: "person:volodymyr-zelensky"
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    roles: tuple[RoleSeen, ...] = ()
    statements: int = 0
    articles: int = 0
    country: str | None = None
    stands_for: str | None = None  # canonical name of the government it speaks for
    part_of: str | None = None
    evidence: tuple[MergeEvidence, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type.value,
            "aliases": list(self.aliases),
            "roles": [r.to_dict() for r in self.roles],
            "statements": self.statements,
            "articles": self.articles,
            "country": self.country,
            "stands_for": self.stands_for,
            "part_of": self.part_of,
            "evidence": [e.to_dict() for e in self.evidence],
        }

"""Frozen records of claims, disputes and positions.

A *proposition* is what can be true or false about a target: that a side
controls a place, that a figure of casualties is right, that a party carried
out an attack, that someone wrote a document, that talks made progress.  A
*mention* is one party, in one article, affirming (``polarity=+1``) or denying
(``polarity=-1``) a proposition.  Grouping mentions of the same proposition
across articles gives a :class:`Claim` with its history: who asserted it, who
disputed it, when, and where in which article.

Everything converts to plain JSON-able data (``to_dict``/``from_dict``): that
form travels from spaCy workers to the store's single writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping, NamedTuple

from ..records import Span


class ClaimKind(str, Enum):
    """The kind of proposition a claim makes."""

    CONTROL = "control"  # a side controls (has taken, still holds) a place
    CASUALTIES = "casualties"  # a figure of killed or wounded
    PRISONERS = "prisoners"  # a figure of prisoners or captured soldiers
    ACCUSATION = "accusation"  # a party carried out an attack or act
    AUTHORSHIP = "authorship"  # a party wrote, drafted or approved a document
    PROGRESS = "progress"  # talks made progress
    STATEMENT = "statement"  # any proposition a party states (see Proposition)

    def topic(self, target: str) -> str:
        return {
            ClaimKind.STATEMENT: "{}",
            ClaimKind.CONTROL: "control of {}",
            ClaimKind.CASUALTIES: "casualties: {}",
            ClaimKind.PRISONERS: "prisoners: {}",
            ClaimKind.ACCUSATION: "attack on {}",
            ClaimKind.AUTHORSHIP: "authorship of {}",
            ClaimKind.PROGRESS: "progress of {}",
        }[self].format(target)


class Stance(str, Enum):
    """Where a party stands on a proposal."""

    SUPPORT = "support"
    OPPOSE = "oppose"
    REJECT = "reject"
    MIXED = "mixed"
    SEEK_REVISION = "seek revision"
    COUNTER_PROPOSAL = "counter-proposal"


class Side(str, Enum):
    """Which side of a claim a mention is on."""

    ASSERTED = "asserted"
    DISPUTED = "disputed"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a statement is written: an article and a character span of its text."""

    article: str
    span: Span
    text: str
    said_on: str | None = None  # ISO date of the statement or, failing that, of the article
    outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "span": self.span.to_list(), "text": self.text,
                "said_on": self.said_on, "outlet": self.outlet}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Evidence":
        return cls(str(data["article"]), Span.from_list(data["span"]), str(data["text"]),
                   data.get("said_on"), data.get("outlet"))


class OtherSide(str):
    """A holder that is *some side other than* the one named: "Ukraine confirmed the withdrawal of its troops"
    credits someone other than Ukraine with the place.  A type of its own (never equal to the plain name), so
    no marker is written into the name; stored as the name plus ``holder_other``."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OtherSide) and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((OtherSide, str(self)))

    def __repr__(self) -> str:
        return f"OtherSide({str.__repr__(self)})"


def holder_from(name: str | None, other: bool = False) -> str | None:
    """The holder a stored name stands for (``OtherSide`` when ``other``)."""
    return OtherSide(name) if name and other else name


class Target(NamedTuple):
    """What a claim is about, in parts: a thing ("hospital", "Ukrainian soldiers") and the place the text puts it
    in, if any.  ``name()`` is how it reads; grouping and completion use the parts."""

    thing: str
    place: str | None = None
    relation: str = "in"  # "a hospital in Ternivka"; "soldiers near Zarichne"

    def name(self) -> str:
        return f"{self.thing} {self.relation} {self.place}" if self.place else self.thing


@dataclass(frozen=True, slots=True)
class Proposition:
    """What a statement says, read from its parse: who/what, predicate, object or figure, polarity, modality.

    "Lewandowski did not grab her" → subject "Corey Lewandowski", predicate
    "grab", object "her", polarity -1.  ``modality`` is the modal verb
    ("would", "could") when there is one.
    """

    predicate: str
    subject: str | None = None
    object: str | None = None
    figure: str | None = None
    polarity: int = 1
    modality: str | None = None

    def text(self) -> str:
        """A short reading for people: "Corey Lewandowski grab her"."""
        words = [self.subject, "not" if self.polarity < 0 else None, self.modality, self.predicate,
                 self.object or self.figure]
        return " ".join(w for w in words if w)

    def to_dict(self) -> dict[str, Any]:
        return {"predicate": self.predicate, "subject": self.subject, "object": self.object, "figure": self.figure,
                "polarity": self.polarity, "modality": self.modality}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Proposition":
        return cls(str(data["predicate"]), data.get("subject"), data.get("object"), data.get("figure"),
                   int(data.get("polarity") or 1), data.get("modality"))


@dataclass(frozen=True, slots=True)
class ClaimMention:
    """One party affirming or denying one proposition in one article.

    ``holder`` is who the proposition credits: the side that controls the place,
    the party accused of the attack, the author of the document, the side whose
    losses are counted.  An :class:`OtherSide` holder ("not Ukraine") means some
    side other than Ukraine ("Ukraine confirmed the withdrawal of its troops").  ``party`` is None when
    the text does not say who asserts it ("reports of the town's capture").
    """

    kind: ClaimKind
    target: str
    party: str | None
    polarity: int
    span: Span
    text: str
    cue: str = ""
    holder: str | None = None
    party_side: str | None = None
    value: str | None = None  # the figure, for casualties and prisoners
    change: bool = False  # a change (capture, withdrawal) rather than a state (still holds)
    said_on: str | None = None
    via: str = "attribution"  # attribution, nominal or reference (a dispute of an earlier claim)
    answers: int | None = None  # index, in the article's mentions, of the assertion this one disputes
    extra: Mapping[str, Any] = field(default_factory=dict)
    proposition: Proposition | None = None  # the typed proposition (kind STATEMENT)
    located: Target | None = None  # the target's thing and place, where the text gives a place or a thing
    source: int | None = None  # the attribution (its index in the article) whose speaker ``party`` is

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ClaimKind(self.kind))
        if self.polarity not in (1, -1):
            raise ValueError(f"polarity must be +1 or -1, not {self.polarity!r}")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "kind": self.kind.value, "target": self.target, "party": self.party, "polarity": self.polarity,
            "span": self.span.to_list(), "text": self.text, "cue": self.cue,
            "holder": str(self.holder) if self.holder is not None else None,
            "holder_other": isinstance(self.holder, OtherSide),
            "party_side": self.party_side, "value": self.value, "change": self.change,
            "said_on": self.said_on, "via": self.via, "answers": self.answers,
        }
        if self.extra:
            data["extra"] = dict(self.extra)
        if self.proposition is not None:
            data["proposition"] = self.proposition.to_dict()
        if self.located is not None:
            data["located"] = list(self.located)
        if self.source is not None:
            data["source"] = self.source
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ClaimMention":
        return cls(
            kind=ClaimKind(data["kind"]), target=str(data["target"]), party=data.get("party"),
            polarity=int(data["polarity"]), span=Span.from_list(data["span"]), text=str(data["text"]),
            cue=str(data.get("cue") or ""), holder=holder_from(data.get("holder"), bool(data.get("holder_other"))),
            party_side=data.get("party_side"),
            value=data.get("value"), change=bool(data.get("change")), said_on=data.get("said_on"),
            via=str(data.get("via") or "attribution"), answers=data.get("answers"),
            extra=dict(data.get("extra") or {}),
            proposition=Proposition.from_dict(data["proposition"]) if data.get("proposition") else None,
            located=Target(*data["located"]) if data.get("located") else None,
            source=data.get("source"),
        )


@dataclass(frozen=True, slots=True)
class ProposalMention:
    """A proposal an article talks about: its name there and who put it forward."""

    name: str
    key: str  # normalised name, the same for every mention the article resolves to this proposal
    spans: tuple[Span, ...]
    proposed_by: str | None = None
    kind: str = "plan"  # plan, amendment, alternative, membership

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "key": self.key, "spans": [s.to_list() for s in self.spans],
                "proposed_by": self.proposed_by, "kind": self.kind}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ProposalMention":
        return cls(str(data["name"]), str(data["key"]), tuple(Span.from_list(s) for s in data.get("spans") or ()),
                   data.get("proposed_by"), str(data.get("kind") or "plan"))


@dataclass(frozen=True, slots=True)
class PositionMention:
    """One party's stance on one proposal in one article."""

    party: str
    proposal: str  # the proposal's name
    proposal_key: str
    stance: Stance
    span: Span
    text: str
    cue: str = ""
    said_on: str | None = None
    source: int | None = None  # the attribution (its index in the article) whose speaker ``party`` is

    def __post_init__(self) -> None:
        object.__setattr__(self, "stance", Stance(self.stance))

    def to_dict(self) -> dict[str, Any]:
        data = {"party": self.party, "proposal": self.proposal, "proposal_key": self.proposal_key,
                "stance": self.stance.value, "span": self.span.to_list(), "text": self.text, "cue": self.cue,
                "said_on": self.said_on}
        if self.source is not None:
            data["source"] = self.source
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PositionMention":
        return cls(str(data["party"]), str(data["proposal"]), str(data["proposal_key"]), Stance(data["stance"]),
                   Span.from_list(data["span"]), str(data["text"]), str(data.get("cue") or ""),
                   data.get("said_on"), data.get("source"))


@dataclass(frozen=True, slots=True)
class ArticleClaims:
    """Everything the claims feature finds in one article (the enricher's per-article data)."""

    mentions: tuple[ClaimMention, ...] = ()
    positions: tuple[PositionMention, ...] = ()
    proposals: tuple[ProposalMention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": [m.to_dict() for m in self.mentions],
                "positions": [p.to_dict() for p in self.positions],
                "proposals": [p.to_dict() for p in self.proposals]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "ArticleClaims":
        data = data or {}
        return cls(tuple(ClaimMention.from_dict(m) for m in data.get("mentions") or ()),
                   tuple(PositionMention.from_dict(p) for p in data.get("positions") or ()),
                   tuple(ProposalMention.from_dict(p) for p in data.get("proposals") or ()))


@dataclass(frozen=True, slots=True)
class Statement:
    """A party's statement inside a grouped claim: which side it is on and where it was said.

    ``party`` is the canonical name of the entity the resolution layer found for the party, ``party_id`` that
    entity's id (None when no entity names it: the party keeps the name the article gives it)."""

    party: str
    side: Side
    evidence: Evidence
    cue: str = ""
    party_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "party_id": self.party_id, "side": self.side.value, "cue": self.cue,
                **self.evidence.to_dict()}


@dataclass(frozen=True, slots=True)
class Claim:
    """One proposition across articles, with who asserted and who disputed it, in date order."""

    id: str  # stable: a hash of kind, target and holder
    kind: ClaimKind
    target: str
    holder: str | None
    topic: str
    statements: tuple[Statement, ...]
    value: str | None = None

    @property
    def asserted_by(self) -> list[str]:
        return _parties(self.statements, Side.ASSERTED)

    @property
    def disputed_by(self) -> list[str]:
        return _parties(self.statements, Side.DISPUTED)

    @property
    def contested(self) -> bool:
        return bool(self.asserted_by) and bool(self.disputed_by)

    @property
    def reversals(self) -> list["Reversal"]:
        return _reversals(self.statements)

    @property
    def proposition(self) -> str:
        who = self.holder or "someone"
        return {
            ClaimKind.CONTROL: f"{who} controls {self.target}",
            ClaimKind.CASUALTIES: f"{self.value or 'a figure of'} casualties ({self.target})",
            ClaimKind.PRISONERS: f"{self.value or 'a figure of'} prisoners ({self.target})",
            ClaimKind.ACCUSATION: f"{who} carried out the attack on {self.target}",
            ClaimKind.AUTHORSHIP: f"{who} wrote {self.target}",
            ClaimKind.PROGRESS: f"{self.target} made progress",
            ClaimKind.STATEMENT: self.target,
        }[self.kind]

    @property
    def first_seen(self) -> str | None:
        dates = [s.evidence.said_on for s in self.statements if s.evidence.said_on]
        return min(dates) if dates else None

    @property
    def disputed_since(self) -> str | None:
        dates = [s.evidence.said_on for s in self.statements if s.side is Side.DISPUTED and s.evidence.said_on]
        return min(dates) if dates else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind.value, "topic": self.topic, "target": self.target,
            "holder": self.holder, "value": self.value, "proposition": self.proposition,
            "contested": self.contested, "asserted_by": self.asserted_by, "disputed_by": self.disputed_by,
            "first_seen": self.first_seen, "disputed_since": self.disputed_since,
            "evidence": [s.evidence.to_dict() for s in self.statements],
            "statements": [s.to_dict() for s in self.statements],
            "reversals": [r.to_dict() for r in self.reversals],
        }


def _parties(statements: tuple[Statement, ...], side: Side) -> list[str]:
    """The parties whose side (their latest, after any reversal) is ``side``, in order of first statement."""
    final = {r.party: r.side for r in _reversals(statements)}
    seen: dict[str, None] = {}
    for s in statements:
        if final.get(s.party, s.side) is side and s.party not in seen:
            if s.side is side or s.party in final:
                seen[s.party] = None
    return list(seen)


@dataclass(frozen=True, slots=True)
class Reversal:
    """A party that changed sides on a claim: the side it moved to, and the day of its first statement there."""

    party: str
    side: Side
    since: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "side": self.side.value, "since": self.since}


def _reversals(statements: tuple[Statement, ...]) -> list[Reversal]:
    """Side changes in date order (grouping keeps only dated changes: a party is never on both sides at once)."""
    side: dict[str, Side] = {}
    out: dict[str, Reversal] = {}
    for s in statements:
        if s.party in side and s.side is not side[s.party]:
            out[s.party] = Reversal(s.party, s.side, s.evidence.said_on)
        side[s.party] = s.side
    return list(out.values())


@dataclass(frozen=True, slots=True)
class Position:
    """A party's stance on a proposal across articles, latest stance first in ``stance``."""

    party: str
    proposal: str
    stance: Stance
    evidence: tuple[Evidence, ...]
    stances: tuple[Stance, ...] = ()  # every stance seen, in date order (a party can change its mind)
    party_id: str | None = None  # the party's canonical entity (see Statement)
    # the proposal's key across articles; "" means the key of its name (a bare "proposal" is its article's own)
    proposal_key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "party_id": self.party_id, "proposal": self.proposal,
                "stance": self.stance.value,
                "stances": [s.value for s in self.stances], "evidence": [e.to_dict() for e in self.evidence]}

"""Frozen, typed records of what the extractor finds.

Offsets are always Python ``str`` indices (code points) into the document text,
end exclusive, so ``text[span.start:span.end]`` is the span's text.  Every
record converts to plain JSON-able data with ``to_dict`` and back with
``from_dict`` without loss; that plain form is also what travels inside
``Doc.user_data`` between spaCy worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Mapping


class AttributionKind(str, Enum):
    """How the statement is reported."""

    DIRECT = "direct"  # the content is a quotation: “We are ready,” he said.
    INDIRECT = "indirect"  # reported speech: He said that they were ready.
    MIXED = "mixed"  # reported speech with quoted parts: He called it “constructive”.
    ACCORDING_TO = "according_to"  # according to X / as reported by X / in X's words
    NOMINAL = "nominal"  # a noun carries it: Moscow's assertion of having taken control
    BELIEF = "belief"  # thoughts and intentions: Putin is confident that ...


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character interval ``[start, end)`` of a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"bad span [{self.start}, {self.end}): need 0 <= start <= end")

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def to_list(self) -> list[int]:
        return [self.start, self.end]

    @classmethod
    def from_list(cls, pair: Iterable[int]) -> "Span":
        start, end = pair
        return cls(int(start), int(end))


def _spans(raw: Iterable[Iterable[int]] | None) -> tuple[Span, ...]:
    return tuple(sorted(Span.from_list(p) for p in (raw or ())))


def spans_text(spans: Iterable[Span], doc_text: str) -> str:
    """The text of discontinuous spans, fragments joined by one space (brat's convention)."""
    return " ".join(s.text(doc_text) for s in spans)


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who the source is: the mention in the text and the name it resolves to in the article."""

    mention: str  # as written: "he", "the Ukrainian leader", "Zelensky"
    name: str  # the article's fullest name for it: "Volodymyr Zelensky"
    type: str = "UNKNOWN"  # PERSON, ORG, GPE, NORP, GROUP or UNKNOWN
    antecedent: Span | None = None  # where `name` is written out in the article, if anywhere

    def to_dict(self) -> dict[str, Any]:
        return {
            "mention": self.mention,
            "name": self.name,
            "type": self.type,
            "antecedent": self.antecedent.to_list() if self.antecedent else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Speaker":
        ante = data.get("antecedent")
        return cls(
            mention=str(data["mention"]),
            name=str(data["name"]),
            type=str(data.get("type", "UNKNOWN")),
            antecedent=Span.from_list(ante) if ante else None,
        )


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement: who (source) signalled by what (cue) said or thought what (content)."""

    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    source: tuple[Span, ...] = ()
    kind: AttributionKind = AttributionKind.INDIRECT
    speaker: Speaker | None = None
    confidence: float = 1.0
    cue_text: str = ""
    content_text: str = ""
    source_text: str = ""
    said_on: str | None = None  # ISO date the statement was made, where the text says so
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.cue:
            raise ValueError("an attribution needs at least one cue span")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside [0, 1]")
        # Accept lists or unsorted input but always store sorted tuples.
        for name in ("cue", "content", "source"):
            object.__setattr__(self, name, tuple(sorted(getattr(self, name))))
        object.__setattr__(self, "kind", AttributionKind(self.kind))

    @property
    def start(self) -> int:
        return min(s.start for s in self.cue + self.content + self.source)

    @property
    def end(self) -> int:
        return max(s.end for s in self.cue + self.content + self.source)

    def to_spans_dict(self) -> dict[str, list[list[int]]]:
        """Exactly the shape the PolNeAR scorer reads."""
        return {
            "source": [s.to_list() for s in self.source],
            "cue": [s.to_list() for s in self.cue],
            "content": [s.to_list() for s in self.content],
        }

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = self.to_spans_dict()
        data.update(
            kind=self.kind.value,
            speaker=self.speaker.name if self.speaker else None,
            speaker_mention=self.speaker.mention if self.speaker else None,
            speaker_type=self.speaker.type if self.speaker else None,
            speaker_antecedent=(
                self.speaker.antecedent.to_list() if self.speaker and self.speaker.antecedent else None
            ),
            confidence=round(self.confidence, 4),
            source_text=self.source_text,
            cue_text=self.cue_text,
            content_text=self.content_text,
            said_on=self.said_on,
        )
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Attribution":
        speaker = None
        if data.get("speaker") is not None:
            ante = data.get("speaker_antecedent")
            speaker = Speaker(
                mention=str(data.get("speaker_mention") or data.get("source_text") or ""),
                name=str(data["speaker"]),
                type=str(data.get("speaker_type") or "UNKNOWN"),
                antecedent=Span.from_list(ante) if ante else None,
            )
        return cls(
            cue=_spans(data.get("cue")),
            content=_spans(data.get("content")),
            source=_spans(data.get("source")),
            kind=AttributionKind(data.get("kind", "indirect")),
            speaker=speaker,
            confidence=float(data.get("confidence", 1.0)),
            cue_text=str(data.get("cue_text", "")),
            content_text=str(data.get("content_text", "")),
            source_text=str(data.get("source_text", "")),
            said_on=data.get("said_on"),
            extra=dict(data.get("extra") or {}),
        )


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The attributions found in one document (or why it could not be read)."""

    id: str
    text: str
    attributions: tuple[Attribution, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "attributions": [a.to_dict() for a in self.attributions]}
        if self.error is not None:
            data["error"] = self.error
        if with_text:
            data["text"] = self.text
        return data

    def outermost(self) -> tuple[Attribution, ...]:
        """The attributions not nested in another's content: those PolNeAR's convention annotates.

        "Clinton said: “Director Comey said my answers were truthful”" holds two statements, and the record
        keeps both; PolNeAR's annotators mark only the outer one (in its train and dev gold no cue lies inside
        another attribution's content), so its format leaves out every attribution whose cue lies wholly
        inside the content of another.
        """
        return tuple(a for a in self.attributions if not any(
            b is not a and all(any(c.start <= s.start and s.end <= c.end for c in b.content) for s in a.cue)
            for b in self.attributions))

    def to_spans_dict(self) -> dict[str, Any]:
        """PolNeAR's scorer format under PolNeAR's convention: the outermost attributions only."""
        return {"id": self.id, "attributions": [a.to_spans_dict() for a in self.outermost()]}

"""Typed records of the corrections feature."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any


class CorrectionKind(str, Enum):
    SPEAKER = "speaker"  # set or clear a statement's speaker
    DATE = "date"  # set or clear the day a statement was made
    CLAIM_SIDE = "claim_side"  # move a party to the other side of a claim
    CLAIM_REMOVE = "claim_remove"  # take a party out of a claim
    STANCE = "stance"  # set a party's stance on a proposal
    MERGE = "merge"  # these names are one entity
    SPLIT = "split"  # these names are different entities

    @property
    def per_statement(self) -> bool:
        return self in (CorrectionKind.SPEAKER, CorrectionKind.DATE)


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction a person made, with who made it and when (and who undid it, if anyone did)."""

    id: int
    kind: CorrectionKind
    article_id: str | None
    cue_start: int | None
    cue_end: int | None
    target: str | None
    party: str | None
    value: Any  # decoded JSON: a name, a date, a side, a stance, or None to clear
    before: Any
    note: str
    actor: str
    made_at: str
    undone_by: str | None = None
    undone_at: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @classmethod
    def from_row(cls, row: tuple) -> "Correction":
        (id_, kind, article_id, cue_start, cue_end, target, party, value, before, note, actor, made_at, undone_by,
         undone_at) = row
        return cls(id_, CorrectionKind(kind), article_id, cue_start, cue_end, target, party,
                   json.loads(value) if value is not None else None, json.loads(before) if before else None,
                   note or "", actor, made_at, undone_by, undone_at)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["kind"] = self.kind.value
        data["active"] = self.active
        return data


COLUMNS = ("id, kind, article_id, cue_start, cue_end, target, party, value, before, note, actor, made_at, undone_by,"
           " undone_at")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """Something in the record a person should look at, with the command that corrects it."""

    reason: str  # both_sides, suspect_speaker, low_confidence, undated
    ref: str  # ARTICLE#IDX for a statement, the claim id for a claim
    article_id: str | None
    idx: int | None
    speaker: str | None
    text: str
    detail: str
    fix: str  # the `onrecord fix ...` command that would correct it

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

"""Forms: local entities the merge cannot tell apart, stored once with how many there are.

The cross-article merge (:func:`~onrecord.entities.merge.merge_units`) reads of a
local entity only its type, name, spellings, country, roles (title, of, text), the
first "the ..." role mention, and, when it has roles, its publication day.  Local
entities equal in all of these are one *form*: "Donald Trump" named in 5,000
articles without a role is one form of weight 5,000.  The store keeps each form
once (``entity_forms``) with its counts, keys its blocking keys by form
(``entity_form_keys``), and records which form every local entity is
(``entity_nodes``).  Finalize then works on the forms a new article reaches, not on
every local entity of those forms: the cost of a component is the number of
distinct ways its entity is written, not the number of times it was written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Mapping

from ..records import Span
from .merge import Unit, _day
from .records import EntityType, LocalEntity, Mention, Role

_NOWHERE = Span(0, 0)


def _definite(text: str) -> bool:
    from .blocking import _DEFINITE

    return bool(_DEFINITE.match(text))


@dataclass(frozen=True, slots=True)
class Form:
    """One form: the entity as the merge sees it, and its day (set only when it has roles)."""

    id: str
    entity: LocalEntity
    day: str | None

    def to_json(self) -> str:
        return json.dumps({"entity": self.entity.to_dict(), "day": self.day}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, form_id: str, raw: str) -> "Form":
        data = json.loads(raw)
        return cls(form_id, LocalEntity.from_dict(data["entity"]), data.get("day"))

    def unit(self, nodes: int, statements: int, articles: int) -> Unit:
        return Unit(self.entity, _day(self.day), nodes, statements, articles)


def form_of(e: LocalEntity, published: str | None) -> Form:
    """The form of one article's local entity (``published``: the article's publication date)."""
    names = sorted({m.text for m in e.mentions if m.how == "name"})
    definite = next((m.text for m in e.mentions if m.how == "role" and _definite(m.text)), None)
    mentions = tuple(Mention(_NOWHERE, t, "name") for t in names)
    if definite is not None:
        mentions += (Mention(_NOWHERE, definite, "role"),)
    roles = tuple(Role(r.title, r.of, r.text, _NOWHERE, "") for r in e.roles)
    day = _day(published)
    sig = LocalEntity(0, EntityType(e.type), e.name, mentions, roles, e.country)
    form = Form("", sig, day.isoformat() if day is not None and roles else None)
    return Form(hashlib.sha256(form.to_json().encode("utf-8")).hexdigest()[:20], sig, form.day)


@dataclass
class Counts:
    """A form's counts: local entities, statements, articles, and the forms its members speak for or belong to."""

    nodes: int = 0
    statements: int = 0
    articles: int = 0
    stands_for: dict[str, int] | None = None
    part_of: dict[str, int] | None = None

    def refs_json(self) -> str:
        return json.dumps({"stands_for": self.stands_for or {}, "part_of": self.part_of or {}}, sort_keys=True)

    @classmethod
    def from_row(cls, nodes: int, statements: int, articles: int, refs: str) -> "Counts":
        data: Mapping[str, Any] = json.loads(refs)
        return cls(nodes, statements, articles, dict(data.get("stands_for") or {}), dict(data.get("part_of") or {}))

    def add(self, sign: int, statements: int, stands_for: str | None, part_of: str | None) -> None:
        self.nodes += sign
        self.statements += sign * statements
        for target, field in ((stands_for, "stands_for"), (part_of, "part_of")):
            if target is None:
                continue
            refs = getattr(self, field)
            if refs is None:
                refs = {}
                setattr(self, field, refs)
            refs[target] = refs.get(target, 0) + sign
            if not refs[target]:
                del refs[target]

    def targets(self) -> set[str]:
        return set(self.stands_for or ()) | set(self.part_of or ())

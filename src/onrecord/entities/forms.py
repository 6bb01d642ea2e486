"""Forms: local entities the merge cannot tell apart, stored once with how many there are.

The cross-article merge (:func:`~onrecord.entities.merge.merge_units`) reads of a
local entity only its type, name, spellings, country, roles (title, of, text), the
first "the ..." role mention, and, when it has roles, its publication day.  Local
entities equal in all of these are one *form*: "Donald Trump" named in 5,000
articles is one form of weight 5,000.  A person keeps the days of its roles in its
form's counts rather than in the form (the role rules ask only whether the role
was held near a day), and a person named in full its roles too (a full name is one
person whatever its roles; a bare surname's roles can decide who it is), so
"President Donald Trump" on a thousand days is still one form.  The store keeps each form
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
from functools import lru_cache
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
    apart: bool = False  # a person: its roles' days (and texts) are in the counts (holds_roles_apart)

    def to_json(self) -> str:
        data: dict[str, Any] = {"entity": self.entity.to_dict(), "day": self.day}
        if self.apart:
            data["apart"] = True
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, form_id: str, raw: str) -> "Form":
        return _parsed(form_id, raw)

    def unit(self, counts: "Counts") -> Unit:
        return Unit(self.entity, _day(self.day), counts.nodes, counts.statements, counts.articles,
                    counts.held() if self.apart else None)


def holds_roles_apart(e: LocalEntity) -> bool:
    """A person: its form counts the days of its roles (and their texts, which the second pass shows) instead of
    holding them; the role rules read only whether a role was held near a day (merge.Unit.held)."""
    return e.type is EntityType.PERSON


def _roles_in_form(e: LocalEntity) -> bool:
    """Whether the form keeps the roles themselves: not for a person named in full, whose roles never decide
    whom the name is (a bare surname's roles do: "Clinton, the former president")."""
    from .names import PersonName

    return not (e.type is EntityType.PERSON and PersonName.parse(e.name).full)


@lru_cache(maxsize=1 << 16)
def _parsed(form_id: str, raw: str) -> Form:
    """A stored form (a form id names one content, so a parsed form is kept for the next finalize)."""
    data = json.loads(raw)
    e = data["entity"]
    entity = LocalEntity(0, EntityType(e["type"]), e["name"],
                         tuple(Mention(_NOWHERE, m["text"], m["how"]) for m in e.get("mentions", ())),
                         tuple(Role(r["title"], r.get("of"), r["text"], _NOWHERE, "") for r in e.get("roles", ())),
                         e.get("country"))
    return Form(form_id, entity, data.get("day"), bool(data.get("apart")))


@lru_cache(maxsize=1 << 16)
def _refs(raw: str) -> Mapping[str, Any]:
    """A stored form's refs JSON, parsed (most are alike: nothing referred to); callers copy what they change."""
    return json.loads(raw)


@lru_cache(maxsize=1 << 16)
def _role(key: str) -> tuple[Role, str]:
    title, of, text = json.loads(key)
    role = Role(title, of, text, _NOWHERE, "")
    return role, role.key


def form_of(e: LocalEntity, published: str | None) -> Form:
    """The form of one article's local entity (``published``: the article's publication date)."""
    names = sorted({m.text for m in e.mentions if m.how == "name"})
    definite = next((m.text for m in e.mentions if m.how == "role" and _definite(m.text)), None)
    mentions = tuple(Mention(_NOWHERE, t, "name") for t in names)
    if definite is not None:
        mentions += (Mention(_NOWHERE, definite, "role"),)
    apart = holds_roles_apart(e)
    roles = tuple(Role(r.title, r.of, r.text, _NOWHERE, "") for r in e.roles) if _roles_in_form(e) else ()
    day = _day(published)
    sig = LocalEntity(0, EntityType(e.type), e.name, mentions, roles, e.country)
    form = Form("", sig, day.isoformat() if day is not None and roles and not apart else None, apart)
    return Form(hashlib.sha256(form.to_json().encode("utf-8")).hexdigest()[:20], sig, form.day, apart)


def held_of(e: LocalEntity, published: str | None) -> str | None:
    """What a local entity adds to its form's role counts (JSON; None when its form holds its roles)."""
    if not holds_roles_apart(e) or not e.roles:
        return None
    day = _day(published)
    return json.dumps({"day": day.isoformat() if day is not None else None,
                       "roles": sorted({(r.title, r.of, r.text) for r in e.roles}, key=repr)}, ensure_ascii=False)


@dataclass
class Counts:
    """A form's counts: local entities, statements, articles, the forms its members speak for or belong to, and
    (a person named in full) the roles its members were given: role → day → local entities."""

    nodes: int = 0
    statements: int = 0
    articles: int = 0
    stands_for: dict[str, int] | None = None
    part_of: dict[str, int] | None = None
    roles: dict[str, dict[str, int]] | None = None

    def refs_json(self) -> str:
        data: dict[str, Any] = {"stands_for": self.stands_for or {}, "part_of": self.part_of or {}}
        if self.roles:
            data["roles"] = self.roles
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_row(cls, nodes: int, statements: int, articles: int, refs: str, *, read_only: bool = False) -> "Counts":
        """A stored form's counts; ``read_only`` shares the parsed refs with the cache (never ``add`` to those)."""
        data = _refs(refs)
        if read_only:
            return cls(nodes, statements, articles, data.get("stands_for") or {}, data.get("part_of") or {},
                       data.get("roles") or {})
        return cls(nodes, statements, articles, dict(data.get("stands_for") or {}), dict(data.get("part_of") or {}),
                   {k: dict(v) for k, v in (data.get("roles") or {}).items()})

    def add(self, sign: int, statements: int, stands_for: str | None, part_of: str | None,
            held: str | None = None) -> None:
        self.nodes += sign
        self.statements += sign * statements
        for target, field in ((stands_for, "stands_for"), (part_of, "part_of")):
            if target is not None:
                _bump(self, field, target, sign)
        if held is not None:
            data = json.loads(held)
            if self.roles is None:
                self.roles = {}
            for role in data["roles"]:
                key = json.dumps(role, ensure_ascii=False)
                days = self.roles.setdefault(key, {})
                day = data["day"] or ""
                days[day] = days.get(day, 0) + sign
                if not days[day]:
                    del days[day]
                if not days:
                    del self.roles[key]

    def targets(self) -> set[str]:
        return set(self.stands_for or ()) | set(self.part_of or ())

    def role_items(self) -> list[tuple[Role, str | None, int]]:
        """(role, day, local entities) for each role and day counted, in role then day order."""
        out = []
        for key in sorted(self.roles or ()):
            role = _role(key)[0]
            for day in sorted(self.roles[key]):
                out.append((role, day or None, self.roles[key][day]))
        return out

    def held(self) -> dict[str, tuple]:
        """Role key → the days it was held (merge.Unit.held)."""
        out: dict[str, set] = {}
        for key, days in (self.roles or {}).items():
            out.setdefault(_role(key)[1], set()).update(days)
        return {k: tuple(_day(d) for d in sorted(v)) for k, v in out.items()}


def _bump(counts: Counts, field: str, target: str, sign: int) -> None:
    refs = getattr(counts, field)
    if refs is None:
        refs = {}
        setattr(counts, field, refs)
    refs[target] = refs.get(target, 0) + sign
    if not refs[target]:
        del refs[target]

"""Cross-article canonicalisation: many articles' local entities → one canonical entity per real-world thing.

Merges happen in order of certainty, and every one leaves evidence:

1. ``alias``: the user's alias file (and ``onrecord entities merge``) and the built-in exonyms;
2. ``same-name`` / ``spelling``: organisations, governments and places whose
   keys agree after folding transliteration (Kyiv/Kiev, Kupiansk/Kupyansk), or
   whose spellings are nearly identical (long names only);
3. people: full names with the same surname key and compatible given names
   (Dmitry/Dmitri); never two different given names (Igor/Sergei Ivanov);
4. ``partial-name``: a bare surname joins the only person of that surname
   with a first name, or, when there are several, the one whose role it shares;
5. ``role-holder``: "the Kremlin spokesman" used as a name (definite article,
   no name in that article) joins the one person reported in that role within
   60 days.

Split rules and given-name conflicts are checked at every join, so a chain of
likely-looking joins can never put two different people together.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from ..names import side_of
from .aliases import AliasRules, MergeRule
from .names import PersonName, fold, given_compatible, org_key, similar, skeleton
from .records import ArticleEntities, Entity, EntityType, LocalEntity, MergeEvidence, Role, RoleSeen
from .roles import normalise_title, role_key

Node = tuple[str, int]  # (article_id, local id)
THINGS = (EntityType.ORG, EntityType.GOVERNMENT, EntityType.PLACE)
ROLE_HOLDER_WINDOW = timedelta(days=60)
#: Bump when the merge gives other entities for the same members (names, ids): a store merged by an older version
#: is merged again in full once (entities/incremental.py, fingerprint).  2: ids made by _id_name.
MERGE_VERSION = "2"


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article's share of the merge."""

    article_id: str
    entities: ArticleEntities
    published: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """What the merge sees of one local entity, or of identical local entities taken as one (a store's *form*,
    entities.forms): the rules read only the entity and its day, the counts only weigh the result."""

    entity: LocalEntity
    day: date | None = None  # publication day (the role rules read it)
    weight: int = 1  # local entities it stands for
    statements: int = 0  # statements they made
    articles: int = 1  # articles they are in
    #: A person's roles held on several days (a form of a full name keeps them apart from the entity):
    #: role key → the days. None: the entity's own roles, on ``day``.
    held: Mapping[str, tuple[date | None, ...]] | None = None

    def roles_held(self) -> Mapping[str, tuple[date | None, ...]]:
        if self.held is not None:
            return self.held
        return {r.key: (self.day,) for r in self.entity.roles}


@dataclass
class Canonical:
    """The result: canonical entities, and which one each article's local entity became."""

    entities: list[Entity]
    members: dict[Node, str]  # (article_id, local) → entity id
    ambiguous: list[str] = field(default_factory=list)  # bare names left alone because several people fit
    retyped: dict[Node, EntityType] = field(default_factory=dict)  # the merge's type where it is not the node's own

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def by_name(self, name: str) -> Entity | None:
        key = skeleton(name)
        for e in self.entities:
            if skeleton(e.name) == key:
                return e
        for e in self.entities:
            if any(skeleton(a) == key for a in e.aliases):
                return e
        return None


class _Clusters:
    """Union-find that refuses joins a split rule or a given-name clash forbids, and records why it joined."""

    def __init__(self, nodes: Mapping[Node, LocalEntity], rules: AliasRules,
                 roles: Mapping[Node, set[str]] | None = None) -> None:
        self.parent = {n: n for n in nodes}
        self.nodes = nodes
        self.rules = rules
        self.keys = {n: {skeleton(v) for v in e.variants} for n, e in nodes.items()}
        self.given = {n: self._given(e) for n, e in nodes.items()}
        self.countries = {n: _countries(e) for n, e in nodes.items()}
        # every member's role keys, kept by root
        self.roles = {n: set(roles[n]) if roles is not None else _role_keys(e) for n, e in nodes.items()}
        self.evidence: dict[Node, list[MergeEvidence]] = defaultdict(list)
        self.refused: list[str] = []

    @staticmethod
    def _given(e: LocalEntity) -> set[tuple[str, str]]:
        if e.type is not EntityType.PERSON:
            return set()
        p = PersonName.parse(e.name)
        return {(p.given[0], p.suffix)} if p.given else {("", p.suffix)}

    def find(self, n: Node) -> Node:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def clash(self, ra: Node, rb: Node) -> str | None:
        rule = self.rules.apart(self.keys[ra], self.keys[rb])
        if rule is not None:
            return f"split rule ({rule.origin}): {', '.join(rule.names)}"
        ca, cb = self.countries[ra], self.countries[rb]
        if ca and cb and ca != cb:
            # "Defense ministry" may join either country's ministry, never both into one
            return f"different countries: {' / '.join(sorted(ca))} / {' / '.join(sorted(cb))}"
        for ga, sa in self.given[ra]:
            for gb, sb in self.given[rb]:
                if sa != sb:
                    return f"different suffix: {sa or '-'} / {sb or '-'}"
                if ga and gb and not given_compatible(ga, gb):
                    return f"different given names: {ga} / {gb}"
        return None

    def union(self, a: Node, b: Node, rule: str, detail: str, score: float = 1.0, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        reason = self.clash(ra, rb)
        if reason and not (force and reason.startswith(("different given", "different countries"))):
            self.refused.append(f"{self.nodes[a].name} / {self.nodes[b].name}: {reason}")
            return False
        self.parent[rb] = ra
        self.keys[ra] |= self.keys.pop(rb)
        self.given[ra] |= self.given.pop(rb)
        self.countries[ra] |= self.countries.pop(rb)
        self.roles[ra] |= self.roles.pop(rb)
        self.evidence[ra].extend(self.evidence.pop(rb, []))
        self.evidence[ra].append(MergeEvidence(self.nodes[a].name, self.nodes[b].name, rule, detail, score))
        return True

    def groups(self) -> dict[Node, list[Node]]:
        out: dict[Node, list[Node]] = defaultdict(list)
        for n in self.parent:
            out[self.find(n)].append(n)
        return out


def _countries(e: LocalEntity) -> set[str]:
    """The country an institution, government or role belongs to, from the article or from its name."""
    if e.type not in (EntityType.ORG, EntityType.GOVERNMENT, EntityType.ROLE):
        return set()
    country = e.country or side_of(e.name)
    return {country} if country else set()


@lru_cache(maxsize=1 << 16)
def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def canonicalise(articles: Iterable[ArticleInput], rules: AliasRules | None = None) -> Canonical:
    """Merge every article's local entities into canonical entities, with evidence for each merge."""
    arts = {a.article_id: a for a in articles}
    statements = Counter((aid, link.local) for aid, a in arts.items() for link in a.entities.speakers)
    units: dict[Node, Unit] = {
        (aid, e.local): Unit(e, _day(a.published), 1, statements[(aid, e.local)], 1)
        for aid, a in arts.items() for e in a.entities.entities
    }
    result = merge_units(units, rules)
    # What only single local entities tell: distinct articles, roles with their days, seats' governments.
    groups: dict[str, list[Node]] = defaultdict(list)
    for n, eid in result.members.items():
        groups[eid].append(n)
    names = {n: e.name for e in result.entities for n in groups[e.id]}
    nodes = {n: u.entity for n, u in units.items()}
    lookup = {skeleton(v): names[n] for n, e in nodes.items() for v in e.variants}
    lookup.update({skeleton(names[n]): names[n] for n in nodes})
    out = []
    for e in result.entities:
        group = groups[e.id]
        stands = Counter(names[(n[0], nodes[n].stands_for)] for n in group if (n[0], nodes[n].stands_for) in names)
        part = Counter(names[(n[0], nodes[n].part_of)] for n in group if (n[0], nodes[n].part_of) in names)
        out.append(replace(e, articles=len({n[0] for n in group}), roles=tuple(_roles(group, nodes, arts, lookup)),
                           stands_for=stands.most_common(1)[0][0] if stands else None,
                           part_of=part.most_common(1)[0][0] if part else None))
    return Canonical(out, result.members, result.ambiguous, result.retyped)


def merge_units(units: Mapping[Node, Unit], rules: AliasRules | None = None) -> Canonical:
    """The merge on units, in the order given: entities with name, type, aliases, country, counts and evidence
    (roles and what an entity stands for or is part of are left to the caller: they need single articles)."""
    rules = rules or AliasRules()
    nodes = _retype({n: u.entity for n, u in units.items()}, {n: u.weight for n, u in units.items()})
    held = {n: u.roles_held() for n, u in units.items()}
    uf = _Clusters(nodes, rules, {n: set(h) for n, h in held.items()})

    _merge_aliases(uf, nodes, rules)
    _merge_things(uf, nodes)
    _merge_simple(uf, nodes, EntityType.ROLE)
    _merge_simple(uf, nodes, EntityType.GROUP)
    ambiguous = _merge_people(uf, nodes)
    _merge_role_holders(uf, nodes, {n: u.day for n, u in units.items()}, held)
    return _build(uf, nodes, units, rules, ambiguous)


def _retype(nodes: dict[Node, LocalEntity], weights: Mapping[Node, int]) -> dict[Node, LocalEntity]:
    """Undo the small NER model's one-word slips using the whole store.

    A one-word "organisation" or group that is elsewhere the surname of a named
    person ("Zelenskyy said", "Orlov told") is that surname; a one-word "person"
    with no role that is elsewhere a place or organisation ("Sumy") is that place.
    """
    surnames = {PersonName.parse(e.name).surname_key for e in nodes.values()
                if e.type is EntityType.PERSON and PersonName.parse(e.name).full}
    things: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for n, e in nodes.items():
        if e.type in THINGS:
            things[org_key(e.name)][e.type] += weights[n]
    out = dict(nodes)
    for n, e in nodes.items():
        if len(e.name.split()) != 1 or gazetteer_name(e.name):
            continue
        key = skeleton(e.name)
        if e.type in (EntityType.ORG, EntityType.GROUP, EntityType.PLACE) and key in surnames and key not in {
            k for k, c in things.items() if sum(c.values()) > 1
        }:
            out[n] = replace(e, type=EntityType.PERSON)
        elif e.type is EntityType.PERSON and not e.roles and key in things and key not in surnames:
            out[n] = replace(e, type=things[key].most_common(1)[0][0])
    return out


def gazetteer_name(name: str) -> bool:
    from ..nlp import gazetteer

    low = name.lower()
    return bool(gazetteer.country_of(name) or low in gazetteer.ACRONYMS or name in gazetteer.ACRONYMS)


def _merge_aliases(uf: _Clusters, nodes: Mapping[Node, LocalEntity], rules: AliasRules) -> None:
    for rule in rules.merges:
        keys = rule.keys
        hits = [n for n, e in nodes.items() if _type_fits(rule.type, e.type) and any(skeleton(v) in keys for v in e.variants)]
        for n in hits[1:]:
            uf.union(hits[0], n, "alias", f"{rule.origin}: {' = '.join(rule.names)}", force=True)


def _type_fits(wanted: EntityType | None, actual: EntityType) -> bool:
    """A rule for a place also fits an 'organisation' of that name: NER often cannot tell them apart."""
    if wanted is None or wanted is actual:
        return True
    return wanted in THINGS and actual in THINGS


def _merge_things(uf: _Clusters, nodes: Mapping[Node, LocalEntity]) -> None:
    by_key: dict[str, list[Node]] = defaultdict(list)
    spelled: dict[str, str] = {}
    for n, e in nodes.items():
        if e.type in THINGS:
            for v in sorted({e.name, *e.variants}):
                k = org_key(v)
                by_key[k].append(n)
                spelled.setdefault(k, v)
    for k, members in by_key.items():
        first = members[0]
        for n in members[1:]:
            a, b = nodes[first].name, nodes[n].name
            rule = "same-name" if fold(a) == fold(b) else "spelling"
            uf.union(first, n, rule, f"'{a}' and '{b}' share the key '{k}'")
    # Near-identical long names ("Kupyans" for "Kupyansk"): compare keys within a first-letters block.
    keys = sorted(by_key)
    blocks: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        blocks[k[:2]].append(k)
    for block in blocks.values():
        for i, ka in enumerate(block):
            for kb in block[i + 1 :]:
                score = spelled_alike(ka, kb)
                if score:
                    uf.union(by_key[ka][0], by_key[kb][0], "spelling",
                             f"'{spelled[ka]}' ~ '{spelled[kb]}' (similarity {score:.0f})", score / 100)


def spelled_alike(ka: str, kb: str) -> float:
    """Similarity (0 when not alike) of two organisation/place keys that start with the same two letters."""
    if abs(len(ka) - len(kb)) > 2 or _differs_by_number(ka, kb):
        return 0.0
    return similar(ka, kb)


def _differs_by_number(a: str, b: str) -> bool:
    return re.sub(r"\D", "", a) != re.sub(r"\D", "", b)


def _merge_simple(uf: _Clusters, nodes: Mapping[Node, LocalEntity], type_: EntityType) -> None:
    by_key: dict[str, list[Node]] = defaultdict(list)
    for n, e in nodes.items():
        if e.type is type_:
            by_key[org_key(e.name)].append(n)
    for members in by_key.values():
        for n in members[1:]:
            uf.union(members[0], n, "same-name", f"both called '{nodes[n].name}'")


def _role_keys(e: LocalEntity) -> set[str]:
    return {r.key for r in e.roles}


def _merge_people(uf: _Clusters, nodes: Mapping[Node, LocalEntity]) -> list[str]:
    by_surname: dict[str, list[Node]] = defaultdict(list)
    parsed: dict[Node, PersonName] = {}
    for n, e in nodes.items():
        if e.type is EntityType.PERSON:
            p = PersonName.parse(e.name)
            parsed[n] = p
            by_surname[p.surname_key].append(n)
    ambiguous: list[str] = []
    for surname, members in by_surname.items():
        full = [n for n in members if parsed[n].full]
        bare = [n for n in members if not parsed[n].full]
        # Full names: same person when the given names agree.
        reps: list[Node] = []
        for n in full:
            fits = [r for r in reps if parsed[r].compatible(parsed[n])]
            exact = [r for r in fits if skeleton(parsed[r].given[0]) == skeleton(parsed[n].given[0])]
            target = exact[0] if exact else (fits[0] if len(fits) == 1 else None)
            if target is None:
                if not fits:
                    reps.append(n)
                continue
            a, b = nodes[target].name, nodes[n].name
            rule = "same-name" if fold(a) == fold(b) else "spelling"
            uf.union(target, n, rule, f"'{a}' and '{b}': same surname key '{surname}', compatible given names")
        clusters = {uf.find(r) for r in reps}
        for n in bare:
            fits = [c for c in clusters if not uf.clash(uf.find(n), c)]
            name = nodes[n].name
            if len(fits) == 1:
                target = next(iter(fits))
                uf.union(target, n, "partial-name",
                         f"'{name}' is the only person called {nodes[target].name.split()[-1]} with a first name: "
                         f"{nodes[target].name}", 0.9)
                continue
            if not fits:
                continue
            # Several people share the surname: follow the role the article gives the bare name.
            keys = _role_keys(nodes[n])
            by_role = [c for c in fits if _shared_role(keys, _cluster_roles(uf, nodes, c))]
            if len(by_role) == 1:
                target = by_role[0]
                uf.union(target, n, "partial-name",
                         f"'{name}' shares the role '{_shared_role(keys, _cluster_roles(uf, nodes, target))}' with "
                         f"{nodes[target].name}", 0.8)
            else:
                ambiguous.append(f"{name}: could be any of {sorted(nodes[c].name for c in fits)}")
        # Bare names with no full name anywhere: the same surname is taken as the same person.
        if not clusters and len(bare) > 1:
            for n in bare[1:]:
                uf.union(bare[0], n, "same-name", f"both called '{nodes[n].name}' and no other person has that name",
                         0.8)
    return ambiguous


def _shared_role(a: set[str], b: set[str]) -> str | None:
    """A role both sides report: same title, and the same 'of' unless one side leaves it out."""
    for ka in sorted(a):
        ta, oa = ka.split("|", 1)
        for kb in sorted(b):
            tb, ob = kb.split("|", 1)
            if ta == tb and (oa == ob or not oa or not ob):
                return ta + (f" of {oa or ob}" if (oa or ob) else "")
    return None


def _cluster_roles(uf: _Clusters, nodes: Mapping[Node, LocalEntity], root: Node) -> set[str]:
    return uf.roles[uf.find(root)]


def _merge_role_holders(uf: _Clusters, nodes: Mapping[Node, LocalEntity], days: Mapping[Node, date | None],
                        held: Mapping[Node, Mapping[str, tuple[date | None, ...]]]) -> None:
    """'the Kremlin spokesman' used as a name joins the one person reported in that role near that date."""
    holders: dict[str, list[tuple[Node, date | None]]] = defaultdict(list)
    for n, e in nodes.items():
        if e.type is EntityType.PERSON:
            for key, on in held[n].items():
                holders[key].extend((n, d) for d in on)
    for n, e in nodes.items():
        if e.type is not EntityType.ROLE or not e.roles:
            continue
        definite = [m for m in e.mentions if m.how == "role" and re.match(r"(?i)the\s", m.text)]
        if not definite or not any(r.of for r in e.roles):
            continue
        when = days[n]
        keys = _equivalent_keys(e.roles[0])
        near = {uf.find(h) for key in keys for h, d in holders.get(key, ())
                if when is None or d is None or abs(d - when) <= ROLE_HOLDER_WINDOW}
        if len(near) == 1:
            target = next(iter(near))
            uf.union(target, n, "role-holder",
                     f"'{definite[0].text}' used as a name; {nodes[target].name} is the only person reported as "
                     f"{e.roles[0].title} of {e.roles[0].of} within {ROLE_HOLDER_WINDOW.days} days", 0.7)


LEADER_TITLES = ("president", "prime minister", "chancellor", "leader", "head of state")


def _equivalent_keys(role: Role) -> set[str]:
    """'the Ukrainian leader' is whoever holds Ukraine's top office: president, prime minister or chancellor."""
    if normalise_title(role.title) == "leader":
        return {role_key(t, role.of) for t in LEADER_TITLES}
    return {role.key}


def _naming_rule(members: list[LocalEntity], rules: AliasRules) -> MergeRule | None:
    """The merge rule whose name an entity takes, if any."""
    if not rules.merges:
        return None
    keys = {skeleton(v) for e in members for v in e.variants}
    for rule in rules.merges:
        # The rule names this entity only if it holds the rule's name, or the rule joined it (a split may have won).
        if skeleton(rule.canonical) in keys or len(rule.keys & keys) >= 2:
            return rule
    return None


def _canonical_name(members: list[LocalEntity], rule: MergeRule | None, weights: list[int]) -> str:
    if rule is not None:
        return rule.canonical
    people = [(e, w) for e, w in zip(members, weights) if e.type is EntityType.PERSON]
    counts: Counter[str] = Counter()
    if people:
        # The spelling most articles use for the surname, then the full name written with it.
        spellings: Counter[str] = Counter()
        for e, w in people:
            spellings[PersonName.parse(e.name).surname] += w
        surname = sorted(spellings, key=lambda s: (-spellings[s], s))[0]
        full = [(e.name, w) for e, w in people
                if PersonName.parse(e.name).full and PersonName.parse(e.name).surname == surname]
        full = full or [(e.name, w) for e, w in people if PersonName.parse(e.name).full] or \
            [(e.name, w) for e, w in people]
        for name, w in full:
            counts[name] += w
        return sorted(counts, key=lambda n: (-counts[n], -len(n), n))[0]
    for e, w in zip(members, weights):
        counts[e.name] += w
    # a dateline's capitals ("ISTANBUL, June 9 -") are layout, not the name, when the name is also written as such
    shouted = {n for n in counts if n.isupper() and any(m != n and m.casefold() == n.casefold() for m in counts)}
    return sorted(counts, key=lambda n: (n in shouted, -counts[n], -len(n), n))[0]


def _id_name(members: list[LocalEntity], rule: MergeRule | None) -> tuple[str, EntityType]:
    """What an entity's id is made from: the name and type of one of its members, chosen by what the members
    are called, never by how often (see docs/entities.md, "Entity ids").  The merge rule naming the entity
    gives its name; else, of the people named in full (else of the people, else of every member), the name
    whose slug sorts first.  The display name (:func:`_canonical_name`) follows the counts and may change when
    a tie between two spellings tips; the id changes only when the group of members does."""
    if rule is not None:
        return rule.canonical, min((e.type for e in members), key=lambda t: (t is not EntityType.PERSON, t.value))
    people = {(e.name, e.type) for e in members if e.type is EntityType.PERSON}
    pool = {p for p in people if PersonName.parse(p[0]).full} or people or {(e.name, e.type) for e in members}
    return min(pool, key=lambda p: (_slug(p[0]), p[0], p[1].value))


def _build(uf: _Clusters, nodes: Mapping[Node, LocalEntity], units: Mapping[Node, Unit], rules: AliasRules,
           ambiguous: list[str]) -> Canonical:
    groups = uf.groups()
    members: dict[Node, str] = {}
    out: list[Entity] = []
    used: set[str] = set()
    for root, group in sorted(groups.items(), key=lambda kv: min(kv[1])):
        entity = entity_of([(nodes[n], units[n]) for n in group], rules,
                           tuple(dict.fromkeys(uf.evidence.get(uf.find(group[0]), ()))))
        base, k = entity.id, 2
        while entity.id in used:
            entity, k = replace(entity, id=f"{base}-{k}"), k + 1
        used.add(entity.id)
        for n in group:
            members[n] = entity.id
        out.append(entity)
    retyped = {n: e.type for n, e in nodes.items() if e.type is not units[n].entity.type}
    return Canonical(out, members, ambiguous + uf.refused, retyped)


def entity_of(members: list[tuple[LocalEntity, Unit]], rules: AliasRules,
              evidence: tuple[MergeEvidence, ...] = ()) -> Entity:
    """One group's entity from its members (as retyped) in merge order: type, name, id (before any suffix that
    keeps ids apart within a component), aliases, country and counts."""
    ents = [e for e, _ in members]
    weights = [u.weight for _, u in members]
    types: Counter[EntityType] = Counter()
    country: Counter[str] = Counter()
    for e, w in zip(ents, weights):
        types[e.type] += w
        if e.country:
            country[e.country] += w
    type_ = EntityType.PERSON if types[EntityType.PERSON] else types.most_common(1)[0][0]
    rule = _naming_rule(ents, rules)
    name = _canonical_name(ents, rule, weights)
    id_name, id_type = _id_name(ents, rule)
    # the spelling breaks ties between case variants ("UN", "un"): a set's order changes with the hash seed, and
    # an entity written differently on each run would count as changed at every incremental finalize
    aliases = sorted({v for e in ents for v in e.variants if v != name}, key=lambda v: (v.lower(), v))
    return Entity(
        id=f"{id_type.value.lower()}:{_slug(id_name)}", name=name, type=type_, aliases=tuple(aliases),
        statements=sum(u.statements for _, u in members), articles=sum(u.articles for _, u in members),
        country=country.most_common(1)[0][0] if country else None, evidence=evidence,
    )


def _roles(group: list[Node], nodes: Mapping[Node, LocalEntity], arts: Mapping[str, ArticleInput],
           lookup: Mapping[str, str]) -> list[RoleSeen]:
    items = [(r, arts[n[0]].published, n[0]) for n in group for r in nodes[n].roles]
    return roles_seen(items, lambda of: lookup.get(skeleton(of), of))


def roles_seen(items: Iterable[tuple], canonical: Callable[[str], str]) -> list[RoleSeen]:
    """An entity's roles over time from ``(role, published, source)`` or ``(role, published, source, weight,
    articles)`` items in member order: ``weight`` role mentions from ``articles`` articles (one and one when left
    out), counted once per source; ``canonical`` names what each role is of ("Russia's" → "Russia")."""
    seen: dict[str, list[tuple[Role, str | None, str, int, int]]] = defaultdict(list)
    for item in items:
        r, published, source, weight, articles = (*item, 1, 1) if len(item) == 3 else item
        of = canonical(r.of) if r.of else None
        seen[role_key(r.title, of)].append((r, published, source, weight, articles))
    out = []
    for items_ in seen.values():
        texts: Counter[str] = Counter()
        for r, _, _, w, _ in items_:
            texts[r.text] += w
        days = sorted(str(p)[:10] for _, p, _, _, _ in items_ if p)
        r0 = items_[0][0]
        of = canonical(r0.of) if r0.of else None
        out.append(RoleSeen(
            text=sorted(texts, key=lambda t: (-texts[t], t))[0], title=r0.title, of=of,
            first_seen=days[0] if days else None, last_seen=days[-1] if days else None,
            articles=sum({s: a for _, _, s, _, a in items_}.values()),
        ))
    out.sort(key=lambda r: (r.first_seen or "", r.text))
    return out

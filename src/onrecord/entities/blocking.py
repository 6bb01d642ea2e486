"""Blocking keys: which local entities the cross-article merge could ever put together.

Two local entities can end in one canonical entity only when a chain of shared
keys links them (:mod:`onrecord.store.incremental`).  The store recomputes an
entity from the whole connected component of its members, so new articles
touch only the components their entities' keys reach, and a full rebuild is
the same computation over every component.

Every rule in :mod:`~onrecord.entities.merge` joins only entities that share a
key listed here; a rule added there needs its key here too (a key too many
makes components larger, never results wrong):

    n:<name key>        skeleton and org_key of every spelling, and a person's surname key
                        (same-name, spelling, people, partial-name, retyping of one-word names)
    t:<org key>         organisations, governments and places (and one-word names that may be one);
                        near-identical keys are tied by :func:`linked` (the fuzzy "spelling" rule)
    s:<slug>            the slug of every spelling: entity ids are unique inside a component
    a:<rule>            a merge rule of the alias file or of `onrecord entities merge`
    q:<role>@<bucket>   role-holder: a role used as a name ("the Kremlin spokesman"), for each 60-day bucket
                        of publication within reach of its window (an undated one: undated holders only)
    h:<role>@<bucket>   a role held by a person, by bucket.  *Passive*: holders of one role are not tied to
                        each other by it, only to the role names of a matching q: key (see :func:`linked`);
                        else every "President X" of a year would be one component.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Mapping

from .aliases import AliasRules
from .merge import ROLE_HOLDER_WINDOW, THINGS, _day, _equivalent_keys, _slug, spelled_alike
from .names import PersonName, org_key, skeleton
from .records import EntityType, LocalEntity

#: Bump when the keys change: stores keyed by an older version are rebuilt in full once.
KEYS_VERSION = "5"

_BUCKET = ROLE_HOLDER_WINDOW.days
_DEFINITE = re.compile(r"(?i)the\s")


def _bucket(day: date) -> int:
    return day.toordinal() // _BUCKET


def node_keys(e: LocalEntity, published: str | None, rules: AliasRules,
              held: Mapping[str, Iterable[date | None]] | None = None) -> set[str]:
    """Every blocking key of one article's entity (``published``: the article's publication date), or of a
    form that keeps a person's roles apart (``held``: role key → the days it was held, merge.Unit.held)."""
    keys: set[str] = set()
    one_word = len(e.name.split()) == 1
    for v in e.variants:
        sk, ok = skeleton(v), org_key(v)
        keys.update(("n:" + sk, "n:" + ok, "s:" + _slug(v)))
        if e.type in THINGS or one_word:
            keys.add("t:" + ok)
    if e.type is EntityType.PERSON or one_word:
        keys.add("n:" + PersonName.parse(e.name).surname_key)
    for rule in rules.merges:
        if any(skeleton(v) in rule.keys for v in e.variants):
            keys.add("a:" + "|".join(sorted(rule.keys)))
            keys.add("s:" + _slug(rule.canonical))
    if held is not None:
        keys |= {f"h:{key}@{_bucket(d)}" if d is not None else f"h:{key}@*" for key, on in held.items() for d in on}
    else:
        keys |= _role_keys(e, _day(published))
    return keys


def _role_keys(e: LocalEntity, day: date | None) -> set[str]:
    out: set[str] = set()
    if not e.roles:
        return out
    if e.type is EntityType.ROLE:
        # A role used as a name joins the one person holding it within the window (merge._merge_role_holders).
        if not any(m.how == "role" and _DEFINITE.match(m.text) for m in e.mentions) or not any(r.of for r in e.roles):
            return out
        for key in _equivalent_keys(e.roles[0]):
            out.add(f"q:{key}@*")  # holders seen in undated articles fit any date
            if day is not None:
                b = _bucket(day)
                out.update((f"q:{key}@{b - 1}", f"q:{key}@{b}", f"q:{key}@{b + 1}"))
        return out
    for r in e.roles:  # a holder (a person, or a name the store may retype as one)
        out.add(f"h:{r.key}@{_bucket(day)}" if day is not None else f"h:{r.key}@*")
    return out


def passive(key: str) -> bool:
    """Keys that tie entities only through the key :func:`linked` pairs them with."""
    return key.startswith("h:")


def thing_block(key: str) -> str:
    """The keys a ``t:`` key is compared with start like this (merge._merge_things compares within it)."""
    return key[:4]  # "t:" and the first two letters of the org key


def linked(key: str, candidates: Iterable[str]) -> list[str]:
    """The keys among ``candidates`` tied to ``key`` without sharing an entity: ``t:`` keys spelled alike,
    and a role name's ``q:`` key with the holders' ``h:`` key of the same role and bucket."""
    if key.startswith("t:"):
        return [c for c in candidates
                if c != key and thing_block(c) == thing_block(key) and spelled_alike(key[2:], c[2:])]
    other = partner(key)
    return [c for c in candidates if c == other] if other else []


def partner(key: str) -> str | None:
    """The one key a role key is tied to: a role name's ``q:`` key and the holders' ``h:`` key."""
    if key.startswith("q:"):
        return "h:" + key[2:]
    if key.startswith("h:"):
        return "q:" + key[2:]
    return None

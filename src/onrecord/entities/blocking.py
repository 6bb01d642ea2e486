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
    r:<role>@<bucket>   role-holder: a role held by a person, by 60-day bucket of the publication day
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from .aliases import AliasRules
from .merge import ROLE_HOLDER_WINDOW, THINGS, _day, _equivalent_keys, _slug, spelled_alike
from .names import PersonName, org_key, skeleton
from .records import EntityType, LocalEntity

#: Bump when the keys change: stores keyed by an older version are rebuilt in full once.
KEYS_VERSION = "1"

_BUCKET = ROLE_HOLDER_WINDOW.days
_DEFINITE = re.compile(r"(?i)the\s")


def _bucket(day: date) -> int:
    return day.toordinal() // _BUCKET


def node_keys(e: LocalEntity, published: str | None, rules: AliasRules) -> set[str]:
    """Every blocking key of one article's entity (``published``: the article's publication date)."""
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
            if day is None:
                out.add(f"r:{key}")
            else:
                b = _bucket(day)
                out.update((f"r:{key}@{b - 1}", f"r:{key}@{b}", f"r:{key}@{b + 1}", f"r:{key}@*"))
        return out
    for r in e.roles:  # a holder (a person, or a name the store may retype as one)
        out.add(f"r:{r.key}")
        out.add(f"r:{r.key}@{_bucket(day)}" if day is not None else f"r:{r.key}@*")
    return out


def thing_block(key: str) -> str:
    """The keys a ``t:`` key is compared with start like this (merge._merge_things compares within it)."""
    return key[:4]  # "t:" and the first two letters of the org key


def linked(key: str, candidates: Iterable[str]) -> list[str]:
    """The ``t:`` keys among ``candidates`` spelled like ``key`` (ties that need no shared entity)."""
    if not key.startswith("t:"):
        return []
    return [c for c in candidates if c != key and thing_block(c) == thing_block(key) and spelled_alike(key[2:], c[2:])]

"""The alias file: a user's word on which names are one entity and which must stay apart.

    # onrecord-aliases.toml
    [[merge]]                       # these names are one entity; the first is its name
    names = ["Volodymyr Zelensky", "Vladimir Zelensky"]
    type = "PERSON"                 # optional: only entities of this type

    [[split]]                       # these names are different entities, whatever their spelling says
    names = ["Olena Kovalenko", "Taras Kovalenko"]

Names are compared spelling-insensitively (see :func:`names.skeleton`).  The
same rules come from ``onrecord entities merge/split``, stored in the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ConfigError
from .names import skeleton
from .records import EntityType

#: The alias file used when none is given and this file exists in the working directory.
DEFAULT_ALIAS_FILE = "onrecord-aliases.toml"
#: Exonyms and spellings no letter rule joins: shipped world knowledge, in the same format.
BUILTIN = Path(__file__).with_name("builtin_aliases.toml")


@dataclass(frozen=True, slots=True)
class MergeRule:
    names: tuple[str, ...]
    type: EntityType | None = None
    origin: str = "alias file"

    @property
    def canonical(self) -> str:
        return self.names[0]

    @property
    def keys(self) -> frozenset[str]:
        return _keys(self.names)


@dataclass(frozen=True, slots=True)
class SplitRule:
    names: tuple[str, ...]
    origin: str = "alias file"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(skeleton(n) for n in self.names)


@dataclass(frozen=True, slots=True)
class AliasRules:
    merges: tuple[MergeRule, ...] = ()
    splits: tuple[SplitRule, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def __add__(self, other: "AliasRules") -> "AliasRules":
        return AliasRules(self.merges + other.merges, self.splits + other.splits, self.sources + other.sources)

    def apart(self, keys_a: Iterable[str], keys_b: Iterable[str]) -> SplitRule | None:
        """The split rule that forbids joining names ``keys_a`` with names ``keys_b``, if any."""
        a, b = set(keys_a), set(keys_b)
        for rule in self.splits:
            for i, ki in enumerate(rule.keys):
                for kj in rule.keys[i + 1 :]:
                    if (ki in a and kj in b) or (kj in a and ki in b):
                        return rule
        return None


def _names(entry: Mapping[str, Any], where: str) -> tuple[str, ...]:
    names = entry.get("names")
    if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(f"{where}: 'names' must be a list of at least two non-empty strings, "
                          f'e.g. names = ["Volodymyr Zelensky", "Vladimir Zelensky"]')
    return tuple(" ".join(n.split()) for n in names)


def split_rule(names: tuple[str, ...], origin: str, where: str | None = None) -> SplitRule:
    """A split rule, refused when two of its names are the same name to onrecord ('Kyiv'/'Kiev')."""
    keys = [skeleton(n) for n in names]
    if len(set(keys)) < len(keys):
        raise ConfigError(f"{where or origin}: {', '.join(names)} are spellings of one name to onrecord, so they "
                          "cannot be told apart; split names that differ (e.g. with a first name)")
    return SplitRule(names, origin)


def parse_aliases(data: Mapping[str, Any], origin: str = "alias file") -> AliasRules:
    """Rules from the parsed TOML document; unknown keys and bad values are errors that say how to fix them."""
    unknown = set(data) - {"merge", "split"}
    if unknown:
        raise ConfigError(f"{origin}: unknown section(s) {sorted(unknown)}; use [[merge]] and [[split]] tables")
    merges, splits = [], []
    for i, entry in enumerate(data.get("merge", []) or []):
        where = f"{origin}: [[merge]] #{i + 1}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: write it as a [[merge]] table with names = [...]")
        type_ = entry.get("type")
        if type_ is not None:
            try:
                type_ = EntityType(str(type_).upper())
            except ValueError:
                raise ConfigError(f"{where}: type must be one of {[t.value for t in EntityType]}") from None
        merges.append(MergeRule(_names(entry, where), type_, origin))
    for i, entry in enumerate(data.get("split", []) or []):
        where = f"{origin}: [[split]] #{i + 1}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: write it as a [[split]] table with names = [...]")
        splits.append(split_rule(_names(entry, where), origin, where))
    return AliasRules(tuple(merges), tuple(splits), (origin,))


def load_aliases(path: str | Path | None = None, *, builtin: bool = True) -> AliasRules:
    """The built-in rules plus those in ``path`` (or ./onrecord-aliases.toml when it exists)."""
    rules = AliasRules()
    if builtin:
        rules = rules + parse_aliases(tomllib.loads(BUILTIN.read_text("utf-8")), "built-in aliases")
    if path is None:
        default = Path(DEFAULT_ALIAS_FILE)
        if not default.exists():
            return rules
        path = default
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"alias file {path} does not exist; create it or leave out --aliases") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"alias file {path} cannot be read as UTF-8 text: {e}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"alias file {path} is not valid TOML ({e}); see docs/entities.md for the format") from None
    return rules + parse_aliases(data, str(path))


@lru_cache(maxsize=4096)
def _keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(skeleton(n) for n in names)

"""Dependency patterns kept as data, matched over a parse: spaCy's ``DependencyMatcher`` semantics, cheaper.

The stance patterns (``data/positions.json``) are ``DependencyMatcher`` patterns.  spaCy's matcher runs a
token matcher with every node of every pattern over every token of the article, then joins the nodes; for
news articles that was a third of the claims feature's time.  This matcher reads each token's attributes
once into an index (attribute value → token positions), takes the anchor node's candidates from the index,
and follows the relations from there, so it only looks at tokens a pattern can reach.

It gives the same matches in the same order as ``DependencyMatcher`` (a pattern's matches in the order of
its nodes' positions, patterns in the order added; a test compares both on real parses) for what the
pattern files use: the operators ``>`` (immediate dependent), ``>++`` (immediate dependent after the head: "proposed
instead", not "Instead, she sought") and ``>>`` (any dependent), and the token
attributes in :data:`ATTRIBUTES` as a value, ``{"IN": [...]}`` or ``{"NOT_IN": [...]}``.  A pattern using
anything else (another operator, a regular expression) is handed to spaCy's own matcher, at its cost.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from spacy.attrs import IDS
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import ConfigError

#: Pattern attributes this matcher compares (strings exactly, as spaCy does: through their hashes).
ATTRIBUTES = ("LEMMA", "LOWER", "POS", "TAG", "DEP", "ORTH", "IS_TITLE")
_FLAGS = frozenset({"IS_TITLE"})  # booleans, not strings
OPERATORS = (">", ">++", ">>")


class _Unsupported(ConfigError):
    """A pattern this matcher does not read (spaCy's matcher does)."""


class _Node:
    """One node of a pattern: which earlier node it hangs from and how, and what its token must be."""

    def __init__(self, spec: dict[str, Any], position: dict[str, int], key: str, vocab: Vocab) -> None:
        self.id = spec["RIGHT_ID"]
        self.left = position[spec["LEFT_ID"]] if "LEFT_ID" in spec else None
        self.op = spec.get("REL_OP")
        if self.left is not None and self.op not in OPERATORS:
            raise _Unsupported(f"pattern {key!r}: operator {self.op!r} (this matcher reads {OPERATORS})")
        self.tests: list[tuple[str, str, Any]] = []  # (attribute, "eq" | "in" | "not_in", value)
        for attr, want in (spec.get("RIGHT_ATTRS") or {}).items():
            attr = "ORTH" if attr == "TEXT" else attr
            if attr not in ATTRIBUTES:
                raise _Unsupported(f"pattern {key!r}: attribute {attr!r} (this matcher reads {', '.join(ATTRIBUTES)})")

            def code(value: Any, attr: str = attr) -> int:  # the value as Doc.to_array gives it
                return int(bool(value)) if attr in _FLAGS else vocab.strings.add(str(value))

            if isinstance(want, dict):
                if set(want) - {"IN", "NOT_IN"} or not want:
                    raise _Unsupported(f"pattern {key!r}: {attr} as {sorted(want)} (this matcher reads IN, NOT_IN)")
                for op, values in want.items():
                    self.tests.append((attr, op.lower(), frozenset(code(v) for v in values)))
            else:
                self.tests.append((attr, "eq", code(want)))

    def seeds(self, index: "_LazyIndex") -> list[int] | None:
        """Token positions the index gives for this node's most selective test, or None (no indexed test)."""
        best: list[int] | None = None
        for attr, op, want in self.tests:
            if attr in _FLAGS or op == "not_in":
                continue
            found = index.positions(attr, op, want)
            if best is None or len(found) < len(best):
                best = found
        return best

    def accepts(self, values: dict[str, list[Any]], i: int) -> bool:
        for attr, op, want in self.tests:
            have = values[attr][i]
            if op == "eq":
                if have != want:
                    return False
            elif (have in want) != (op == "in"):
                return False
        return True


class _LazyIndex(dict):
    """attribute → value → token positions, built for an attribute the first time a pattern asks."""

    def __init__(self, values: dict[str, list[Any]]) -> None:
        super().__init__()
        self.values = values

        self._sets: dict[tuple[str, frozenset], list[int]] = {}

    def __missing__(self, attr: str) -> dict[Any, list[int]]:
        by_value: dict[Any, list[int]] = {}
        for i, v in enumerate(self.values[attr]):
            by_value.setdefault(v, []).append(i)
        self[attr] = by_value
        return by_value

    def positions(self, attr: str, op: str, want: Any) -> list[int]:
        """Positions whose ``attr`` is ``want`` (op "eq") or in it (op "in"); sets shared by patterns once."""
        if op == "eq":
            return self[attr].get(want, [])
        found = self._sets.get((attr, want))
        if found is None:
            by_value = self[attr]
            found = self._sets[(attr, want)] = sorted(i for v in want & by_value.keys() for i in by_value[v])
        return found


class PatternMatcher:
    """``matcher(doc)`` → ``[(key, [token positions in node order]), ...]`` like spaCy's DependencyMatcher."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._patterns: list[tuple[int, list[_Node] | None]] = []  # None: matched by spaCy's matcher
        self._attrs: set[str] = set()
        self._spacy: DependencyMatcher | None = None

    def add(self, key: str, patterns: Iterable[Sequence[dict[str, Any]]]) -> None:
        for pattern in patterns:
            position: dict[str, int] = {}
            nodes = []
            for spec in pattern:
                if spec.get("RIGHT_ID") in position:
                    raise ConfigError(f"pattern {key!r}: node {spec.get('RIGHT_ID')!r} is named twice")
                if nodes and "LEFT_ID" not in spec:
                    raise ConfigError(f"pattern {key!r}: only the first node may go without LEFT_ID")
                if "LEFT_ID" in spec and spec["LEFT_ID"] not in position:
                    raise ConfigError(f"pattern {key!r}: LEFT_ID {spec['LEFT_ID']!r} is not an earlier node")
                try:
                    nodes.append(_Node(spec, position, key, self.vocab))
                except _Unsupported:
                    nodes = None
                    break
                position[nodes[-1].id] = len(nodes) - 1
            if nodes is None:
                if self._spacy is None:
                    self._spacy = DependencyMatcher(self.vocab)
                self._spacy.add(key, [list(pattern)])
                self._patterns.append((self.vocab.strings.add(key), None))
                continue
            self._attrs.update(attr for node in nodes for attr, _, _ in node.tests)
            self._patterns.append((self.vocab.strings.add(key), nodes))

    def __call__(self, doc: Doc) -> list[tuple[int, list[int]]]:
        attrs = sorted(self._attrs)
        if not len(doc) or not self._patterns:
            return []
        values: dict[str, list[Any]] = {a: [] for a in attrs}
        if attrs:
            values = dict(zip(attrs, doc.to_array([IDS[a] for a in attrs]).reshape(len(doc), -1).T.tolist()))
        index = _LazyIndex(values)
        related: dict[tuple[int, str], list[int]] = {}

        def reach(i: int, op: str) -> list[int]:
            found = related.get((i, op))
            if found is None:
                tok = doc[i]
                found = ([c.i for c in tok.children] if op == ">" else [c.i for c in tok.rights] if op == ">++"
                         else [t.i for t in tok.subtree if t.i != i])
                related[(i, op)] = found
            return found

        by_spacy: dict[int, list[list[int]]] = {}
        for key, match in self._spacy(doc) if self._spacy is not None else ():
            by_spacy.setdefault(key, []).append(match)
        out: list[tuple[int, list[int]]] = []
        everything = range(len(doc))
        for key, nodes in self._patterns:
            if nodes is None:
                out += [(key, m) for m in by_spacy.pop(key, [])]
                continue
            anchor = nodes[0]
            seeds = anchor.seeds(index)
            for a in (everything if seeds is None else seeds):
                if not anchor.accepts(values, a):
                    continue
                out += [(key, m) for m in self._extend(nodes, [a], values, reach)]
        return out

    def _extend(self, nodes: list[_Node], bound: list[int], values, reach) -> list[list[int]]:
        """Every way to bind the remaining nodes, in the order of their positions (node by node)."""
        if len(bound) == len(nodes):
            return [list(bound)]
        node = nodes[len(bound)]
        out = []
        for i in sorted(reach(bound[node.left], node.op)):
            if node.accepts(values, i):
                out += self._extend(nodes, bound + [i], values, reach)
        return out


__all__ = ["ATTRIBUTES", "OPERATORS", "PatternMatcher"]

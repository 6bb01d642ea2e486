"""Finding which of an article's ranges (quotations, entities) lie at a position, without scanning them all.

A long article has thousands of quotations; asking "which quotation holds
token i" of every one of them for every cue made extraction quadratic in the
article's length.  :class:`Ranges` keeps the ranges in their order (sorted by
start) with a running maximum of their ends, so each question costs a binary
search and a walk over the ranges that can actually reach the position.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Callable, Generic, Iterable, Iterator, Sequence, TypeVar
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span as SpacySpan

T = TypeVar("T")


class Ranges(Generic[T]):
    """Items with a start and an end, in order of start; a sequence like the list they came from."""

    def __init__(self, items: Sequence[T], start: Callable[[T], int] = lambda r: r[0],
                 end: Callable[[T], int] = lambda r: r[1]) -> None:
        self.items = list(items)
        self.starts = [start(r) for r in self.items]
        if any(a > b for a, b in zip(self.starts, self.starts[1:])):
            raise ValueError("ranges must be given in order of their start")
        self.ends = [end(r) for r in self.items]
        self._reach = list(accumulate(self.ends, max))  # the farthest end of any range up to each one

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k: int) -> T:
        return self.items[k]

    def overlapping(self, start: int, end: int) -> list[T]:
        """The items overlapping ``[start, end)`` (``item.start < end and item.end > start``), in order."""
        found = []
        k = bisect_left(self.starts, end) - 1
        while k >= 0 and self._reach[k] > start:
            if self.ends[k] > start:
                found.append(self.items[k])
            k -= 1
        found.reverse()
        return found

    def first_at(self, i: int) -> T | None:
        """The first item (in order) with ``start <= i < end``, or None."""
        k = bisect_right(self.starts, i) - 1
        first = None
        while k >= 0 and self._reach[k] > i:
            if self.ends[k] > i:
                first = self.items[k]
            k -= 1
        return first


class _EntityTable:
    """A Doc's entities as (start, end, label, kb_id, id) rows, in order; no reference to the Doc itself."""

    def __init__(self, doc: Doc) -> None:
        self.rows = [(e.start, e.end, e.label, e.kb_id, e.id) for e in doc.ents]
        self.ranges: Ranges[tuple[int, int, int, int, int]] = Ranges(self.rows)


class DocEntities:
    """A Doc's named entities, read once (``doc.ents`` scans the whole Doc on every access) and found by
    token position: what ``span.ents`` and "the entity at token i" give, without a scan of the article."""

    def __init__(self, doc: Doc, table: _EntityTable) -> None:
        self.doc = doc
        self._table = table

    def _span(self, row: tuple[int, int, int, int, int]) -> SpacySpan:
        start, end, label, kb_id, ent_id = row
        return SpacySpan(self.doc, start, end, label=label, kb_id=kb_id, span_id=ent_id)

    def within(self, start: int, end: int) -> list[SpacySpan]:
        """The entities inside tokens ``[start, end)``, in order (``doc[start:end].ents``)."""
        rows = self._table.rows
        out = []
        for k in range(bisect_left(self._table.ranges.starts, start), len(rows)):
            if rows[k][1] > end:
                break
            out.append(self._span(rows[k]))
        return out

    def overlapping(self, start: int, end: int) -> list[SpacySpan]:
        """The entities with a token in ``[start, end)``, in order."""
        return [self._span(r) for r in self._table.ranges.overlapping(start, end)]

    def at(self, i: int) -> SpacySpan | None:
        """The entity holding token ``i``, or None."""
        row = self._table.ranges.first_at(i)
        return self._span(row) if row is not None else None

    def latest_before(self, i: int) -> Iterator[SpacySpan]:
        """The entities that end at or before token ``i`` (``e.end <= i``), the latest first."""
        rows = self._table.rows
        for k in range(bisect_right(self._table.ranges.ends, i) - 1, -1, -1):
            yield self._span(rows[k])


_TABLES: WeakKeyDictionary[Doc, _EntityTable] = WeakKeyDictionary()


def doc_entities(doc: Doc) -> DocEntities:
    """The Doc's entities by position; the table behind it is made on first use and lives as long as the Doc."""
    table = _TABLES.get(doc)
    if table is None:
        table = _TABLES[doc] = _EntityTable(doc)
    return DocEntities(doc, table)


class Latest(Generic[T]):
    """Items in order of position; the latest one that ends by a position, preferring one whose words hold a given
    word ("the committee" → the last organisation named before it, the last one with "committee" in its name if
    there is one), found without a scan of every item before the position."""

    def __init__(self, items: Sequence[T], end: Callable[[T], int], words: Callable[[T], Iterable[str]]) -> None:
        self.items = list(items)
        self.ends = [end(x) for x in self.items]
        if any(a > b for a, b in zip(self.ends, self.ends[1:])):
            raise ValueError("items must be given in order of their end")
        self._holding: dict[str, list[int]] = {}
        for k, item in enumerate(self.items):
            for word in set(words(item)):
                self._holding.setdefault(word, []).append(k)

    def before(self, at: int, word: str) -> T | None:
        """``(holding or named)[-1]``: ``named`` the items with ``end <= at``, ``holding`` those holding ``word``."""
        n = bisect_right(self.ends, at)
        if not n:
            return None
        holding = self._holding.get(word, [])
        j = bisect_left(holding, n)
        return self.items[holding[j - 1]] if j else self.items[n - 1]

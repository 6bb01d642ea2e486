"""Cutting an article's text into runs for the reader: each run knows which statements cover it, and how.

The reader never builds markup from article text: it gets plain runs with the
roles that cover them, and the template escapes every run.  Spans of different
statements can nest (a quote inside another statement's content), so the text is
cut at every span boundary and each run keeps all the roles over it; the
innermost statement (the shortest one covering the run) decides the tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ..records import Span

#: Display precedence when several roles cover one run: the source is the link, the cue the verb.
ROLES = ("source", "cue", "content")


@dataclass(frozen=True, slots=True)
class Piece:
    """Where one statement's role lies in the text."""

    statement: int  # the attribution's idx
    role: str  # source, cue or content
    span: Span


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of the text with the same roles over all of it."""

    start: int
    end: int
    text: str
    roles: tuple[str, ...]  # subset of ROLES, in ROLES order, plus "mark" for evidence asked for in the URL
    statement: int | None  # innermost statement covering the run (None for plain text)
    role: str | None  # that statement's role here
    anchors: tuple[str, ...]  # "s3" on the run where statement 3 starts, so links can jump to it


def pieces_of(statements: Iterable[tuple[int, Sequence[Span], Sequence[Span], Sequence[Span]]]) -> list[Piece]:
    """``(idx, source, cue, content)`` spans of each statement as pieces."""
    out = []
    for idx, source, cue, content in statements:
        for role, spans in (("source", source), ("cue", cue), ("content", content)):
            out.extend(Piece(idx, role, s) for s in spans if s.end > s.start)
    return out


#: Each combination of roles as the tuple a run carries, by bit mask (bit i: ``ROLES[i]``), in ROLES order.
_ROLE_SETS = tuple(tuple(r for i, r in enumerate(ROLES) if mask >> i & 1) for mask in range(1 << len(ROLES)))
_ROLE_BIT = {r: 1 << i for i, r in enumerate(ROLES)}
_ROLE_RANK = {r: i for i, r in enumerate(ROLES)}


def runs(text: str, pieces: Sequence[Piece], mark: Span | None = None) -> tuple[Run, ...]:
    """The whole of ``text`` as consecutive runs; spans outside the text are clipped, never trusted."""
    n = len(text)
    # (start, end, rank, statement, role) per piece inside the text, by start; the rank (the statement's extent,
    # then the role's precedence, then the earlier piece) picks the innermost statement where several overlap.
    clipped = [(min(p.span.start, n), min(p.span.end, n), p) for p in pieces]
    clipped = [c for c in clipped if c[1] > c[0]]
    extent: dict[int, int] = {}
    first: dict[int, int] = {}
    for lo, hi, p in clipped:
        first[p.statement] = min(first.get(p.statement, lo), lo)
        extent[p.statement] = extent.get(p.statement, 0) + (hi - lo)
    clipped.sort(key=lambda c: c[0])
    by_start = [(lo, hi, (extent[p.statement], _ROLE_RANK[p.role], k), p.statement, p.role)
                for k, (lo, hi, p) in enumerate(clipped)]
    marked = None
    if mark is not None:
        m = (min(mark.start, n), min(mark.end, n))
        marked = m if m[1] > m[0] else None
    cuts = {0, n}
    for c in by_start:
        cuts.add(c[0])
        cuts.add(c[1])
    if marked:
        cuts.update(marked)
    starts: dict[int, list[int]] = {}
    for idx, lo in first.items():
        starts.setdefault(lo, []).append(idx)
    bounds = sorted(cuts)
    active: list[tuple] = []
    out: list[Run] = []
    i, count = 0, len(by_start)
    for start, end in zip(bounds, bounds[1:]):
        if active:
            active = [c for c in active if c[1] > start]
        while i < count and by_start[i][0] <= start:
            if by_start[i][1] > start:
                active.append(by_start[i])
            i += 1
        if active:
            mask = 0
            for c in active:
                mask |= _ROLE_BIT[c[4]]
            roles = _ROLE_SETS[mask]
            inner = active[0] if len(active) == 1 else min(active, key=lambda c: c[2])
            statement, role = inner[3], inner[4]
        else:
            roles, statement, role = (), None, None
        anchors = tuple(f"s{idx}" for idx in sorted(starts[start])) if start in starts else ()
        if marked and marked[0] <= start and end <= marked[1]:
            roles += ("mark",)
            if marked[0] == start:
                anchors += ("mark",)
        out.append(Run(start, end, text[start:end], roles, statement, role, anchors))
    return tuple(out)

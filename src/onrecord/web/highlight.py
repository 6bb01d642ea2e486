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


def runs(text: str, pieces: Sequence[Piece], mark: Span | None = None) -> tuple[Run, ...]:
    """The whole of ``text`` as consecutive runs; spans outside the text are clipped, never trusted."""
    n = len(text)
    clipped = [Piece(p.statement, p.role, Span(min(p.span.start, n), min(p.span.end, n))) for p in pieces]
    clipped = [p for p in clipped if p.span.end > p.span.start]
    if mark is not None:
        mark = Span(min(mark.start, n), min(mark.end, n))
    cuts = {0, n}
    for p in clipped:
        cuts.update((p.span.start, p.span.end))
    if mark is not None and mark.end > mark.start:
        cuts.update((mark.start, mark.end))
    bounds = sorted(cuts)
    # Each statement's extent decides which one is innermost where several overlap.
    extent: dict[int, int] = {}
    first: dict[int, int] = {}
    for p in clipped:
        lo = min(first.get(p.statement, p.span.start), p.span.start)
        first[p.statement] = lo
        extent[p.statement] = extent.get(p.statement, 0) + (p.span.end - p.span.start)
    starts: dict[int, set[int]] = {}
    for idx, lo in first.items():
        starts.setdefault(lo, set()).add(idx)
    by_start = sorted(clipped, key=lambda p: p.span.start)
    active: list[Piece] = []
    out: list[Run] = []
    i = 0
    for start, end in zip(bounds, bounds[1:]):
        if start == end:
            continue
        active = [p for p in active if p.span.end > start]
        while i < len(by_start) and by_start[i].span.start <= start:
            if by_start[i].span.end > start:
                active.append(by_start[i])
            i += 1
        roles = tuple(r for r in ROLES if any(p.role == r for p in active))
        if mark is not None and mark.start <= start and end <= mark.end and mark.end > mark.start:
            roles += ("mark",)
        inner = min(active, key=lambda p: (extent[p.statement], ROLES.index(p.role)), default=None)
        anchors = tuple(f"s{idx}" for idx in sorted(starts.get(start, ())))
        if mark is not None and mark.end > mark.start and mark.start == start:
            anchors += ("mark",)
        out.append(Run(start, end, text[start:end], roles, inner.statement if inner else None,
                       inner.role if inner else None, anchors))
    return tuple(out)

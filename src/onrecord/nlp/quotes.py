"""Finding quotations in raw text, robust to odd quote counts.

Quote marks are paired paragraph by paragraph, so one stray mark can only
spoil its own paragraph, never the rest of the article.  A quotation running
over several paragraphs follows the newsroom convention: the paragraph does not
close the quote and the next one opens again; such pieces share a ``group``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
STRAIGHT = '"'
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
#: Every quotation mark the finder knows.
MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + STRAIGHT + SINGLE_OPEN + SINGLE_CLOSE
OPENING_CONTEXT = " \t([{—–-/"
# The loops below look only at these characters: they find them with one scan in C.
_DOUBLE_MARKS = re.compile("[" + re.escape(DOUBLE_OPEN + DOUBLE_CLOSE + STRAIGHT) + "]")
_SINGLE_MARKS = re.compile("[" + re.escape(SINGLE_OPEN + SINGLE_CLOSE) + "]")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark (or after the paragraph's text when it runs on)
    group: int  # pieces of one multi-paragraph quotation share a group
    closed: bool  # False when the paragraph ended inside the quote

    @property
    def inner_start(self) -> int:
        return self.start + 1

    @property
    def inner_end(self) -> int:
        return self.end - 1 if self.closed else self.end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def _opens_here(text: str, i: int, para_start: int) -> bool:
    return i == para_start or text[i - 1] in OPENING_CONTEXT or text[i - 1] in DOUBLE_OPEN


def _first_mark(text: str, start: int, end: int) -> str:
    for ch in text[start:end]:
        if not ch.isspace():
            return ch
    return ""


def _double_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed double quotes of one paragraph, and the offset of a quote left open at its end."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for mark in _DOUBLE_MARKS.finditer(text, start, end):
        i, ch = mark.start(), mark.group()
        if open_at is None:
            # An opening mark is followed by the quoted words, never by a space
            # (French guillemets excepted: « like this »).
            if i + 1 >= end or (text[i + 1].isspace() and ch != "«"):
                continue
            # A closing mark can only open where it is plainly misused as an opener.
            if ch in DOUBLE_CLOSE and not (_opens_here(text, i, start) and i + 1 < end and text[i + 1].isalnum()):
                continue
            open_at = i
        elif ch in DOUBLE_OPEN and ch != "„":
            open_at = i  # two openers: the first was a stray mark
        else:
            spans.append((open_at, i + 1))
            open_at = None
    return spans, open_at


def _single_quotes(text: str, start: int, end: int, inside: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Top-level single quotes (‘…’) outside any double quote; apostrophes are not quotes."""
    spans = []
    open_at: int | None = None
    for mark in _SINGLE_MARKS.finditer(text, start, end):
        i, ch = mark.start(), mark.group()
        if any(a <= i < b for a, b in inside):
            continue
        if ch in SINGLE_OPEN and _opens_here(text, i, start):
            open_at = i
        elif ch in SINGLE_CLOSE and open_at is not None:
            nxt = text[i + 1] if i + 1 < end else " "
            if not nxt.isalnum():
                spans.append((open_at, i + 1))
                open_at = None
    return spans


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in ``text`` in order, each including its marks."""
    quotes: list[Quote] = []
    paragraphs = _paragraphs(text)
    group = 0
    carry_group: int | None = None
    for k, (start, end) in enumerate(paragraphs):
        doubles, open_at = _double_quotes(text, start, end)
        pieces = [(a, b, True) for a, b in doubles]
        running_on = False
        if open_at is not None:
            nxt = paragraphs[k + 1] if k + 1 < len(paragraphs) else None
            # Newsroom style: an unclosed quote continues when the next paragraph reopens it.
            while nxt is not None and nxt[0] == nxt[1]:
                nxt = None
            if nxt is not None and _first_mark(text, *nxt) in DOUBLE_OPEN + STRAIGHT:
                stop = end
                while stop > open_at and text[stop - 1].isspace():
                    stop -= 1
                pieces.append((open_at, stop, False))
                running_on = True
        pieces.extend((a, b, True) for a, b in _single_quotes(text, start, end, doubles))
        pieces.sort()
        for idx, (a, b, closed) in enumerate(pieces):
            first = idx == 0
            if first and carry_group is not None and text[a] in DOUBLE_OPEN + STRAIGHT and a == start + (
                len(text[start:end]) - len(text[start:end].lstrip())
            ):
                g = carry_group
            else:
                group += 1
                g = group
            quotes.append(Quote(a, b, g, closed))
        carry_group = next((q.group for q in reversed(quotes) if not q.closed), None) if running_on else None
    return quotes

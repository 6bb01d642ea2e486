"""Dates in a parsed article, and the day each attribution was made on.

A statement gets a date only when the sentence attaches one to its cue:
"Earlier on Tuesday, Putin stated ...", "the leader remarked on Tuesday that
...", "While the talks were ongoing on Tuesday, Trump informed ...".  A date
inside the content ("captured two weeks ago") dates what was said, not the
saying, and is left alone; a verb joined to the cue ("stated ..., warning",
"remarked ... but emphasized") shares the cue's date.  No date in the text means
no ``said_on``: the publication date is a different fact and is kept apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from spacy.tokens import Doc, Token

from ..nlp.ranges import Ranges
from ..records import Attribution, Span
from .resolve import ResolvedDate, resolve_expression

# Date-ish words spaCy's small English model sometimes leaves out of DATE entities.
_EXTRA = re.compile(
    r"\b(?:(?:earlier|later|late|early)\s+)?(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"yesterday|today)\b",
    re.IGNORECASE,
)
_FUTURE_AUX = {"will", "'ll", "’ll", "shall"}
# Joins along which a verb shares the time of the verb it hangs from.
_CHAIN_DEPS = {"conj", "advcl", "xcomp"}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A resolved date expression at a place in the text."""

    span: Span
    date: ResolvedDate

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_list(), **self.date.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DateMention":
        return cls(Span.from_list(data["span"]), ResolvedDate.from_dict(data))


def _is_future(tok: Token) -> bool:
    """True when the verb governing ``tok`` is future: 'will meet on Tuesday'."""
    head = tok
    for _ in range(6):
        if head.pos_ in ("VERB", "AUX"):
            break
        if head.head is head:
            break
        head = head.head
    return any(c.lower_ in _FUTURE_AUX for c in head.children if c.dep_ == "aux")


def date_mentions(doc: Doc, published: str | date | None, *, text: str | None = None) -> list[DateMention]:
    """Every date expression in the article that resolves, in text order (``text``: doc.text, if already built)."""
    found: list[DateMention] = []
    taken: list[Span] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        resolved = resolve_expression(ent.text, published, future=_is_future(ent.root))
        span = Span(ent.start_char, ent.end_char)
        taken.append(span)
        if resolved is not None:
            found.append(DateMention(span, resolved))
    taken_at = Ranges(taken, start=lambda s: s.start, end=lambda s: s.end)
    for m in _EXTRA.finditer(doc.text if text is None else text):
        span = Span(m.start(), m.end())
        if any(span.overlaps(t) for t in taken_at.overlapping(span.start, span.end)):
            continue
        tok = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        future = _is_future(tok.root) if tok is not None else False
        resolved = resolve_expression(m.group(0), published, future=future)
        if resolved is not None:
            found.append(DateMention(span, resolved))
    found.sort(key=lambda d: d.span)
    return found


def _cue_token(doc: Doc, att: Attribution) -> Token | None:
    cue = att.cue[0]
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    # "as reported by": the verb carries the clause; "has firmly stated": the main verb.
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
    return verbs[-1] if verbs else span.root


def _chain(tok: Token) -> list[Token]:
    chain = [tok]
    # A joined verb with a subject of its own ("…, while Zelensky has stated") is a separate event with its own time.
    while tok.dep_ in _CHAIN_DEPS and tok.head is not tok and tok.head.pos_ in ("VERB", "AUX") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children
    ):
        tok = tok.head
        chain.append(tok)
    return chain


def _inside(i: int, spans: Sequence[Span], doc: Doc) -> bool:
    tok = doc[i]
    return any(s.start <= tok.idx < s.end for s in spans)


def said_on_dates(
    doc: Doc, attributions: Iterable[Attribution], mentions: Sequence[DateMention]
) -> dict[int, DateMention]:
    """For each attribution index, the date mention its sentence attaches to its cue (day-precise or not)."""
    atts = list(attributions)
    out: dict[int, DateMention] = {}
    cue_tokens: dict[int, int] = {}  # token index → attribution whose cue it is
    cues = [_cue_token(doc, att) for att in atts]
    for idx, tok in enumerate(cues):
        if tok is not None:
            cue_tokens.setdefault(tok.i, idx)
    starts = [m.span.start for m in mentions]  # mentions come in text order
    for idx, att in enumerate(atts):
        cue = cues[idx]
        if cue is None:
            continue
        mention = _attached_date(doc, idx, att, cue, mentions, starts, cue_tokens)
        if mention is not None:
            out[idx] = mention
    _inherit_from_main_statement(atts, cues, out)
    return out


def _attached_date(doc: Doc, idx: int, att: Attribution, cue: Token, mentions: Sequence[DateMention],
                   starts: list[int], cue_tokens: dict[int, int]) -> DateMention | None:
    """The date of the cue's sentence that hangs closest to the cue's verb chain, then nearest to the cue."""
    chain = _chain(cue)
    levels = {t.i: k for k, t in enumerate(chain)}
    sent = cue.sent
    best: tuple[int, int, DateMention] | None = None
    for k in range(bisect_left(starts, sent.start_char), bisect_left(starts, sent.end_char)):
        mention = mentions[k]
        if any(mention.span.overlaps(c) for c in att.content):
            continue
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is None:
            continue
        level = _chain_level(doc, idx, att, span.root, levels, len(sent), cue_tokens)
        if level is None:
            continue
        rank = (level, abs(mention.span.start - att.cue[0].start))
        if best is None or rank < best[:2]:
            best = (*rank, mention)
    return best[2] if best is not None else None


def _chain_level(doc: Doc, idx: int, att: Attribution, tok: Token, levels: dict[int, int], steps: int,
                 cue_tokens: dict[int, int]) -> int | None:
    """How far down the cue's verb chain the date's head climbs to, or None when it belongs elsewhere:
    to the content, to a relative clause, or to another attribution's cue."""
    for _ in range(steps):
        if tok.i in levels:
            return levels[tok.i]
        if _inside(tok.i, att.content, doc) or tok.head is tok:
            return None
        # "Kupyansk, which Russia claimed to have captured two weeks ago": the date is that claim's.
        if tok.dep_ in ("relcl", "acl") or cue_tokens.get(tok.i, idx) != idx:
            return None
        tok = tok.head
    return None


def _inherit_from_main_statement(atts: list[Attribution], cues: list[Token | None],
                                 out: dict[int, DateMention]) -> None:
    """ "Putin stated …, warning that …": a subjectless participle cue is part of the statement before it, even
    where the parser hangs it inside that statement's content, and takes that statement's date."""
    in_sentence: dict[int, list[int]] = {}  # sentence start → attributions whose cue token is in it, in order
    for idx, tok in enumerate(cues):
        if tok is not None:
            in_sentence.setdefault(tok.sent.start, []).append(idx)
    contents = Ranges(sorted(((c.start, c.end, k) for k, att in enumerate(atts) for c in att.content)))
    for idx, att in enumerate(atts):
        tok = cues[idx]
        if idx in out or tok is None or tok.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        for prev in reversed([k for k in in_sentence[tok.sent.start] if k < idx]):
            ptok = cues[prev]
            if ptok.i > tok.i or not atts[prev].source:
                continue
            if any(atts[k] is not atts[prev] for _, _, k in contents.overlapping(ptok.idx, ptok.idx + 1)):
                continue  # a cue inside another statement's content ("amendments suggested by Kyiv") is not the main one
            if prev in out:
                out[idx] = out[prev]
            break

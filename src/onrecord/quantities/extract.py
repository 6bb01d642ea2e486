"""Numbers inside attributed content, with what they count and who reported them.

"more than 14,000 civilian casualties, as reported by the UN" becomes
value 14000, bound ``min`` ("more than"), counts "civilian casualties",
reported by the attribution's speaker.  Only numbers inside an attribution's
content are kept: a figure is worth recording when someone stands behind it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Mapping

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..records import Attribution, Span


class Bound(str, Enum):
    EXACT = "exact"  # "14,000"
    MIN = "min"  # "more than 14,000", "at least", "over"
    MAX = "max"  # "fewer than", "up to", "nearly", "almost"
    APPROX = "approx"  # "about", "around", "some", "tens of thousands"


# Longest first so "just over" wins over "over".
QUALIFIERS: tuple[tuple[str, Bound], ...] = tuple(
    sorted(
        {
            "more than": Bound.MIN, "over": Bound.MIN, "at least": Bound.MIN, "upwards of": Bound.MIN,
            "in excess of": Bound.MIN, "just over": Bound.MIN, "well over": Bound.MIN, "no fewer than": Bound.MIN,
            "no less than": Bound.MIN, "above": Bound.MIN,
            "fewer than": Bound.MAX, "less than": Bound.MAX, "under": Bound.MAX, "up to": Bound.MAX,
            "as many as": Bound.MAX, "nearly": Bound.MAX, "almost": Bound.MAX, "just under": Bound.MAX,
            "at most": Bound.MAX, "below": Bound.MAX,
            "about": Bound.APPROX, "around": Bound.APPROX, "approximately": Bound.APPROX, "roughly": Bound.APPROX,
            "some": Bound.APPROX, "an estimated": Bound.APPROX, "estimated": Bound.APPROX, "close to": Bound.APPROX,
            "nearly about": Bound.APPROX, "an approximate": Bound.APPROX, "circa": Bound.APPROX,
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
          "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half": 0.5}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# Plural scale words as amounts: "thousands of" = an order of magnitude, not a number.
_VAGUE = {"dozens": (24, 100), "scores": (40, 100), "hundreds": (200, 1_000), "thousands": (2_000, 10_000),
          "millions": (2_000_000, 10_000_000), "billions": (2e9, 1e10)}
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?$")
_UNIT_WORDS = {"percent": "percent", "per cent": "percent", "%": "percent", "percentage points": "percentage points",
               "$": "USD", "dollars": "USD", "usd": "USD", "€": "EUR", "euros": "EUR", "eur": "EUR",
               "£": "GBP", "pounds": "GBP", "roubles": "RUB", "rubles": "RUB", "hryvnias": "UAH",
               "km": "km", "kilometres": "km", "kilometers": "km", "miles": "miles",
               "square kilometres": "km2", "square kilometers": "km2", "sq km": "km2", "tonnes": "tonnes", "tons": "tons"}
_OF_HEADS = {"percent", "%", "per", "cent", "tens", "hundreds", "thousands", "millions", "dozens", "scores",
             "billions", "half", "third", "quarter", "fraction", "share", "number", "total"}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure inside an attribution's content."""

    attribution: int  # index into the article's attributions
    span: Span
    text: str  # "more than 14,000"
    value: float | None  # 14000.0; None for "tens of thousands"
    low: float | None  # the range the words allow: "tens of thousands" → 20000..90000
    high: float | None
    bound: Bound
    qualifier: str  # "more than", "" when none
    unit: str | None  # "percent", "USD", "km"...; None for counts
    counts: str  # "civilian casualties", "Pokrovsk" (for "70 percent of Pokrovsk")
    predicate: str  # what happened to them: "killed or wounded"; "" when the sentence doesn't say
    reported_by: str | None  # the attribution's speaker name as the article gives it

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribution": self.attribution,
            "span": self.span.to_list(),
            "text": self.text,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "bound": self.bound.value,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "counts": self.counts,
            "predicate": self.predicate,
            "reported_by": self.reported_by,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Quantity":
        return cls(
            attribution=int(data["attribution"]),
            span=Span.from_list(data["span"]),
            text=str(data["text"]),
            value=data.get("value"),
            low=data.get("low"),
            high=data.get("high"),
            bound=Bound(data.get("bound", "exact")),
            qualifier=str(data.get("qualifier") or ""),
            unit=data.get("unit"),
            counts=str(data.get("counts") or ""),
            predicate=str(data.get("predicate") or ""),
            reported_by=data.get("reported_by"),
        )


def parse_number(words: str) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) for '14,000', '1.5 million', 'two dozen', 'tens of thousands'; Nones when unreadable."""
    text = words.lower().replace("per cent", "percent").strip()
    text = re.sub(r"(\d)\s*(bn|m|k)\b", r"\1 \2", text)
    tokens = [t for t in re.split(r"[\s-]+", text) if t and t not in ("and", "percent", "%")]
    tokens = [t.lstrip("$€£") for t in tokens]
    if len(tokens) >= 3 and tokens[0] in ("tens", "hundreds") and tokens[1] == "of" and tokens[2].rstrip("s") in _SCALES:
        scale = _SCALES[tokens[2].rstrip("s")]
        factor = 10 if tokens[0] == "tens" else 100
        return None, 2.0 * factor * scale, 9.9 * factor * scale
    if len(tokens) == 1 and tokens[0] in _VAGUE:
        low, high = _VAGUE[tokens[0]]
        return None, float(low), float(high)
    total, current, seen = 0.0, 0.0, False
    for tok in tokens:
        if _NUMBER.match(tok):
            current += float(tok.replace(",", ""))
            seen = True
        elif tok in _UNITS:
            current += _UNITS[tok]
            seen = True
        elif tok in _SCALES and seen:
            scale = _SCALES[tok]
            if scale < 1_000:
                current *= scale
            else:
                total += current * scale
                current = 0.0
        elif tok in _SCALES and not seen:
            current, seen = 1.0, True
            total += current * _SCALES[tok]
            current = 0.0
        else:
            return None, None, None
    if not seen:
        return None, None, None
    value = total + current
    return value, value, value


def _qualifier(ent: SpacySpan) -> tuple[str, Bound, int]:
    """The qualifier just before the figure or at its start ("more than 14,000"), and the token it starts at."""
    doc = ent.doc
    for words, bound in QUALIFIERS:
        n = len(words.split())
        for i in (ent.start - n, ent.start):
            if i < 0 or i + n > len(doc) or (i == ent.start and i + n >= ent.end):
                continue
            if " ".join(t.lower_ for t in doc[i : i + n]) == words:
                return words, bound, i
    return "", Bound.EXACT, ent.start


def _noun_phrase(tok: Token) -> str:
    """A counted noun with the words that narrow it: 'civilian casualties', 'military personnel'."""
    left = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod") and not c.like_num]
    start = min([c.left_edge.i for c in left] + [tok.i])
    words = [t for t in tok.doc[start : tok.i + 1] if not t.like_num and t.dep_ not in ("nummod", "quantmod", "det")]
    return " ".join(t.text for t in words)


def _counted(ent: SpacySpan) -> tuple[str, Token | None, str | None]:
    """What the number counts, the token for it, and a unit when the ent carries one."""
    unit = None
    low = ent.text.lower()
    for word, name in _UNIT_WORDS.items():
        if re.search(rf"(^|\s|\d){re.escape(word)}(\s|$)", low) or (word in "$€£%" and word in ent.text):
            unit = name
            break
    tok = ent.root
    # "70 percent of Pokrovsk", "tens of thousands of military personnel": follow "of" out of the figure.
    for _ in range(4):
        if tok.lower_ in _OF_HEADS or tok.i < ent.end and tok.i >= ent.start and tok.pos_ == "NOUN":
            ofs = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [o for p in ofs for o in p.children if o.dep_ == "pobj"]
            if objs:
                tok = objs[0]
                if ent.start <= tok.i < ent.end:
                    continue
                return _noun_phrase(tok), tok, unit
        break
    if tok.dep_ in ("nummod", "quantmod", "amod", "compound") and not (ent.start <= tok.head.i < ent.end):
        head = tok.head
        if head.lower_ in _UNIT_WORDS or head.lower_ in ("percent", "%"):
            unit = unit or _UNIT_WORDS.get(head.lower_, "percent")
            ofs = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [o for p in ofs for o in p.children if o.dep_ == "pobj"]
            return (_noun_phrase(objs[0]), objs[0], unit) if objs else ("", None, unit)
        return _noun_phrase(head), head, unit
    return "", None, unit


def _predicate(tok: Token | None) -> str:
    """'tens of thousands ... have been killed or wounded' → 'killed or wounded'."""
    if tok is None:
        return ""
    node = tok
    while node.dep_ in ("pobj", "prep", "conj") and node.head is not node:
        node = node.head
    if node.dep_ not in ("nsubj", "nsubjpass") or node.head.pos_ not in ("VERB", "AUX"):
        return ""
    verb = node.head
    parts = [verb.text]
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in conj.children
        ):
            cc = [c.text for c in verb.children if c.dep_ == "cc"]
            parts.append((cc[0] + " " if cc else "") + conj.text)
    return " ".join(parts)


def quantities(doc: Doc, attributions: Iterable[Attribution], *, text: str | None = None) -> list[Quantity]:
    """Every figure inside an attribution's content, once per attribution, in text order."""
    numeric = [e for e in doc.ents if e.label_ in ("CARDINAL", "PERCENT", "QUANTITY", "MONEY")]
    out: list[Quantity] = []
    if text is None:
        text = doc.text if numeric else ""  # built from the tokens on every access: once is enough
    starts = [e.start_char for e in numeric]
    for idx, att in enumerate(attributions):
        near = sorted({k for c in att.content for k in range(bisect_left(starts, c.start), bisect_left(starts, c.end))})
        for ent in (numeric[k] for k in near):
            if not any(c.start <= ent.start_char and ent.end_char <= c.end for c in att.content):
                continue
            after = doc[ent.end] if ent.end < len(doc) else None
            if after is not None and after.text in ("-", "–") and after.idx == ent.end_char:
                continue  # "a 28-point plan": a name-like modifier, not a count
            qualifier, bound, q_start = _qualifier(ent)
            words = doc[ent.start : ent.end].text
            if qualifier and words.lower().startswith(qualifier):
                words = words[len(qualifier) :].strip()
            value, low, high = parse_number(words)
            if value is None and low is None:
                continue
            if value is None:
                bound = Bound.APPROX if bound is Bound.EXACT else bound
            # "more than 14,000" says nothing about an upper limit, "nearly 1.5 million" nothing about a lower one.
            if bound is Bound.MIN:
                high = None
            elif bound is Bound.MAX:
                low = None
            counts, head, unit = _counted(ent)
            start_char = min(doc[q_start].idx, ent.start_char)
            out.append(
                Quantity(
                    attribution=idx,
                    span=Span(start_char, ent.end_char),
                    text=text[start_char : ent.end_char],
                    value=value,
                    low=low,
                    high=high,
                    bound=bound,
                    qualifier=qualifier,
                    unit=unit,
                    counts=counts,
                    predicate=_predicate(head),
                    reported_by=att.speaker.name if att.speaker else (att.source_text or None),
                )
            )
    out.sort(key=lambda q: (q.span, q.attribution))
    return out

"""Datelines: the place, date and agency that open a news paragraph ("WARSAW, June 14 -", "SEOUL (AP) —").

A dateline is not part of any phrase, though the parser often hangs it on the first sentence's subject or
makes it a subject of its own. Sources (:mod:`.source_runs`), subjects (:mod:`.rules`) and the parties of
positions all leave it out with :func:`after_dateline`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..names.gazetteer import country_of
from ..names.normalise import MONTH_WORDS


DATELINE_DASHES = frozenset({"-", "--", "—", "–", "―"})


def after_dateline(doc: Doc, start: int, end: int) -> int:
    """Where a run of tokens [start, end) begins once a dateline that opens its paragraph is left out
    ("BRUSSELS - | European leaders gathered ...", "SEOUL (AP) — | ...", "DETROIT, March 3 - | Halvorsen
    Motors denied ..."), the run starting at the dateline or inside it. PolNeAR train gold never starts a
    source with a dateline (44 sources start right after one). A run wholly inside the dateline ("NEGOMBO, Sri
    Lanka, July 22 (Lanka Coast Wire") is left out whole: the answer is ``end``."""
    opening = _paragraph_start(doc, start)
    if opening is None:
        return start
    dash = _dateline_dash(doc, opening, min(len(doc), opening + 16))
    if dash is None or start > dash:
        return start
    return dash + 1 if dash < end else end


def in_dateline(doc: Doc, i: int) -> bool:
    """Is token ``i`` inside a dateline that opens its paragraph ("ADO-EKITI, Nigeria, June 22 (Sahel Wire) -"):
    the agency in its parentheses is no person the story names, whatever the tagger typed it."""
    opening = _paragraph_start(doc, i, reach=16)
    if opening is None:
        return False
    dash = _dateline_dash(doc, opening, min(len(doc), opening + 18))
    return dash is not None and i < dash


def dateline_country(doc: Doc) -> str | None:
    """The country the article's dateline names or places its city in ("KAMPALA, Aug 4", "MACHAKOS, Kenya")."""
    for t in doc[:60]:
        if t.is_alpha and in_dateline(doc, t.i):
            country = country_of(t.text) or country_of(t.text.title())
            if country:
                return country
    return None


def _paragraph_start(doc: Doc, i: int, reach: int = 8) -> int | None:
    """The first token of i's paragraph if it lies at most ``reach`` tokens before i."""
    for k in range(i, max(i - reach, 0) - 1, -1):
        if k == 0 or "\n" in doc[k - 1].text or doc[k - 1].is_space:
            return k
    return None


def _dateline_dash(doc: Doc, start: int, stop: int) -> int | None:
    """The dash that closes a dateline opening at ``start``: a place, maybe a date and a parenthesised agency,
    then a dash ("SEOUL (AP) —", "Kyiv, 12 March —"). None if another kind of word comes first, and unless the
    words outside the parentheses are all in capitals or a date (tagged DATE) is among them: "Russia — long a
    rival — said" and "Senator Varga (D-Ohio) — ..." are subjects set off by dashes."""
    if doc[start].is_stop or not (doc[start].is_upper or doc[start].is_title):
        return None  # "In 2016 — ...": a dateline opens with its place
    depth = 0
    outside: list[Token] = []  # the words outside the parentheses
    for k in range(start, stop):
        word = doc[k]
        if word.text in DATELINE_DASHES and depth == 0 and not joins_a_word(word):
            dated = any(t.ent_type_ == "DATE" or _day_of_month(t) for t in doc[start:k])
            return k if outside and (dated or all(t.is_upper for t in outside)) else None
        if word.is_alpha and depth == 0:
            outside.append(word)
        depth += (word.text == "(") - (word.text == ")")
        if not (depth > 0 or word.is_punct or word.is_upper or word.is_title or word.like_num
                or word.ent_type_ == "DATE"):
            return None
    return None


def joins_a_word(dash: Token) -> bool:
    """A hyphen inside a word ("ADO-EKITI", "Guinea-Bissau"), which the tokenizer splits off, closes nothing."""
    doc = dash.doc
    return 0 < dash.i < len(doc) - 1 and not doc[dash.i - 1].whitespace_ and not dash.whitespace_ \
        and doc[dash.i - 1].is_alpha and doc[dash.i + 1].is_alpha


def _day_of_month(word: Token) -> bool:
    """A month and a day the tagger did not type a date ("SAN FRANCISCO, Feb 5 -", "Kyiv, 12 Sept. -")."""
    if word.lower_.rstrip(".") not in MONTH_WORDS:
        return False
    doc = word.doc
    return any(0 <= k < len(doc) and doc[k].like_num for k in (word.i - 1, word.i + 1))

"""Normalising how a name is written, and telling a clean name from a piece of text.

Text from a tokenizer or a web page gives names in shapes no reader would write: tokens joined with spaces
("Russia 's general staff", "United States , Canada"), a word doubled where two mentions overlapped
("Russian Russian Defense Minister"), a dateline or a time phrase around it ("Khartoum, Oct 30", "the mayor on
Tuesday"), a clause glued on ("a hacker whose ...", "the Alliance—a coalition that ..."), a handle
("@BernieSanders").  :func:`normalise` repairs the writing without changing words; :func:`clean_mention` also
removes what is not part of the name; :func:`dirt` says why a name shown to users is not clean.
"""

from __future__ import annotations

import re
import unicodedata

from .lexicons import DETERMINERS, LEADING_ADVERBS, PRONOUNS, RELATIVE_PRONOUNS

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})
_TOKEN_SPACE = re.compile(r"\s+(?='s\b|'\s|'$|n't\b|[,.;:!?%)\]])")
_OPEN_SPACE = re.compile(r"([(\[])\s+")
_WORD = re.compile(r"[^\W\d_][\w.'-]*", re.UNICODE)
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
           "august|september|october|november|december")
MONTH_WORDS = frozenset(_MONTHS.split("|"))  # a month's name or its abbreviation, lower case, no dot
# "KHARTOUM, Oct 30 (Reuters) -", "Kyiv, 12 March -": a place, a date, maybe an agency, a dash.
_DATELINE = re.compile(
    rf"^[A-Z][\w .'-]*,\s*(?:(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}\b|\d{{1,2}}\s+(?:{_MONTHS})[a-z]*\.?)(?:,?\s*\d{{4}})?"
    r"(?:\s*\([^)]*\))?\s*(?:[-–—:]\s*)?", re.IGNORECASE)
_WHEN = re.compile(
    r"\s+(?:on|in|at|last|this|late|early)\s+(?:\w+day|january|february|march|april|may|june|july|august|"
    r"september|october|november|december|week|month|year|night|morning|evening|afternoon)\b.*$", re.I)
_GLUE = re.compile(r"\s*(?:—|–|--|\s-\s|\(|,\s+(?:who|whose|which|a|an|the)\s|\s(?:who|whose|which|whom)\s).*$")
_HANDLE = re.compile(r"@([A-Za-z0-9_]{2,})")
# "EPA Photo": a picture credit before the caption's words
_PHOTO_CREDIT = re.compile(r"^(?:[A-Z][\w.&-]*\s+){1,3}(?:Photo|Photograph|Image|Video)s?\s+(?=[A-Z])")
# "GRADUAL ADVANCE Kastehelmi": a subhead in capitals run into the next line's words
_SUBHEAD = re.compile(r"^(?:[A-Z][A-Z'’-]+\s+){2,}(?=[A-Z][a-z])")
_EDGE = " ,.;:!?-–—\"'()[]{}<>*#|/\\"


def normalise(text: str) -> str:
    """The same words, written as a reader would: straight quotes, no spaces before punctuation or "'s",
    one space between words, no word written twice in a row."""
    text = unicodedata.normalize("NFC", text or "").translate(_QUOTES)
    text = " ".join(text.split())
    text = _TOKEN_SPACE.sub("", text)
    text = _OPEN_SPACE.sub(r"\1", text)
    return _dedupe(text)


def _dedupe(text: str) -> str:
    words = text.split(" ")
    out: list[str] = []
    for w in words:
        if out and w.lower() == out[-1].lower() and _WORD.fullmatch(w) and len(w) > 1:
            continue
        out.append(w)
    return " ".join(out)


def _handle(text: str) -> str:
    """'.@BernieSanders' → 'Bernie Sanders': a handle's words, split where the case changes."""
    m = _HANDLE.search(text)
    if m is None:
        return text
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", m.group(1)).replace("_", " ")


_LINKING_WORDS = frozenset({"of", "for", "and", "the", "to", "in", "at", "from", "with", "on", "by"})


def clean_mention(text: str) -> str:
    """The name in a source mention: normalised, without dateline, determiner, possessive ending,
    time phrase or glued-on clause.  Pronouns and single determiners are returned as they are (lower case
    words stay lower case); an empty string means nothing name-like was left."""
    text = normalise(text)
    if "@" in text:
        text = _handle(text)
    text = _DATELINE.sub("", text)
    text = _PHOTO_CREDIT.sub("", text)
    words = text.split()
    if len(words) >= 2 and all(w.isupper() for w in words if any(c.isalpha() for c in w)) and any(
            len(w) > 3 for w in words):
        text = " ".join(w.capitalize() if w.isalpha() else w for w in words)  # "DONALD TRUMP" → "Donald Trump"
    else:
        text = _SUBHEAD.sub("", text)
    text = text.strip(_EDGE)
    low = text.lower()
    if low in PRONOUNS or low in DETERMINERS or low in RELATIVE_PRONOUNS:
        return text
    text = _GLUE.sub("", text)
    text = _WHEN.sub("", text)
    words = text.split()
    while len(words) > 2 and words[0].lower() in LEADING_ADVERBS and (words[0].islower() or not words[1][:1].isupper()):
        words.pop(0)  # "even a top GOP strategist"
    while len(words) > 1 and words[0].lower() in DETERMINERS:
        words.pop(0)
    while len(words) > 1 and words[-1] in _LINKING_WORDS:
        words.pop()  # "Fatou Kine Gueye of" (the tagger ran a name into "of the Union for ..."): no name ends so
    text = " ".join(words)
    text = re.sub(r"'s?$", "", text).strip(_EDGE)
    return text


def dirt(name: str) -> str | None:
    """Why ``name`` is not a clean name to show, or None when it is.

    Reasons: 'empty', 'determiner', 'pronoun', 'dateline', 'caption', 'duplicated word', 'token spacing'."""
    if not name or not name.strip():
        return "empty"
    text = name.strip()
    low = text.lower()
    words = low.split()
    if all(w in DETERMINERS for w in words):
        return "determiner"
    if low in PRONOUNS or low in RELATIVE_PRONOUNS:
        return "pronoun"
    if text.split()[0] in DETERMINERS:  # "the ministry"; "The Harbour Gazette" is a title
        return "determiner"
    if _DATELINE.match(text):
        return "dateline"
    if _PHOTO_CREDIT.match(text) or _SUBHEAD.match(text):
        return "caption"
    if _dedupe(text) != text:
        return "duplicated word"
    if _TOKEN_SPACE.search(text.translate(_QUOTES)):
        return "token spacing"
    return None


_SPELLED_OUT = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+)(?:(?:of|for|and|the|de|du|al)\s+|[A-Z][\w'’-]*\s+){0,7})\(([A-Z][A-Za-z]{1,7})\)")


def initials(name: str) -> str:
    """'Rapid Support Forces' → 'RSF' (capitalised words and hyphenated parts only)."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())


def acronyms_in(text: str) -> dict[str, str]:
    """Acronyms a text spells out: 'the Rapid Support Forces (RSF)' → {'RSF': 'Rapid Support Forces'}; also one of
    another language's name, when it shares two letters with the name's initials: 'The National Statistics
    Institute (INE)' → {'INE': 'National Statistics Institute'}."""
    found: dict[str, str] = {}
    for m in _SPELLED_OUT.finditer(text or ""):
        words, acronym = m.group(1).split(), m.group(2)
        # the name is the shortest run of words before the bracket whose initials give the acronym
        for start in range(len(words) - 1, -1, -1):
            name = " ".join(words[start:])
            if initials(name).upper() == acronym.upper():
                found.setdefault(acronym, name)
                break
        else:
            name = " ".join(words[1:] if words[0] in ("The", "the") else words)
            letters = initials(name).upper()
            if acronym.isupper() and len(letters) >= 2 and len(set(acronym) & set(letters)) >= 2:
                found.setdefault(acronym, name)
    return found

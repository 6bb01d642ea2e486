"""Name keys: how two spellings of one name are recognised as the same.

Transliteration from Cyrillic gives news several spellings of one name
(Zelensky / Zelenskyy / Zelenskiy, Kyiv / Kiev, Kupiansk / Kupyansk,
Dmitry / Dmitri / Dmitriy).  :func:`skeleton` folds the letters those systems
disagree on (y/i/ie, doubled letters, kh/h, zh/j, w/v) so the spellings share a
key; it is a key, never shown.  :class:`PersonName` splits a person's name into
given names, surname and suffix, so "Peskov" can join "Dmitry Peskov" while
"Igor Ivanov" never joins "Sergei Ivanov".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from . import gazetteer

from .lexicons import HONORIFICS, NAME_PARTICLES as PARTICLES, NAME_SUFFIXES, TITLE_WORDS

SUFFIXES = NAME_SUFFIXES
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# Keys are pure functions of a name, and a store's merge asks for the same names again and again (every
# article naming Russia): they are cached.
_CACHE = 1 << 18


@lru_cache(maxsize=_CACHE)
def fold(text: str) -> str:
    """Lower case, no accents, no possessive, no punctuation: the spelling-insensitive form."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"'s\b|s'(?=\s|$)", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def strip_article(text: str) -> str:
    """'the Kremlin' → 'Kremlin', "Ukraine's" → 'Ukraine' (as written otherwise)."""
    text = " ".join(text.split()).strip(" ,.;:—–-\"“”")
    text = re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"[’']s?$", "", text).strip()


def _skeleton_word(word: str) -> str:
    w = word.replace("kh", "h").replace("zh", "j").replace("w", "v").replace("j", "i").replace("y", "i")
    w = w.replace("ie", "i").replace("ii", "i")
    w = re.sub(r"(.)\1+", r"\1", w)
    return w


@lru_cache(maxsize=_CACHE)
def skeleton(text: str) -> str:
    """A key that transliteration variants share: 'Zelenskyy' and 'Zelenskiy' → 'zelenski'."""
    return " ".join(_skeleton_word(w) for w in fold(text).split())


def similar(a: str, b: str, *, threshold: float = 90.0, min_length: int = 6) -> float:
    """Similarity (0-100) of two names' skeletons when both are long enough to judge, else 0.

    Short names ("Iran"/"Iraq") differ by one letter and mean different things,
    so they only ever match exactly.
    """
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb:
        return 100.0
    if min(len(sa), len(sb)) < min_length or sa[:1] != sb[:1]:
        return 0.0
    score = fuzz.ratio(sa, sb)
    return score if score >= threshold else 0.0


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split into parts: given names, surname (with particles) and suffix."""

    given: tuple[str, ...]
    surname: str
    suffix: str = ""

    @classmethod
    @lru_cache(maxsize=_CACHE)
    def parse(cls, name: str) -> "PersonName":
        words = [w for w in re.split(r"\s+", strip_article(name)) if w]
        while len(words) > 1 and fold(words[0]).rstrip(".") in HONORIFICS | TITLE_WORDS:
            words.pop(0)
        # "Oversight Committee Chairman Jason Chaffetz": what stands before the last title word is the office
        titled = [i for i, w in enumerate(words[:-1]) if fold(w).rstrip(".") in TITLE_WORDS and w[:1].isupper()]
        if titled and all(w[:1].isupper() for w in words[titled[-1] + 1 :]):
            words = words[titled[-1] + 1 :]
        suffix = ""
        if len(words) > 1 and fold(words[-1]) in SUFFIXES:
            suffix = fold(words.pop())
        if not words:
            return cls((), fold(name))
        # The surname starts at the first particle ("Ursula von der Leyen") or is the last word.
        start = len(words) - 1
        for i, w in enumerate(words[1:], 1):
            if fold(w) in PARTICLES:
                start = i
                break
        return cls(tuple(words[:start]), " ".join(words[start:]), suffix)

    @property
    def surname_key(self) -> str:
        return skeleton(surname_word(self.surname))

    @property
    def full(self) -> bool:
        return bool(self.given)

    def text(self) -> str:
        parts = [*self.given, self.surname]
        if self.suffix:
            parts.append(self.suffix.capitalize() + ("." if self.suffix in ("jr", "sr") else ""))
        return " ".join(parts)

    def compatible(self, other: "PersonName") -> bool:
        """Could both names belong to one person? Same surname key, no clash of given names or suffix."""
        if self.surname_key != other.surname_key or self.suffix != other.suffix:
            return False
        if not self.given or not other.given:
            return True
        return given_compatible(self.given[0], other.given[0])


def surname_word(word: str) -> str:
    """'al-Rishq', 'Al-Rishq' and 'Rishq' are one surname: a particle joined by a hyphen is left out (lower case)."""
    low = word.lower().replace("’", "'")
    head, sep, rest = low.partition("-")
    if sep and rest and head in PARTICLES:
        return rest
    return low


def given_compatible(a: str, b: str) -> bool:
    """'Dmitry'/'Dmitri', 'D.'/'Dmitry', 'Volodymyr'/'Wolodymyr' yes; 'Igor'/'Sergei' no."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return True
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    sa, sb = skeleton(fa), skeleton(fb)
    return sa == sb or (sa[:1] == sb[:1] and fuzz.ratio(sa, sb) >= 85)


@lru_cache(maxsize=_CACHE)
def org_key(name: str) -> str:
    """Merge key for organisations, governments and places: acronyms expanded, country aliases mapped."""
    clean = strip_article(name)
    expanded = gazetteer.expand_acronym(clean)
    alias = gazetteer.COUNTRY_ALIASES.get(expanded.lower())
    if alias:
        expanded = alias
    return skeleton(expanded)


def key(name: str) -> str:
    """The one comparison key for names and phrases: folded (:func:`fold`) without a leading article.

    'The Russian Defence Ministry’s' and 'russian defence ministry' share it; transliteration variants do
    not (that is :func:`skeleton`, for merging names, never for matching words a user typed).
    """
    return re.sub(r"^(the|a|an) ", "", fold(name))

"""Small world knowledge for naming speakers: countries, demonyms, capitals, seats of government, acronyms.

The tables live in ``names/data`` (``countries.tsv``, ``acronyms.tsv``, ``country_aliases.tsv``,
``capital_aliases.tsv``); this module only indexes them.  The countries are the sovereign states (and a few
that news treats as such); a capital is left out where its name is as often another place or a common word
("Santiago", "Kingston", "Male", "Victoria").  A capital is a place; a capital that speaks stands for its
government, which the resolver decides, not this table ("Kiev" is Kyiv, never the country's name).
"""

from __future__ import annotations

from .keys import strip_article
from .lexicons import table

_COUNTRIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = tuple(
    (row[0], row[1], row[2] if len(row) > 2 else "", tuple(s for s in (row[3] if len(row) > 3 else "").split("|") if s))
    for row in table("countries.tsv")
)
ACRONYMS: dict[str, str] = {row[0]: row[1] for row in table("acronyms.tsv")}
COUNTRY_ALIASES: dict[str, str] = {row[0].lower(): row[1] for row in table("country_aliases.tsv")}
CAPITAL_ALIASES: dict[str, str] = {row[0].lower(): row[1] for row in table("capital_aliases.tsv")}

DEMONYM_TO_COUNTRY: dict[str, str] = {d.lower(): c for c, d, _, _ in _COUNTRIES}
DEMONYM_TO_COUNTRY.update({"us": "United States", "u.s.": "United States", "european": "European Union"})
COUNTRY_TO_DEMONYM: dict[str, str] = {c.lower(): d for c, d, _, _ in _COUNTRIES}
COUNTRY_TO_DEMONYM.update({"european union": "European", "eu": "European"})
CAPITAL_TO_COUNTRY: dict[str, str] = {cap.lower(): c for c, _, cap, _ in _COUNTRIES if cap}
for _alias, _capital in CAPITAL_ALIASES.items():
    CAPITAL_TO_COUNTRY[_alias] = CAPITAL_TO_COUNTRY[_capital.lower()]
SEAT_TO_COUNTRY: dict[str, str] = {s.lower(): c for c, _, _, seats in _COUNTRIES for s in seats}
COUNTRY_NAMES: dict[str, str] = {c.lower(): c for c, _, _, _ in _COUNTRIES}
COUNTRY_NAMES.update({"european union": "European Union", "eu": "European Union"})


def country_of(word: str) -> str | None:
    """The country a name, demonym, capital or seat of government stands for, if known."""
    w = word.strip().lower().replace("’", "'")
    if w.startswith("the ") and w not in SEAT_TO_COUNTRY:
        w = w[4:]
    w = w.removesuffix("'s")
    for table_ in (COUNTRY_NAMES, COUNTRY_ALIASES, DEMONYM_TO_COUNTRY, CAPITAL_TO_COUNTRY, SEAT_TO_COUNTRY):
        if w in table_:
            return table_[w]
    up = word.strip().replace("’", "'").removesuffix("'s")
    if up in ACRONYMS and ACRONYMS[up] in ("United States", "United Kingdom"):
        return ACRONYMS[up]
    return None


def seat_country(text: str) -> str | None:
    """The country whose government a seat of government's name stands for ("the Kremlin", "Downing Street", "the
    State Department"), with or without its article; None for other names.  The speaker rules and the article's
    resolver both ask it: a seat speaks for its government, a country's own name does not name a seat."""
    low = strip_article(text).lower()
    return SEAT_TO_COUNTRY.get(low) or SEAT_TO_COUNTRY.get("the " + low)


def capital_name(text: str) -> str | None:
    """The capital's usual spelling ('Kiev' → 'Kyiv'), or None when ``text`` names no capital."""
    low = text.strip().lower()
    if low in CAPITAL_ALIASES:
        return CAPITAL_ALIASES[low]
    for c, _, cap, _ in _COUNTRIES:
        if cap and cap.lower() == low:
            return cap
    return None


def demonym(country: str) -> str | None:
    return COUNTRY_TO_DEMONYM.get(country.lower())


def expand_acronym(name: str) -> str:
    """The full name of a known acronym, written with or without its dots ("U.N", a name whose last dot was
    cleaned off as a full stop, is "U.N." is "United Nations"); other names as given."""
    key = name.strip()
    for form in (key, key + ".", key.replace(".", "")):
        if form in ACRONYMS:
            return ACRONYMS[form]
    return name

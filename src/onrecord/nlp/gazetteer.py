"""Small world knowledge for naming speakers: countries, demonyms, capitals, acronyms.

Deliberately short: the countries and bodies that dominate international news.
Entries are (country, demonym, capital, seats of government used as metonyms).
"""

from __future__ import annotations

_COUNTRIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Russia", "Russian", "Moscow", ("the Kremlin", "Kremlin")),
    ("Ukraine", "Ukrainian", "Kyiv", ("Kiev", "Bankova")),
    ("United States", "American", "Washington", ("the White House", "White House", "the Pentagon",
                                               "Pentagon", "the State Department", "State Department")),
    ("United Kingdom", "British", "London", ("Downing Street", "Whitehall")),
    ("France", "French", "Paris", ("the Elysee", "Elysee", "the Élysée", "Élysée", "Quai d'Orsay")),
    ("Germany", "German", "Berlin", ()),
    ("China", "Chinese", "Beijing", ("Zhongnanhai",)),
    ("Japan", "Japanese", "Tokyo", ()),
    ("India", "Indian", "New Delhi", ()),
    ("Israel", "Israeli", "Jerusalem", ()),
    ("Iran", "Iranian", "Tehran", ()),
    ("Turkey", "Turkish", "Ankara", ()),
    ("Poland", "Polish", "Warsaw", ()),
    ("Italy", "Italian", "Rome", ("Palazzo Chigi",)),
    ("Spain", "Spanish", "Madrid", ()),
    ("Canada", "Canadian", "Ottawa", ()),
    ("Mexico", "Mexican", "Mexico City", ()),
    ("Brazil", "Brazilian", "Brasilia", ()),
    ("Belarus", "Belarusian", "Minsk", ()),
    ("Hungary", "Hungarian", "Budapest", ()),
    ("Syria", "Syrian", "Damascus", ()),
    ("Iraq", "Iraqi", "Baghdad", ()),
    ("Saudi Arabia", "Saudi", "Riyadh", ()),
    ("Egypt", "Egyptian", "Cairo", ()),
    ("Qatar", "Qatari", "Doha", ()),
    ("North Korea", "North Korean", "Pyongyang", ()),
    ("South Korea", "South Korean", "Seoul", ()),
    ("Taiwan", "Taiwanese", "Taipei", ()),
    ("Finland", "Finnish", "Helsinki", ()),
    ("Sweden", "Swedish", "Stockholm", ()),
    ("Norway", "Norwegian", "Oslo", ()),
    ("Denmark", "Danish", "Copenhagen", ()),
    ("Netherlands", "Dutch", "The Hague", ()),
    ("Belgium", "Belgian", "Brussels", ()),
    ("Austria", "Austrian", "Vienna", ()),
    ("Switzerland", "Swiss", "Bern", ()),
    ("Greece", "Greek", "Athens", ()),
    ("Romania", "Romanian", "Bucharest", ()),
    ("Moldova", "Moldovan", "Chisinau", ()),
    ("Georgia", "Georgian", "Tbilisi", ()),
    ("Lithuania", "Lithuanian", "Vilnius", ()),
    ("Latvia", "Latvian", "Riga", ()),
    ("Estonia", "Estonian", "Tallinn", ()),
    ("Pakistan", "Pakistani", "Islamabad", ()),
    ("Afghanistan", "Afghan", "Kabul", ()),
    ("Venezuela", "Venezuelan", "Caracas", ()),
    ("Cuba", "Cuban", "Havana", ()),
    ("Australia", "Australian", "Canberra", ()),
    ("South Africa", "South African", "Pretoria", ()),
    ("Nigeria", "Nigerian", "Abuja", ()),
    ("Lebanon", "Lebanese", "Beirut", ()),
    ("Jordan", "Jordanian", "Amman", ()),
    ("Palestine", "Palestinian", "Ramallah", ()),
)

ACRONYMS: dict[str, str] = {
    "UN": "United Nations",
    "U.N.": "United Nations",
    "EU": "European Union",
    "E.U.": "European Union",
    "US": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "NATO": "NATO",
    "IAEA": "International Atomic Energy Agency",
    "WHO": "World Health Organization",
    "IMF": "International Monetary Fund",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "ICC": "International Criminal Court",
    "FBI": "FBI",
    "CIA": "CIA",
}

COUNTRY_ALIASES: dict[str, str] = {
    "america": "United States",
    "the united states": "United States",
    "united states of america": "United States",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "the uk": "United Kingdom",
    "russian federation": "Russia",
    "the netherlands": "Netherlands",
    "kiev": "Ukraine",
}

DEMONYM_TO_COUNTRY: dict[str, str] = {d.lower(): c for c, d, _, _ in _COUNTRIES}
DEMONYM_TO_COUNTRY.update({"us": "United States", "u.s.": "United States", "european": "European Union"})
COUNTRY_TO_DEMONYM: dict[str, str] = {c.lower(): d for c, d, _, _ in _COUNTRIES}
COUNTRY_TO_DEMONYM.update({"european union": "European", "eu": "European"})
CAPITAL_TO_COUNTRY: dict[str, str] = {cap.lower(): c for c, _, cap, _ in _COUNTRIES}
CAPITAL_TO_COUNTRY["kiev"] = "Ukraine"
SEAT_TO_COUNTRY: dict[str, str] = {s.lower(): c for c, _, _, seats in _COUNTRIES for s in seats}
COUNTRY_NAMES: dict[str, str] = {c.lower(): c for c, _, _, _ in _COUNTRIES}
COUNTRY_NAMES.update({"european union": "European Union", "eu": "European Union"})


def country_of(word: str) -> str | None:
    """The country a name, demonym, capital or seat of government stands for, if known."""
    w = word.strip().lower()
    if w.startswith("the ") and w not in SEAT_TO_COUNTRY:
        w = w[4:]
    w = w.removesuffix("’s").removesuffix("'s")
    for table in (COUNTRY_NAMES, COUNTRY_ALIASES, DEMONYM_TO_COUNTRY, CAPITAL_TO_COUNTRY, SEAT_TO_COUNTRY):
        if w in table:
            return table[w]
    up = word.strip().removesuffix("’s").removesuffix("'s")
    if up in ACRONYMS and ACRONYMS[up] in ("United States", "United Kingdom"):
        return ACRONYMS[up]
    return None


def demonym(country: str) -> str | None:
    return COUNTRY_TO_DEMONYM.get(country.lower())


def expand_acronym(name: str) -> str:
    return ACRONYMS.get(name.strip(), name)

"""Canonical names of parties: institutions, governments and the people who speak for them, from text alone.

"Russia's Ministry of Defence", "the Russian defence ministry" and "Russia's Defence Ministry" are one party;
"Moscow" speaking is Russia; "Ukraine's eastern military command", "the Ukrainian army" and "Kyiv's General
Staff" are all the Ukrainian military; "a spokesman for the Kremlin" is the Kremlin's spokesman.  The rules are
few and general; the word lists are data files (``military_heads.txt``, ``state_body_heads.txt``, ``cabinet_heads.txt``).

The *side* of a party is the country it speaks for, when the name says so ("Russian Ministry of Defence" →
Russia, "Kremlin" → Russia).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import gazetteer
from .keys import _CACHE, key
from .lexicons import CABINET_HEADS, MILITARY_HEADS, PRONOUNS as _PRONOUN_WORDS, RELATIVE_PRONOUNS, STATE_BODY_HEADS
from .normalise import clean_mention, normalise

PRONOUNS = _PRONOUN_WORDS | RELATIVE_PRONOUNS | frozenset("you this these those".split())
INSTITUTION_HEADS = STATE_BODY_HEADS
_MINISTRY_OF = re.compile(r"\bministry of (defen[cs]e|foreign affairs|the interior|interior)\b", re.I)


def country_adjective(country: str) -> str:
    """How a country is written before the name of one of its institutions: "Russian Ministry of Defence",
    "US State Department" ("US" reads better there than "American")."""
    if country == "United States":
        return "US"
    demonym = gazetteer.demonym(country)
    # a demonym that names a person ("New Zealander", "Solomon Islander") is no adjective: the country's name is
    return country if demonym is None or demonym.endswith("er") else demonym


def _strip(text: str) -> str:
    return clean_mention(text)


def _country_prefix(text: str) -> tuple[str | None, str]:
    """("Russia", "eastern military command") for "Russia's eastern military command"."""
    words = text.split()
    for n in (1, 2):
        if len(words) <= n:
            break
        head = " ".join(words[:n])
        bare = head.removesuffix("’s").removesuffix("'s")
        if not bare[:1].isupper() or bare.lower() in gazetteer.SEAT_TO_COUNTRY:
            continue  # "Kremlin spokesman" stays as it is
        country = gazetteer.country_of(bare)
        if country is None and bare.upper() in ("US", "U.S.", "UK", "EU", "UN"):
            country = gazetteer.expand_acronym(bare.upper())
        if country:
            return country, " ".join(words[n:])
    return None, text


def _ministry(rest: str) -> str | None:
    """'Defence Ministry', 'ministry of defense' → 'Ministry of Defence'."""
    low = rest.lower()
    m = _MINISTRY_OF.search(low)
    area = m.group(1) if m else None
    if area is None:
        for word, name in (("defence", "defence"), ("defense", "defence"), ("foreign", "foreign affairs"),
                           ("interior", "interior")):
            if re.search(rf"\b{word} ministry\b", low):
                area = name
    if area is None:
        return None
    area = {"defense": "Defence", "defence": "Defence", "foreign affairs": "Foreign Affairs",
            "the interior": "the Interior", "interior": "the Interior"}.get(area, area.title())
    return f"Ministry of {area}"


@lru_cache(maxsize=_CACHE)  # a pure function of the text; claims and the resolver ask for the same names often
def party_name(name: str | None) -> str | None:
    """The name a party goes by in claims; None for pronouns and empty names.

    >>> party_name("Russia's Ministry of Defence"), party_name("the Russian defense ministry")
    ('Russian Ministry of Defence', 'Russian Ministry of Defence')
    >>> party_name("Ukraine's eastern military command"), party_name("Moscow"), party_name("the Kremlin")
    ('Ukrainian military', 'Russia', 'Kremlin')
    """
    if not name:
        return None
    text = _strip(name)
    if not text or text.lower() in PRONOUNS:
        return None
    if "," in text:
        # "Ukraine's foreign minister, Olena Kovalchuk": the name, not the title
        parts = [_strip(p) for p in text.split(",") if p.strip()]
        named = [p for p in parts if _looks_like_name(p)]
        if named:
            return named[0]
        text = parts[0] if parts else text
    if text.split()[0].lower() in ("its", "their", "his", "her", "our", "my", "your"):
        return None  # "its forces": whose, only the context can say
    text = gazetteer.expand_acronym(text)
    low = text.lower()
    # "a spokesman for the Kremlin" → "Kremlin spokesman"
    m = re.match(r"^(spokes(?:man|woman|person)|representative|envoy|official|officials|aide|adviser)"
                 r" (?:for|of|at) (?:the )?(.+)$", text, re.I)
    if m:
        org = party_name(m.group(2))
        if org:
            return f"{org} {m.group(1).lower()}"
    low = text.lower()
    country = gazetteer.country_of(text)
    if country and (low in gazetteer.CAPITAL_TO_COUNTRY or low in gazetteer.COUNTRY_ALIASES
                    or low == country.lower()):
        return country  # "Moscow said" is Russia speaking
    if low in gazetteer.SEAT_TO_COUNTRY:
        return text[0].upper() + text[1:]
    prefix, rest = _country_prefix(text)
    if prefix is None:
        # "the military in Kyiv", "a spokesman for the Kremlin" keep their shape but lose the article.
        m = re.match(r"^(.+?) (?:in|of|for) (?:the )?([A-Z][\w.\-]*)$", text)
        if m and gazetteer.country_of(m.group(2)) and (
            m.group(1).lower() in MILITARY_HEADS or _ministry(m.group(1))
            or any(m.group(1).lower().endswith(h) for h in INSTITUTION_HEADS if " " in h or h == "ministry")
        ):  # "the Defence Ministry in Moscow"
            prefix, rest = gazetteer.country_of(m.group(2)), m.group(1)
    if prefix is not None:
        adjective = country_adjective(prefix)
        rest_low = rest.lower()
        ministry = _ministry(rest)
        if ministry:
            return f"{adjective} {ministry}"
        words = rest_low.split()
        if rest_low in CABINET_HEADS:
            return f"{adjective} government"  # "Egypt's cabinet approved the fares": the government acting
        if any(rest_low.endswith(h) for h in MILITARY_HEADS) and not any(
            w in ("minister", "ministry", "spokesman", "spokeswoman", "spokesperson", "commander") for w in words
        ):
            return f"{adjective} military"
        if any(rest_low.endswith(h) for h in INSTITUTION_HEADS):
            return f"{adjective} {rest}"
        return text
    ministry = _ministry(text)
    if ministry and low.startswith(("defen", "foreign", "interior", "ministry")):
        return ministry
    return text


def _looks_like_name(text: str) -> bool:
    """'Olena Kovalchuk' yes; 'a Ukrainian military spokesman', 'Kyiv' no."""
    words = text.replace("-", " ").split()
    return (2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
            and not any(gazetteer.country_of(w) or w.lower() in INSTITUTION_HEADS for w in words))


def side_of(party: str | None) -> str | None:
    """The country a party speaks for, when its name says so."""
    if not party:
        return None
    country = gazetteer.country_of(party)
    if country:
        return country
    prefix, rest = _country_prefix(party)
    if prefix is None and party.split()[0].lower() in gazetteer.SEAT_TO_COUNTRY:
        prefix, rest = gazetteer.country_of(party.split()[0]), " ".join(party.split()[1:])
    if prefix is None:
        return None
    rest_low = rest.lower()
    if rest_low.startswith("ministry") or any(rest_low.endswith(h) for h in MILITARY_HEADS + INSTITUTION_HEADS):
        return prefix
    return None


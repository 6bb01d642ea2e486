"""The word lists names are resolved with, read from ``names/data/*.txt`` (one file per list).

A list file holds one entry per line (a word or a phrase, lower case); ``#`` starts a comment.  A second,
tab-separated column is a value (``he<TAB>m``).  Changing a file changes every user of the list: the
extractor's speaker, the article entities, claims and positions.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

_DATA = "onrecord.names"


def _rows(filename: str) -> list[list[str]]:
    text = resources.files(_DATA).joinpath("data", filename).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The entries of ``data/<name>.txt`` as a set."""
    return frozenset(row[0].lower() for row in _rows(name + ".txt"))


@lru_cache(maxsize=None)
def phrases(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>.txt`` in file order (for lists matched by suffix, longest first)."""
    return tuple(sorted((row[0].lower() for row in _rows(name + ".txt")), key=len, reverse=True))


@lru_cache(maxsize=None)
def pairs(name: str) -> dict[str, str]:
    """``data/<name>.txt`` or ``.tsv`` as a mapping of its first column to its second."""
    filename = name if "." in name else name + ".txt"
    return {row[0].lower() if filename.endswith(".txt") else row[0]: (row[1] if len(row) > 1 else "")
            for row in _rows(filename)}


def table(filename: str) -> list[list[str]]:
    """All rows of a tab-separated data file."""
    return _rows(filename)


PERSON_PRONOUNS: dict[str, str] = pairs("person_pronouns")  # word -> m / f / x
GROUP_PRONOUNS = words("group_pronouns")
PLURAL_PRONOUNS = words("plural_pronouns")
THING_PRONOUNS = words("thing_pronouns")
EXTRAPOSING_ADJECTIVES = words("extraposing_adjectives")
LEADING_ADVERBS = words("leading_adverbs")
PRONOUNS = frozenset(PERSON_PRONOUNS) | GROUP_PRONOUNS
RELATIVE_PRONOUNS = words("relative_pronouns")
DETERMINERS = words("determiners")
DISTRIBUTIVES = words("distributives")
PARTITIVES = words("partitives")
HONORIFICS = words("honorifics")
TITLE_WORDS = words("title_words")
NAME_PARTICLES = words("name_particles")
NAME_SUFFIXES = words("name_suffixes")
INSTITUTION_HEADS = words("institution_heads")
PERSON_ROLE_NOUNS = words("person_role_nouns")
CALLING_NOUNS = words("calling_nouns")
ORGANISATION_NOUNS = words("organisation_nouns")
COMPANY_NOUNS = words("company_nouns")
BODY_KINDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in pairs("body_kinds.tsv").items()}
PUBLIC_BODY_WORDS = words("public_body_words")
CIVIL_BODY_WORDS = words("civil_body_words")
ORGANISATION_NAME_WORDS = words("organisation_name_words")
MILITARY_HEADS = phrases("military_heads")
STATE_BODY_HEADS = phrases("state_body_heads")
CABINET_HEADS = phrases("cabinet_heads")
DOCUMENT_NOUNS = words("document_nouns")
FOLLOWER_NOUNS = words("follower_nouns")
PEOPLE_NOUNS = words("people_nouns")
PRESS_PIECES = words("press_pieces")
GIVEN_NAME_GENDER: dict[str, str] = {k.lower(): v for k, v in pairs("given_names.tsv").items()}
# the birth registers' sex for tens of thousands more given names (tools/build_given_names.py); they say a named
# person's gender only: whether a capitalised word is a given name at all is GIVEN_NAME_GENDER's to say
REGISTERED_NAME_GENDER: dict[str, str] = pairs("registered_given_names.tsv")


def given_name_gender(name: str) -> str | None:
    """"m" or "f" where the first word of a full name (two words or more) is a given name of one gender."""
    words = name.split()
    given = words[0].lower().rstrip(".") if len(words) >= 2 else ""
    return GIVEN_NAME_GENDER.get(given) or REGISTERED_NAME_GENDER.get(given) if given else None
GENDERED_WORDS: dict[str, str] = pairs("gendered_words")

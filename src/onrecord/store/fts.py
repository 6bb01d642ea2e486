"""Turning what a user types into an FTS5 query that cannot be a syntax error.

Words must all match (AND); ``"a phrase"`` matches in order; ``word*`` is a
prefix; ``OR`` and ``NOT`` between terms keep their FTS5 meaning.  A token with
punctuation inside ("U.S.", "Putin's", "cease-fire") becomes a phrase of its
pieces, which is exactly how the index tokenised the text.

A search is bounded: at most 500 characters, 16 terms, 4 of them prefixes, and
a prefix of at least 2 letters (``r*`` would read every term starting with r).
"""

from __future__ import annotations

import re

from ..errors import ConfigError

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_OPERATORS = {"OR", "NOT"}

#: Bounds that keep one search cheap: FTS5 reads every index entry under a prefix, once per prefix term.
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MAX_PREFIX_TERMS = 4
MIN_PREFIX_CHARS = 2


def fts_query(text: str) -> str:
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise ConfigError(f"the search text is {len(text):,} characters long; "
                          f"use at most {MAX_QUERY_CHARS} characters")
    terms: list[str] = []
    prefixes = 0
    for match in _TOKEN.finditer(text):
        phrase, token = match.groups()
        if token in _OPERATORS:
            if terms and terms[-1] not in _OPERATORS:
                terms.append(token)
            continue
        words = _WORD.findall(phrase if phrase is not None else token)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if phrase is None and token.endswith("*"):
            if len(words[-1]) < MIN_PREFIX_CHARS:
                raise ConfigError(f"{token[:20]!r}: a prefix search needs at least {MIN_PREFIX_CHARS} letters "
                                  "before the *")
            prefixes += 1
            term += "*"
        terms.append(term)
        if len(terms) > 2 * MAX_TERMS or prefixes > MAX_PREFIX_TERMS:
            break
    words_only = [t for t in terms if t not in _OPERATORS]
    if len(words_only) > MAX_TERMS or prefixes > MAX_PREFIX_TERMS:
        raise ConfigError(f"the search has too many terms; use at most {MAX_TERMS} words or phrases, "
                          f"{MAX_PREFIX_TERMS} of them with *")
    while terms and terms[-1] in _OPERATORS:
        terms.pop()
    if not terms:
        raise ConfigError(f"the search text {text!r} has no words to look for")
    return " ".join(terms)

"""Turning what a user types into an FTS5 query that cannot be a syntax error.

Words must all match (AND); ``"a phrase"`` matches in order; ``word*`` is a
prefix; ``OR`` and ``NOT`` between terms keep their FTS5 meaning.  A token with
punctuation inside ("U.S.", "Putin's", "cease-fire") becomes a phrase of its
pieces, which is exactly how the index tokenised the text.
"""

from __future__ import annotations

import re

from ..errors import ConfigError

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_OPERATORS = {"OR", "NOT"}


def fts_query(text: str) -> str:
    terms: list[str] = []
    for match in _TOKEN.finditer(text or ""):
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
            term += "*"
        terms.append(term)
    while terms and terms[-1] in _OPERATORS:
        terms.pop()
    if not terms:
        raise ConfigError(f"the search text {text!r} has no words to look for")
    return " ".join(terms)

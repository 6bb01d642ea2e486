"""Names: the one place where onrecord decides how a name is written, keyed and compared.

No spaCy here: everything works on strings, so the extractor, the entities tables, claims, the store's
queries and the web pages share it.

* :mod:`.normalise`: :func:`normalise` (spacing of tokens, quotes, doubled words), :func:`clean_mention`
  (datelines, determiners, time phrases, glued-on clauses removed), :func:`dirt` (why a shown name is not clean);
* :mod:`.keys`: :func:`fold`, :func:`key` (the comparison key), :func:`skeleton` (transliteration folding),
  :class:`PersonName`, :func:`org_key`;
* :mod:`.canonical`: :func:`party_name` (the canonical name of an institution or government from its
  description), :func:`side_of` (the country a party speaks for);
* :mod:`.gazetteer` and :mod:`.lexicons`: the country tables and word lists, read from ``names/data``.
"""

from __future__ import annotations

from . import gazetteer, lexicons
from .canonical import party_name, side_of
from .keys import PersonName, fold, given_compatible, key, org_key, similar, skeleton, strip_article
from .normalise import acronyms_in, clean_mention, dirt, initials, normalise

__all__ = [
    "PersonName", "acronyms_in", "clean_mention", "dirt", "fold", "gazetteer", "given_compatible", "key", "lexicons",
    "initials", "normalise", "org_key", "party_name", "side_of", "similar", "skeleton", "strip_article",
]

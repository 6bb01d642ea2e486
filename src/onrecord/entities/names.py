"""Name keys now live in :mod:`onrecord.names.keys`; this module keeps the names entities code imports."""

from ..names.keys import (  # noqa: F401
    HONORIFICS, PARTICLES, SUFFIXES, TITLE_WORDS, PersonName, fold, given_compatible, key, org_key, similar,
    skeleton, strip_article,
)

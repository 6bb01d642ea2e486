"""The gazetteer now lives in :mod:`onrecord.names.gazetteer` (tables in ``names/data``); this name stays for
existing imports."""

from ..names.gazetteer import *  # noqa: F401,F403
from ..names.gazetteer import (  # noqa: F401
    ACRONYMS, CAPITAL_ALIASES, CAPITAL_TO_COUNTRY, COUNTRY_ALIASES, COUNTRY_NAMES, COUNTRY_TO_DEMONYM,
    DEMONYM_TO_COUNTRY, SEAT_TO_COUNTRY, _COUNTRIES, capital_name, country_of, demonym, expand_acronym,
)

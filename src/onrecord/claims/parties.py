"""Naming the parties of claims and positions: a thin user of :mod:`onrecord.names`.

The canonical naming of institutions and governments is :func:`onrecord.names.party_name`, the side a party
speaks for :func:`onrecord.names.side_of`, the comparison key :func:`onrecord.names.key`; the word lists are the
names module's data files.  These names stay for the claims code that imports them.
"""

from __future__ import annotations

from ..names.canonical import INSTITUTION_HEADS, MILITARY_HEADS, PRONOUNS, party_name, side_of  # noqa: F401
from ..names.keys import key  # noqa: F401

__all__ = ["INSTITUTION_HEADS", "MILITARY_HEADS", "PRONOUNS", "both_sides", "key", "party_name", "side_of"]


def both_sides(party: str | None) -> bool:
    """Is the party the parties of a dispute together ("the two sides", "both parties")? It takes neither side:
    "The two sides also disagree about staffing" is no dispute by one of them."""
    words = (party or "").lower().split()
    return len(words) == 2 and words[0] in ("two", "both") and words[1] in ("sides", "parties", "camps")

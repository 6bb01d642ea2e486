"""Reading claims and positions from a store (after `onrecord ingest`).

    >>> from onrecord.claims import ClaimIndex
    >>> with ClaimIndex("onrecord.db") as idx:                    # doctest: +SKIP
    ...     for claim in idx.claims(contested=True, about="Pokrovsk"):
    ...         print(claim.topic, claim.asserted_by, claim.disputed_by)

The CLI verbs ``onrecord claims`` and ``onrecord positions`` are thin calls of
:func:`list_claims` and :func:`list_positions`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..errors import ConfigError
from ..records import Span
from ..store.connection import FeatureIndex
from ..store.queries import name_variants
from . import parties
from .records import Claim, ClaimKind, Evidence, Position, Side, Stance, Statement


def _words(text: str | None) -> list[str]:
    return [w for w in parties.key(text or "").split() if w]


def _matches(words: list[str], haystack: Iterable[str | None]) -> bool:
    blob = " ".join(parties.key(h or "") for h in haystack)
    return all(w in blob for w in words)


def _matches_any(choices: list[list[str]], haystack: Iterable[str | None]) -> bool:
    """Whether every word of one of ``choices`` (a text and the other names of its entity) is in ``haystack``."""
    blob = " ".join(parties.key(h or "") for h in haystack)
    return any(all(w in blob for w in words) for words in choices)


class ClaimIndex(FeatureIndex):
    """Read-only access to the grouped claims and positions of a store (or any open connection to one)."""

    REQUIRES = frozenset({"claims", "claim_statements", "positions"})
    WHAT = "claim"

    def claims(self, *, contested: bool = False, about: str | None = None, kind: str | None = None,
               party: str | None = None, limit: int | None = None) -> list[Claim]:
        """Claims, contested ones first; ``about`` words must all appear in the topic, parties or evidence."""
        where, params = [], []
        if contested:
            where.append("contested = 1")
        if kind:
            try:
                where.append("kind = ?")
                params.append(ClaimKind(kind.lower()).value)
            except ValueError:
                raise ConfigError(f"unknown claim kind {kind!r}; use one of "
                                  f"{', '.join(k.value for k in ClaimKind)}") from None
        sql = ("SELECT id, kind, target, holder, topic, value FROM claims"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY contested DESC, statements DESC, first_seen DESC, topic")
        rows = self._run(sql, params).fetchall()
        statements: dict[str, list[Statement]] = {}
        for cid, party_name, party_id, side, cue, article, start, end, text, said_on, outlet in self._run(
            f"SELECT claim_id, party, {self._party_id('claim_statements')}, side, cue, article_id, start, end, text,"
            " said_on, outlet FROM claim_statements ORDER BY claim_id, ord"
        ):
            statements.setdefault(cid, []).append(
                Statement(party_name, Side(side), Evidence(article, Span(start, end), text, said_on, outlet), cue or "",
                          party_id))
        about_words, party_words = self._about(about), self._about(party)
        out = []
        for cid, kind_, target, holder, topic, value in rows:
            st = tuple(statements.get(cid, ()))
            if about_words and not _matches_any(about_words, [topic, target, holder, value, *(s.party for s in st),
                                                              *(s.evidence.text for s in st)]):
                continue
            if party_words and not any(_matches_any(party_words, [s.party]) for s in st):
                continue
            out.append(Claim(cid, ClaimKind(kind_), target, holder, topic, st, value))
            if limit is not None and len(out) >= limit:
                break
        return out

    def _party_id(self, table: str) -> str:
        """The party's entity id column, or NULL in a store no writer has upgraded yet (0204_claim_party_entities)."""
        columns = {r[1] for r in self._run(f"PRAGMA table_info({table})")}
        return "party_id" if "party_id" in columns else "NULL"

    def _about(self, about: str | None) -> list[list[str]]:
        """The word lists an ``about`` filter accepts: its own words, and those of every other name the
        store's entities give what it names ('Kupyansk' also finds 'Kupiansk')."""
        if not about or not _words(about):
            return []
        return [w for w in dict.fromkeys(tuple(_words(t)) for t in [about, *name_variants(self.conn, about)]) if w]

    def positions(self, *, proposal: str | None = None, party: str | None = None, stance: str | None = None,
                  about: str | None = None, limit: int | None = None) -> list[Position]:
        """Positions by proposal then party; ``proposal`` and ``party`` match words of the names, ``about``
        words (or another name of the same entity) in the proposal, the party or the evidence."""
        if stance:
            try:
                stance = Stance(stance.lower().replace("_", " ")).value
            except ValueError:
                raise ConfigError(f"unknown stance {stance!r}; use one of "
                                  f"{', '.join(s.value for s in Stance)}") from None
        evidence: dict[str, list[Evidence]] = {}
        for pid, article, start, end, text, said_on, outlet in self._run(
            "SELECT position_id, article_id, start, end, text, said_on, outlet FROM position_evidence "
            "ORDER BY position_id, ord"
        ):
            evidence.setdefault(pid, []).append(Evidence(article, Span(start, end), text, said_on, outlet))
        proposal_words, party_words, about_words = _words(proposal), self._about(party), self._about(about)
        out = []
        for pid, party_name, party_id, prop, stance_, stances in self._run(
            f"SELECT id, party, {self._party_id('positions')}, proposal, stance, stances FROM positions"
            " ORDER BY proposal, party"
        ):
            if proposal_words and not _matches(proposal_words, [prop]):
                continue
            if about_words and not _matches_any(about_words, [prop, party_name,
                                                              *(e.text for e in evidence.get(pid, ()))]):
                continue
            if party_words and not _matches_any(party_words, [party_name]):
                continue
            if stance and stance_ != stance:
                continue
            out.append(Position(party_name, prop, Stance(stance_), tuple(evidence.get(pid, ())),
                                tuple(Stance(s) for s in json.loads(stances)), party_id))
            if limit is not None and len(out) >= limit:
                break
        return out

    def proposals(self) -> list[dict]:
        return [{"key": k, "name": n, "kind": kind, "proposed_by": by, "articles": a}
                for k, n, kind, by, a in self._run(
                    "SELECT key, name, kind, proposed_by, articles FROM proposals ORDER BY articles DESC, name")]

    def articles(self, ids: Iterable[str]) -> dict[str, dict]:
        """URL, title, outlet and publication date of articles, for exports that link back to them."""
        out = {}
        for aid in set(ids):
            row = self._run("SELECT url, title, outlet, published FROM articles WHERE id = ?", (aid,)).fetchone()
            if row:
                out[aid] = {"url": row[0], "title": row[1], "outlet": row[2], "published": row[3]}
        return out


def list_claims(db: str | Path, *, contested: bool = False, about: str | None = None, kind: str | None = None,
                party: str | None = None, limit: int | None = None) -> list[Claim]:
    """The claims of the store at ``db`` (what ``onrecord claims`` prints)."""
    with ClaimIndex(db) as idx:
        return idx.claims(contested=contested, about=about, kind=kind, party=party, limit=limit)


def list_positions(db: str | Path, *, proposal: str | None = None, party: str | None = None,
                   stance: str | None = None, about: str | None = None, limit: int | None = None) -> list[Position]:
    """The positions of the store at ``db`` (what ``onrecord positions`` prints)."""
    with ClaimIndex(db) as idx:
        return idx.positions(proposal=proposal, party=party, stance=stance, about=about, limit=limit)

"""Grouping claim mentions into claims: the same proposition across articles, outlets and days.

Mentions group when they have the same kind and the same target (names compared
after folding case and accents, with a fuzzy match for transliterations such as
Kupyansk / Kupiansk).  Within a group the *proposition* is fixed by its holder:
the side most often credited with a change (a capture, an attack) — "Russia
controls Pokrovsk".  Every mention is then on one side of it:

    holder agrees (or is unnamed) and polarity +1   → asserted
    holder agrees (or is unnamed) and polarity -1   → disputed  ("denied that the town had fallen")
    another side holds it, polarity +1              → disputed  ("its forces still hold the city")
    another side is denied it, polarity -1          → asserted
    OtherSide(X) (not X: "X withdrew")              → agrees with any holder other than X

So "Ukraine confirmed the withdrawal of its troops" lands on the asserting side of
"Russia controls Bilyi Kamin", never among its disputes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple

from rapidfuzz import fuzz

from . import parties
from .party_entities import Party, unresolved
from .records import (Claim, ClaimKind, ClaimMention, Evidence, OtherSide, Position, PositionMention, ProposalMention,
                      Side, Statement)

#: Two target names at least this similar (rapidfuzz ratio, 0-100) are the same target.
TARGET_SIMILARITY = 85


@dataclass(frozen=True, slots=True)
class SourcedMention:
    """A mention with the article it comes from (what grouping needs besides the mention)."""

    article: str
    mention: ClaimMention
    outlet: str | None = None
    published: str | None = None
    index: int = 0  # position in the article's mention list


class GroupKey(NamedTuple):
    """What puts mentions in one claim: the kind and the folded target name (or the figure).

    ``article`` is set when the target only means one thing within one article
    (unnamed "talks"); ``figure`` when ``text`` is a casualty or prisoner figure.
    Such keys match exactly; named targets also match fuzzily (Kupyansk / Kupiansk).
    """

    kind: ClaimKind
    text: str
    article: str | None = None
    figure: bool = False

    @property
    def block(self) -> tuple:
        """The blocking key: only keys in one block are compared (fuzzily).  Regrouping the mentions of a
        set of blocks gives the same claims for them as regrouping everything (see ``group_mentions``)."""
        return (self.kind, self.article, self.figure, self.text[:BLOCK_LETTERS])


def group_key(item: SourcedMention, name: Callable[[str], str] | None = None) -> GroupKey:
    m = item.mention
    key = parties.key((name or (lambda s: s))(m.target))
    if m.kind is ClaimKind.PROGRESS and key == "talks":
        return GroupKey(m.kind, key, article=item.article)  # unnamed talks: the same talks within one article
    if m.kind in (ClaimKind.CASUALTIES, ClaimKind.PRISONERS) and m.value:
        # The same figure is the same claim, however each outlet describes the dead.
        return GroupKey(m.kind, _figure_key(m.value), figure=True)
    return GroupKey(m.kind, key)


def _same_target(a: GroupKey, b: GroupKey) -> bool:
    if a == b:
        return True
    if a.article or b.article or a.figure or b.figure:
        return False  # article-scoped talks and figures match exactly or not at all
    return fuzz.ratio(a.text, b.text) >= TARGET_SIMILARITY


def _holder_agrees(holder: str | None, main: str | None) -> bool | None:
    """True: the mention's holder is the proposition's; False: a rival; None: it cannot say."""
    if holder is None or main is None:
        return None
    if isinstance(holder, OtherSide):
        return str(holder) != main
    return holder == main


def side_of_mention(m: ClaimMention, main_holder: str | None) -> Side:
    if m.kind is ClaimKind.STATEMENT:  # the stance is the statement's own: asserts or disputes
        return Side.ASSERTED if m.polarity > 0 else Side.DISPUTED
    agrees = _holder_agrees(m.holder, main_holder)
    if agrees is False:
        return Side.DISPUTED if m.polarity > 0 else Side.ASSERTED
    return Side.ASSERTED if m.polarity > 0 else Side.DISPUTED


def _main_holder(mentions: list[ClaimMention]) -> str | None:
    concrete = [m for m in mentions if m.holder and not isinstance(m.holder, OtherSide)]
    for pool in ([m for m in concrete if m.polarity > 0 and m.change],
                 [m for m in concrete if m.polarity > 0], concrete):
        if pool:
            counts = Counter(m.holder for m in pool)
            best = max(counts.values())
            # Ties go to the earliest statement: the claim that started the story.
            return next(m.holder for m in pool if counts[m.holder] == best)
    return None


def _value(mentions: list[ClaimMention]) -> str | None:
    values = Counter(m.value for m in mentions if m.value and m.polarity > 0)
    return values.most_common(1)[0][0] if values else None


def claim_id(kind: ClaimKind, target: str, holder: str | None, article: str | None = None, salt: int = 0) -> str:
    """A stable id: a hash of kind, target and holder (and the article, for a claim scoped to one)."""
    parts = [kind.value, parties.key(target), holder or ""] + ([article] if article else []) + ([str(salt)] if salt
                                                                                               else [])
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


PartyOf = Callable[[str, str, "int | None"], Party]


def group_mentions(items: Iterable[SourcedMention], *, canonical: Callable[[str], str] | None = None,
                   party: PartyOf | None = None) -> list[Claim]:
    """Claims from mentions of any number of articles, most contested and most recent first.

    ``canonical`` maps a place name to its canonical name (the entities feature's); ``party`` gives the
    entity behind a party (article, name, attribution index; see claims/party_entities.py); without them
    names are used as found.
    """
    name = canonical or (lambda s: s)
    party_of = party or unresolved(canonical)
    buckets: list[tuple[ClaimKind, GroupKey, str, list[SourcedMention]]] = []  # kind, key, display, members
    exact: dict[GroupKey, tuple] = {}
    blocks: dict[tuple, list[tuple]] = {}
    for item in items:
        m = item.mention
        target = name(m.target)
        key = group_key(item, name)
        bucket = exact.get(key)
        if bucket is None:
            # Fuzzy matching only within a block of keys that start alike: transliterations keep their
            # first letters (Kupyansk / Kupiansk), and a store of thousands of targets stays fast.
            block = blocks.setdefault(key.block, [])
            bucket = next((b for b in block if _same_target(b[1], key)), None)
            if bucket is None:
                bucket = (m.kind, key, target, [])
                buckets.append(bucket)
                block.append(bucket)
            exact[key] = bucket
        bucket[3].append(item)
    _merge_unspecific(buckets)
    claims = []
    for kind, key, display, members in buckets:
        mentions = [s.mention for s in members]
        holder = _main_holder(mentions)
        statements = []
        for s in sorted(members, key=lambda s: (s.mention.said_on or s.published or "", s.article, s.mention.span.start)):
            m = s.mention
            if not m.party:
                continue
            who = party_of(s.article, m.party, m.source)
            evidence = Evidence(s.article, m.span, m.text, m.said_on or s.published, s.outlet)
            statements.append(Statement(who.name, side_of_mention(m, holder), evidence, m.cue, who.id))
        if not statements:
            continue
        # The display name: the most frequent spelling of the target (the most specific, for figures).
        spellings = Counter(name(s.mention.target) for s in members)
        if kind in (ClaimKind.CASUALTIES, ClaimKind.PRISONERS):
            display = max(spellings, key=lambda t: (len(t.split()), spellings[t]))
        else:
            display = spellings.most_common(1)[0][0]
        # A figure is part of what the claim is: "400 soldiers" and "500 soldiers" are two claims.
        scope = key.article or (f"#{key.text}" if key.figure else None)
        claims.append(Claim(claim_id(kind, display, holder, scope), kind, display, holder, kind.topic(display),
                            tuple(_one_per_party_and_side(statements)), _value(mentions)))
    claims.sort(key=lambda c: (not c.contested, -(len(c.statements)), c.topic))
    return claims


#: Mentions are compared only with mentions whose key starts with the same letters: a claim's *block*.
BLOCK_LETTERS = 3


def mention_key(item: SourcedMention, target: str) -> GroupKey:
    """The grouping key of a mention whose target is (canonically) named ``target``."""
    return group_key(item, lambda _: target)


def mention_block(item: SourcedMention, canonical: Callable[[str], str] | None = None) -> str:
    """Which block a mention groups in: no mention outside it can join its claim (see claims/incremental.py).

    An opaque id for the store (``claim_block_rows.block``), made from :attr:`GroupKey.block`."""
    kind, article, figure, prefix = group_key(item, canonical).block
    return "|".join(("m", kind.value, article or "", "figure" if figure else "", prefix))


def proposal_block(key: str) -> str:
    """Which block a proposal (or a position on it) groups in: proposals merge only with the same head noun."""
    return "p|" + (key.split()[-1] if key else "")


def _figure_key(value: str) -> str:
    """'about 400', '400', 'more than 400' → '400'."""
    digits = [w.replace(",", "") for w in value.split() if any(c.isdigit() for c in w)]
    return digits[-1] if digits else value.lower()


def _merge_unspecific(buckets: list) -> None:
    """'Ukrainian soldiers' joins 'Ukrainian soldiers near Zarichne' when that is the only candidate."""
    def things(members: list[SourcedMention], placed: bool) -> set[str]:
        return {parties.key(s.mention.located.thing) for s in members
                if s.mention.located is not None and (s.mention.located.place is not None) is placed}

    for i in range(len(buckets) - 1, -1, -1):
        kind, key, _, members = buckets[i]
        if kind not in (ClaimKind.CASUALTIES, ClaimKind.PRISONERS) or key.figure:
            continue
        bare = things(members, False)
        if not bare or things(members, True):
            continue
        wider = [b for b in buckets if b[0] is kind and b is not buckets[i] and not b[1].figure
                 and things(b[3], True) & bare]
        if len(wider) == 1:
            wider[0][3].extend(members)
            del buckets[i]


def _one_per_party_and_side(statements: list[Statement]) -> list[Statement]:
    """Keep every article's evidence, but one statement per party, side and article, and each party on one side.

    Statements come in date order.  A party's statement on the other side of a
    claim counts only when it is dated later than its last one (a reversal);
    otherwise it is dropped, so no party sits on both sides at once.
    """
    seen: set[tuple[str, Side, str]] = set()
    held: dict[str, tuple[Side, str | None]] = {}
    out = []
    for s in statements:
        side, day = held.get(s.party, (s.side, s.evidence.said_on))
        if side is not s.side and not (s.evidence.said_on and day and s.evidence.said_on > day):
            continue
        held[s.party] = (s.side, s.evidence.said_on)
        k = (s.party, s.side, s.evidence.article)
        if k in seen:
            continue
        seen.add(k)
        out.append(s)
    return out


def link_article(mentions: list[ClaimMention]) -> list[ClaimMention]:
    """Set ``answers`` on each dispute: the index of the assertion it answers in the same article.

    The assertion answered is the one about the same proposition that comes
    closest before the dispute (or, failing that, after it: "denied ..., which
    Russia claimed"), preferring one made by another party.
    """
    from dataclasses import replace

    items = [SourcedMention("-", m, index=i) for i, m in enumerate(mentions)]
    out = list(mentions)
    groups: list[list[SourcedMention]] = []
    for item in items:
        for g in groups:
            if g[0].mention.kind is item.mention.kind and _same_target(group_key(g[0]), group_key(item)):
                g.append(item)
                break
        else:
            groups.append([item])
    for g in groups:
        holder = _main_holder([s.mention for s in g])
        sides = {s.index: side_of_mention(s.mention, holder) for s in g}
        assertions = [s for s in g if sides[s.index] is Side.ASSERTED]
        for s in g:
            if sides[s.index] is not Side.DISPUTED or not assertions:
                continue
            others = [a for a in assertions if a.mention.party != s.mention.party] or assertions
            before = [a for a in others if a.mention.span.start <= s.mention.span.end]
            pick = max(before, key=lambda a: a.mention.span.start) if before else min(
                others, key=lambda a: a.mention.span.start)
            out[s.index] = replace(s.mention, answers=pick.index)
    return out


# --- positions across articles -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourcedPosition:
    article: str
    position: PositionMention
    outlet: str | None = None
    published: str | None = None
    index: int = 0  # position in the article's position list


@dataclass(frozen=True, slots=True)
class SourcedProposal:
    article: str
    proposal: ProposalMention
    published: str | None = None
    index: int = 0  # position in the article's proposal list


@lru_cache(maxsize=1 << 16)
def _numbers(text: str) -> frozenset[str]:
    """The words of a proposal's name holding a digit ("20-point" → {"20"}); a block's regrouping asks about
    the same few names again and again, so they are cached."""
    return frozenset(w for w in text.replace("-", " ").split() if any(c.isdigit() for c in w))


@lru_cache(maxsize=1 << 16)
def same_proposal(a: str, b: str) -> bool:
    """'20-point ceasefire framework' and 'ceasefire framework' yes; '20-point plan' and '12-point plan' no."""
    if a == b:
        return True
    na, nb = _numbers(a), _numbers(b)
    if na and nb and na != nb:
        return False
    return fuzz.token_set_ratio(a, b) >= 90


class ProposalRegistry:
    """Proposals merged across articles: every article key maps to one merged key and name."""

    def __init__(self, proposals: Iterable[SourcedProposal]) -> None:
        self._groups: list[tuple[str, list[SourcedProposal]]] = []  # merged key, members
        self._of: dict[tuple[str, str], int] = {}
        self._names: dict[int, tuple[str, str]] = {}
        self._article_of: dict[int, str] = {}  # the article a bare proposal's group belongs to
        # Candidates share kind and head noun ("… framework"), which keeps merging linear in practice.
        blocks: dict[tuple[str, str], list[tuple[int, set[str]]]] = {}
        for item in sorted(proposals, key=lambda p: (p.published or "", p.article)):
            key = item.proposal.key
            # a bare "proposal" or "bill" says nothing of which one: it stays its article's, never the most
            # specific proposal of that noun in another article ("the party would back a proposal" for an
            # audit was "new contracts proposal", a cricket board's, from another story)
            bare = len(key.split()) <= 1
            block = blocks.setdefault((item.proposal.kind, key.split()[-1] if key else "", item.article if bare else ""), [])
            found = next((gi for gi, keys in block if key in keys or any(same_proposal(key, k) for k in keys)), None)
            if found is None:
                self._groups.append((key, []))
                found = len(self._groups) - 1
                block.append((found, set()))
                if bare:
                    self._article_of[found] = item.article
            next(keys for gi, keys in block if gi == found).add(key)
            self._groups[found][1].append(item)
            self._of[(item.article, key)] = found

    def merged(self, article: str, key: str, name: str) -> tuple[str, str]:
        """(merged key, display name) of an article's proposal key; a proposal no article's index holds keeps the
        name it was written with ("2,500 new taxi licences", not its key "2 500 new taxi licences")."""
        gi = self._of.get((article, key))
        if gi is None:
            return key, name
        return self._key_and_name(gi)

    def _key_and_name(self, gi: int) -> tuple[str, str]:
        """The merged key and the most specific name of a group (numbers and proposers make a name useful). A
        bare proposal's key names its article too: two articles' "the proposal" are two proposals, whose
        parties' positions must not be combined."""
        if gi not in self._names:
            members = self._groups[gi][1]
            name = max((m.proposal.name for m in members), key=lambda n: (len(_numbers(n)) > 0, len(n.split())))
            key = parties.key(name)
            if gi in self._article_of:
                key = f"{key}@{self._article_of[gi]}"
            self._names[gi] = (key, name)
        return self._names[gi]

    def proposals(self) -> list[dict]:
        out = []
        for gi, (_, members) in enumerate(self._groups):
            key, name = self._key_and_name(gi)
            by = next((m.proposal.proposed_by for m in members if m.proposal.proposed_by), None)
            out.append({"key": key, "name": name, "kind": members[0].proposal.kind,
                        "proposed_by": by, "articles": len({m.article for m in members})})
        return out


def group_positions(items: Iterable[SourcedPosition], registry: ProposalRegistry | None = None, *,
                    canonical: Callable[[str], str] | None = None, party: PartyOf | None = None) -> list[Position]:
    """One position per party (named by its entity, when the store has one) and proposal; its stance is the
    latest one stated."""
    party_of = party or unresolved(canonical)
    by: dict[tuple[str, str], list[SourcedPosition]] = {}
    names: dict[str, str] = {}
    for item in items:
        p = item.position
        key, display = registry.merged(item.article, p.proposal_key, p.proposal) if registry else (
            p.proposal_key, p.proposal)
        names[key] = display
        # One row per canonical name and proposal, as position ids are (entities of one name are one party here).
        by.setdefault((parties.key(party_of(item.article, p.party, p.source).name), key), []).append(item)
    out = []
    for group, members in by.items():
        key = group[1]
        members.sort(key=lambda s: (s.position.said_on or s.published or "", s.article, s.position.span.start))
        stances = tuple(s.position.stance for s in members)
        evidence = tuple(Evidence(s.article, s.position.span, s.position.text, s.position.said_on or s.published,
                                  s.outlet) for s in members)
        first = party_of(members[0].article, members[0].position.party, members[0].position.source)
        out.append(Position(first.name, names[key], stances[-1], evidence, stances, first.id, key))
    out.sort(key=lambda p: (p.proposal, p.party))
    return out


def position_id(party: str, proposal_key: str) -> str:
    return hashlib.sha256(f"{parties.key(party)}|{proposal_key}".encode("utf-8")).hexdigest()[:16]

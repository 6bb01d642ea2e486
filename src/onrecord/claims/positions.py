"""Positions: where each party stands on each proposal, with the sentence that says so.

Stances are read from the predicates around a proposal's mentions:

    "Putin stated that the amendments ... were unacceptable"        reject       (judgement in a statement)
    "a proposal long opposed by Russia and dismissed by Trump"      oppose, reject (participles with agents)
    "urging the US to revise its draft peace agreement"             seek revision
    "the Kremlin agrees with certain points … but criticized some"  mixed        (both, or criticism of a few parts)
    "had proposed an alternative document to the 28-point plan"     counter-proposal
    "his country's demand for ... security guarantees, such as NATO membership"   support

The party is the predicate's subject or agent when it names one, otherwise the
speaker of the statement the predicate sits in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from spacy.tokens import Doc, Token

from ..nlp.rules import stands_for_a_clause, subject_child
from ..nlp.datelines import after_dateline
from ..records import Span
from . import parties
from .proposals import (
    ALTERNATIVE_WORDS, PART_NOUNS, PROPOSE_VERBS, ProposalIndex, _Proposal, abstract, counter_noun,
)
from .records import PositionMention, Stance
from .stances import (group_noun, hypothetical, members_body, not_put_forward, qualified_support, reservation,
                      retreat, unnamed_group)
from .words import WORDS

SUPPORT_NOUNS = frozenset("support backing endorsement demand call acceptance approval welcome".split())
OPPOSE_NOUNS = frozenset("opposition objection objections criticism doubts doubt reservations concerns".split())
REJECT_NOUNS = frozenset("rejection dismissal refusal veto".split())
REVISION_NOUNS = frozenset("change changes revision revisions amendment amendments modification modifications".split())
ASKING_VERBS = frozenset("urge ask call press push want demand request seek insist".split())
_OTHERS_OWNING = frozenset({"his", "her", "their"})  # a stance noun's owner who need not be the verb's subject
# Stances ranked for combining several predicates of one party on one proposal in one article.
_RANK = {Stance.COUNTER_PROPOSAL: 6, Stance.MIXED: 5, Stance.SEEK_REVISION: 4, Stance.REJECT: 3,
         Stance.OPPOSE: 2, Stance.SUPPORT: 1}


class Part(Enum):
    """How much of a proposal a phrase names: all of it, a few of its parts ("some clauses of"), or its parts
    with no limit ("various aspects of")."""

    WHOLE = "whole"
    SOME = "some"
    PARTS = "parts"


@dataclass
class _Found:
    party: str
    proposal: _Proposal
    stance: Stance
    start: int  # char span of the evidence
    end: int
    cue: str
    part: Part = Part.WHOLE  # the judgement is about part of the proposal ("some clauses of")


def _verb_stance(lemma: str) -> Stance | None:
    if lemma in WORDS.reject:
        return Stance.REJECT
    if lemma in WORDS.oppose:
        return Stance.OPPOSE
    if lemma in WORDS.support or lemma == "agree":
        return Stance.SUPPORT
    if lemma in WORDS.revise:
        return Stance.SEEK_REVISION
    return None


def _negate(stance: Stance) -> Stance:
    return {Stance.SUPPORT: Stance.OPPOSE, Stance.OPPOSE: Stance.SUPPORT, Stance.REJECT: Stance.SUPPORT}.get(
        stance, stance)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or (c.lower_ == "never" and c.dep_ in ("neg", "advmod")) for c in tok.children)


class PositionFinder:
    """Finds stances on the proposals of one article."""

    def __init__(self, doc: Doc, proposals: ProposalIndex, voices: list, full_name=None, names=None) -> None:
        self.doc = doc
        self.proposals = proposals
        self.voices = voices  # detect._Voice, in reading order
        self.full_name = full_name  # 'Trump' → 'Donald Trump' (ArticleClaimFinder.full_name)
        self.names = names  # statements.Names: 'the party' → the party the article named before

    # --- who -----------------------------------------------------------------------
    def _speaker_at(self, tok: Token) -> str | None:
        """The party whose statement contains ``tok``, or whose cue it is."""
        for v in self.voices:
            if v.cue.i == tok.i and v.party:
                return v.party
        best = None
        for v in self.voices:
            if v.party and any(t.i == tok.i for t in v.content):
                if best is None or len(v.content) < len(best.content):
                    best = v
        return best.party if best else None

    def _party(self, np: Token | None, at: Token) -> str | None:
        if np is not None and group_noun(np):
            body = members_body(np)
            if body is not None:
                return self._party(body, at)  # "Leaders of Ecuador's largest banana workers' federation"
            return unnamed_group(np)  # "Business groups", "residents of Luderitz"; "some members" are nobody named
        if np is not None and np.lower_ not in parties.PRONOUNS and np.lower_ not in ("country",):
            if np.ent_type_ == "PERSON":
                surname = np.text
                for v in self.voices:
                    if v.party and v.party.split()[-1] == surname:
                        return v.party
                if self.full_name is not None and self.full_name(surname) != surname:
                    return self.full_name(surname)
                # "Basra governor Nawaf Kadhim al-Tamimi welcomed": the name, not the title (a name of one word,
                # "Kyiv" typed a person, goes on to the speaker who speaks for it, below)
                named = self.names.of_token(np) if self.names is not None and sum(
                    t.ent_type_ == "PERSON" for t in np.subtree) > 1 else None
                if named:
                    return named
            # "its spokesman, X, said ... He said the group liked ...": the body X speaks for, else the one named
            described = (self.names.body_spoken_for(np, self._speaker_at(at)) or self.names.organisation_before(np)) \
                if self.names is not None else None
            if described:
                return described  # "the party would back a proposal": the party the article named
            resolved = self._source_speaker(np, at) if np.pos_ == "NOUN" else None
            if resolved:
                return resolved  # "The British capital's new mayor ... rejected the offer": the one it describes
            start = after_dateline(self.doc, np.left_edge.i, np.right_edge.i + 1)
            text = self.doc[start : np.right_edge.i + 1].text
            # "NAIROBI, Sept 5 (AP) - African leaders meeting in Nairobi called for": not the dateline's place
            if len(text.split()) > 8 and start <= np.i:
                text = np.text
            name = parties.party_name(text)
            if name:
                # "Melnyk said that Kyiv would seek changes": the speaker speaks for his own country
                speaker = self._speaker_at(at)
                if speaker and speaker != name and parties.side_of(name) == name and any(
                    v.party == speaker and v.side == name for v in self.voices
                ):
                    return speaker
                return name
        return self._speaker_at(at)

    def _source_speaker(self, np: Token, at: Token) -> str | None:
        """The named speaker the extractor resolved for the source ``np`` heads, where ``at`` is its cue."""
        for v in self.voices:
            if v.cue.i == at.i and v.party and any(s.start <= np.idx < s.end for s in v.att.source) \
                    and v.party[:1].isupper():
                return v.party
        return None

    def _parties(self, np: Token | None, at: Token) -> list[str]:
        """'Egypt and Saudi Arabia backed the plan': two parties when every conjunct is a name."""
        if np is not None and np.pos_ == "PROPN":
            conjuncts = [np] + [c for c in np.subtree if c.dep_ == "conj" and c.head.i in {np.i} | {
                x.i for x in np.subtree if x.dep_ == "conj"}]
            if len(conjuncts) > 1 and all(c.pos_ == "PROPN" for c in conjuncts):
                names = []
                for c in conjuncts:
                    left = min([c.i] + [x.i for x in c.lefts if x.dep_ == "compound"])
                    name = parties.party_name(self.doc[left : c.i + 1].text)
                    if name:
                        names.append(name)
                return names
        party = self._party(np, at)
        return [party] if party else []

    @staticmethod
    def _subject(tok: Token) -> Token | None:
        t = tok
        for _ in range(4):
            subject = subject_child(t)
            if subject is not None:
                return subject
            for c in t.children:
                if c.dep_ == "agent":
                    return next((g for g in c.children if g.dep_ == "pobj"), None)
            if t.dep_ in ("xcomp", "conj", "advcl") and t.head.i != t.i:
                t = t.head
            else:
                break
        return None

    # --- which proposal -----------------------------------------------------------------
    def _proposal_of(self, np: Token) -> tuple[_Proposal | None, Part]:
        """The proposal a noun phrase names, and how much of it."""
        prop = self.proposals.at(np)
        if prop is not None:
            return prop, Part.WHOLE
        if np.lemma_.lower() in PART_NOUNS or np.lower_ in PART_NOUNS:
            part = Part.SOME if any(c.lower_ in WORDS.limiting for c in np.children if c.i < np.i) else Part.PARTS
            of_something = False
            for c in np.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "in", "on"):
                    for g in c.children:
                        if g.dep_ == "pobj" and self.proposals.at(g) is not None:
                            return self.proposals.at(g), part
                    of_something = not any(g.dep_ == "pobj" and g.lemma_.lower() in WORDS.proposal_nouns
                                           and not abstract(g) for g in c.children)
                if c.dep_ == "poss" and c.lower_ in ("its",):
                    return self.proposals.salient(np.i), part
            # "a rare point of agreement", "the idea of a woman succeeding him": a part of something else
            return (None, Part.WHOLE) if of_something else (self.proposals.salient(np.i), part)
        if np.lower_ == "it" and stands_for_a_clause(np):
            return None, Part.WHOLE  # "said it was great to be home": no proposal
        if np.lower_ == "it" or np.lower_ == "which" and np.head.dep_ == "relcl":
            anchor = np.head.head if np.lower_ == "which" else None
            if anchor is not None and self.proposals.at(anchor) is not None:
                return self.proposals.at(anchor), Part.WHOLE
            return (self.proposals.salient(np.i), Part.WHOLE) if np.lower_ == "it" else (None, Part.WHOLE)
        return None, Part.WHOLE

    # --- reading ----------------------------------------------------------------------
    def find(self) -> list[_Found]:
        found: list[_Found] = []
        for tok in self.doc:
            found += self._at(tok)
        return found

    def _evidence(self, a: Token, b: Token) -> tuple[int, int]:
        lo, hi = min(a.i, b.i), max(a.i, b.i)
        start = self.doc[lo].idx
        end = self.doc[hi].idx + len(self.doc[hi])
        return start, end

    def _args(self, verb: Token) -> list[Token]:
        """The objects of a stance verb: "rejected the plan", "agrees with certain points", "open to"."""
        args = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        for c in verb.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in ("with", "to", "on", "against", "for", "of"):
                args += [g for g in c.children if g.dep_ == "pobj"]
        for a in list(args):
            args += [c for c in a.children if c.dep_ == "conj"]
        return args

    def _at(self, tok: Token) -> list[_Found]:
        """Positions stated at ``tok``: by a stance verb, a judging adjective or a stance noun."""
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            return self._at_verb(tok, lemma)
        if tok.pos_ == "ADJ" and (lemma in WORDS.negative or
                                  lemma in WORDS.positive):
            return self._at_adjective(tok, lemma)
        if tok.pos_ == "NOUN" and (lemma in SUPPORT_NOUNS | OPPOSE_NOUNS | REJECT_NOUNS | REVISION_NOUNS
                                   or tok.lower_ in OPPOSE_NOUNS | REVISION_NOUNS):
            return self._at_noun(tok, lemma)
        return []

    def _at_verb(self, tok: Token, lemma: str) -> list[_Found]:
        """A stance verb with a proposal among its arguments ("rejected the plan", "a plan opposed by X")."""
        out: list[_Found] = []
        stance = _verb_stance(lemma)
        if lemma in PROPOSE_VERBS:
            out += self._counter(tok)
        if stance is None or hypothetical(tok) or retreat(tok) or not_put_forward(tok):
            return out  # "if you supported the deal", "backed away from the plan", "would not seek a recount"
            # take no position
        if tok.dep_ == "amod" or any(c.dep_ == "npadvmod" for c in tok.children):
            return out  # "a US-supported plan" describes the plan; it is not a statement
        # "asked Kyiv to revise the plan": the one who asks seeks the revision
        asker = None
        if stance is Stance.SEEK_REVISION and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ASKING_VERBS:
            asker = tok.head
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        agent = any(c.dep_ == "agent" for c in tok.children)
        for arg in self._args(tok):
            prop, part = self._proposal_of(arg)
            if prop is None:
                continue
            if passive and not agent and tok.dep_ != "acl":
                continue  # "the plan wasn't approved" reports an outcome, not somebody's stance
            if part is not Part.WHOLE and tok.lemma_.lower() in ASKING_VERBS:
                continue  # "demand more details" of a plan is neither for nor against it
            if stance is Stance.SEEK_REVISION and asker is None and tok.dep_ != "xcomp":
                continue  # "the plan has been refined" is news, not a stance
            s = _negate(stance) if _negated(tok) else stance
            if s is Stance.SUPPORT:
                s = qualified_support(tok)  # "would back the draft if the minimum release were raised"
            if tok.dep_ == "acl":  # "a proposal long opposed by Russia"
                agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children
                              if g.dep_ == "pobj"), None)
                if agent is None and tok.dep_ == "acl":
                    continue
                subj = agent
            else:
                subj = self._subject(asker or tok)
                if passive and agent and subj is not None and not _may_take_a_stance(subj):
                    continue  # "it is not supported by our logs": logs hold no position
            for party in self._parties(subj, tok):
                out.append(_Found(party, prop, s, *self._evidence(asker or tok, arg), tok.text, part))
        if tok.dep_ == "acl" or (tok.dep_ == "conj" and tok.head.dep_ == "acl"):
            # "a proposal long opposed by Russia and dismissed by Trump": the noun is up the chain
            noun = tok.head if tok.dep_ == "acl" else tok.head.head
            prop, part = self._proposal_of(noun)
            agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"),
                         None)
            if prop is not None and agent is not None and not any(f.proposal is prop for f in out):
                party = self._party(agent, tok)
                if party:
                    s = _negate(stance) if _negated(tok) else stance
                    out.append(_Found(party, prop, s, *self._evidence(tok, agent), tok.text, part))
        return out

    def _at_adjective(self, tok: Token, lemma: str) -> list[_Found]:
        """A judging adjective: "the amendments were unacceptable", "open to" a proposal."""
        out: list[_Found] = []
        negative = lemma in WORDS.negative
        head = tok.head if tok.dep_ in ("acomp", "oprd", "amod", "attr") else tok
        subjects = []
        if tok.dep_ == "acomp":
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if lemma == "open":
            # "which the Kremlin had previously suggested it was open to": support by the one who is open
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "to":
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if not objs:
                        rel = next((t for t in head.head.subtree if t.lower_ == "which"), None) if head.dep_ == "ccomp" else None
                        objs = [rel] if rel is not None else []
                    for o in objs:
                        prop, part = self._proposal_of(o)
                        if prop is not None:
                            subj = subject_child(head, ("nsubj",))
                            party = self._party(subj if subj is not None and subj.lower_ not in parties.PRONOUNS
                                                else None, tok)
                            if party:
                                # "was open to the draft but wanted changes to its timelines"
                                stance = reservation(head) or Stance.SUPPORT
                                out.append(_Found(party, prop, stance, *self._evidence(o, tok), tok.text))
            return out
        for subj in subjects:
            prop, part = self._proposal_of(subj)
            if prop is None:
                continue
            stance = Stance.REJECT if negative else Stance.SUPPORT
            if _negated(head):
                stance = _negate(stance)
            party = self._speaker_at(tok)
            if party:
                out.append(_Found(party, prop, stance, *self._evidence(subj, tok), tok.text, part))
        return out

    def _at_noun(self, tok: Token, lemma: str) -> list[_Found]:
        """A stance noun: "demand for", "opposition to", "rejection of", "changes to"."""
        out: list[_Found] = []
        if self.proposals.at(tok) is not None:
            return out  # "amendments" that are themselves a proposal
        stance = (Stance.SUPPORT if lemma in SUPPORT_NOUNS else Stance.REJECT if lemma in REJECT_NOUNS
                  else Stance.SEEK_REVISION if lemma in REVISION_NOUNS or tok.lower_ in REVISION_NOUNS
                  else Stance.OPPOSE)
        if stance is Stance.SEEK_REVISION and not (tok.dep_ in ("dobj", "pobj") and tok.head.lemma_.lower() in
                                                   ASKING_VERBS | {"for", "make"}):
            return out
        objs = []
        preps = list(tok.children)
        if tok.dep_ == "dobj":
            # "demand for X and for Y": parsers often hang the second "for" on the verb
            preps += [c for c in tok.head.children if c.dep_ == "conj" and c.pos_ == "ADP" and c.i > tok.i]
        for c in preps:
            if c.dep_ in ("prep", "conj") and c.lower_ in ("for", "to", "of", "about", "on", "over", "with"):
                for t in c.subtree:
                    if self.proposals.at(t) is not None or (t.dep_ == "pobj" and t.head.i == c.i):
                        objs.append(t)
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        for o in objs:
            prop, part = self._proposal_of(o)
            if prop is None:
                continue
            if owner is not None and owner.lower_ not in parties.PRONOUNS and owner.lower_ != "country":
                party = self._party(owner, tok)
            elif owner is not None and owner.lower_ in _OTHERS_OWNING:
                continue  # "Critics questioned his support for the bill": his, not the critics'
            else:
                verb = tok.head if tok.head.pos_ == "VERB" else tok.head.head
                party = self._party(self._subject(verb), tok) if verb.pos_ in ("VERB", "AUX") else None
                party = party or self._speaker_at(tok)
            if party:
                out.append(_Found(party, prop, stance, *self._evidence(tok, o), tok.text, part))
        return out

    def _counter(self, verb: Token) -> list[_Found]:
        """ "proposed an alternative document to the 28-point plan", "put forward its own proposal"."""
        if verb.lemma_.lower() == "put" and not any(c.lower_ == "forward" for c in verb.children):
            return []
        obj = next((counter_noun(c) for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            return []
        own = self.proposals.at(obj)
        if own is None or not (own.kind == "alternative" or any(c.lower_ in ALTERNATIVE_WORDS for c in obj.children)
                               or any(c.lower_ == "instead" for c in verb.children)):
            return []
        answered = None
        for c in [*obj.children, *verb.children]:
            if c.dep_ == "prep" and c.lower_ in ("to", "for"):
                for g in c.children:
                    if g.dep_ == "pobj" and self.proposals.at(g) is not None:
                        answered = self.proposals.at(g)
        if answered is None:
            answered = self.proposals.main_plan(exclude=own)
        if answered is None or answered is own:
            return []
        party = self._party(self._subject(verb), verb)
        if not party:
            return []
        end_tok = obj.right_edge
        return [_Found(party, answered, Stance.COUNTER_PROPOSAL, *self._evidence(verb, end_tok), verb.text)]


def _may_take_a_stance(tok: Token) -> bool:
    """Can the agent of a stance verb hold a position: not a source of evidence ("supported by our logs",
    "backed by data"), which only says what is so ("applauded by Wall Street critics" is a stance)?"""
    return tok.pos_ != "NOUN" or tok.lemma_.lower() not in WORDS.evidence_sources


def combine(found: list[_Found]) -> list[_Found]:
    """One stance per party and proposal in an article: both ways, or criticism of a few of its parts, is mixed."""
    by: dict[tuple[str, int], list[_Found]] = {}
    for f in found:
        by.setdefault((parties.key(f.party), id(f.proposal)), []).append(f)
    out = []
    for items in by.values():
        stances = {f.stance for f in items}
        positive = Stance.SUPPORT in stances
        negative = bool(stances & {Stance.OPPOSE, Stance.REJECT})
        # Criticism of a few of its parts ("reservations about some clauses") leaves the rest standing: mixed.
        # Criticism of its parts with no limit ("criticized various aspects of") is opposition.
        some_negative = any(f.part is Part.SOME and f.stance in (Stance.OPPOSE, Stance.REJECT) for f in items)
        if Stance.COUNTER_PROPOSAL in stances:
            stance = Stance.COUNTER_PROPOSAL
        elif positive and negative or some_negative:
            stance = Stance.MIXED
        elif Stance.SEEK_REVISION in stances:
            stance = Stance.SEEK_REVISION
        else:
            stance = max(stances, key=lambda s: _RANK[s])
        first = min(items, key=lambda f: f.start)
        last = max(items, key=lambda f: f.end)
        out.append(_Found(first.party, first.proposal, stance, first.start, max(last.end, first.end), first.cue))
    return sorted(out, key=lambda f: f.start)


def find_positions(doc: Doc, proposals: ProposalIndex, voices: list, *, said_on: str | None = None,
                   full_name=None, names=None) -> list[PositionMention]:
    finder = PositionFinder(doc, proposals, voices, full_name, names)
    out = []
    for f in combine(finder.find()):
        span = Span(f.start, f.end)
        out.append(PositionMention(f.party, proposals.name(f.proposal), proposals.key(f.proposal), f.stance, span,
                                   doc.text[f.start:f.end], f.cue, said_on))
    return out

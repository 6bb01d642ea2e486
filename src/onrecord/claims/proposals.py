"""Proposals as entities of an article: which plan "the proposal", "this plan" and "it" mean.

A news story about negotiations usually has one main plan, named in full once
or twice ("the US-supported 28-point plan") and otherwise called "the proposal",
"the draft", "this plan".  Other proposals stand out by their words: amendments
to it, an alternative or counter-proposal, membership of an alliance.  The index
groups an article's mentions into proposals and names each by its most specific
mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..nlp.rules import subject_child
from ..records import Span
from . import parties
from .records import ProposalMention
from .words import WORDS

VERSION_NOUNS = frozenset("text version paper draft proposal".split())
ALTERNATIVE_WORDS = frozenset("alternative counter rival own competing separate parallel".split())
PART_NOUNS = frozenset(
    "aspect aspects element elements part parts point points provision provisions section sections clause "
    "clauses detail details term terms goal goals idea ideas article articles paragraph paragraphs".split()
)
# Modifiers that say nothing about which plan is meant.
GENERIC_MODIFIERS = frozenset(
    "draft peace revised new current latest proposed final finalized finalised initial original whole entire "
    "comprehensive overall amended updated same this that its their his her the a an".split()
)
# Heads that, with nothing distinguishing, mean the plan the story is about.
GENERIC_HEADS = frozenset("plan proposal proposals draft deal agreement document framework initiative text".split())
PROPOSE_VERBS = frozenset("propose present submit offer table unveil draft suggest circulate outline put".split())
_NUMBER = re.compile(r"\d")


@dataclass
class _Proposal:
    kind: str
    tokens: list[int] = field(default_factory=list)  # head tokens of its mentions
    name: str = ""
    score: int = -1
    number: str | None = None
    proposed_by: str | None = None
    heads: set[str] = field(default_factory=set)  # head nouns of its mentions: plan, proposal, framework
    words: set[str] = field(default_factory=set)  # distinguishing modifiers seen: grain, corridor, ceasefire


def _kind(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma == "membership":
        return "membership"
    if lemma == "amendment":
        return "amendment"
    if lemma in ("counterproposal", "counter-proposal") or _after_counter(tok) or any(
        c.lower_ in ALTERNATIVE_WORDS for c in tok.children if c.dep_ in ("amod", "compound")
    ):
        return "alternative"
    return "plan"


def _after_counter(tok: Token) -> bool:
    """'counter-proposal', 'counter-offer' as the tokenizer splits them ("counter", "-", "proposal"), which the
    parser then reads as three words of their own."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "counter"


def counter_noun(tok: Token) -> Token:
    """The noun of a split 'counter-proposal' when ``tok`` is its "counter", else ``tok``."""
    doc = tok.doc
    if tok.lower_ == "counter" and tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-":
        return doc[tok.i + 2]
    return tok


def abstract(tok: Token) -> bool:
    """A bare singular noun after "of" or "in", with no word of its own ("a point of agreement", "in agreement
    with"): the state, not a text anyone proposed."""
    return (tok.tag_ == "NN" and tok.dep_ == "pobj" and tok.head.lower_ in ("of", "in")
            and not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod", "nmod") for c in tok.children))


def papers(tok: Token) -> bool:
    """"internal documents", "campaign finance documents": a plural that names papers, not a proposal."""
    return tok.tag_ in ("NNS", "NNPS") and tok.lemma_.lower() in WORDS.singular_only


def _supposed(tok: Token) -> bool:
    """A plan named with "a" in a clause of condition ("strike unless the ministry returned with a better
    proposal"): a plan supposed, which "the plan" after it does not mean."""
    if not any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children):
        return False
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)


def _number(tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nummod"):
            for t in c.subtree:
                if _NUMBER.search(t.text):
                    return t.text
    return None


class ProposalIndex:
    """The proposals one article talks about, with every mention resolved to one of them."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.proposals: list[_Proposal] = []
        self.by_token: dict[int, _Proposal] = {}
        for tok in doc:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":  # "peace agreement talks"
                continue
            lemma = tok.lemma_.lower()
            if lemma not in WORDS.plan_nouns and not (
                # "an alternative text", "its own version"
                lemma in VERSION_NOUNS and any(c.lower_ in ALTERNATIVE_WORDS for c in tok.children)
            ):
                continue
            if lemma == "resolution" and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "the resolution of the conflict" is an outcome, not a text
            if papers(tok):
                continue  # "internal documents": papers, not a text put forward
            if _supposed(tok):
                continue  # "unless the ministry returns with a better proposal": not one on the table
            if abstract(tok):
                continue  # "a rare point of agreement between the parties": concord, not a text
            self._add(tok)

    def _add(self, tok: Token) -> None:
        kind = _kind(tok)
        # "NATO membership – a proposal long opposed by Russia": the apposition names it.
        if tok.dep_ == "appos" and tok.head.i in self.by_token:
            self._attach(self.by_token[tok.head.i], tok)
            return
        name, score = self._name(tok, kind)
        number = _number(tok)
        target = None
        if kind == "plan":
            plans = [p for p in self.proposals if p.kind == "plan"]
            head = tok.lemma_.lower()
            specific = self._specific(tok)
            if number:
                target = next((p for p in plans if p.number == number), None)
                if target is None:
                    target = next((p for p in reversed(plans) if p.number is None
                                   and (not specific or specific & p.words or head in p.heads)), None)
            elif specific:
                # "a permanent truce" is new unless a plan with those words was named before
                target = next((p for p in reversed(plans) if specific <= p.words or (p.words and p.words <= specific
                                                                                     and head in p.heads)), None)
            elif head in GENERIC_HEADS:
                # "the plan", "this proposal", "its draft agreement": the last plan called so, else the last one
                # ("Unions rejected the initiative" after "the initiative ... would end the bilateral treaties")
                target = next((p for p in reversed(plans) if head in p.heads), plans[-1] if plans else None)
            else:
                target = next((p for p in reversed(plans) if head in p.heads), None)  # "the draft resolution"
        elif kind == "membership":
            target = next((p for p in self.proposals if p.kind == kind and parties.key(p.name) == parties.key(name)),
                          None)
        if target is None:
            target = _Proposal(kind)
            self.proposals.append(target)
        if number and target.number is None:
            target.number = number
        target.heads.add(tok.lemma_.lower())
        target.words |= self._specific(tok)
        self._attach(target, tok, name, score)

    @staticmethod
    def _specific(tok: Token) -> set[str]:
        """The words that tell this proposal from another: 'permanent', 'grain', 'corridor' (not 'draft', 'US')."""
        words = set()
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "nummod"):
                for t in c.subtree:
                    low = t.lower_
                    if (t.is_punct or low in GENERIC_MODIFIERS or t.ent_type_ in ("GPE", "NORP")
                            or t.lemma_.lower() in ("support", "back", "propose", "sponsor", "broker")
                            or _NUMBER.search(low) or low == "point"):
                        continue
                    words.add(t.lemma_.lower())
        return words

    def _attach(self, prop: _Proposal, tok: Token, name: str | None = None, score: int = -1) -> None:
        prop.tokens.append(tok.i)
        self.by_token[tok.i] = prop
        if name and score > prop.score:
            prop.name, prop.score = name, score
        by = self._proposer(tok)
        if by and not prop.proposed_by:
            prop.proposed_by = by

    def _name(self, tok: Token, kind: str) -> tuple[str, int]:
        doc = self.doc
        if kind == "amendment":
            # the whole phrase: "amendments suggested by Kyiv and European nations to a US-supported draft plan"
            end = tok.right_edge.i + 1
            words = [t for t in doc[tok.i:end] if not t.is_space]
            while words and (words[-1].is_punct or words[-1].dep_ in ("cc",)):
                words.pop()
            return "".join(t.text_with_ws for t in words[:16]).strip(), 2 + len(words)
        left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nummod", "npadvmod", "nmod")]
        start = min((c.left_edge.i for c in left), default=tok.i)
        words = [t for t in doc[start : tok.i + 1] if t.dep_ not in ("det", "poss", "case") and not t.is_space]
        specific = [t for t in words[:-1] if t.lower_ not in GENERIC_MODIFIERS and not t.is_punct]
        name = "".join(t.text_with_ws for t in words).strip()
        if kind == "membership":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("for", "in", "of"):
                    name = f"{name} {c.text} {''.join(t.text_with_ws for t in list(c.subtree)[1:]).strip()}"
        score = 2 * len(specific) + (2 if any(_NUMBER.search(t.text) for t in words) else 0)
        return name, score

    def _proposer(self, tok: Token) -> str | None:
        doc = self.doc
        for c in tok.children:
            if c.dep_ == "acl" and c.lemma_.lower() in PROPOSE_VERBS | {"support", "back"}:
                for g in c.children:
                    if g.dep_ == "agent":
                        pobj = next((x for x in g.children if x.dep_ == "pobj"), None)
                        if pobj is not None:
                            return parties.party_name(doc[pobj.left_edge.i : pobj.right_edge.i + 1].text)
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in PROPOSE_VERBS:
            subj = subject_child(tok.head, ("nsubj",))
            if subj is not None:
                return parties.party_name(doc[subj.left_edge.i : subj.right_edge.i + 1].text)
        return None

    # --- lookups -------------------------------------------------------------------
    def at(self, tok: Token) -> _Proposal | None:
        return self.by_token.get(tok.i)

    def salient(self, before: int, *, exclude: _Proposal | None = None) -> _Proposal | None:
        """The proposal mentioned last before token ``before`` (the article's main plan if none)."""
        best = None
        for i in sorted(self.by_token):
            if i >= before:
                break
            if self.by_token[i] is not exclude:
                best = self.by_token[i]
        if best is None:
            plans = [p for p in self.proposals if p.kind == "plan" and p is not exclude]
            best = plans[0] if plans else None
        return best

    def main_plan(self, *, exclude: _Proposal | None = None) -> _Proposal | None:
        plans = [p for p in self.proposals if p.kind == "plan" and p is not exclude]
        return max(plans, key=lambda p: (len(p.tokens), p.score)) if plans else None

    def name(self, prop: _Proposal) -> str:
        return prop.name or self.doc[prop.tokens[0]].text

    def key(self, prop: _Proposal) -> str:
        return parties.key(self.name(prop))

    def documents(self) -> dict[int, str]:
        """Token index → proposal name, for claims about who wrote which document."""
        return {i: self.name(p) for i, p in self.by_token.items()}

    def records(self) -> list[ProposalMention]:
        out = []
        for p in self.proposals:
            spans = []
            for i in p.tokens:
                t = self.doc[i]
                spans.append(Span(t.idx, t.idx + len(t)))
            out.append(ProposalMention(self.name(p), self.key(p), tuple(spans), p.proposed_by, p.kind))
        return out

"""Which organisation a definite description means: "the company", "the club", "the union".

A story names an organisation once ("second-tier club Stockport Rovers", "Vantor Energy, the state oil company")
and then calls it by a common noun. Two kinds of noun are read differently:

- a word for any organisation (``names/data/organisation_nouns.txt``: "the company", "the group") means the
  organisation named last before it, or the last one whose name holds the word;
- another noun ("the club", "the union", "the retailer") means an organisation only if one was described by that
  noun where it was named, or holds it in a name of two words or more ("the board" → "Illinois Board of
  Elections"); otherwise it means none ("the research" is not the Potsdam Institute for Climate Impact Research).

The speaker resolver (:mod:`.speakers`) and the claims step's names (``claims/statements.Names``) both ask here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..names import lexicons
from .ranges import Latest

# Nouns that end names of bodies ("Workers World Party", "Ostby Dockworkers Union") or head them ("the ministry").
_NAME_WORDS = lexicons.ORGANISATION_NAME_WORDS | lexicons.INSTITUTION_HEADS
_MODIFIERS = frozenset({"amod", "compound", "nmod"})
# the nouns that make a name the tagger typed a person a body: not a person's institution ("a security guard",
# "a federal prosecutor") or an abbreviation ("co" of "co-author")
_PERSON_TYPED_BODY_NOUNS = (lexicons.ORGANISATION_NAME_WORDS | lexicons.ORGANISATION_NOUNS) - frozenset(
    "co corp inc llc ltd plc".split())


class Organisations:
    """The organisations one article names, in order, for the descriptions that follow them."""

    def __init__(self, orgs: Sequence[SpacySpan]) -> None:
        # a headline the tagger took for one name ("Suspect Named By Police") names no organisation
        self.orgs = [e for e in orgs if not any(t.pos_ == "VERB" for t in e)]
        self._ends = [e.end for e in self.orgs]
        self._by_name = Latest(self.orgs, lambda e: e.end, lambda e: e.text.lower().split())
        # per organisation, read once: the nouns it is described by, and the words of its name
        self._described = [described_by(e) for e in self.orgs]
        self._named = [{t.lemma_.lower() for t in e} | {t.lower_ for t in e} for e in self.orgs]

    def described(self, head: Token) -> SpacySpan | None:
        """The organisation the description headed by ``head`` ("the club") means, or None."""
        noun = head.lemma_.lower()
        if noun in lexicons.ORGANISATION_NOUNS:
            return self._by_name.before(head.i, noun)
        if any(t.i > head.i and not t.is_punct and t.dep_ != "case" for t in head.subtree):
            return None  # "the website fivethirtyeight": a name follows, the noun describes that
        modifiers = {t.lower_ for t in head.lefts if t.dep_ in _MODIFIERS}
        for k in range(bisect_right(self._ends, head.i) - 1, -1, -1):
            org, named = self.orgs[k], self._named[k]
            words = self._described[k] | named if noun in _NAME_WORDS and len(org) > 1 else self._described[k]
            # "the online retail giant" is not "the oil giant Exxon Mobil"
            if noun in words and modifiers <= words | named:
                return org
        return None


def described_by(org: SpacySpan) -> set[str]:
    """The common nouns an organisation is described by where it is named: "club" in "second-tier club Stockport
    Rovers", "operator" in "PKP Intercity, the state operator,", "airline" in "the airline, Nordic Air,". A
    document ("the statement") is not one."""
    doc = org.doc
    found = []
    if org.start and _descriptive(doc[org.start - 1]):
        found.append(doc[org.start - 1])
    root = org.root
    if root.dep_ == "appos" and _descriptive(root.head) and _set_off(org[-1]) and org.start >= 2 \
            and doc[org.start - 2].i == root.head.i:
        found.append(root.head)  # "the airline, Nordic Air, said"
    found += [c for c in root.children if c.dep_ == "appos" and _descriptive(c) and _set_off(c.right_edge)
              and c.left_edge.i == org.end + 1 and doc[org.end].text == ","]  # "Qorva, the Dutch search group,"
    return {t.lemma_.lower() for t in found} - lexicons.DOCUMENT_NOUNS


def described_as_body(ent: SpacySpan) -> bool:
    """Is a name the tagger typed a person one the article describes as a body where it names it ("Qorva, the
    Dutch search and advertising group," — that mention perhaps typed otherwise)? Then it is an organisation."""
    return ent.label_ == "PERSON" and ent.text in _bodies(ent.doc) and ent[0].lower_ not in lexicons.GIVEN_NAME_GENDER


def _bodies(doc: Doc) -> frozenset[str]:
    """The names the article describes by a word for a body, read once per Doc."""
    found = _BODIES.get(doc)
    if found is None:
        found = _BODIES[doc] = frozenset(e.text for e in doc.ents if described_by(e) & _PERSON_TYPED_BODY_NOUNS)
    return found


_BODIES: WeakKeyDictionary[Doc, frozenset[str]] = WeakKeyDictionary()


def _set_off(last: Token) -> bool:
    """Does an apposition end where its punctuation closes it ("Vantor Energy, the state oil company, said")?
    One the parser made of a clause's subject does not ("the Republican Convention, a new poll shows")."""
    doc = last.doc
    return last.i + 1 >= len(doc) or doc[last.i + 1].is_punct


def _descriptive(tok: Token) -> bool:
    """A singular common noun written as a description, with words of its own ("second-tier club", "the state
    oil company"), not a bare word of a name ("state" in "the state Senate") or part of a longer one ("the New
    Hampshire state Senate")."""
    lefts = list(tok.lefts)
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and not any(c.pos_ == "PROPN" and c.dep_ == "compound" for c in lefts) and any(
        c.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod") for c in tok.children)

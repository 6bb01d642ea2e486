"""Places an article talks about, and what "the city", "the area", "it" and "which" refer to.

Claims about control name their place once and then say "the town", "the
region", "it".  The index keeps the article's place mentions in reading order,
named and referring ones alike, and resolves a reference to the latest mention
that fits ("the town" skips "the Donetsk region" and finds "Zarichne").

Small NER models miss or mislabel front-line towns, so besides GPE/LOC/FAC
entities a proper noun counts as a place when the sentence says so: "the city
of Kupyans", "the Donetsk region", "fighting in Zarichne", "having taken
Zarichne", "Zarichne remains under our control".  A name once known as a place
is a place everywhere in the article.  Countries, capitals and seats of
government are left out: in news they are parties ("Moscow said"), not
disputed ground.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..nlp import gazetteer

SETTLEMENT_NOUNS = frozenset(
    "city town village settlement port capital hamlet suburb municipality stronghold hub".split()
)
AREA_NOUNS = frozenset("region oblast district province area territory enclave peninsula island county outskirts".split())
PLACE_NOUNS = SETTLEMENT_NOUNS | AREA_NOUNS
# Place nouns that belong to the name: "the Donetsk region", "Kherson oblast".
NAMED_AREA_NOUNS = frozenset("region oblast province district county".split())
LOCATIVE_PREPS = frozenset("in near outside around into from over at inside towards toward across".split())
TEMPORAL_PREPS = frozenset("after before since during until following".split())
# Verbs whose object (or passive subject) is ground someone takes or holds.
GROUND_VERBS = frozenset(
    "capture seize take liberate occupy overrun conquer retake recapture storm annex control hold defend "
    "abandon cede lose surrender encircle enter besiege".split()
)
# Verbs only ground is the object of.
CONQUEST_VERBS = frozenset("capture seize liberate occupy overrun conquer retake recapture storm annex encircle "
                           "besiege".split())
ANAPHORS = frozenset("it there".split())
RELATIVES = frozenset("which that where".split())
_NOT_PLACES = frozenset("europe asia africa america west east north south".split())
# How many characters back "the city" may reach for its name.
REACH = 1500


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    start: int  # token indices [start, end) of this mention
    end: int
    type: str | None = None  # "settlement", "area" or None (not said)


def _is_party_name(text: str) -> bool:
    low = text.lower().removeprefix("the ")
    return (
        low in _NOT_PLACES
        or gazetteer.country_of(text) is not None
        or low in gazetteer.SEAT_TO_COUNTRY
        or text.strip() in gazetteer.ACRONYMS
    )


def _noun_type(lemma: str) -> str | None:
    return "settlement" if lemma in SETTLEMENT_NOUNS else "area" if lemma in AREA_NOUNS else None


def _proper_run(tok: Token) -> tuple[int, int]:
    """The run of proper nouns ending at ``tok`` ("Bilyi Kamin", "Velyka Novosilka")."""
    doc = tok.doc
    i = tok.i
    while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].dep_ == "compound" and doc[i - 1].head.i >= tok.i - 3:
        i -= 1
    return i, tok.i + 1


class PlaceIndex:
    """The place mentions of one Doc in reading order, with reference resolution."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.mentions: list[Place] = []
        self._starts: list[int] = []
        self._by_token: dict[int, Place] = {}
        # Surnames of people the article names in full: "Marchenko" after "Oleksandr Marchenko" is no village.
        self._people = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
        # Names that speak ("Marchenko said") are people whatever else the parser thinks.
        self._speaking = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and e.root.dep_ == "nsubj"
                          and e.root.head.pos_ == "VERB" for t in e}
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC") and not _is_party_name(ent.text):
                toks = [t for t in ent if t.text not in ("’s", "'s") and t.lower_ != "the"]
                if not toks:
                    continue
                last = toks[-1]
                if last.dep_ == "compound" and last.head.lemma_.lower() in NAMED_AREA_NOUNS and last.head.i == last.i + 1:
                    self._add(toks[0].i, last.head.i + 1, "area")  # "the Kharkiv region" is a region
                else:
                    self._add(toks[0].i, last.i + 1, None)
        for tok in doc:
            if tok.i in self._by_token or tok.pos_ != "PROPN":
                continue
            head = tok.head
            start, end = _proper_run(tok)
            if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
                # "the city of Kupyans", "the border town of Vovchansk"
                self._add(start, end, _noun_type(head.head.lemma_.lower()))
            elif tok.dep_ == "compound" and head.lemma_.lower() in NAMED_AREA_NOUNS:
                # "the Donetsk region", "Kherson oblast"
                self._add(start, head.i + 1, "area")
            elif tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in GROUND_VERBS:
                # "having taken Zarichne", "Zarichne had been fully liberated"; only ground is captured,
                # so a small model's ORG label on a village name does not count against it
                self._add(start, end, None, require_unknown=True,
                          allow_org=head.lemma_.lower() in CONQUEST_VERBS, strong=True)
            elif tok.dep_ == "nsubj" and head.lemma_.lower() in ("fall", "remain", "be") and (
                head.lemma_.lower() == "fall" or any(c.lower_ == "under" for c in head.children)
            ):
                # "Zarichne had fallen", "Zarichne remains under our control"
                self._add(start, end, None, require_unknown=True, allow_org=True, strong=True)
            elif (tok.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS | {"for"} and tok.i > tok.sent.start
                  and (head.lower_ != "for" or head.head.lemma_.lower() in ("fighting", "fight", "battle"))
                  and tok.ent_type_ in ("", "GPE", "LOC", "FAC", "PERSON", "ORG")):
                # "fighting in Zarichne", "positions inside Zarichne", "fighting for Zarichne"; a one-word
                # ORG right after "in" ("a market in Kostiantynivka") is a mislabelled town, "at the Institute" not
                lone_org = (tok.ent_type_ == "ORG" and end - start == 1 and head.lower_ != "at"
                            and not any(c.dep_ == "det" for c in tok.children))
                if tok.ent_type_ != "ORG" or lone_org:
                    self._add(start, end, None, require_unknown=True, allow_org=lone_org)
        # A name known as a place is a place wherever it is written.
        names = {p.name for p in self.mentions}
        for tok in doc:
            if tok.pos_ == "PROPN" and tok.i not in self._by_token:
                start, end = _proper_run(tok)
                text = doc[start:end].text
                if text in names:
                    self._add(start, end, None)
        self._resolve_references()

    def _add(self, start: int, end: int, type_: str | None, *, require_unknown: bool = False,
             allow_org: bool = False, strong: bool = False) -> None:
        doc = self.doc
        refused = {"NORP", "DATE", "MONEY", "CARDINAL"} | (set() if allow_org else {"ORG"})
        if require_unknown and any(doc[k].ent_type_ in refused for k in range(start, end)):
            return
        # Small models call unfamiliar one-word names people; a full name seen elsewhere settles it.
        if require_unknown and any(doc[k].ent_type_ == "PERSON" for k in range(start, end)):
            # "Bilyi Kamin was under Russian control" says it is a place, unless that name also speaks.
            if strong and not any(doc[k].lower_ in self._speaking for k in range(start, end)):
                pass
            elif end - start > 1 or doc[start].lower_ in self._people:
                return
        name = doc[start:end].text.removesuffix("’s").removesuffix("'s").strip()
        if not name or _is_party_name(name) or any(i in self._by_token for i in range(start, end)):
            return
        known = next((p.type for p in self.mentions if p.name == name and p.type), None)
        self._insert(Place(name, start, end, type_ or known))

    def _insert(self, place: Place) -> None:
        pos = bisect.bisect(self._starts, place.start)
        self._starts.insert(pos, place.start)
        self.mentions.insert(pos, place)
        for i in range(place.start, place.end):
            self._by_token[i] = place

    def _resolve_references(self) -> None:
        """'the town', 'the area', 'the city's' in reading order, each to the latest fitting mention."""
        for tok in self.doc:
            lemma = tok.lemma_.lower()
            if tok.i in self._by_token or lemma not in PLACE_NOUNS:
                continue
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "the city of X" is named, "the outskirts of the city" resolves through "the city"
            definite = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that"))
                           for c in tok.children)
            if not definite:
                continue
            found = self.before(tok.i, _noun_type(lemma))
            if found is not None:
                self._insert(Place(found.name, tok.i, tok.i + 1, found.type))

    @property
    def places(self) -> list[Place]:
        """Named mentions only (for display and tests)."""
        return [p for p in self.mentions if self.doc[p.start].pos_ == "PROPN"]

    def at(self, tok: Token) -> Place | None:
        return self._by_token.get(tok.i)

    def before(self, i: int, type_: str | None = None) -> Place | None:
        """The latest place mention ending before token ``i`` that fits ``type_``, within reach."""
        pos = bisect.bisect_left(self._starts, i)
        for p in reversed(self.mentions[:pos]):
            if p.end > i:
                continue
            if self.doc[i].idx - self.doc[p.start].idx > REACH:
                return None
            # A town is not a region: "the town" skips "the Donetsk region".
            if type_ == "settlement" and p.type == "area":
                continue
            return p
        return None

    def resolve(self, tok: Token, *, allow_pronoun: bool = True) -> Place | None:
        """The place a token names or refers to, if any."""
        place = self.at(tok)
        if place is not None:
            return place
        low = tok.lower_
        lemma = tok.lemma_.lower()
        if lemma in PLACE_NOUNS:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = self.at(pobj) or (self.resolve(pobj) if pobj.lemma_.lower() in PLACE_NOUNS else None)
                            if found:
                                return found
            for child in tok.children:
                if child.dep_ == "compound" and self.at(child):
                    return self.at(child)
            return None
        if low in RELATIVES:
            # "the city of Kupyans, which Russia claimed to have captured": climb to the relative clause
            t = tok.head
            for _ in range(4):
                if t.dep_ == "relcl":
                    return self.resolve(t.head, allow_pronoun=False)
                if t.head.i == t.i:
                    break
                t = t.head
            return None
        if allow_pronoun and low in ANAPHORS:
            return self.before(tok.i)
        # "the northern portion of the city", "the western districts of Zarichne"
        if tok.pos_ == "NOUN":
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and (self.at(pobj) or pobj.lemma_.lower() in PLACE_NOUNS):
                            return self.resolve(pobj)
        return None

    def in_subtree(self, tok: Token, *, skip: set[int] | None = None, allow_pronoun: bool = True) -> Place | None:
        """The first place the phrase headed by ``tok`` names or refers to (breadth first)."""
        frontier = [tok]
        seen = skip or set()
        while frontier:
            nxt = []
            for t in frontier:
                if t.i in seen:
                    continue
                seen.add(t.i)
                place = self.resolve(t, allow_pronoun=allow_pronoun)
                if place is not None:
                    return place
                nxt.extend(c for c in t.children
                           if c.dep_ not in ("relcl", "advcl", "conj", "cc", "punct", "npadvmod", "appos")
                           and not (c.dep_ == "prep" and c.lower_ in TEMPORAL_PREPS))
            frontier = nxt
        return None

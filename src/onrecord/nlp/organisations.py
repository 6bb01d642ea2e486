"""Which organisation a definite description means: "the company", "the club", "the union".

A story names an organisation once ("second-tier club Stockport Rovers", "Vantor Energy, the state oil company")
and then calls it by a common noun. Two kinds of noun are read differently:

- a word for any organisation (``names/data/organisation_nouns.txt``: "the company", "the group") means the
  organisation named last before it, or the last one whose name holds the word or (except "the company": every
  business is one) that was described by it where it was named ("Consumer Watch Aotearoa, a consumer group,");
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

from ..names import gazetteer, lexicons
from .datelines import in_dateline
from .ranges import Latest, doc_entities

# Nouns that end names of bodies ("Workers World Party", "Ostby Dockworkers Union") or head them ("the ministry").
_NAME_WORDS = lexicons.ORGANISATION_NAME_WORDS | lexicons.INSTITUTION_HEADS
_MODIFIERS = frozenset({"amod", "compound", "nmod"})
_NOT_BUSINESSES = lexicons.PUBLIC_BODY_WORDS | lexicons.CIVIL_BODY_WORDS
# the nouns that make a name the tagger typed a person a body: not a person's institution ("a security guard",
# "a federal prosecutor") or an abbreviation ("co" of "co-author")
_PERSON_TYPED_BODY_NOUNS = (lexicons.ORGANISATION_NAME_WORDS | lexicons.ORGANISATION_NOUNS) - frozenset(
    "co corp inc llc ltd plc".split())


class Organisations:
    """The organisations one article names, in order, for the descriptions that follow them."""

    def __init__(self, doc: Doc, orgs: Sequence[SpacySpan]) -> None:
        # a headline the tagger took for one name ("Suspect Named By Police") names no organisation
        named = [e for e in orgs if not any(t.pos_ == "VERB" for t in e)] + list(unlabelled_names(doc))
        # "Meridian said" after "Meridian Health": the short form is a later mention of the full name
        self._full = {start: doc[first:end] for start, (first, end) in _short_forms(doc).items()}
        named += [doc[start : start + 1] for start in self._full]
        # "Kestrel Ridge said" after "Kestrel Ridge Forest Products", whatever the tagger typed it
        self._prefixed = {(start, end): doc[first:last] for (start, end), (first, last) in _prefix_forms(doc).items()}
        named += [doc[start:end] for start, end in self._prefixed if doc[start].ent_type_ != "ORG"]
        self.orgs = sorted(named, key=lambda e: (e.end, e.start))
        self._ends = [e.end for e in self.orgs]
        # "the group", "the magazine" are not a seat of government ("the White House"), which only a word of its
        # name or kind means ("the department" → "the State Department"); "the company" is a business, not a
        # public body ("the ... Safety Board") nor a union or charity ("the ... Workers' Federation")
        bodies = [e for e in self.orgs if gazetteer.country_of(e.text) is None]
        # a name's words and the nouns it was described by where named ("Consumer Watch Aotearoa, a consumer
        # group,": "the group" is it, though a company was named since)
        described = {(e.start, e.end): described_by(e) for e in self.orgs}
        words = lambda e: [*e.text.lower().split(), *described[e.start, e.end]]  # noqa: E731
        self._by_name = Latest(bodies, lambda e: e.end, words)
        # the agency a dateline names wrote the story: "the company" is never it ("told the Pacific Ledger")
        agency = _dateline_agency_words(doc, self.orgs)
        companies = [e for e in bodies if _business(self._full_form(e)) and not _named_by(e, agency)]
        # (not by description: every business is "a company", so "the company" means the latest one named)
        self._companies = Latest(companies, lambda e: e.end, lambda e: e.text.lower().split())
        # per organisation, read once: the nouns it is described by, and the words of its name
        self._described = [described[e.start, e.end] for e in self.orgs]
        self._named = [{t.lemma_.lower() for t in e} | {_singular(t.lower_) for t in e} for e in self.orgs]

    def described(self, head: Token) -> SpacySpan | None:
        """The organisation the description headed by ``head`` ("the club") means, or None."""
        noun = head.lemma_.lower()
        if noun in lexicons.COMPANY_NOUNS:
            return self._full_form(self._companies.before(head.i, noun))
        if noun in lexicons.ORGANISATION_NOUNS:
            return self._full_form(self._by_name.before(head.i, noun))
        if any(t.i > head.i and not t.is_punct and t.dep_ != "case" for t in head.subtree):
            return None  # "the website fivethirtyeight": a name follows, the noun describes that
        return self._described_as(head, noun) or self._described_later(head, noun)

    def _described_as(self, head: Token, noun: str) -> SpacySpan | None:
        """The organisation last named before ``head`` that the article described by ``noun`` or whose name
        holds it (with the description's modifiers), or None."""
        modifiers = {t.lower_ for t in head.lefts if t.dep_ in _MODIFIERS}
        kinds = lexicons.BODY_KINDS.get(noun, frozenset())  # "the agency": an Administration, a Bureau, ...
        for k in range(bisect_right(self._ends, head.i) - 1, -1, -1):
            org, named = self.orgs[k], self._named[k]
            words = self._described[k] | named if noun in _NAME_WORDS and len(org) > 1 else self._described[k]
            # "the online retail giant" is not "the oil giant Exxon Mobil"
            if (noun in words or (len(org) > 1 and org[-1].lower_ in kinds)) and modifiers <= words | named:
                return self._full_form(org)
        return None

    def _described_later(self, head: Token, noun: str) -> SpacySpan | None:
        """A description before any organisation it fits was named: the one organisation the article describes by
        ``noun`` where it names it later ("the developer said it would appeal ... The developer, Teranga Horizon
        Developpement, rejected ..."), or None when it describes none or several so."""
        if any(c.dep_ in _MODIFIERS for c in head.lefts):
            return None  # "the French developer": a description of its own, which no later naming is checked for
        later = [self._full_form(org) for k, org in enumerate(self.orgs)
                 if org.start > head.i and noun in self._described[k]]
        return later[0] if later and len({org.text for org in later}) == 1 else None

    def last_before(self, i: int) -> SpacySpan | None:
        """The organisation (not a country) named last before token ``i``, in full ("its spokesman")."""
        return self._full_form(self._by_name.before(i, ""))  # no name holds the empty word: the last one

    def _full_form(self, org: SpacySpan | None) -> SpacySpan | None:
        """A short form's full name ("Meridian" → "Meridian Health"); other names as they are."""
        if org is None:
            return None
        return self._full.get(org.start, org) if len(org) == 1 else self._prefixed.get((org.start, org.end), org)


def fuller_mention(head: Token) -> SpacySpan | None:
    """A bare institution ("the ministry", "the government") as the article last wrote it in full before, saying
    whose or which ("Greece's health ministry said ... The ministry says", "Uruguay's government"), for when no
    organisation's name holds the noun; None when the noun has words of its own or no fuller mention precedes."""
    lemma = head.lemma_.lower()
    if head.tag_ != "NN" or lemma not in lexicons.INSTITUTION_HEADS or any(
            c.dep_ in _MODIFIERS or c.dep_ == "poss" for c in head.lefts):
        return None
    for t in reversed(head.doc[: head.i]):
        # not "a ministry spokeswoman" (the noun says whose role) nor a name the tagger read ("Ministry of Health")
        if t.lemma_.lower() != lemma or t.tag_ != "NN" or t.dep_ == "compound" or t.ent_type_:
            continue
        whose = [c for c in t.lefts if _says_whose(c)]
        if whose:
            return t.doc[whose[0].left_edge.i : t.i + 1]
    return None


def _says_whose(mod: Token) -> bool:
    """A word before an institution's noun that says whose or which it is: a country ("Greece's", "Iraqi"), a name
    ("the Obama administration") or a field ("the health ministry"); not a quality ("the new government")."""
    if mod.dep_ == "poss":
        return mod.pos_ == "PROPN"
    if mod.dep_ == "amod":
        return gazetteer.country_of(mod.text) is not None
    return mod.dep_ == "compound" and mod.pos_ in ("NOUN", "PROPN")


def _business(org: SpacySpan) -> bool:
    """Is a name (in full) a business's: its head word, the last or the one before "of" or "for" ("Ministry of
    Environment", "Lusaka Institute for Policy Research"), no word of a public or civil body's ("Svaneti" after
    "Svaneti Guesthouse Owners Association" is none), and a word of it capitalised?"""
    words = [t.lower_ for t in org]
    linked = next((k for k, w in enumerate(words) if k and w in ("of", "for")), None)
    head = words[linked - 1] if linked is not None else words[-1]
    # and a name: "cooperatives", a common noun the tagger typed an organisation, is none
    return head not in _NOT_BUSINESSES and words[-1] not in _NOT_BUSINESSES and any(t.text[:1].isupper() for t in org)


def _dateline_agency_words(doc: Doc, orgs: Sequence[SpacySpan]) -> set[str]:
    """The words of the names inside a dateline that opens the article's first paragraphs."""
    return {t.lower_ for e in orgs if in_dateline(doc, e.start) for t in e if not t.is_stop}


def _named_by(org: SpacySpan, words: set[str]) -> bool:
    """Do the given words hold every word of the organisation's name (its stop words aside)?"""
    own = {t.lower_ for t in org if not t.is_stop}
    return bool(own) and own <= words


def _singular(word: str) -> str:
    """A name's plural word as the noun a description uses ("Norvane Airlines" → "the airline"); the tagger
    leaves a proper noun's lemma as it is written."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


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
    """Is a name the tagger typed a person a body's: one the article describes as a body where it names it
    ("Qorva, the Dutch search and advertising group," — that mention perhaps typed otherwise), or one whose
    proper nouns end in a word of a company's or body's name ("Vanguard Reef Mining")? Never one that starts
    with a given name ("Tom Church"). A body's name typed a work, a place or an event is one too when a plural's
    possessive apostrophe is what misled the tagger ("The Alentejo Olive Growers' Association", whom "the
    association" then means), not a label the article gives ("an unofficial label: the White People's Party")."""
    if ent.label_ in _MISTYPED_BODY_LABELS:
        return body_typed_otherwise(ent.root) and any(t.text in ("'", "’") for t in ent)
    if ent.label_ != "PERSON" or ent[0].lower_ in lexicons.GIVEN_NAME_GENDER:
        return False
    return ent.text in _bodies(ent.doc) or _named_as_body(ent)


# labels the tagger gives a body's name it did not know ("The Dublin Patients' Forum" came out a WORK_OF_ART: the
# apostrophe of a plural's possessive read as a closing quote)
_MISTYPED_BODY_LABELS = frozenset({"WORK_OF_ART", "FAC", "EVENT", "PRODUCT"})
_LINKING = frozenset({"of", "for", "and", "on", "&"})


def body_typed_otherwise(tok: Token) -> bool:
    """Is ``tok`` in a name the tagger typed a work, a place or an event that names a body: its head a word that
    ends bodies' names, every word before it capitalised ("The Aotearoa Cycle Dealers' Guild", "the Baghdad
    Centre for Economic Studies", "The Citizen Renewal bloc")?"""
    ent = doc_entities(tok.doc).at(tok.i) if tok.ent_type_ in _MISTYPED_BODY_LABELS else None
    if ent is None:
        return False
    root = ent.root
    words = [t for t in ent if t.dep_ not in ("det", "case") and not t.is_punct]
    return len(words) >= 2 and root.lower_ in _BODY_NAME_ENDS and all(
        t.text[:1].isupper() or t.lower_ in _LINKING for t in words if t.i < root.i)


def _named_as_body(ent: SpacySpan) -> bool:
    words = [t for t in ent if t.dep_ != "case"]  # "Botswana People's Congress"
    return len(words) >= 2 and ent[-1].lower_.rstrip(".") in _BODY_NAME_ENDS and all(
        t.pos_ == "PROPN" and t.text[:1].isupper() for t in words)


def _bodies(doc: Doc) -> frozenset[str]:
    """The names the article describes by a word for a body, read once per Doc."""
    found = _BODIES.get(doc)
    if found is None:
        found = _BODIES[doc] = frozenset(e.text for e in doc.ents if described_by(e) & _PERSON_TYPED_BODY_NOUNS)
    return found


_BODIES: WeakKeyDictionary[Doc, frozenset[str]] = WeakKeyDictionary()


def unlabelled_names(doc: Doc) -> tuple[SpacySpan, ...]:
    """Organisations' names the tagger left out or typed a product: capitalised proper nouns that end in a word
    of a company's or body's name ("Aerovane Systems", "Brightloop Inc", "Northstar Freight"), read once per
    Doc. A company the small model does not know is often tagged nothing at all, and "the company" after it
    would otherwise mean an organisation named before it."""
    return tuple(doc[start:end] for start, end in _unlabelled_offsets(doc))


def unlabelled_at(tok: Token) -> SpacySpan | None:
    """The unlabelled organisation name whose last word is ``tok``, if any."""
    found = next(((start, end) for start, end in _unlabelled_offsets(tok.doc) if end == tok.i + 1), None)
    return tok.doc[found[0] : found[1]] if found is not None else None


def _unlabelled_offsets(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The names' token offsets, read once per Doc. The table keeps offsets, not Spans: a Span holds its Doc, and
    a value that holds its weak key would keep every Doc alive."""
    found = _UNLABELLED.get(doc)
    if found is None:
        found = _UNLABELLED[doc] = tuple(_unlabelled(doc))
    return found


def _unlabelled(doc: Doc) -> list[tuple[int, int]]:
    found = []
    for tok in doc:
        if not (_proper(tok) and tok.lower_.rstrip(".") in lexicons.ORGANISATION_NAME_WORDS) or \
                (tok.i + 1 < len(doc) and _proper(doc[tok.i + 1])):
            continue
        start = tok.i
        while start > 0 and _proper(doc[start - 1]) and doc[start - 1].head.i == tok.i \
                and doc[start - 1].dep_ == "compound":
            start -= 1
        before = doc[start - 1] if start else None
        # a hyphen written against the name joins it to the word before ("Coca-Cola Bottling"); a dash set off
        # by a space ends a dateline ("BOSTON (Wire) - Halvorsen Therapeutics said")
        joined = before is not None and before.text in ("-", "–") and not before.whitespace_
        if start < tok.i and not (joined or before is not None and before.head.i == tok.i and before.pos_ == "PROPN"):
            found.append((start, tok.i + 1))  # not the end of a name typed in part ("Clinton | Global Initiative")
    return found


def short_form_at(tok: Token) -> SpacySpan | None:
    """The organisation named before whose first word ``tok`` writes alone ("Meridian said" after "Meridian
    Health", "Harwell" after "Harwell Nutrition"), the tagger having typed the word nothing, an organisation,
    or a person when the full name ends in a word of a company's or body's name."""
    found = _short_forms(tok.doc).get(tok.i)
    return tok.doc[found[0] : found[1]] if found is not None else None


def prefix_form_at(name: SpacySpan) -> SpacySpan | None:
    """The organisation named before whose first two or three words ``name`` writes alone ("Kestrel Ridge said"
    after "Kestrel Ridge Forest Products", typed a person by the NER), else None."""
    found = _prefix_forms(name.doc).get((name.start, name.end))
    return name.doc[found[0] : found[1]] if found is not None else None


def _prefix_forms(doc: Doc) -> dict[tuple[int, int], tuple[int, int]]:
    """Offsets of each two- or three-word short form → the full name's offsets, read once per Doc."""
    found = _PREFIXES.get(doc)
    if found is None:
        found = _PREFIXES[doc] = _find_prefix_forms(doc)
    return found


def _find_prefix_forms(doc: Doc) -> dict[tuple[int, int], tuple[int, int]]:
    """Names of two or three proper nouns, typed anything but a place, that repeat the first words of a longer
    organisation's name named before them ("Kestrel Ridge" after "Kestrel Ridge Forest Products")."""
    full: dict[tuple[str, ...], tuple[int, int]] = {}
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for ent in (e for e in doc.ents if e.label_ in _PREFIX_LABELS):  # in reading order
        words = tuple(t.text for t in ent)
        if 2 <= len(ent) <= 3 and all(t.pos_ == "PROPN" for t in ent) and words in full:
            out[(ent.start, ent.end)] = full[words]
        start = ent.start + (ent[0].lower_ in lexicons.DETERMINERS)
        if ent.label_ == "ORG" and ent.end - start >= 3 and _distinctive(doc[start]) and not any(
                t.is_punct and t.text not in _NAME_MARKS for t in doc[start : ent.end]):
            for n in range(2, min(3, ent.end - start - 1) + 1):
                full[tuple(t.text for t in doc[start : start + n])] = (start, ent.end)
    return out


_PREFIX_LABELS = frozenset({"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "FAC"})


def _short_forms(doc: Doc) -> dict[int, tuple[int, int]]:
    """Token index of each one-word short form → the full name's token offsets, read once per Doc (offsets, not
    Spans: see :func:`_unlabelled_offsets`)."""
    found = _SHORT.get(doc)
    if found is None:
        found = _SHORT[doc] = _find_short_forms(doc)
    return found


def _find_short_forms(doc: Doc) -> dict[int, tuple[int, int]]:
    names = sorted([(e.start, e.end) for e in doc.ents if (e.label_ == "ORG" or described_as_body(e)) and len(e) >= 2]
                   + list(_unlabelled_offsets(doc)), key=lambda n: n[1])
    by_first: dict[str, tuple[int, int]] = {}
    out: dict[int, tuple[int, int]] = {}
    k = 0
    for tok in doc:
        while k < len(names) and names[k][1] <= tok.i:
            start, end = names[k]
            k += 1
            start += doc[start].lower_ in lexicons.DETERMINERS
            if end - start >= 2 and _distinctive(doc[start]) and not any(
                    (t.is_punct and t.text not in _NAME_MARKS) or t.tag_ == "POS" for t in doc[start:end]):
                by_first[doc[start].text] = (start, end)  # the name named last with that first word
        full = by_first.get(tok.text)
        # a word the tagger typed a person stands for a company or body only ("Pfizer" for "Pfizer Inc", not
        # "Trump" for "Trump Train")
        if full is not None and _alone(tok) and (tok.ent_type_ != "PERSON" or doc[full[1] - 1].lower_.rstrip(".")
                                                 in _BODY_NAME_ENDS):
            out[tok.i] = full
    return out


_BODY_NAME_ENDS = lexicons.ORGANISATION_NAME_WORDS | lexicons.COMPANY_NOUNS
# marks a name holds ("Wealth-X", "AT&T"); not "Politico, Democratic party" nor "Fox News' Bret Baier", names the
# tagger ran on past their end
_NAME_MARKS = frozenset({".", "&", "-"})


def _distinctive(tok: Token) -> bool:
    """May the first word of an organisation's name stand for it alone? Not a word of a body's kind ("National",
    "Bank"), a place or its people ("American", "Boston"), or a common word written in capitals."""
    low = tok.lower_
    return (tok.pos_ == "PROPN" and tok.text[:1].isupper() and not tok.is_stop and low not in _NAME_WORDS
            and gazetteer.country_of(tok.text) is None and tok.ent_type_ not in ("GPE", "NORP", "LOC"))


def _alone(tok: Token) -> bool:
    """A capitalised proper noun standing alone: not in a longer name, typed nothing, a one-word person or a
    one-word organisation."""
    doc = tok.doc
    if tok.pos_ != "PROPN" or tok.ent_type_ not in ("", "PERSON", "ORG"):
        return False
    if tok.ent_type_ and not (tok.ent_iob_ == "B" and (tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I")):
        return False
    return not any(0 <= k < len(doc) and doc[k].pos_ == "PROPN" for k in (tok.i - 1, tok.i + 1))


def _proper(tok: Token) -> bool:
    """A capitalised proper noun outside any name the tagger typed a person, place or organisation."""
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.ent_type_ in _UNTYPED


_UNTYPED = frozenset({"", "PRODUCT", "WORK_OF_ART"})
_UNLABELLED: WeakKeyDictionary[Doc, tuple[tuple[int, int], ...]] = WeakKeyDictionary()
_SHORT: WeakKeyDictionary[Doc, dict[int, tuple[int, int]]] = WeakKeyDictionary()
_PREFIXES: WeakKeyDictionary[Doc, dict[tuple[int, int], tuple[int, int]]] = WeakKeyDictionary()


def _set_off(last: Token) -> bool:
    """Does an apposition end where its punctuation closes it ("Vantor Energy, the state oil company, said")?
    One the parser made of a clause's subject does not ("the Republican Convention, a new poll shows")."""
    doc = last.doc
    return last.i + 1 >= len(doc) or doc[last.i + 1].is_punct


def _descriptive(tok: Token) -> bool:
    """A singular common noun written as a description, with words of its own ("second-tier club", "the state
    oil company", "the Georgian-Emirati consortium"), not a bare word of a name ("state" in "the state Senate") or
    part of a longer one ("the New Hampshire state Senate")."""
    lefts = list(tok.lefts)
    named = any(c.pos_ == "PROPN" and c.dep_ == "compound" and not _demonyms(c) for c in lefts)
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and not named and any(
        c.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod") for c in tok.children)


def _demonyms(tok: Token) -> bool:
    """Are the words of a compound only peoples' names ("Georgian-Emirati", which the tagger reads as a proper
    noun)? They say whose a body is, not which body's name the noun is part of."""
    words = [t.lower_ for t in tok.subtree if not t.is_punct]
    return all(w in gazetteer.DEMONYM_TO_COUNTRY for w in words)

"""Contested claims in any news: typed propositions, the stance of each statement, and who answers whom.

Every stored attribution (its resolved speaker, cue and content) becomes a
:class:`Said`: the party, the :class:`~onrecord.claims.records.Proposition`
its content states, and whether it *asserts* or *disputes*.  A statement
disputes when its cue is a denial ("denied", "dismissed", "pushed back",
"pleaded not guilty"; ``[dispute] cues`` in ``data/stance.toml``), its content
judges something untrue ("a lie", "nonsense", "made up"; ``judgements``) or
finds no evidence or basis for it ("none found any evidence"; ``absence_nouns``),
or it sets the record straight ("is in fact ..."; ``counters``).  A charge
("accused X of misrepresenting ...") asserts, whatever its words.  Parties are
named ones, described institutions ("the army") and unnamed sources of
evidence ("multiple reports").

Each dispute is then linked to what it answers, in this order:

1. a party the dispute names: the owner of a claim noun ("rubbished Trump's
   claim", "disputing accusations by Exxon") or a person the judging clause
   names ("thought Fields had made up the story");
2. a source of evidence it names by a definite description ("disputed the
   report's account"): that source's latest statement before it;
3. the statement before it by another party (not one it speaks for) that
   shares the most content words with it, or, for a bare anaphor ("denied it
   happened", "called the report false"), the nearest one before it, in an
   earlier sentence or earlier in its own;
4. reports no one in the article owns ("dismissed media reports that ...");
5. a charge against the disputing party: "X accused Y of ..." answered by Y
   ("I have never been influenced"), negation in any piece of Y's quote being
   enough;
6. another party's figure for the same count ("the ministry said 40 were
   killed" / "the rebels said 400"; "the real rate was 8 percent").

The pair becomes two :class:`ClaimMention` records (+1 assert, -1 dispute)
with the same proposition, so grouping puts them in one claim.  Nothing here
runs the extractor: it reads the attributions and the parse it was given.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..names import initials
from ..names.lexicons import INSTITUTION_HEADS
from ..records import Attribution, Span, Speaker
from ..nlp.organisations import Organisations, body_typed_otherwise, described_as_body, fuller_mention
from ..nlp.ranges import Ranges, doc_entities
from ..nlp.headlines import headline_span
from ..nlp.rules import subject_child
from . import parties
from .places import PLACE_NOUNS
from .records import ClaimKind, ClaimMention, Proposition
from .words import WORDS

#: How far back (characters) an unnamed dispute looks for the statement it answers.
ANSWER_WINDOW = 1500
#: How far after a dispute (characters) the claim it answers may come.
FORWARD_WINDOW = 400
#: How far (characters) a charge reaches for the reply of the party it names.
REPLY_WINDOW = 4000

_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
_OBJECTS = {"dobj", "attr", "oprd", "acomp", "xcomp", "ccomp", "dative"}
_FIGURES = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
_DURATION_UNITS = {"minute", "hour"}  # not "a 30-second speech": an adjective
_PERSON_PRONOUNS = {"he", "him", "she", "her"}
_SPEAKER_PRONOUNS = {"he", "she", "i", "we", "they", "it"}  # "it": an organisation speaking of itself
_ARGUMENTS = {"nsubj", "nsubjpass", "dobj", "oprd"}
_DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her", "our"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_ABOUT = {"against", "about", "of", "on", "over", "to"}  # "pushed back against ...", "disputing accusations of ..."


@dataclass(frozen=True, slots=True)
class Said:
    """One attributed statement as the claims feature reads it."""

    index: int
    party: str
    cue: str  # the cue's verb lemma ("deny"), or its text when it has no verb
    cue_text: str
    sentence: Span
    content: SpacySpan | None
    proposition: Proposition
    disputes: bool
    accused: str | None  # "accused Clinton of ...": the party charged
    said_on: str | None
    judged_by_narrator: bool = False  # "repeating a false claim that ...": the article disputes it
    cue_tokens: tuple[int, ...] = ()
    end: int = 0  # where the attribution (cue and content) ends
    pieces: tuple[SpacySpan, ...] = ()  # every piece of a discontinuous content ("...," he said, "...")
    start: int = 0  # where the attribution (cue and content) starts
    source_noun: str = ""  # the common noun heading the source ("A report by X found": "report")


class Names:
    """The article's names for people and bodies: a bare surname or short form → the full name.

    A stop-gap for the resolution layer (issue 12): it reads the speakers the
    extractor already resolved and the parser's named entities.
    """

    def __init__(self, doc: Doc, attributions: Sequence[Attribution]) -> None:
        full: list[str] = [a.speaker.name for a in attributions if a.speaker and _short_form_of(a.speaker)]
        full += [e.text.removesuffix("’s").removesuffix("'s") for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        self._by_last: dict[str, str] = {}
        for name in sorted(set(full), key=lambda n: (-len(n.split()), n)):
            last = name.split()[-1].lower().removesuffix("’s").removesuffix("'s")
            self._by_last.setdefault(last, name)
        self._doc = doc
        self._affiliations: dict[str, str] | None = None
        self._people: set[str] | None = None
        # the people the resolver read where the tagger typed no person ("Serigne | Mbaye", a place to it)
        self._person_speakers = {a.speaker.name for a in attributions
                                 if a.speaker and a.speaker.type == "PERSON" and a.speaker.name}
        self._speakers = {name.split()[-1].lower() for name in self._person_speakers}
        # (start, end, words, name) of each source the resolver named, in reading order
        self._sources = sorted((s.start, s.end, _description_words(a.source_text or ""), a.speaker.name)
                               for a in attributions if a.speaker and a.speaker.type != "UNKNOWN"
                               and a.speaker.name for s in a.source[:1])
        self._organisations: Organisations | None = None
        self._bodies = sorted({e.text.removesuffix("’s").removesuffix("'s") for e in doc.ents if e.label_ == "ORG"})

    def name(self, text: str) -> str | None:
        clean = text.strip().rstrip("’'").removesuffix("’s").removesuffix("'s").strip()
        party = parties.party_name(clean)
        if not party:
            return None
        words = party.split()
        if words[-1].lower() in self._by_last and (len(words) == 1 or words[0].lower() in {
                "mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "president", "secretary"}):
            return self._by_last[words[-1].lower()]
        if len(words) > 1 and _named(party):
            # "Ibarra Villanueva": both surnames of the one person the resolver named "Gonzalo Ibarra Villanueva"
            longer = {n for n in self._person_speakers if n.endswith(" " + party)}
            if len(longer) == 1:
                return longer.pop()
        if not _named(party):
            return self._body(party) or party
        return party

    def _body(self, description: str) -> str | None:
        """The one organisation the article names whose name holds every word of a description: "the board of
        elections" → "Illinois Board of Elections".  None when no name or several names fit."""
        words = {w for w in description.lower().split() if w not in _DETERMINERS}
        if not words:
            return None
        fits = {b for b in self._bodies if words <= set(b.lower().split())}
        return (parties.party_name(fits.pop()) or None) if len(fits) == 1 else None

    def resolved(self, tok: Token, ahead: bool = False) -> str | None:
        """Whom a description means, as the speaker resolver read it: the speaker of a source holding the token
        ("the minister's account", the source of the nominal cue), else of the latest source before it whose
        words hold the description's ("The minister rejected ..." or "Tourism Minister Eleni Papadaki said"
        before "disputed the minister's account"); with ``ahead``, or in a headline, the first source after it when
        none before holds them (a lede's "the police version of events", which a police spokesman gives below)."""
        words = set(_description_words(self._doc[tok.left_edge.i : tok.i + 1].text))
        earlier = later = None
        for start, end, said, name in self._sources:
            if start <= tok.idx < end:
                return parties.party_name(name)
            if words and words <= set(said):
                if end <= tok.idx:
                    earlier = name
                elif later is None:
                    later = name
        if earlier is None and later is not None and (ahead or self._in_headline(tok)):
            earlier = later  # "disputes researcher's figure" in a headline: the researcher the body names
        return parties.party_name(earlier) if earlier else None

    def _in_headline(self, tok: Token) -> bool:
        headline = headline_span(self._doc, text_of(self._doc))
        return headline is not None and tok.i < headline[1]

    def is_person(self, name: str) -> bool:
        """Is the name one of the people the article names (not a body: "Exxon Mobil", "Kyiv")?"""
        if self._people is None:
            self._people = {e.text.split()[-1].lower().removesuffix("’s").removesuffix("'s")
                            for e in self._doc.ents if e.label_ == "PERSON"} | self._speakers
        return name.split()[-1].lower() in self._people

    def known(self, tok: Token) -> bool:
        """Is the token a surname of someone the article names in full ("Fields")?"""
        return tok.is_title and tok.lower_ in self._by_last

    def _someone_else(self, ent: SpacySpan) -> bool:
        """Is the entity the surname of someone the article names in full ("Ashby", tagged ORG), not a body
        whose own name the speakers give ("Stockport Rovers")?"""
        last = ent[-1]
        if not self.known(last):
            return False
        full = self._by_last[last.lower_]
        # a bare surname ("Tkachuk also accused the company", tagged ORG) is the person whatever name() maps it to
        return self.is_person(full) and (len(ent) == 1 or parties.key(full) != parties.key(self.name(ent.text) or "")) \
            and self._longer_name(ent) is None

    def _longer_name(self, ent: SpacySpan) -> str | None:
        """The speaker's name that ends in the entity's words: "Malaysian Students' Solidarity Front" for the
        "Solidarity Front" the tagger split off it."""
        full = self._by_last.get(ent[-1].lower_)
        if full is None or len(ent) < 2 or not full.endswith(" " + ent.text):
            return None
        # the words before are a name's ("Malaysian Students'"), not a phrase ("Colombian government and the rebel")
        return full if all(w[:1].isupper() for w in full[: -len(ent.text)].split()) else None

    def person_before(self, doc: Doc, at: int, exclude: str, fits=None) -> str | None:
        """The latest person the text names before token ``at`` who is not ``exclude`` (for "he", "her") and,
        given ``fits`` (a test of a name), passes it."""
        for ent in (e for e in doc_entities(doc).latest_before(at) if e.label_ == "PERSON"):
            name = self.name(ent.text)
            if name and not _same_party(name, exclude) and (fits is None or fits(name)):
                return name
        return None

    def of_token(self, tok: Token) -> str | None:
        """The name a token stands in: its entity, or its compound-and-name run."""
        if tok.ent_type_ in _NAME_LABELS or body_typed_otherwise(tok):  # "The Green Current Party", a WORK_OF_ART
            ent = doc_entities(tok.doc).at(tok.i)
            if ent is not None:
                return self.name(ent.text)
        if self.known(tok):
            return self._by_last[tok.lower_]  # a surname the parser took for a common noun ("Trump")
        if tok.pos_ == "PROPN":
            left = min((c.i for c in tok.subtree if c.dep_ in ("compound", "amod") and c.i < tok.i), default=tok.i)
            return self.name(tok.doc[left:tok.i + 1].text)
        return self.organisation_before(tok)

    def affiliation(self, person: str) -> str | None:
        """The organisation a person speaks for, as the article introduces them: "Fox News Vice President Bill
        Sammon", "Alan Jeffers, a spokesman for Exxon Mobil", "the group's director, Ana Ruiz"."""
        if self._affiliations is None:
            self._affiliations = {}
            for e in self._doc.ents:
                # a person the NER typed otherwise whom the resolver named ("The UPC's state spokesman,
                # Oluwadamilare Ayantunde," typed ORG)
                if e.label_ == "PERSON" or e.text in self._person_speakers:
                    org = _organisation_around(e)
                    name = self.name(e.text)
                    body = (self.name(org.text) or org.text) if org else self._described_owner_of_role(e)
                    if body and name:
                        self._affiliations.setdefault(parties.key(name), body)
        return self._affiliations.get(parties.key(person))

    def _described_owner_of_role(self, person: SpacySpan) -> str | None:
        """'The association's chairman, Otieno Ogola,': the organisation the article means by "the association";
        "A ministry spokeswoman, Elena Dumitrescu,": the ministry the article last named."""
        role = person.root.head if person.root.dep_ == "appos" else None
        if role is None:
            return None
        poss = next((c for c in role.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
        if poss is not None:
            return self.organisation_before(poss)
        body = next((c for c in role.children if c.dep_ == "compound" and c.tag_ == "NN"
                     and c.lemma_.lower() in INSTITUTION_HEADS), None)
        return self._described_organisation(body) if body is not None else None

    def body_spoken_for(self, tok: Token, speaker: str | None) -> str | None:
        """The body a person speaks for, when their reported words name it "the party", "the group" as the subject
        of the reported clause ("The UPC's state spokesman, X, said the party rejected ...", "its spokesman, X,
        said ... He said the group liked ..."), rather than the body the article named last."""
        if speaker is None or tok.pos_ != "NOUN" or tok.dep_ not in ("nsubj", "nsubjpass") \
                or tok.head.dep_ != "ccomp" or tok.lemma_.lower() not in WORDS.own_bodies \
                or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or not self.is_person(speaker):
            return None
        body = self.affiliation(speaker)
        if body is not None and tok.lower_ not in body.lower():
            # "Its president, X, said the federation would ...": where the affiliation read from "its" is some
            # other body and the article names one with the noun in its name, the noun names that one
            named = self._described_organisation(tok)
            if named is not None and tok.lower_ in named.lower():
                return named
        return body

    def _article_organisations(self) -> Organisations:
        if self._organisations is None:  # the article's organisations, read once
            doc = self._doc
            self._organisations = Organisations(doc, [e for e in doc_entities(doc).within(0, len(doc))
                                                      if (e.label_ == "ORG" or described_as_body(e))
                                                      and not self._someone_else(e)])
        return self._organisations

    def organisation_before(self, tok: Token) -> str | None:
        """'the group', 'the company' (one organisation, described): the organisation the article named last
        before it, preferring one whose name holds the noun ('the committee' → 'House Oversight Committee')."""
        if tok.pos_ != "NOUN" or tok.tag_ != "NN" \
                or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            return None
        chosen = self._described_organisation(tok)
        if chosen is None:
            fuller = fuller_mention(tok)  # "The government has proposed" after "Uruguay's government hailed"
            return self.name(fuller.text) if fuller is not None else None
        return chosen

    def _described_organisation(self, noun: Token) -> str | None:
        """The name of the organisation a description's noun means ("the committee", "a ministry spokeswoman")."""
        chosen = self._article_organisations().described(noun)
        return (self._longer_name(chosen) or self.name(chosen.text)) if chosen is not None else None


def _short_form_of(speaker: Speaker) -> bool:
    """May a bare last word stand for this speaker's name ("Nefzi", "the poll")? Not for a group whose last word
    only says where or whose ("source close to the English club" is no "Club"), nor for an unknown one."""
    if not speaker.name or speaker.type == "UNKNOWN":
        return False
    return speaker.type != "GROUP" or not _LINKING_WORDS & set(speaker.name.lower().split())


_LINKING_WORDS = frozenset({"of", "to", "for", "in", "at", "with", "from", "by", "on", "about", "close"})


def _organisation_around(person: SpacySpan) -> SpacySpan | None:
    """An organisation named in the titles before a person ("Fox News Vice President ... Bill Sammon") or in
    an appositive after ("..., a spokesman for Exxon Mobil", "..., Exxon's spokesman")."""
    doc = person.doc
    i = person.start - 1
    while i >= 0 and (doc[i].pos_ == "PROPN" or doc[i].lower_ in ("and", "&")) and person.start - i <= 10:
        if doc[i].ent_type_ == "ORG":
            return doc_entities(doc).at(i)
        i -= 1
    for appos in (c for c in person.root.children if c.dep_ == "appos"):
        for t in appos.subtree:
            if t.ent_type_ == "ORG" and (t.head.i == appos.i or t.head.head.i == appos.i
                                         or t.head.dep_ in ("compound", "poss")):
                return doc_entities(doc).at(t.i)
    return _organisation_of_its(person) or _organisation_led(person)


# Verbs by which a relative clause says whose leader a person is ("Grace Banda, who chairs the cooperative,").
_LEADING = frozenset({"lead", "chair", "head", "run", "direct"})


def _organisation_led(person: SpacySpan) -> SpacySpan | None:
    """The body a relative clause says the person leads, by the proper nouns that name it, whatever the tagger typed
    them: "Councillor Herminia Batz, who leads the opposition Popular Convergence bloc," (Popular Convergence),
    "Grace Banda, who chairs the Chipata Smallholder Cooperative,"."""
    doc = person.doc
    for clause in (c for c in person.root.children if c.dep_ == "relcl" and c.lemma_.lower() in _LEADING):
        for obj in (c for c in clause.children if c.dep_ == "dobj"):
            named = doc_entities(doc).at(obj.i) if obj.pos_ == "PROPN" else None
            if named is not None and named.label_ not in ("PERSON", "DATE", "TIME", "CARDINAL"):
                return named  # "the Federation of Artisanal Fishermen of Áncash"
            end = obj.i + 1 if obj.pos_ == "PROPN" else obj.i
            start = end
            while start > obj.left_edge.i and doc[start - 1].pos_ == "PROPN":
                start -= 1
            if start < end:
                return doc[start:end]
    return None


def _organisation_of_its(person: SpacySpan) -> SpacySpan | None:
    """A person set off after a role owned by "its" or by a body speaks for that body: "The Amandla Residents'
    Alliance voted against the increase. Its caucus leader, Sifiso Nxumalo-Bhengu, said ..." (the last name of a
    body of two or more words before the role, in its sentence or within about two sentences before: "The
    Citizen Renewal bloc ... will abstain, its spokesman, X, said"), "The UPC's state spokesman, X,"."""
    role = person.root.head if person.root.dep_ == "appos" else None
    poss = next((c for c in role.children if c.dep_ == "poss"), None) if role is not None else None
    if poss is None:
        return None
    if poss.ent_type_ == "ORG":
        return doc_entities(person.doc).at(poss.i)
    if poss.lower_ not in ("its", "their"):
        return None
    ents = doc_entities(person.doc)
    bodies = [e for e in ents.within(max(0, person.sent.start - 80), poss.i)
              if (e.label_ in _BODY_LABELS or described_as_body(e)) and len(e) > 1 + (e[0].lower_ == "the")
              and poss.idx - e.end_char < 600]  # "Botswana People's Congress", typed a person
    own = [e for e in bodies if e.start >= person.sent.start]
    return own[-1] if own else _named_subject_before(person.sent.root, poss.i) or (bodies[-1] if bodies else None)


def _named_subject_before(root: Token, before: int) -> SpacySpan | None:
    """The subject of a sentence's main clause before token ``before``, when a name heads it (capitalised words
    before a body's noun: "The Citizen Renewal bloc, which holds the balance, will abstain, its spokesman ...")."""
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < before), None)
    if subj is None:
        return None
    words = [t for t in root.doc[subj.left_edge.i : subj.i + 1] if t.dep_ != "det"]
    if len(words) < 2 or not all(t.pos_ == "PROPN" for t in words[:-1]):
        return None
    return root.doc[words[0].i : subj.i + 1]


# labels the NER gives bodies' names ("The Citizen Renewal bloc" came out a WORK_OF_ART)
_BODY_LABELS = {"ORG", "WORK_OF_ART", "FAC", "PRODUCT"}


def proposition_of(span: SpacySpan, names: Names) -> Proposition:
    """Who/what, predicate, object or figure, polarity and modality of a content span's main clause."""
    root = span.root
    if root.pos_ not in ("VERB", "AUX"):
        verbs = [t for t in span if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ccomp", "ROOT", "conj", "relcl")]
        root = verbs[0] if verbs else root
    inside = lambda t: span.start <= t.i < span.end  # noqa: E731
    charged = _charged_deed(root, inside)
    subject_within = span
    if charged is not None:  # "accused Moscow of repeatedly adding conditions": Moscow added conditions
        subject, root = root, charged
        subject_within = span.doc[span.start : charged.head.i]  # the one charged, without the deed's "of"
    else:
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS and inside(c)), None)
    obj = next((c for c in root.children if c.dep_ in _OBJECTS and inside(c)), None)
    if obj is None:
        prep = next((c for c in root.children if c.dep_ == "prep" and inside(c)), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    negated = any(c.dep_ == "neg" or c.lower_ in WORDS.negations for c in root.children) or any(
        t.lower_ in ("never", "neither") for t in span)
    modal = next((c.lemma_.lower() for c in root.children if c.tag_ == "MD"), None)
    figure = next((e.text for e in doc_entities(span.doc).within(span.start, span.end) if e.label_ in _FIGURES),
                  None)
    particle = next((c.lower_ for c in root.children if c.dep_ == "prt"), None)
    predicate = root.lemma_.lower() + (f" {particle}" if particle else "")
    return Proposition(subject=_phrase(subject, names, subject_within), predicate=predicate,
                       object=_phrase(obj, names, span),
                       figure=figure, polarity=-1 if negated else 1, modality=modal)


def _charged_deed(root: Token, inside) -> Token | None:
    """The deed a content of a charge names for its noun: "Moscow | of repeatedly adding conditions" (after
    "accused"), "the utility | for ignoring warnings" (after "blamed"): the gerund after "of" or "for"."""
    verb = root.head.lemma_.lower()
    if root.pos_ not in ("PROPN", "NOUN", "PRON") or root.dep_ not in ("dobj", "dative") \
            or not (verb in WORDS.charge_cues or verb in WORDS.deed_cues):
        return None  # only the one a charge names: not "pleaded guilty to a charge of mishandling ..."
    # the parser hangs the "of" on the noun or, as a second object, on the charging verb
    for prep in (*root.children, *root.head.children):
        if prep.dep_ == "prep" and prep.lower_ in ("of", "for") and inside(prep):
            deed = next((c for c in prep.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
            if deed is not None:
                return deed
    return None


def _phrase(tok: Token | None, names: Names, within: SpacySpan) -> str | None:
    if tok is None:
        return None
    named = names.of_token(tok)
    if named:
        return named
    words = [t for t in tok.subtree if within.start <= t.i < within.end and not t.is_punct]
    while words and words[0].dep_ == "det":
        words = words[1:]
    return " ".join(t.text for t in words[:8]) or None


def _content(doc: Doc, att: Attribution) -> SpacySpan | None:
    if not att.content:
        return None
    piece = max(att.content, key=lambda c: c.end - c.start)  # the main piece of a discontinuous content
    return doc.char_span(piece.start, piece.end, alignment_mode="expand")


def _pieces(doc: Doc, att: Attribution) -> tuple[SpacySpan, ...]:
    spans = (doc.char_span(c.start, c.end, alignment_mode="expand") for c in att.content)
    return tuple(sp for sp in spans if sp is not None and len(sp))


def _denies(s: Said) -> bool:
    """Does any piece of the statement deny or negate ("I have never been influenced ...")?"""
    return s.disputes or s.proposition.polarity < 0 or any(
        WORDS.judges_false(p) or any(t.dep_ == "neg" or t.lower_ in ("never",) for t in p) for p in s.pieces)


def _all_lemmas(s: Said) -> set[str]:
    return set().union(*(_lemmas(p) for p in s.pieces)) if s.pieces else _lemmas(s.content)


def _cue_lemma(doc: Doc, att: Attribution) -> str:
    toks = [t for c in att.cue for t in doc.char_span(c.start, c.end, alignment_mode="expand") or ()]
    verb = next((t for t in toks if t.pos_ == "VERB"), None) or (toks[-1] if toks else None)
    return verb.lemma_.lower() if verb is not None else att.cue_text.lower()


def _sentence(doc: Doc, att: Attribution) -> Span:
    start = min(s.start for s in (*att.cue, *att.content, *att.source))
    end = max(s.end for s in (*att.cue, *att.content, *att.source))
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    last = doc.char_span(max(end - 1, start), max(end, start + 1), alignment_mode="expand")
    s0 = first[0].sent.start_char if first is not None and len(first) else start
    s1 = last[-1].sent.end_char if last is not None and len(last) else end
    return Span(min(s0, start), max(s1, end))


def _accused(doc: Doc, att: Attribution, names: Names) -> str | None:
    """'X accused Y of ...', 'blamed Y for ...': the party charged."""
    for c in att.cue:
        for tok in doc.char_span(c.start, c.end, alignment_mode="expand") or ():
            if tok.lemma_.lower() not in WORDS.assert_cues:
                continue
            for child in tok.children:
                if child.dep_ in ("dobj", "dative"):
                    return names.of_token(child)
    return None


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token again on each call, so asking for it once per
    statement made long articles quadratic (a 100 KB article spent 90 s there)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_TEXT_KEY = "onrecord.claims.text"


def read_statements(doc: Doc, attributions: Sequence[Attribution], names: Names,
                    said_on: str | None = None) -> list[Said]:
    out = []
    for i, att in enumerate(attributions):
        if not att.speaker or not att.cue:
            continue
        party = names.name(att.speaker.name) if att.speaker.name else None
        if not party or not (_named(party) or _evidence_source(party) or _institution(party)):
            continue
        content = _content(doc, att)
        cue = _cue_lemma(doc, att)
        cue_low = att.cue_text.lower()
        cue_toks = [t for c in att.cue for t in doc.char_span(c.start, c.end, alignment_mode="expand") or ()]
        if _headline(doc, cue_toks) or _in_title(text_of(doc), att) or _silent(cue_toks):
            continue  # (a headline's; "did not respond to a request for comment": nothing said)
        judged_claim = _judged_claim_noun(cue_toks + (list(content[:4]) if content is not None else []))
        pieces = _pieces(doc, att)
        disputes = not judged_claim and (
            _dispute_cue(cue_toks, cue_low) or WORDS.judges_false(cue_toks) or (content is not None and (
                WORDS.judges_false(content) or _own_dispute_verb(content) is not None or _counters(content)))
            or _judged_owner(pieces) is not None)
        if cue in WORDS.charge_cues and not _dispute_cue(cue_toks, cue_low):
            disputes = False  # "accused her of misrepresenting the documents" puts a charge on record
        if cue in WORDS.agree_cues or any(_proposal_object(t) for t in cue_toks):
            disputes = False  # "rejected Trump's offer" is a position on a proposal, not a dispute of a claim
        prop = proposition_of(content, names) if content is not None and len(content) else Proposition(predicate=cue)
        out.append(Said(i, party, cue, att.cue_text, _sentence(doc, att), content, prop, disputes,
                        _accused(doc, att, names), att.said_on or said_on, judged_claim,
                        tuple(t.i for t in cue_toks), max(c.end for c in (*att.cue, *att.content)),
                        pieces, min(c.start for c in (*att.cue, *att.content)), _source_noun(doc, att)))
    return out


def _silent(cue: Sequence[Token]) -> bool:
    """"did not respond to a request for comment", "declined to comment", "could not be reached"."""
    return any(t.lemma_.lower() in WORDS.silence and any(c.dep_ == "neg" for c in t.children)
               or t.lemma_.lower() == "decline" and any(c.dep_ == "xcomp" and c.lemma_.lower() in WORDS.silence
                                                        for c in t.children)
               for t in cue)


def _source_noun(doc: Doc, att: Attribution) -> str:
    """The common noun that heads the source, as a lemma: "report" for "A report by Fire and Emergency New
    Zealand" (whose party is the body that wrote it); "" for a name or a pronoun."""
    for piece in att.source:
        span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
        if span is not None and len(span) and span.root.pos_ == "NOUN":
            return span.root.lemma_.lower()
    return ""


def _dispute_cue(cue: Sequence[Token], cue_low: str) -> bool:
    """Is the cue a denial: a dispute verb anywhere in it ("went on to rebut"), a dispute participle on its object
    ("published a letter disputing", which span boundaries leave outside the cue) or a dispute phrase ("pushed
    back")?"""
    return any(_disputing(t) or _dispute_as_plural(t) or any(_disputing(a) for o in t.children if o.dep_ == "dobj"
                                                          for a in o.children if a.dep_ == "acl")
               for t in cue) or any(p in cue_low for p in WORDS.dispute_cue_phrases)


def _dispute_as_plural(t: Token) -> bool:
    """A cue verb the tagger read as a plural noun: "The council, which represents 12,000 owners, disputes that
    figure" (``disputes`` tagged NNS after a long subject); the extractor's cue says it is the verb."""
    # never a noun's place ("raised new questions about", "expressed doubts"): an object, a subject, a modifier
    return t.tag_ == "NNS" and t.lemma_.lower() in WORDS.dispute_cues and t.dep_ in ("ROOT", "appos", "relcl", "conj") \
        and not any(c.dep_ in ("det", "amod", "poss", "compound", "nummod") for c in t.children)


def _disputing(t: Token) -> bool:
    """A verb of disputing ("rebut", "deny", "dispute")."""
    return t.pos_ == "VERB" and t.lemma_.lower() in WORDS.dispute_cues


def _counters(content: SpacySpan, phrases: Iterable[str] | None = None) -> bool:
    """'... that he is in fact a natural-born citizen': the speaker sets the record straight (by ``phrases``, when
    given: one kind of counter)."""
    text = f" {' '.join(t.lower_ for t in content)} "
    return any(f" {p} " in text for p in (WORDS.counters if phrases is None else phrases))


def _own_dispute_verb(content: SpacySpan) -> Token | None:
    """'he ... disagrees with a State Department decision': a dispute verb whose subject is the speaker."""
    for t in content:
        if t.pos_ == "VERB" and t.lemma_.lower() in WORDS.dispute_cues:
            subj = next((c for c in t.children if c.dep_ in _SUBJECTS), None)
            if subj is None and t.dep_ == "conj":
                subj = next((c for c in t.head.children if c.dep_ in _SUBJECTS), None)
            if subj is not None and subj.lower_ in _SPEAKER_PRONOUNS and not _proposal_object(t):
                return t
    return None


def _proposal_object(verb: Token) -> bool:
    """Is the verb's object a proposal or a decision ("would challenge the permit", "rejected Trump's offer",
    "would challenge the decision")? Then it takes a position; it does not dispute a claim."""
    lemmas = (c.lemma_.lower() for c in verb.children if c.dep_ == "dobj")
    return any(lemma in WORDS.proposal_nouns or lemma in WORDS.decision_nouns for lemma in lemmas)


def _institution(party: str) -> bool:
    """A body described, not named, that takes a side as itself: "the army said", "the health ministry said",
    "prosecutors said" (the names module's institution heads)."""
    return party.split()[-1].lower() in INSTITUTION_HEADS


def _evidence_source(party: str) -> bool:
    """An unnamed source of evidence that can take a side: "multiple reports reveal that's untrue"."""
    last = party.split()[-1].lower()
    return last in WORDS.evidence_sources or last.removesuffix("s") in WORDS.evidence_sources


def _named(party: str) -> bool:
    """A party with a name ("Trump campaign", "Exxon Mobil"), not a bare description ("the company", "his")."""
    return any(c.isupper() for c in party)


def _headline(doc: Doc, cue: list[Token]) -> bool:
    """A title-case headline ("Board Of Election Finds"): its verbs are not statements."""
    if not cue:
        return False
    words = [t for t in cue[0].sent if t.is_alpha]
    return len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


def _in_title(text: str, att: Attribution) -> bool:
    """Inside the article's first line when more follows: a title, not a statement."""
    first = text.lstrip().split("\n", 1)
    if len(first) < 2 or not first[1].strip():
        return False
    end = len(text) - len(text.lstrip()) + len(first[0])
    return min(c.start for c in att.cue) < end


def _judged_claim_noun(cue: list[Token]) -> bool:
    """'repeating a false claim', 'the debunked accounts': the narrator judges the speaker's claim."""
    return any(t.lemma_.lower() in WORDS.claim_nouns and any(
        c.dep_ == "amod" and WORDS.judging(c)
        for c in t.children) for t in cue)


def _lemmas(span: SpacySpan | None) -> set[str]:
    if span is None:
        return set()
    return {t.lemma_ if t.pos_ == "PROPN" else t.lemma_.lower()
            for t in span if t.pos_ in _CONTENT_POS and not t.is_stop and len(t) > 2}


def _named_asserter(doc: Doc, d: Said, names: Names) -> str | None:
    """A party the dispute itself names as the source of what it disputes."""
    cue = [doc[i] for i in d.cue_tokens]
    # The cue and its objects too: "rubbished Trump's claim", "disputing accusations by Exxon", "called Fields ...".
    scope = list(d.content or ()) + cue + [t for tok in cue for c in tok.children
                                           if c.dep_ in ("dobj", "oprd") or c.lower_ in _ABOUT for t in c.subtree]
    verb = _own_dispute_verb(d.content) if d.content is not None else None
    if verb is not None:  # "disagrees with a State Department decision": the decision's owner
        for obj in [c for c in verb.children if c.dep_ == "dobj"] + [
                g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]:
            owner = next((c for c in obj.children if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"), None)
            name = names.of_token(owner) if owner is not None else None
            if name and not _same_party(name, d.party):
                return name
    for tok in scope:
        if tok.lemma_.lower() in WORDS.claim_nouns:
            owner = next((c for c in tok.children if c.dep_ == "poss"), None) or _compound_owner(tok, names)
            if owner is None:
                by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
                if by is None and tok.dep_ == "dobj" and not any(c.dep_ == "auxpass" for c in tok.head.children):
                    # "disputing accusations by Exxon": the parser hangs "by" on the (active) verb
                    by = next((c for c in tok.head.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
                owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            if owner is not None and owner.ent_type_ in _FIGURES:
                owner = None  # "raised track access charges by 60 percent": a measure, not whose charges
            if owner is not None:
                name = names.of_token(owner) or _titled(owner) or (
                    names.resolved(owner, ahead=owner.dep_ == "compound") if owner.pos_ == "NOUN" else None) \
                    or _described_owner(owner)
                if name and not _same_party(name, d.party):
                    return name
    owner = _judged_owner(d.pieces)
    if owner is not None:  # "The minister's 300 million is a fantasy", in any piece of the statement
        name = names.resolved(owner)
        if name and not _same_party(name, d.party):
            return name
    if not WORDS.judges_false(scope):
        return None
    # A person the judgement is about: "thought Fields had made up the story", "called him a liar" (an argument
    # of the judged clause, not a possessor: "no evidence of Mr. Putin's involvement" is not Putin's claim).
    scope = _judged_clauses(scope)
    for t in scope:
        if t.dep_ in _ARGUMENTS and (t.ent_type_ == "PERSON" or names.known(t)):
            name = names.of_token(t)
            if name and not _same_party(name, d.party):
                return name
    pronoun = next((t for t in scope if t.dep_ in _ARGUMENTS and t.lower_ in _PERSON_PRONOUNS), None)
    return names.person_before(doc, pronoun.sent.start, d.party) if pronoun is not None else None


def _compound_owner(noun: Token, names: Names) -> Token | None:
    """A body or people compounded onto a claim noun as its owner ("contradicted the police version of events",
    "disputed the government count"), when the article knows them as a party; not a topic ("the fraud
    allegations")."""
    for c in noun.children:
        if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN") and names.resolved(c, ahead=True):
            return c
    return None


def _judged_owner(pieces: Sequence[SpacySpan]) -> Token | None:
    """The owner, named by a description ("The minister's"), of what a statement's piece judges untrue by its
    subject (:func:`_owner_of_judged_subject`); a name's is found by the other readings."""
    return next((o for p in pieces for t in p if (o := _owner_of_judged_subject(t)) is not None), None)


def _owner_of_judged_subject(tok: Token) -> Token | None:
    """The possessor, a common noun, of a subject that its own clause judges untrue ("The minister's 300 million
    | is a fantasy"); None for anything else (a pronoun or a name as possessor too)."""
    if tok.dep_ != "nsubj" or not (WORDS.judging(tok.head) or any(
            WORDS.judging(c) for c in tok.head.children if c.dep_ in ("attr", "acomp"))):
        return None
    return next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)


def _description_words(text: str) -> tuple[str, ...]:
    """A description's words without determiners and possessive endings ("The minister's" → ("minister",))."""
    words = text.lower().replace("’s", "").replace("'s", "").split()
    return tuple(w for w in words if w not in _DETERMINERS)


def _described_owner(owner: Token) -> str | None:
    """An owner of a claim named by what it is, not by name: "dismissed claims by some Western officials",
    "disputed the club's account" (Western officials, the club). A report or a study is a source of evidence,
    found by :meth:`_Disputes.described_source` instead."""
    lemma = owner.lemma_.lower()
    if owner.pos_ != "NOUN" or lemma in WORDS.evidence_sources or lemma in PLACE_NOUNS:
        return None  # a place is where from, not whose: "figures from at least three local government areas"
    words = [t for t in owner.lefts if t.dep_ in ("amod", "compound", "nmod")] + [owner]
    return parties.party_name(" ".join(t.text for t in words))


def _unowned_reports(doc: Doc, d: Said) -> str | None:
    """'dismissed media reports that the coach had been sacked': reports no one in the article owns are the
    asserting side, by their own words ("media reports")."""
    for tok in (doc[i] for i in d.cue_tokens):
        for obj in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
            if obj.lemma_.lower() not in WORDS.evidence_sources or any(
                    c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ in ("by", "from")
                    or c.dep_ == "det" and c.lower_ in _DEFINITE for c in obj.children):
                continue  # "the two investigative reports" are ones the article introduced: whose, it says
            words = [t for t in obj.lefts if t.dep_ in ("compound", "amod")] + [obj]
            return " ".join(t.text for t in words)
    return None


def _described_evidence(doc: Doc, d: Said) -> str | None:
    """The source of evidence a dispute's object names by a definite description, as its lemma: "the
    report" and "the report's account" → "report" (a common noun; a named owner is found before this)."""
    judged = [d.content.root] if d.content is not None and len(d.content) else []
    for tok in [doc[i] for i in d.cue_tokens] + judged:
        # the cue's object ("rejected the study"), or the subject the content judges ("said the report was
        # inaccurate and unfair")
        deps = ("dobj",) if tok.i in d.cue_tokens else ("nsubj",)
        for obj in (c for c in tok.children if c.dep_ in deps):
            poss = next((c for c in obj.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
            noun = poss if poss is not None and obj.lemma_.lower() in WORDS.claim_nouns else obj
            if noun.lemma_.lower() in WORDS.evidence_sources and any(
                    c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.children):
                return noun.lemma_.lower()
    return None


def _reported(doc: Doc, d: Said, names: Names) -> Proposition | None:
    """What the reports a dispute names say: the clause of "reports that the coach had been sacked"."""
    for tok in (doc[i] for i in d.cue_tokens):
        for obj in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
            clause = next((c for c in obj.children if c.dep_ in ("acl", "relcl", "ccomp")
                           and any(m.dep_ == "mark" for m in c.children)), None)
            if clause is not None:
                return proposition_of(doc[clause.left_edge.i:clause.right_edge.i + 1], names)
    return None


def _titled(tok: Token) -> str | None:
    """A name the parser did not tag: "a report by The Information" (capitalised words, not a sentence start)."""
    words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ in ("compound", "det", "amod") or t.i == tok.i]
    if not tok.is_title or tok.is_sent_start or not all(t.is_title or t.dep_ == "det" for t in words):
        return None
    return parties.party_name(" ".join(t.text for t in words))


def _judged_clauses(scope: list[Token]) -> list[Token]:
    """The clauses whose own words judge ("but she's wrong"), not every clause of a long quote (a president
    named in another of its sentences is not the one judged); the whole scope when a phrase judges."""
    verbs = {}
    for t in scope:
        if WORDS.judging(t):
            v = t
            while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
                v = v.head
            verbs[v.i] = v
    inside = {t.i for t in scope}
    return [t for v in verbs.values() for t in v.subtree if t.i in inside] or scope


def _same_person(a: str, b: str) -> bool:
    return a.split()[-1].lower() == b.split()[-1].lower()


def _is_anaphoric(d: Said) -> bool:
    if d.content is None:
        return True
    words = [t for t in d.content if not t.is_punct]
    return len(words) <= 6 or any(t.lower_ in WORDS.anaphors and t.dep_ in _SUBJECTS | {"dobj", "det"}
                                  for t in words[:4])


class _Nearby:
    """The statements of one article found by where their sentences lie (a long article has thousands), with
    each statement's content words read once."""

    def __init__(self, saids: Sequence[Said]) -> None:
        self.saids = saids
        self._ranges = Ranges(sorted((s.sentence.start, s.sentence.end, k) for k, s in enumerate(saids)))
        self._lemmas: dict[int, set[str]] = {}
        self._contents: list[tuple[int, int]] | None = None
        self._starts = [s.sentence.start for s in saids]
        self._in_order = all(a <= b for a, b in zip(self._starts, self._starts[1:]))

    def around(self, lo: int, hi: int) -> list[Said]:
        """The statements whose sentences overlap characters ``[lo, hi)``, in the article's order."""
        return [self.saids[k] for k in sorted(k for _, _, k in self._ranges.overlapping(lo, hi))]

    def latest_before(self, start: int) -> Iterator[Said]:
        """``reversed([s for s in saids if s.sentence.start < start])``, without the list when the statements
        come in the order of their sentences (as they do: the attributions' reading order)."""
        if self._in_order:
            for k in range(bisect_left(self._starts, start) - 1, -1, -1):
                yield self.saids[k]
        else:
            yield from reversed([s for s in self.saids if s.sentence.start < start])

    def contents_starting(self, lo: int, hi: int) -> list[Said]:
        """The statements whose content starts at a token in ``[lo, hi)``, in the article's order."""
        if self._contents is None:
            self._contents = sorted((s.content.start, k) for k, s in enumerate(self.saids) if s.content is not None)
        at = bisect_left(self._contents, (lo,))
        found = []
        while at < len(self._contents) and self._contents[at][0] < hi:
            found.append(self._contents[at][1])
            at += 1
        return [self.saids[k] for k in sorted(found)]

    def lemmas(self, s: Said) -> set[str]:
        found = self._lemmas.get(id(s))
        if found is None:
            found = self._lemmas[id(s)] = _lemmas(s.content)
        return found


def _answered(d: Said, saids: Sequence[Said] | _Nearby, names: Names | None = None) -> Said | None:
    """The earlier statement by another party (not one it speaks for) that the dispute most likely answers."""
    nearby = saids if isinstance(saids, _Nearby) else _Nearby(saids)
    if d.content is not None and _counters(d.content):
        # "... to defend the view that he is in fact natural-born": a counter answers one who said otherwise,
        # so a statement of the other polarity goes first; one that says the same shares its words by agreeing
        # and, pointing back ("no such plan", whatever its polarity), one said before it
        back = _counters(d.content, WORDS.existence_denials)
        other = {s.index for s in nearby.saids if s.sentence.start < d.sentence.start
                 and (back or s.proposition.polarity != d.proposition.polarity)}
        found = _best_answer(d, nearby, names, other)
        if found is not None:
            return found
    for nouns, fits in ((WORDS.figure_nouns, lambda s: _figure(s) is not None),
                        (WORDS.charge_nouns, lambda s: s.cue in WORDS.charge_cues)):
        # "disputes that figure": of the statements near it, one that gives a figure; "called the fraud
        # allegations a desperate fiction": one that charges someone
        if _points_at(d, nouns):
            found = _best_answer(d, nearby, names, {s.index for s in nearby.saids if fits(s)}, hinted=True)
            if found is not None:
                return found
    return _best_answer(d, nearby, names)


def _fitting(d: Said, candidates: list[Said]) -> list[Said]:
    """Of a named party's statements, those giving a figure when the dispute is about one ("The minister's 300
    million is a fantasy", "disputed the minister's figure"); all of them when none gives one."""
    if _figure(d) is None and not _points_at(d, WORDS.figure_nouns):
        return candidates
    return [s for s in candidates if _figure(s) is not None] or candidates


def _points_at(d: Said, nouns: frozenset[str]) -> bool:
    """Does a dispute point back at what these nouns name ("disputes that figure", "the fraud allegations")?"""
    return d.content is not None and _is_anaphoric(d) and any(t.lower_ in nouns for t in d.content[:6])


def _best_answer(d: Said, nearby: _Nearby, names: Names | None, among: set[int] | None = None,
                 hinted: bool = False) -> Said | None:
    """The statement around ``d`` (of the indices ``among``, when given) sharing the most words with it, if
    enough; when ``d`` names the kind of statement it answers (``hinted``), the latest of that kind sharing most
    words, however few."""
    mine = nearby.lemmas(d)
    best, best_score = None, -1.0 if hinted else 0.0
    for s in nearby.around(d.sentence.start - ANSWER_WINDOW - 1, d.sentence.end + FORWARD_WINDOW + 1):
        if among is not None and s.index not in among:
            continue
        if s.index == d.index or _allied(names, s.party, d.party) or s.disputes:
            continue
        if s.sentence.overlaps(d.sentence) and not s.end <= d.start:
            continue  # two readings of one sentence are not a dispute; "X said ..., but reports show that's
            # untrue" answers within the sentence
        if s.cue in WORDS.question_cues:
            continue  # "was pressed about ...": a question is no claim
        shared = _shared(mine, nearby.lemmas(s))
        if s.start > d.start if s.sentence.overlaps(d.sentence) else s.sentence.start >= d.sentence.start:
            # "...denied it, despite his claim that he had done so": an answer may come just before its claim.
            if s.sentence.start - d.sentence.end > FORWARD_WINDOW or shared < 1.5:
                continue
            score = float(shared)
        else:
            gap = d.sentence.start - s.sentence.end
            if gap > ANSWER_WINDOW:
                continue
            score = shared + (0.5 if gap < 300 else 0.0)
        # of equal scores the later sentence; in one sentence, a statement with a clause before one without
        # ("opposed by Public Citizen, which said the agency had lowered its standards": what it said)
        if score > best_score or (score == best_score and best is not None
                                  and (s.sentence.start, _clausal(s)) > (best.sentence.start, _clausal(best))):
            best, best_score = s, score
    if best is None:
        return None
    if hinted or best_score >= 1.5 or (_is_anaphoric(d) and best_score >= 0.5):
        return best
    return None


def _clausal(s: Said) -> bool:
    """Does the statement say something with a verb of its own, not only name a thing ("opposed the approval")?"""
    return s.content is not None and any(t.pos_ in ("VERB", "AUX") for t in s.content)


def _allied(names: Names | None, a: str, b: str) -> bool:
    """The same party, or one speaks for the other ("Alan Jeffers, a spokesman for Exxon Mobil", and Exxon)."""
    if _same_party(a, b) or _own(a, b) or _own(b, a):
        return True
    if names is None:
        return False
    of_a, of_b = names.affiliation(a), names.affiliation(b)
    return bool(of_a and _same_party(of_a, b) or of_b and _same_party(of_b, a))


def _own(body: str, source: str) -> bool:
    """Is ``source`` the body's own poll, survey or analysis, or those who speak for it ("a Military Times survey"
    of the Military Times, "a Washington Post analysis of campaign finance filings" of the Post, "Obama aides")?"""
    words = source.split()
    named, own = {w for w in words if w[:1].isupper()}, set(body.split())
    return any(w.lower() in WORDS.evidence_sources | WORDS.measurements | WORDS.own_voices for w in words) \
        and bool(named) and (own <= named or named <= own)  # "Lind aides" of Anna Lind


def _figure(s: Said) -> tuple[str, str, float] | None:
    """What a statement counts and how many: (kind, counted noun, value) of its first figure ("400 people")."""
    for span in s.pieces or ((s.content,) if s.content is not None else ()):
        for ent in doc_entities(span.doc).within(span.start, span.end):
            if ent.label_ not in _FIGURES and not _duration(ent):
                continue
            value = _number(ent)
            root = ent.root
            noun = root.head if root.dep_ in ("nummod", "quantmod", "compound") and root.head.pos_ == "NOUN" else root
            if value is not None:
                return ent.label_, noun.lemma_.lower(), value
    return None


def _duration(ent: SpacySpan) -> bool:
    """A span of minutes or hours, which the tagger types TIME ("an average of 25 minutes"): a figure, unlike a
    time of day ("at 3 p.m.")."""
    return ent.label_ == "TIME" and ent[-1].lemma_.lower() in _DURATION_UNITS


def _bare_figure(s: Said) -> tuple[str, str, float] | None:
    """The first number of a statement that no entity holds, as a count: ("CARDINAL", "", value)."""
    for span in s.pieces:
        for t in span:
            if t.pos_ == "NUM" and not t.ent_type_ and (value := _number(t.doc[t.i : t.i + 1])) is not None:
                return "CARDINAL", "", value
    return None


def _number(ent: SpacySpan) -> float | None:
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    value = None
    for t in ent:
        word = t.text.replace(",", "").lstrip("$€£")
        if value is None:
            try:
                value = float(word)
            except ValueError:
                continue
        elif t.lower_ in scale:
            value *= scale[t.lower_]
    return value


def _higher_or_lower(r: Said) -> bool:
    """'the real toll is far higher': a party says another's figure is too low or too high without one of its
    own (a correcting adjective on a figure noun, and a comparative)."""
    return _figure_called_real(r) and any(t.tag_ in ("JJR", "RBR") for p in r.pieces for t in p)


def _figure_called_real(r: Said) -> bool:
    """'the real toll', 'the actual number': a figure noun with a correcting adjective."""
    return any(t.lower_ in WORDS.figure_nouns and any(c.dep_ == "amod" and c.lower_ in WORDS.correcting
                                                       for c in t.children) for p in r.pieces for t in p)


def _figure_before(r: Said, nearby: _Nearby) -> Said | None:
    """The latest statement before ``r`` by another party that gives a figure as a fact (not "would cost")."""
    for s in nearby.latest_before(r.sentence.start):
        if r.sentence.start - s.sentence.end > ANSWER_WINDOW:
            break
        if not (s.disputes or _same_party(s.party, r.party) or s.proposition.modality or _measurements(s, r)) \
                and _figure(s) is not None:
            return s
    return None


def _measurements(a: Said, b: Said) -> bool:
    """Are both statements a measurement's (two polls)? Counting the same thing differently, they answer nothing."""
    return all(any(w in WORDS.measurements for w in s.party.lower().split()) for s in (a, b))


def _offered_instead(r: Said) -> bool:
    """Does a statement offer its figure in place of another's: "the real figure is ...", "the actual number",
    "a consumption closer to 1.4 billion litres" (not "the real dilemma ... 60 electoral votes")?"""
    return _figure_called_real(r) or any(
        f" {c} " in f" {' '.join(t.lower_ for t in p)} " for p in r.pieces for c in WORDS.correcting_phrases)


def _counted_before(r: Said, saids: Sequence[Said] | _Nearby) -> Said | None:
    """The statement before ``r`` by another party that counts the same thing with another figure, about the
    same event (they share a content word besides the figure and the noun counted)."""
    mine = _figure(r)
    # "the real figure is closer to 6,000 families" after "850 households would need to move": a figure offered
    # in place of the other's counts the same thing, though in other words, and a forecast may answer a forecast
    replaces = _offered_instead(r)
    if mine is None and not r.proposition.modality and _higher_or_lower(r):
        found = _figure_before(r, saids if isinstance(saids, _Nearby) else _Nearby(saids))
        if found is not None or not replaces:
            return found
    if mine is None and replaces:
        mine = _bare_figure(r)  # "the real number was closer to 900": a number the tagger typed nothing
    if mine is None or mine[1] in WORDS.proposal_nouns or r.proposition.modality and not replaces:
        return None  # "would not go above a $12 minimum wage" is a position on a proposal, not a count
    words = _all_lemmas(r)
    # "the real rate was 8 percent": a figure offered in place of another needs no other word in common
    corrects = any(t.dep_ == "amod" and t.lower_ in WORDS.correcting for p in r.pieces for t in p)
    nearby = saids if isinstance(saids, _Nearby) else _Nearby(saids)
    for s in nearby.latest_before(r.sentence.start):
        if r.sentence.start - s.sentence.end > ANSWER_WINDOW:
            break
        if s.disputes or _same_party(s.party, r.party) or s.proposition.modality and not replaces \
                or _measurements(s, r):
            continue
        theirs = _figure(s)
        if theirs is None or theirs[0] != mine[0] or theirs[1] != mine[1] and not replaces or theirs[2] == mine[2]:
            continue
        if corrects or replaces or len((words & _all_lemmas(s)) - {mine[1]} - {w for w in words if any(c.isdigit() for c in w)}):
            return s
    return None


def _shared(a: set[str], b: set[str]) -> float:
    """Content words two statements share; a name counts one and a half (it anchors the topic)."""
    return sum(1.5 if w[:1].isupper() else 1.0 for w in a & b)


def _same_body(a: str, b: str) -> bool:
    """The same party, or one is the other's initials ("ARA", "Amandla Residents' Alliance")."""
    return _same_party(a, b) or initials(a) == b or initials(b) == a


def _same_party(a: str, b: str) -> bool:
    return parties.key(a) == parties.key(b) or (len(a.split()) > 1 and len(b.split()) > 1 and _same_person(a, b))


def trimmed(text: str, span: Span) -> tuple[Span, str]:
    """A span without the white space around it, and its text (evidence is the sentence as written). A
    sentence the parser opened with the closing quote mark of the paragraph before starts after that paragraph."""
    raw = text[span.start:span.end]
    before, brk, after = raw.partition("\n\n")
    if brk and not before.strip(" \n\"'”’»"):  # the quote mark that closed the paragraph before it
        raw, span = after, Span(span.start + len(before) + len(brk), span.end)
    lead = len(raw) - len(raw.lstrip())
    clean = raw.strip()
    return Span(span.start + lead, span.start + lead + len(clean)), clean


def _mention(s: Said | None, party: str, polarity: int, prop: Proposition, doc: Doc, via: str,
             sentence: Span, cue: str, said_on: str | None, answers: int | None = None) -> ClaimMention:
    sentence, text = trimmed(text_of(doc), sentence)
    return ClaimMention(kind=ClaimKind.STATEMENT, target=prop.text(), party=party, polarity=polarity, span=sentence,
                        text=text, cue=cue, holder=prop.subject,
                        value=prop.figure, said_on=said_on, via=via, answers=answers, proposition=prop)


def find_disputes(doc: Doc, attributions: Sequence[Attribution], said_on: str | None = None,
                  outlet: str | None = None) -> list[ClaimMention]:
    """Assert/dispute pairs of one article, as mentions (assertion first, then the dispute answering it)."""
    names = Names(doc, attributions)
    found = _Disputes(doc, names, read_statements(doc, attributions, names, said_on))
    unattributed = _unattributed(doc, found.saids, names)
    found.pair_attributed(unattributed)
    found.pair_unattributed(unattributed)
    found.pair_flagged()
    found.pair_counter_figures()
    found.pair_charges()
    if outlet:
        found.add_narrator_disputes(outlet)
    return found.mentions


def _closest(candidates: list[Said], d: Said, nearby: _Nearby) -> Said | None:
    """Of a named party's statements, the one sharing the most content words with ``d`` ("Keller's comments
    about the ballots" → what Keller said about the ballots), then the nearest in the article, before or after."""
    if not candidates:
        return None
    mine = nearby.lemmas(d)
    return min(candidates, key=lambda s: (-_shared(mine, nearby.lemmas(s)), abs(s.sentence.start - d.sentence.start)))


class _Disputes:
    """The mentions of one article as its disputes are paired, each assertion made once and shared by the
    disputes that answer it; the passes run in order of how directly a dispute names what it answers."""

    def __init__(self, doc: Doc, names: Names, saids: list[Said]) -> None:
        self.doc = doc
        self.names = names
        self.saids = saids
        self.mentions: list[ClaimMention] = []
        self.asserted_at: dict[int, int] = {}  # Said.index → index of its assertion mention
        self.paired: set[int] = set()  # Said.index of the statements already paired as disputes
        self.by_party: dict[str, list[Said]] = {}
        for s in saids:
            self.by_party.setdefault(parties.key(s.party), []).append(s)
        self.nearby = _Nearby(saids)

    def pair(self, src: Said | None, asserter: str, d: Said, via: str) -> None:
        """``d`` disputes what ``asserter`` said (``src``, or, without a statement, ``d``'s own proposition)."""
        if _allied(self.names, asserter, d.party):
            return
        if src is not None and src.index in self.asserted_at:
            at = self.asserted_at[src.index]
            prop = self.mentions[at].proposition
        else:
            prop = src.proposition if src is not None else (d.proposition if via == "nominal" else None)
            if prop is None:
                return
            sentence = src.sentence if src is not None else d.sentence
            self.mentions.append(_mention(src, asserter, 1, prop, self.doc, via if src is None else "attribution",
                                          sentence, src.cue_text if src is not None else "",
                                          src.said_on if src else d.said_on))
            at = len(self.mentions) - 1
            if src is not None:
                self.asserted_at[src.index] = at
        self.mentions.append(_mention(d, d.party, -1, prop, self.doc, "attribution", d.sentence, d.cue_text,
                                      d.said_on, at))
        self.paired.add(d.index)

    def pair_attributed(self, unattributed: list[tuple[Said, Said | None]]) -> None:
        """Attributed disputes: to the party they name, else the statement they answer, else unowned reports."""
        doc, names = self.doc, self.names
        theirs = {t.i for u, _ in unattributed for t in u.content}  # words another party's dispute says
        for d in self.saids:
            if not d.disputes or not _disputes_outside(doc, d, theirs | _relayed(d, self.nearby)):
                continue
            named = _named_asserter(doc, d, names)
            if named:
                named = self.body_of(named, d) or named
                src = _closest(_fitting(d, [s for s in self.said_for(named) if s.index != d.index and not s.disputes]),
                               d, self.nearby)
                if src is not None and not _same_party(src.party, named):
                    named = src.party  # "the ARA's debt figure", which its leader gave
                if src is None:  # "denied a report by X that ...": what the report says is the proposition
                    d = replace(d, proposition=_reported(doc, d, names) or d.proposition)
                self.pair(src, named, d, "nominal")
                continue
            src = self.described_source(d) or _answered(d, self.nearby, names)
            if src is not None:
                self.pair(src, src.party, d, "reference")
                continue
            reports = _unowned_reports(doc, d)
            if reports:
                self.pair(None, reports, replace(d, proposition=_reported(doc, d, names) or d.proposition),
                          "nominal")

    def said_for(self, party: str) -> list[Said]:
        """What a party said, or, when it said nothing itself, what those who speak for it said ("Its caucus
        leader, Sifiso Nxumalo-Bhengu, said ..." for the Amandla Residents' Alliance, or the ARA)."""
        own = self.by_party.get(parties.key(party), [])
        if own:
            return own
        return [s for s in self.saids if (body := self.names.affiliation(s.party)) and _same_body(body, party)]

    def pair_flagged(self) -> None:
        """The narrator says a party's claim is disputed and the statement after it says by whom: "Adhikari's
        failure figure is also disputed. The Teachers' Union of Nepal said the ministry had counted ..."."""
        for tok in self.doc:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in WORDS.dispute_cues \
                    or any(c.dep_ == "agent" for c in tok.children):
                continue  # ("is disputed by X" names its party: the extractor reads it)
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            owner = next((c for c in subj.children if c.dep_ == "poss"), None) if subj is not None \
                and subj.lemma_.lower() in WORDS.claim_nouns | WORDS.figure_nouns else None
            named = self.names.of_token(owner) if owner is not None else None
            if not named:
                continue
            after = next((t for t in self.doc[tok.sent.end:] if not t.is_space), None)
            if after is None:
                continue
            nxt = after.sent  # the statement must be the next sentence's
            d = min((s for s in self.saids if s.sentence.start < nxt.end_char and s.sentence.end > nxt.start_char),
                    key=lambda s: s.start, default=None)
            if d is None or d.index in self.paired or _allied(self.names, d.party, named):
                continue
            said = [s for s in self.said_for(named) if s.end <= tok.idx and not s.disputes]
            src = _closest(_fitting(d, said), d, self.nearby)
            if src is not None:
                self.pair(src, src.party, replace(d, disputes=True), "reference")

    def body_of(self, described: str, d: Said) -> str | None:
        """The body a description of its members names, when the description is no party of its own: "the
        retailers' jobs estimate" after "The Dublin City Retailers' Guild said ..." (the latest such body before
        the dispute)."""
        if parties.key(described) in self.by_party or " " in described.strip():
            return None
        word = described.strip().lower().removesuffix("'").removesuffix("’")
        found = None
        for s in self.saids:
            if s.start >= d.start:
                break
            words = {w.strip("'’").removesuffix("'s").removesuffix("’s") for w in s.party.lower().split()}
            if word in words and s.party[:1].isupper() and not _same_party(s.party, d.party):
                found = s.party
        return found

    def described_source(self, d: Said) -> Said | None:
        """'disputed the report's account', 'rejected the study': the latest statement before it whose party is
        such a source ("a newspaper report said ..."), not the nearest statement of anyone."""
        noun = _described_evidence(self.doc, d)
        if noun is None:
            return None
        theirs = [s for s in self.saids if s.start < d.start and not s.disputes and s.party
                  and (s.party.lower().split()[-1] in (noun, noun + "s") or s.source_noun == noun)]
        return max(theirs, key=lambda s: s.start) if theirs else None

    def pair_unattributed(self, unattributed: list[tuple[Said, Said | None]]) -> None:
        """Disputes the extractor did not attribute: "a claim that Gowdy's office strongly disputes", "taking
        to Twitter to call Fields 'totally delusional'"."""
        for d, src in unattributed:
            if src is not None:
                self.pair(src, src.party, d, "reference")
                continue
            named = _named_asserter(self.doc, d, self.names)
            if named:
                earlier = [s for s in self.by_party.get(parties.key(named), ()) if not s.disputes]
                self.pair(_closest(earlier, d, self.nearby), named, d, "nominal")

    def pair_counter_figures(self) -> None:
        """ "the ministry said 40 people were killed", then "the rebels said 400 people were killed"."""
        for r in self.saids:
            if r.index in self.paired or r.disputes:
                continue
            src = _counted_before(r, self.nearby)
            if src is not None:
                self.pair(src, src.party, r, "figure")

    def pair_charges(self) -> None:
        """Charges answered by the party charged: "X accused Y of ...", then Y: "I have never ..."."""
        for a in self.saids:
            if not a.accused:
                continue
            for r in self.nearby.around(a.sentence.start, a.sentence.end + REPLY_WINDOW + 1):
                if r.index in self.paired or r.sentence.start <= a.sentence.start:
                    continue
                if r.sentence.start - a.sentence.end > REPLY_WINDOW or not _same_party(r.party, a.accused):
                    continue
                if _denies(r) and _all_lemmas(r) & self.nearby.lemmas(a):
                    self.pair(a, a.party, r, "reference")
                    break

    def add_narrator_disputes(self, outlet: str) -> None:
        """The article itself disputing what it reports: "repeating a false claim that he opposed the war", or
        correcting it right after: "..., but in fact she used only one account"."""
        doc = self.doc
        for s in self.saids:
            if (s.judged_by_narrator or _corrected(doc, s)) and not s.disputes and not _same_party(s.party, outlet):
                at = len(self.mentions)
                self.mentions.append(_mention(s, s.party, 1, s.proposition, doc, "attribution", s.sentence,
                                              s.cue_text, s.said_on))
                self.mentions.append(_mention(s, outlet, -1, s.proposition, doc, "narrator", s.sentence,
                                              s.cue_text, s.said_on, at))


_CALLING = {"call", "label", "brand", "dub", "deem"}


def _disputes_outside(doc: Doc, d: Said, theirs: set[int]) -> bool:
    """Does the statement dispute by its own cue or words, not only by words of another party's dispute inside it
    ("X said ..., with Y taking to Twitter to call X delusional")?"""
    if not theirs or d.content is None or not any(t.i in theirs for t in d.content):
        return True
    cue = [doc[i] for i in d.cue_tokens]
    if d.cue in WORDS.dispute_cues or _dispute_cue(cue, d.cue_text.lower()) or WORDS.judges_false(cue):
        return True
    verb = _own_dispute_verb(d.content)
    return WORDS.judges_false([t for t in d.content if t.i not in theirs]) or (verb is not None and verb.i not in theirs)


def _relayed(d: Said, saids: Sequence[Said] | _Nearby) -> set[int]:
    """Words of other parties' statements that ``d`` only relays: "'There is no basis for it,' X said,
    according to the Star" — the judgement is X's, not the Star's."""
    if d.content is None:
        return set()
    inside = range(d.content.start, d.content.end)
    out: set[int] = set()
    nearby = saids if isinstance(saids, _Nearby) else _Nearby(saids)
    for s in nearby.contents_starting(d.content.start, d.content.end):
        if s.index != d.index and s.content is not None and len(s.content) \
                and s.content.start in inside and s.content.end - 1 in inside and not _same_party(s.party, d.party):
            out.update(s.cue_tokens)
            out.update(t.i for t in s.content or ())
    return out


def _unattributed(doc: Doc, saids: Sequence[Said], names: Names) -> list[tuple[Said, Said | None]]:
    """Dispute verbs with a named subject that no attribution's cue covers, as statements of that subject.

    A relative clause on a claim noun answers the statement the noun sits in ("he was fired for it, a claim
    that Gowdy's office disputes"); calling a person something untrue answers that person."""
    covered = {i for s in saids for i in s.cue_tokens}
    out: list[tuple[Said, Said | None]] = []
    for tok in doc:
        clause = tok.dep_ in ("relcl", "acl") and any(c.dep_ in _SUBJECTS for c in tok.children)
        if (tok.pos_ != "VERB" and not clause) or tok.i in covered:
            continue  # (a clause verb the parser tagged a noun: "a claim that X strongly disputes")
        lemma = tok.lemma_.lower()
        calling = lemma in _CALLING and WORDS.judges_false(list(tok.subtree))
        if lemma not in WORDS.dispute_cues and not calling:
            continue
        subj = _climb_subject(tok)
        party = _party_of_phrase(subj, names) if subj is not None else None
        if not party:
            continue
        sent = tok.sent
        d = Said(-1 - tok.i, party, lemma, tok.text, Span(sent.start_char, sent.end_char),
                 doc[tok.i:tok.right_edge.i + 1], Proposition(predicate=lemma), True, None, None, False, (tok.i,),
                 tok.right_edge.idx + len(tok.right_edge))
        own = _elaborated(tok, saids, party)
        if own is not None:  # "denied that card data was stolen, contradicting a report": what it denied
            d = replace(d, content=own.content, proposition=own.proposition)
        src = None
        if tok.dep_ in ("relcl", "acl") and tok.head.lemma_.lower() in WORDS.claim_nouns:
            src = next((s for s in saids if s.sentence.start <= tok.head.idx < s.sentence.end and not s.disputes
                        and not _same_party(s.party, party)), None)
            if src is None:
                continue
        out.append((d, src))
    return out


def _elaborated(tok: Token, saids: Sequence[Said], party: str) -> Said | None:
    """The party's own statement that a participle of disputing goes on from: "X denied that A, contradicting
    a report by Y" disputes A."""
    if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "xcomp", "conj"):
        return None
    return next((s for s in saids if tok.head.i in s.cue_tokens and _same_party(s.party, party)
                 and s.content is not None), None)


def _climb_subject(tok: Token) -> Token | None:
    """The subject of a verb, through 'taking to Twitter to call', conjuncts and relative clauses."""
    for _ in range(4):
        subj = subject_child(tok, tuple(_SUBJECTS))
        if subj is not None and subj.lower_ not in ("that", "which", "who"):
            return subj
        if tok.dep_ == "acl" and tok.head.pos_ in ("PROPN", "NOUN") and tok.head.lemma_.lower() not in \
                WORDS.claim_nouns:
            return tok.head  # "with Lewandowski taking to Twitter to call ...": Lewandowski
        if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp") and tok.head.i != tok.i:
            tok = tok.head
        else:
            return None
    return None


def _party_of_phrase(tok: Token, names: Names) -> str | None:
    """A named party for a subject: "Lewandowski", "Gowdy's office" (a name in it), never "the company"."""
    named = names.of_token(tok)
    if named:
        return named if _named(named) else None
    words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ in ("compound", "poss", "case", "amod") or t.i == tok.i]
    if not any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_LABELS for t in words):
        return None
    return parties.party_name("".join(t.text_with_ws for t in words).strip())


def _corrected(doc: Doc, s: Said) -> bool:
    """Does the article correct the statement in the words right after it (to the end of its sentence)?"""
    after = text_of(doc)[s.end:s.sentence.end].lower().replace("’", "'")
    return any(f" {p} " in f" {after.strip(' ,.;:')} " or after.lstrip(" ,").startswith(f"but {p}")
               for p in WORDS.corrections)


def statements_of(mentions: Iterable[ClaimMention]) -> list[tuple[str, int]]:
    """(party, polarity) of each mention: a compact view for tests and debugging."""
    return [(m.party or "", m.polarity) for m in mentions]

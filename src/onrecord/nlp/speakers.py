"""Resolving a source mention to the article's name for that speaker.

"he" → the person most recently in focus; "Zelensky" → "Volodymyr Zelensky"
(the fullest form of the name in the article); "the Ukrainian leader" → the
person the article introduced with a matching title; "a spokesman for the
Kremlin" → "Kremlin spokesman"; "the UN" → "United Nations".  The method is a
small salience model over the article's named entities, not a coreference
network: it is fast, explainable, and good where news style is regular.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..records import Span, Speaker
from ..names import acronyms_in, clean_mention, lexicons, normalise, party_name, side_of
from ..names.keys import strip_article, surname_word
from . import gazetteer, lexicon
from .datelines import in_dateline, joins_a_word
from .headlines import headline_span, opens_subjectless_line
from .organisations import (
    Organisations, described_as_body, described_by, fuller_mention, prefix_form_at, short_form_at, unlabelled_at,
)
from .quotes import Quote, find_quotes
from .ranges import Ranges, doc_entities
from .rules import past_dateline, placeholder_it, subject_child

PERSON_PRONOUNS = lexicons.PERSON_PRONOUNS  # word -> gender (m, f, x)
_PEOPLE_NOUNS = lexicons.PEOPLE_NOUNS | lexicons.PERSON_ROLE_NOUNS | lexicons.FOLLOWER_NOUNS
GROUP_PRONOUNS = lexicons.GROUP_PRONOUNS
LEADER_WORDS = {"leader", "president", "premier", "chancellor", "head"}
DETERMINERS = lexicons.DETERMINERS
HONORIFIC_TITLES = {h: t for h, t in lexicons.pairs("honorifics").items() if t}
TITLES = {h + suffix for h in lexicons.HONORIFICS for suffix in ("", ".")}


def surname_key(word: str) -> str:
    return surname_word(word)


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    # The same mentions come back sentence after sentence ("he", "Mr. Trump"): cleaned once each.
    return clean_mention(text)


@dataclass
class _Person:
    name: str
    start: int  # char offset of the fullest mention
    end: int
    words: set[str] = field(default_factory=set)  # descriptors: titles, nationalities, employers
    surname: str = ""
    tentative: bool = False  # named only in a headline, by words that may not be a given name ("Derelict Obama")


def _given_name(tok: Token) -> bool:
    """Is the word a given name: in the hand-written list or the registers, but not a title the registers also
    hold ("Judge", "General"), a country's name or people's ("America Rising PAC"), or a word the article writes
    in lower case elsewhere, which makes it an English word ("Morning Joe")? A capital the registers hold is one
    ("Wellington | Bezerra Cavalcanti", "Victoria"): a title or role comes between a capital and a name it
    describes ("Lima Mayor Jorge Munoz")."""
    low = tok.lower_.rstrip(".")
    if low in _TITLES_AND_ROLES or low in lexicons.HONORIFICS or (
            gazetteer.country_of(tok.text) and gazetteer.capital_name(tok.text) is None):
        return False
    if low not in lexicons.GIVEN_NAME_GENDER and low not in lexicons.REGISTERED_NAME_GENDER:
        return False
    return low not in _lower_words(tok.doc)


def epithet(tok: Token) -> bool:
    """A word before a name that the article also writes in lower case and that no register holds as a given name
    ("Weak - Rubio" where "weak" is written so too): a nickname's adjective, no name."""
    low = tok.lower_
    return low in _lower_words(tok.doc) and low not in lexicons.GIVEN_NAME_GENDER \
        and low not in lexicons.REGISTERED_NAME_GENDER


def without_epithet(toks: list[Token]) -> list[Token]:
    """A person's name tokens without a leading dash or a nickname's adjective before one ("Weak - Rubio" →
    "Rubio"; "Justice Kennedy" keeps its title), while a word is left."""
    while len(toks) > 1 and (toks[0].is_punct or epithet(toks[0]) and toks[1].is_punct) \
            and any(t.is_alpha for t in toks[1:]):
        toks = toks[1:]
    return toks


def _lower_words(doc: Doc) -> frozenset[str]:
    """The words an article writes in lower case, read once per Doc."""
    found = _LOWER.get(doc)
    if found is None:
        found = _LOWER[doc] = frozenset(t.text for t in doc if t.is_lower)
    return found


_LOWER: WeakKeyDictionary[Doc, frozenset[str]] = WeakKeyDictionary()


def gender_of(person: "_Person") -> str | None:
    """'m' or 'f' when the article's words for the person or their given name say so, else None: a form of
    address first ("Mrs."), then the given name, then the other words ("spokesman", "husband"), which news
    uses loosely ("Trump spokesman Hope Hicks") or the parse may tie to the wrong person ("Dorothy Woods, whose
    husband, ...")."""
    addressed = {lexicons.GENDERED_WORDS[w] for w in person.words if w in _ADDRESS_GENDER}
    if len(addressed) == 1:
        return addressed.pop()
    named = lexicons.given_name_gender(person.name)
    if named:
        return named
    said = {lexicons.GENDERED_WORDS[w] for w in person.words if w in lexicons.GENDERED_WORDS}
    return said.pop() if len(said) == 1 else None


# the forms of address (names/data/honorifics.txt) that say a gender ("mrs", "sir"); not "father", as often kin
# ("Ivanka Trump ... her father") as a priest's title
_ADDRESS_GENDER = frozenset(w for w in lexicons.GENDERED_WORDS if w in lexicons.HONORIFICS) - {"father"}


@dataclass
class ArticleEntities:
    """The people an article names, with what it calls them.

    People sharing a surname stay apart when their full names differ; a bare
    surname means the person of that name mentioned most recently before it.
    """

    people: list[_Person]
    by_surname: dict[str, list[_Person]]
    mentions: list[tuple[int, _Person]]  # (char offset, person) in reading order
    ents: tuple[SpacySpan, ...] = ()  # doc.ents, read once: spaCy rebuilds it on every access
    # Indexes that keep every lookup below from scanning the whole article (a long article has thousands):
    mention_offsets: list[int] = field(default_factory=list)  # char offset of each of ``mentions``
    surname_mentions: dict[str, tuple[list[int], list[_Person]]] = field(default_factory=dict)
    body_start: int = 0  # char offset where the body begins, after any headline
    lower_words: frozenset[str] = frozenset()  # the words the article writes in lower case
    untyped: tuple[SpacySpan, ...] = ()  # people's names the NER typed nothing (_untyped_names), kept

    def ents_in(self, span: SpacySpan) -> list[SpacySpan]:
        """The entities inside ``span`` (what ``span.ents`` gives, without rescanning the document); an entity
        that runs one possessive ending past it ("Donald Trump" of "Donald Trump's offer") counts as inside."""
        doc = span.doc
        ents = doc_entities(doc).within(span.start, span.end)
        if span.end < len(doc) and doc[span.end].tag_ == "POS":
            last = doc_entities(doc).at(span.end)
            if last is not None and span.start <= last.start and last.end == span.end + 1:
                ents.append(last)
        # "Córdoba governor Esteban Maldonado": the untyped name is the person, not the place typed PERSON
        guessed = [e for e in self.untyped if span.start <= e.start and e.end <= span.end]
        return sorted(ents + guessed, key=lambda e: e.start) if guessed else ents

    def mentions_between(self, lo: int, hi: int) -> list[tuple[int, _Person]]:
        """The mentions at char offsets ``lo <= offset < hi``, in reading order."""
        return self.mentions[bisect_left(self.mention_offsets, lo) : bisect_left(self.mention_offsets, hi)]

    def _mention(self, start: int, person: _Person, written: str | None = None) -> None:
        """``written``: the surname key of the words the mention wrote, when they are not the person's surname
        ("Dena" for Dena Minning Grayson): a given name does not make "Grayson" after it mean her."""
        self.mentions.append((start, person))
        self.mention_offsets.append(start)
        offsets, people = self.surname_mentions.setdefault(written or person.surname, ([], []))
        offsets.append(start)
        people.append(person)

    @classmethod
    def from_doc(cls, doc: Doc, text: str | None = None) -> "ArticleEntities":
        """``text``: ``doc.text``, when the caller has it (rebuilt from every token on each access)."""
        headline = headline_span(doc, doc.text if text is None else text)
        nicknamed = _nicknamed_names(doc)
        untyped = _untyped_names(doc, headline) + nicknamed
        # a name with a quoted nickname is one person, however the tagger typed its parts
        covered = {i for e in nicknamed for i in range(e.start, e.end)}
        typed = [e for e in doc.ents if not covered.intersection(range(e.start, e.end))]
        found = cls([], {}, [], tuple(sorted([*typed, *untyped], key=lambda e: e.start)))
        if headline is not None and headline[1] < len(doc):
            found.body_start = doc[headline[1]].idx
        found.lower_words = _lower_words(doc)
        guessed = {(e.start, e.end) for e in untyped}
        dropped: set[tuple[int, int]] = set()
        for ent in found.ents:
            toks = found.person_tokens(ent)
            if toks and (ent.start, ent.end) in guessed and surname_key(toks[-1].text) in found.by_surname:
                # a name the NER missed is trusted only with a surname of its own: "whose husband, Navy SEAL Ty
                # Woods," is not whom "Woods said" after "Dorothy Woods" means
                dropped.add((ent.start, ent.end))
                continue
            if not toks or in_dateline(doc, ent.start):
                continue
            in_headline = headline is not None and ent.start < headline[1]
            while in_headline and len(toks) > 1 and toks[0].pos_ != "PROPN":
                toks = toks[1:]  # "Beneath Clinton's Wins": a headline's capitalised preposition is no given name
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            name = _NICKNAME.sub(" ", _clean(doc[toks[0].i : toks[-1].i + 1].text))
            titles = [t.lower_.rstrip(".") for t in (doc[ent.start - 1] if ent.start > 0 else None, ent[0])
                      if t is not None and t.lower_.rstrip(".") in lexicons.GENDERED_WORDS]
            person = found._place(name, start, end, lexicons.GENDERED_WORDS[titles[0]] if titles else None)
            if in_headline and person.start == start and len(toks) > 1 and not _given_name(toks[0]) and not (
                    ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in TITLES | _TITLES_AND_ROLES):
                # "Derelict Obama": the body's full name replaces it, else the surname alone stands
                person.tentative = True
            if not in_headline:
                # a headline's parse is too poor to say what describes whom ("Mayor rebuffs Trump": not a mayor)
                person.words.update(_descriptors(ent))
                found._by_paternal_surname(person)
            person.words.update(titles)  # "Mr. Trump", "Ms. Clinton"
            written = surname_key(_surname_word(name))
            found._mention(start, person, written if written != person.surname and found.by_surname.get(written)
                           else None)
        if dropped:
            found.ents = tuple(e for e in found.ents if (e.start, e.end) not in dropped)
        found.untyped = tuple(e for e in untyped if (e.start, e.end) not in dropped)
        for person in found.people:
            if person.tentative:
                person.name = person.name.split()[-1]
        return found

    def _place(self, name: str, start: int, end: int, gender: str | None = None) -> _Person:
        """The person a mention names (a known one, or a new one); ``gender``, said by a title before a bare
        surname ("Mrs. Clinton"), picks among people of that surname ("Bill Clinton" named last is not her)."""
        words = name.split()
        suffix = _suffix(words)
        if suffix:
            words = words[:-1]  # "John Smith Jr.": the surname is Smith, and "Smith" after it is he
            if len(words) == 1:  # "Donald Jr." after "Donald Trump Jr."
                same_son = [p for p in self.people if _suffix(p.name.split()) == suffix
                            and p.name.split()[0].lower() == words[0].lower()]
                if same_son:
                    return same_son[-1]
        surname = surname_key(words[-1])
        same = self.by_surname.setdefault(surname, [])
        if len(words) == 1 or _particle_surname(words):  # "Le Pen", "de Blasio": the surname written alone
            plain = [p for p in same if not _suffix(p.name.split())]
            if not suffix and plain and len(plain) < len(same):
                same = plain  # "Trump" after "Donald Trump Jr." is still the father
            if gender is not None and len(same) > 1:
                agreeing = [p for p in same if gender_of(p) == gender]
                if agreeing:
                    return self.most_named(surname, start, agreeing)
                unknown = [p for p in same if gender_of(p) is None]
                if unknown and len(unknown) < len(same):
                    return self.lookup_among(surname, start, unknown)
            if same:
                found = self.lookup(surname, start)
                return found if found in same else self.lookup_among(surname, start, same)
        else:
            first = words[0].lower().rstrip(".")
            for person in same:
                known = person.name.split()
                if _suffix(known) != suffix:
                    continue  # "Donald Trump Jr." is not his father
                if suffix:
                    known = known[:-1]
                if len(known) == 1 or _particle_surname(known) or person.tentative:
                    # "Putin" before "Vladimir Putin", now in full
                    person.name, person.start, person.end, person.tentative = name, start, end, False
                    return person
                k = known[0].lower().rstrip(".")
                if k == first or (len(first) == 1 and k.startswith(first)) or (len(k) == 1 and first.startswith(k)):
                    if len(words) > len(known):
                        person.name, person.start, person.end = name, start, end
                    return person
        if not same and not suffix:  # "Donald Jr." is never the "Donald Trump" without the suffix
            given = self.named_by_given(words)
            if given is not None:  # "Nurul Aisyah" after "Nurul Aisyah Kamarudin", "Azman" after "Azman Yusof"
                same.append(given)  # and "Mr. Lou" after "Lou Jiwei", whose family name comes first
                return given
        person = _Person(name, start, end, surname=surname)
        same.append(person)
        self.people.append(person)
        return person

    def _by_paternal_surname(self, person: _Person) -> None:
        """Let the first of two surnames find the person too ("Quispe told reporters" after "Rosa Quispe
        Huamán"); only for names in the body whose last word the article never writes in lower case, where three
        capitalised words are a name ("Ben Carson Defends" in a headline, "Maria Hinojosa Explained" in a
        subheading are not)."""
        words = person.name.split()
        paternal = _paternal_surname(words)
        if paternal is not None and words[-1].lower() not in self.lower_words and \
                person not in (same := self.by_surname.setdefault(paternal, [])):
            same.append(person)

    def named_by_given(self, words: list[str]) -> _Person | None:
        """The one person whose longer name begins with these words, when no one has the last of them as a
        surname: news names many people by their given names ("Azman said" after "Azman Yusof", as Malay and
        Ethiopian names are written; "Nurul Aisyah" after "Nurul Aisyah Kamarudin")."""
        if not words or self.by_surname.get(surname_key(words[-1])):
            return None
        low = [w.lower() for w in words]
        # not a headline's "Ben Carson Defends", nor a name run into an English word ("Maria Hinojosa Explained",
        # "EgyptAir Crash"), which the article writes in lower case elsewhere
        found = {id(p): p for p in self.people if p.start >= self.body_start
                 and len(p.name.split()) > len(words) and [w.lower() for w in p.name.split()[: len(words)]] == low
                 and not any(w.lower() in self.lower_words for w in p.name.split()[len(words):])}
        return next(iter(found.values())) if len(found) == 1 else None

    def person_tokens(self, ent: SpacySpan) -> list[Token]:
        """The name tokens of an entity that denotes a person, or [] if it does not.

        The small English model sometimes tags a person's full name as an organisation
        ("Taras Kovalenko" ORG); a proper-name entity ending in a surname the article
        already gave a person is taken as a person too."""
        toks = [t for t in ent if t.text not in ("’s", "'s")]
        while len(toks) > 1 and ((t := toks[0]).lower_ in TITLES or t.lower_ in _TITLES_AND_ROLES):
            toks = toks[1:]  # "Mr. Trump", "Councillor Paul Brandt": no title is the name ("Julie Bishop" keeps hers)
        if ent.label_ == "PERSON":
            toks = without_epithet(toks)  # "Weak - Rubio" in a quote of Trump's: Rubio
            # "Qorva, the Dutch search group,": not a person; nor "Azerbaijani" in "Azerbaijani presidential aide"
            if described_as_body(ent) or self._country_alone(toks) or self.short_form(ent) or \
                    self._body_word_alone(toks) or _absorbed_by_next(ent):
                return []
            return _given_name_before(ent) + toks + _name_after_particle(ent) if toks else toks
        titled = _after_title(ent) if ent.label_ in _MISTYPED_PERSON_LABELS else None
        if titled is not None:
            return list(titled)  # "Chief Executive Nadia Orlov" typed an organisation
        while toks and toks[0].pos_ != "PROPN":
            toks = toks[1:]
        if len(toks) >= 2 and all(t.pos_ == "PROPN" or _inner_hyphen(t) for t in toks) and (
                self._known_surname_of(ent, toks)
                or (ent.label_ in _MISTYPED_PERSON_LABELS and _named_in_a_role(ent, toks))):
            return toks
        lead = _name_before_body(ent, toks) if ent.label_ in _MISTYPED_PERSON_LABELS else None
        if lead is not None:
            return list(lead)  # "lawmaker Fatou Kine Gueye of the Union for Citizen Renewal" typed one organisation
        whole = _with_cut_start(ent) if ent.label_ in _CUT_NAME_LABELS and len(toks) == 1 else None
        if whole is not None and _named_in_a_role(whole, list(whole)):
            return list(whole)  # "Tunde | Bakare, a pastor in Lagos,": the NER typed the surname alone
        return []

    def _known_surname_of(self, ent: SpacySpan, toks: list[Token]) -> bool:
        """Does a name end in a surname the article gave a person? Not a place's name whose last word only a
        headline typed a person ("Eastern Samar" after the headline's "Samar governor accuses")."""
        known = self.by_surname.get(toks[-1].text.lower())
        if not known:
            return False
        return ent.label_ not in ("GPE", "LOC") or any(p.start >= self.body_start for p in known)

    def short_form(self, ent: SpacySpan) -> SpacySpan | None:
        """The organisation a one-word name written alone stands for ("Harwell said" after "Harwell Nutrition",
        typed a person by the NER), unless the article gave a person that name or it is a given name."""
        tok = ent.root
        if len(ent) > 1:  # "Kestrel Ridge" after "Kestrel Ridge Forest Products"; never "Tom Church"
            return prefix_form_at(ent) if ent[0].lower_ not in lexicons.GIVEN_NAME_GENDER else None
        if surname_key(tok.text) in self.by_surname or tok.lower_ in lexicons.GIVEN_NAME_GENDER:
            return None
        return short_form_at(tok)

    def _body_word_alone(self, toks: list[Token]) -> bool:
        """One word that ends names of bodies ("Rovers have drawn up a shortlist", the club's name cut short),
        which the tagger now and then types a person; not a surname the article gave a person ("Tom Church")."""
        return len(toks) == 1 and toks[0].lower_ in lexicons.ORGANISATION_NAME_WORDS and \
            surname_key(toks[0].text) not in self.by_surname

    def _country_alone(self, toks: list[Token]) -> bool:
        """One word that names a country, its people or its capital ("Azerbaijan denied", "Azerbaijani
        presidential aide", "as soon as Kyiv confirmed"), which the tagger now and then types a person; not a
        surname the article gave a person ("Jim Jordan")."""
        if len(toks) != 1 or toks[0].lower_ in self.by_surname:
            return False
        low = toks[0].lower_
        return low in gazetteer.DEMONYM_TO_COUNTRY or low in gazetteer.COUNTRY_NAMES or low in gazetteer.CAPITAL_TO_COUNTRY

    def lookup(self, surname: str, at: int) -> _Person | None:
        """The person called ``surname`` in focus at char offset ``at``."""
        surname = surname_key(surname)
        candidates = self.by_surname.get(surname)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        offsets, people = self.surname_mentions.get(surname, ((), ()))
        k = bisect_left(offsets, at)
        found = people[k - 1] if k else candidates[0]
        plain = [p for p in candidates if not _suffix(p.name.split())]
        if plain and found not in plain:  # a surname alone is not the son's "Jr." while the father is named too
            return self.lookup_among(surname, at, plain)
        return found

    def lookup_among(self, surname: str, at: int, people: list[_Person]) -> _Person:
        """Of ``people`` (sharing ``surname``), the one mentioned last before char offset ``at``, else the first."""
        offsets, mentioned = self.surname_mentions.get(surname_key(surname), ((), ()))
        k = bisect_left(offsets, at)
        return next((p for p in reversed(mentioned[:k]) if p in people), people[0])

    def most_named(self, surname: str, at: int, people: list[_Person]) -> _Person:
        """Of ``people`` (sharing ``surname`` and the gender a title gives), the one mentioned most often before
        char offset ``at``, the later of two mentioned as often, else the first. The article's own subject is the
        namesake it keeps naming ("Mrs. Clinton"), not one named in passing ("a visit by Chelsea Clinton") or
        another name of the same person ("his Spanish-sounding name, Rafael Edward Cruz")."""
        offsets, mentioned = self.surname_mentions.get(surname_key(surname), ((), ()))
        before = [p for p in mentioned[: bisect_left(offsets, at)] if p in people]
        if not before:
            return people[0]
        times = {id(p): sum(q is p for q in before) for p in people}
        return max(reversed(before), key=lambda p: times[id(p)])

    def known_surname(self, ent: SpacySpan) -> _Person | None:
        """The person a one-word entity the NER typed otherwise names ('Trump' as ORG), once the article has
        named someone with that surname; places and countries are never people."""
        if len(ent) != 1 or ent[0].pos_ != "PROPN" or gazetteer.country_of(ent.text):
            return None
        return self.lookup(ent.text, ent.start_char) if surname_key(ent.text) in self.by_surname else None

    def person_in(self, span: SpacySpan) -> _Person | None:
        """The person the span names: the one at its syntactic head, else its last-named one."""
        people = [e for e in self.ents_in(span) if self.person_tokens(e)]
        # the one whose name holds the span's head ("Joelma Ferreira dos Santos, president of the Santo Antônio
        # association": "Santos", cut off the name by the tagger, heads it)
        people.sort(key=lambda e: (any(t.i == span.root.i for t in self.person_tokens(e)), e.start))
        for ent in reversed(people):
            toks = self.person_tokens(ent)
            name = _clean(ent.doc[toks[0].i : toks[-1].i + 1].text)
            if len(name.split()) > 1:
                for person in self.by_surname.get(surname_key(_surname_word(name)), []):
                    if person.name == name:
                        return person
            return self.lookup(_surname_word(name) if name else toks[-1].text, ent.start_char + 1)
        return None


_TITLES_AND_ROLES = lexicons.TITLE_WORDS | lexicons.PERSON_ROLE_NOUNS  # words before a name that are not part of it
_ORGANISATION_NOUNS = lexicons.INSTITUTION_HEADS | lexicons.ORGANISATION_NOUNS  # common nouns for one body
_ORGANISATION_HEADS = _ORGANISATION_NOUNS | lexicons.ORGANISATION_NAME_WORDS
_FORMS_OF_ADDRESS = lexicons.HONORIFICS | lexicons.TITLE_WORDS
_NICKNAME = re.compile(r'\s"[^"]+"\s')  # 'Rodolfo "Dodong" Abarquez' is Rodolfo Abarquez
_NEVER_IN_A_NAME = _TITLES_AND_ROLES | _FORMS_OF_ADDRESS  # past a name's start: "Florida Sens. Marco Rubio"
_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})  # who speak for a body, unnamed
_ROLES_AND_CALLINGS = lexicons.PERSON_ROLE_NOUNS | lexicons.CALLING_NOUNS
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc"})
_CLAUSE_OR_ASIDE = frozenset({"relcl", "acl", "advcl", "appos"})  # what an owner's name leaves out
# what the small model types a person's unfamiliar name as, when it does not see a person (never a place: "his
# rally in San Jose, California the GOP candidate")
_MISTYPED_PERSON_LABELS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "NORP"})
# a surname typed alone, cut from its given name, may also be typed a place ("Serigne | Mbaye, a deputy,")
_CUT_NAME_LABELS = _MISTYPED_PERSON_LABELS | {"GPE", "LOC", "FAC"}


def _surname_word(name: str) -> str:
    """The last word of a name before any generational suffix ("Harry B. Harris Jr." → "Harris")."""
    words = name.split()
    return words[-2] if _suffix(words) else words[-1]


def _suffix(words: list[str]) -> str | None:
    """The generational suffix ending a name of two words or more ("Jr.", "III"), lower case, else None."""
    last = words[-1].lower().rstrip(".") if len(words) > 1 else ""
    return last if last in lexicons.NAME_SUFFIXES else None


def _paternal_surname(words: list[str]) -> str | None:
    """The surname key of the middle word of a three-word name when it is no given name, initial or particle:
    Spanish and Latin American names carry two surnames and the news calls the person by the first ("Rosa
    Quispe Huamán" → "Quispe", "Felipe Montoya Arango" → "Montoya"); an English middle name is a given name."""
    if len(words) != 3 or _particle_surname(words):
        return None
    middle = words[1]
    low = middle.lower()
    if len(middle) < 3 or not middle[:1].isupper() or not middle.isalpha() or low in lexicons.GIVEN_NAME_GENDER \
            or low in lexicons.REGISTERED_NAME_GENDER or low in _TITLES_AND_ROLES:
        return None
    return surname_key(middle)


def _particle_surname(words: list[str]) -> bool:
    """A surname with its particle, written without a given name ("Le Pen", "de Blasio", "van der Leyen"; not "Ben
    Carson": a particle that is also a given name)."""
    return len(words) >= 2 and all(w.lower() in lexicons.NAME_PARTICLES and w.lower() not in
                                   lexicons.GIVEN_NAME_GENDER for w in words[:-1])


def _untyped_names(doc: Doc, headline: tuple[int, int] | None) -> list[SpacySpan]:
    """People's names the NER typed nothing at all ("Yolanda Herrera was declared the winner", first words of
    the body): two or three capitalised proper nouns in a row, none typed, led by a given name, after a form of
    address ("Father Emeka Obi", "Minister Amina Bello": not the title itself) or set off beside a person's role
    ("Thirunavukkarasu Palanivel, president of the federation,"), with no word of
    an organisation's name or a place's nor one the article writes in lower case, outside the headline. They
    count as PERSON entities for the article's people (and so for the surnames and pronouns after them)."""
    found = []
    k = headline[1] if headline is not None else 0
    while k < len(doc):
        end = k
        while end < len(doc) and _bare_proper(doc[end]):
            end += 1
        if end == k:
            k += 1
            continue
        run = doc[k:end]
        titled = k
        while titled < end - 1 and doc[titled].lower_.rstrip(".") in _FORMS_OF_ADDRESS:
            titled += 1  # "Father Emeka Obi", "Alhaji Musa Danjuma": a form of address stands for a given name
        if titled > k:
            run = doc[titled:end]
        if 2 <= len(run) <= 3 and (k == 0 or doc[k - 1].pos_ != "PROPN") and (
                titled > k or _given_name(run[0]) or _named_in_a_role(run, list(run))) and not any(
                t.lower_.rstrip(".") in _ORGANISATION_HEADS or gazetteer.country_of(t.text)
                or t.lower_.rstrip(".") in _NEVER_IN_A_NAME
                or t.lower_ in _lower_words(doc) for t in run):  # "Sanders Debate Debate": a title's words
            found.append(SpacySpan(doc, run.start, end, label="PERSON"))
        k = end
    return found


def _nicknamed_names(doc: Doc) -> list[SpacySpan]:
    """Names with a quoted nickname between given name and surname ('Mayor Rodolfo "Dodong" Abarquez'), which
    the tagger cuts into pieces: a capitalised given name, one or two capitalised words in quotation marks, then
    the surname's capitalised proper nouns. They count as PERSON entities; the nickname is left out of the name."""
    found = []
    for tok in doc[: len(doc) - 4]:
        if doc[tok.i + 1].text not in '"“' or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or \
                not _given_name(tok):  # the cheap test first: this reads every token of every article
            continue
        close = next((k for k in range(tok.i + 2, min(tok.i + 5, len(doc))) if doc[k].text in '"”'), None)
        if close is None or close == tok.i + 2 or not all(t.text[:1].isupper() for t in doc[tok.i + 2 : close]):
            continue
        end = close + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        if end > close + 1:
            found.append(SpacySpan(doc, tok.i, end, label="PERSON"))
    return found


def _bare_proper(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.text[1:2].islower() and not tok.ent_type_


def _given_name_before(ent: SpacySpan) -> list[Token]:
    """The given names the tagger left out of a person's name ("Deputy Governor Teodor | Vasilescu", "Rhys |
    Penhaligon", "Esteban | Valarezo Ordóñez", "Rosa Amalia | Tzoc Pérez", typed an organisation, or "Chanda
    Mwelwa | Banda", typed a person of its own): up to two capitalised proper nouns just before a name of one or two
    words, compounded onto it, untyped or an entity of their own that ends where the name starts, the first of
    them a given name (:func:`_given_name`)."""
    doc = ent.doc
    # a surname or a double surname, with a generational suffix or not ("Bienvenido | Macaraeg Jr.")
    if ent.start == 0 or len(ent) - bool(_suffix([t.text for t in ent])) > 2:
        return []
    run: list[Token] = []
    i = ent.start - 1
    while i >= 0 and len(run) < 2:
        before = doc[i]
        if not (before.pos_ == "PROPN" and before.text[:1].isupper() and before.is_alpha
                and before.dep_ == "compound" and (ent.start <= before.head.i < ent.end
                                                   or before.head.i in {t.i for t in run})):
            break
        low = before.lower_
        if low in _TITLES_AND_ROLES or low in lexicons.HONORIFICS or low in lexicons.PEOPLE_NOUNS \
                or low in lexicons.CALLING_NOUNS or low in _lower_words(doc):
            break  # "Press Secretary | Josh Earnest", "Charlotte Mayor | Jennifer Roberts", "Author | Roger Stone"
        if before.ent_type_ and doc_entities(doc).at(i).end != ent.start:
            break  # a word of an entity that runs on past the name's start is no given name of it
        run.insert(0, before)
        i -= 1
    for k in range(len(run), 0, -1):  # the longest run whose first word is a given name starting its entity
        first = run[-k]
        if _given_name(first) and (not first.ent_type_ or first.ent_iob_ == "B"):
            return run[-k:]
    return []


def _absorbed_by_next(ent: SpacySpan) -> bool:
    """Is this entity the given names of a person typed right after it ("Chanda Mwelwa | Banda")?"""
    following = doc_entities(ent.doc).at(ent.end) if ent.end < len(ent.doc) else None
    if following is None or following.start != ent.end or following.label_ != "PERSON":
        return False
    given = _given_name_before(following)
    return bool(given) and given[0].i <= ent.start


def _with_cut_start(ent: SpacySpan) -> SpacySpan | None:
    """A one-word name with the capitalised proper nouns the NER left untyped before it, compounded onto it
    ("Tunde | Bakare", typed an organisation), or None if there are none."""
    doc = ent.doc
    start = ent.start
    while start > 0 and (before := doc[start - 1]).pos_ == "PROPN" and before.text[:1].isupper() and \
            not before.ent_type_ and before.dep_ == "compound" and before.head.i == ent.root.i:
        start -= 1
    return SpacySpan(doc, start, ent.end, label=ent.label_) if start < ent.start else None


def _name_after_particle(ent: SpacySpan) -> list[Token]:
    """The surname the tagger cut off after a name's particle ("Marine Le | Pen", "Ursula von der | Leyen",
    "Joelma Ferreira | dos Santos"): the capitalised word right after a person's name that ends in a particle,
    or after a particle written in lower case right after the name."""
    doc, end = ent.doc, ent.end
    if ent[-1].lower_ in lexicons.NAME_PARTICLES:
        nxt = doc[end] if end < len(doc) else None
        return [nxt] if nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper() and \
            nxt.ent_type_ in ("", "PERSON") else []
    if end + 1 < len(doc) and doc[end].text in lexicons.NAME_PARTICLES and ent[-1].whitespace_:
        # the particle cut off with the surname, whatever the tagger typed the surname ("Santos" a place)
        nxt = doc[end + 1]
        return [doc[end], nxt] if nxt.pos_ == "PROPN" and nxt.text[:1].isupper() and nxt.is_alpha else []
    surname = _untyped_surname_at(doc, end) if ent[-1].whitespace_ else []
    # "Speaker Grace Mwende | Nzioka", "Mona Saber | El-Gammal": the surname the parser made the name's head, untyped
    return surname if surname and ent[-1].dep_ == "compound" and ent[-1].head.i == surname[-1].i else []


def _untyped_surname_at(doc: Doc, i: int) -> list[Token]:
    """The untyped capitalised word at token ``i``, or the hyphenated one it opens ("El-Gammal"), else []."""
    words = [doc[i]] if i < len(doc) else []
    while words and words[-1].i + 2 < len(doc) and _inner_hyphen(doc[words[-1].i + 1]):
        words += [doc[words[-1].i + 1], doc[words[-1].i + 2]]
    if not words or any(t.ent_type_ for t in words):
        return []
    names = words[::2]
    if not all(t.pos_ == "PROPN" and t.is_title and t.is_alpha for t in names) or _title_case_line(doc, i):
        return []  # "Donald Trump Praises ...": a headline's verb
    return words


def _title_case_line(doc: Doc, i: int) -> bool:
    """Is token ``i`` on a line whose longer words are all capitalised (a headline, a subhead)?"""
    lo = hi = i
    while lo > 0 and "\n" not in doc[lo - 1].text:
        lo -= 1
    while hi + 1 < len(doc) and "\n" not in doc[hi + 1].text:
        hi += 1
    return all(not t.is_lower for t in doc[lo : hi + 1] if t.is_alpha and len(t) > 3)


def _inner_hyphen(tok: Token) -> bool:
    """A hyphen inside a name ("Pierre-Marie Gomis", "Dimaculangan-Sarmiento")."""
    return tok.text == "-" and joins_a_word(tok)


def _name_before_body(ent: SpacySpan, toks: list[Token]) -> SpacySpan | None:
    """The proper nouns before "of" or "for" in a name the NER ran on into the body after it ("opposition lawmaker
    Fatou Kine Gueye of the Union for Citizen Renewal"), when a person's role stands before them."""
    lead = 0
    while lead < len(toks) and toks[lead].pos_ == "PROPN":
        lead += 1
    if not 2 <= lead < len(toks) or toks[lead].lower_ not in ("of", "for") or toks[lead - 1].i + 1 != toks[lead].i:
        return None
    name = ent.doc[toks[0].i : toks[lead - 1].i + 1]
    return name if _named_in_a_role(name, list(name)) else None


def _named_in_a_role(ent: SpacySpan, toks: list[Token]) -> bool:
    """'The head of the Turkish Medical Association, Sebnem Korur Fincanci,' (typed ORG by the NER): a proper name
    of two to four words in apposition to a person's role noun, either side, is a person's, unless one of its
    words makes it an organisation's ('its chief, the Rail Delivery Group')."""
    if len(toks) > 4 or any(t.lower_.rstrip(".") in _ORGANISATION_HEADS for t in toks):
        return False  # too long for a name, or an organisation's word in it
    root = ent.root
    before = ent.doc[ent.start - 1] if ent.start else None
    # (the parser may hang the role on any word of the name: "peace commissioner | Carolina Restrepo Gaviria")
    if before is not None and ent.start <= before.head.i < ent.end and before.dep_ == "compound" and (
            _person_noun(before) or before.lower_.rstrip(".") in lexicons.TITLE_WORDS):
        return True  # "presidential aide Hikmet Hajiyev", "Chief Executive Nadia Orlov"
    partners = [c for c in root.children if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else [])
    if root.dep_ == "appos" and root.head.dep_ == "pobj" and root.head.head.dep_ == "prep" and root.head.i < ent.start:
        # "Its lawmaker for Gampaha district, Dilrukshi Amarasekara,": the parser hangs the name on the phrase
        # that says whose role it is
        partners.append(root.head.head.head)
    # a title noun counts here too ("Norvane's chief executive, Aoife Gallagher,"), though "the executive" alone
    # is no person's role for the descriptions after it
    return any((_person_noun(p) or (p.pos_ == "NOUN" and p.lemma_.lower() in lexicons.TITLE_WORDS)) and _set_off(p, ent)
               for p in partners)


_ALIAS_NOUNS = frozenset({"alias", "name", "pseudonym", "nickname"})


def _name_given_to(head: Token, ent: SpacySpan) -> bool:
    """Does a clause on the noun give the name it goes by ("The rebels' chief negotiator, who uses the alias
    Aurelio Cárdenas,", "a commander known as Abu Bakr")?"""
    verb = ent.root.head
    if ent.root.dep_ == "pobj" and verb.lower_ == "as":
        verb = verb.head
        return verb.lower_ == "known" and verb.head.i == head.i
    return ent.root.dep_ == "dobj" and verb.lemma_ == "use" and verb.dep_ in ("relcl", "acl") and \
        verb.head.i == head.i and any(t.lemma_.lower() in _ALIAS_NOUNS for t in ent.root.lefts)


def _named_beside(head: Token) -> bool:
    """Is a proper name set off in apposition to the noun ("The company's spokesman, Ali Demir,")?"""
    return any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in head.children)


def _person_noun(tok: Token) -> bool:
    """A person's role or calling ("aide", "pastor"): a name set off beside it is a person's."""
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and tok.lemma_.lower() in _ROLES_AND_CALLINGS


def _unlabelled_person(source: SpacySpan) -> str | None:
    """'Pavel Orlov, a Moscow-based military analyst,' with no entity at all: a source headed by proper nouns the
    NER left out, with a person's role in apposition, is that person (one of two or three words is also one of
    the article's people, :func:`_untyped_names`; this also covers longer runs and a role the parser put
    elsewhere)."""
    head = source.root
    if head.pos_ != "PROPN" or head.ent_type_:
        return None
    start = head.i
    while start > source.start and source.doc[start - 1].dep_ == "compound" and \
            source.doc[start - 1].pos_ == "PROPN" and not source.doc[start - 1].ent_type_:
        start -= 1
    name = source.doc[start : head.i + 1]
    titled = _after_title(name)
    if titled is not None:
        return _clean(titled.text)
    if len(name) < 2 or not (_named_in_a_role(name, list(name)) or _given_name_described(name)):
        return None
    return _clean(name.text)


def _given_name_described(name: SpacySpan) -> bool:
    """'Kwabena Asante, the cabinet member for transport,': two or three proper nouns led by a given name, with a
    common noun in apposition, are a person's name whatever that noun is."""
    return len(name) <= 3 and _given_name(name[0]) and \
        not any(t.lower_.rstrip(".") in _ORGANISATION_HEADS for t in name) and \
        any(c.dep_ == "appos" and c.pos_ == "NOUN" for c in name.root.children)


def _after_title(name: SpacySpan) -> SpacySpan | None:
    """'Chief Executive Nadia Orlov', 'NTSB Chair Lorraine Ocampo' with no entity: the two or three capitalised
    words after a title are a person's name, unless one of them is a word of an organisation's name or a title."""
    titles = [k for k, t in enumerate(name) if t.lower_.rstrip(".") in _TITLES_AND_ROLES]
    if not titles:
        return None
    rest = name[titles[-1] + 1 :]
    if not 2 <= len(rest) <= 3 or any(t.pos_ != "PROPN" or not t.text[:1].isupper()
                                      or t.lower_.rstrip(".") in _ORGANISATION_HEADS for t in rest):
        return None
    return rest


def _set_off(role: Token, ent: SpacySpan) -> bool:
    """Whether the name and its role are set off from each other by punctuation, and a role after the name
    closes with punctuation too ('Ana Ruiz, a spokeswoman, said'; not 'now called Trump National Doral, the
    candidate boasted', where the parser took the sentence's subject for an apposition)."""
    doc = ent.doc
    if role.i < ent.start:
        return doc[ent.start - 1].is_punct
    # the role's noun phrase, without a clause the parser hung on it ("the candidate [boasted of ...]"), but with
    # a relative clause of its own ("a city lawmaker who sits on the culture committee,")
    end = max([role.i] + [c.right_edge.i for c in role.children if c.dep_ not in _CLAUSES or
                          (c.dep_ == "relcl" and c.left_edge.lower_ in lexicons.RELATIVE_PRONOUNS)]) + 1
    return ent.end < len(doc) and doc[ent.end].is_punct and (end >= len(doc) or doc[end].is_punct)


def _descriptors(ent: SpacySpan) -> set[str]:
    """Words the article uses to describe a named person: 'Russian President', 'Putin's chief aide'."""
    words: set[str] = set()
    head = ent.root
    related = [c for c in head.children if c.i < ent.start and c.dep_ in ("compound", "amod", "poss", "nmod")]
    related += [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos":
        related.append(head.head)
    for tok in related:
        for t in tok.subtree:
            if t.i >= ent.start and t.i < ent.end:
                continue
            low = t.lower_
            country = gazetteer.country_of(t.text)
            if country:
                words.add("country:" + country.lower())
            if t.pos_ in ("NOUN", "PROPN", "ADJ"):
                words.add(t.lemma_.lower())
            if low in LEADER_WORDS:
                words.add("leader")
    # "Prime Minister X": the title is often part of the entity-less compound chain.
    k = ent.start - 1
    for t in ent:  # "Sen. Ortiz": the honorific says the role
        title = HONORIFIC_TITLES.get(t.lower_.rstrip("."))
        if title:
            words.add(title)
    while k >= 0 and ent.doc[k].pos_ in ("PROPN", "NOUN", "ADJ") and ent.start - k <= 4:
        t = ent.doc[k]
        if t.ent_type_ == "PERSON" or not k < t.head.i < ent.end:
            break  # only words that modify the title chain or the name ("Muslim mayor rebuffs Trump": no)
        words.add(HONORIFIC_TITLES.get(t.lower_.rstrip("."), t.lemma_.lower()))
        country = gazetteer.country_of(t.text)
        if country:
            words.add("country:" + country.lower())
        if t.lower_ in LEADER_WORDS:
            words.add("leader")
        k -= 1
    return words


PERSON_ROLE_NOUNS = lexicons.PERSON_ROLE_NOUNS
DOCUMENT_NOUNS = lexicons.DOCUMENT_NOUNS
DOCUMENT_SYNONYMS = {"suit": "lawsuit", "e-mail": "email", "memorandum": "memo"}
# documents of research, which speak for whoever the article says published them and never for the last speaker
_RESEARCH_NOUNS = frozenset({"study"})
# verbs by which a study's author made it ("a study published by", not "a study reviewed by The Post")
_AUTHORING = frozenset({"publish", "release", "write", "issue", "conduct", "produce", "prepare", "compile", "author",
                        "commission", "carry"})
# head nouns of a country's armed forces ("Ukraine's armed forces", "the army's general staff")
MILITARY_WORDS = frozenset({"military", "army", "forces", "command", "navy", "troops", "defence", "defense", "staff"})
RELATIVE_PRONOUNS = lexicons.RELATIVE_PRONOUNS


class SpeakerResolver:
    """Resolves the sources of one article in reading order (pronouns need what came before)."""

    def __init__(self, doc: Doc, text: str | None = None, quotes: list[Quote] | None = None) -> None:
        """``text``: ``doc.text``, and ``quotes``, its quotations, when the caller has them (the text is rebuilt
        from every token on each access)."""
        self.doc = doc
        text = doc.text if text is None else text
        self.entities = ArticleEntities.from_doc(doc, text)
        self.last_person: Speaker | None = None  # who "he"/"she" most likely refers to now
        self.last_group: Speaker | None = None  # who "it"/"they" most likely refers to now
        self._focus_sentence = -1  # the first token of the sentence whose source gave ``last_person``
        self._focus_end = 0  # and the char offset where that source ends
        self._observed = 0
        self._quotes = Ranges(sorted(find_quotes(text) if quotes is None else quotes, key=lambda q: q.start),
                              start=lambda q: q.inner_start, end=lambda q: q.inner_end)
        self._sentences = list(doc.sents)
        self._sentences_observed = 0
        self._plural_subject: tuple[int, Speaker] | None = None  # (char offset, group) of the last plural subject
        self._group_at = -1  # the char offset of the source that gave ``last_group``
        self.acronyms = acronyms_in(text)  # "Rapid Support Forces (RSF)": a later "RSF" names it
        self._headline = headline_span(doc, text)
        self.spoken: list[_Person] = []  # people resolved as speakers, in reading order
        self.focus: list[_Person] = []  # people who took the focus, in reading order
        self.results: list[Speaker] = []  # every speaker resolved so far, in reading order
        self._text = text
        # (char offset, gender, person) of each "he"/"she" resolved to a person whose gender is known
        self._pronoun_chain: list[tuple[int, str, _Person]] = []
        self._role: str | None = None  # the role noun of the description being resolved
        self._owners: frozenset[str] = frozenset()  # whom that role is for ("a spokesman for | the ministry")
        # role -> (result, whom the role is for) still named by that description
        self._pending: dict[str, list[tuple[int, frozenset[str]]]] = {}
        self._revised: dict[int, Speaker] = {}
        self._organisations: Organisations | None = None
        self.together: list[list[str]] = []  # the names of each source that joined people, in reading order
        # (order, cue lemma, plural) of headline sources that name no one
        self._headlined: list[tuple[int, str, bool]] = []

    def resolve(self, source: SpacySpan, cue: Token | None = None) -> Speaker:
        """The speaker of ``source``; ``cue``, the first word of the attribution's cue, lets a headline's source
        be named by the lede's."""
        self._role, self._owners = None, frozenset()
        if cue is not None and _reports_of_their_own(cue) and not source.start <= cue.i < source.end:
            # "The issue ratcheted up ... amid reports that ...": whatever the tagger took for the source, the
            # reports nobody owns are their own
            source = self.doc[cue.i : cue.i + 1]
        speaker = self._resolve(source)
        if speaker.type == "UNKNOWN" and speaker.mention.lower() in DETERMINERS and cue is not None:
            # a source cut to "The" far from its cue: the cue's own subject
            subject = cue_subject(self.doc, [cue.i])
            if subject is not None and not (subject.start <= source.start < subject.end):
                speaker = self._resolve(subject)
        if speaker.name:
            speaker = Speaker(speaker.mention, normalise(speaker.name), speaker.type, speaker.antecedent)
        if cue is not None:
            self._headline_and_lede(source, cue, speaker)
        self._record_role(speaker)
        if speaker.type == "PERSON" and speaker.antecedent is not None:
            person = next((p for p in self.entities.people if p.start == speaker.antecedent.start), None)
            if person is not None:
                self.spoken.append(person)
        if cue is not None and _owns_nominal_cue(source, cue) and (
                self._focus_sentence == source.sent.start or self._named_main_subject(source) is not None):
            pass  # "Biden rubbished Trump's claim ...": the sentence's speaker keeps the focus, not the owner
        elif speaker.type == "PERSON" or (speaker.type == "GROUP" and (_is_person_role(speaker.name) or (
                source.root.tag_ == "NN" and _role_lemma(source.root) is not None))):
            # "A senior negotiator from one Gulf delegation said ... He insisted": one unnamed person of a role
            self.last_person = speaker
            self._focus_sentence, self._focus_end = source.sent.start, source.end_char
            person = self._person_of(speaker)
            if person is not None:
                self.focus.append(person)
        elif speaker.type != "UNKNOWN":
            self.last_group, self._group_at = speaker, source.start_char
        return speaker

    def _headline_description(self, source: SpacySpan, mention: str) -> Speaker | None:
        """'Retailer denies ...', 'Pastor wants ...': a headline's capitalised common noun, written in lower case in
        the body, is the one body the article describes by it ("British retailer Marlow & Finch") or the one
        person it gives that role, whatever the tagger made of the word; so is a bare lower-case noun after the
        headline's first clause ("Court annuls permit for hotel; developer says it will appeal")."""
        headline = self._headline
        head = source.root
        bare = len(source) == 1 and head.is_lower and head.pos_ == "NOUN" and head.tag_ == "NN"
        if headline is None or source.end > headline[1] or not (head.is_title or bare) or any(
                t.i != head.i and not (t.is_lower or t.is_punct or t.like_num) for t in source):
            return None  # one capitalised word, the rest of the source in lower case ("Sprinter banned for ...")
        noun = head.lower_
        if not any(t.text == noun and t.pos_ == "NOUN" for t in self.doc[headline[1]:]):
            return None
        # a person only by a role noun: the words around a name are too loose ("Poll:" is not the senator polled)
        people = [p for p in self.entities.people if noun in p.words] if noun in PERSON_ROLE_NOUNS else []
        bodies = {e.text for e in self.entities.ents if e.label_ == "ORG" and noun in described_by(e)}
        if len(people) == 1 and not bodies:
            return self._person_speaker(mention, people[0])
        if len(bodies) == 1 and not people:
            return Speaker(mention, _clean(strip_article(bodies.pop())), "ORG")
        return None

    def _headline_and_lede(self, source: SpacySpan, cue: Token, speaker: Speaker) -> None:
        """'Republicans ask DOJ to investigate' over 'Two committee chairmen, Ann Lee and Bo Kim, asked the Justice
        Department': a headline's source that names no one is the people the lede's source with the same cue
        verb names."""
        lemma = cue.lemma_.lower()
        headline = self._headline
        if headline is None:
            return
        if source.end <= headline[1]:
            if speaker.type in ("GROUP", "NORP", "UNKNOWN") and not any(
                    e.label_ == "PERSON" for e in self.entities.ents_in(source)):
                self._headlined.append((len(self.results), lemma, source.root.tag_ in ("NNS", "NNPS")))
            return
        if not self._headlined or source.sent.start >= self._body_sentence_end(HEADLINE_ECHO_SENTENCES):
            return
        if speaker.type == "PERSON" or (speaker.type == "GROUP" and any(_join_names(names) == speaker.name
                                                                        for names in self.together)):
            for order, said, plural in self._headlined:
                # "Candidates say ..." is not the one candidate the body quotes first
                if said == lemma and order not in self._revised and not (plural and speaker.type == "PERSON"):
                    mention = self.results[order].mention
                    self._revised[order] = Speaker(mention, speaker.name, speaker.type, speaker.antecedent)

    def _lede_end(self, body: int) -> int:
        """The token index where the body's first sentence (its lede) ends."""
        k = body
        while k < len(self.doc) and self.doc[k].is_space:
            k += 1
        return self.doc[k].sent.end if k < len(self.doc) else len(self.doc)

    def _person_of(self, speaker: Speaker) -> _Person | None:
        if speaker.type != "PERSON" or speaker.antecedent is None:
            return None
        return next((p for p in self.entities.people if p.start == speaker.antecedent.start), None)

    def _agreeing(self, gender: str, at: int) -> Speaker:
        """The person in focus, unless their gender is known and differs from the pronoun's at char ``at``: then
        the last person in focus whose gender agrees ("she" after "James Comey said" is not Comey), else the last
        one named before the pronoun whose gender agrees.  A focus that names no one and has no gender ("A
        campaign aide later clarified that Clinton misspoke ... her claim") gives way to a person of the
        pronoun's gender named after it."""
        focus = self.last_person
        person = self._person_of(focus)
        known = gender_of(person) if person is not None else lexicons.GENDERED_WORDS.get(focus.name.split()[-1].lower())
        if known == gender:
            return focus
        if known is None:
            if person is None:
                later = self._named_with_gender(gender, self._focus_end, at)
                if later is not None:
                    return self._person_speaker(later.name, later)
            chained = self._chained_in_paragraph(gender, at)
            if chained is not None and chained is not person:
                # "Clinton ... she issued a plan: President Obama later adopted a similar approach. She has
                # called for ...": "she" goes on naming whom it named earlier in the paragraph, not a person of
                # no known gender named since
                return self._person_speaker(chained.name, chained)
            return focus
        for earlier in reversed(self.focus):
            if gender_of(earlier) == gender:
                return self._person_speaker(earlier.name, earlier)
        # else the last one named in full whose gender is not known: the focus's is known to differ ("he" after "Its
        # chairwoman, Oyunchimeg Dashdondog" and "lawmakers led by Altangerel Bayasgalan" is Bayasgalan)
        earlier = self._named_with_gender(gender, 0, at) or self._named_with_gender(None, 0, at, full=True)
        return self._person_speaker(earlier.name, earlier) if earlier is not None else focus

    def _chained_in_paragraph(self, gender: str, at: int) -> _Person | None:
        """The person the same pronoun last named earlier in the paragraph of char ``at``, if any."""
        start = self._text.rfind("\n", 0, at) + 1
        return next((p for char, g, p in reversed(self._pronoun_chain) if char >= start and g == gender), None)

    def _named_with_gender(self, gender: str | None, lo: int, hi: int, full: bool = False) -> _Person | None:
        """The last person named at char offsets ``lo <= offset < hi`` whose gender is known to be ``gender`` (None:
        not known), with ``full`` one whose name has two words or more."""
        return next((p for _, p in reversed(self.entities.mentions_between(lo, hi))
                     if gender_of(p) == gender and (not full or len(p.name.split()) >= 2)), None)

    def _record_role(self, speaker: Speaker) -> None:
        """A description left unresolved ('a lawmaker in Ruritania', first thing in an article) is the person
        a later description with the same role resolves to ('the lawmaker, who ...' → Maya Ortiz)."""
        index = len(self.results)
        self.results.append(speaker)
        if self._role is None:
            return
        if speaker.type == "PERSON":
            person = self._person_of(speaker)
            kept = []
            for earlier, owners in self._pending.pop(self._role, []):
                if owners and not (person is not None and owners & person.words):
                    kept.append((earlier, owners))  # a spokesman for the ministry is not the opposition's
                    continue
                mention = self.results[earlier].mention
                self._revised[earlier] = Speaker(mention, speaker.name, speaker.type, speaker.antecedent)
            if kept:
                self._pending[self._role] = kept
        else:
            self._pending.setdefault(self._role, []).append((index, self._owners))

    def revised(self) -> dict[int, Speaker]:
        """Speakers to replace once the article is read, by their order of resolution."""
        return dict(self._revised)

    def observe_until(self, char: int) -> None:
        """Let people named as subjects of main clauses before ``char`` come into focus (a person named in a
        subordinate clause, "critics say that X approved it", does not take the focus)."""
        ents = self.entities.ents
        while self._observed < len(ents) and ents[self._observed].start_char < char:
            ent = ents[self._observed]
            self._observed += 1
            quote = self._quote_around(ent.start_char)
            if quote is not None and not quote[0] <= char <= quote[1]:
                # '"Svaneti has given Georgia its songs ...," he told': whom a quote names is not who speaks after
                # it; within the quote it is ("what Obama said when he said ...")
                continue
            if _main_subject(ent.root) or _named_for_main_subject(ent) or _owns_main_subject(ent):
                # a name the NER typed otherwise that the resolver takes for a person's ("Chief Executive Nadia
                # Orlov" as ORG) comes into focus as one
                person = self.entities.person_in(ent) if ent.label_ == "PERSON" or self.entities.person_tokens(ent) \
                    else self.entities.known_surname(ent)
                if person is not None:
                    self.last_person = self._person_speaker(person.name, person)
                    self._focus_sentence, self._focus_end = ent.sent.start, ent.end_char
                    self.focus.append(person)
        self._observe_group_subjects(char)  # after the people: "Her advisers" needs "her"

    def _quote_around(self, char: int) -> tuple[int, int] | None:
        """The (start, end) of the inside of the innermost quotation that char offset ``char`` is in, if any."""
        inside = self._quotes.overlapping(char, char + 1)
        q = max(inside, key=lambda q: q.inner_start, default=None)  # a quote nested in another starts after it
        return (q.inner_start, q.inner_end) if q is not None else None

    def _observe_group_subjects(self, char: int) -> None:
        """A plural common noun that is a sentence's main subject ("The researchers ... tracked participants") is
        the group "they" means next, as a group that spoke would be, whether or not it spoke itself."""
        while self._sentences_observed < len(self._sentences) and \
                self._sentences[self._sentences_observed].end_char <= char:
            sent = self._sentences[self._sentences_observed]
            self._sentences_observed += 1
            subj = subject_child(sent.root, ("nsubj", "nsubjpass"))
            if subj is None or subj.pos_ != "NOUN" or subj.tag_ != "NNS" or subj.ent_type_ or \
                    subj.lemma_.lower() not in _PEOPLE_NOUNS:
                continue
            span = self.doc[subj.left_edge.i : subj.i + 1]
            mention = _clean(span.text)
            # as written ("three economists"), or whose they are ("Her advisers" → Hillary Clinton advisers)
            speaker = self._pronoun_owners_role(span, mention) or self._group_speaker(mention, span)
            if speaker.type in ("GROUP", "NORP", "ORG") and speaker.name:
                self._plural_subject = (subj.idx, speaker)

    def _person_speaker(self, mention: str, person: _Person) -> Speaker:
        return Speaker(mention=mention, name=person.name, type="PERSON", antecedent=Span(person.start, person.end))

    def _resolve(self, source: SpacySpan) -> Speaker:
        source = _antecedent_of_relative(_with_name_after_title(source))
        mention = _clean(source.text)
        # "Spurns offer, blasts ...": a source that opens its line with a headline verb names no one itself
        # (the NER often types that title-case verb, so only the words after it are checked for a name)
        if self.results and opens_subjectless_line(source[0]) and not any(t.ent_type_ for t in source[1:]):
            return self._same_as_before(mention)
        low = mention.lower()
        if low in PERSON_PRONOUNS:
            gender = PERSON_PRONOUNS[low]
            bound = None
            if gender != "x":
                bound = self._owner_above(source[0], gender) or self._bound_in_sentence(source[0], gender)
            if bound is not None:
                return self._person_speaker(mention, bound)
            if self.last_person is not None and gender != "x":
                focus = self._agreeing(PERSON_PRONOUNS[low], source.start_char)
                person = self._person_of(focus)
                if person is not None and gender_of(person) == gender:
                    self._pronoun_chain.append((source.start_char, gender, person))
                return Speaker(mention, focus.name, focus.type, focus.antecedent)
            return Speaker(mention=mention, name=mention, type="UNKNOWN")
        if low in DETERMINERS or not mention:
            return Speaker(mention=mention, name=mention, type="UNKNOWN")  # "The": a source cut short
        if low == "it" and placeholder_it(source[0]):
            return Speaker(mention=mention, name=mention, type="UNKNOWN")  # "it was not clear what he meant"
        if low in GROUP_PRONOUNS:
            people = self._people_named_together(source) if low in lexicons.PLURAL_PRONOUNS else None
            if people is not None:  # "Lane and Haddad met the mayor. They said ...": the people named together
                return Speaker(mention, _join_names(people), "GROUP")
            author = self._author_of_document_before(source) if low in lexicons.THING_PRONOUNS else None
            if author is not None:  # "X cited a memo issued by the agency. It says ...": the agency
                return Speaker(mention, author.name, author.type, author.antecedent)
            group = self.last_group
            if low in lexicons.PLURAL_PRONOUNS and self._plural_subject is not None and \
                    self._plural_subject[0] > self._group_at:
                group = self._plural_subject[1]  # "The researchers ... tracked participants. They found"
            if group is not None:
                return Speaker(mention, group.name, group.type, group.antecedent)
            return Speaker(mention=mention, name=mention, type="UNKNOWN")
        head = source.root
        headlined = self._headline_description(source, mention)
        if headlined is not None:
            return headlined
        together = self._people_joined(source)
        if together is not None:
            return together
        bare = source[1:] if len(source) > 1 and source[0].lower_ in DETERMINERS else source
        short = self.entities.short_form(bare) if len(bare) <= 3 else None
        if short is not None:  # "Meridian said" after "Meridian Health"
            return Speaker(mention, _clean(short.text), "ORG")
        person = self.entities.person_in(source)
        named = [e for e in self.entities.ents_in(source) if self.entities.person_tokens(e)]
        if named and all(_owned_by(e, head) for e in named):
            # "Clinton's right-hand woman", "a spokesman for Clinton", "residents in Dayton": someone else
            person = None
            related = self._related_person(source, named[-1])
            if related is not None:
                return self._person_speaker(mention, related)
        if person is not None and _words_of_a_body(named, head):
            person = None  # "the opposition Law and Justice party": a party's name, whatever the tagger typed "Law"
        if person is not None:
            # "Her cousin Taras Kovalenko, a farmer": the name is in apposition to the head noun.
            if head.ent_type_ == "PERSON" or len(source) <= 6 or any(
                e.root.i == head.i or e.root.head.i == head.i or _name_given_to(head, e) for e in named
            ):
                return self._person_speaker(mention, person)
        appositive = self._name_after(source, named) or self._name_after_cut(source)
        if appositive is not None:
            return self._person_speaker(mention, appositive)
        known = None
        if head.pos_ in ("PROPN", "NOUN"):
            written = " ".join(t.text for t in source if t.pos_ == "PROPN" and t.i <= head.i)
            known = next((p for p in self.entities.by_surname.get(surname_key(head.text), []) if p.name == written), None)
            known = known or self.entities.lookup(_hyphenated(head), source.start_char)
            if known is None and head.pos_ == "PROPN" and written and head.ent_type_ in ("", "PERSON", "ORG"):
                known = self.entities.named_by_given(written.split())  # "Azman said" after "Azman Yusof"
        if known is not None and (_words_but_age(source) <= 3 or len(_without_asides(head)) <= 3):
            # A surname the NER tagged otherwise ("Reyes" as ORG) after the full name was introduced, also with
            # an apposition after it ("Ruiz, a former city commissioner,").
            return self._person_speaker(mention, known)
        unlabelled = _unlabelled_person(source)
        if unlabelled is not None:
            return Speaker(mention, unlabelled, "PERSON")
        owner = _document_owner(source)
        if owner is not None:  # "his letter says", "the board's report found": its owner speaks
            spoken = self._resolve(owner)
            if spoken.type != "UNKNOWN":
                # a paper an article ran in is an organisation, whatever the NER typed it ("in Politico")
                kind = "ORG" if spoken.type == "PERSON" and _publication(source.root) else spoken.type
                return Speaker(mention, spoken.name, kind, spoken.antecedent)
        if _is_document(source):
            author = self._author_of(source, definite=_is_definite_document(source))
            if author is not None:
                return Speaker(mention, author.name, author.type, author.antecedent)
        owned_role = self._pronoun_owners_role(source, mention)
        if owned_role is not None:
            return owned_role
        repeated = self._repeated_description(source)
        if repeated is not None:
            return repeated
        aged = self._aged_person(source, mention)
        if aged is not None:
            return aged
        described = self._described_person(source)
        if described is not None:
            return self._person_speaker(mention, described)
        described_group = self._described_people(source) or self._people_introduced_after(source)
        if described_group is not None:
            return described_group
        organisation = self._described_organisation(source)
        if organisation is not None:
            return Speaker(mention, organisation, "ORG")
        return self._group_speaker(mention, source)

    def _organisation_owner(self, role: Token, obj: Token) -> str:
        """Whose role it is, no person being named: the organisation set off after the noun ("for the regulator,
        the Office for Students,", which the parser may hang on the role), the one a description means ("for the
        airline" → Northstar Freight), else the words (:meth:`_owner_name`)."""
        set_off = _organisation_set_off(obj) or _owner_set_off(role, obj)
        if set_off is not None:
            return _clean(set_off.text)
        return self._described_organisation(self.doc[obj.left_edge.i : obj.i + 1]) or self._owner_name(obj)

    def _owner_name(self, obj: Token) -> str:
        """The words naming whose role it is, from the noun after the role's preposition: "a spokesman for the
        agency" → "agency", "officials in Ms. Merkel's government" → "Angela Merkel government", without
        determiners, clauses or an apposition after the noun (:func:`_name_of`), and without a common noun's
        possessive when a name is left ("leaders at the company's Ohio plant" → "Ohio plant")."""
        words = [t for t in _without_asides(obj) if t.lower_ not in DETERMINERS]
        poss = next((c for c in obj.children if c.dep_ == "poss"), None)
        if poss is not None:
            rest = [t for t in words if not (poss.left_edge.i <= t.i <= poss.right_edge.i)]
            owner = self._possessor_name(obj)
            if owner is not None:
                return _clean(" ".join([owner, *(t.text for t in rest)]))
            if poss.pos_ != "PROPN" and any(t.pos_ == "PROPN" for t in rest):
                words = rest  # "the island's government" keeps its owner: nothing else would say whose
        return _clean(" ".join(t.text for t in words))

    def _possessor_name(self, head: Token) -> str | None:
        """The name of a person or organisation written as the possessor of a noun ("Brandt's spokesman"), the
        person's in full; None for a country (its demonym leads: "Russian foreign ministry spokesman")."""
        poss = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
        if poss is None:
            return None
        words = [t for t in poss.subtree if t.tag_ != "POS" and t.lower_ not in DETERMINERS]
        if not words or gazetteer.country_of(" ".join(t.text for t in words)):
            return None
        span = self.doc[words[0].i : words[-1].i + 1]
        person = self.entities.person_in(span) or (self.entities.known_surname(span) if len(span) == 1 else None)
        return person.name if person is not None else gazetteer.expand_acronym(_clean(span.text))

    def _bound_in_sentence(self, tok: Token, gender: str) -> _Person | None:
        """The person a pronoun stands for by the shape of its sentence, before any focus from earlier ones:

        - in a phrase set before its main clause's subject, that subject when it names a person ("In what he
          called a rant, President Obama took a whack at ...");
        - in a sentence whose main subject is a pronoun of the same gender at or before it, the one person of
          that gender a phrase set before that subject names as its subject or owner ("After Obama spoke, he
          said that he ...", not "In a letter to Obama, he wrote" nor "Campaigning against Romney, he said")."""
        root = tok.sent.root
        subj = subject_child(root, ("nsubj", "nsubjpass"))
        if subj is None:
            return None
        fronted = [c for c in root.children if c.i < subj.i and c.dep_ in _FRONTED]
        if subj.i > tok.i:
            if not any(c.left_edge.i <= tok.i <= c.right_edge.i for c in fronted):
                return None
            person = self.entities.person_in(self.doc[subj.left_edge.i : subj.i + 1])
            return person if person is not None and gender_of(person) in (None, gender) else None
        if subj.lower_ not in PERSON_PRONOUNS or PERSON_PRONOUNS[subj.lower_] != gender:
            return None
        people = {id(p): p for c in fronted if not _controlled(c)
                  for e in self.entities.ents_in(self.doc[c.left_edge.i : c.right_edge.i + 1])
                  if e.root.dep_ in ("nsubj", "nsubjpass", "poss")
                  and (p := self._person_named(e)) is not None and gender_of(p) in (None, gender)}
        return next(iter(people.values())) if len(people) == 1 else None

    def _related_person(self, source: SpacySpan, owner_ent: SpacySpan) -> _Person | None:
        """"Hillary Clinton's right-hand woman" → the person the article describes by their tie to Clinton ("Huma
        Abedin, vice chairwoman for Clinton's presidential campaign"), the one named nearest to it; the head noun
        must name a person: a gendered noun ("woman"), or a role the person was given ("Gowdy's spokesman")."""
        head = source.root
        role = _role_lemma(head)
        if head.pos_ != "NOUN" or head.tag_ in ("NNS", "NNPS") or (
                role is None and head.lower_ not in lexicons.GENDERED_WORDS):
            return None
        owner = self._person_named(owner_ent)
        if owner is None:
            return None
        tie = owner.surname
        related = [(abs(off - source.start_char), p) for off, p in self.entities.mentions if p is not owner
                   and tie in p.words and (role is None or role in p.words)]
        return min(related, key=lambda x: x[0])[1] if related else None

    def _named_main_subject(self, source: SpacySpan) -> _Person | None:
        """The person the main clause of the source's sentence names as its subject, if any."""
        root = source.sent.root
        subj = subject_child(root, ("nsubj", "nsubjpass"))
        if subj is None or subj.pos_ != "PROPN" or subj.left_edge.i <= source.start < subj.right_edge.i + 1:
            return None
        return self.entities.person_in(self.doc[subj.left_edge.i : subj.i + 1])

    def _owner_above(self, tok: Token, gender: str) -> _Person | None:
        """'Trump's offer to make an exception to his call for a ban': a possessive pronoun in what a person's noun
        says (its complements, not a clause with a subject of its own) is that person, when the gender agrees."""
        if tok.tag_ != "PRP$":
            return None
        node = tok.head
        for _ in range(OWNER_DEPTH):
            if node.dep_ not in _COMPLEMENT_PATH or node.head.i == node.i:
                return None
            node = node.head
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
                return None  # "Trump's offer that Khan said his ...": another subject in between
            if node.pos_ != "NOUN":
                continue
            owner = next((c for c in node.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
            if owner is None:
                continue
            ent = doc_entities(self.doc).at(owner.i)
            person = self._person_named(ent) if ent is not None else None
            return person if person is not None and gender_of(person) in (None, gender) else None
        return None

    def _person_named(self, ent: SpacySpan) -> _Person | None:
        if ent.label_ == "PERSON" or self.entities.person_tokens(ent):
            return self.entities.person_in(ent)
        return self.entities.known_surname(ent)

    def _author_of_document_before(self, source: SpacySpan) -> Speaker | None:
        """The author named with the document last mentioned in this sentence or the one before ('a memo issued
        by the agency'), if that document is the last thing named there; else None."""
        doc = self.doc
        sent = source.sent
        start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        documents = [t for t in doc[start : source.start] if t.pos_ == "NOUN" and t.dep_ in _ARGUMENTS
                     and t.lemma_.lower() in DOCUMENT_NOUNS]
        if not documents:
            return None
        last = documents[-1]
        if any(t.pos_ in ("NOUN", "PROPN") and t.dep_ in _ARGUMENTS for t in doc[last.right_edge.i + 1 : source.start]):
            return None  # something else was named after the document
        return self._author_of(doc[last.left_edge.i : last.right_edge.i + 1], definite=False)

    def _same_as_before(self, mention: str) -> Speaker:
        """The speaker resolved last, for a clause that has no subject of its own; while that one waits for a
        later description to name it, so does this one."""
        previous = self.results[-1]
        last = len(self.results) - 1
        self._role, self._owners = next(((role, owners) for role, waiting in self._pending.items()
                                         for index, owners in waiting if index == last), (None, frozenset()))
        return Speaker(mention, previous.name, previous.type, previous.antecedent)

    def _described_organisation(self, source: SpacySpan) -> str | None:
        """'the company', 'the conservative-leaning newspaper' → the organisation the article named last before
        it (one whose name holds the noun, 'the committee' → 'House Oversight Committee', when there is one)."""
        head = source.root
        # where it is based says nothing of which body it is ("the Bogor-based research group")
        based = {t.i for c in head.lefts if c.lower_ == "based" for t in c.subtree}
        # "the producers' society": members named by a plain plural that the organisation's name must hold
        members = next((c for c in head.children if c.dep_ == "poss" and c.tag_ == "NNS" and c.pos_ == "NOUN"), None)
        if (head.pos_ != "NOUN" or head.tag_ in ("NNS", "NNPS") or source[0].lower_ not in ("the", "this", "that")
                or any(t.pos_ == "PROPN" or (t.dep_ == "poss" and (members is None or t.i != members.i)) or t.ent_type_
                       for t in source if t.i not in based)):
            return None
        chosen = self._organisation_described_by(head)
        if members is not None and chosen is not None and members.lemma_.lower() not in chosen.lower():
            return None  # "the farmers' union" is no Teachers' Union
        return chosen

    def _article_organisations(self) -> Organisations:
        if self._organisations is None:  # the article's organisations, read once
            self._organisations = Organisations(self.doc, [e for e in self.entities.ents
                                                 if (e.label_ == "ORG" or described_as_body(e))
                                                 and not self.entities.person_tokens(e)
                                                 and not self.entities.known_surname(e)
                                                 and not _place_named(e.text)])
        return self._organisations

    def _organisation_described_by(self, head: Token) -> str | None:
        chosen = self._article_organisations().described(head)
        if chosen is None:
            fuller = fuller_mention(head)  # "The ministry says" after "Greece's health ministry said"
            return (party_name(_clean(fuller.text)) or None) if fuller is not None else None
        start = chosen.start + (chosen[0].lower_ in DETERMINERS)
        return _clean(self.doc[start : chosen.end].text)  # "Wealth-X" as written, not "Wealth - X"

    def _body_spoken_for(self, head: Token) -> str | None:
        """The organisation an unnamed spokesperson speaks for when a description of it or "its" is the
        possessor ("the company's spokesman", "its spokesman" → Kestrel Ridge Forest Products), else None (also
        when a name is set off beside the role: "The company's spokesman, Ali Demir,")."""
        if head.lemma_.lower() not in _SPOKESPEOPLE or _named_beside(head):
            return None
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        kind = next((c for c in head.lefts if c.dep_ == "compound"), None)
        if poss is None and kind is not None and kind.pos_ == "NOUN" and kind.tag_ == "NN" and \
                kind.lemma_.lower() in lexicons.ORGANISATION_NOUNS:
            # "a company spokeswoman", "a group spokesman": the body the article means by that noun
            return self._organisation_described_by(kind)
        if poss is not None and poss.lower_ == "its":
            last = self._article_organisations().last_before(poss.i)
            return _clean(last.text) if last is not None and not _place_named(last.text) else None
        if poss is None or poss.pos_ != "NOUN" or poss.tag_ != "NN" or \
                poss.left_edge.lower_ not in ("the", "this", "that") or any(
                t.pos_ == "PROPN" or t.ent_type_ for t in self.doc[poss.left_edge.i : poss.i]):
            return None
        return self._organisation_described_by(poss)

    def _people_named_together(self, source: SpacySpan) -> list[str] | None:
        """The known people joined by 'and' last in this sentence or the one before, before ``source``."""
        doc = self.doc
        sent = source.sent
        start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        found: list[str] | None = None
        for tok in doc[start : source.start]:
            if tok.dep_ != "conj" or tok.head.i >= tok.i or not tok.ent_type_ == "PERSON":
                continue
            first = tok.head
            group = [first, *[c for c in first.children if c.dep_ == "conj"]]
            names: list[str] = []
            for member in group:
                ent = next((e for e in self.entities.ents if e.start <= member.i < e.end), None)
                person = self.entities.person_in(ent) if ent is not None else None
                if person is None:
                    break
                names.append(person.name)
            else:
                if len(set(names)) >= 2:
                    found = list(dict.fromkeys(names))
        return found

    def _name_after(self, source: SpacySpan, named: list[SpacySpan]) -> _Person | None:
        """'A former candidate -- John McCain, who lost in 2008 --': a role noun whose name follows it, set off by
        punctuation only (after the phrase saying whose role it is: 'an attorney for Pagliano, Mark MacDougall,'),
        is that person (whatever the parser attached the name to)."""
        head = source.root
        if _role_lemma(head) is None or head.tag_ in ("NNS", "NNPS"):
            return None
        after = [e for e in named if e.start > head.i and not _owned_by(e, head)]
        if not after:
            return None
        # "An attorney for Pagliano, Mark MacDougall,": the phrase saying whose role it is may come between
        whose = {t.i for p in head.rights if p.dep_ == "prep" for t in p.subtree}
        gap = source.doc[head.i + 1 : after[0].start]
        if not len(gap) or not gap[-1].is_punct or not all(t.is_punct or t.i in whose for t in gap):
            return None
        return self.entities.person_in(after[0])

    def _name_after_cut(self, source: SpacySpan) -> _Person | None:
        """'Its leader, Gareth Pryce, argued ... and claimed ...': the second verb's source may be cut before the
        name set off after its role; the name is still the role's."""
        head = source.root
        if head.right_edge.i < source.end:
            return None
        whole = self.doc[source.start : head.right_edge.i + 1]
        return self._name_after(whole, [e for e in self.entities.ents_in(whole) if self.entities.person_tokens(e)])

    def _people_joined(self, source: SpacySpan) -> Speaker | None:
        """'Patricia Lane and Omar Haddad' → one group speaker naming both (each is a speaker of it).

        A conjunct counts as a person when the NER says so or when it is a full proper name (the small model
        often takes one of two names for an organisation); at least one must be a known person."""
        names = self._joined_names(source)
        if names is None:
            return None
        self.together.append(list(dict.fromkeys(names)))
        return Speaker(_clean(source.text), _join_names(names), "GROUP")

    def _joined_names(self, source: SpacySpan) -> list[str] | None:
        """The names of the people a source joins by 'and' (at least two, one of them known), else None."""
        head = source.root
        if not any(c.dep_ == "cc" for c in head.children):
            return None
        conjuncts = [head, *[c for c in head.children if c.dep_ == "conj"]]
        names: list[str] = []
        known = 0
        for tok in conjuncts:
            toks = [t for t in tok.subtree if t.i <= tok.i and t.pos_ == "PROPN" and source.start <= t.i < source.end]
            person = self.entities.person_in(source.doc[toks[0].i : tok.i + 1]) if toks else None
            if person is None and len(toks) == 1 and not gazetteer.country_of(tok.text):
                person = self.entities.lookup(tok.text, tok.idx)  # "Goodlatte" typed ORG, named in full before
            if person is not None and person.surname == surname_key(tok.text):
                known += 1
                names.append(person.name)
            elif len(toks) >= 2 and tok.pos_ == "PROPN" and not gazetteer.country_of(tok.text) \
                    and tok.lower_ not in _TITLES_AND_ROLES:
                names.append(_clean(source.doc[toks[0].i : tok.i + 1].text))
            else:
                return None  # ("Fox News Vice President and Washington Managing Editor Bill Sammon": one person's
                # two titles)
        if known == 0 or len(set(names)) < 2:
            return None
        return names

    def _author_of(self, source: SpacySpan, definite: bool = True) -> Speaker | None:
        """'the lawsuit contends' → who the article says filed the lawsuit, else the last speaker; 'a memo
        released by X' → X.  Only a definite document is looked for earlier in the article."""
        head = source.root
        lemma = _head_lemma(source)
        # "the lawsuit filed by a former staffer named Bradley Podliska": the author is in the source
        for tok in source:
            if tok.dep_ == "agent" and source.start <= tok.head.i < source.end:
                for obj in (c for c in tok.children if c.dep_ == "pobj"):
                    end = min(obj.right_edge.i + 1, source.end)
                    clauses = [t.left_edge.i for t in obj.subtree if t.dep_ == "relcl"]
                    if clauses:  # "…named X, whom Y dismissed": not the clause's people
                        end = min(end, min(clauses))
                    span = self.doc[obj.left_edge.i : end]
                    inside = self.entities.person_in(span)
                    if inside is not None:
                        return self._person_speaker(inside.name, inside)
                    speaker = self._resolve(span)
                    if speaker.type != "UNKNOWN":
                        return speaker
        if not definite:
            return None
        same = {lemma, DOCUMENT_SYNONYMS.get(lemma, lemma)}
        for tok in reversed(self.doc[: source.start]):
            if DOCUMENT_SYNONYMS.get(tok.lemma_.lower(), tok.lemma_.lower()) not in same or tok.dep_ not in ("dobj", "pobj", "nsubjpass"):
                continue
            published = _publisher_of(tok) if lemma in _RESEARCH_NOUNS else None
            if published is not None:  # "a study published on Tuesday by the institute": the institute's
                speaker = self._resolve(self.doc[published.left_edge.i : published.right_edge.i + 1])
                if speaker.type != "UNKNOWN":
                    return speaker
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            subj = subject_child(verb, ("nsubj",))
            if subj is None and tok.dep_ == "nsubjpass":
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if subj is None or subj.lower_ in DOCUMENT_NOUNS or subj.lemma_.lower() == lemma:
                continue
            span = self.doc[subj.left_edge.i : subj.right_edge.i + 1]
            if span.start <= head.i < span.end:
                continue
            speaker = self._resolve(span)
            if speaker.type != "UNKNOWN":
                return speaker
            break
        if lemma in _RESEARCH_NOUNS:
            return None  # "The study found" after a survey nobody named: no speaker's study
        last = [s for s in (self.last_person, self.last_group) if s is not None and s.type != "UNKNOWN"]
        if not last:
            return None
        return max(last, key=lambda s: s.antecedent.start if s.antecedent else -1)

    def _pronoun_owners_role(self, source: SpacySpan, mention: str) -> Speaker | None:
        """'His spokesman', 'her lawyers': the role of the person the pronoun stands for ("Ray Hollis
        spokesman"), never that person; kept as written when the pronoun stands for no one known."""
        head = source.root
        poss = next((c for c in head.children if c.dep_ == "poss" and PERSON_PRONOUNS.get(c.lower_) in ("m", "f")),
                    None)
        if poss is None or _role_lemma(head) is None or any(t.pos_ == "PROPN" for t in source):
            return None
        owner = self._resolve(self.doc[poss.i : poss.i + 1])
        if owner.type != "PERSON" or owner.name.lower() in PERSON_PRONOUNS:
            return Speaker(mention, mention, "GROUP")
        words = [t.text for t in source if t.i != poss.i and t.i <= head.i and t.lower_ not in DETERMINERS]
        return Speaker(mention, _clean(" ".join([owner.name, *words])), "GROUP", owner.antecedent)

    def _aged_person(self, source: SpacySpan, mention: str) -> Speaker | None:
        """'the 61-year-old', 'the 22-year-old engineering student': a definite description by age is the person in
        focus (of the gender its noun says, if any), as news writes it right after naming someone."""
        words = [t.lower_ for t in source]
        if not words or words[0] != "the" or source.root.tag_ in ("NNS", "NNPS") or self.last_person is None or \
                not any(w in ("year", "years") and words[k + 1 : k + 3] in (["-", "old"], ["old"])
                        for k, w in enumerate(words[:-1])):
            return None
        gender = lexicons.GENDERED_WORDS.get(source.root.lower_)
        focus = self._agreeing(gender, source.start_char) if gender else self.last_person
        return Speaker(mention, focus.name, focus.type, focus.antecedent) if focus.type == "PERSON" else None

    def _repeated_description(self, source: SpacySpan) -> Speaker | None:
        """'a Courier Media Group spokesman said ... The spokesman said': "the" and a role that a description
        left unnamed had just before (one of the last three speakers) is that description again, not a person
        named earlier; it waits with it for a later name."""
        head = source.root
        role = _role_lemma(head)
        if role is None or head.tag_ != "NN" or source[0].lower_ != "the" or \
                any(t.i != head.i and t.pos_ in ("NOUN", "PROPN", "ADJ") for t in source):
            return None
        recent = [(index, owners) for index, owners in self._pending.get(role, ()) if index >= len(self.results) - 3]
        if not recent:
            return None
        index, owners = recent[-1]
        self._role, self._owners = role, owners
        earlier = self.results[index]
        return Speaker(_clean(source.text), earlier.name, earlier.type, earlier.antecedent)

    def _described_person(self, source: SpacySpan) -> _Person | None:
        """'the Ukrainian leader' → the person introduced as 'Ukrainian President ...'; 'a lawmaker in Ruritania'
        at the top of an article → the lawmaker it names later; 'the front-runner' → the person just named."""
        head = source.root
        role = _role_lemma(head)
        if role is not None and head.tag_ not in ("NNS", "NNPS"):
            self._role, self._owners = role, frozenset(o.lemma_.lower() for o in _role_owners(head))
        if role is None or head.tag_ in ("NNS", "NNPS") or any(t.lower_ in DETERMINERS - {"the", "a", "an", "this", "that"}
                                                             for t in source[:1]):
            return None
        if any(c.dep_ == "poss" and c.pos_ == "PROPN" and not gazetteer.country_of(c.text) for c in head.children) or any(
                _owned_by(e, head) for e in self.entities.ents_in(source) if self.entities.person_tokens(e)):
            return None  # "Gowdy's spokesman", "a spokesman for Gowdy" is someone else than Gowdy
        if self._body_spoken_for(head) is not None:
            return None  # "the company's spokesman" speaks for the company, not for the person named last
        words: set[str] = {role}
        for t in source:
            country = gazetteer.country_of(t.text)
            if country:
                words.add("country:" + country.lower())
            if t.lower_ in LEADER_WORDS:
                words.add("leader")
            if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.i != head.i:
                words.add(t.lemma_.lower())
        # "A senior negotiator from one Gulf delegation" after "the bloc's chief negotiator, Hedda Brekke", "A White
        # House official" after a strategist who "served in the Obama White House": an indefinite description
        # brings in someone new unless the role and more are shared ("a Kremlin spokesman")
        indefinite = source[0].lower_ in ("a", "an")
        best, best_key = None, None
        for person in self.entities.people:
            shared = words & person.words
            if role not in shared and len(shared - {w for w in shared if w.startswith("country:")}) < 2:
                continue
            before = person.start < source.start_char
            if indefinite and (role not in shared or (before and shared <= {role})):
                continue
            if not before and self._owners and not self._owners & person.words:
                continue  # "a spokesman for the Department for Education" is not the opposition's, named later
            score = len(shared) + (1 if any(w.startswith("country:") for w in shared) else 0)
            key = (score, before, person.start if before else -person.start)
            if best_key is None or key > best_key:
                best, best_key = person, key
        if best is not None:
            return best
        introduced = self._introduced_after(source, role)
        if introduced is not None:
            return introduced
        offsets = self.entities.mention_offsets
        first_mention = not offsets or offsets[0] >= source.start_char
        if source[0].lower_ in ("the", "this", "that") or source[0].dep_ == "poss" or first_mention:
            # "Mr. Trump took on Ms. Lane after the front-runner said": the person named last before whose
            # known roles do not say otherwise; at the top of an article, the one named next.
            nearby = self.entities.mentions_between(source.sent.start_char - 600, source.start_char)
            fitting = [(off, p) for off, p in nearby if not (_roles(p.words) - {role, "leader"}) or role in p.words]
            if fitting:
                # "Hillary Clinton has a word for Donald Trump's plan ... The Democratic presidential candidate
                # blasted": one named only as an owner ("Trump's plan") is not who the description takes up
                unowned = [p for off, p in fitting if not self._possessor_at(off)]
                return (unowned or [p for _, p in fitting])[-1]
            # everyone nearby has another known role: the one who spoke last ("Clinton acknowledged …
            # The Democratic presidential nominee explained")
            recent = {p.name for off, p in nearby}
            if self.spoken and self.spoken[-1].name in recent:
                return self.spoken[-1]
        return None

    def _possessor_at(self, char: int) -> bool:
        """Is the name whose mention starts at ``char`` a possessor ("Donald Trump's plan")?"""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return False
        tok = span[0]
        while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
            tok = tok.head
        return tok.dep_ == "poss"

    def _introduced_after(self, source: SpacySpan, role: str) -> _Person | None:
        """'The Romanian hacker whose hack revealed that Clinton ... pleaded guilty. [...] Marcel Lazar said': a
        description that opens the article's body (no one named in the body before it) is the first person the
        next sentences name as a subject (or in apposition) whom the article had not named before the description,
        unless their known roles differ.

        People named before it (in the headline, say) or inside the description itself are not that person."""
        if not self._opens_body(source):
            return None
        owners = _role_owner_words(source.root)
        after, end = self._lede_window(source)
        named_before = {id(p) for _, p in self.entities.mentions_between(0, after)}
        for ent in doc_entities(self.doc).within(source.sent.end, end):
            if ent.root.dep_ not in ("nsubj", "nsubjpass", "appos"):
                continue
            person = self._person_named(ent)
            if person is None or id(person) in named_before or (owners and not owners & person.words):
                continue
            if not (_roles(person.words) - {role, "leader"}) or role in person.words:
                return person
        return None

    def _opens_body(self, source: SpacySpan) -> bool:
        """Whether the source is in the article's body (after its headline) before anyone is named there."""
        headline = self._headline
        body = self.doc[headline[1]].idx if headline is not None and headline[1] < len(self.doc) else 0
        return source.start_char >= body and not self.entities.mentions_between(body, source.start_char)

    def _lede_window(self, source: SpacySpan) -> tuple[int, int]:
        """(char offset where the description ends, its relative clauses included; token index where the
        sentences that may introduce who it describes end)."""
        right = self.doc[source.root.right_edge.i]
        after = max(source.end_char, right.idx + len(right))
        sent = source.sent
        for _ in range(LEDE_SENTENCES):
            if sent.end >= len(self.doc):
                break
            sent = self.doc[sent.end].sent
        return after, sent.end

    def _people_introduced_after(self, source: SpacySpan) -> Speaker | None:
        """'Two House committees on Monday asked ... Chairman Ann Lee (R-Utah) and Chairman Bo Kim (R-Va.) sent
        the referral': a plural description with a number or a role that opens the article's body is the people
        the next sentences join by 'and' as a subject (as many as its number says), none of whom the article
        named before it."""
        head = source.root
        if head.tag_ not in ("NNS", "NNPS"):
            return None
        count = _head_number(source)
        owners = _owners(source)
        if count is None and len(owners) >= 2 and _role_lemma(head) is not None:
            return self._one_for_each_owner(source, owners)
        if (count is None and _role_lemma(head) is None) or not self._opens_body(source):
            return None
        after, end = self._lede_window(source)
        named_before = {p.name for _, p in self.entities.mentions_between(0, after)}
        for tok in self.doc[source.sent.end : end]:
            if tok.dep_ not in ("nsubj", "nsubjpass") or not any(c.dep_ == "cc" for c in tok.children):
                continue
            names = self._joined_names(self.doc[tok.left_edge.i : tok.right_edge.i + 1])
            if names is not None and (count is None or len(names) == count) and not named_before & set(names):
                self.together.append(names)
                return Speaker(_clean(source.text), _join_names(names), "GROUP")
        return None

    def _one_for_each_owner(self, source: SpacySpan, owners: list[Token]) -> Speaker | None:
        """'The leaders of the United States, Canada and Mexico took turns rebutting ...' near the top of the body:
        as many people as it names owners, the first the next sentences name as subjects (alone or joined by
        'and') whom the article had not named before it; a person the article ties to another country is not
        one of them.  All of them, or no one."""
        if source.sent.start >= self._body_sentence_end(OWNERS_TOP_SENTENCES):
            return None
        after, _ = self._lede_window(source)
        end = self._paragraphs_end(source.sent.end, OWNERS_WINDOW_PARAGRAPHS)
        named_before = {id(p) for _, p in self.entities.mentions_between(0, after)}
        countries = {c.lower() for t in owners if (c := gazetteer.country_of(t.text))}
        found: list[_Person] = []
        for tok in self.doc[source.sent.end : end]:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ != "PROPN":
                continue
            for member in (tok, *[c for c in tok.children if c.dep_ == "conj"]):
                ent = doc_entities(self.doc).at(member.i)
                person = self._person_named(ent) if ent is not None else None
                if person is None or id(person) in named_before or person in found:
                    continue
                said = {w.removeprefix("country:") for w in person.words if w.startswith("country:")}
                if countries and said - countries:
                    continue  # "US President ..." is not the leader of Canada
                found.append(person)
            if len(found) >= len(owners):
                break
        if len(found) != len(owners):
            return None
        names = [p.name for p in found]
        self.together.append(names)
        return Speaker(_clean(source.text), _join_names(names), "GROUP")

    def _body_sentence_end(self, n: int) -> int:
        """The token index where the body's ``n``-th sentence ends."""
        end = self._lede_end(self._headline[1] if self._headline is not None else 0)
        for _ in range(n - 1):
            if end >= len(self.doc):
                break
            end = self.doc[end].sent.end
        return end

    def _paragraphs_end(self, start: int, n: int) -> int:
        """The token index where the ``n``-th paragraph that starts after token ``start`` ends."""
        breaks = 0
        for tok in self.doc[start:]:
            if tok.is_space and "\n" in tok.text:
                breaks += 1
                if breaks > n:
                    return tok.i
        return len(self.doc)

    def _described_people(self, source: SpacySpan) -> Speaker | None:
        """'the two lawmakers', 'both senators' → the people of that role the article named last."""
        head = source.root
        distributive = source[0].lower_ in lexicons.DISTRIBUTIVES  # "each candidate": every one of them
        if (head.tag_ not in ("NNS", "NNPS") and not distributive) or _role_lemma(head) is None:
            return None
        if any(c.dep_ == "cc" for c in head.children):
            return None  # "both the candidate and her staff": people joined, not a number of one role
        if any(c.dep_ == "poss" for c in head.children):
            return None  # "the senator's advisers" are not the senators
        if any(e.start > head.i and self.entities.person_tokens(e) for e in self.entities.ents_in(source)):
            return None  # "the two dissenting judges, led by Justice Arjun Mehta,": a group the source itself names
        count = _head_number(source)
        if count is None and not any(t.lower_ in ("the", "both") for t in source[:2]) and not distributive:
            return None
        counted = count is not None  # "the two lawmakers", "both senators", not "the officials"
        count = count or 2
        role = _role_lemma(head)
        earlier: list[_Person] = []
        mentions = self.entities.mentions
        before = bisect_left(self.entities.mention_offsets, source.start_char)
        holders = [mentions[k][1] for k in range(before - 1, -1, -1) if role in mentions[k][1].words]
        pair = next((names for names in reversed(self.together) if len(names) == count), None) if counted else None
        if pair is not None and len(set(p.name for p in holders)) < count:
            # "Lane and Haddad wrote to the board. [...] The two lawmakers argue": the people who last spoke together
            return Speaker(_clean(source.text), _join_names(pair), "GROUP")
        passes = [holders]
        if counted or distributive:  # "the officials" may be any number of anyone: only people given that role
            passes += [reversed(self.spoken), (mentions[k][1] for k in range(before - 1, -1, -1))]
        for latest_first in passes:
            earlier = []
            for person in latest_first:
                if person not in earlier:
                    earlier.append(person)
                if len(earlier) == count:
                    break
            if len(earlier) == count:
                break
        if len(earlier) < count:
            return None
        return Speaker(_clean(source.text), _join_names([p.name for p in reversed(earlier)]), "GROUP")

    def _group_speaker(self, mention: str, source: SpacySpan) -> Speaker:
        doc = self.doc
        source = _without_description_set_off(source, self.entities.ents_in(source))
        # Governments and their bodies have one canonical name (names.party_name): "Moscow" → Russia,
        # "the Defence Ministry in Moscow" → Russian Ministry of Defence.
        canonical = party_name(_clean(source.text))
        # (a country by its own name too: the tagger may have typed "Azerbaijan" a person, or nothing)
        if canonical and side_of(canonical) and (canonical != mention or (
                canonical.lower() in gazetteer.COUNTRY_NAMES and source.root.ent_type_ in ("PERSON", ""))):
            country = gazetteer.COUNTRY_NAMES.get(canonical.lower())
            if country or gazetteer.capital_name(mention) is None or source.root.ent_type_ in ("GPE", "LOC", ""):
                kind = "GPE" if country else ("GROUP" if _is_person_role(canonical) else "ORG")
                return Speaker(mention, canonical, kind)
        toks = [t for t in source if not (t.i == source.start and t.lower_ in DETERMINERS)]
        head = source.root
        source_ents = self.entities.ents_in(source)
        named_after = _organisation_set_off(head)
        if named_after is not None:  # "The developer, Lindqvist Homes,": the organisation named after its noun
            name = _clean(named_after.text)
            return Speaker(mention, self.acronyms.get(name) or gazetteer.expand_acronym(name), "ORG")
        # the type of the name the head noun is part of ("the Rail Delivery Group"), not of a name that only
        # says where or whose ("residents in Dayton", "Virginia voters" are people, not a place)
        named = next((e for e in source_ents if e.start <= head.i < e.end), None)
        label = ("ORG" if described_as_body(named) else named.label_) if named is not None else ""
        if not label and head.lemma_.lower() in _ORGANISATION_HEADS and any(
                e.root.head.i == head.i and e.root.dep_ in ("compound", "poss", "amod", "nmod") for e in source_ents):
            label = "ORG"  # "the Kremlin press office", "Gowdy's office", "the Mexican government"
        elif not label and _one_organisation(head):
            label = "ORG"  # "the defence ministry", "Halvorsen Motors" (a company the NER missed after a dateline)
        kind = {"ORG": "ORG", "GPE": "GPE", "NORP": "NORP"}.get(label, "GROUP")
        country = _country_owner(source)
        words = {t.lower_ for t in source}
        if country and head.lower_ in MILITARY_WORDS and not words & {"ministry", "minister"}:
            # "Ukraine's eastern military command", "the military in Kyiv" → "Ukrainian military" (not "Ukraine's
            # military intelligence agency", headed by another noun)
            return Speaker(mention, f"{gazetteer.demonym(country) or country} military", "GROUP")
        # "a spokesman for the Kremlin" → "Kremlin spokesman"
        if head.lemma_.lower() in lexicon.SPEAKER_ROLE_NOUNS:
            owner_name = self._possessor_name(head) or self._body_spoken_for(head)
            if owner_name is not None:  # "Brandt's spokesman" → "Paul Brandt spokesman", as "a spokesman for Brandt"
                return Speaker(mention, f"{owner_name} {_role_words(head, named_owner=True)}", "GROUP")
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "in", "to") and not _role_of(prep) \
                        and not (prep.lower_ == "to" and _possessed(head)):  # "Chad's ambassador to France"
                    objs = [c for c in prep.children if c.dep_ == "pobj"]
                    if objs:
                        obj = objs[0]  # a person only when named ("an army of Sanders supporters" is no one's)
                        owner = (self.entities.person_in(doc[obj.left_edge.i : obj.right_edge.i + 1])
                                 if obj.pos_ == "PROPN" else None) or (
                            self.entities.known_surname(doc[obj.i : obj.i + 1])
                            if obj.left_edge.i == obj.i else None)  # "for Varga": the Varga named before
                        org = owner.name if owner is not None else self._organisation_owner(head, obj)
                        place = gazetteer.country_of(org)
                        if prep.lower_ == "in" and place:
                            org = gazetteer.demonym(place) or org
                        else:
                            org = gazetteer.expand_acronym(org)
                        return Speaker(mention, f"{org} {_role_words(head, named_owner=obj.pos_ == 'PROPN')}", "GROUP")
        owners = [p for p in _possessors(source) if gazetteer.country_of(_with_compounds(p))] if country else []
        if owners:
            # "Russia's Ministry of Defence" → "Russian Ministry of Defence" (not "The Private and Boarding Schools'
            # Federation of Nepal", whose possessor is no country)
            rest = [t for t in toks if not any(t.i == p.i or t.head.i == p.i for p in owners)]
            if rest:
                # "Britain's two largest rail unions" → "two largest British rail unions": numbers and degree
                # words stay in front
                k = next((j for j, t in enumerate(rest)
                          if t.tag_ not in ("JJS", "JJR") and t.ent_type_ not in ("ORDINAL", "CARDINAL")), len(rest))
                lead = _clean(doc[rest[0].i : rest[k - 1].i + 1].text) + " " if k else ""
                name = _clean(doc[rest[k].i : rest[-1].i + 1].text) if k < len(rest) else ""
                return Speaker(mention, f"{lead}{gazetteer.demonym(country) or country} {name}".strip(),
                               kind if label else "GROUP")
        if label == "ORG" and named is not None and toks and named.start > toks[0].i and named.end > toks[-1].i \
                and _described_before(named):
            # "British retailer Marlow & Finch", "Supporters' group Rovers Trust": the name, not its description
            return Speaker(mention, self.acronyms.get(_clean(named.text)) or _clean(named.text), kind)
        if len(toks) == 1 or (label and len(source_ents) == 1 and source_ents[0].root == head):
            name = _clean(doc[toks[0].i : toks[-1].i + 1].text)  # "anti-Trump super PAC", not "anti - Trump ..."
            name = self.acronyms.get(name) or gazetteer.expand_acronym(name)
            return Speaker(mention, name, kind)
        if label == "ORG":
            toks = _without_description(toks)
        elif not label:
            toks = _without_set_off_asides(toks, head)
        name = _clean(doc[toks[0].i : toks[-1].i + 1].text) if toks else mention
        return Speaker(mention, name, kind if label else "GROUP")


def _without_description(toks: list[Token]) -> list[Token]:
    """An organisation's words without a lower-case description before its name ("the opposition | Law and
    Justice party"); kept whole when a preposition or a number is in them ("a group of liberal Rabbis": a name
    after a preposition says who, not which; "two outside GOP spending groups")."""
    first = next((k for k, t in enumerate(toks) if t.pos_ == "PROPN" and not t.is_lower), 0)
    if all(t.is_lower and not t.like_num for t in toks[:first]) and not any(t.pos_ == "ADP" for t in toks):
        return toks[first:]
    return toks


def _without_set_off_asides(toks: list[Token], head: Token) -> list[Token]:
    """A group's words without a clause or apposition set off by a comma after its head ("The researchers, |
    led by glaciologist Helen Amundsen of the University of Bergen,"): an aside says more about the group, it is
    not its name. An apposition with a name in it stays ("One Republican hopeful, Carly Fiorina,"): it says who."""
    doc = head.doc
    cut = {t.i for c in head.rights if c.dep_ in _CLAUSE_OR_ASIDE and doc[c.left_edge.i - 1].text == ","
           and not (c.dep_ == "appos" and any(t.pos_ == "PROPN" for t in c.subtree)) for t in c.subtree}
    kept = [t for t in toks if t.i not in cut]
    while len(kept) > 1 and (kept[-1].is_punct or kept[-1].is_space):
        kept.pop()
    return kept or toks


def _organisation_set_off(head: Token) -> SpacySpan | None:
    """An organisation named in apposition to a singular common noun, set off by commas ("The developer,
    Lindqvist Homes,", "Its owner, the Ostby Group,"): the speaker is the organisation, not the noun (also for
    a source the tagger cut before the name)."""
    lemma = head.lemma_.lower()
    if head.pos_ != "NOUN" or head.tag_ != "NN" or _role_lemma(head) is not None or lemma in lexicons.GENDERED_WORDS \
            or lemma in lexicons.FOLLOWER_NOUNS or lemma + "s" in lexicons.FOLLOWER_NOUNS:
        return None  # "One voter, Guadalupe Potocacetpl,", "his son, Grant,": a person the tagger typed ORG
    for c, ent in _apposed_organisations(head, unlabelled=True):  # "The airline, Northstar Freight," (a product)
        if head.doc[c.left_edge.i - 1].is_punct:  # ", the IPCC,"
            return None if ent[0].lower_ in lexicons.GIVEN_NAME_GENDER else ent  # "a hopeful, Carly Fiorina,"
    return _body_named_like_a_person(head) if lemma in _ORGANISATION_HEADS else None


def _body_named_like_a_person(head: Token) -> SpacySpan | None:
    """'The main opposition party, Fianna Nua,': a name the tagger typed a person's, set off after a body's noun,
    names the body (a party or a union is nobody's name for a person)."""
    entities = doc_entities(head.doc)
    for c in head.rights:
        ent = entities.at(c.i) if c.dep_ == "appos" and c.pos_ == "PROPN" else None
        if ent is not None and ent.label_ == "PERSON" and ent.root.i == c.i \
                and head.doc[ent.start - 1].text == "," and ent.end < len(head.doc) and head.doc[ent.end].text == ",":
            return ent
    return None


def _owner_set_off(role: Token, owner: Token) -> SpacySpan | None:
    """'A spokesman for the regulator, the Office for Students,': an organisation the parser set in apposition
    to the role noun, right after the common noun that says whose role it is, names that owner (a spokesman is
    not an office)."""
    if owner.pos_ != "NOUN":
        return None
    for _, ent in _apposed_organisations(role, unlabelled=False):
        if ent.start == owner.right_edge.i + 2 and role.doc[ent.start - 1].text == ",":
            return ent
    return None


def _apposed_organisations(head: Token, unlabelled: bool) -> Iterator[tuple[Token, SpacySpan]]:
    """The appositions after ``head`` that head an organisation's name: an ORG entity, or with ``unlabelled`` a
    name the tagger missed or typed a product (:func:`organisations.unlabelled_at`)."""
    entities = doc_entities(head.doc)
    for c in head.rights:
        if c.dep_ != "appos":
            continue
        ent = entities.at(c.i)
        if unlabelled and (ent is None or ent.label_ != "ORG"):
            ent = unlabelled_at(c) or _name_with_acronym(c)
        if ent is not None and ent.label_ in ("ORG", "") and ent.root.i == c.i:
            yield c, ent


def _name_with_acronym(word: Token) -> SpacySpan | None:
    """The proper nouns compounded onto ``word`` when an acronym in parentheses follows them ("the Dravida Makkal
    Munnani (DMM)"): a body's name, whatever the tagger typed it."""
    doc = word.doc
    if word.pos_ != "PROPN" or not any(a.dep_ == "appos" and a.is_upper and len(a) >= 2 and doc[a.i - 1].text == "("
                                       for a in word.rights):
        return None
    start = word.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == word.i:
        start -= 1
    return doc[start : word.i + 1]


def _described_before(name: SpacySpan) -> bool:
    """Is the word before a name the end of a description of it ("British retailer | Marlow & Finch", "the
    broader | Democratic Party"), not a part of the name the tagger left out ("Islamic | State", "Ilya |
    Shapiro"), a possessive ("Purple PAC's | Crane") or a kind of body ("super | PAC")?"""
    before = name.doc[name.start - 1]
    return before.is_lower and before.tag_ != "POS" and (len(name) > 1 or before.pos_ == "NOUN")


def _one_organisation(head: Token) -> bool:
    """A noun that names one organisation with no entity around it: a singular organisation noun ("the
    ministry", "the agency"), or a name ending in a word of a company's or body's name ("Halvorsen Motors").
    Not plurals ("tech companies"), roles ("the prosecutor"), or "a group of rabbis"."""
    lemma = head.lemma_.lower()
    of_people = any(o.dep_ == "pobj" and o.tag_ in ("NNS", "NNPS")
                    for p in head.children if p.lower_ == "of" for o in p.children)
    if lemma in lexicons.PERSON_ROLE_NOUNS or of_people:
        return False
    if head.tag_ in ("NNP", "NNPS"):
        return lemma in _ORGANISATION_HEADS or head.lower_ in _ORGANISATION_HEADS
    return head.tag_ == "NN" and lemma in _ORGANISATION_NOUNS


def _role_words(head: Token, named_owner: bool = False) -> str:
    """The role noun with the common nouns compounded onto it ("union leaders", "communications aide") and the
    noun that completes it ("chief of staff"), lower case; a role that is a name keeps it alone ("the advocacy
    group Campaign for ..."), and an organisation's noun goes when a name says whose ("club officials at Harbor
    United" → "Harbor United officials")."""
    named = head.pos_ == "PROPN" or (head.is_title and head.i != head.sent.start)
    words = [] if named else [
        t.lower_ for t in head.lefts if t.dep_ == "compound" and t.pos_ == "NOUN" and t.is_alpha
        and not (named_owner and t.lower_ in _ORGANISATION_HEADS)]  # "club officials at Harbor United"
    complement = next((p for p in head.rights if _role_of(p)), None)
    tail = ["of", *(g.lower_ for g in complement.children if g.dep_ == "pobj")] if complement is not None else []
    return " ".join([*words, head.lower_, *tail])


def _role_of(prep: Token) -> bool:
    """'of' and a bare common noun that completes a role ("chief of staff", "secretary of state"), not whose
    role it is ("leaders of the party")."""
    return prep.dep_ == "prep" and prep.lower_ == "of" and any(
        g.dep_ == "pobj" and g.pos_ == "NOUN" and g.tag_ == "NN" and not (g.n_lefts or g.n_rights)
        for g in prep.children)


LEDE_SENTENCES = 2  # how many sentences after a lede's description may introduce the person it describes
# "The leaders of A, B and C" in the body's first sentences is the people the next sentences name one by one
OWNERS_TOP_SENTENCES = 4
OWNERS_WINDOW_PARAGRAPHS = 6
HEADLINE_ECHO_SENTENCES = 3  # a headline's cue verb is echoed by a source in the body's first sentences
# a verb under one of these shares the subject of the word it hangs on ("also calling ... after citing X")
_SUBJECT_SHARED = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep"})
_FRONTED = frozenset({"prep", "advcl", "npadvmod", "advmod"})  # phrases set before a clause, not its content
_ARGUMENTS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "attr", "appos"})
_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4}


def cue_subject(doc: Doc, cue: list[int]) -> SpacySpan | None:
    """The grammatical subject of a cue whose source the taggers left out ("Trump, who took to the talk shows to
    defend his praise" → "who"): the first cue verb's own subject, or the subject of the verb it is an open
    complement, adverbial clause or conjunct of.  A passive without its agent has none; plural reports nobody
    owns ("amid reports that") are their own source."""
    first = doc[min(cue)]
    if _reports_of_their_own(first):
        return doc[first.i : first.i + 1]  # "amid reports that ...": the reports, a source of their own
    tok = next((doc[i] for i in sorted(cue) if doc[i].pos_ == "VERB"), None)
    for _ in range(6):
        if tok is None:
            return _person_set_before(doc, min(cue))
        # the first subject, not rules.subject_child's nearest: a verb the parser gave two is mostly one whose
        # subject holds a clause ("the first acknowledgement of that Benghazi was ... appears"), not a dateline
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            # "NEGOMBO, Sri Lanka, July 22 (Wire) - Witnesses ... contradicted ..., saying": not the dateline's place
            subj = past_dateline(subj)
            end = min(subj.right_edge.i + 1, min(cue)) if subj.i < min(cue) else subj.right_edge.i + 1
            return doc[subj.left_edge.i : max(end, subj.i + 1)]
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            return None
        if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
            noun = tok.head  # "Trump, who ... shows to defend", "officials speaking on condition of anonymity"
            return doc[noun.left_edge.i : noun.i + 1]
        tok = tok.head if tok.dep_ in _SUBJECT_SHARED and tok.head.i != tok.i else None
    return None


OWNER_DEPTH = 6  # how far up a possessive pronoun looks for the noun whose owner it stands for
_COMPLEMENT_PATH = frozenset({"pobj", "prep", "dobj", "acl", "xcomp", "pcomp"})


def _owns_nominal_cue(source: SpacySpan, cue: Token) -> bool:
    """'Trump's claim to understand ...' inside another clause: the source owns a statement noun that is not
    its sentence's main subject."""
    return (cue.pos_ == "NOUN" and source.root.dep_ == "poss" and source.root.head.i == cue.i
            and cue.dep_ not in ("nsubj", "nsubjpass"))


def _reports_of_their_own(first: Token) -> bool:
    """'amid reports that ...': plural reports that no one owns, names or issued are a source of their own."""
    return (first.pos_ == "NOUN" and first.tag_ == "NNS" and first.lemma_.lower() in DOCUMENT_NOUNS
            and not any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("by", "from", "of"))
                        for c in first.children))


_APPOSITION_PATH = frozenset({"pobj", "prep", "appos", "amod", "compound"})
_OBJECTS = frozenset({"dobj", "pobj", "iobj", "poss", "attr", "dative"})


def _person_set_before(doc: Doc, cue: int) -> SpacySpan | None:
    """'..., Patrick F. Kennedy, the undersecretary for management, wrote': a cue verb the parser left without a
    subject, right after a person's name set off by commas (maybe with a description in apposition), has that
    person as its subject, wherever the parser hung the name."""
    if cue < 2 or doc[cue - 1].text != ",":
        return None
    tok = doc[cue - 2]
    for _ in range(5):
        if tok.ent_type_ == "PERSON" or tok.dep_ not in _APPOSITION_PATH or tok.head.i >= tok.i:
            break
        tok = tok.head
    if tok.ent_type_ != "PERSON" or tok.dep_ in _OBJECTS:
        return None  # "..., the council fired Tomas Reed, the undersecretary, wrote": not the writer
    ent = doc_entities(doc).at(tok.i)
    if ent is None or ent.start == 0 or not doc[ent.start - 1].is_punct:
        return None
    return ent


def _words_but_age(source: SpacySpan) -> int:
    """How many tokens the source has, not counting an age set off after the name ("Reyes, 41,")."""
    if not any(t.like_num for t in source):
        return len(source)
    return sum(not (t.is_punct or t.like_num) for t in source)


def _words_of_a_body(named: list[SpacySpan], head: Token) -> bool:
    """Are the names in a source words of a body's name ending in the head noun ("the opposition Law and
    Justice party", "the Kennedy Center"): the head a word of such names, each name leading to it by compounds
    and conjuncts?"""
    if not named or head.tag_ != "NN" or head.ent_type_ == "PERSON" \
            or head.lemma_.lower() not in lexicons.ORGANISATION_NAME_WORDS:
        return False
    for ent in named:
        tok = ent.root
        while tok.i != head.i and tok.dep_ in ("compound", "conj", "nmod") and tok.head.i != tok.i:
            tok = tok.head
        if tok.i != head.i:
            return False
    return True


def _owned_by(ent: SpacySpan, head: Token) -> bool:
    """Whether a name only says whose the head noun is: its owner ("Clinton's aide"), a name compounded onto a
    plural noun for someone's people ("Clinton aides") or, after a common noun, the object of its preposition
    or that object's owner ("an aide to Clinton", "friends of Trump", "residents in Dayton", "officials in
    Ms. Merkel's government")."""
    root = ent.root
    if root.dep_ == "poss" or (root.dep_ == "compound" and root.head.tag_ == "NNS"
                               and root.head.lemma_.lower() in lexicons.FOLLOWER_NOUNS):
        # "Clinton's aide", "Thorne supporters", and after a preposition "officials in Ms. Merkel's government",
        # "a group of Thorne supporters": people of that name's, not that person
        root = root.head
        if root.i == head.i:
            return True
        if head.lemma_.lower() in DOCUMENT_NOUNS:
            return False  # "a statement from Ryan's office" speaks for Ryan
    return (head.pos_ == "NOUN" and root.dep_ == "pobj" and root.head.dep_ == "prep"
            and root.head.head.i == head.i)


def _owners(source: SpacySpan) -> list[Token]:
    """'leaders of the United States, Canada and Mexico' → the proper names joined after the head's 'of'."""
    for prep in source.root.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is None or obj.pos_ != "PROPN":
                return []
            joined = [obj]
            while (nxt := next((c for c in joined[-1].children if c.dep_ == "conj" and c.pos_ == "PROPN"), None)):
                joined.append(nxt)
            return joined
    return []


def _head_number(source: SpacySpan) -> int | None:
    """The number of the head noun ("the two lawmakers"), not one inside a modifier ("economists in both parties")."""
    return next((_NUMBERS[t.lower_] for t in source if t.lower_ in _NUMBERS and t.head.i == source.root.i), None)


def _controlled(clause: Token) -> bool:
    """A clause without a subject of its own ('Campaigning against Romney, he ...'): the main subject's."""
    return clause.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)


def _main_subject(tok: Token) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT"


def _named_for_main_subject(ent: SpacySpan) -> bool:
    """Is the name set off in apposition to a person's role that is the sentence's main subject ("Ukraine's human
    rights commissioner, Dmytro Lubinets, was more guarded": the pronouns after it are his)?"""
    root = ent.root
    return (root.dep_ == "appos" and root.head.i < ent.start and _person_noun(root.head) and _main_subject(root.head)
            and _set_off(root.head, ent) and ent.end < len(ent.doc) and ent.doc[ent.end].is_punct)


def _owns_main_subject(ent: SpacySpan) -> bool:
    """Does the name own the sentence's main subject, a thing rather than people ("Trump's handling of the news is
    reflective of how he ...", "Powell's office said ... but he did remember": the pronouns after it are his)?"""
    root = ent.root
    owned = root.head
    # a person's name, not a body's: "the Donald J. Trump Foundation's donation" is the foundation's
    return (root.dep_ == "poss" and root.lower_ not in _ORGANISATION_HEADS and _main_subject(owned)
            and owned.pos_ == "NOUN" and owned.lemma_.lower() not in _PEOPLE_NOUNS | _ROLES_AND_CALLINGS)


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _head_lemma(source: SpacySpan) -> str:
    return source.root.lemma_.lower()


def _document_owner(source: SpacySpan) -> SpacySpan | None:
    """The possessor of a document ('his' in 'his letter', 'several of his findings'), the name it is from or
    by ('a post from Arianna Huffington', 'a press release from Judicial Watch') or the paper it ran in ('an
    editorial in the newspaper'), as a span."""
    head = source.root
    if head.lower_ in lexicons.PARTITIVES:  # "several of his findings": the findings
        inner = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                 if g.dep_ == "pobj"]
        head = inner[0] if inner else head
    if head.pos_ != "NOUN":
        return None
    paper = _publication(head) if head.lemma_.lower() in lexicons.PRESS_PIECES else []
    if paper:
        return _name_of(source.doc, paper[0])  # "an article in The Washington Post"
    if head.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    poss = [c for c in head.children if c.dep_ == "poss"] or [  # "his letter", and a name on it: "a U.N. report"
        c for c in head.lefts if c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")]
    if not poss:
        # "a post from Arianna Huffington", "a letter by Mr. Ortiz": its author
        # "a post from X", "a letter by X", "a report released by X" (the agent of a participle on it)
        preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by")] + [
            a for c in head.children if c.dep_ == "acl" and c.tag_ == "VBN" for a in c.children if a.dep_ == "agent"]
        author = [g for c in preps for g in c.children if g.dep_ == "pobj"]
        if author and author[0].pos_ != "PROPN":
            # "a statement from Ryan's office": the office's owner
            author = [p for p in author[0].children if p.dep_ == "poss" and p.pos_ == "PROPN"
                      and author[0].lemma_.lower() in _ORGANISATION_HEADS]
            return source.doc[author[0].left_edge.i : author[0].i + 1] if author else None
        return _name_of(source.doc, author[0]) if author else None
    lo, hi = poss[0].left_edge.i, poss[0].i + 1
    if hi - lo > 1 and source.doc[hi - 1].tag_ == "POS":
        hi -= 1
    while hi - lo > 1 and source.doc[hi - 1].tag_ == "POS":
        hi -= 1
    return source.doc[lo:hi]


def _name_of(doc: Doc, word: Token) -> SpacySpan:
    """The phrase a preposition's object heads, without a clause or an apposition after it ("the Center for
    Economic and Policy Research", "Arianna Huffington, its founder" → "Arianna Huffington")."""
    kept = _without_asides(word)
    return doc[kept[0].i : kept[-1].i + 1]


def _without_asides(word: Token) -> list[Token]:
    """The tokens of the phrase ``word`` heads, less the clauses and appositions after it and the punctuation
    that ends it (never less than ``word`` itself)."""
    cut = {t.i for c in word.rights if c.dep_ in _CLAUSE_OR_ASIDE for t in c.subtree}
    kept = [t for t in word.subtree if t.i not in cut]
    while len(kept) > 1 and kept[-1].is_punct:
        kept.pop()
    return kept


def _publication(head: Token) -> list[Token]:
    """'an editorial in the newspaper', 'an article in The Washington Post': the paper it ran in, by name or as
    one organisation ('the newspaper', which the resolver takes for the one named before)."""
    return [g for c in head.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children
            if g.dep_ == "pobj" and (g.pos_ == "PROPN" or (
                g.lemma_.lower() in lexicons.ORGANISATION_NOUNS and g.tag_ == "NN"
                and any(d.lower_ == "the" for d in g.children)))]


def _publisher_of(study: Token) -> Token | None:
    """The agent of a verb of making that describes a study nobody owns ("a study published on Tuesday by the
    Borneo Canopy Institute"); not of any document: an email "released by Judicial Watch" was written by
    someone else."""
    if any(c.dep_ == "poss" for c in study.children):
        return None
    return next((g for c in study.children if c.dep_ == "acl" and c.lemma_.lower() in _AUTHORING
                 for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)


def _is_document(source: SpacySpan) -> bool:
    """A common noun for a document ('letter', 'reports'), not a name that ends in one ('The Washington Post')."""
    return source.root.pos_ == "NOUN" and _head_lemma(source) in DOCUMENT_NOUNS


def _is_definite_document(source: SpacySpan) -> bool:
    """'the lawsuit', 'his letter': one document the article identified, which speaks for its author.

    A name ('The Washington Post') is not a document, and plural or indefinite ones ('news reports', 'a memo')
    are sources of their own, kept as written."""
    head = source.root
    if not _is_document(source) or head.tag_ in ("NNS", "NNPS"):
        return False
    return any(t.head.i == head.i and (t.lower_ in ("the", "this", "that") or t.dep_ == "poss") for t in source)


def _hyphenated(tok: Token) -> str:
    """The whole word a token ends when hyphens join it to those before ("Kamau-Ellis", which the tokenizer
    splits in three)."""
    doc, start = tok.doc, tok.i
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
            and not doc[start - 2].whitespace_:
        start -= 2
    return doc[start : tok.i + 1].text


def _role_lemma(tok: Token) -> str | None:
    """The person role a head noun names ('spokesmen' → 'spokesman', 'front-runner'), or None."""
    doc = tok.doc
    joined = doc[tok.i - 2].lower_ + "-" + tok.lemma_.lower() if tok.i >= 2 and doc[tok.i - 1].text == "-" else None
    for word in (joined, tok.lemma_.lower(), tok.lower_):
        if word in PERSON_ROLE_NOUNS:
            return word
    return None


def _with_name_after_title(source: SpacySpan) -> SpacySpan:
    """'Mr.' cut from 'Mr. Ortiz' by the tagger: the source is the title and the name after it."""
    doc = source.doc
    if len(source) == 1 and source[0].lower_.rstrip(".") in lexicons.HONORIFICS:
        end = source.end
        while end < len(doc) and doc[end].pos_ == "PROPN" and end - source.end < 3:
            end += 1
        return doc[source.start : end]
    return source


def _roles(words: set[str]) -> set[str]:
    return {w for w in words if w in PERSON_ROLE_NOUNS}


def _is_person_role(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and words[-1] in PERSON_ROLE_NOUNS


def _possessed(head: Token) -> bool:
    """Does a possessive own the noun ("Chad's", which the parser may make a nominal modifier)?"""
    return any(c.dep_ == "poss" or (c.dep_ == "nmod" and any(g.tag_ == "POS" for g in c.children))
               for c in head.children)


def _possessors(source: SpacySpan) -> list[Token]:
    return [t for t in source if t.dep_ == "poss" and t.head.i == source.root.i]


def _with_compounds(tok: Token) -> str:
    """A word with the proper nouns compounded before it when together they are a country's name: "Papua New
    Guinea" (whose "Guinea" alone is Guinea); not "State Department", which the gazetteer knows as a seat of the
    United States government."""
    start = tok.i
    while start > 0 and tok.doc[start - 1].dep_ == "compound" and start <= tok.doc[start - 1].head.i <= tok.i \
            and tok.doc[start - 1].pos_ == "PROPN":
        start -= 1
    whole = tok.doc[start:tok.i + 1].text
    return whole if whole.lower() in gazetteer.COUNTRY_NAMES else tok.text


def _country_owner(source: SpacySpan) -> str | None:
    """The country a description belongs to: "Ukraine's ...", "... in Kyiv", "the Ukrainian ..."."""
    for poss in _possessors(source):
        country = gazetteer.country_of(_with_compounds(poss))
        if country:
            return country
    head = source.root
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "of") and not _inside_name(prep):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    country = gazetteer.country_of(_with_compounds(obj))
                    if country:
                        return country
    for t in source:
        if t.dep_ == "amod" and t.head.i == head.i:
            country = gazetteer.country_of(t.text)
            if country:
                return country
    return None


def _place_named(text: str) -> bool:
    """A country, its people or its capital ("Kyiv" typed ORG), not a body that stands for its government ("the
    State Department" means "the department")."""
    return gazetteer.country_of(text) is not None and gazetteer.seat_country(text) is None


def _role_owner_words(head: Token) -> set[str]:
    """The words of whom a role is for ("a spokeswoman for | the airline", "a lawyer for | the family"), lower-case
    lemmas without determiners: a person named later fills that role only if described by one of them (a
    spokeswoman for a body that is named mostly goes unnamed)."""
    return {t.lemma_.lower() for o in _role_owners(head) for t in o.subtree
            if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in DETERMINERS}


def _role_owners(head: Token) -> list[Token]:
    """The heads of whom a role is for ("a spokeswoman for the | airline", "a spokesman for the | Department
    for Education", "a | ministry spokeswoman")."""
    return [o for p in head.children if p.dep_ == "prep" and p.lower_ == "for" for o in p.children
            if o.dep_ == "pobj"] + [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"
                                    and c.lemma_.lower() in _ORGANISATION_HEADS]


def _inside_name(prep: Token) -> bool:
    """Is the preposition a word of the organisation's name its head noun is in ("the Communications Workers |
    of America", "the Bank of England"), which says no country owns the body?"""
    ent = doc_entities(prep.doc).at(prep.i)
    return ent is not None and ent.label_ == "ORG" and ent.start <= prep.head.i < ent.end


def _entity_just_before(tok: Token) -> SpacySpan | None:
    """The named entity (person, organisation, country) that ends right before a relative pronoun and its comma."""
    doc = tok.doc
    k = tok.i - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    if k < 0 or doc[k].ent_type_ not in ("PERSON", "ORG", "GPE", "NORP") or doc[k].ent_iob_ == "":
        return None
    start = k
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    return doc[start : k + 1]


def _without_description_set_off(source: SpacySpan, ents: list[SpacySpan]) -> SpacySpan:
    """An organisation's name without the description set off after it, which the parser may hang inside the
    name ("The Office of the Data Integrity Commissioner, Kenya's privacy regulator,"; "DuPont, only two months
    later,"): the source up to the end of the organisation's name that opens it; not where the comma runs on
    into more names ("Committee on Civil Liberties, Justice and Home Affairs", "Fox & Friends, The Kelly File
    and Morning Joe", "RANGOON, Burma")."""
    doc = source.doc
    first = next((e for e in ents if e.start <= source.start + 1), None)
    if first is None or first.label_ != "ORG" or first.end + 1 >= source.end or doc[first.end].text != ",":
        return source
    k = first.end + 1
    k += doc[k].lower_ in DETERMINERS and k + 1 < source.end
    if doc[k].lower_ in ("and", "or") or (doc[k].pos_ == "PROPN" and not (k + 1 < len(doc) and doc[k + 1].tag_ == "POS")):
        return source
    return doc[source.start : first.end]


def _antecedent_of_relative(source: SpacySpan) -> SpacySpan:
    """'who' in 'Putin, who is confident that ...' stands for the noun phrase it modifies; so does 'each of
    whom' in 'all three leaders, each of whom echoed ...'."""
    if len(source) == 3 and source[1].lower_ == "of" and source[2].lower_ in RELATIVE_PRONOUNS and (
            source[0].lower_ in lexicons.DISTRIBUTIVES | lexicons.PARTITIVES | {"all", "both"}):
        verb = source[0].head
        if verb.dep_ == "relcl" and verb.head.i != verb.i:
            noun = verb.head
            return source.doc[noun.left_edge.i : noun.i + 1]
    if len(source) == 1 and source[0].lower_ in RELATIVE_PRONOUNS:
        named = _entity_just_before(source[0])
        if named is not None:  # "a ruling from the Harbour Board, which found ...": the name next to it
            return named
        verb = source[0].head
        if verb.dep_ == "relcl" and verb.head.i != verb.i:
            noun = verb.head
            named = _name_apposed(noun)
            if named is not None:  # "Kiprotich Langat, an independent security researcher, who said": Langat
                return named
            lo = noun.left_edge.i
            return source.doc[lo : noun.i + 1]
    return source


def _name_apposed(noun: Token) -> SpacySpan | None:
    """The name a description is set off after, right after its comma or dash: a person's for a person's noun
    ("Kiprotich Langat, an independent security researcher,"), an organisation's for a body's noun ("National
    Nurses United, the union"); not a date or a place, nor a name with more words before the comma ("Stephen
    K. Bannon of Breitbart News, a conservative website")."""
    doc, head = noun.doc, noun.head
    if noun.dep_ != "appos" or head.pos_ != "PROPN" or head.i >= noun.i or head.ent_type_ not in ("PERSON", "ORG", "") \
            or head.i + 1 >= len(doc) or doc[head.i + 1].text not in (",", "—", "–"):
        return None
    body_noun = noun.lemma_.lower() in _ORGANISATION_HEADS
    if head.ent_type_ == "ORG":
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        return doc[ent.start + (ent[0].lower_ in DETERMINERS) : ent.end] if body_noun and ent is not None else None
    return None if body_noun else doc[head.left_edge.i : head.i + 1]

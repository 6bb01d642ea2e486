"""One article's entities: who and what it names, the roles it gives people, and who made each statement.

The article's named entities are collected with their mentions and grouped by
name (a person's bare surname joins the full name it belongs to), then every
attribution is linked to an entity.  Sources that are not names become
entities of their own kind:

* institutions: "Ukraine’s military", "The military in Kyiv", "Ukraine’s
  eastern military command" → ORG "Ukrainian military", part of Ukraine;
* unnamed people: "a spokesman for the Kremlin" → ROLE "Kremlin spokesman",
  part of the Kremlin;
* metonyms: "Moscow" speaking is Russia's government; "the Kremlin" is a seat
  of government (GOVERNMENT) that stands for Russia;
* everything else ("Ukraine and its allies") → GROUP, named as written.

spaCy's small English model mislabels often ("Kyiv" as a person, "Trump" as an
organisation); the gazetteer and the article's own person names correct it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Iterable

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..names import acronyms_in, clean_mention, lexicons
from ..names.canonical import country_adjective
from ..nlp import gazetteer, lexicon
from ..records import Attribution, Span
from ..nlp.ranges import doc_entities
from ..nlp.datelines import after_dateline
from ..nlp.speakers import without_epithet
from .names import PersonName, fold, org_key, skeleton, strip_article
from .records import ArticleEntities, EntityType, LocalEntity, Mention, Role, SpeakerLink
from .names import TITLE_WORDS
from .roles import _is_role_word, _run_before, roles_for, shared_possessor

PERSON_PRONOUNS = frozenset(w for w, gender in lexicons.PERSON_PRONOUNS.items() if gender != "x")
GROUP_PRONOUNS = lexicons.GROUP_PRONOUNS
RELATIVES = lexicons.RELATIVE_PRONOUNS
DETERMINERS = lexicons.DETERMINERS | {"one", "two", "three"}
# Heads that make a source an institution rather than a person.
INSTITUTION_HEADS = lexicons.INSTITUTION_HEADS
# Different wordings of one institution; the value is the name used.
INSTITUTION_SYNONYMS = {
    "military command": "military", "armed forces": "military", "army": "military", "forces": "military",
    "military forces": "military", "troops": "military",
    "defence ministry": "Ministry of Defence", "defense ministry": "Ministry of Defence",
    "ministry of defense": "Ministry of Defence", "ministry of defence": "Ministry of Defence",
    "foreign ministry": "Foreign Ministry", "ministry of foreign affairs": "Foreign Ministry",
}
COMPASS = frozenset(
    "eastern western northern southern central northeastern northwestern southeastern southwestern "
    "north south east west".split()
)
ROLE_SOURCE_NOUNS = frozenset(lexicon.SPEAKER_ROLE_NOUNS) - INSTITUTION_HEADS


def country_named(text: str) -> str | None:
    """The country ``text`` is the name of ('Russia', 'the US', 'Britain'); None for demonyms, capitals, seats."""
    clean = strip_article(text)
    expanded = gazetteer.ACRONYMS.get(clean)
    if expanded and expanded in ("United States", "United Kingdom"):
        return expanded
    low = clean.lower()
    if low in gazetteer.COUNTRY_TO_DEMONYM:
        return gazetteer.country_of(clean)
    alias = gazetteer.COUNTRY_ALIASES.get(low) or gazetteer.COUNTRY_ALIASES.get("the " + low)
    if alias and low != "kiev":
        return alias
    return None


def seat_named(text: str) -> str | None:
    return gazetteer.seat_country(text)


def capital_named(text: str) -> str | None:
    return gazetteer.CAPITAL_TO_COUNTRY.get(strip_article(text).lower())


def _without_time(span: SpacySpan) -> SpacySpan:
    """A source less the time it acted at its end: "Egypt's cabinet on Wednesday" names the cabinet (the extractor's
    span keeps what the parse hung on the source's head; the entity's name must not)."""
    for c in span.root.rights:
        timed = (c.dep_ == "prep" and any(g.dep_ == "pobj" and g.ent_type_ in _TIMES for g in c.children)) or (
            c.dep_ == "npadvmod" and c.ent_type_ in _TIMES)
        if timed and c.right_edge.i == span.end - 1 and c.left_edge.i > span.root.i:
            return span.doc[span.start : c.left_edge.i]
    return span


_TIMES = ("DATE", "TIME")


@dataclass
class _Draft:
    local: int
    type: EntityType
    name: str
    key: str
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    country: str | None = None
    stands_for: int | None = None
    part_of: int | None = None
    person: PersonName | None = None
    last_seen: int = -1

    def freeze(self) -> LocalEntity:
        mentions = tuple(sorted(set(self.mentions), key=lambda m: (m.span, m.how)))
        roles: dict[tuple[str, str | None, Span], Role] = {}
        for r in self.roles:
            roles.setdefault((r.title, r.of, r.span), r)
        return LocalEntity(self.local, self.type, self.name, mentions, tuple(roles.values()), self.country,
                           self.stands_for, self.part_of)


class _Builder:
    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # Doc.text is rebuilt from the tokens on every access
        self.drafts: list[_Draft] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.person_texts: set[str] = set()
        self.links: list[SpeakerLink] = []
        self.acronyms = acronyms_in(self.text)  # "Rapid Support Forces (RSF)": later "RSF" is the same body
        # Indexes of the mentions, so that no question about a source reads every mention of the article
        # (a long article has tens of thousands): name mentions by start offset (draft, position in its
        # mentions); every mention by start offset (draft, end); each draft's mention offsets in order and the
        # skeletons of its mention texts; the drafts by their latest speaker link.
        self._names_at: dict[int, list[tuple[int, int, _Draft]]] = {}
        self._starting_at: dict[int, list[tuple[int, int]]] = {}
        self._longest = 0
        self._offsets: dict[int, list[tuple[int, int]]] = {}
        self._skeletons: dict[int, set[str]] = {}
        self._name_skeletons: dict[int, set[str]] = {}
        self._bare_skeletons: dict[int, set[str]] = {}
        self._linked: dict[int, None] = {}

    # -- creating and finding ------------------------------------------------------------------
    def _mention(self, draft: _Draft, mention: Mention) -> None:
        start, end, local = mention.span.start, mention.span.end, draft.local
        text = skeleton(mention.text)
        if mention.how == "name":
            self._names_at.setdefault(start, []).append((local, len(draft.mentions), draft))
            self._name_skeletons.setdefault(local, set()).add(text)
        self._starting_at.setdefault(start, []).append((local, end))
        self._longest = max(self._longest, end - start)
        insort(self._offsets.setdefault(local, []), (start, end))
        self._skeletons.setdefault(local, set()).add(text)
        self._bare_skeletons.setdefault(local, set()).add(skeleton(strip_article(mention.text)))
        draft.mentions.append(mention)

    def _mentioned_at(self, at: int, person: bool = False) -> _Draft | None:
        """The first draft (a person's, with ``person``) with a mention holding character ``at``."""
        found = [local for start in range(max(0, at - self._longest + 1), at + 1)
                 for local, end in self._starting_at.get(start, ()) if at < end
                 and (not person or self.drafts[local].person is not None)]
        return self.drafts[min(found)] if found else None

    def _latest_linked(self) -> Iterable[_Draft]:
        """The drafts speakers were linked to, the latest linked first (what ``reversed(self.links)`` reaches
        first for each)."""
        return (self.drafts[local] for local in reversed(self._linked))

    def _new(self, type_: EntityType, name: str, key: str, **kw) -> _Draft:
        draft = _Draft(len(self.drafts), type_, name, key, **kw)
        self.drafts.append(draft)
        self.by_key[(type_.value, key)] = draft.local
        return draft

    def entity(self, type_: EntityType, name: str, *, country: str | None = None) -> _Draft:
        key = org_key(name)
        local = self.by_key.get((type_.value, key))
        if local is not None:
            return self.drafts[local]
        return self._new(type_, name, key, country=country)

    def government(self, country: str) -> _Draft:
        return self.entity(EntityType.GOVERNMENT, country, country=country)

    def person(self, name: str, at: int) -> _Draft:
        pname = PersonName.parse(name)
        candidates = [d for d in self.drafts if d.person is not None and d.person.compatible(pname)]
        if pname.full:
            full = [d for d in candidates if d.person.full]
            match = full[0] if full else (max(candidates, key=lambda d: d.last_seen) if candidates else None)
            if match is not None and (not match.person.full or len(pname.text()) > len(match.name)):
                match.person, match.name = pname, pname.text()
        else:
            # A bare surname belongs to the person of that name mentioned last.
            before = [d for d in candidates if d.last_seen <= at] or candidates
            match = max(before, key=lambda d: d.last_seen) if before else None
        if match is None:
            match = self._new(EntityType.PERSON, pname.text(), f"person:{len(self.drafts)}", person=pname)
        match.last_seen = max(match.last_seen, at)
        return match

    def find_person(self, name: str) -> _Draft | None:
        pname = PersonName.parse(name)
        matches = [d for d in self.drafts if d.person is not None and d.person.compatible(pname)]
        full = [d for d in matches if d.person.full and pname.full and d.person.given and pname.given]
        return (full or matches or [None])[0]

    # -- named entities ----------------------------------------------------------------------------
    def _ent_text(self, ent: SpacySpan) -> tuple[str, int, int]:
        """The entity's own words: 'the Kremlin' → 'Kremlin', "Kyiv’s European" → 'Kyiv'."""
        toks = list(ent)
        for i, t in enumerate(toks):
            if (t.text in ("’s", "'s", "’") or t.text in ("(", "[")) and i > 0:
                toks = toks[:i]  # "Kyiv’s European", "Rapid Support Forces (RSF": the name stops there
                break
        while toks and (toks[0].lower_ in ("the", "a", "an")):
            toks = toks[1:]
        if ent.label_ == "PERSON":
            toks = without_epithet(toks)  # "Weak - Rubio": the speaker resolver's reading of a nickname
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if not toks:
            return "", ent.start_char, ent.start_char
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        return self.text[start:end], start, end

    def syntactic_people(self) -> list[SpacySpan]:
        """Names the parse shows are people though NER missed them: 'Sumy’s mayor Kovalenko', 'X, a military analyst'."""
        doc = self.doc
        out: list[SpacySpan] = []
        for tok in doc:
            if tok.pos_ != "PROPN" or (tok.dep_ == "compound" and tok.head.i == tok.i + 1 and tok.head.pos_ == "PROPN"):
                continue
            start = tok.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound" \
                    and not _is_role_word(doc[start - 1]) and not gazetteer.country_of(doc[start - 1].text):
                start -= 1
            name = doc[start : tok.i + 1]
            if any(_is_role_word(t) or t.lower_ in TITLE_WORDS or t.ent_type_ in ("GPE", "LOC", "NORP", "DATE")
                   for t in name):
                continue
            if country_named(name.text) or capital_named(name.text) or seat_named(name.text):
                continue
            if start > 0 and doc[start - 1].lower_ == "of":
                continue
            run = _run_before(name)
            titled = bool(run) and _is_role_word(run[-1])
            appos = any(c.dep_ == "appos" and _is_role_word(c) for c in tok.children) or (
                tok.dep_ == "appos" and _is_role_word(tok.head)
            )
            if titled or appos:
                out.append(name)
        return out

    def collect_names(self) -> None:
        doc = self.doc
        syntactic = self.syntactic_people()
        for span in syntactic:
            self.person_texts.add(fold(span.text))
            self.person_texts.add(fold(PersonName.parse(span.text).surname))
        for ent in doc.ents:
            if ent.label_ == "PERSON" and any(t.pos_ == "PROPN" for t in ent) and not _place_context(ent):
                text, _, _ = self._ent_text(ent)
                if text and not (country_named(text) or capital_named(text) or seat_named(text)):
                    pname = PersonName.parse(text)
                    self.person_texts.add(fold(text))
                    self.person_texts.add(fold(pname.surname))
        for ent in doc.ents:
            text, start, end = self._ent_text(ent)
            if not text:
                continue
            kind = self._classify(ent, text)
            if kind is None:
                continue
            span = Span(start, end)
            if kind is EntityType.PERSON:
                self._add_person(ent, text, span)
                continue
            written = text
            if kind is EntityType.ORG:
                text = self._owned_name(ent, text)
            draft = self._place_like(kind, text)
            if kind is EntityType.ORG and draft.part_of is None and draft.country:
                draft.part_of = self.government(draft.country).local
            self._mention(draft, Mention(span, written, "name"))
        for name in syntactic:
            if self._mentioned_at(name.start_char, person=True) is not None:
                continue
            self._add_person(name, name.text, Span(name.start_char, name.end_char))

    def _add_person(self, ent: SpacySpan, text: str, span: Span) -> _Draft:
        draft = self.person(text, span.start)
        self._mention(draft, Mention(span, text, "name"))
        named = {fold(d.name): d.name for d in self.drafts if d.person is not None}
        named.update({fold(d.person.surname): d.name for d in self.drafts if d.person is not None})
        roles = roles_for(ent, named, self.text)
        if ent.root.dep_ == "conj":
            first = self._person_at(ent.root.head)
            if first is not None:
                roles = shared_possessor(roles, first.roles)
        draft.roles.extend(roles)
        return draft

    def _owned_name(self, ent: SpacySpan, text: str) -> str:
        """"Russia’s Ministry of Defence" → 'Russian Ministry of Defence': the same name the source gets."""
        text = INSTITUTION_SYNONYMS.get(text.lower(), text)
        doc = ent.doc
        if ent.start >= 2 and doc[ent.start - 1].text in ("’s", "'s"):
            # the longest country name before "'s": "Papua New Guinea's", whose "Guinea" alone is Guinea
            country = next(filter(None, (country_named(doc[ent.start - 1 - k : ent.start - 1].text)
                                         for k in (3, 2, 1) if ent.start - 1 - k >= 0)), None)
            if country and not seat_named(text):
                return f"{gazetteer.demonym(country) or country} {text}"
        return text

    def _person_at(self, tok: Token) -> _Draft | None:
        return self._mentioned_at(tok.idx, person=True)

    def _classify(self, ent: SpacySpan, text: str) -> EntityType | None:
        label = ent.label_
        if text.lower() in gazetteer.DEMONYM_TO_COUNTRY and not country_named(text):
            return None  # "Ukrainian", "French": words about a country, not names of one
        before = ent.doc[ent.start - 2 : ent.start] if ent.start >= 2 else None
        if before is not None and before[1].lower_ == "of" and before[0].lower_ in ("secretary", "minister"):
            return None  # "Secretary of State": part of a title
        if label in ("ORG", "NORP") and all(t.lower_ in TITLE_WORDS for t in ent):
            return None  # "Defence" in "Deputy Defence Minister": a title word NER took for a name
        if seat_named(text):
            return EntityType.GOVERNMENT
        if capital_named(text):
            return EntityType.PLACE
        if country_named(text):
            return EntityType.GOVERNMENT
        if fold(text) in self.person_texts and label in ("PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT"):
            return EntityType.PERSON
        if label == "PERSON":
            if not any(t.pos_ == "PROPN" for t in ent):
                return None
            if _place_context(ent) and fold(text) not in self.person_texts:
                return EntityType.PLACE  # "fighting near Vorsk", "the town of Vorsk": a place, not a person
            # "Donetsk and Luhansk": a lone name joined to a place is a place.
            if len(ent) == 1 and ent.root.dep_ == "conj" and ent.root.head.ent_type_ in ("GPE", "LOC"):
                return EntityType.PLACE
            return EntityType.PERSON
        if label == "ORG":
            return EntityType.ORG
        if label in ("GPE", "LOC", "FAC"):
            return EntityType.PLACE
        return None

    def _place_like(self, kind: EntityType, text: str) -> _Draft:
        country = seat_named(text) if not capital_named(text) else None
        if country:
            seat = self.entity(EntityType.GOVERNMENT, strip_article(text), country=country)
            seat.stands_for = self.government(country).local if seat.name != country else None
            return seat
        country = capital_named(text)
        if country:
            return self.entity(EntityType.PLACE, text, country=country)
        country = country_named(text)
        if country:
            return self.government(country)
        draft = self.entity(kind, self.acronyms.get(text) or gazetteer.expand_acronym(text))
        words = text.split()
        if kind is EntityType.ORG and len(words) > 1 and gazetteer.DEMONYM_TO_COUNTRY.get(words[0].lower()):
            draft.country = gazetteer.DEMONYM_TO_COUNTRY[words[0].lower()]
        return draft

    # -- speakers ------------------------------------------------------------------------------------------
    def _source_span(self, att: Attribution) -> SpacySpan | None:
        if not att.source:
            return None
        s = att.source[0]
        span = self.doc.char_span(s.start, s.end, alignment_mode="expand")
        return _without_time(span) if span is not None else None

    def _link(self, idx: int, draft: _Draft, via: str, span: SpacySpan | None, how: str | None = None) -> None:
        self.links.append(SpeakerLink(idx, draft.local, via))
        self._linked.pop(draft.local, None)
        self._linked[draft.local] = None
        if span is not None and (how is not None or not draft.mentions):
            # an entity the source alone made ("30 percent of voters") is mentioned there
            self._mention(draft, Mention(Span(span.start_char, span.end_char), span.text, how or via))

    def link_speakers(self, attributions: Iterable[Attribution]) -> None:
        atts = list(attributions)
        for idx, att in enumerate(atts):
            span = self._source_span(att)
            if span is None and att.speaker is None:
                continue
            mention = strip_article(span.text if span is not None else att.speaker.mention)
            low = mention.lower()
            if low in PERSON_PRONOUNS:
                draft = self._pronoun_person(att, idx, span)
                if draft is not None:
                    self._link(idx, draft, "pronoun", span, "pronoun")
                continue
            if low in RELATIVES and span is not None:
                # the resolver's reading first ("the Harbour Board, which ruled"), the parse's attachment else
                draft = self._resolved_elsewhere(att, span) or self._relative(span)
                if draft is not None:
                    self._link(idx, draft, "relative", span, None)
                continue
            if low in GROUP_PRONOUNS:
                draft = self._pronoun_group(att, idx)
                if draft is None and span is not None:  # "they" → people named together, not yet a source
                    draft = self._resolved_elsewhere(att, span)
                if draft is not None:
                    self._link(idx, draft, "pronoun", span, "pronoun")
                continue
            if span is not None and (seat_named(mention) or capital_named(mention) or country_named(mention)):
                draft, via = self._describe(span)
                if draft is not None:
                    self._link(idx, draft, via, span, None if via == "name" else via)
                continue
            inside = self._people_inside(span) if span is not None else []
            if inside and att.speaker is not None and att.speaker.type == "PERSON":
                # the resolver chose among the people the source names ("the lawsuit filed by X, whom Y fired")
                chosen = PersonName.parse(att.speaker.name)
                compatible = [d for d in inside if d.person.compatible(chosen)]
                if not compatible and _written_in(att.speaker.name, span):
                    # 'Mayor Rodolfo "Dodong" Abarquez', which the tagger cut: its piece is the whole name
                    compatible = [inside[0]]
                    inside[0].person, inside[0].name = chosen, chosen.text()
                elif compatible and chosen.full and not compatible[0].person.full and _given_first(chosen):
                    # 'Bienvenido | Macaraeg Jr.': the given name the tagger left out
                    compatible = [self.person(att.speaker.name, span.start_char)]
                # "Fields, along with Washington Post reporter Ben Terris,": the resolver's person, named before
                inside = compatible or ([] if self.find_person(att.speaker.name) is not None else inside)
            if inside and (att.speaker is None or att.speaker.type in ("PERSON", "UNKNOWN")
                           or any(d.name == att.speaker.name or _apposed(d.name, att.speaker.name) for d in inside)):
                self._link(idx, inside[0], "name", span, None)
                continue
            # A person, however written: a name, "the Ukrainian leader", an NER label the gazetteer overrules.
            if att.speaker is not None and (att.speaker.type == "PERSON" or fold(att.speaker.name) in self.person_texts):
                draft = self.find_person(att.speaker.name)
                if draft is None and att.speaker.type == "PERSON":
                    draft = self.person(att.speaker.name, span.start_char if span is not None else 0)
                if draft is not None:
                    named = span is not None and any(
                        m.span.start >= span.start_char and m.span.end <= span.end_char for m in draft.mentions
                    )
                    self._link(idx, draft, "name" if named else "title", span, None if named else "title")
                    continue
            if span is None:
                continue
            draft = self._resolved_elsewhere(att, span)
            if draft is not None:
                self._link(idx, draft, "antecedent", span, "description")
                continue
            draft, via = self._describe(span)
            if draft is not None:
                self._link(idx, draft, via, span, None if via == "name" else via)

    def _resolved_elsewhere(self, att: Attribution, span: SpacySpan) -> _Draft | None:
        """The entity the extractor's resolver found for a source whose words do not name it ('the lawsuit' →
        the people who filed it, 'the two senators' → both): one resolver decides, this only finds the entity."""
        speaker = att.speaker
        if speaker is None or speaker.type == "UNKNOWN" or not speaker.name:
            return None
        said = set(fold(span.text).split())
        extra = [w for w in fold(speaker.name).split() if w not in said and not gazetteer.country_of(w)
                 and w not in ("and", "of", "the")]
        joined = speaker.type == "GROUP" and " and " in speaker.name and span.root.pos_ == "PROPN"
        # an organisation's name the resolver cut from its description ("The developer, Lindqvist Homes,")
        cut = speaker.type == "ORG" and speaker.name in span.text and skeleton(strip_article(span.text)) != skeleton(
            speaker.name)
        if (not extra and not joined and not cut) or gazetteer.expand_acronym(strip_article(span.text)) == speaker.name:
            return None  # the name is the mention's own words (or their acronym): _describe names it
        target = skeleton(speaker.name)
        for d in self.drafts:
            if skeleton(d.name) == target or target in self._name_skeletons.get(d.local, ()):
                return d
        kind = {"ORG": EntityType.ORG, "GPE": EntityType.GOVERNMENT}.get(speaker.type, EntityType.GROUP)
        return self.entity(kind, speaker.name)

    def _people_inside(self, span: SpacySpan) -> list[_Draft]:
        """People named inside a source: the one at its head first, else the last named."""
        found: list[tuple[int, int, _Draft]] = []
        possessors = {(t.idx, t.idx + len(t.text)) for t in span if t.dep_ == "poss" and t.head.i == span.root.i}
        named = sorted(n for at in range(span.start_char, span.end_char) for n in self._names_at.get(at, ()))
        for _, k, d in named:  # in the order of the drafts and their mentions
            m = d.mentions[k]
            if d.person is None or m.span.end > span.end_char:
                continue
            if any(m.span.start <= a < m.span.end or m.span.start < b <= m.span.end for a, b in possessors):
                continue  # "Clinton's right-hand woman" is not Clinton
            at_head = m.span.start <= span.root.idx < m.span.end
            found.append((1 if at_head else 0, m.span.start, d))
        if any(c.dep_ == "cc" for c in span.root.children):
            return []  # "Witkoff and Kushner": a group, not one of them
        found.sort(key=lambda x: (x[0], x[1]), reverse=True)
        return [d for _, _, d in found]

    def _pronoun_person(self, att: Attribution, idx: int, span: SpacySpan | None) -> _Draft | None:
        if att.speaker is not None and att.speaker.type == "PERSON":
            # a person only the resolver read ("Serigne | Mbaye", a place to the tagger) is one all the same
            return self.find_person(att.speaker.name) or self.person(
                att.speaker.name, span.start_char if span is not None else 0)
        # The resolver found no one: the speaker of the statement just before, in this or the last sentence.
        if span is None:
            return None
        sent = span.sent
        for d in self._latest_linked():
            if d.type in (EntityType.PERSON, EntityType.ROLE) and not d.name.endswith("s"):
                offsets = self._offsets.get(d.local, [])  # (start, end) of its mentions, in order
                for start, end in offsets[bisect_left(offsets, (max(0, sent.start_char - 400),)):
                                          bisect_left(offsets, (span.start_char,))]:
                    prev = self.doc.char_span(start, end, alignment_mode="expand")
                    if prev is not None and (prev.sent == sent or prev.sent.end == sent.start):
                        return d
                break
        return None

    def _pronoun_group(self, att: Attribution, idx: int) -> _Draft | None:
        if att.speaker is None:
            return None
        # speakers.py names the group the pronoun stands for: reuse the entity that source became.
        target = skeleton(att.speaker.name)
        for d in self._latest_linked():
            if skeleton(d.name) == target or target in self._skeletons.get(d.local, ()):
                return d
        for d in reversed(self.drafts):
            if target in self._bare_skeletons.get(d.local, ()):
                return d
        return None

    def _relative(self, span: SpacySpan) -> _Draft | None:
        """'Putin – who is confident that …' → Putin."""
        tok = span.root
        verb = tok.head
        if verb.dep_ != "relcl":
            return None
        noun = verb.head
        return self._mentioned_at(noun.idx)

    def _owner(self, head: Token) -> tuple[str | None, set[int]]:
        """Whose institution or role: "Ukraine’s", "for the Kremlin", "in Kyiv", "Russian", "US"."""
        for child in head.children:
            if child.dep_ == "poss":
                if child.pos_ == "PRON":
                    return None, {child.i}  # "its forces": whose is for the pronoun resolver, not guessed here
                toks = [t for t in child.subtree if t.text not in ("’s", "'s", "’")]
                # "KUWAIT CITY, Sept 1 (Gulf Standard) - Kuwait's cabinet": the parser hangs the dateline on it
                start = after_dateline(head.doc, toks[0].i, child.i + 1)
                toks = [t for t in toks if t.i >= start] or toks
                return self.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)], {t.i for t in child.subtree}
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "in", "at", "from", "to"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    toks = list(objs[0].subtree)
                    owner = strip_article(self.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)])
                    if child.lower_ == "of" and head.pos_ == "PROPN" and not (
                        country_named(owner) or capital_named(owner)
                    ):
                        continue  # "Ministry of Defence": part of the name, not an owner
                    return owner, {t.i for t in child.subtree}
        for child in head.lefts:
            if child.dep_ in ("amod", "compound", "nmod") and (
                gazetteer.country_of(child.text) or child.ent_type_ in ("ORG", "GPE", "NORP")
            ):
                return child.text, {child.i}
        return None, set()

    def _owner_entity(self, owner: str) -> tuple[_Draft | None, str]:
        """The entity that owns a role or institution, and how to write it before the noun."""
        country = country_named(owner) or capital_named(owner) or (
            gazetteer.DEMONYM_TO_COUNTRY.get(owner.lower()) if owner.lower() in gazetteer.DEMONYM_TO_COUNTRY else None
        )
        if country:
            return self.government(country), country_adjective(country)
        if seat_named(owner):
            return self._place_like(EntityType.GOVERNMENT, owner), strip_article(owner)
        person = self.find_person(owner) if fold(owner) in self.person_texts else None
        if person is not None:
            return person, person.name
        name = gazetteer.expand_acronym(strip_article(owner))
        return self._place_like(EntityType.ORG, name), name

    def _describe(self, span: SpacySpan) -> tuple[_Draft | None, str]:
        toks = [t for t in span if not (t.i == span.start and t.lower_ in DETERMINERS)]
        if not toks:
            return None, ""
        text = self.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
        clean = clean_mention(text) or strip_article(text)
        head = span.root
        if any(t.dep_ == "cc" and t.head == head for t in span):
            return self.entity(EntityType.GROUP, clean), "group"
        country = seat_named(clean)
        if country:
            return self._place_like(EntityType.GOVERNMENT, clean), "name"
        country = capital_named(clean)
        if country:
            return self.government(country), "metonym"
        country = country_named(clean)
        if country:
            return self.government(country), "name"
        lemma = head.lemma_.lower()
        if lemma in INSTITUTION_HEADS or head.lower_ in INSTITUTION_HEADS:
            return self._institution(span, head), "institution"
        if lemma in ROLE_SOURCE_NOUNS:
            owner, skip = self._owner(head)
            if owner:
                owner_draft, owner_text = self._owner_entity(owner)
                words = [t.text.lower() if t.pos_ != "PROPN" else t.text for t in span
                         if t.i not in skip and t.lower_ not in DETERMINERS and t.i != head.i
                         and not t.is_punct and t.i < head.i and t.text not in ("’s", "'s")]
                title = " ".join([*words, head.text.lower()])
                role = self.entity(EntityType.ROLE, f"{owner_text} {title}")
                role.part_of = owner_draft.local if owner_draft is not None else None
                of = owner_draft.name if owner_draft is not None else owner_text
                role.roles.append(Role(head.lemma_.lower(), of, span.text, Span(span.start_char, span.end_char), "source"))
                return role, "role"
            return self.entity(EntityType.ROLE, clean), "role"
        for ent in doc_entities(span.doc).within(span.start, span.end):
            if ent.root == head:
                ent_text, _, _ = self._ent_text(ent)
                kind = self._classify(ent, ent_text) or EntityType.ORG
                if kind is EntityType.PERSON:
                    return self.person(ent_text, ent.start_char), "name"
                return self._place_like(kind, ent_text), "name"
        return self.entity(EntityType.GROUP, clean), "group"

    def _named_before(self, word: str, country: str | None, at: int) -> _Draft | None:
        """The institution the article last named in full with this head word ("Russian Ministry of Defence"
        for "the ministry"), of this country when the mention gives one; None when it named none."""
        best: tuple[int, _Draft] | None = None
        for d in self.drafts:
            if d.type is not EntityType.ORG or len(d.name.split()) < 2 or word not in d.name.lower().split():
                continue
            if country is not None and d.country != country:
                continue
            seen = [m.span.start for m in d.mentions if m.span.start < at]
            if seen and (best is None or max(seen) > best[0]):
                best = (max(seen), d)
        return best[1] if best else None

    def _institution(self, span: SpacySpan, head: Token) -> _Draft:
        owner, skip = self._owner(head)
        words = []
        for t in span:
            if t.text in ("(", "["):
                break  # "Rapid Support Forces (RSF)": the bracket is an aside, not part of the name
            if t.i in skip or t.is_punct or t.text in ("’s", "'s"):
                continue
            if t.i < head.i and (t.lower_ in DETERMINERS or t.lower_ in COMPASS):
                continue
            if t.i < head.i and t.dep_ in ("amod", "compound") and gazetteer.country_of(t.text):
                owner = owner or t.text
                continue
            words.append(t.text if t.pos_ == "PROPN" else t.text.lower())
        phrase = " ".join(words)
        phrase = INSTITUTION_SYNONYMS.get(phrase.lower(), phrase)
        if phrase.lower() == head.lower_:  # "the ministry", "the Russian ministry": the one named before
            country = self._owner_entity(owner)[0].country if owner else None
            named = self._named_before(head.lower_, country, span.start_char)
            if named is not None:
                return named
        if owner:
            owner_draft, owner_text = self._owner_entity(owner)
            draft = self.entity(EntityType.ORG, f"{owner_text} {phrase}")
            draft.part_of = owner_draft.local if owner_draft is not None else None
            if owner_draft is not None and owner_draft.type is EntityType.GOVERNMENT:
                draft.country = owner_draft.country
            return draft
        return self.entity(EntityType.ORG, phrase)

    def result(self) -> ArticleEntities:
        return ArticleEntities(tuple(d.freeze() for d in self.drafts), tuple(self.links))


def _given_first(name: PersonName) -> bool:
    """Does the name start with a known given name (not "Actress Amandla Stenberg", "Neither Cruz")?"""
    first = name.text().split()[0].lower().rstrip(".")
    return first in lexicons.GIVEN_NAME_GENDER or first in lexicons.REGISTERED_NAME_GENDER


def _written_in(name: str, span: SpacySpan) -> bool:
    """Is every word of the name written in the span (in any order, other words between)?"""
    words = {t.lower_ for t in span}
    return all(w.lower() in words for w in name.split())


def _apposed(person: str, speaker: str) -> bool:
    """"Ukrainian foreign minister, Olena Kovalchuk": a title with the person's name in apposition (the
    convention: the person is the speaker, the title is a role)."""
    return any(part.strip() == person for part in speaker.split(",")[1:])


def analyse_entities(doc: Doc, attributions: Iterable[Attribution] | None = None, *,
                     text: str | None = None) -> ArticleEntities:
    """The entities of one parsed article and the entity behind each attribution."""
    builder = _Builder(doc, text)
    builder.collect_names()
    builder.link_speakers(doc._.attributions if attributions is None else attributions)
    return builder.result()


PLACE_PREPOSITIONS = frozenset("in near around outside inside toward towards into through across".split())
PLACE_NOUNS = frozenset("town city village settlement region province district oblast port".split())


def _place_context(ent: SpacySpan) -> bool:
    """'near Vorsk', 'in Vorsk', 'the town of Vorsk': the syntax says the name is a place."""
    root = ent.root
    if root.dep_ != "pobj":
        return False
    prep = root.head
    if prep.lower_ in PLACE_PREPOSITIONS:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_NOUNS


_WS = re.compile(r"\s+")

"""Claims and disputes in one article, from its parse and its attributions.

Three ways a party takes a side on a proposition:

* it asserts it: an attribution whose content states it ("Russia said its forces
  had captured the town"), or a claim noun ("Moscow's assertion of having taken
  control of it", "Russia's claim to the region");
* it disputes it: a dispute cue ("dismissed Russia's assertions of having seized
  Vovchansk", "denied that the town had fallen"), dispute words about an earlier
  claim ("called the footage staged propaganda"), or a counter-assertion ("its
  forces still maintained control of the northern portion of the city");
* it agrees: an agreement cue ("Ukraine confirmed the withdrawal of its troops
  from Bilyi Kamin") repeats a claim and never disputes it.

Each becomes a :class:`~onrecord.claims.records.ClaimMention`; which mentions are
*disputes* of which *assertions* is decided by comparing propositions (same kind,
same target, holders that agree or not), in :mod:`onrecord.claims.grouping`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.symbols import NOUN
from spacy.tokens import Doc, Token

from ..analysis import ArticleMeta
from ..nlp import gazetteer, lexicon
from ..records import Attribution, Span
from ..nlp.ranges import doc_entities
from ..nlp.rules import subject_child
from . import parties
from .places import PlaceIndex
from .propositions import (ACCUSE_CUES, ATTACK_NOUNS, ATTACK_VERBS, FIGURE_NOUNS, Proposition,
                           PropositionReader)
from .records import ClaimKind, ClaimMention
from .statements import text_of
from .words import WORDS

# Verbs that pass judgement on what someone else said: "called the footage staged".
JUDGING_VERBS = frozenset("call label brand describe dub term".split())
MEDIA_NOUNS = frozenset("video footage statement post image images photo photos clip message report map".split())
# How far back (in characters) a bare "the claim", "the figure" may look for what it answers.
REFERENCE_REACH = 1200
_REFERENCE_HINTS = {
    "figure": (ClaimKind.CASUALTIES, ClaimKind.PRISONERS), "figures": (ClaimKind.CASUALTIES, ClaimKind.PRISONERS),
    "toll": (ClaimKind.CASUALTIES,), "number": (ClaimKind.CASUALTIES, ClaimKind.PRISONERS),
    "tally": (ClaimKind.CASUALTIES, ClaimKind.PRISONERS),
    "footage": (ClaimKind.CONTROL, ClaimKind.ACCUSATION), "video": (ClaimKind.CONTROL, ClaimKind.ACCUSATION),
    "accusation": (ClaimKind.ACCUSATION,), "accusations": (ClaimKind.ACCUSATION,),
    "allegation": (ClaimKind.ACCUSATION,), "allegations": (ClaimKind.ACCUSATION,),
}


@dataclass
class _Voice:
    """An attribution as claims see it: who speaks (named for claims), the cue token, the content tokens."""

    att: Attribution
    party: str | None
    side: str | None
    cue: Token
    content: list[Token]
    source: int | None = None  # the attribution whose speaker ``party`` is (this one, or the one it continues)


@dataclass
class _Reference:
    """A dispute (or agreement) that names no proposition: "called the figure pure fiction"."""

    party: str | None
    side: str | None
    polarity: int
    start: int  # char offset, to look back from
    span: Span
    cue: str
    hints: tuple[ClaimKind, ...]
    owner: str | None = None  # "the Russian denial": whose statement is meant
    said_on: str | None = None
    prop: Proposition | None = None  # known but for its target: only the target is taken from the referent
    source: int | None = None  # the attribution whose speaker ``party`` is


_DENIAL_NOUNS = ("denial", "rejection", "dismissal")
_NominalClaim = tuple[Token, str | None, list[Proposition]]  # a claim noun, its asserter, what it asserts


@dataclass
class _Reading:
    """How one voice is read before its mentions are made."""

    disputing: bool  # the cue disputes ("denied", "dismissed") and is not negated
    agreeing: bool  # the cue agrees ("confirmed") and is not negated
    span: Span
    text: str
    noms: list[_NominalClaim]  # claim nouns in the content
    props: list[Proposition]  # what the content outside those nouns states
    said: list[Token]  # the content and the rest of the cue's clause, where judgement words may sit
    words_dispute: bool  # "called it pure fiction": judgement words, whatever the cue


@dataclass
class _Found:
    """What the finder has gathered: mentions, and references placed among them by position."""

    mentions: list[ClaimMention] = field(default_factory=list)
    references: list[tuple[int, _Reference]] = field(default_factory=list)  # (position in mentions, reference)
    covered: set[int] = field(default_factory=set)  # claim nouns already read through an attribution

    def add(self, mention: ClaimMention | None) -> None:
        if mention is not None:
            self.mentions.append(mention)

    def refer(self, ref: _Reference) -> None:
        # Resolved, the reference becomes a mention at this position, in reading order among the others.
        self.references.append((len(self.mentions), ref))


def _tokens(doc: Doc, spans) -> list[Token]:
    out: dict[int, Token] = {}
    for s in spans:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                if not t.is_space:
                    out[t.i] = t
    return [out[i] for i in sorted(out)]


def _cue_token(doc: Doc, att: Attribution) -> Token | None:
    toks = _tokens(doc, att.cue)
    if not toks:
        return None
    inside = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    for t in roots + toks:
        if t.pos_ in ("VERB", "NOUN", "ADJ") and t.lemma_.lower() not in ("to", "be"):
            return t
    return roots[0] if roots else toks[-1]


def person_sides(doc: Doc) -> dict[str, str]:
    """The country each named person speaks for, from how the article introduces them."""
    sides: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = ent.text.removesuffix("’s").removesuffix("'s")
        if name.split()[-1] in {n.split()[-1] for n in sides}:
            continue
        words = [doc[k] for k in range(max(ent.sent.start, ent.start - 5), ent.start)]
        head = ent.root
        words += [t for c in head.children if c.dep_ == "appos" for t in c.subtree]
        if head.dep_ == "appos":
            words += list(head.head.subtree)
        for t in reversed(words):
            side = gazetteer.country_of(t.text)
            if side:
                sides[name] = side
                break
    return sides


class ArticleClaimFinder:
    """Finds the claim mentions of one parsed article."""

    def __init__(self, doc: Doc, attributions: tuple[Attribution, ...], meta: ArticleMeta | None = None,
                 *, documents: dict[int, str] | None = None) -> None:
        self.doc = doc
        self.meta = meta
        self.attributions = attributions
        self.places = PlaceIndex(doc)
        self.person_sides = person_sides(doc)
        self.reader = PropositionReader(doc, self.places, documents=documents, person_sides=self.person_sides)
        self._full = {}
        self._voice_of: dict[int, _Voice] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                name = ent.text.removesuffix("’s").removesuffix("'s").strip()
                known = self._full.get(name.split()[-1])
                if known is None or len(name.split()) > len(known.split()):
                    self._full[name.split()[-1]] = name
        self.voices = self._voices()

    # --- who speaks ------------------------------------------------------------------
    def side_of(self, party: str | None) -> str | None:
        if party is None:
            return None
        side = parties.side_of(party)
        if side:
            return side
        for person, pside in self.person_sides.items():
            if person.split()[-1] == party.split()[-1]:
                return pside
        if party.split()[-1] in self._full or parties.side_of(party) is None and _looks_personal(party):
            return None  # a person whose country the article does not give
        # An armed group or body that speaks for no country is its own side: "its units" are the RSF's.
        return party

    def _voices(self) -> list[_Voice]:
        doc = self.doc
        voices: list[_Voice] = []
        for idx, att in enumerate(self.attributions):
            cue = _cue_token(doc, att)
            if cue is None:
                continue
            party, source = self._party(att, idx, cue, voices)
            voices.append(_Voice(att, party, self.side_of(party), cue, _tokens(doc, att.content), source))
            self._voice_of[id(att)] = voices[-1]
        return voices

    def _party(self, att: Attribution, own: int, cue: Token, earlier: list[_Voice]
               ) -> tuple[str | None, int | None]:
        """Who speaks for claims, and which attribution's speaker that is: ``own`` (this attribution's index),
        an earlier voice's attribution it continues, or None (the subject of "released a video claiming").
        The store names the party through the entity the resolution layer linked to that attribution."""
        doc = self.doc
        # "released a video on Telegram claiming to show ...": the one who released it claims.
        if cue.tag_ == "VBG" and cue.dep_ in ("acl", "pcomp", "advcl", "xcomp"):
            t = cue
            for _ in range(3):
                t = t.head
                if t.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lemma_.lower() in MEDIA_NOUNS and c.i < cue.i
                                            for c in t.children):
                    subj = PropositionReader.subject(t)
                    if subj is not None:
                        name = parties.party_name(doc[subj.left_edge.i : subj.right_edge.i + 1].text)
                        if name:
                            return name, None
                    break
                if t.head.i == t.i:
                    break
        # "claiming to show": the verb that the cue completes already has its speaker.
        if cue.dep_ in ("xcomp", "ccomp") and earlier and earlier[-1].cue.i == cue.head.i:
            return earlier[-1].party, earlier[-1].source
        speaker = att.speaker
        name = None
        if speaker is not None:
            pronoun = speaker.mention.lower() in parties.PRONOUNS
            if speaker.type == "PERSON" or pronoun or "," in (att.source_text or ""):
                # a person, or an organisation named in apposition ("The developer, Lindqvist Homes,"): the name
                name = parties.party_name(speaker.name)
            else:
                name = parties.party_name(att.source_text or speaker.name) or parties.party_name(speaker.name)
        elif att.source_text:
            name = parties.party_name(att.source_text)
        if name is not None:
            head = name.split()[-1].lower()
            if head in lexicon.NOMINAL_CUES or head in WORDS.claim_nouns:
                return None, None  # "the Russian denial published photographs": a misread subject
        if name is None and speaker is not None and speaker.mention.lower() in parties.PRONOUNS:
            # "A spokesman for the Kremlin described ..., though he noted": the sentence's earlier speaker
            sent = cue.sent
            for v in reversed(earlier):
                if v.party and v.cue.sent.start >= sent.start - 1 and v.cue.i < cue.i:
                    if v.cue.sent == sent or v.cue.sent.end == sent.start:
                        return v.party, v.source
                    break
        return name, own if name is not None else None

    def full_name(self, name: str) -> str:
        """'Trump' → 'Donald Trump' when the article names him in full."""
        return self._full.get(name.split()[-1], name) if name and name[:1].isupper() else name

    # --- what they claim ---------------------------------------------------------------
    def _said_on(self, att: Attribution | None) -> str | None:
        # The day a statement was made is the dates feature's (stored with the attribution); the store's
        # finalize puts it on each mention.  Here: what the attribution carries, else the publication day.
        if att is not None and att.said_on:
            return att.said_on
        if self.meta is not None and self.meta.published:
            return self.meta.published[:10]
        return None

    def _evidence(self, start: int, end: int) -> tuple[Span, str]:
        text = text_of(self.doc)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Span(start, end), text[start:end]

    def _voice_span(self, v: _Voice) -> tuple[Span, str]:
        spans = list(v.att.cue) + list(v.att.content)
        sent = v.cue.sent
        start = min(s.start for s in spans)
        end = max(s.end for s in spans)
        start = max(start, sent.start_char) if start < sent.start_char and v.att.kind.value != "direct" else start
        return self._evidence(start, end)

    def _mention(self, prop: Proposition, party: str | None, side: str | None, polarity: int, span: Span,
                 text: str, cue: str, att: Attribution | None, via: str) -> ClaimMention | None:
        if prop.target is None:
            return None
        voice = self._voice_of.get(id(att)) if att is not None else None
        source = voice.source if voice is not None and party is not None and party == voice.party else None
        return ClaimMention(kind=prop.kind, target=prop.target, party=party, polarity=polarity, span=span, text=text,
                            cue=cue, holder=prop.holder, party_side=side, value=prop.value, change=prop.change,
                            said_on=self._said_on(att), via=via, located=prop.located, source=source)

    def nominal_claims(self, tokens: list[Token], voice: _Voice | None = None) -> list[_NominalClaim]:
        """Claim nouns among ``tokens`` with their asserter and what they assert.

        Inside a statement, "its claim" is the speaker's own, and a pronoun in an
        unowned claim ("rejected accusations that it had shelled") is the speaker.
        """
        out = []
        nouns = WORDS.claim_nouns | FIGURE_NOUNS
        for tok in tokens:
            if tok.pos != NOUN or tok.lemma_.lower() not in nouns:
                continue
            asserter = self._owner(tok)
            if asserter is None and voice is not None and any(
                c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in tok.children
            ):
                asserter = voice.party
            side = self.side_of(asserter) or (parties.side_of(asserter) if asserter else None)
            if asserter is None and voice is not None:
                side = voice.side
            props: list[Proposition] = []
            for c in tok.children:
                if c.dep_ in ("acl", "relcl", "ccomp", "appos") and (
                    any(g.lower_ == "that" and g.dep_ == "mark" for g in c.children) or c.dep_ == "acl"
                ):
                    props += self.reader.read(list(c.subtree), side)
                elif c.dep_ == "prep" and c.lower_ in ("of", "about", "over", "regarding", "on"):
                    props += self.reader.read(list(c.subtree), side)
                elif c.dep_ == "prep" and c.lower_ == "to":
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    place = self.places.resolve(pobj) if pobj is not None else None
                    if place is not None:  # "Russia's claim to the region"
                        props.append(Proposition(ClaimKind.CONTROL, place.name, side, 1, True, None, pobj.i, 0))
                    else:
                        props += self.reader.read(list(c.subtree), side)
            if props or asserter:
                out.append((tok, asserter, props))
        return out

    def _owner(self, noun: Token) -> str | None:
        doc = self.doc
        for c in noun.children:
            if c.dep_ == "poss" and c.lower_ not in parties.PRONOUNS and c.lower_ not in ("its", "their", "his", "her"):
                return parties.party_name(doc[c.left_edge.i : c.i + 1].text)
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return parties.party_name(doc[pobj.left_edge.i : pobj.right_edge.i + 1].text)
        for c in noun.children:
            if c.dep_ in ("amod", "compound") and c.i < noun.i:
                country = gazetteer.country_of(c.text)
                if country:
                    return country
                if c.pos_ == "PROPN" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"):
                    return parties.party_name(c.text)
        return None

    def _dispute_words(self, tokens: list[Token]) -> bool:
        return any(WORDS.judging(t) for t in tokens if t.lower_ != "denial")

    def find(self) -> list[ClaimMention]:
        found = _Found()
        cues = {v.cue.i for v in self.voices}
        owners: dict[int, set[int]] = {}
        for n, v in enumerate(self.voices):
            for i in (v.cue.i, *(t.i for t in v.content)):
                owners.setdefault(i, set()).add(n)
        for n, v in enumerate(self.voices):
            if not v.content and v.cue.lemma_.lower() not in ACCUSE_CUES:
                continue
            reading = self._read_voice(v, cues, lambda i, n=n: bool(owners.get(i, set()) - {n}))
            self._claim_noun_mentions(v, reading, found)
            if v.party is not None:
                self._content_mentions(v, reading, found)
        found.references += self._judgements_without_cue(len(found.mentions))
        self._unattributed_claim_nouns(found)
        mentions = self._resolve_references(found.mentions, found.references)
        return _dedupe(_complete_targets(mentions))

    def _sentence_tail(self, v: _Voice, others: Callable[[int], bool]) -> list[Token]:
        """The words after the content to the end of the cue's sentence that no other voice holds: "called the
        footage staged propaganda" is often parsed with "staged" as the root, outside both the cue's subtree
        and the content the extractor found, yet the judgement is the speaker's."""
        if not v.content:
            return []
        sent = v.cue.sent
        last = max(t.i for t in v.content)
        if not v.cue.i < last < sent.end - 1:
            return []
        return [t for t in self.doc[last + 1: sent.end] if not others(t.i)]

    def _read_voice(self, v: _Voice, cues: set[int], others: Callable[[int], bool]) -> _Reading:
        """The cue's stance, the evidence, the claim nouns and the propositions of one voice."""
        doc = self.doc
        lemma = v.cue.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in v.cue.children)
        disputing = lemma in WORDS.dispute_cues and not negated and not parties.both_sides(v.party)
        agreeing = lemma in WORDS.agree_cues and not negated
        span, text = self._voice_span(v)
        noms = self.nominal_claims(v.content, v)
        nominal_tokens: set[int] = set()
        for noun, _, _ in noms:
            nominal_tokens.update(t.i for t in noun.subtree)
        props = self.reader.read([t for t in v.content if t.i not in nominal_tokens], v.side, cue=v.cue,
                                 asserting=not disputing)
        if lemma in ACCUSE_CUES:
            props = self._accusation(v) or props
            right = max(t.i for t in v.cue.subtree)
            span, text = self._evidence(span.start, max(span.end, doc[right].idx + len(doc[right])))
        # "calling it pure fiction": the judgement may sit outside the content the extractor found
        sent = v.cue.sent
        said = [t for t in v.content if t.i not in nominal_tokens] + [
            t for t in v.cue.subtree if t.i not in nominal_tokens and v.cue.i < t.i < sent.end
            and t.i not in cues] + self._sentence_tail(v, others)
        words_dispute = not parties.both_sides(v.party) and (
            self._dispute_words(said) or (self._dispute_words(v.content) and bool(noms)))
        return _Reading(disputing, agreeing, span, text, noms, props, said, words_dispute)

    def _noun_evidence(self, noun: Token) -> tuple[Span, str]:
        doc = self.doc
        return self._evidence(doc[noun.left_edge.i].idx, doc[noun.right_edge.i].idx + len(doc[noun.right_edge.i]))

    def _claim_noun_mentions(self, v: _Voice, r: _Reading, found: _Found) -> None:
        """Claim nouns in a voice's content: the noun's owner asserts, and the speaker takes a side on it
        when the cue or its words dispute or agree ("dismissed Russia's assertions of having seized ...")."""
        stance = -1 if (r.disputing or r.words_dispute) else 1 if r.agreeing else 0
        for noun, asserter, nprops in r.noms:
            found.covered.add(noun.i)
            nspan, ntext = self._noun_evidence(noun)
            if noun.lower_ == "denial" or noun.lemma_.lower() in _DENIAL_NOUNS:
                continue
            for prop in nprops:
                found.add(self._mention(prop, asserter, self.side_of(asserter), prop.polarity, nspan, ntext,
                                        noun.text, v.att, "nominal"))
                if stance and v.party:
                    found.add(self._mention(prop, v.party, v.side, prop.polarity * stance, r.span, r.text,
                                            v.att.cue_text, v.att, "attribution"))
            if not nprops and stance and v.party:
                hints = _REFERENCE_HINTS.get(noun.lower_, ())
                found.refer(_Reference(v.party, v.side, stance, r.span.start, r.span, r.text, hints,
                                       owner=asserter, said_on=self._said_on(v.att), source=v.source))

    def _content_mentions(self, v: _Voice, r: _Reading, found: _Found) -> None:
        """What a named speaker's content says, or, when it names no proposition, the reference it makes."""
        for prop in [p for p in r.props if p.target is None]:
            # "blaming a Ukrainian missile for the damage": the damage the article reported before
            found.refer(_Reference(v.party, v.side, 1, r.span.start, r.span, r.text, (prop.kind,),
                                   said_on=self._said_on(v.att), prop=prop, source=v.source))
        props = [p for p in r.props if p.target is not None]
        if props:
            for prop in props:
                # A dispute cue turns the content round ("denied that the town had fallen"); dispute
                # words only say the speaker denies it ("attempted to plant flags for propagandists").
                polarity = (-prop.polarity if r.disputing else -1 if r.words_dispute and not r.noms
                            else prop.polarity)
                found.add(self._mention(prop, v.party, v.side, polarity, r.span, r.text, v.att.cue_text, v.att,
                                        "attribution"))
        elif any(t.lemma_.lower() in _DENIAL_NOUNS for t in v.content) and r.words_dispute:
            # "said the Russian denial was a lie": against the denial, so for what was denied
            owner = next((self._owner(t) for t in v.content if t.lemma_.lower() in _DENIAL_NOUNS), None)
            found.refer(_Reference(v.party, v.side, -1, r.span.start, r.span, r.text, (), owner=owner,
                                   said_on=self._said_on(v.att), source=v.source))
        elif not r.noms and (r.disputing or r.words_dispute) and not _on_a_proposal(v):
            hints = tuple(k for t in r.said for k in _REFERENCE_HINTS.get(t.lower_, ()))
            found.refer(_Reference(v.party, v.side, -1, r.span.start, r.span, r.text, hints,
                                   said_on=self._said_on(v.att), source=v.source))

    def _unattributed_claim_nouns(self, found: _Found) -> None:
        """Claim nouns outside any attribution: "Russia's claim of capturing the town was met with doubt"."""
        doc = self.doc
        for noun, asserter, nprops in self.nominal_claims([t for t in doc if t.i not in found.covered]):
            if asserter is None:
                continue
            nspan, ntext = self._noun_evidence(noun)
            for prop in nprops:
                found.add(self._mention(prop, asserter, self.side_of(asserter), prop.polarity, nspan, ntext,
                                        noun.text, None, "nominal"))

    def _judgements_without_cue(self, position: int) -> list[tuple[int, _Reference]]:
        """ "X called the footage staged propaganda" where the parse gave the extractor no cue to find."""
        doc = self.doc
        cues = {v.cue.i for v in self.voices}
        out = []
        for tok in doc:
            if tok.lemma_.lower() not in JUDGING_VERBS or tok.i in cues or tok.pos_ != "VERB":
                continue
            sent = tok.sent
            if any(v.cue.sent == sent for v in self.voices if v.cue.i < tok.i and v.cue.head.i == tok.i):
                continue
            after = [t for t in doc[tok.i + 1 : sent.end]]
            if not self._dispute_words(after):
                continue
            subj = subject_child(tok, ("nsubj",))
            if subj is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
                subj = tok.head  # "A Ukrainian army spokesman, Petro Hnatiuk, called ..."
            if subj is None:
                continue
            np = doc[subj.left_edge.i : max(subj.right_edge.i, subj.i) + 1]
            if tok.dep_ in ("acl", "relcl"):
                np = doc[subj.left_edge.i : tok.i]
            people = [e for e in doc_entities(doc).within(np.start, np.end) if e.label_ == "PERSON"]
            party = people[-1].text if people else parties.party_name(np.text)
            if not party:
                continue
            side = self.side_of(party) or next((gazetteer.country_of(t.text) for t in np
                                                if gazetteer.country_of(t.text)), None)
            span, text = self._evidence(tok.idx, doc[sent.end - 1].idx + len(doc[sent.end - 1]))
            hints = tuple(k for t in after for k in _REFERENCE_HINTS.get(t.lower_, ()))
            out.append((position, _Reference(party, side, -1, span.start, span, text.rstrip("."), hints,
                                             said_on=self._said_on(None))))
        return out

    def _accusation(self, v: _Voice) -> list[Proposition]:
        """ "accused Russia of striking a hospital", "blaming a Ukrainian missile for the damage"."""
        cue = v.cue
        accused = next((c for c in cue.children if c.dep_ == "dobj"), None)
        if accused is None:
            return []
        holder = self.reader._party_or_side(accused, v.side)
        target = None
        for c in cue.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                for t in c.subtree:
                    if t.lemma_.lower() in ATTACK_VERBS | ATTACK_NOUNS:
                        obj = next((g for g in t.children if g.dep_ in ("dobj", "nsubjpass")), None)
                        located = self.reader._attack_target(t, obj if t.pos_ == "VERB" else None)
                        if located:
                            target = located
                            break
        return [Proposition(ClaimKind.ACCUSATION, target.name() if target else None, holder, 1, True, None, cue.i, 0,
                            located=target)]

    def _resolve_references(self, mentions: list[ClaimMention], refs: list[tuple[int, _Reference]]) -> list[ClaimMention]:
        """Give target-less disputes the proposition they answer: the latest fitting claim before them."""
        out = list(mentions)
        pending = [(i, ref) for i, ref in refs]
        # Propositions with a kind but no target ("blaming a missile for the damage") come as mentions
        # whose target is None; they never reach here (``_mention`` drops them), so only refs remain.
        for pos, ref in sorted(pending, key=lambda x: x[1].start, reverse=True):
            candidates = [m for m in mentions
                          if m.span.start < ref.start and ref.start - m.span.start <= REFERENCE_REACH
                          and m.party != ref.party and (not ref.hints or m.kind in ref.hints)]
            if ref.owner:
                owner_side = parties.side_of(ref.owner) or ref.owner
                owned = [m for m in candidates if m.party == ref.owner or m.party_side == owner_side]
                denials = [m for m in owned if m.polarity < 0]
                candidates = denials or owned or candidates
            if ref.side and ref.prop is None:
                # A party does not dispute its own side's claim.
                others = [m for m in candidates if m.party_side != ref.side or m.polarity < 0]
                candidates = others
            if not candidates:
                continue
            target = max(candidates, key=lambda m: m.span.start)
            if ref.prop is None and not ref.hints and not ref.owner and self._other_said_between(target, ref):
                continue  # "The government disputed that account": the account just before, not a count before it
            if ref.prop is not None:
                p = ref.prop
                out.insert(pos, ClaimMention(
                    kind=p.kind, target=target.target, party=ref.party, polarity=p.polarity, span=ref.span,
                    text=ref.cue, cue=ref.cue, holder=p.holder, party_side=ref.side, value=p.value or target.value,
                    change=p.change, said_on=ref.said_on, via="attribution", located=target.located,
                    source=ref.source))
                continue
            out.insert(pos, ClaimMention(
                kind=target.kind, target=target.target, party=ref.party, polarity=ref.polarity * target.polarity,
                span=ref.span, text=ref.cue, cue=ref.cue, holder=target.holder, party_side=ref.side,
                value=target.value, change=target.change, said_on=ref.said_on,
                via="reference", located=target.located, source=ref.source))
        return out

    def _other_said_between(self, target: ClaimMention, ref: _Reference) -> bool:
        """Did a third party make a statement after the claim and before a bare reference to "that account"? Then
        the reference answers that statement (the general claims step reads it), not the claim before. An ally of
        the disputing party, or a party that itself disputes there, leaves the reference with the claim ("These
        are lies," after "Azerbaijan's defence ministry denied the report and said ...")."""
        between = [v for v in self.voices if v.content and v.att.cue and v.party not in (None, ref.party, target.party)
                   and target.span.end <= v.att.cue[0].start < ref.start]
        disputing = {v.party for v in between if v.cue.lemma_.lower() in WORDS.dispute_cues}
        return any(v.party not in disputing and (v.side is None or v.side != ref.side) for v in between)


def _on_a_proposal(v: _Voice) -> bool:
    """'dismissed that condition', 'rejected the offer': a stance on a proposal (the positions step reads it),
    not a dispute of a claim (statements.py keeps the same line)."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in WORDS.proposal_nouns for c in v.cue.children)


def _looks_personal(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not any(
        w.lower() in parties.INSTITUTION_HEADS or w.lower() in parties.MILITARY_HEADS or w.isupper() for w in words)


def _complete_targets(mentions: list[ClaimMention]) -> list[ClaimMention]:
    """'the hospital' is the hospital the article placed before: 'hospital in Ternivka'."""
    from dataclasses import replace

    def placed(m: ClaimMention) -> bool:
        return m.located is not None and m.located.place is not None

    full: dict[str, ClaimMention] = {}
    for m in mentions:
        if m.kind is ClaimKind.ACCUSATION and placed(m):
            full.setdefault(m.located.thing, m)
    out = [replace(m, target=full[m.located.thing].target, located=full[m.located.thing].located)
           if m.kind is ClaimKind.ACCUSATION and not placed(m) and m.located is not None and m.located.thing in full
           else m for m in mentions]
    # An attack nobody places ("attacking the committee") is a figure of speech more often than a strike.
    return [m for m in out if m.kind is not ClaimKind.ACCUSATION or placed(m) or m.target[:1].isupper()]


def _dedupe(mentions: list[ClaimMention]) -> list[ClaimMention]:
    """One mention per party, proposition and sentence-sized stretch of text."""
    out: list[ClaimMention] = []
    for m in sorted(mentions, key=lambda m: (m.span.start, m.span.end)):
        same = next((o for o in out if o.kind is m.kind and parties.key(o.target) == parties.key(m.target)
                     and o.party == m.party and o.holder == m.holder and o.polarity == m.polarity
                     and (o.span.overlaps(m.span) or abs(o.span.start - m.span.start) < 40)), None)
        if same is None:
            out.append(m)
    return out

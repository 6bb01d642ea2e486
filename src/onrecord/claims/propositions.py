"""Reading propositions out of a clause: what is claimed, about which target, crediting whom.

Given the tokens of an attribution's content (or of a claim noun's complement)
and the side of whoever speaks, :class:`PropositionReader` finds the predicates
that make a checkable proposition and returns them as :class:`Proposition`:

    "its forces had captured the town of Zarichne"  → control, Zarichne, holder=<speaker's side>, +1
    "Russia attempted to plant flags in the city"     → control, <the city>, holder=Russia, -1
    "the withdrawal of its troops from Bilyi Kamin"   → control, Bilyi Kamin, holder=OtherSide(<speaker's side>), +1
    "400 Ukrainian soldiers had been killed"          → casualties, Ukrainian soldiers, value 400
    "Russia had struck a hospital in Ternivka"        → accusation, hospital in Ternivka, holder=Russia
    "the talks had made real progress"                → progress, talks

Only the clause's own predicates count: relative clauses that describe a noun
("the city, which they have been attempting to seize for a year") are the
narrator's background, not the speaker's claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Doc, Token

from ..nlp import gazetteer
from ..nlp.ranges import doc_entities
from ..nlp.rules import subject_child
from . import parties
from .places import PlaceIndex
from .records import ClaimKind, OtherSide, Target
from .words import WORDS

# --- the vocabulary of propositions (lemmas) -------------------------------------------
CAPTURE_VERBS = frozenset("capture seize take liberate occupy overrun conquer retake recapture storm annex".split())
CAPTURE_NOUNS = frozenset("capture seizure fall takeover liberation occupation annexation control".split())
HOLD_VERBS = frozenset("hold control maintain retain keep defend remain repel repulse".split())
PRESENCE_NOUNS = frozenset("position positions presence foothold".split())
FIGHTING_WORDS = frozenset("fighting fight battle battles clash clashes combat resistance".split())
FIGHT_VERBS = frozenset("fight engage battle clash resist".split())
WITHDRAW_VERBS = frozenset("withdraw retreat abandon cede lose surrender evacuate leave".split())
WITHDRAW_NOUNS = frozenset("withdrawal retreat pullout loss surrender evacuation".split())
FLAG_VERBS = frozenset("raise plant hoist display fly wave".split())
ATTEMPT_HEADS = frozenset("attempt try seek fail struggle strive aim bid effort".split())
FORCE_NOUNS = frozenset(
    "force forces troop troops army unit units soldier soldiers military fighter fighters serviceman servicemen "
    "division divisions brigade brigades battalion battalions defender defenders".split()
)
CASUALTY_WORDS = frozenset("kill wound injure die casualty death dead loss eliminate".split())
PRISONER_WORDS = frozenset("prisoner pow captive".split())
VICTIM_NOUNS = frozenset(
    "soldier soldiers troop troops serviceman servicemen civilian civilians people person fighter fighters "
    "personnel man men woman women child children resident residents".split()
) | FORCE_NOUNS
FIGURE_NOUNS = frozenset("figure figures toll tally count number numbers estimate".split())
ATTACK_VERBS = frozenset("strike hit shell bomb attack target shoot fire destroy blow mine bombard".split())
ATTACK_NOUNS = frozenset("strike attack shelling bombing bombardment explosion blast massacre".split())
ACCUSE_CUES = frozenset("accuse blame charge".split())
AUTHOR_VERBS = frozenset("write draft author pen compose prepare draw".split())
DOCUMENT_NOUNS = WORDS.plan_nouns | frozenset("text paper letter memo memorandum".split())
PROGRESS_NOUNS = frozenset("progress breakthrough headway".split())
TALK_NOUNS = frozenset("talk talks negotiation negotiations meeting meetings summit discussion discussions".split())
TALKS_GOOD = frozenset("productive constructive positive fruitful useful successful".split())
TALKS_BAD = frozenset("stall deadlock collapse fail fruitless unproductive deadlocked stalled".split())
PRONOUN_SELF = frozenset("its their our we us it they".split())
_NUMBER = re.compile(r"^\d[\d,.]*$")


@dataclass(frozen=True, slots=True)
class Proposition:
    kind: ClaimKind
    target: str | None  # None: the text does not say ("the figure"); filled from context later
    holder: str | None
    polarity: int
    change: bool = False
    value: str | None = None
    trigger: int = -1  # token index of the predicate
    depth: int = 0  # distance from the clause's root (smaller is more central)
    located: Target | None = None  # the target in parts (thing, place), where it has them


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") and c.dep_ in ("neg", "advmod", "det") for c in tok.children):
        return True
    # "did not succeed in taking", "no longer holds"
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in tok.children)


def _number_near(tok: Token) -> str | None:
    """The figure attached to a victim noun or a casualty word: "400 soldiers", "more than 14,000 civilian casualties"."""
    for t in [tok, *tok.children]:
        for c in (t.children if t is not tok else tok.children):
            if c.dep_ == "nummod" and (c.like_num or _NUMBER.match(c.text)):
                mods = [g.text for g in c.children if g.dep_ in ("quantmod", "advmod", "amod")]
                return " ".join([*mods, c.text]) if mods else c.text
    sent = tok.sent  # an entity whose root hangs from the token overlaps the token's sentence
    for ent in doc_entities(tok.doc).overlapping(sent.start, sent.end):
        if ent.label_ == "CARDINAL" and ent.root.head.i == tok.i:
            return ent.text
    return None


class PropositionReader:
    """Finds propositions in clauses of one Doc."""

    def __init__(self, doc: Doc, places: PlaceIndex, *, documents: "dict[int, str] | None" = None,
                 person_sides: "dict[str, str] | None" = None) -> None:
        self.doc = doc
        self.places = places
        self.documents = documents or {}  # token index of a document mention → the proposal's name
        self.person_sides = person_sides or {}

    # --- who -------------------------------------------------------------------------
    def holder(self, tok: Token | None, speaker_side: str | None) -> str | None:
        """The side a noun phrase stands for: "its forces" → the speaker's, "Russian troops" → Russia."""
        if tok is None:
            return None
        low = tok.lower_
        if low in PRONOUN_SELF:
            return speaker_side
        if low == "enemy" or any(c.lower_ == "enemy" for c in tok.children if c.dep_ in ("compound", "amod")):
            return OtherSide(speaker_side) if speaker_side else None
        for c in tok.children:
            if c.dep_ == "poss":
                if c.lower_ in PRONOUN_SELF:
                    return speaker_side
                side = self._side_of_text(c)
                if side:
                    return side
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "nmod"):
                side = gazetteer.country_of(c.text) or (parties.side_of(c.text) if c.pos_ == "PROPN" else None)
                if side:
                    return side
        if tok.lemma_.lower() in FORCE_NOUNS or tok.lemma_.lower() in ("official", "officials"):
            return None
        return self._side_of_text(tok)

    def _side_of_text(self, tok: Token) -> str | None:
        span = self.doc[tok.left_edge.i : tok.right_edge.i + 1] if tok.dep_ != "poss" else self.doc[tok.i : tok.i + 1]
        if len(span) > 8:
            span = self.doc[tok.i : tok.i + 1]
        name = parties.party_name(span.text)
        if name is None:
            return None
        side = parties.side_of(name)
        if side:
            return side
        for person, pside in self.person_sides.items():
            if person.split()[-1] in name.split():
                return pside
        return name if tok.ent_type_ in ("ORG", "GPE", "NORP") else None

    @staticmethod
    def subject(tok: Token) -> Token | None:
        subject = subject_child(tok)
        if subject is not None:
            return subject
        for c in tok.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        # "Russia attempted to plant flags": the subject of the verb that governs the infinitive
        if tok.dep_ in ("xcomp", "conj") and tok.head.i != tok.i:
            return PropositionReader.subject(tok.head)
        return None

    @staticmethod
    def passive_subject(tok: Token) -> Token | None:
        for c in tok.children:
            if c.dep_ == "nsubjpass":
                return c
        return None

    # --- where -----------------------------------------------------------------------
    def place_in(self, tok: Token, *, exclude: Token | None = None) -> str | None:
        skip = set(range(exclude.left_edge.i, exclude.right_edge.i + 1)) if exclude is not None else set()
        place = self.places.in_subtree(tok, skip=skip)
        return place.name if place else None

    # --- reading ---------------------------------------------------------------------
    def read(self, tokens: list[Token], speaker_side: str | None, *, cue: Token | None = None,
             asserting: bool = True) -> list[Proposition]:
        """Propositions whose predicates lie in ``tokens``, the most central one per kind and target.

        ``asserting`` is False when the words are quoted to be denied ("denied that the town had been
        captured"); an agentless capture then credits nobody rather than the speaker.
        """
        self._asserting = asserting
        inside = {t.i for t in tokens}
        found: list[Proposition] = []
        for tok in tokens:
            if self._in_description(tok, inside, cue):
                continue
            depth = self._depth(tok, inside)
            for prop in self._at(tok, speaker_side, cue):
                found.append(Proposition(prop.kind, prop.target, prop.holder, prop.polarity, prop.change,
                                         prop.value, tok.i, depth, prop.located))
        best: dict[tuple, Proposition] = {}
        for prop in sorted(found, key=lambda p: (p.depth, p.trigger)):
            best.setdefault((prop.kind, prop.target), prop)
        return sorted(best.values(), key=lambda p: p.trigger)

    @staticmethod
    def _depth(tok: Token, inside: set[int]) -> int:
        depth = 0
        while tok.head.i != tok.i and tok.head.i in inside and depth < 30:
            tok = tok.head
            depth += 1
        return depth

    @staticmethod
    def _in_description(tok: Token, inside: set[int], cue: Token | None) -> bool:
        """True when a relative clause inside the content stands between ``tok`` and the content's top."""
        t = tok
        steps = 0
        while t.i in inside and steps < 30:
            if (t.dep_ in ("relcl", "acl") and t.pos_ in ("VERB", "AUX") and t.head.i in inside
                    and (cue is None or t.i != cue.i)):
                # "troops displaying flags in the city" is the claim itself; keep participles shown in media
                if not (t.dep_ == "acl" and t.tag_ == "VBG" and t.lemma_.lower() in FLAG_VERBS) and not (
                    t.dep_ == "acl" and t.tag_ == "VBN" and t.lemma_.lower() in CASUALTY_WORDS
                ):  # "the figure of 400 soldiers killed" is the claim itself
                    return True
            if t.head.i == t.i:
                break
            t = t.head
            steps += 1
        return False

    def _attempted(self, tok: Token) -> bool:
        """Whether the predicate is only attempted: "attempted to plant flags", "failed to take"."""
        t = tok
        for _ in range(3):
            if t.dep_ in ("xcomp", "pcomp", "pobj", "prep", "acl") and t.head.i != t.i:
                t = t.head
                if t.lemma_.lower() in ATTEMPT_HEADS:
                    return True
            else:
                break
        return False

    def _polarity(self, tok: Token) -> int:
        pol = -1 if _negated(tok) else 1
        if self._attempted(tok):
            pol = -1
        return pol

    def _at(self, tok: Token, side: str | None, cue: Token | None) -> list[Proposition]:
        """The war-report frames' propositions at ``tok``: the first frame whose trigger fits reads them."""
        lemma = tok.lemma_.lower()
        for fits, read in _FRAMES:
            if fits(tok, lemma):
                return read(self, tok, lemma, side, cue)
        return []

    def _place_after(self, tok: Token, preps: tuple[str, ...]) -> str | None:
        """The place named under the first of ``tok``'s prepositions in ``preps`` that names one."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                target = self.place_in(c)
                if target:
                    return target
        return None

    def _capture(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # control: capture
        out: list[Proposition] = []
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is not None and obj.lemma_.lower() in VICTIM_NOUNS and lemma == "capture":
            return self._figures(tok, side)  # "had captured 120 Russian soldiers": prisoners
        if lemma == "take" and obj is not None and obj.lemma_.lower() not in ("control",) and not self.places.resolve(obj):
            return out
        target = self.place_in(obj) if obj is not None else None
        if target is None and obj is None:
            return out
        subj = self.subject(tok)
        holder = self.holder(subj, side) if subj is not None else self._implied(tok, side)
        if target:
            out.append(Proposition(ClaimKind.CONTROL, target, holder, self._polarity(tok), True))
        return out

    def _fall(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        out: list[Proposition] = []
        subj = self.subject(tok)
        place = self.places.resolve(subj) if subj is not None else None
        if place:
            out.append(Proposition(ClaimKind.CONTROL, place.name, None, self._polarity(tok), True))
        return out

    def _capture_noun(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        head = tok.head
        target = self._place_after(tok, ("of", "over"))
        if target is None and tok.dep_ in ("dobj", "pobj") and lemma == "control":
            return []
        if target is None:
            for c in tok.children:
                if c.dep_ == "poss":
                    place = self.places.resolve(c, allow_pronoun=False)
                    target = place.name if place else None
        if target is None:
            return []
        if lemma == "control":
            # "its forces still maintained control of", "taken control of": the governing verb decides
            verb = head if head.pos_ in ("VERB", "AUX") else None
            if verb is not None and verb.lemma_.lower() in CAPTURE_VERBS | frozenset(("gain", "establish")):
                subj = self.subject(verb)
                return [Proposition(ClaimKind.CONTROL, target,
                                    self.holder(subj, side) if subj is not None else self._implied(verb, side),
                                    self._polarity(verb), True)]
            if verb is not None and verb.lemma_.lower() in HOLD_VERBS | frozenset(("have", "exercise")):
                subj = self.subject(verb)
                return [Proposition(ClaimKind.CONTROL, target, self.holder(subj, side) if subj is not None else side,
                                    self._polarity(verb), False)]
            owner = next((c for c in tok.children if c.dep_ in ("poss", "amod")), None)
            return [Proposition(ClaimKind.CONTROL, target, self.holder(tok, side) if owner is not None else None,
                                1, False)] if owner is not None else []
        owner = self.holder(tok, side) if any(c.dep_ in ("poss", "amod") for c in tok.children) else None
        if owner is None and self._asserting:
            owner = side  # "Russia announced the town's capture": by its own forces
        return [Proposition(ClaimKind.CONTROL, target, owner, 1, True)]

    def _under_control(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # "Zarichne remains under our control", "the town is under full Russian control"
        subj = self.subject(tok)
        place = self.places.resolve(subj) if subj is not None else None
        if place:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "under":
                    ctrl = next((g for g in c.children if g.lemma_.lower() in ("control", "occupation")), None)
                    if ctrl is not None:
                        return [Proposition(ClaimKind.CONTROL, place.name, self.holder(ctrl, side),
                                            self._polarity(tok), False)]
        return []

    def _holding(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # control: holding on
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return []  # "the meetings had been held in Itaituba": what is held is no holder of the place
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        subj = self.subject(tok)
        target = None
        if obj is not None and obj.lemma_.lower() in PRESENCE_NOUNS:
            target = self.place_in(obj)
        elif obj is not None and lemma in HOLD_VERBS and obj.lemma_.lower() != "control":
            place = self.places.resolve(obj)
            target = place.name if place else None
        if target is None:
            target = self._place_after(tok, ("in", "inside", "within", "at"))
        if target is None:
            return []
        holder = self.holder(subj, side) if subj is not None else side
        return [Proposition(ClaimKind.CONTROL, target, holder, self._polarity(tok), False)]

    def _engaged(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        target = self._place_after(tok, ("in", "inside", "at"))
        if target:
            subj = self.subject(tok) or self.subject(tok.head)
            return [Proposition(ClaimKind.CONTROL, target, self.holder(subj, side) if subj is not None else side,
                                self._polarity(tok.head if tok.dep_ == "acomp" else tok), False)]
        return []

    def _presence(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "inside", "within", "at"):
                target = self.place_in(c)
                if target and tok.dep_ not in ("dobj",):  # dobj handled by the verb
                    return [Proposition(ClaimKind.CONTROL, target, self.holder(tok, side), 1, False)]
                if target and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() not in HOLD_VERBS:
                    # "it had significantly enhanced its position in the city of Kupyans"
                    return [Proposition(ClaimKind.CONTROL, target, self.holder(tok, side),
                                        self._polarity(tok.head), False)]
        return []

    def _fighting(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "inside", "for", "within"):
                target = self.place_in(c)
                if target:
                    # Fighting in a town says nobody holds all of it yet.
                    return [Proposition(ClaimKind.CONTROL, target, None, -1, False)]
        return []

    def _withdrawal(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # control: withdrawal
        if lemma == "pull" and not any(c.lower_ in ("out", "back") for c in tok.children):
            return []
        target = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "of", "out"):
                target = target or self.place_in(c)
            elif c.dep_ == "dobj" and lemma in ("abandon", "cede", "lose", "leave", "surrender", "evacuate"):
                place = self.places.resolve(c)
                target = place.name if place else target
        if target is None:
            return []
        subj = self.subject(tok)
        who = self.holder(subj, side) if subj is not None else side
        return [Proposition(ClaimKind.CONTROL, target, OtherSide(who) if who else None, self._polarity(tok), True)]

    def _withdrawal_noun(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        target = None
        who = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                target = target or self.place_in(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        place = self.places.resolve(g)
                        if place and lemma in ("loss", "surrender", "evacuation"):
                            target = place.name
                        elif g.lemma_.lower() in FORCE_NOUNS or g.lower_ in PRONOUN_SELF:
                            who = self.holder(g, side)
                            for gg in g.children:
                                if gg.dep_ == "prep" and gg.lower_ == "from":
                                    target = self.place_in(gg)
            elif c.dep_ == "poss":
                who = self.holder(c, side) if c.lower_ not in PRONOUN_SELF else side
        if target is None:
            return []
        who = who or side
        return [Proposition(ClaimKind.CONTROL, target, OtherSide(who) if who else None, 1, True)]

    def _flags(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # control: flags
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in ("flag", "banner")), None)
        if obj is None:
            return []
        target = None
        for c in [*tok.children, *obj.children]:
            if c.dep_ == "prep" and c.lower_ in ("in", "over", "above", "on", "at", "atop"):
                target = self.place_in(c)
                if target:
                    break
        if target is None:
            return []
        subj = self.subject(tok)
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            subj = tok.head  # "its troops displaying flags"
        holder = self.holder(subj, side) if subj is not None else side
        return [Proposition(ClaimKind.CONTROL, target, holder, self._polarity(tok), True)]

    def _casualties(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # casualties and prisoners
        return self._figures(tok, side)

    def _attack(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # accusations
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        located = self._attack_target(tok, obj)
        if located is None:
            return []
        target = located.name()
        subj = self.subject(tok)
        if subj is None and cue is not None and cue.lemma_.lower() in ACCUSE_CUES:
            subj = next((c for c in cue.children if c.dep_ == "dobj"), None)
        holder = self._party_or_side(subj, side) if subj is not None else (
            side if cue is not None and cue.lemma_.lower() in WORDS.dispute_cues else None)
        if holder is None:
            return []  # damage without a culprit is not an accusation
        return [Proposition(ClaimKind.ACCUSATION, target, holder, self._polarity(tok), True, located=located)]

    def _attack_noun(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        located = self._attack_target(tok, None)
        if located is None:
            return []
        target = located.name()
        owner = next((c for c in tok.children if c.dep_ in ("poss", "amod")), None)
        holder = self._party_or_side(owner, side) if owner is not None else None
        if holder is None and cue is not None and cue.lemma_.lower() in ACCUSE_CUES:
            accused = next((c for c in cue.children if c.dep_ == "dobj"), None)
            holder = self._party_or_side(accused, side) if accused is not None else None
        if holder is None:
            return []
        return [Proposition(ClaimKind.ACCUSATION, target, holder, 1, True, located=located)]

    def _authorship(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # authorship
        if lemma == "draw" and not any(c.lower_ == "up" for c in tok.children):
            return []
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None or obj.lemma_.lower() not in DOCUMENT_NOUNS:
            return []
        doc_name = self.documents.get(obj.i) or self._np_text(obj)
        subj = self.subject(tok)
        holder = self._party_or_side(subj, side) if subj is not None else None
        if holder is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "in":
                    for g in c.children:
                        if g.dep_ == "pobj" and gazetteer.country_of(g.text):
                            holder = gazetteer.country_of(g.text)  # "written in Washington"
        if holder is None:
            return []
        return [Proposition(ClaimKind.AUTHORSHIP, doc_name, holder, self._polarity(tok), False)]

    def _progress_noun(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        # progress of talks
        pol = -1 if any(c.lower_ == "no" for c in tok.children) else 1
        verb = tok.head if tok.head.pos_ in ("VERB", "AUX") else None
        if verb is not None and _negated(verb):
            pol = -pol
        return [Proposition(ClaimKind.PROGRESS, self._talks(tok), None, pol, False)]

    def _talks_mood(self, tok: Token, lemma: str, side: str | None, cue: Token | None) -> list[Proposition]:
        talks = None
        if tok.dep_ in ("acomp", "oprd") or tok.pos_ == "VERB":
            subj = self.subject(tok if tok.pos_ == "VERB" else tok.head)
            if subj is not None and subj.lemma_.lower() in TALK_NOUNS:
                talks = subj
        if tok.dep_ == "amod" and tok.head.lemma_.lower() in TALK_NOUNS:
            talks = tok.head
        if talks is None:
            return []
        pol = 1 if lemma in TALKS_GOOD else -1
        if _negated(tok) or (tok.pos_ == "ADJ" and _negated(tok.head)):
            pol = -pol
        return [Proposition(ClaimKind.PROGRESS, self._talks(talks), None, pol, False)]

    # --- helpers -----------------------------------------------------------------------
    _asserting = True

    def _implied(self, verb: Token, side: str | None) -> str | None:
        """Who did it when the clause has no subject.

        "claimed to have captured", "assertions of having seized": the claimant itself.
        "had been captured" names nobody (a denial of it says nothing about who), except
        "had been liberated", which a side only says of its own forces.
        """
        if any(c.dep_ == "nsubjpass" for c in verb.children) or (
            verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in verb.children)
        ):
            return side if verb.lemma_.lower() == "liberate" or self._asserting else None
        if verb.tag_ in ("VBG", "VBN", "VB"):
            return side
        return None

    def _party_or_side(self, tok: Token | None, side: str | None) -> str | None:
        if tok is None:
            return None
        holder = self.holder(tok, side)
        if holder:
            return holder
        name = parties.party_name(self._np_text(tok))
        return name

    def _np_text(self, tok: Token) -> str:
        doc = self.doc
        left = tok.left_edge.i
        right = tok.i + 1
        for c in tok.rights:
            if c.dep_ in ("compound", "amod"):
                right = c.right_edge.i + 1
        words = [t for t in doc[left:right] if t.dep_ != "det" and t.dep_ != "poss" and t.text not in ("’s", "'s")
                 and not t.is_punct]
        return " ".join(t.text for t in words) if words else tok.text

    def _attack_target(self, tok: Token, obj: Token | None) -> Target | None:
        """('hospital', 'Ternivka') for "striking a children's hospital in Ternivka"."""
        thing = obj
        if thing is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "of"):
                    thing = next((g for g in c.children if g.dep_ == "pobj"), None)
        place = None
        if thing is not None:
            place = self.places.in_subtree(thing)
        if place is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "near", "on", "at"):
                    place = self.places.in_subtree(c)
                    if place is not None:
                        break
        if thing is not None and (thing.ent_type_ in ("PERSON", "ORG", "NORP") or thing.lower_ in PRONOUN_SELF
                                  or thing.lower_ in ("him", "her", "them", "me", "you")) and self.places.at(thing) is None:
            return None  # "attacking Machado", "attacked them": people are criticised, not struck
        if thing is not None and self.places.at(thing) is None and thing.pos_ == "NOUN":
            noun = thing.lemma_.lower()
            if noun in ("it", "target", "targets", "civilian", "civilians", "people"):
                return Target(place.name) if place else None
            if place:
                return Target(noun, place.name)
            # "the hospital": the one the article named before; the finder completes it
            definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in thing.children)
            return Target(noun) if definite else None
        return Target(place.name) if place else None

    def _talks(self, tok: Token) -> str:
        """A name for the talks a progress claim is about: 'talks in Istanbul', 'Moscow meeting'."""
        sent = tok.sent
        talks = tok if tok.lemma_.lower() in TALK_NOUNS else next(
            (t for t in sent if t.lemma_.lower() in TALK_NOUNS and t.pos_ == "NOUN"), None)
        named = self._named_talks(talks) if talks is not None else None
        if named:
            return named
        # "the talks": the talks the article named before
        for prev in reversed(list(self.doc[max(0, sent.start - 200) : sent.start])):
            if prev.lemma_.lower() in TALK_NOUNS and prev.pos_ == "NOUN":
                named = self._named_talks(prev)
                if named:
                    return named
        return "talks"

    @staticmethod
    def _named_talks(talks: Token) -> str | None:
        for c in talks.children:
            if c.dep_ == "compound" and c.ent_type_ in ("GPE", "LOC", "FAC"):
                return f"{c.text} {talks.lemma_.lower() if talks.lemma_.lower() != 'talk' else 'talks'}"
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC", "FAC"):
                        return Target("talks", g.text).name()
            if c.dep_ == "prep" and c.lower_ in ("on", "about", "over"):
                for g in c.children:  # "talks on the framework in Istanbul"
                    for gg in g.children:
                        if gg.dep_ == "prep" and gg.lower_ in ("in", "at"):
                            for x in gg.children:
                                if x.dep_ == "pobj" and x.ent_type_ in ("GPE", "LOC", "FAC"):
                                    return Target("talks", x.text).name()
        return None

    def _figures(self, tok: Token, side: str | None) -> list[Proposition]:
        """'400 Ukrainian soldiers had been killed', 'more than 14,000 civilian casualties'."""
        lemma = tok.lemma_.lower()
        kind = ClaimKind.PRISONERS if lemma in PRISONER_WORDS or lemma == "capture" else ClaimKind.CASUALTIES
        victim = None
        value = None
        if tok.pos_ == "VERB":
            victim = next((c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")), None)
            if victim is None and lemma == "die":
                victim = self.subject(tok)
            if victim is None and tok.dep_ == "acl":
                victim = tok.head  # "400 soldiers killed"
        else:
            value = _number_near(tok)
            victim = tok
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "among":
                    victim = next((g for g in c.children if g.dep_ == "pobj"), victim)
        if victim is None:
            return []
        if victim.dep_ == "nsubjpass" or victim.lemma_.lower() not in VICTIM_NOUNS | CASUALTY_WORDS | PRISONER_WORDS:
            # "tens of thousands of military personnel"
            for c in victim.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    inner = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if inner is not None and inner.lemma_.lower() in VICTIM_NOUNS:
                        value = value or victim.text
                        victim = inner
        if victim.lemma_.lower() not in VICTIM_NOUNS | CASUALTY_WORDS | PRISONER_WORDS:
            return []
        value = value or _number_near(victim)
        if kind is ClaimKind.PRISONERS and lemma == "capture" and value is None:
            return []
        if value is None:
            return []
        who = self.holder(victim, side)
        civil = any(c.lower_ in ("civilian", "civilians") for c in [victim, *victim.children])
        label = "civilians" if civil else ("soldiers" if victim.lemma_.lower() in FORCE_NOUNS | {"personnel"} else
                                           victim.lemma_.lower() if victim.lemma_.lower() in VICTIM_NOUNS else "people")
        if who and not isinstance(who, OtherSide):
            label = f"{gazetteer.demonym(who) or who} {label}"
        place = None
        head = tok if tok.pos_ == "VERB" else tok.head
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "near", "around", "outside", "at"):
                p = self.places.in_subtree(c)
                place = p.name if p else place
        located = Target(label, place, "near")
        return [Proposition(kind, located.name(), who, self._polarity(tok) if tok.pos_ == "VERB" else 1, False, value,
                            located=located)]


# Each frame: its trigger (the token and its lemma) and the reader of its propositions, in the order they are tried.
_FRAMES: tuple[tuple[Callable[[Token, str], bool], Callable[..., list[Proposition]]], ...] = (
    (lambda tok, lemma: tok.pos_ == "VERB" and lemma in CAPTURE_VERBS,
     PropositionReader._capture),
    (lambda tok, lemma: tok.pos_ == "VERB" and lemma == "fall",
     PropositionReader._fall),
    (lambda tok, lemma: tok.pos_ == "NOUN" and lemma in CAPTURE_NOUNS,
     PropositionReader._capture_noun),
    (lambda tok, lemma: lemma in ("remain", "be", "stay") and tok.pos_ in ("VERB", "AUX"),
     PropositionReader._under_control),
    (lambda tok, lemma: tok.pos_ == "VERB" and lemma in HOLD_VERBS | FIGHT_VERBS,
     PropositionReader._holding),
    (lambda tok, lemma: tok.lower_ == "engaged" and tok.pos_ in ("ADJ", "VERB"),
     PropositionReader._engaged),
    (lambda tok, lemma: tok.pos_ == "NOUN" and lemma in PRESENCE_NOUNS,
     PropositionReader._presence),
    (lambda tok, lemma: tok.pos_ == "NOUN" and lemma in FIGHTING_WORDS,
     PropositionReader._fighting),
    (lambda tok, lemma: tok.pos_ == "VERB" and lemma in WITHDRAW_VERBS | frozenset(("pull",)),
     PropositionReader._withdrawal),
    (lambda tok, lemma: tok.pos_ == "NOUN" and lemma in WITHDRAW_NOUNS,
     PropositionReader._withdrawal_noun),
    (lambda tok, lemma: lemma in FLAG_VERBS and tok.pos_ == "VERB",
     PropositionReader._flags),
    (lambda tok, lemma: lemma in CASUALTY_WORDS or lemma in PRISONER_WORDS or (lemma == "capture" and tok.pos_ == "VERB"),
     PropositionReader._casualties),
    (lambda tok, lemma: tok.pos_ == "VERB" and lemma in ATTACK_VERBS,
     PropositionReader._attack),
    (lambda tok, lemma: tok.pos_ == "NOUN" and lemma in ATTACK_NOUNS,
     PropositionReader._attack_noun),
    (lambda tok, lemma: tok.pos_ == "VERB" and lemma in AUTHOR_VERBS,
     PropositionReader._authorship),
    (lambda tok, lemma: tok.pos_ == "NOUN" and lemma in PROGRESS_NOUNS,
     PropositionReader._progress_noun),
    (lambda tok, lemma: lemma in TALKS_GOOD | TALKS_BAD and tok.pos_ in ("ADJ", "VERB"),
     PropositionReader._talks_mood),
)

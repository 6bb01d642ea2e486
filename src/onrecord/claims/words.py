"""The claims feature's word lists, read once from ``data/stance.toml`` (data, not code).

>>> "deny" in WORDS.dispute_cues and "malarkey" in WORDS.judgements
True
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..nlp.lexicon import s_form

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Words:
    dispute_cues: frozenset[str]
    dispute_cue_phrases: tuple[str, ...]
    judgements: frozenset[str]
    judgement_phrases: tuple[str, ...]
    absence_nouns: frozenset[str]
    assert_cues: frozenset[str]
    charge_cues: frozenset[str]
    deed_cues: frozenset[str]
    evidence_sources: frozenset[str]
    measurements: frozenset[str]
    own_voices: frozenset[str]
    silence: frozenset[str]
    question_cues: frozenset[str]
    corrections: tuple[str, ...]
    counters: tuple[str, ...]
    existence_denials: tuple[str, ...]
    correcting: frozenset[str]
    correcting_phrases: tuple[str, ...]
    claim_nouns: frozenset[str]
    figure_nouns: frozenset[str]
    charge_nouns: frozenset[str]
    agree_cues: frozenset[str]
    anaphors: frozenset[str]
    negations: frozenset[str]
    proposal_nouns: frozenset[str]
    plan_nouns: frozenset[str]
    decision_nouns: frozenset[str]
    singular_only: frozenset[str]
    candidacy: frozenset[str]
    candidacy_words: frozenset[str]
    electoral_nouns: frozenset[str]
    electoral_verbs: frozenset[str]
    propose_cues: frozenset[str]
    not_proposed_by_owner: frozenset[str]
    own_bodies: frozenset[str]
    unnamed_groups: frozenset[str]
    need_a_modifier: frozenset[str]
    members: frozenset[str]
    support: frozenset[str]
    oppose: frozenset[str]
    reject: frozenset[str]
    revise: frozenset[str]
    condition_changes: frozenset[str]
    misgivings: frozenset[str]
    too_little: frozenset[str]
    obliging: frozenset[str]
    receptions: frozenset[str]
    guarded: frozenset[str]
    conditioning: frozenset[str]
    soft: frozenset[str]
    retreats: tuple[str, ...]
    asking: frozenset[str]
    adverbial_objects: frozenset[str]
    undo: frozenset[str]
    acting: frozenset[str]
    behind: frozenset[str]
    threat_actions: frozenset[str]
    threat_verbs: frozenset[str]
    threat_starts: frozenset[str]
    courts: frozenset[str]
    decides: frozenset[str]
    harms: frozenset[str]
    parameters: frozenset[str]
    change_nouns: frozenset[str]
    benefits: frozenset[str]
    negative: frozenset[str]
    positive: frozenset[str]
    limiting: frozenset[str]

    def judging(self, tok) -> bool:
        """Is this word a judgement ("a lie", "fabricated"), by its form or its lemma?"""
        if tok.lower_ in _ACTS_WITH_AN_OBJECT and tok.pos_ == "VERB" and any(
                c.dep_ == "dobj" for c in tok.children):
            return False  # "staged a protest" organised one; only "was staged", "a staged attack" call it fake
        if tok.lower_ in self.judgements:
            return True
        return tok.lemma_.lower() in self.judgements and tok.lower_ not in _OTHER_VERBS

    def judges_false(self, tokens) -> bool:
        """Do these tokens (a content, a phrase) call something untrue?"""
        if any(self.judging(t) for t in tokens):
            return True
        if any(t.lemma_.lower() in self.absence_nouns and _negated_noun(t) for t in tokens):
            return True
        text = " ".join(t.lower_ for t in tokens).replace("’", "'")
        return any(f" {p} " in f" {text} " for p in self.judgement_phrases)


_NOBODY = {"none", "nobody", "no one", "nothing", "neither"}
# forms spaCy lemmatises as a judgement ("lie") that belong to another verb: "if the rebels lay down their arms"
_OTHER_VERBS = frozenset({"lay", "lays", "laying", "lain"})
# judgements that are acts when a verb takes an object: "students staged a protest" (word forms: spaCy lemmatises
# "staged" as "stag")
_ACTS_WITH_AN_OBJECT = frozenset({"stage", "stages", "staged", "staging"})


def _negated_noun(tok) -> bool:
    """Is a noun negated: "no basis", "not a shred of evidence", "did not find any proof", "none found any evidence"?"""
    if any(c.lower_ in ("no", "not", "never") and c.i < tok.i for c in tok.children):
        return True  # not one after it: "comes with evidence, not noise" negates the noise
    head = tok.head
    if head.dep_ == "prep" and head.lower_ == "of":  # "not a shred of evidence", "no piece of proof"
        owner = head.head
        if any(c.lower_ in ("no", "not") for c in owner.children):
            return True
        head = owner.head
    if tok.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        return any(c.dep_ == "neg" or (c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _NOBODY)
                   for c in head.children)
    return False


@lru_cache(maxsize=None)
def load(path: Path = DATA / "stance.toml") -> Words:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    f = lambda *keys: frozenset(_get(data, keys))  # noqa: E731
    return Words(
        dispute_cues=f("dispute", "cues"),
        dispute_cue_phrases=tuple(_get(data, ("dispute", "cue_phrases"))), judgements=f("dispute", "judgements"),
        judgement_phrases=tuple(_get(data, ("dispute", "judgement_phrases"))),
        absence_nouns=f("dispute", "absence_nouns"),
        assert_cues=f("assert", "cues"), charge_cues=f("assert", "charges"),
        deed_cues=f("assert", "deed_cues"),
        evidence_sources=f("assert", "evidence_sources"),
        measurements=f("assert", "measurements"), own_voices=f("assert", "own_voices"),
        silence=f("assert", "silence"),
        question_cues=f("assert", "questions"),
        corrections=tuple(_get(data, ("narrator", "corrections"))),
        counters=tuple(_get(data, ("narrator", "counters"))),
        existence_denials=tuple(_get(data, ("narrator", "existence_denials"))), correcting=f("narrator", "correcting"),
        correcting_phrases=tuple(_get(data, ("narrator", "correcting_phrases"))),
        claim_nouns=f("assert", "nouns"), figure_nouns=f("assert", "figure_nouns"),
        charge_nouns=f("assert", "charge_nouns"),
        agree_cues=f("agree", "cues"),
        anaphors=f("anaphor", "words"), negations=f("negation", "words"),
        proposal_nouns=_with_plurals(f("proposal", "nouns")), plan_nouns=f("proposal", "plans"),
        decision_nouns=f("proposal", "decisions"),
        singular_only=f("proposal", "singular_only"), candidacy=f("proposal", "candidacy"), candidacy_words=f("proposal", "candidacy_words"),
        electoral_nouns=f("proposal", "electoral_nouns"), electoral_verbs=f("proposal", "electoral_verbs"), propose_cues=f("proposal", "propose"),
        not_proposed_by_owner=f("proposal", "not_proposed_by_owner"),
        own_bodies=f("party", "own_bodies"), unnamed_groups=f("party", "unnamed_groups"),
        need_a_modifier=f("party", "need_a_modifier"), members=f("party", "members"),
        support=f("stance", "support"), oppose=f("stance", "oppose"), reject=f("stance", "reject"),
        revise=f("stance", "revise"), condition_changes=f("stance", "condition_changes"), soft=f("stance", "soft"),
        retreats=tuple(_get(data, ("stance", "retreats"))),
        misgivings=f("stance", "misgivings"), too_little=f("stance", "too_little"),
        obliging=f("stance", "obliging"),
        receptions=f("stance", "receptions"), guarded=f("stance", "guarded"),
        conditioning=f("stance", "conditioning"),
        asking=f("stance", "asking"), adverbial_objects=f("stance", "adverbial_objects"),
        undo=f("stance", "undo"),
        acting=f("stance", "acting"), behind=f("stance", "behind"),
        threat_actions=f("stance", "threat_actions"), threat_verbs=f("stance", "threat_verbs"),
        threat_starts=f("stance", "threat_starts"), courts=f("stance", "courts"),
        decides=f("stance", "decides"),
        harms=f("stance", "harms"), parameters=f("stance", "parameters"), change_nouns=f("stance", "change_nouns"),
        benefits=f("stance", "benefits"),
        negative=f("stance", "negative"), positive=f("stance", "positive"),
        limiting=f("stance", "limiting"),
    )


def _with_plurals(nouns: frozenset[str]) -> frozenset[str]:
    """Nouns and their plurals: spaCy's lemmatizer leaves a plural it does not know as it is ("tougher security
    audits": lemma "audits"), so a list of lemmas also holds the plural forms."""
    # "sanctions" is a plural already
    return nouns | {s_form(n) for n in nouns if " " not in n and not n.endswith("s")}


def _get(data: dict, keys: tuple[str, ...]) -> list[str]:
    value = data
    for k in keys:
        value = value[k]
    return [str(v).lower() for v in value]


WORDS = load()

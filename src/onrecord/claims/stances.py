"""Positions on any proposal, read with dependency patterns kept as data (``data/positions.json``).

Each pattern is a spaCy ``DependencyMatcher`` pattern with a stance: "backed the
farm bill" (support), "criticized the tax plan" (oppose), "rejected the offer"
(reject), "a measure long opposed by the Green Party" (the participle's stance,
its agent the party), "called the ban reckless" (the judgement's stance),
"pledged to cut the gas tax" (the proposer supports it), "urged ... to amend the
budget" (seek revision), "put forward its own plan" (counter-proposal).  A
node's ``WORDS`` names a word list of ``data/stance.toml``.

The party is the pattern's ``party`` node, or the verb's subject, or the
speaker of the attribution the match sits in.  A bare "the proposal" is the
latest proposal the article named in full.  Several stances of one party on
one proposal in one article combine: both ways round is ``mixed``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..nlp import gazetteer
from ..nlp.datelines import after_dateline, dateline_country, in_dateline
from ..names import lexicons
from ..nlp.organisations import body_typed_otherwise
from ..nlp.lexicon import SPEAKER_ROLE_NOUNS
from ..nlp.rules import past_dateline, stands_for_a_clause, subject_child
from ..records import Attribution, Span
from . import parties
from .depmatch import PatternMatcher
from .proposals import GENERIC_HEADS, PART_NOUNS, abstract, papers
from .records import PositionMention, Stance
from .statements import _SUBJECTS, Names, _named, _same_party, text_of, trimmed
from .words import WORDS

PATTERNS = Path(__file__).with_name("data") / "positions.json"
_PRONOUNS = {"he", "she", "i", "we", "they", "him", "her", "it", "you", "his", "their", "its", "our", "my", "your"}
_STANCE_NOUNS = {"support": Stance.SUPPORT, "backing": Stance.SUPPORT, "endorsement": Stance.SUPPORT,
                 "opposition": Stance.OPPOSE, "objection": Stance.OPPOSE, "criticism": Stance.OPPOSE,
                 "rejection": Stance.REJECT, "condemnation": Stance.OPPOSE, "praise": Stance.SUPPORT}
_RELATIVES = {"who", "that", "which"}
_NOT_PARTIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "WORK_OF_ART", "EVENT"}
_FIRST_PERSON = {"i", "we", "my", "our", "me", "us"}
_WE = {"we", "our", "us"}
_NAMES = {"PERSON", "ORG", "GPE", "NORP"}
_THIRD_PERSON = {"he", "she", "his", "her", "him"}
_PRONOUN_GENDER = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f", "hers": "f"}

_PEOPLE_PRONOUNS = {"them", "they", "him", "her", "you", "us", "me", "he", "she", "we", "i"}


@dataclass(frozen=True)
class StancePattern:
    id: str
    stance: str  # a Stance value, or from_verb / from_adjective / from_noun
    pattern: tuple
    example: tuple[str, str, str]  # a sentence we wrote, the party and the stance to find there
    party_from: str | None = None  # "speaker": only the statement's speaker; "organisation": the verb's subject,
    # only when it is neither a person nor a country (unions and companies threaten strikes and lawsuits over a
    # plan; "Trump threatened to sue his rivals" is no position on one)
    proposal_from: str | None = None  # "of_target": the latest proposal the target node's party put forward;
    # "latest": the latest proposal the article named before the match; "main": the one it named most often;
    # "near": one named in the match's sentence or the one before, else no position
    without: tuple["_Without", ...] = ()  # dependents a node's token must not have


@dataclass(frozen=True)
class _Without:
    """A node's token has no dependent with these labels (before another node's token, if ``before`` is
    given): "called for a ban" proposes, "called a strike for next week" does not; "voted against" with no
    object votes on the proposal of the day."""

    node: str
    deps: frozenset[str]
    before: str | None = None

    @classmethod
    def read(cls, node: str, spec) -> "_Without":
        if isinstance(spec, list):
            return cls(node, frozenset(spec))
        return cls(node, frozenset(spec["deps"]), spec.get("before"))

    def holds(self, nodes: dict[str, Token]) -> bool:
        limit = nodes[self.before].i if self.before else len(nodes[self.node].doc)
        return not any(c.dep_ in self.deps and c.i < limit for c in nodes[self.node].children)


def _word_list(name: str) -> list[str]:
    lists = {"support": WORDS.support, "oppose": WORDS.oppose, "reject": WORDS.reject, "revise": WORDS.revise,
             "nouns": WORDS.proposal_nouns, "propose": WORDS.propose_cues, "decisions": WORDS.decision_nouns,
             "asking": WORDS.asking, "adverbial_objects": WORDS.adverbial_objects, "undo": WORDS.undo,
             "acting": WORDS.acting, "behind": WORDS.behind,
             "harms": WORDS.harms, "parameters": WORDS.parameters, "benefits": WORDS.benefits,
             "changes": WORDS.condition_changes, "conditioning": WORDS.conditioning,
             "threat_actions": WORDS.threat_actions, "threat_verbs": WORDS.threat_verbs,
             "threat_starts": WORDS.threat_starts, "courts": WORDS.courts, "decides": WORDS.decides,
             "receptions": WORDS.receptions, "guarded": WORDS.guarded,
             "change_nouns": WORDS.change_nouns, "parts": PART_NOUNS | WORDS.parameters,
             "judgements": WORDS.negative | WORDS.positive, "soft": WORDS.soft, "negative": WORDS.negative, "any_stance": WORDS.support | WORDS.oppose | WORDS.reject}
    return sorted(lists[name])


@lru_cache(maxsize=None)
def load_patterns(path: Path = PATTERNS) -> tuple[StancePattern, ...]:
    out = []
    for p in json.loads(path.read_text(encoding="utf-8"))["patterns"]:
        nodes = []
        for node in p["pattern"]:
            node = dict(node)
            words, exclude = node.pop("WORDS", None), node.pop("EXCEPT", None)
            unlisted = node.pop("WORDS_NOT", None)  # a list the node's lemma must not be in
            on = node.pop("WORDS_ON", "LEMMA")  # "LOWER" for a list of word forms
            if words:
                listed = {"IN": [w for w in _word_list(words) if w not in (exclude or ())]}
                node["RIGHT_ATTRS"] = {**node.get("RIGHT_ATTRS", {}), on: listed}
            elif unlisted:
                node["RIGHT_ATTRS"] = {**node.get("RIGHT_ATTRS", {}), on: {"NOT_IN": _word_list(unlisted)}}
            nodes.append(node)
        out.append(StancePattern(p["id"], p["stance"], tuple(nodes), tuple(p["example"]), p.get("party"),
                                 p.get("proposal"), tuple(_Without.read(k, v) for k, v in p.get("without", {}).items())))
    return tuple(out)


_MATCHERS: dict[int, tuple[Vocab, PatternMatcher]] = {}


def matcher(vocab: Vocab) -> PatternMatcher:
    """The stance patterns' matcher (DependencyMatcher's semantics and matches, see claims/depmatch.py)."""
    held = _MATCHERS.get(id(vocab))
    if held is None or held[0] is not vocab:
        m = PatternMatcher(vocab)
        for p in load_patterns():
            m.add(p.id, [list(p.pattern)])
        held = _MATCHERS[id(vocab)] = (vocab, m)
    return held[1]


def _stance(p: StancePattern, nodes: dict[str, Token]) -> Stance | None:
    if p.stance == "from_verb":
        lemma = nodes["verb"].lemma_.lower()
        return (Stance.REJECT if lemma in WORDS.reject else Stance.OPPOSE if lemma in WORDS.oppose
                else Stance.SUPPORT if lemma in WORDS.support else None)
    if p.stance == "from_adjective":
        return _judged(nodes["judgement"])
    if p.stance == "from_noun":
        return _STANCE_NOUNS.get(nodes["noun"].lemma_.lower())
    return Stance(p.stance)


def _judged(judgement: Token) -> Stance | None:
    """The stance a judging word takes; both ways where a word joined to it by "but" judges the other way
    ("necessary but late", "a good idea but unworkable")."""
    lemma = judgement.lemma_.lower()
    stance = Stance.OPPOSE if lemma in WORDS.negative else Stance.SUPPORT if lemma in WORDS.positive else None
    if stance is None or not any(c.dep_ == "cc" and c.lower_ == "but" for c in judgement.children):
        return stance
    against = WORDS.positive if stance is Stance.OPPOSE else WORDS.negative | WORDS.too_little
    if any(c.dep_ == "conj" and c.lemma_.lower() in against for c in judgement.children):
        return Stance.MIXED
    return stance


def _quantity(tok: Token) -> bool:
    """'a great deal of sympathy' is no deal; 'sales rose' are no sale put forward."""
    return (tok.lemma_.lower() == "deal" and any(c.lower_ in ("great", "good") for c in tok.children)) \
        or tok.lower_ == "sales"


def candidacy(tok: Token) -> bool:
    """"the Republican nominee", "the party's nominee for president", "the GOP nomination": a candidacy in an
    election, on which a party takes no position as on a proposal (not "Obama's Supreme Court nominee")."""
    if tok.lower_ not in WORDS.candidacy:
        return False
    words = {t.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "prep") for t in c.subtree}
    # an owner is who nominates ("the president's nominee"), but "the party's nominee" is its candidate
    words |= {c.lower_ for c in tok.children if c.dep_ == "poss" and c.lower_ in ("party", "party's")}
    return bool(words & WORDS.candidacy_words)


def nominates_a_candidate(verb: Token) -> bool:
    """"the GOP nominated Richard Nixon", "Republicans ... to nominate Donald J. Trump", "nominated him for
    president": a party choosing its candidate, no proposal (not "Obama nominated Judge Garland")."""
    if verb.lemma_.lower() != "nominate":
        return False
    # "for president" (not "for a second term as president of the World Bank")
    words = {g.lower_ for c in verb.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
             if g.dep_ == "pobj"}
    # the one who nominates, up from "Republicans begin roll call vote to nominate Trump"
    subject = next((s for t in [verb, *list(verb.ancestors)[:3]] if (s := subject_child(t)) is not None), None)
    if subject is not None:  # "Republicans", "the GOP", "Democratic delegates" (not "President Obama")
        heads = [subject] + ([c for c in subject.children if c.dep_ in ("amod", "compound")]
                             if subject.pos_ == "NOUN" else [])
        words |= {t.lower_ for t in heads} | {t.lower_[:-1] for t in heads if t.lower_.endswith("s")}
    return bool(words & (WORDS.candidacy_words | WORDS.electoral_nouns))


def electoral_act(act: Token) -> bool:
    """"to compete in the final primary", "to press their case to the convention floor", "not to vote for him":
    an act in the race itself, which a candidate's vow puts forward as no proposal."""
    if act.pos_ != "VERB":
        return False
    # not a time the act is set in ("ending discrimination ... during her presidential campaign")
    timed = {t.i for c in act.subtree if c.dep_ == "prep" and c.lower_ in _TIME_PREPOSITIONS for t in c.subtree}
    return any((t.pos_ == "NOUN" and t.lemma_.lower() in WORDS.electoral_nouns)
               or (t.pos_ == "VERB" and t.lemma_.lower() in WORDS.electoral_verbs)
               for t in act.subtree if t.i not in timed)


_TIME_PREPOSITIONS = frozenset({"during", "throughout", "since", "before", "after"})


# Words that forecast an act rather than report a stance ("is expected to approve", "is unlikely to back").
_FORECASTS = frozenset({"expect", "likely", "unlikely"})


def hypothetical(tok: Token) -> bool:
    """'if you supported the deal', 'she could re-nominate him': no position taken; but "Nairobi could support
    a mechanism" states a stance, softly."""
    soft = tok.lemma_.lower() in WORDS.soft
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _FORECASTS:
        return True  # "the Senate, which is expected to approve it": a forecast of the act, no stance taken
    if _in_a_question(tok):
        return True  # "But has he called for changing any of the provisions?": a question states no stance
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") or
               c.tag_ == "MD" and c.lower_ in ("could", "might", "may") and not (soft and c.lower_ == "could")
               for c in tok.children)


def retreat(tok: Token) -> bool:
    """'backed away from the plan', 'backed off some of his proposals' (of a noun, the verb it hangs on): a retreat
    from what they name, no stance."""
    verb = next((t for t in [tok, *list(tok.ancestors)[:4]] if t.pos_ in ("VERB", "AUX")), None)
    return verb is not None and any(
        c.i > verb.i and c.dep_ in ("prt", "advmod", "prep") and f"{verb.lemma_.lower()} {c.lower_}" in WORDS.retreats
        for c in verb.children)


def not_put_forward(tok: Token) -> bool:
    """'would not seek a recount', 'did not call for a ban': not asking for something is no stance against it
    ("does not want the wall" is: wanting is no putting forward)."""
    low = tok.lemma_.lower()
    return low in WORDS.propose_cues and low != "want" and _negated(tok)


def _in_a_question(tok: Token) -> bool:
    """Is ``tok`` in a sentence that asks (it ends with "?", quotation marks aside), not one that goes on to quote
    a question ("Trump did support the idea ..., and NBC News has proof: “Should there be ...?”")?"""
    after = [t for t in tok.doc[tok.i + 1 : tok.sent.end] if not t.is_space]
    ends = [t for t in after if not t.is_quote]
    return bool(ends) and ends[-1].text == "?" and not any(t.text == ":" or (t.is_quote and t.is_left_punct)
                                                           for t in after)


def on_condition_of_change(tok: Token) -> bool:
    """'would back the draft if the minimum release were raised', 'could support it only if small farms were
    exempted', 'would vote for it only if the state kept a veto': support on condition that the proposal change,
    or on any condition set with "only if" or "unless", is a call to revise it."""
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            if c.lemma_.lower() in WORDS.condition_changes or _only_if(c):
                return True
        if _as_long_as(c):
            return True
    return False


def _as_long_as(c: Token) -> bool:
    """'supported the sale as long as the buyer kept serving its plant': "long" with an "as" clause on it."""
    return c.dep_ == "advmod" and c.lower_ == "long" and any(a.lower_ == "as" and a.dep_ == "advmod" for a in c.children) \
        and any(g.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in g.children) for g in c.children)


def _only_if(clause: Token) -> bool:
    """'only if the state kept a veto', 'unless ...': a condition the support hangs on, whatever it asks."""
    return any(m.lower_ == "unless" or (m.lower_ == "only" and m.dep_ == "advmod") for m in clause.children)


def reservation(tok: Token) -> Stance | None:
    """Support with a reservation joined by "but": "would support the draft but wanted changes to it" seeks a
    revision, "would back the law but was worried about its cost" or "... but could not endorse" is mixed; None
    without one."""
    if not any(c.dep_ == "cc" and c.lower_ in ("but", "yet") for c in tok.children):
        return None
    for c in tok.children:
        if c.dep_ != "conj" or c.i < tok.i:
            continue
        if c.lemma_.lower() in WORDS.asking and any(_asked(o) for o in c.children):
            return Stance.SEEK_REVISION  # "but wanted changes", "but wants the limit raised", "but asked that ...",
            # "but called for it to cover secondhand sales as well"
        if c.lemma_.lower() in WORDS.misgivings or any(
                a.dep_ in ("acomp", "dobj") and a.lemma_.lower() in WORDS.misgivings for a in c.children):
            return Stance.MIXED
        if c.lemma_.lower() in WORDS.support and _negated(c):
            return Stance.MIXED  # "backed the framework but could not endorse a law that ..."
        if _not_far_enough(c) or any(g.dep_ == "ccomp" and (_not_far_enough(g) or _too_little(g) or _ought(g))
                                     for g in c.children):
            return Stance.SEEK_REVISION  # "welcomed the bill but said it did not go far enough", "... three years
            # was too short", "... but said the stake should be sold in an open auction"
    return None


def _asked_in_reservation(verb: Token) -> bool:
    """Is ``verb`` the asking of a reservation on a support ("backed the bill but called for ...")?"""
    head = verb.head
    return verb.dep_ == "conj" and verb.lemma_.lower() in WORDS.asking and head.lemma_.lower() in WORDS.support \
        and reservation(head) is Stance.SEEK_REVISION


def _asked(o: Token) -> bool:
    """What an asking verb asks for: an object or a clause ("wanted changes", "asked that ..."), or "for" with
    what is called for ("called for changes to its penalties", "called for it to cover contractors")."""
    return o.dep_ in ("dobj", "xcomp", "ccomp") or (o.dep_ == "prep" and o.lower_ == "for") or (
        o.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in o.children))


def _too_little(verb: Token) -> bool:
    """'three years was too short', 'the package is far too narrow': less of the proposal than is wanted."""
    return any(c.dep_ == "acomp" and c.lemma_.lower() in WORDS.too_little
               and any(a.lower_ == "too" for a in c.subtree) for c in verb.children)


def _ought(verb: Token) -> bool:
    """'the stake should be sold at auction', 'it must cover imports too', "... was too high and the cap should
    cover the whole country": how the proposal ought to be."""
    return any(c.dep_ == "aux" and c.lower_ in WORDS.obliging for v in (verb, *verb.conjuncts) for c in v.children)


def _not_far_enough(verb: Token) -> bool:
    """'did not go far enough': more of the proposal is wanted."""
    return verb.lemma_.lower() == "go" and _negated(verb) and any(
        c.lower_ == "enough" and any(g.lower_ == "far" for g in c.children) for c in verb.children)


def qualified_support(tok: Token) -> Stance:
    """What a support stated at ``tok`` amounts to: a revision sought when it hangs on a condition (a change to the
    proposal, "only if" anything, "conditioned its support on ..."), else what a reservation after "but" makes of
    it, else support."""
    if on_condition_of_change(tok) or _conditioned(tok):
        return Stance.SEEK_REVISION
    return reservation(tok) or Stance.SUPPORT


def _conditioned(tok: Token) -> bool:
    """Support made to hang on a condition: "conditioned its support for the extension on ...", "tied its backing
    for the bill to ..."."""
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in _STANCE_NOUNS and tok.dep_ == "dobj" \
        and tok.head.lemma_.lower() in WORDS.conditioning


def _undone(tok: Token) -> bool:
    """'fees to be frozen', 'the levy to be scrapped': a proposal with a passive infinitive of undoing hung on it
    (not "families of those who have been killed")."""
    return tok.lemma_.lower() in WORDS.proposal_nouns and any(
        c.dep_ in ("relcl", "acl") and c.lemma_.lower() in WORDS.undo and any(a.dep_ == "auxpass" for a in c.children)
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in tok.children)


def _asked_to_do_otherwise(tok: Token) -> Token | None:
    """The proposal a clause asked for has as its subject ("called for the package to cover contractors", "for it
    to cover contractors": the package, or the proposal "it" stands for), when it asks a proposal to act; not "for
    wages to rise", no proposal referred to."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() in WORDS.undo:
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    if subj.lower_ == "it":  # the proposal named earlier in the sentence ("said the package was welcome ... and
        # called for it to ..."), else the one named last before it
        same = [t for t in tok.sent if t.i < subj.i and t.pos_ == "NOUN" and t.lemma_.lower() in WORDS.proposal_nouns]
        return same[-1] if same else _latest_proposal(subj)
    return subj if subj.pos_ == "NOUN" and subj.lemma_.lower() in WORDS.proposal_nouns \
        and _definite_reference(subj) else None


def _proposes_it(clause: Token, proposal: Token) -> bool:
    """Does a clause put forward for the proposal's own subject what the proposal does ("proposed that wages rise
    by 4.5 percent" where the wage rise is at issue), rather than undo or replace it ("proposed that the permit be
    replaced", "proposed that instead of a suspension ...")?"""
    subj = subject_child(clause, tuple(_SUBJECTS))
    return subj is not None and subj.lemma_.lower() == proposal.lemma_.lower() \
        and clause.lemma_.lower() not in WORDS.undo | {"replace", "substitute"} \
        and not any(t.lower_ == "instead" for t in clause.subtree)


def _describes(tok: Token) -> bool:
    """'the records offered for sale', 'a bill sent to the Senate': a past participle on a noun, with no agent,
    says what the noun is; nobody takes a position by it. With an auxiliary ("Iraq's electricity ministry has
    signed a contract", which the parser hung on the noun) it is the noun's own act."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and not any(c.dep_ in ("agent", "aux") for c in tok.children)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in tok.children)


def _flip(stance: Stance) -> Stance:
    return {Stance.SUPPORT: Stance.OPPOSE, Stance.OPPOSE: Stance.SUPPORT, Stance.REJECT: Stance.SUPPORT}.get(
        stance, stance)


_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# first words of a source that names nobody in particular, or nobody ("None of the major candidates")
_NOBODY = frozenset({"none", "no", "neither", "some", "many", "most", "few", "several", "other", "others"})


_GOVERNMENT_WORDS = frozenset(lexicons.CABINET_HEADS) | {"government"}


def _word_starts(doc: Doc, span) -> list[int]:
    """The character offsets where the words of a span start."""
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    return [t.idx for t in words] if words is not None else [span.start]


class _Article:
    """What the finder needs of one article: names, speakers by position, proposals named so far."""

    def __init__(self, doc: Doc, attributions: Sequence[Attribution], names: Names) -> None:
        self.doc, self.names = doc, names
        self.voices = [(min(s.start for s in (*a.cue, *a.content)), max(s.end for s in (*a.cue, *a.content)),
                        names.name(a.speaker.name) if a.speaker and a.speaker.name else None)
                       for a in attributions if a.cue]
        self.quotes = [(c.start, c.end, names.name(a.speaker.name) if a.speaker and a.speaker.name else "")
                       for a in attributions for c in a.content if a.kind.value in ("direct", "mixed")]
        self.people = {names.name(a.speaker.name) for a in attributions
                       if a.speaker and a.speaker.name and a.speaker.type == "PERSON"}
        # sources the extractor typed a body though the tagger took the name for a person ("Lusagro Quimica, the
        # Setubal-based company, said it would ...")
        self.bodies = {names.name(a.speaker.name) for a in attributions
                       if a.speaker and a.speaker.name and a.speaker.type == "ORG"}
        # where each word of a cue starts ("also proposed": the verb too, not only the cue's first word)
        self.cue_starts = {i for a in attributions for s in a.cue for i in _word_starts(doc, s)}
        # who each cue's attribution names as its source, resolved ("It asked the government to ...": the body)
        self.cue_speakers = {i: names.name(a.speaker.name) for a in attributions for s in a.cue
                             for i in _word_starts(doc, s) if a.speaker and a.speaker.name}
        # each person's gender where the extractor resolved "he" or "she" to them ("She has proposed ...")
        self.genders = {names.name(a.speaker.name): _PRONOUN_GENDER[a.speaker.mention.lower()]
                        for a in attributions if a.speaker and a.speaker.name and a.speaker.type == "PERSON"
                        and (a.speaker.mention or "").lower() in _PRONOUN_GENDER}
        # the resolved speaker of each source span ("The main opposition candidate ... demanded a recount,
        # accusing ...": the candidate the extractor named), where it is named or a group the words say more of
        # than its noun (not "Some candidates", nobody in particular)
        self.source_speakers = [(s.start, s.end, names.name(a.speaker.name)) for a in attributions for s in a.source
                                if a.speaker and a.speaker.name and (a.speaker.type in _NAMED_TYPES or (
                                    a.speaker.type == "GROUP" and len(a.speaker.name.split()) > 1))]
        # whether a source's resolved speaker may name the party (:meth:`_source_speaker`): only for a proposal a
        # noun names; "The Vermont senator ... vowing to compete in the final primary" proposes nothing
        self.sources_may_name = True
        self.named: list[tuple[int, str, str]] = []  # (token index, head lemma, full name) of proposals
        self.proposed: list[tuple[int, str, str]] = []  # (token index, party, proposal name) put forward

    def speaker_at(self, tok: Token) -> str | None:
        inside = [(e - s, who) for s, e, who in self.voices if s <= tok.idx < e and who and _named(who)
                  and not (who[:1].islower() and len(who.split()) > _LONGEST_DESCRIPTION)]
        # (not "rhetoric of Republican presidential candidates blasting President Obama's approach to ...")
        return min(inside)[1] if inside else None

    def _quoted_speaker(self, tok: Token) -> str | None:
        """The speaker of the innermost direct quote around ``tok``."""
        inside = [(e - s, who) for s, e, who in self.quotes if s <= tok.idx < e and who]
        return min(inside)[1] if inside else None

    def parties(self, p: StancePattern, nodes: dict[str, Token]) -> list[str]:
        """The party, or each of several named together ("Ms. Cole and Mr. Roy sent the referral")."""
        tok = self._party_token(p, nodes)
        if tok is None:
            party = self.party(p, nodes)
            return [party] if party else []
        out = []
        for t in (tok, *(c for c in tok.conjuncts if c.pos_ == "PROPN" or c.ent_type_ in _NAMES)):
            party = self.party_of(t)
            if party and party not in out:
                out.append(party)
        return out

    def _party_token(self, p: StancePattern, nodes: dict[str, Token]) -> Token | None:
        """The words that name the party, where they do (not the speaker's)."""
        if p.party_from == "speaker":
            return None
        tok = nodes.get("party")
        if tok is None and "noun" in nodes:
            tok = _owner(nodes["noun"])
        if tok is None and "noun" not in nodes:
            anchor = nodes.get("verb")
            tok = _subject(anchor) if anchor is not None else None
            if tok is not None and tok.i == nodes["proposal"].i:
                tok = None
        return tok

    def party(self, p: StancePattern, nodes: dict[str, Token]) -> str | None:
        at = nodes.get("verb") or nodes.get("noun") or nodes["proposal"]
        if p.party_from == "speaker":
            return self.speaker_at(at)
        tok = nodes.get("party")
        if tok is None and "noun" in nodes:  # "focused on her support for the bill": hers, whoever focuses
            tok = _owner(nodes["noun"])
        if tok is None:
            anchor = nodes.get("verb") or nodes.get("noun")
            if "verb" not in nodes and anchor is not None and anchor.dep_ == "dobj" and anchor.head.pos_ == "VERB":
                anchor = anchor.head  # "has signalled opposition to the bill": the one who signalled it
            tok = _subject(anchor) if anchor is not None else None
            if tok is not None and tok.i == nodes["proposal"].i:
                tok = None  # "the merger was dangerous": the judge is whoever says so
            if tok is None and "noun" in nodes:
                tok = next((c for c in nodes["noun"].children if c.dep_ == "poss"), None)
                if tok is None:
                    return None  # "in support of the policy": whose support, the words do not say
        if tok is None:
            return self.speaker_at(at)
        return self.party_of(tok)

    def party_of(self, tok: Token) -> str | None:
        if tok.dep_ in ("nsubj", "nsubjpass"):
            tok = past_dateline(tok)  # "LIMA, June 3 (Wire) - Peru's Ministry of Energy ... granted": the ministry
            if in_dateline(tok.doc, tok.i):
                return None  # ... also where the parser made the dateline's place a second subject of its own
        low = tok.lower_
        if tok.pos_ == "NOUN" and low in WORDS.proposal_nouns and low not in SPEAKER_ROLE_NOUNS:
            return None  # "Her tax proposals offer a stark alternative": a proposal holds no position (a nominee may)
        if low in _RELATIVES and tok.head.dep_ == "relcl":
            tok, low = tok.head.head, tok.head.head.lower_  # "Trump, who pledged to ...": Trump
            person = _person_before_body(tok)
            if person is not None:
                tok, low = person, person.lower_  # "Senator Valeria Sosa of the Federal Front, who abstained"
        if tok.head.dep_ == "relcl" and any(c.dep_ == "poss" and c.lower_ == "whose" for c in tok.children):
            return self.party_of(tok.head.head)  # "the Alliance, whose deputies voted against": the Alliance
        members = self._members_of(tok)
        if members is not None:
            return members  # "The National Unity Party said its members would vote against the plan"
        own = self._own_speaker(tok)
        if own is not None:
            return own  # "Tello said his group would vote against the measure": Tello
        # (the reported clause hangs on a cue of the article's)
        spoken_for = self.names.body_spoken_for(tok, self.speaker_at(tok)) \
            if tok.head.head.idx in self.cue_starts else None
        if spoken_for is not None:
            return spoken_for  # "its spokesman, X, said ... He said the group liked ...": the body X speaks for
        if low in _FIRST_PERSON:
            # "our debate invitation" in a quote is its speaker's, though it tells what another did ("... is
            # disappointed that Secretary Clinton has declined our debate invitation," Sammon said)
            speaker = self._quoted_speaker(tok) or self.speaker_at(tok)
            if speaker and low in _WE:  # "our invitation" in the words of the network's editor: the network's
                return self.names.affiliation(speaker) or speaker
            return speaker
        if low == "they" and tok.dep_ == "nsubj" and tok.head.idx in self.cue_speakers:
            return self.cue_speakers[tok.head.idx]  # "They urged the council to ...": the source of that cue
        if low == "they" and tok.dep_ in ("nsubj", "nsubjpass"):
            # "Republican leaders said they would oppose the bill": the ones who said it, not "that both
            # governments have said they want" inside an analyst's words
            sayer = subject_child(tok.head.head) if tok.head.dep_ == "ccomp" else None
            return self.party_of(sayer) if sayer is not None and sayer.lower_ not in _PRONOUNS else None
        if low == "it" and tok.dep_ in ("nsubj", "nsubjpass"):  # "the union said it opposed the merger"
            # "It asked the government to delay ...": the source the extractor resolved for that cue
            speaker = self.cue_speakers.get(tok.head.idx) or self.speaker_at(tok)
            return speaker if speaker and (speaker in self.bodies or not self.names.is_person(speaker)) else None
        if low in _THIRD_PERSON:
            gender = _PRONOUN_GENDER[low]
            resolved = self.cue_speakers.get(tok.head.idx) if tok.dep_ in ("nsubj", "nsubjpass") else None
            if resolved and resolved in self.people and self._agrees(resolved, gender):
                return resolved  # "She has proposed ...": the person the extractor resolved the cue's source to
            named = [t for t in tok.sent if t.i < tok.i and t.dep_ != "compound"
                     and (t.ent_type_ == "PERSON" or (self.names.known(t) and self.names.is_person(t.text)))
                     and self._agrees(self.names.of_token(t), gender)]
            if named:  # "focused on Sanders' vote ..., as well as his support": the person just named
                return self.names.of_token(named[-1])
            quoted = next((who for s, e, who in self.quotes if s <= tok.idx < e), None)
            if quoted is not None:  # "he" in someone's quote is someone else
                return self._person_before(tok, gender, quoted or "")
            speaker = self.speaker_at(tok)  # "how his ban would work, Trump said": the speaker
            if speaker and not (self.names.is_person(speaker) and self._agrees(speaker, gender)):
                speaker = None  # "Critics questioned his support": "his" is no group's
            return speaker or self._person_before(tok, gender, "")
        named = self.names.of_token(tok.head) if tok.dep_ == "appos" and tok.head.pos_ == "PROPN" and not (
            tok.ent_type_ or tok.pos_ == "PROPN") else None
        if named:
            return named  # "John Podesta, a former adviser who supported ...": Podesta
        if tok.dep_ in ("attr", "appos", "conj") and not (tok.ent_type_ or tok.pos_ == "PROPN"):
            subject = _subject(tok.head) if tok.head.i != tok.i else None  # "Trump is a ... birther who ...": Trump
            if subject is not None and subject.i != tok.i:
                return self.party_of(subject)
        if (low in _PRONOUNS or low in _RELATIVES or (tok.ent_type_ in _NOT_PARTIES and not body_typed_otherwise(tok))
                or not any(c.isalpha() for c in tok.text) or "=" in tok.text):
            return None
        named = next((c for c in tok.children if c.dep_ == "appos" and (c.pos_ == "PROPN" or c.ent_type_ in _NAMES)),
                     None) if tok.pos_ == "NOUN" else None
        if named is not None:  # "The main opposition party, the Dravida Makkal Munnani (DMM),": the name set off
            return self.party_of(named)
        if group_noun(tok):
            body = members_body(tok)
            if body is not None and body.pos_ == "PROPN":  # "The Highlands and Islands Party's eight members"
                written = " ".join(t.text for t in body.subtree if t.dep_ not in ("det", "case"))
                return self.names.name(written) or written
            if body is not None:  # "Leaders of Ecuador's largest banana workers' federation"
                return self.party_of(body)
            # "Business groups threw their weight behind the deal" (no name, though a capital opens it); "Members
            # welcomed it": nobody in particular
            return unnamed_group(tok)
        name = self.names.of_token(tok)
        if name is None and tok.pos_ == "NOUN":
            # "The British capital's new mayor ... rejected the offer": the person the extractor resolved that
            # source to (Sadiq Khan), before the description's own words
            name = self._source_speaker(tok)
        if name is None and any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                                for t in tok.subtree if t.i <= tok.i):
            # "fellow GOP presidential hopefuls", not "Supporters"; one name for a country's body however written
            # ("Ireland's government" is the "Irish government" the speaker resolver names)
            written = _np(tok)
            name = self.names.name(written) or written
        if not (name and _named(name)) and tok.pos_ == "NOUN":
            name = self._source_speaker(tok) or self._dateline_government(tok)
        return name if name and _named(name) else None

    def _agrees(self, name: str | None, gender: str) -> bool:
        """Whether a person may be "he" (``m``) or "she" (``f``): the pronoun the extractor resolved to them in
        this article, else their given name, says otherwise only when it is the other gender."""
        known = self.genders.get(name or "") or lexicons.given_name_gender(name or "")
        return known is None or known == gender

    def _person_before(self, tok: Token, gender: str, exclude: str) -> str | None:
        """The latest person named before ``tok`` who is not ``exclude`` and may be its pronoun."""
        return self.names.person_before(self.doc, tok.i, exclude, lambda name: self._agrees(name, gender))

    def _dateline_government(self, tok: Token) -> str | None:
        """"the cabinet", "the government" (with "the") in an article whose dateline places it in a country, the
        article naming no government: that country's government ("KAMPALA, Aug 4 (Wire) - ... the minister said
        the cabinet had backed the crackdown": the Ugandan government)."""
        if tok.lemma_.lower() not in _GOVERNMENT_WORDS or tok.dep_ not in ("nsubj", "nsubjpass") \
                or [c.lower_ for c in tok.children] != ["the"]:
            return None  # not "the regional government of Aragon", nor "the government's own invitation"
        country = dateline_country(self.doc)
        return self.names.name(f"{country}'s {tok.lower_}") if country else None

    def _source_speaker(self, tok: Token) -> str | None:
        """The speaker the extractor resolved for a source whose head is ``tok`` (a description the article
        names elsewhere: "The main opposition candidate ... demanded a recount, accusing officials of ...")."""
        if not self.sources_may_name:
            return None
        for start, end, who in self.source_speakers:
            if start <= tok.idx < end and not (start <= tok.head.idx < end) and who and _named(who) \
                    and who.split()[0].lower() not in _NOBODY:
                return who
        return None

    def _members_of(self, tok: Token) -> str | None:
        """The body whose members act as the subject of what the body's own statement reports ("The National Unity
        Party said its members would vote against the plan"): that body. A person's "his members", "her six
        councillors" stay the person's, as "his group" does (:meth:`_own_speaker`)."""
        if tok.lower_ not in WORDS.members or tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ != "ccomp" \
                or tok.head.head.idx not in self.cue_starts \
                or not any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tok.children):
            return None
        speaker = self.speaker_at(tok)
        return speaker if speaker is not None and not self.names.is_person(speaker) else None

    def _own_speaker(self, tok: Token) -> str | None:
        """The person whose own body ``tok`` is in their reported words: "his group" as the subject of what the
        cue right above it reports ("Tello said his group would vote ..."), not someone else's ("He said Obama
        hopes that his successor will ...")."""
        clause = tok.head
        if tok.pos_ != "NOUN" or tok.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ != "ccomp" \
                or clause.head.idx not in self.cue_starts \
                or not any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in tok.children):
            return None
        speaker = self.speaker_at(tok)
        return speaker if speaker in self.people else None

    def proposal(self, tok: Token, skip: frozenset[int] = frozenset()) -> tuple[str, str]:
        """The proposal's name and key; a bare "the plan" is the latest plan named in full before it."""
        if tok.pos_ == "VERB":  # "pushing for her city to ban plastic bags": "ban plastic bags", the verb on
            # ... but a clause after "that" whole: "proposed that ferry fares rise by 10 percent"
            mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ == "that"), None)
            first = mark.i + 1 if mark is not None else tok.i
            words = [t for t in tok.subtree if t.i >= first and not t.is_punct][:14]
            name = " ".join(t.text for t in words)
            return name, parties.key(name)
        mods = [t for t in tok.subtree if t.i == tok.i or (t.i < tok.i and t.dep_ in (
            "compound", "amod", "nummod", "npadvmod") and not _owned(t, tok))]
        after = [t for c in tok.children if c.dep_ in ("prep", "acl", "relcl") and c.i > tok.i and c.i not in skip
                 and not _court_venue(c) for t in list(c.subtree)[:8]]
        bare = len(mods) == 1 and not after
        if bare:
            lemma = tok.lemma_.lower()
            same = [n for i, named_as, n in self.named if i < tok.i and named_as == lemma]
            if not same and lemma in _ANY_PROPOSAL and _definite_reference(tok):
                # "a bill that would require utilities to bury power lines. The measure is opposed by ..."
                same = [n for i, _, n in self.named if i < tok.i]
            if same:
                return same[-1], parties.key(same[-1])
        name = " ".join(t.text for t in sorted(mods + after, key=lambda t: t.i) if not t.is_punct)
        if not bare:
            self.named.append((tok.i, tok.lemma_.lower(), name))
        return name, parties.key(name)


# Bare nouns that may name any proposal named in full before ("the measure" after "a bill that would ...").
_ANY_PROPOSAL = GENERIC_HEADS | {"measure", "legislation"}


def _definite_reference(tok: Token) -> bool:
    """"the measure", "this proposal": one proposal referred back to, not "his plan" or "Mr. Obama's plans" (a
    proposal of their own) nor plural "the proposals"."""
    return tok.tag_ == "NN" and not any(c.dep_ == "poss" for c in tok.children) and any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)


def _owned(t: Token, head: Token) -> bool:
    """Is ``t`` inside a possessor of ``head`` ("Donald" in "Donald Trump's proposal")?"""
    while t.i != head.i and t.head.i != t.i:
        if t.dep_ == "poss":
            return True
        t = t.head
    return False


def _person_before_body(tok: Token) -> Token | None:
    """The person a body is named after: "Sosa" in "Senator Valeria Sosa of the Federal Front" (a relative
    clause after it is the person's, though the parser hangs it on the nearer name)."""
    prep = tok.head if tok.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in ("of", "from") and prep.head.ent_type_ == "PERSON" and prep.head.i < tok.i:
        return prep.head
    return None


def _owner(noun: Token) -> Token | None:
    """Whose support (a stance noun's possessor): "its" in "The association conditioned its support on ..." or
    "made its support conditional" is the association, the subject of the verb the noun is an argument of."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None or owner.lower_ not in ("its", "their") or noun.dep_ not in ("dobj", "nsubj"):
        return owner
    verb = noun.head if noun.dep_ == "dobj" else noun.head.head  # "made its support conditional": made
    subject = subject_child(verb, tuple(_SUBJECTS)) if verb.pos_ in ("VERB", "AUX") else None
    return subject if subject is not None and subject.i != noun.i else owner


def _subject(tok: Token) -> Token | None:
    """The subject of a verb, climbing through 'pledged to ban', 'urged ... to amend' and conjuncts; not across
    a paragraph break (:func:`_within_paragraph`)."""
    subj = _climbed_subject(tok)
    return _within_paragraph(subj, tok) if subj is not None else None


def _within_paragraph(subj: Token, verb: Token) -> Token | None:
    """A subject the parser found in the paragraph before the verb's, when it ran two paragraphs into one sentence
    ("... welcomed the plan." ⏎⏎ "The Patients' Forum, a charity, asked that ...": the forum asked, not the
    one who welcomed): the noun phrase that opens the verb's paragraph before it, else none."""
    lo, hi = sorted((subj.i, verb.i))
    breaks = [t.i for t in subj.doc[lo:hi] if t.is_space and t.text.count("\n") >= 2]
    if not breaks:
        return subj
    if subj.i > verb.i:
        return None
    start = breaks[-1] + 1
    return next((t for t in subj.doc[start:verb.i] if t.pos_ in ("NOUN", "PROPN", "PRON")
                 and not start <= t.head.i <= verb.i), None)


_FINITE = frozenset({"VBD", "VBZ", "VBP"})  # tags of a finite verb, which no noun's reduced clause has


def _climbed_subject(tok: Token) -> Token | None:
    for _ in range(4):
        subj = subject_child(tok, tuple(_SUBJECTS))
        if subj is not None:
            return subj
        if tok.dep_ == "acl" and tok.tag_ in _FINITE and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "Its president, X, called the cut reckless and urged ...": a finite verb the parser
            # hung on its subject as a clause of it
        owner = next((c for c in tok.head.children if c.dep_ == "poss"), None) if tok.dep_ == "acl" else None
        if owner is not None:
            return owner  # "her work to kill a proposal": hers
        if tok.dep_ == "pcomp" and tok.head.lower_ == "for":
            doer = next((c for c in tok.head.head.children if c.dep_ == "dobj"), None)
            if doer is not None:
                return doer  # "criticized Obama for proposing ...": Obama proposed
        if tok.dep_ == "conj" and _joined_to_a_proposal_s_deed(tok):
            tok = tok.head.head  # "said the ban punished fishers and proposed instead ...": the one who said it
        elif tok.dep_ in ("xcomp", "conj", "advcl", "pcomp") and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.head is not tok.head:
            tok = tok.head.head
        else:
            return None
    return None


def _joined_to_a_proposal_s_deed(tok: Token) -> bool:
    """Did the parser join a verb to what a reported proposal does, where a party's own act was meant ("said the
    ban punished fishers and proposed instead ...": "proposed" hangs on "punished", whose subject is the ban)?"""
    head = tok.head
    subj = subject_child(head, tuple(_SUBJECTS)) if head.dep_ == "ccomp" and head.head is not head else None
    return subj is not None and tok.lemma_.lower() in WORDS.propose_cues and (
        subj.lemma_.lower() in WORDS.proposal_nouns or _names_no_one(subj))


def _names_no_one(tok: Token) -> bool:
    """A common noun that names no one who could act ("said unemployment could rise ... and urged Warsaw to
    delay the timetable": unemployment urges nothing): no entity, no people, group, member or body noun."""
    lemma = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and not tok.ent_type_ and lemma not in _ACTORS and lemma not in SPEAKER_ROLE_NOUNS


_GROUP_HEADS = WORDS.unnamed_groups | lexicons.PEOPLE_NOUNS | lexicons.CIVIL_BODY_WORDS
_QUANTIFIERS = {"some", "many", "most", "all", "several", "few", "other", "both", "these", "those", "such"}
_ACTORS = (_GROUP_HEADS | WORDS.own_bodies | WORDS.members | lexicons.PERSON_ROLE_NOUNS | lexicons.INSTITUTION_HEADS
           | lexicons.ORGANISATION_NOUNS)
_LONGEST_DESCRIPTION = 8  # words of a speaker described, not named, that can be a party ("residents of ...")
_LEADERS = {"leader", "official", "representative", "delegate"}
_SINGULAR_DETERMINERS = {"a", "an", "this", "that", "every", "each", "another"}
_GROUP_PLACES = {"of", "from", "in", "at", "outside", "across", "near", "on"}


def unnamed_group(tok: Token) -> str | None:
    """A group that takes a position without a name, in the article's words: "Business groups threw their weight
    behind the deal", "Residents of Luderitz marched against the ban", "Farmers protested"; not "Members" or
    "People" with nothing to say whose."""
    if not group_noun(tok) or in_dateline(tok.doc, tok.i) or any(
            c.dep_ == "det" and c.lower_ in _SINGULAR_DETERMINERS for c in tok.children):
        return None  # "a claim hospital doctors called ...": a plural with "a" is a parse gone wrong
    words = [w for left in tok.lefts for w in left.subtree if _describes_group(w, tok)] + [tok]
    prep = next(tok.rights, None)  # "residents of Luderitz", "app drivers in Casablanca"
    place = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if place is not None and prep.dep_ == "prep" and prep.lower_ in _GROUP_PLACES \
            and place.right_edge.i - prep.i <= 6 and not any(t.dep_ in ("relcl", "acl") for t in place.subtree):
        words += [t for t in prep.subtree if not t.is_punct]
    if len(words) == 1 and tok.lemma_.lower() in WORDS.need_a_modifier:
        return None
    return " ".join(t.text for t in words).replace(" 's", "'s").replace(" '", "'")


def _describes_group(t: Token, head: Token) -> bool:
    """A word of the group's own description: a modifier, a possessor (not "its", "their"), all the way up to the
    head ("international press freedom groups", "Patients' groups"); no article or quantity ("the", "some")."""
    if t.dep_ in ("det", "predet") or t.lower_ in _QUANTIFIERS or t.lower_ in _PRONOUNS or (
            t.is_punct and t.dep_ != "case"):
        return False
    while t.i != head.i:
        if t.dep_ not in ("compound", "amod", "nmod", "nummod", "poss", "case"):
            return False
        t = t.head
    return True


def members_body(tok: Token) -> Token | None:
    """The body whose members or leaders ``tok`` are: "The Highlands and Islands Party's eight members abstained",
    "Leaders of Ecuador's largest banana workers' federation signed the deal"."""
    if not group_noun(tok) or tok.lemma_.lower() not in WORDS.members | _LEADERS:
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if owner is not None:
        return owner
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    body = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if body is not None and (body.lemma_.lower() in WORDS.own_bodies or body.ent_type_ == "ORG"):
        return body
    return None


def group_noun(tok: Token) -> bool:
    """A plural noun for people or bodies outside any name ("Citizens for Tax Justice" is a name) and not a
    possessor ("victims' stolen documents" are no proposal of the victims)."""
    return tok.tag_ == "NNS" and tok.lemma_.lower() in _GROUP_HEADS and not tok.ent_type_ and tok.dep_ != "poss" \
        and not any(c.dep_ == "poss" and c.lower_ in _PRONOUNS - {"its", "their"} for c in tok.children)
    # ("our members", "his councillors": the speaker's own, read elsewhere)


_NAME_MODIFIERS = ("compound", "amod", "nmod", "nummod", "poss", "case")


def _np(tok: Token) -> str:
    """The noun's name-like words: its modifiers and theirs, never words of a clause or phrase hung on it ("Mrs.
    Clinton, the presumptive Democratic nominee and strong favorite to win ..." is no "presumptive strong")."""
    words = sorted(_modifiers(tok) | {tok}, key=lambda t: t.i)
    # "KUWAIT CITY, Sept 1 (Gulf Standard) - Kuwait's cabinet": not the dateline the parser hung on it
    start = after_dateline(tok.doc, words[0].i, tok.i + 1)
    words = [t for t in words if t.i >= start]
    return " ".join(t.text for t in words).replace(" 's", "'s").replace(" ’s", "’s")


def _modifiers(tok: Token) -> set[Token]:
    found: set[Token] = set()
    for c in tok.children:
        if c.dep_ in _NAME_MODIFIERS:
            found |= {c} | _modifiers(c)
    return found


def find_stances(doc: Doc, attributions: Sequence[Attribution], names: Names,
                 said_on: str | None = None) -> list[PositionMention]:
    """Positions on proposals in one article, one per party and proposal (stances combined)."""
    article = _Article(doc, attributions, names)
    by_id = {p.id: p for p in load_patterns()}
    found: dict[tuple[str, str], list] = {}

    def add(party: str, name: str, key: str, stance: Stance, at: Token, cue: str) -> None:
        span, text = trimmed(text_of(doc), Span(at.sent.start_char, at.sent.end_char))
        found.setdefault((parties.key(party), key), []).append((party, name, stance, span, text, cue))
        if stance is Stance.SUPPORT:
            article.proposed.append((at.i, party, name))

    later = []
    for match_id, token_ids in sorted(matcher(doc.vocab)(doc), key=lambda m: min(m[1])):
        p = by_id[doc.vocab.strings[match_id]]
        nodes = {p.pattern[i]["RIGHT_ID"]: doc[t] for i, t in enumerate(token_ids)}
        if not all(w.holds(nodes) for w in p.without):
            continue
        if p.proposal_from == "of_target":
            later.append((p, nodes))
            continue
        if p.proposal_from in ("latest", "main", "near"):
            matched = nodes.get("proposal") or nodes.get("verb") or nodes["noun"]  # "abstained": the verb alone
            # (the latest named in full; where every mention is bare, "the ban", the one named most; "it": the one
            # named in its sentence or the one before, else none)
            before = _near_proposal(matched) if p.proposal_from == "near" else (
                (_latest_proposal(matched) if p.proposal_from == "latest" else None) or _main_proposal(matched))
            if before is not None:
                # evidence is the sentence of the match ("Sosa, who abstained"), not of the proposal it means
                _read(article, p, {**nodes, "proposal": before}, add, article.proposal(before)[0], at=matched)
            continue
        _read(article, p, nodes, add)
    for tok in doc:  # "Trump's proposed ban", "our debate invitation": the owner put it forward
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in WORDS.proposal_nouns - WORDS.not_proposed_by_owner \
                and not papers(tok) and not retreat(tok):  # "his campaign finance documents" are his papers;
            # "backed off some of his initial proposals" retreats from them
            owner = next((c for c in tok.children if c.dep_ == "poss"), None) if not _quantity(tok) else None
            party = article.party_of(owner) if owner is not None else None
            if party:
                name, key = article.proposal(tok)
                if key and not _names_itself(party, name):
                    add(party, name, key, Stance.SUPPORT, tok, tok.text)
    _counter_amounts(doc, article, add)
    for p, nodes in later:
        target = article.party_of(nodes["target"])
        put = [(i, name) for i, who, name in article.proposed if target and i < nodes["target"].i
               and _same_party(who, target)]
        if put:
            nodes = {**nodes, "proposal": doc[put[-1][0]]}
            _read(article, p, nodes, add, put[-1][1])
    return [_combine(items, said_on) for items in found.values()]


_AMOUNTS = {"MONEY", "PERCENT", "QUANTITY"}


def _amount(tok: Token) -> str | None:
    """The amount a proposal names in its own words: "a $15 minimum wage", "a 25 percent tariff"."""
    for t in tok.lefts:
        for u in t.subtree:
            if u.ent_type_ in _AMOUNTS:
                ent = next(e for e in tok.doc.ents if e.start <= u.i < e.end)
                return "".join(ch for ch in ent.text if ch.isdigit() or ch == ".") or None
    return None


def _counter_amounts(doc: Doc, article: "_Article", add) -> None:
    """Another amount for the same kind of proposal from another party is a counter-proposal: "she would not go
    above a $12 minimum wage" against the "$15 minimum wage" the article is about."""
    by_kind: dict[str, list[tuple[Token, str]]] = {}
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in WORDS.proposal_nouns:
            amount = _amount(tok)
            if amount is not None:
                by_kind.setdefault(tok.lemma_.lower(), []).append((tok, amount))
    for mentions in by_kind.values():
        amounts = Counter(a for _, a in mentions)
        main_amount = max(amounts, key=lambda a: (amounts[a], -next(t.i for t, b in mentions if b == a)))
        main = next(t for t, a in mentions if a == main_amount)  # the amount the article is about
        for tok, amount in mentions:
            if amount != main_amount:
                _counter(article, add, tok, main)


def _counter(article: "_Article", add, tok: Token, main: Token) -> None:
    party = article.speaker_at(tok)
    if not party:
        return
    name, key = article.proposal(main)
    backers = [who for i, who, n in article.proposed if parties.key(n) == key]
    if key and not any(_same_party(party, who) for who in backers):
        add(party, name, key, Stance.COUNTER_PROPOSAL, tok, tok.text)


def _latest_proposal(tok: Token) -> Token | None:
    """The proposal the article named last before ``tok``, in full (not a bare "the plan"): what "called the
    statement outlandish" judges when the statement is the one that put the proposal forward."""
    for t in reversed(tok.doc[:tok.i]):
        if t.pos_ == "NOUN" and t.lemma_.lower() in WORDS.proposal_nouns and not _quantity(t) and any(
                c.dep_ in ("compound", "amod", "poss", "prep", "acl", "nummod") for c in t.children):
            return t
    return None


def _near_proposal(tok: Token) -> Token | None:
    """The proposal "it" stands for: one named in its own sentence before it or in the sentence before ("The
    ministry proposed a ban on lobster fishing. The committee endorsed it"), not one named further back ("There
    was nothing anyone could have done to stop it" is about something else)."""
    sent = tok.sent
    start = tok.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for t in reversed(tok.doc[start:tok.i]):
        if t.pos_ == "NOUN" and t.lemma_.lower() in WORDS.proposal_nouns and t.dep_ != "compound" \
                and not _quantity(t) and not abstract(t):
            return t  # (not a modifier of another noun: "using the tax code ... does not defend it")
    return None


def _main_proposal(tok: Token) -> Token | None:
    """The proposal the article is about, as far as ``tok``: of the proposal nouns before it, the one it names
    most often (the first named on a tie), at its latest mention in full. What an alternative answers ("put
    forward an alternative", "proposed instead a freeze") is that proposal, not whatever was named last."""
    mentions = [t for t in tok.doc[:tok.i] if t.pos_ == "NOUN" and t.lemma_.lower() in WORDS.proposal_nouns
                and not _quantity(t) and not abstract(t)]
    if not mentions:
        return None
    counts = Counter(t.lemma_.lower() for t in mentions)
    lemma = max(counts, key=lambda w: (counts[w], -next(t.i for t in mentions if t.lemma_.lower() == w)))
    same = [t for t in mentions if t.lemma_.lower() == lemma]
    full = [t for t in same if any(c.dep_ in ("compound", "amod", "poss", "prep", "acl", "nummod") for c in t.children)]
    return (full or same)[-1]


def _read(article: _Article, p: StancePattern, nodes: dict[str, Token], add, name: str | None = None,
          at: Token | None = None) -> None:
    stance = _stance(p, nodes)
    if stance is None or _quantity(nodes["proposal"]) or nodes["proposal"].lower_ in _PEOPLE_PRONOUNS \
            or candidacy(nodes["proposal"]) or papers(nodes["proposal"]):
        return  # "wouldn't advocate for them": a pronoun for people or things the words do not name; "will
        # support the Republican nominee": a candidate, no proposal
    if nodes["proposal"].lower_ == "it" and stands_for_a_clause(nodes["proposal"]):
        return  # "said it was great to be home": no proposal the article named
    if nodes["proposal"].pos_ == "VERB" and nodes["proposal"].lemma_.lower() in WORDS.oppose | WORDS.reject:
        return  # "vowed to fight the bill" opposes the bill (its own pattern), it proposes no fight
    verb = nodes.get("verb")
    if verb is not None and nominates_a_candidate(verb):
        return  # "the GOP nominated Richard Nixon": a candidate, no proposal
    if stance is Stance.SUPPORT and nodes["proposal"].pos_ == "VERB" and (
            any(t.lower_ == "instead" for t in nodes["proposal"].subtree)
            or (verb is not None and any(c.lower_ == "instead" for c in verb.children))):
        return  # "called for the money to be spent instead on ...", "proposed instead that ...": a counter-proposal
        # (its own pattern)
    if stance is Stance.SUPPORT and verb is not None and verb.lemma_.lower() in WORDS.propose_cues \
            and electoral_act(nodes["proposal"]):
        return  # "vowing to compete in the final primary": conduct in the race, no proposal
    if stance is Stance.SUPPORT and _counter_proposal_noun(nodes["proposal"]):
        return  # "had offered a counter-proposal": the proposal reader's counter-proposal, no support of what
        # it answers
    if stance is Stance.SUPPORT and verb is not None and verb.lemma_.lower() in WORDS.propose_cues \
            and _in_court(verb, nodes["proposal"]):
        return  # "would seek a judicial review in the High Court": an action against something (its own
        # pattern), no proposal of the party's
    revised = _asked_to_do_otherwise(nodes["proposal"]) if stance is Stance.SUPPORT and verb is not None \
        and verb.lemma_.lower() in WORDS.asking else None
    if revised is not None:  # "called for it to cover contractors too": a revision of the package, no proposal
        stance, nodes = Stance.SEEK_REVISION, {**nodes, "proposal": revised}
    if stance is Stance.COUNTER_PROPOSAL and "what" in nodes and _proposes_it(nodes["what"], nodes["proposal"]):
        return  # "The government has proposed that wages rise by 4.5 percent": the proposal itself, no counter
    anchor = nodes.get("verb") or nodes.get("noun")
    if anchor is not None and (hypothetical(anchor) or _describes(anchor) or retreat(anchor)
                               or not_put_forward(anchor)):
        return
    if stance is Stance.SUPPORT and anchor is not None and _asked_in_reservation(anchor):
        return  # "backed the bill but called for changes to its penalties": a revision of the bill (the backing's
        # reservation), no proposal of the party's
    if anchor is not None and _negated(anchor):
        stance = _flip(stance)
    elif stance is Stance.SUPPORT and _undone(nodes["proposal"]):
        stance = Stance.OPPOSE  # "calling for fees to be frozen": what is asked for is its undoing
    elif anchor is not None and stance is Stance.SUPPORT:
        stance = qualified_support(anchor)
    article.sources_may_name = nodes["proposal"].pos_ == "NOUN"
    try:
        who = article.parties(p, nodes)
    finally:
        article.sources_may_name = True  # every other reading of a party may use them
    if p.party_from == "organisation":
        who = [w for w in who if not article.names.is_person(w) and gazetteer.country_of(w) is None]
    if not who:
        return
    if name is None:
        name, key = article.proposal(nodes["proposal"], frozenset(t.i for t in nodes.values()))
    else:
        key = parties.key(name)
    for party in who:
        if key and not _names_itself(party, name):
            add(party, name, key, stance, at or nodes["proposal"], (anchor or nodes["proposal"]).text)


def _counter_proposal_noun(tok: Token) -> bool:
    """"counterproposal", or "counter-proposal" as the tokenizer splits it ("counter", "-", "proposal")."""
    return tok.lower_ in ("counterproposal", "counter-proposal") or (
        tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "counter")


def _names_itself(party: str, proposal: str) -> bool:
    """Is the proposal named after the party (the parser made the proposal's words a party)? By its key, or, for
    a party written like a person's name, by the last word ("Obama's Trans-Pacific Partnership"); not a group
    named by a place the proposal names too ("Residents of Luderitz" on a ban "around Luderitz")."""
    words = party.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return _same_party(party, proposal)
    return parties.key(party) == parties.key(proposal)


def _in_court(verb: Token, sought: Token) -> bool:
    """Whether what ``verb`` seeks is sought in or before a court ("file a challenge before the Constitutional
    Court", "seek a review in the High Court")."""
    return any(_court_venue(c) for c in (*verb.children, *sought.children))


def _court_venue(prep: Token) -> bool:
    """"in court", "before the High Court": where a party takes a proposal, no part of its name."""
    return prep.dep_ == "prep" and prep.lower_ in ("in", "before") and any(
        g.dep_ == "pobj" and g.lower_ in WORDS.courts for g in prep.children)


def _combine(items: list, said_on: str | None) -> PositionMention:
    stances = {i[2] for i in items}
    if Stance.COUNTER_PROPOSAL in stances:
        stance = Stance.COUNTER_PROPOSAL
    elif Stance.SUPPORT in stances and stances & {Stance.OPPOSE, Stance.REJECT}:
        stance = Stance.MIXED
    elif Stance.SEEK_REVISION in stances:
        stance = Stance.SEEK_REVISION
    else:
        stance = items[0][2]
    party, name, _, span, text, cue = next(i for i in items if i[2] is stance or stance is Stance.MIXED)
    return PositionMention(party, name, parties.key(name), stance, span, text, cue, said_on)

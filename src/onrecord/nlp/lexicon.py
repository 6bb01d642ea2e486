"""The lexicon of attribution cues: the one place where cue words live.

Lemmas, lower case.  The sets are used as rule cues and as features of the
learned taggers, and by the claims module to tell assertions from disputes.
The lists started from the most frequent cues in PolNeAR train and from common
newsroom usage; adding a word here changes rules and features together.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# Verbs of saying, writing and reporting.
SPEECH_VERBS = frozenset(
    """
    say tell add write ask note report announce suggest tweet describe argue explain
    declare claim insist warn state reply respond answer remark comment mention observe
    stress emphasize emphasise reiterate repeat recall acknowledge admit concede confirm
    deny dismiss dispute reject refute counter contradict rebut challenge question
    accuse blame charge allege criticize criticise condemn denounce decry slam blast
    praise thank hail applaud welcome endorse back support oppose urge call demand
    propose recommend promise pledge vow vowed threaten predict estimate forecast
    assert maintain contend reckon agree disagree concede complain lament joke quip
    mock tease boast brag reveal disclose show find indicate signal conclude testify
    assure reassure inform brief advise caution cite point post publish release
    read quote exclaim shout yell cry whisper murmur explain clarify specify outline
    highlight underline underscore reaffirm affirm swear guarantee predict speculate
    surmise wonder muse recount narrate describe characterize characterise label brand
    dub term deem name list order instruct direct request plead beg appeal invite
    congratulate apologize apologise defend justify excuse rationalize attack fault
    express voice convey inform notify hint imply insinuate allege acknowledge retort echo
    """.split()
)

# Verbs of thinking, wanting and intending (PolNeAR annotates these too).
BELIEF_VERBS = frozenset(
    """
    think believe expect hope fear want plan know feel seem appear worry doubt
    suspect assume presume imagine guess consider regard view see understand realize
    realise recognize recognise trust wish prefer intend aim seek decide choose
    refuse decline hesitate prepare aspire anticipate envision envisage foresee
    suppose conclude learn discover notice remember forget agree mean need
    """.split()
)

# Adjectives of belief or stance that take a clause: "Putin is confident that ...".
BELIEF_ADJECTIVES = frozenset(
    """
    confident sure certain convinced hopeful optimistic pessimistic afraid worried
    concerned aware adamant skeptical sceptical doubtful determined eager keen
    reluctant unwilling willing ready prepared open opposed committed happy glad
    """.split()
)

# Nouns that carry an attribution: "Moscow's assertion of having taken control".
NOMINAL_CUES = frozenset(
    """
    claim assertion statement allegation accusation denial remark comment belief
    view opinion warning promise pledge vow threat insistence argument suggestion
    proposal demand call plea announcement admission acknowledgement acknowledgment
    report account testimony contention charge criticism praise prediction
    estimate forecast assessment conclusion finding judgement judgment verdict
    decision plan intention hope fear concern expectation assurance confirmation
    rejection refusal dismissal insinuation suspicion theory idea response reply
    answer question message tweet post interview speech address note letter memo
    """.split()
)

# Nouns that name a statement or a proposal made by someone, for the nested pass's noun patterns
# (nlp/data/nested_patterns.txt: "Trump's call for a ban", "Exxon's accusation that ..."). Not a tagger
# feature (NOMINAL_CUES is): these are read only after the taggers.
STATEMENT_NOUNS = frozenset(
    """
    claim assertion statement allegation accusation denial warning promise pledge vow threat
    insistence argument suggestion proposal demand call plea announcement admission contention
    charge prediction assurance offer testimony account
    """.split()
)

# Verbs by which someone takes a position on a proposal or makes one, for the nested pass's verb patterns
# ("Trump proposed a ban", "Clinton has declined our invitation", "offered to appear"). Not a tagger feature.
PROPOSAL_VERBS = frozenset(
    """
    propose offer pledge vow promise advocate decline agree acknowledge profess demand
    urge recommend
    """.split()
)

# Dashes that sign a quotation with its speaker's name: “…” ― Maria Lopez.
SIGNATURE_DASHES = frozenset({"―", "—", "–", "--"})

# Multi-word cues that introduce a source rather than a content.
SOURCE_INTRODUCERS: tuple[tuple[str, ...], ...] = (
    ("according", "to"),
    ("as", "reported", "by"),
    ("as", "stated", "by"),
    ("as", "said", "by"),
    ("as", "told", "by"),
    ("as", "claimed", "by"),
    ("as", "noted", "by"),
    ("as", "quoted", "by"),
    ("quoted", "by"),
    ("reported", "by"),
    ("in", "the", "words", "of"),
)

# The claims feature's word lists (dispute and agreement cues, judgements, claim and proposal nouns, stance
# cues) are data: onrecord/claims/data/stance.toml, read by onrecord.claims.words.

# Words in a description of a speaker that stand for a role, not a name.
SPEAKER_ROLE_NOUNS = frozenset(
    """
    leader president minister premier chancellor spokesman spokeswoman spokesperson
    official officials aide adviser advisor envoy negotiator ambassador secretary
    senator governor mayor general commander chief head director candidate nominee
    king queen prince prime chairman chairwoman chair lawyer attorney source sources
    representative representatives diplomat diplomats ministry military army
    government administration campaign analyst analysts expert experts
    """.split()
)

ALL_VERB_CUES = SPEECH_VERBS | BELIEF_VERBS


def is_cue_lemma(lemma: str) -> bool:
    """True for any verb lemma onrecord treats as a possible attribution cue."""
    return lemma.lower() in ALL_VERB_CUES


# Learned from PolNeAR train rather than listed: words that head a gold cue in at least a fifth of their
# occurrences (nlp/data/cue_heads.txt, written by onrecord.training.cue_heads). The model keeps an unsure
# cue only if a word of it is listed above or its head is one of these.
@lru_cache(maxsize=1)
def train_cue_heads() -> frozenset[tuple[str, str]]:
    """(lemma, POS) of the words that often head a gold cue in PolNeAR train (nlp/data/cue_heads.txt)."""
    text = resources.files("onrecord.nlp").joinpath("data", "cue_heads.txt").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return frozenset((row[0], row[1]) for row in rows)


def s_form(word: str) -> str:
    """A word's form with English "-s": a verb's third person ("denies", "pushes") and a noun's plural ("levies",
    "taxes"), spelled by the same rule."""
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return word + "es"
    return word + "s"

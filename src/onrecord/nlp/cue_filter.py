"""A learned check on each attribution the taggers keep: how likely its cue is one PolNeAR's annotators mark.

The cue tagger proposes verbs that PolNeAR marks only some of the time ("released", "saw", "knows"), and
its own probability is not the whole story: the shape of the cue says something too (a verb with a
clausal complement and a subject is more often a cue than one with a direct object and no subject). A
logistic regression over named features of the attribution (the taggers' confidence, whether its cue is
listed, the cue head's part of speech, dependency relation and children, the kind, whether it has a
source) gives the probability that the cue is exactly a gold cue; an attribution under the threshold is
dropped.  Weights and threshold live in the taggers' model header (``cue_filter``), fitted on PolNeAR train
predictions against train gold by ``python -m onrecord.training.cue_filter`` (docs/training.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from spacy.tokens import Doc

from ..errors import ModelError
from . import features as F
from . import lexicon
from .rules import RawAttribution

#: A cue longer than this many tokens counts as this long (the ``length`` feature is a fraction of it).
MAX_LENGTH = 5


def judged(doc: Doc, att: RawAttribution) -> bool:
    """Whether the filter judges this attribution: not when a word of its cue is a verb of the cue lexicon.
    Those stay whatever the taggers' confidence: the record needs them (the development set's statements
    include unsure readings of the lexicon's verbs: "shows to defend", "pointing to")."""
    return not any(doc[i].lemma_.lower() in lexicon.ALL_VERB_CUES for i in att.cue)


def cue_features(doc: Doc, att: RawAttribution, listed: bool) -> dict[str, float]:
    """The named features of one attribution (absent names are 0).  ``listed``: a word of its cue is in the
    cue lexicon or its head often heads a cue in train (``AttributionModel._listed``)."""
    head = F.cue_head(doc, att.cue)
    confidence = min(max(att.confidence, 1e-4), 1.0)
    named = {
        "bias": 1.0,
        "log_confidence": math.log(confidence),
        "confidence": confidence,
        "length": min(len(att.cue), MAX_LENGTH) / MAX_LENGTH,
        f"pos:{head.pos_}": 1.0,
        f"dep:{head.dep_}": 1.0,
        f"kind:{att.kind_hint or 'none'}": 1.0,
    }
    if listed:
        named["listed"] = 1.0
    if (head.lemma_.lower(), head.pos_) in lexicon.train_cue_heads():
        named["train_head"] = 1.0
    if att.source:
        named["source"] = 1.0
    if head.sent.start == att.cue[0]:
        named["opens_sentence"] = 1.0
    if len(att.content) > 1:
        named["split_content"] = 1.0
    for child in head.children:
        if child.i not in att.cue:
            named[f"child:{child.dep_}"] = 1.0
    return named


@dataclass(frozen=True)
class CueFilter:
    """Weights per feature name and the probability under which an attribution is dropped."""

    weights: Mapping[str, float]
    threshold: float

    @classmethod
    def from_header(cls, data: object) -> "CueFilter":
        """The filter a model header's ``cue_filter`` table describes."""
        if not isinstance(data, dict) or not isinstance(data.get("weights"), dict) or "threshold" not in data:
            raise ModelError("the model's cue_filter must be a table with weights and a threshold")
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            threshold = float(data["threshold"])
        except (TypeError, ValueError) as err:
            raise ModelError(f"the model's cue_filter has a value that is not a number ({err})") from err
        if not 0.0 <= threshold < 1.0:
            raise ModelError(f"the model's cue_filter threshold {threshold} is not in [0, 1)")
        return cls(weights, threshold)

    def to_header(self) -> dict:
        return {"weights": dict(self.weights), "threshold": self.threshold}

    def probability(self, named: Mapping[str, float]) -> float:
        """The probability that the cue is exactly a gold cue."""
        z = sum(self.weights.get(name, 0.0) * value for name, value in named.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def keeps(self, doc: Doc, att: RawAttribution, listed: bool) -> bool:
        return not judged(doc, att) or self.probability(cue_features(doc, att, listed)) >= self.threshold

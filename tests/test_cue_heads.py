"""Unsure cues need a listed word (nlp/model.py, ``min_unlisted_confidence``), and the list of PolNeAR train's
cue heads they may also be listed by (nlp/data/cue_heads.txt, written by onrecord.training.cue_heads)."""

import pytest

from onrecord.nlp import features as F
from onrecord.nlp.lexicon import train_cue_heads
from onrecord.nlp.model import AttributionModel, model_file
from onrecord.nlp.pipeline import load_base
from onrecord.nlp.quotes import find_quotes
from conftest import write_polnear_split


@pytest.fixture(scope="module")
def nlp():
    return load_base()


@pytest.fixture(scope="module")
def model():
    return AttributionModel.load(model_file(None))


def test_the_shipped_model_drops_unsure_cues_without_a_listed_word(model):
    assert 0.0 < model.min_unlisted_confidence < 1.0


def test_the_cue_head_list_holds_frequent_cue_words_and_not_every_word():
    heads = train_cue_heads()
    assert {("say", "VERB"), ("accord", "VERB")} <= heads
    assert ("the", "DET") not in heads and ("house", "NOUN") not in heads


@pytest.mark.parametrize("text, word, listed", [
    ("The mayor said the bridge would reopen.", "said", True),          # a lexicon word
    ("The mayor credited the engineers with the repair.", "credited", True),  # a train cue head only
    ("The mayor hired two engineers for the repair.", "hired", False),  # a cue head too rarely
])
def test_a_cue_is_listed_by_the_lexicon_or_by_train_cue_heads(nlp, model, text, word, listed):
    doc = nlp(text)
    feats = F.doc_features(doc, find_quotes(text), [], model.vocab)
    cue = [t.i for t in doc if t.text == word]
    assert model._listed(doc, feats, cue) is listed


def test_cue_heads_are_counted_from_gold_cues(tmp_path):
    from onrecord.training.cue_heads import count_heads

    text = "Ana Ruiz said the road was closed. Ben Cole said nothing. The council hired a contractor.\n"
    s = text.index("said")
    c = text.index("the road")
    split = write_polnear_split(tmp_path / "split", text, [
        f"T1\tCue {s} {s + 4}\tsaid", f"T2\tContent {c} {c + 20}\tthe road was closed",
        "E1\tAttribution:T1 Cue:T1 Content:T2"])
    heads, seen = count_heads(split, tmp_path / "cache")
    assert heads[("say", "VERB")] == 1 and seen[("say", "VERB")] == 2
    assert heads[("hire", "VERB")] == 0 and seen[("hire", "VERB")] == 1

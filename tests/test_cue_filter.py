"""The learned cue filter (nlp/cue_filter.py) and its fitting (onrecord.training.cue_filter)."""

import pytest

from onrecord.errors import ModelError
from onrecord.nlp.cue_filter import CueFilter, cue_features, judged
from onrecord.nlp.model import AttributionModel, model_file
from onrecord.nlp.pipeline import load_base
from onrecord.nlp.quotes import find_quotes
from onrecord.nlp.rules import RawAttribution
from onrecord.training.cue_filter import Recorder, exact, fit, gold_cues
from conftest import write_polnear_split


@pytest.fixture(scope="module")
def nlp():
    return load_base()


def _att(doc, word, *, source=None, content=None, kind=None, confidence=0.7):
    cue = [t.i for t in doc if t.text == word]
    return RawAttribution(cue=cue, source=source or [], content=content or [(cue[-1] + 1, len(doc) - 1)],
                          kind_hint=kind, confidence=confidence)


@pytest.mark.parametrize("model", ["default"])
def test_the_shipped_models_carry_a_cue_filter(model):
    path = model_file(model)
    if not path.exists():
        pytest.skip(f"{path} is not installed")
    loaded = AttributionModel.load(path)
    assert loaded.cue_filter is not None
    assert 0.0 < loaded.cue_filter.threshold < 1.0
    assert {"bias", "confidence", "listed"} <= set(loaded.cue_filter.weights)


def test_a_cue_with_a_verb_of_the_lexicon_is_never_judged(nlp):
    doc = nlp("The mayor said the bridge would reopen. The council hired a contractor for the repair.")
    assert not judged(doc, _att(doc, "said"))
    assert judged(doc, _att(doc, "hired"))
    dropping_all = CueFilter({"bias": -50.0}, 0.5)
    assert dropping_all.keeps(doc, _att(doc, "said"), listed=True)
    assert not dropping_all.keeps(doc, _att(doc, "hired"), listed=False)


def test_features_name_the_cue_s_shape(nlp):
    doc = nlp("Yesterday the council hired a contractor for the repair.")
    att = _att(doc, "hired", source=[(1, 3)], kind="belief", confidence=0.5)
    named = cue_features(doc, att, listed=False)
    assert named["bias"] == 1.0 and named["confidence"] == 0.5
    assert named["pos:VERB"] == 1.0 and named["dep:ROOT"] == 1.0 and named["kind:belief"] == 1.0
    assert named["source"] == 1.0 and named["child:dobj"] == 1.0 and named["child:nsubj"] == 1.0
    assert "listed" not in named and "opens_sentence" not in named and "split_content" not in named
    bare = cue_features(doc, _att(doc, "hired"), listed=True)
    assert bare["listed"] == 1.0 and "source" not in bare and bare["kind:none"] == 1.0


def test_probability_follows_the_weights():
    f = CueFilter({"bias": 0.0, "confidence": 4.0}, 0.5)
    assert f.probability({"bias": 1.0, "confidence": 0.0}) == pytest.approx(0.5)
    assert f.probability({"bias": 1.0, "confidence": 0.9}) > f.probability({"bias": 1.0, "confidence": 0.2})
    assert f.probability({"unknown feature": 1e9}) == pytest.approx(0.5)  # a name without weight counts 0


@pytest.mark.parametrize("header", [
    {},
    {"threshold": 0.4},
    {"weights": {"bias": "high"}, "threshold": 0.4},
    {"weights": {"bias": 1.0}, "threshold": 1.5},
    {"weights": {"bias": 1.0}},
    "0.4",
])
def test_a_malformed_header_table_is_a_model_error(header):
    with pytest.raises(ModelError):
        CueFilter.from_header(header)


def test_header_round_trip():
    f = CueFilter({"bias": -1.25, "listed": 0.5}, 0.35)
    assert CueFilter.from_header(f.to_header()) == f


def test_the_model_drops_what_its_filter_rejects(nlp):
    model = AttributionModel.load(model_file(None)).bind(nlp)
    text = ("The mayor said the bridge would reopen in May.\n\n"
            "The senator slammed the plan as reckless and wasteful, and her staff mocked the budget.\n")
    doc = nlp(text)
    model.cue_filter = None
    unfiltered = model.predict(doc, find_quotes(text), text)
    words = {" ".join(doc[i].text for i in att.cue) for att in unfiltered}
    assert "said" in words and len(unfiltered) >= 2, words
    model.cue_filter = CueFilter({"bias": -50.0}, 0.5)
    kept = model.predict(doc, find_quotes(text), text)
    assert [att.cue for att in kept] == [att.cue for att in unfiltered if not judged(doc, att)]


def test_the_recorder_keeps_everything_and_notes_only_judged_attributions(nlp):
    doc = nlp("The mayor said the bridge would reopen. The council hired a contractor for the repair.")
    recorder = Recorder()
    assert recorder.keeps(doc, _att(doc, "said"), True) and recorder.keeps(doc, _att(doc, "hired"), False)
    assert [cue for cue, _ in recorder.seen] == [_att(doc, "hired").cue]


def test_labels_are_exact_gold_cues(nlp, tmp_path):
    from onrecord.polnear.corpus import read_split

    text = "The council has hired a contractor, the mayor said.\n"
    s = text.index("has hired")
    split = write_polnear_split(tmp_path / "split", text, [
        f"T1\tCue {s} {s + 9}\thas hired", f"T2\tContent {s + 10} {s + 22}\ta contractor",
        "E1\tAttribution:T1 Cue:T1 Content:T2"])
    gold = read_split(split)[0]
    doc = nlp(text)
    golds = gold_cues(doc, gold)
    has, hired = doc[2].i, doc[3].i
    assert exact(doc, [has, hired], golds)
    assert not exact(doc, [hired], golds)  # overlapping is not exact


def test_fit_learns_which_features_go_with_gold_cues():
    rows = [{"bias": 1.0, "source": 1.0}] * 40 + [{"bias": 1.0}] * 40 + [{"bias": 1.0, "rare": 1.0}] * 3
    labels = [True] * 36 + [False] * 4 + [True] * 8 + [False] * 32 + [True] * 3
    weights = fit(rows, labels, min_count=20)
    assert weights["source"] > 1.0
    assert "rare" not in weights  # seen fewer than min_count times
    f = CueFilter(weights, 0.5)
    assert f.probability({"bias": 1.0, "source": 1.0}) > 0.8 > 0.4 > f.probability({"bias": 1.0})

"""The spaCy component in users' own pipelines."""

from dataclasses import replace

import pytest
import spacy

import onrecord.nlp.component  # noqa: F401  (registers the factory)
from onrecord import ModelError
from onrecord.nlp.pipeline import load_base

pytestmark = pytest.mark.slow

TEXTS = [
    "“The vote is lost,” the party leader Maria Koenig said. She added that she would not resign.",
    "According to the ministry, the dam held. Engineers believe the water will drop by Friday.",
    "Nothing was said here at all.",
    "The coach told reporters that the team was ready, but warned that injuries remained a worry.",
]


@pytest.fixture(scope="module")
def nlp():
    nlp = load_base()
    nlp.add_pipe("onrecord_attributions")
    return nlp


def test_factory_is_registered_for_users_own_pipelines(nlp):
    assert "onrecord_attributions" in spacy.registry.factories.get_all()
    assert nlp.pipe_names[-1] == "onrecord_attributions"
    doc = nlp(TEXTS[0])
    assert doc._.attributions and doc._.attributions[0].cue_text


def test_two_processes_give_the_same_records_as_one(nlp):
    one = [d._.attributions for d in nlp.pipe(TEXTS, n_process=1)]
    two = [d._.attributions for d in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert one == two
    assert sum(len(a) for a in one) >= 4


def test_records_survive_doc_serialisation(nlp):
    from spacy.tokens import Doc

    doc = nlp(TEXTS[3])
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert back._.attributions == doc._.attributions != ()


def test_a_blank_pipeline_gets_a_clear_error():
    blank = spacy.blank("en")
    blank.add_pipe("onrecord_attributions", config={"strategy": "rules"})
    with pytest.raises(ModelError, match="dependency parse"):
        blank("He said it was fine.")


def test_unknown_strategy_is_refused():
    with pytest.raises(ModelError, match="unknown strategy"):
        spacy.blank("en").add_pipe("onrecord_attributions", config={"strategy": "magic"})


@pytest.mark.parametrize("where", ["component.find_quotes", "features.doc_features", "features.role_features",
                                   "component.to_records"])
def test_one_failing_document_does_not_stop_a_batch(nlp, monkeypatch, where):
    """The component reads a batch of Docs together; a failure in any stage of one Doc's reading (before
    the taggers, in a window's features while the taggers run the whole batch, after them) fails that Doc
    alone, and the others get the records they get when read one by one."""
    import importlib

    from onrecord import Extractor, InputDocument

    ex = Extractor(nlp=nlp)
    module, name = where.split(".")
    module = importlib.import_module(f"onrecord.nlp.{module}")
    original = getattr(module, name)

    def flaky(doc_or_text, *args, **kwargs):
        text = doc_or_text if isinstance(doc_or_text, str) else doc_or_text.text
        if "officials" in text:
            raise RuntimeError("boom")
        return original(doc_or_text, *args, **kwargs)

    alone = [nlp(t)._.attributions for t in TEXTS]
    texts = TEXTS[:2] + ["Nothing, the officials said, had been decided about the plan."] + TEXTS[2:]
    monkeypatch.setattr(module, name, flaky)
    results = list(ex.extract_documents([InputDocument(str(i), "-", t) for i, t in enumerate(texts)]))
    assert [r.ok for r in results] == [True, True, False, True, True]
    assert "boom" in results[2].error
    assert [r.attributions for r in results[:2] + results[3:]] == alone
    assert results[4].attributions


BATCH = [
    "Mayor Ellen Park said on Monday that the bridge would reopen in May.\n"
    "“We have checked every bolt,” she told reporters. Critics, however, argued that the repairs were rushed.",
    "The central bank warned that inflation could rise again.\nAccording to its governor, rates will stay high "
    "for now. Analysts believe a cut is unlikely before autumn.\nMarkets were calm.",
    "No one spoke.",
    "“It is a fair deal for workers,” the union’s leader, Tom Reyes, said in a statement late on Friday, adding "
    "that members would vote next week.\nThe company said it was pleased. A spokesman declined to comment on "
    "the pension terms, but insisted that the offer was final.\nOfficials at the labour ministry said they "
    "expected the vote to pass, and that talks had been constructive.",
]


def test_a_batch_gives_the_attributions_of_each_text_alone(nlp, monkeypatch):
    """``nlp.pipe`` hands the component a batch of Docs and the taggers read all their windows together;
    every text must get the attributions it gets alone, up to the last digits of the probabilities."""
    from onrecord.nlp.network import Tagger

    alone = [nlp(t)._.attributions for t in BATCH]
    calls = []
    tag_windows = Tagger.tag_windows

    def counted(self, requests, *args):
        calls.append(len(requests))
        return tag_windows(self, requests, *args)

    monkeypatch.setattr(Tagger, "tag_windows", counted)
    together = [d._.attributions for d in nlp.pipe(BATCH, batch_size=len(BATCH))]
    assert calls[:2] == [4, 3]  # the cue tagger once for all four texts, the role tagger once for the three with cues
    assert sum(len(a) for a in alone) >= 8
    for one, many in zip(alone, together):
        assert [replace(a, confidence=0.0) for a in one] == [replace(a, confidence=0.0) for a in many]
        assert all(abs(a.confidence - b.confidence) < 1e-3 for a, b in zip(one, many))


def test_swapping_the_model_changes_what_the_component_finds():
    """training.tune scores many headers over one parse by setting ``component.model``."""
    from onrecord.nlp.model import AttributionModel

    nlp = load_base()
    component = nlp.add_pipe("onrecord_attributions")
    doc = nlp(TEXTS[3])
    assert isinstance(component.model, AttributionModel)
    tagged = component.predict(doc)
    component.model = None  # the rules strategy's path
    ruled = component.predict(doc)
    assert tagged and ruled and component.model is None
    assert [a.confidence for a in tagged] != [a.confidence for a in ruled]

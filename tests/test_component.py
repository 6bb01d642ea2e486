"""The spaCy component in users' own pipelines."""

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


def test_one_failing_document_does_not_stop_a_batch(nlp, monkeypatch):
    from onrecord import Extractor, InputDocument

    ex = Extractor(nlp=nlp)
    comp = nlp.get_pipe("onrecord_attributions")
    original = comp.predict

    def flaky(doc):
        if "Nothing" in doc.text:
            raise RuntimeError("boom")
        return original(doc)

    monkeypatch.setattr(comp, "predict", flaky)
    results = list(ex.extract_documents([InputDocument(str(i), "-", t) for i, t in enumerate(TEXTS)]))
    assert [r.ok for r in results] == [True, True, False, True]
    assert "boom" in results[2].error
    assert results[3].attributions

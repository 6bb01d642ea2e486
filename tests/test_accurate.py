"""Choosing the model by name: the accurate tier (`--model accurate`) and clear errors for unknown names."""

import json
import subprocess
import sys

import pytest

from onrecord.errors import ModelError
from onrecord.nlp.model import model_file
from onrecord.settings import DEFAULT_MODEL_PATH, MODELS

ARTICLE = (
    "Harbour Authority Delays Dredging Plan\n\n"
    "The chief executive of the Port of Kelmouth, Anna Verhoeven, said on Thursday that dredging of the "
    "northern channel would be postponed until the spring.\n\n"
    "“We cannot start work while the survey is incomplete,” Verhoeven told a meeting of shipping firms.\n\n"
    "Fishermen's representatives argued that the delay would cost the town hundreds of jobs, and a local "
    "councillor accused the authority of hiding the survey's findings.\n"
)


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "onrecord", *args], capture_output=True, text=True, input=stdin,
                          timeout=900)


def test_model_names_and_paths():
    assert model_file(None) == DEFAULT_MODEL_PATH == model_file("default")
    assert model_file("accurate") == MODELS["accurate"] != DEFAULT_MODEL_PATH
    assert str(model_file("some/dir/model.npz")) == "some/dir/model.npz"
    with pytest.raises(ModelError, match=r"unknown model 'acurate': use default, accurate or the path"):
        model_file("acurate")


def test_an_unknown_model_name_is_one_clear_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    r = run("extract", str(tmp_path / "a.txt"), "--model", "fastest")
    assert r.returncode == 2
    assert "unknown model 'fastest'" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def accurate():
    from onrecord import Extractor

    return Extractor(model_path="accurate")


def test_the_accurate_tier_finds_the_attributions_of_a_short_article(accurate):
    atts = accurate.extract(ARTICLE)
    assert "+model-polnear-minilm" in accurate.version
    cues = {a.cue_text for a in atts}
    assert "said" in cues and "told" in cues, cues
    told = next(a for a in atts if a.cue_text == "told")
    assert told.kind == "direct" and told.speaker.name == "Anna Verhoeven"
    assert "We cannot start work while the survey is incomplete" in told.content_text


def test_the_accurate_tier_as_a_spacy_component(accurate):
    from onrecord.nlp.pipeline import load_pipeline

    nlp = load_pipeline(model_path="accurate")
    doc = nlp(ARTICLE)
    assert [a.to_dict() for a in doc._.attributions] == [a.to_dict() for a in accurate.extract(ARTICLE)]


def test_extract_with_model_accurate_on_the_command_line(tmp_path):
    (tmp_path / "port.txt").write_text(ARTICLE, encoding="utf-8")
    r = run("extract", str(tmp_path / "port.txt"), "--model", "accurate", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert {a["cue_text"] for a in doc["attributions"]} >= {"said", "told"}

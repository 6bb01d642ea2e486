"""Where a cue's characters start and end (nlp/assemble.py): apostrophes inside words stay, quotation marks
glued to a cue token go."""

import pytest

from onrecord.nlp.assemble import _cue_spans
from onrecord.nlp.pipeline import load_base


@pytest.fixture(scope="module")
def nlp():
    return load_base()


def _cue_text(nlp, text: str, words: list[str]) -> str:
    doc = nlp(text)
    cue = [t.i for t in doc if t.text in words]
    return " ".join(text[s.start:s.end] for s in _cue_spans(doc, cue, text))


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_a_contracted_verb_keeps_its_apostrophe(nlp, apostrophe):
    text = f"Mr. Ortega{apostrophe}s claiming that the dam is safe."
    assert _cue_text(nlp, text, [f"{apostrophe}s", "claiming"]) == f"{apostrophe}s claiming"


def test_a_quotation_mark_glued_to_a_signature_dash_is_trimmed(nlp):
    text = "“We sold half the herd in August.”― Tom Baker."
    doc = nlp(text)
    glued = [t.i for t in doc if "―" in t.text]
    assert [text[s.start:s.end] for s in _cue_spans(doc, glued, text)] == ["―"]

"""Where spans start and end after the taggers: a cue's characters (nlp/assemble.py: apostrophes inside
words stay, quotation marks glued to a cue token go), contents taken to a quotation's marks
(nlp/rules.quotation_contents) and the wh-words before a cue that belong to its content (nlp/rules.wh_contents)."""

import pytest

from onrecord.nlp.assemble import _cue_spans
from onrecord.nlp.pipeline import load_base
from onrecord.nlp.quotes import find_quotes
from onrecord.nlp.rules import RawAttribution, quotation_contents, wh_contents


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


QUOTED = "“The dam will hold through the winter. We checked every gate,” the engineer Maria Koenig said on Monday."


def _content_after(nlp, text: str, first: str, last: str, cue_word: str = "said") -> str:
    """The content text after quotation_contents, for a content running from word ``first`` to word ``last``."""
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == first)
    j = next(t.i for t in doc if t.text == last) + 1
    att = RawAttribution(cue=[next(t.i for t in doc if t.text == cue_word)], content=[(i, j)])
    quotation_contents(doc, [att], find_quotes(text))
    (a, b), = att.content
    return doc[a:b].text


def test_a_content_ending_at_a_quotations_close_starts_at_its_opening(nlp):
    assert _content_after(nlp, QUOTED, "will", "”") == "“The dam will hold through the winter. We checked every gate,”"


def test_a_content_starting_at_a_quotations_opening_ends_at_its_close(nlp):
    assert _content_after(nlp, QUOTED, "“", "winter") == "“The dam will hold through the winter. We checked every gate,”"


def test_a_content_inside_a_quotation_that_reaches_neither_mark_is_left_alone(nlp):
    assert _content_after(nlp, QUOTED, "We", "checked") == "We checked"


def test_a_quotation_holding_the_cue_is_left_alone(nlp):
    text = "“The dam will hold, the engineer said, through the winter.”"
    assert _content_after(nlp, text, "through", "”") == "through the winter.”"


def _words(doc, words: str) -> tuple[int, int]:
    toks = words.split()
    k = next(k for k in range(len(doc)) if [t.text for t in doc[k:k + len(toks)]] == toks)
    return k, k + len(toks)


def _wh(nlp, text: str, cue: str, content: str, source: str | None = None) -> list[str]:
    """The content's fragments after wh_contents, for the cue, content and source given by their words."""
    doc = nlp(text)
    a, b = _words(doc, cue)
    att = RawAttribution(cue=list(range(a, b)), content=[_words(doc, content)],
                         source=[_words(doc, source)] if source else [])
    wh_contents(doc, [att])
    return [doc[i:j].text for i, j in att.content]


def test_a_wh_word_whose_head_is_in_the_content_joins_it(nlp):
    text = "The gap between what the mayor says her plan would do and its cost has grown."
    assert _wh(nlp, text, "says", "her plan would do", "the mayor") == ["what", "her plan would do"]


def test_a_wh_word_that_is_the_cues_object_joins_the_content(nlp):
    text = "The council rejected what the mayor called a reckless plan."
    assert _wh(nlp, text, "called", "a reckless plan", "the mayor") == ["what", "a reckless plan"]


def test_a_wh_word_that_is_the_source_or_outside_stays_out(nlp):
    # "who" is the subject of the cue: the source's, not the content's
    text = "The engineer, who said the dam would hold, left early."
    assert _wh(nlp, text, "said", "the dam would hold", "who") == ["the dam would hold"]
    # a relative word whose head is neither in the content nor the cue's object
    text = "The engineer who built the dam said the gates would hold."
    assert _wh(nlp, text, "said", "the gates would hold", "The engineer who built the dam") == ["the gates would hold"]
    text = "The engineer who built the dam said the gates would hold."
    assert _wh(nlp, text, "said", "the gates would hold") == ["the gates would hold"]


def test_a_content_of_empty_runs_is_left_alone(nlp):
    doc = nlp("The council rejected what the mayor called a reckless plan.")
    called = next(t.i for t in doc if t.text == "called")
    att = RawAttribution(cue=[called], content=[(called + 1, called + 1)])
    wh_contents(doc, [att])
    assert att.content == [(called + 1, called + 1)]

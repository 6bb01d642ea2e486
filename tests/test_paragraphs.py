"""A line that ends without closing punctuation, followed by a blank line, ends its sentence (nlp/paragraphs.py)."""

from __future__ import annotations

import pytest

from onrecord.nlp.paragraphs import open_line_breaks

_STORY = ("Judge rejects bid to dismiss charges\n\nBy Ana Lund\n\nOSTBY, May 9 - A court on Thursday refused to "
          "drop the charges, ruling that prosecutors had enough evidence.\n\n\"We will appeal,\" his lawyer said."
          "\n\nThe trial opens in June.")


@pytest.fixture(scope="module")
def base():
    from onrecord.nlp.pipeline import load_base

    return load_base()


def test_a_headline_and_a_byline_each_end_their_sentence(base):
    doc = base(_STORY)
    firsts = [s[0].text for s in doc.sents if not s[0].is_space]
    assert "By" in firsts and "OSTBY" in firsts
    assert not any("Ana Lund" in s.text and "court" in s.text for s in doc.sents)


def test_only_breaks_after_an_open_line_are_marked(base):
    doc = base.make_doc(_STORY)
    marked = [doc[i].text for i in open_line_breaks(doc)]
    # after "charges" and "Lund"; not after "evidence." nor after the closing quote's line
    assert marked == ["By", "OSTBY"]


def test_a_single_line_break_or_a_text_without_breaks_marks_nothing(base):
    assert open_line_breaks(base.make_doc("Judge rejects bid\nBy Ana Lund\nThe court refused.")) == []
    assert open_line_breaks(base.make_doc("The court refused to act on Monday.")) == []


def test_the_speed_benchmarks_bare_parse_is_spacys_pipeline_as_it_loads():
    from onrecord.nlp.paragraphs import NAME
    from onrecord.nlp.pipeline import load_base

    assert NAME not in load_base(paragraphs=False).pipe_names
    names = load_base().pipe_names
    assert names.index(NAME) < names.index("parser")


def test_a_paragraph_ending_in_a_lone_capital_and_a_stop_ends_its_sentence(base):
    text = ('"These are lies," the aide wrote on X.\n\nThe prime minister said his government had nothing to hide.')
    doc = base(text)
    assert [doc[i].text for i in open_line_breaks(base.make_doc(text))] == ["The"]
    assert not any("X." in s.text and "minister" in s.text for s in doc.sents)

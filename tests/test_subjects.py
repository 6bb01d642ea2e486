"""A verb's subject when the parse gives it a dateline or a list (nlp/rules.subject_child), on sentences written
for these tests: the rules' source of a cue, the speaker of a participle and the party of a position read it."""

from __future__ import annotations

import pytest

from onrecord.nlp.pipeline import load_base
from onrecord.nlp.rules import subject_child, subject_of


@pytest.fixture(scope="module")
def nlp():
    return load_base()


def _tok(doc, word):
    return next(t for t in doc if t.text == word)


def test_two_subjects_the_one_nearest_the_verb(nlp):
    doc = nlp("WARSAW, June 14 - Poland's two largest rail unions on Tuesday rejected a government pay offer, "
              "saying the 6 percent rise would not cover inflation.")
    rejected = _tok(doc, "rejected")
    assert len([c for c in rejected.children if c.dep_ == "nsubj"]) == 2  # the parse this rule is for
    assert subject_child(rejected).text == "unions"
    assert subject_of(_tok(doc, "saying")).text == "unions"  # not "WARSAW"


def test_a_dateline_place_with_the_subject_hung_on_it(nlp):
    doc = nlp("LISBON, May 9 - Portugal's biggest teachers' union on Monday rejected the education ministry's "
              "offer, saying the rise would not cover rents.")
    rejected = _tok(doc, "rejected")
    assert [c.text for c in rejected.children if c.dep_ == "nsubj"] == ["LISBON"]
    assert subject_child(rejected).text == "union"
    assert subject_of(_tok(doc, "saying")).text == "union"


def test_a_participle_the_parser_made_the_head_gives_its_own_subject(nlp):
    doc = nlp("NAIROBI, Sept 5 (AP) - African leaders meeting in Nairobi called on Thursday for rich nations to "
              "triple their contributions, saying it was fair.")
    assert subject_child(_tok(doc, "called")).text == "leaders"


def test_a_list_the_parser_split_keeps_its_first_item(nlp):
    doc = nlp("The mayor, teachers and local parents have been demanding that the city reopen the library.")
    demanding = _tok(doc, "demanding")
    assert subject_child(demanding).text == "mayor"


def test_one_subject_is_the_subject(nlp):
    doc = nlp("The ministry said on Friday that the strike would cost millions.")
    assert subject_child(_tok(doc, "said")).text == "ministry"
    assert subject_child(_tok(doc, "cost")).text == "strike"


@pytest.mark.slow
def test_the_source_of_a_participle_after_a_dateline_is_not_the_place(extractor):
    text = ("WARSAW, June 14 - Poland's two largest rail unions on Tuesday rejected a government pay offer, saying "
            "the 6 percent rise would not cover inflation.")
    saying = next(a for a in extractor.extract(text) if a.cue_text == "saying")
    assert saying.source_text == "Poland's two largest rail unions"

"""Names of bodies the tagger typed otherwise: checked on parses written by hand, so that what the tagger would
type does not decide what is tested."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from onrecord.nlp.organisations import body_typed_otherwise, described_as_body

_VOCAB = spacy.blank("en").vocab


def _doc(words, pos, deps, heads, label, start, end):
    doc = Doc(_VOCAB, words=words, pos=pos, deps=deps, heads=heads)
    doc.ents = [doc.char_span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label=label)]
    return doc


# "The Dublin Patients' Forum welcomed the plan ."
_FORUM = (["The", "Dublin", "Patients", "'", "Forum", "welcomed", "the", "plan", "."],
          ["DET", "PROPN", "PROPN", "PART", "PROPN", "VERB", "DET", "NOUN", "PUNCT"],
          ["det", "compound", "poss", "case", "nsubj", "ROOT", "det", "dobj", "punct"],
          [4, 2, 4, 2, 5, 5, 7, 5, 5])


@pytest.mark.parametrize("label, expected", [("WORK_OF_ART", True), ("EVENT", True), ("DATE", False)])
def test_a_body_name_typed_a_work_or_an_event_is_a_bodys(label, expected):
    doc = _doc(*_FORUM, label, 0, 5)
    assert body_typed_otherwise(doc[4]) is expected


def test_a_work_whose_head_is_no_body_word_stays_a_work():
    # "The Lost Patients welcomed the plan ." — a title, its head no word a body's name ends in
    doc = _doc(["The", "Lost", "Patients", "welcomed", "the", "plan", "."],
               ["DET", "PROPN", "PROPN", "VERB", "DET", "NOUN", "PUNCT"],
               ["det", "compound", "nsubj", "ROOT", "det", "dobj", "punct"], [2, 2, 3, 3, 5, 3, 3],
               "WORK_OF_ART", 0, 3)
    assert not body_typed_otherwise(doc[2])


def test_a_body_name_with_a_possessive_typed_a_person_is_a_bodys():
    # "Botswana People 's Congress voted ." typed PERSON: its "'s" is no word of a person's name
    doc = _doc(["Botswana", "People", "'s", "Congress", "voted", "."],
               ["PROPN", "PROPN", "PART", "PROPN", "VERB", "PUNCT"],
               ["compound", "poss", "case", "nsubj", "ROOT", "punct"], [1, 3, 1, 4, 4, 4], "PERSON", 0, 4)
    assert described_as_body(doc.ents[0])


@pytest.mark.parametrize("label, expected", [("WORK_OF_ART", True), ("FAC", True), ("DATE", False)])
def test_a_body_name_typed_a_work_is_a_body_the_article_describes(label, expected):
    # so "the forum" later in the article means it, as a name typed ORG would be meant
    doc = _doc(*_FORUM, label, 0, 5)
    assert described_as_body(doc.ents[0]) is expected


def test_a_label_typed_a_work_with_no_plural_possessive_is_no_body_the_article_describes():
    # "the White People 's Party" as a label the article gives: the tagger typed a title, rightly; "the party"
    # later means the party the article named, not the label
    doc = _doc(["the", "White", "People", "'s", "Party", "loomed", "."],
               ["DET", "PROPN", "PROPN", "PART", "PROPN", "VERB", "PUNCT"],
               ["det", "compound", "poss", "case", "nsubj", "ROOT", "punct"], [4, 2, 4, 2, 5, 5, 5],
               "WORK_OF_ART", 0, 5)
    assert body_typed_otherwise(doc[4])  # a body's name by its words ...
    assert not described_as_body(doc.ents[0])  # ... but not one the tagger was misled about

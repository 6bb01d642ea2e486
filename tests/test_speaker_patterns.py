"""The speaker resolver's syntactic patterns, each on a hand-built parse (no statistical model involved).

Each Doc here is built with the words, parts of speech, dependencies and entities a parser could give, so a
pattern's test fails only when the pattern does, not when the tagger or the NER changes its mind.
"""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402
from onrecord.nlp import speakers  # noqa: E402

VOCAB = spacy.blank("en").vocab  # English lexical attributes (is_punct) without a trained pipeline


def _doc(rows: list[tuple[str, str, str, int, str]], ents: list[str]) -> Doc:
    """rows: (word, POS, tag, head index, dependency); ents: IOB labels ('B-ORG', 'I-ORG', 'O')."""
    words, pos, tags, heads, deps = zip(*rows)
    return Doc(VOCAB, words=list(words), pos=list(pos), tags=list(tags), heads=list(heads), deps=list(deps),
               lemmas=[w.lower() for w in words], ents=ents)


# "The head of the group , Sebnem Korur Fincanci , accused the government ."
ROLE_FIRST = [
    ("The", "DET", "DT", 1, "det"), ("head", "NOUN", "NN", 10, "nsubj"), ("of", "ADP", "IN", 1, "prep"),
    ("the", "DET", "DT", 4, "det"), ("group", "NOUN", "NN", 2, "pobj"), (",", "PUNCT", ",", 1, "punct"),
    ("Sebnem", "PROPN", "NNP", 8, "compound"), ("Korur", "PROPN", "NNP", 8, "compound"),
    ("Fincanci", "PROPN", "NNP", 1, "appos"), (",", "PUNCT", ",", 1, "punct"),
    ("accused", "VERB", "VBD", 10, "ROOT"), ("the", "DET", "DT", 12, "det"),
    ("government", "NOUN", "NN", 10, "dobj"), (".", "PUNCT", ".", 10, "punct"),
]
ROLE_FIRST_ENTS = ["O"] * 6 + ["B-ORG", "I-ORG", "I-ORG"] + ["O"] * 5


def test_an_org_typed_name_in_apposition_to_a_role_is_a_person():
    doc = _doc(ROLE_FIRST, ROLE_FIRST_ENTS)
    ent = doc.ents[0]
    people = speakers.ArticleEntities.from_doc(doc)
    assert [t.text for t in people.person_tokens(ent)] == ["Sebnem", "Korur", "Fincanci"]
    assert [p.name for p in people.people] == ["Sebnem Korur Fincanci"]


def test_a_name_with_an_organisation_word_stays_an_organisation():
    rows = list(ROLE_FIRST)
    rows[8] = ("Association", "PROPN", "NNP", 1, "appos")
    doc = _doc(rows, ROLE_FIRST_ENTS)
    assert speakers.ArticleEntities.from_doc(doc).person_tokens(doc.ents[0]) == []


def test_a_place_in_apposition_to_a_role_is_never_a_person():
    doc = _doc(ROLE_FIRST, ["O"] * 6 + ["B-GPE", "I-GPE", "I-GPE"] + ["O"] * 5)
    assert speakers.ArticleEntities.from_doc(doc).person_tokens(doc.ents[0]) == []


# "at the resort , now called Trump National Doral , the candidate boasted ." (parsed with the subject as an
# apposition of the name)
ROLE_AFTER_UNCLOSED = [
    ("called", "VERB", "VBN", 0, "ROOT"), ("Trump", "PROPN", "NNP", 3, "compound"),
    ("National", "PROPN", "NNP", 3, "compound"), ("Doral", "PROPN", "NNP", 0, "oprd"),
    (",", "PUNCT", ",", 3, "punct"), ("the", "DET", "DT", 6, "det"), ("candidate", "NOUN", "NN", 3, "appos"),
    ("boasted", "VERB", "VBD", 6, "acl"), (".", "PUNCT", ".", 0, "punct"),
]


def test_a_role_after_a_name_must_close_with_punctuation():
    ents = ["O", "B-ORG", "I-ORG", "I-ORG"] + ["O"] * 5
    doc = _doc(ROLE_AFTER_UNCLOSED, ents)
    assert speakers.ArticleEntities.from_doc(doc).person_tokens(doc.ents[0]) == []
    closed = list(ROLE_AFTER_UNCLOSED)
    closed[7] = (",", "PUNCT", ",", 3, "punct")
    doc = _doc(closed, ents)
    assert [t.text for t in speakers.ArticleEntities.from_doc(doc).person_tokens(doc.ents[0])] == [
        "Trump", "National", "Doral"]


@pytest.mark.parametrize("prep, pobj_dep, owned", [
    ("for", "pobj", True),   # a spokesman for Varga
    ("to", "pobj", True),    # aides to Varga
    ("in", "pobj", True),    # residents in Antakya
    ("for", "appos", False),  # (not a preposition's object)
])
def test_a_name_after_a_common_nouns_preposition_only_says_whose(prep, pobj_dep, owned):
    rows = [("spokesman", "NOUN", "NN", 0, "ROOT"), (prep, "ADP", "IN", 0, "prep"),
            ("Varga", "PROPN", "NNP", 1, pobj_dep)]
    doc = _doc(rows, ["O", "O", "B-PERSON"])
    assert speakers._owned_by(doc.ents[0], doc[0]) is owned


def test_a_name_after_a_proper_nouns_preposition_is_not_an_owner():
    # "Senator Cruz of Texas": the head is the name itself
    rows = [("Cruz", "PROPN", "NNP", 0, "ROOT"), ("of", "ADP", "IN", 0, "prep"), ("Texas", "PROPN", "NNP", 1, "pobj")]
    doc = _doc(rows, ["B-PERSON", "O", "B-PERSON"])
    assert speakers._owned_by(doc.ents[1], doc[0]) is False



def test_a_source_headed_by_a_name_the_ner_left_out_is_a_person_when_a_role_is_in_apposition_to_it():
    # "Pavel Orlov , a military analyst , said ." with no entity at all
    rows = [("Pavel", "PROPN", "NNP", 1, "compound"), ("Orlov", "PROPN", "NNP", 7, "nsubj"),
            (",", "PUNCT", ",", 1, "punct"), ("a", "DET", "DT", 5, "det"), ("military", "ADJ", "JJ", 5, "amod"),
            ("analyst", "NOUN", "NN", 1, "appos"), (",", "PUNCT", ",", 1, "punct"), ("said", "VERB", "VBD", 7, "ROOT"),
            (".", "PUNCT", ".", 7, "punct")]
    doc = _doc(rows, ["O"] * 9)
    assert speakers._unlabelled_person(doc[0:7]) == "Pavel Orlov"
    # a name the NER typed nothing that a given name leads is one of the article's people too ...
    assert [p.name for p in speakers.ArticleEntities.from_doc(doc).people] == ["Pavel Orlov"]
    rows[5] = ("analysis", "NOUN", "NN", 1, "appos")  # not a person's role ...
    doc = _doc(rows, ["O"] * 9)
    assert speakers._unlabelled_person(doc[0:7]) == "Pavel Orlov"  # ... but a given name leads the name
    rows[0] = ("Vostok", "PROPN", "NNP", 1, "compound")
    doc = _doc(rows, ["O"] * 9)
    assert speakers._unlabelled_person(doc[0:7]) is None
    assert speakers.ArticleEntities.from_doc(doc).people == []  # ... other capitals stay the NER's to type


# "Tunde Bakare , a pastor in Lagos , said ." with the NER typing the surname alone an organisation
CUT_NAME = [
    ("Tunde", "PROPN", "NNP", 1, "compound"), ("Bakare", "PROPN", "NNP", 8, "nsubj"), (",", "PUNCT", ",", 1, "punct"),
    ("a", "DET", "DT", 4, "det"), ("pastor", "NOUN", "NN", 1, "appos"), ("in", "ADP", "IN", 4, "prep"),
    ("Lagos", "PROPN", "NNP", 5, "pobj"), (",", "PUNCT", ",", 1, "punct"), ("said", "VERB", "VBD", 8, "ROOT"),
    (".", "PUNCT", ".", 8, "punct"),
]


def test_a_surname_typed_an_organisation_takes_the_untyped_name_before_it_when_a_role_is_apposed():
    doc = _doc(CUT_NAME, ["O", "B-ORG"] + ["O"] * 4 + ["B-GPE"] + ["O"] * 3)
    people = speakers.ArticleEntities.from_doc(doc)
    assert [t.text for t in people.person_tokens(doc.ents[0])] == ["Tunde", "Bakare"]
    assert [p.name for p in people.people] == ["Tunde Bakare"]
    rows = list(CUT_NAME)
    rows[4] = ("parish", "NOUN", "NN", 1, "appos")  # no person's role: the organisation stays one
    doc = _doc(rows, ["O", "B-ORG"] + ["O"] * 4 + ["B-GPE"] + ["O"] * 3)
    assert speakers.ArticleEntities.from_doc(doc).people == []


@pytest.mark.parametrize("address, person", [
    ("Father", True),   # a religious form of address
    ("Alhaji", True),   # a customary one
    ("Minister", True),  # a title
    ("Harbour", False),  # neither a form of address nor a given name: the NER's to type
])
def test_a_name_the_ner_missed_after_a_form_of_address_is_a_person(address, person):
    # "Father Emeka Obi said ." with no entity at all
    rows = [(address, "PROPN", "NNP", 2, "compound"), ("Emeka", "PROPN", "NNP", 2, "compound"),
            ("Obi", "PROPN", "NNP", 3, "nsubj"), ("said", "VERB", "VBD", 3, "ROOT"), (".", "PUNCT", ".", 3, "punct")]
    names = [p.name for p in speakers.ArticleEntities.from_doc(_doc(rows, ["O"] * 5)).people]
    assert names == (["Emeka Obi"] if person else [])


def test_a_title_inside_a_name_is_part_of_it():
    # "Julie Bishop said .": a form of address is dropped only where it leads the name
    rows = [("Julie", "PROPN", "NNP", 1, "compound"), ("Bishop", "PROPN", "NNP", 2, "nsubj"),
            ("said", "VERB", "VBD", 2, "ROOT"), (".", "PUNCT", ".", 2, "punct")]
    doc = _doc(rows, ["B-PERSON", "I-PERSON", "O", "O"])
    assert [p.name for p in speakers.ArticleEntities.from_doc(doc).people] == ["Julie Bishop"]
    rows[0] = ("Bishop", "PROPN", "NNP", 1, "compound")
    rows[1] = ("Okafor", "PROPN", "NNP", 2, "nsubj")
    doc = _doc(rows, ["B-PERSON", "I-PERSON", "O", "O"])
    assert [p.name for p in speakers.ArticleEntities.from_doc(doc).people] == ["Okafor"]

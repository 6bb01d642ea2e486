"""Attributions in a headline (onrecord.nlp.headlines): one test per pattern, on headlines written for them."""

from __future__ import annotations

import pytest

from onrecord.nlp.headlines import headline_verbs

pytestmark = pytest.mark.slow

BODY = "\nThe council met on Monday to discuss the harbour, which has been closed since May."


def _headline(extractor, headline: str) -> list[tuple[str, str, str]]:
    text = headline + BODY
    end = len(headline)
    return [(a.source_text, a.cue_text, a.content_text) for a in extractor.extract(text) if a.cue[0].start < end]


def test_every_listed_verb_has_its_headline_forms():
    forms = headline_verbs()
    assert forms[("rebuffs",)] == "rebuff"
    assert forms[("pillories",)] == "pillory"
    assert forms[("takes", "on")] == "take on" and forms[("take", "on")] == "take on"
    assert forms[("says",)] == "say"  # the cue lexicon's verbs count too


def test_a_third_person_verb_splits_source_and_content(extractor):
    assert ("Ostby mayor", "rebuffs", "Varga on pier plan") in _headline(
        extractor, "Ostby mayor rebuffs Varga on pier plan.")


def test_a_bare_verb_needs_a_plural_subject(extractor):
    found = _headline(extractor, "Harbour Pilots Rip Council Over Pier Closure.")
    assert any(cue == "Rip" and "Pilots" in source for source, cue, _ in found)


def test_a_phrasal_verb_is_one_cue(extractor):
    found = _headline(extractor, "Ostby Pilots Take On Town Council Over Fees.")
    assert any(cue == "Take On" and content.startswith("Town Council") for _, cue, content in found)


def test_a_clause_without_subject_has_the_subject_of_the_clause_before(extractor):
    found = _headline(extractor, "Ostby mayor rebuffs Varga on pier plan;  Spurns offer, blasts 'bad deal.'")
    cues = {cue: (source, content) for source, cue, content in found}
    assert cues["Spurns"] == ("Ostby mayor", "offer")
    assert cues["blasts"][0] == "Ostby mayor"


def test_a_phrase_between_commas_is_not_the_subject(extractor):
    found = _headline(extractor, "Varga, touring the harbour, trashes pier plan.")
    assert ("Varga", "trashes", "pier plan") in found


def test_a_phrase_before_the_subject_is_not_the_subject(extractor):
    found = _headline(extractor, "Standing with pilots, Varga pillories harbour board.")
    assert ("Varga", "pillories", "harbour board") in found


def test_a_relative_clause_is_not_the_subject(extractor):
    from onrecord.nlp.headlines import headline_attributions

    doc = extractor.nlp("Senator who closed Ostby harbour admits to other closures." + BODY)
    found = headline_attributions(doc, doc.text, set())
    read = [(doc[slice(*a.source[0])].text, doc[a.cue[0]].text) for a in found]
    assert ("Senator", "admits") in read


def test_a_thing_someone_owns_does_not_speak(extractor):
    found = _headline(extractor, "Varga's plan threatens harbour jobs.")
    assert not any(cue == "threatens" for _, cue, _ in found)


def test_only_the_first_paragraph_is_read_as_a_headline(extractor):
    text = "Harbour reopens.\nLocal pilots praise the new pier and the fishermen thank the council."
    assert not any(a.cue_text == "thank" and a.source_text == "the fishermen" and a.confidence == 0.5
                   for a in extractor.extract(text))


def test_a_headline_in_two_decks_joined_by_a_semicolon(extractor):
    """"Ostby mayor rebuffs Varga on pier plan;" + a second line: the second line is the headline's too, and its
    clause without a subject has the first line's subject; without the ";" the second line is body text."""
    found = _headline(extractor, "Ostby mayor rebuffs Varga on pier plan; \nSpurns offer, blasts 'bad deal.'")
    cues = {cue: (source, content) for source, cue, content in found}
    assert cues["Spurns"] == ("Ostby mayor", "offer")
    text = "Harbour reopens.\nSpurns offer, blasts 'bad deal.'" + BODY
    assert not any(a.cue_text == "Spurns" for a in extractor.extract(text))


def test_a_cue_of_the_second_clause_says_the_words_after_it(extractor):
    """The taggers gave "disputes" the clause before it as content; the headline's own clause says what."""
    found = _headline(extractor, "Investigators blame faulty sensor for cargo plane crash; maker disputes findings")
    assert ("maker", "disputes", "findings") in found

"""Which date a statement was made on, read from the sentence with the real English pipeline."""

from __future__ import annotations

from onrecord.dates import date_mentions, said_on_dates


def _said_on(extractor, text, published="2025-12-02"):
    doc = extractor.nlp(text)
    atts = doc._.attributions
    mentions = date_mentions(doc, published)
    found = said_on_dates(doc, atts, mentions)
    return {atts[i].cue_text: m.date.value for i, m in found.items()}, atts


def test_a_date_attached_to_the_cue_dates_the_statement_and_joined_verbs_share_it(extractor):
    said, atts = _said_on(extractor, "Earlier on Monday, the minister said that the bridge was closed, "
                                     "warning that repairs would take weeks.")
    assert said.get("said") == "2025-12-01"
    if any(a.cue_text == "warning" for a in atts):
        assert said.get("warning") == "2025-12-01"


def test_a_date_inside_the_content_is_not_when_it_was_said(extractor):
    said, atts = _said_on(extractor, "The mayor said that the dam had been damaged two weeks ago.")
    assert atts, "the extractor should find the statement"
    assert "said" not in said


def test_no_date_in_the_sentence_means_no_said_on(extractor):
    said, atts = _said_on(extractor, "The governor said that the roads were open again.")
    assert atts and said == {}


def test_a_joined_clause_with_its_own_subject_keeps_its_own_time(extractor):
    said, _ = _said_on(extractor, "The army advanced as recently as last week, while the mayor has said "
                                  "that the town would hold.")
    assert "has said" not in said and "said" not in said

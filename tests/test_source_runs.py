"""A source as one run of tokens (nlp/source_runs.one_source): the role tagger now and then marks a source in
several runs, or across a paragraph break, where PolNeAR's annotators mark one span."""

import pytest

from onrecord.nlp.source_runs import one_source
from onrecord.nlp.pipeline import load_base


@pytest.fixture(scope="module")
def nlp():
    return load_base()


def _run(doc, words: str) -> tuple[int, int]:
    """The tokens of the first occurrence of ``words`` in the document."""
    toks = words.split()
    for k in range(len(doc)):
        if [t.text for t in doc[k:k + len(toks)]] == toks:
            return (k, k + len(toks))
    raise AssertionError(f"{words!r} not in the document")


def _text(doc, runs) -> list[str]:
    return [doc[i:j].text for i, j in runs]


def _belief(sure: dict[str, float], doc):
    """A stand-in for the role tagger's belief: the given probability for a run of the given words, 0.5
    for any other run."""
    return lambda run: sure.get(doc[run[0]:run[1]].text, 0.5)


def test_the_run_the_tagger_holds_surest_is_kept(nlp):
    doc = nlp("Acts of protest, Mr. Ortega said, are acts of patriotism, as Ana Ruiz, lying on a sidewalk, "
              "said before the march.")
    cue = [_run(doc, "said before")[0]]
    runs = [_run(doc, "Mr. Ortega"), _run(doc, "Ana Ruiz")]
    assert _text(doc, one_source(doc, runs, _belief({"Ana Ruiz": 0.9, "Mr. Ortega": 0.6}, doc))) == ["Ana Ruiz"]
    # the nearest run is not always the source
    doc = nlp("Ms. Ruiz and Mr. Ortega sent a letter, signed by 200 mayors, seeking more money for the dams.")
    runs = [_run(doc, "Ms. Ruiz and Mr. Ortega"), _run(doc, "200 mayors")]
    belief = _belief({"Ms. Ruiz and Mr. Ortega": 0.8, "200 mayors": 0.55}, doc)
    assert _text(doc, one_source(doc, runs, belief)) == ["Ms. Ruiz and Mr. Ortega"]


def test_the_belief_is_the_role_taggers_mean_source_probability():
    import numpy as np

    from onrecord.nlp.source_runs import source_belief

    probs = np.full((6, 5), 0.05)
    probs[1:3, 1] = 0.5   # B-S
    probs[1:3, 2] = 0.3   # I-S
    probs[4, 2] = 0.2
    lp = np.log(probs)
    assert source_belief(lp, 1, 3) == pytest.approx(0.8)
    assert source_belief(lp, 4, 5) == pytest.approx(0.25)
    assert source_belief(lp, 4, 8) == pytest.approx((0.25 + 0.1) / 4)  # tokens past the window count as 0


def test_runs_with_only_a_comma_between_them_are_joined(nlp):
    doc = nlp("The family, neighbours and church leaders have been demanding that the video be released.")
    runs = [_run(doc, "The family"), _run(doc, "neighbours and church leaders")]
    belief = _belief({"The family": 0.9}, doc)
    assert _text(doc, one_source(doc, runs, belief)) == ["The family, neighbours and church leaders"]
    # words between the runs keep them apart
    doc = nlp("The family and, separately, the neighbours have been demanding that the video be released.")
    runs = [_run(doc, "The family"), _run(doc, "the neighbours")]
    assert _text(doc, one_source(doc, runs, _belief({"the neighbours": 0.9}, doc))) == ["the neighbours"]


def test_a_run_across_a_paragraph_break_is_cut_there(nlp):
    doc = nlp("Live updates.\n\n9:15 a.m.\n\nSenator Ana Ruiz plans to visit the flooded towns on Friday.")
    start = _run(doc, "9:15")[0]
    runs = [(start, _run(doc, "Ruiz")[1])]
    assert "\n" in doc[runs[0][0]:runs[0][1]].text
    belief = _belief({"Senator Ana Ruiz": 0.7, "9:15 a.m.": 0.4}, doc)
    assert _text(doc, one_source(doc, runs, belief)) == ["Senator Ana Ruiz"]


def test_a_single_run_in_one_paragraph_is_unchanged(nlp):
    doc = nlp("Senator Ana Ruiz, who chairs the committee, said the towns need help.")
    run = (0, _run(doc, "committee")[1] + 1)
    assert one_source(doc, [run], _belief({}, doc)) == [run]
    assert one_source(doc, [], _belief({}, doc)) == []


def _cue(doc, word: str) -> list[int]:
    return [next(t.i for t in doc if t.text == word)]


def test_the_sourceless_patterns_are_read_from_their_data_file():
    from onrecord.nlp.source_runs import sourceless_patterns

    patterns = sourceless_patterns()
    assert ("VBN", "advcl") in patterns.opens and ("VBD", "advcl") in patterns.opens
    assert {"ask", "press"} <= patterns.askers
    assert {"seem", "appear"} <= patterns.heads
    assert {"accuse", "blame", "criticize"} <= patterns.passive


@pytest.mark.parametrize("text", [
    "Asked about the dam, the mayor said it would hold.",
    "“Asked about the dam, the mayor said it would hold.",
])
def test_a_sentence_opening_passive_participle_has_no_source(nlp, text):
    """VBN advcl: the one asked is not the one whose statement the participle cues."""
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp(text)
    asked = doc[_cue(doc, "Asked")[0]]
    assert (asked.tag_, asked.dep_) == ("VBN", "advcl")
    assert sourceless_cue(doc, [asked.i], [])
    assert not sourceless_cue(doc, _cue(doc, "said"), [])


def test_a_sentence_opening_asked_read_as_a_past_tense_has_no_source(nlp):
    """VBD advcl: the tagger reads "Asked" as a past tense now and then; the one asked still says nothing in it."""
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp("\"I said before the election that we would not put up taxes on working people, and I stand by "
              "that,\" Reeves said.\n\nAsked whether the pledge covered employers' national insurance contributions, "
              "she said it was \"not for me to write the budget on a Sunday morning.\"")
    asked = doc[_cue(doc, "Asked")[0]]
    assert (asked.tag_, asked.dep_) == ("VBD", "advcl")
    she = _cue(doc, "she")[0]
    assert sourceless_cue(doc, [asked.i], [(she, she + 1)])


def test_the_one_asked_is_not_the_asker(extractor):
    """With no source, the speaker of "Asked ..." is not the main clause's subject: she is the one asked."""
    text = ("Rachel Reeves said the government would keep its promise. Asked whether the pledge covered employers' "
            "national insurance contributions, she said it was not for her to decide.")
    asked = next(a for a in extractor.extract(text) if a.cue_text == "Asked")
    assert asked.source == () and asked.speaker is None


def test_a_worried_opening_keeps_the_main_subject_as_speaker(extractor):
    """Only a question put to the main clause's subject leaves the cue without a speaker: "Worried that ..., the
    government ..." is the government's worry."""
    text = ("Worried that the nation might miss its 2030 target, the government announced a new subsidy for heat "
            "pumps on Monday.")
    worried = [a for a in extractor.extract(text) if a.cue_text.startswith("Worried")]
    assert worried and worried[0].source == ()
    assert worried[0].speaker is not None and worried[0].speaker.name == "government"


def test_an_unknown_line_kind_in_the_sourceless_file_is_an_error():
    from onrecord.errors import ModelError
    from onrecord.nlp.source_runs import parse_sourceless

    assert parse_sourceless("asker ask\nopens VBN advcl").askers == frozenset({"ask"})
    with pytest.raises(ModelError):
        parse_sourceless("asker")


def test_the_same_participle_inside_its_sentence_keeps_its_source(nlp):
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp("The mayor, asked about the dam, said it would hold.")
    assert not sourceless_cue(doc, _cue(doc, "asked"), [])
    doc = nlp("When asked about the dam, the mayor said it would hold.")
    assert not sourceless_cue(doc, _cue(doc, "asked"), [])


@pytest.mark.parametrize("text, word", [
    ("The mayor seems to have changed her mind about the dam.", "seems"),
    ("It appeared that the dam would hold through the winter.", "appeared"),
])
def test_a_raising_verb_has_no_source(nlp, text, word):
    """head seem / head appear: the subject is what the impression is about, not whose it is."""
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp(text)
    assert sourceless_cue(doc, _cue(doc, word), [])
    doc = nlp("The mayor believes that the dam will hold.")
    assert not sourceless_cue(doc, _cue(doc, "believes"), [])


def test_a_raising_verb_before_a_verb_of_the_cue_keeps_the_source(nlp):
    """"appeared to suggest": the cue's own verb of saying has a speaker."""
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp("The mayor appeared to suggest that the dam would hold.")
    cue = [_cue(doc, "appeared")[0], _cue(doc, "to")[0], _cue(doc, "suggest")[0]]
    assert doc[cue[-1]].pos_ == "VERB"
    assert not sourceless_cue(doc, cue, [])
    assert sourceless_cue(doc, cue[:1], [])


def test_a_passive_verb_of_saying_loses_its_passive_subject_as_source(nlp):
    """passive speech: "the mayor was accused of lying" is said of the mayor, not by her."""
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp("The mayor was accused of lying about the dam.")
    cue = [_cue(doc, "was")[0], _cue(doc, "accused")[0], _cue(doc, "of")[0]]
    assert doc[cue[1]].tag_ == "VBN"
    assert sourceless_cue(doc, cue, [_run(doc, "The mayor")])
    # an agent given as the source stays ("by X" says who accused)
    doc = nlp("The mayor was accused by her rivals of lying about the dam.")
    cue = [_cue(doc, "accused")[0]]
    assert not sourceless_cue(doc, cue, [_run(doc, "her rivals")])
    # a psychological participle is not in the class: its subject is whose feeling it is
    doc = nlp("The protesters were frustrated that the video was not released.")
    assert not sourceless_cue(doc, [_cue(doc, "frustrated")[0]], [_run(doc, "The protesters")])


def test_an_unknown_sourceless_line_is_one_clear_error():
    from onrecord.errors import ModelError
    from onrecord.nlp.source_runs import parse_sourceless

    patterns = parse_sourceless("# a comment\nopens VBN advcl\nhead seem\npassive belief\n")
    assert patterns.opens == {("VBN", "advcl")} and patterns.heads == {"seem"} and "believe" in patterns.passive
    for line in ("passive colours", "opens VBN", "heads seem"):
        with pytest.raises(ModelError, match=line):
            parse_sourceless(line + "\n")


@pytest.mark.parametrize("text, dateline", [
    ("BRUSSELS - European leaders gathered Friday to discuss the crisis.", "BRUSSELS -"),
    ("SEOUL (AP) — European leaders gathered Friday to discuss the crisis.", "SEOUL (AP) —"),
    ("Live updates.\n\nNEW YORK — European leaders gathered Friday to discuss the crisis.", "NEW YORK —"),
    # a run the parser started inside the dateline, at its date
    ("OSTBY, March 3 - European leaders gathered Friday to discuss the crisis.", "March 3 -"),
    ("Ostby, 12 March (Nordic Wire) — European leaders gathered Friday to discuss the crisis.", "Ostby, 12"),
    # a month and a day the tagger did not type a date
    ("SAN FRANCISCO, Feb 5 - European leaders gathered Friday to discuss the crisis.", "SAN FRANCISCO,"),
    # a hyphen inside the place's name closes nothing
    ("ADO-EKITI, Nigeria, June 22 (Sahel Wire) - European leaders gathered Friday to discuss the crisis.",
     "ADO -"),
])
def test_a_dateline_opening_the_paragraph_is_left_out_of_the_source(nlp, text, dateline):
    from onrecord.nlp.datelines import after_dateline

    doc = nlp(text)
    start = _run(doc, dateline.split()[0].rstrip(","))[0]
    end = _run(doc, "leaders")[1]
    assert doc[after_dateline(doc, start, end):end].text == "European leaders"
    assert _text(doc, one_source(doc, [(start, end)], _belief({}, doc))) == ["European leaders"]


@pytest.mark.parametrize("text, first", [
    ("The NATO chief - a former prime minister - said the alliance would hold.", "The"),
    ("Leaders in BRUSSELS - and elsewhere - said the alliance would hold.", "Leaders"),
    ("The mayor said that BRUSSELS - and the NATO chief - agreed.", "BRUSSELS"),
    # a place in lower case set off by dashes, with no date or agency, is the subject
    ("Russia - long a rival of the alliance - said it would respond.", "Russia"),
    ("In March 2016 - a year of upheaval - the mayor said the alliance would hold.", "In"),
])
def test_a_dash_that_is_no_dateline_leaves_the_source_whole(nlp, text, first):
    from onrecord.nlp.datelines import after_dateline

    doc = nlp(text)
    start = _run(doc, first)[0]
    assert after_dateline(doc, start, start + 6) == start


def test_a_passive_verb_of_believing_loses_its_passive_subject_as_source(nlp):
    """passive belief: "the vote is expected to pass" is no one's expectation named in the subject."""
    from onrecord.nlp.source_runs import sourceless_cue

    doc = nlp("The vote is expected to pass easily on Friday.")
    cue = [_cue(doc, "expected")[0]]
    assert doc[cue[0]].tag_ == "VBN"
    assert sourceless_cue(doc, cue, [_run(doc, "The vote")])


@pytest.mark.parametrize("text, cue_words, subject", [
    # head seem / head appear: the impression is about the subject
    ("The mayor seems to have changed her mind about the dam.", "seems", "The mayor"),
    ("The new council appeared ready to override the mayor.", "appeared", "The new council"),
    # passive speech: said of the subject
    ("Peacekeepers have been blamed for spreading the disease.", "blamed", "Peacekeepers"),
    # passive belief: thought of the subject
    ("The vote is expected to fail in the senate.", "expected", "The vote"),
])
def test_the_subject_a_sourceless_cue_is_about_is_content(nlp, text, cue_words, subject):
    """PolNeAR train gold puts such a cue's subject in the content (seem 80 of 114, appear 75 of 89, the
    passive verbs of the lexicon 319 of 386), the rest mostly in no role."""
    from onrecord.nlp.source_runs import spoken_of

    doc = nlp(text)
    assert _text(doc, [spoken_of(doc, _cue(doc, cue_words))]) == [subject]


@pytest.mark.parametrize("text, cue", [
    ("It appeared that the dam would hold through the winter.", ["appeared"]),  # expletive "it" before a clause
    ("The mayor said that the dam would hold.", ["said"]),  # no pattern: the subject is the source
    ("The mayor appeared to suggest that the dam would hold.", ["appeared", "to", "suggest"]),  # a verb of its own
    ("The protesters were frustrated that the video was not released.", ["frustrated"]),  # not in the classes
])
def test_other_subjects_are_not_made_content(nlp, text, cue):
    from onrecord.nlp.source_runs import spoken_of

    doc = nlp(text)
    assert spoken_of(doc, [_cue(doc, word)[0] for word in cue]) is None


def test_the_extractor_puts_such_a_subject_in_the_content():
    """End to end: the taggers' reading, the source dropped by the pattern, the subject added as a fragment."""
    from onrecord import Extractor

    text = "The dam has been built in a hurry. The mayor seems to have changed her mind about it."
    found = [a for a in Extractor().extract(text) if a.cue_text == "seems"]
    assert len(found) == 1
    assert found[0].source_text == ""
    assert [text[s.start:s.end] for s in found[0].content] == ["The mayor", "to have changed her mind about it"]


def test_a_content_that_opens_its_paragraph_leaves_the_dateline_out(extractor):
    """PolNeAR train gold never starts a content with a dateline (30 start right after one)."""
    text = ("Sprinter banned for four years\n\n"
            "LAUSANNE, Switzerland, Oct 3 (AP) - Jamaican sprinter Kerry-Ann Walters was banned for four years on "
            "Tuesday after testing positive for a steroid, the Athletics Integrity Unit said.")
    said = next(a for a in extractor.extract(text) if a.cue_text == "said")
    assert said.content_text.startswith("Jamaican sprinter"), said.content_text


def test_a_run_wholly_inside_the_dateline_is_no_source(nlp):
    doc = nlp("NEGOMBO, Sri Lanka, July 22 (Lanka Coast Wire) - Witnesses contradicted the police account, saying "
              "officers fired first.")
    start, end = _run(doc, "NEGOMBO")[0], _run(doc, "Wire")[1]
    assert one_source(doc, [(start, end)], _belief({}, doc)) == []


@pytest.mark.parametrize("text, source, speaker", [
    ("Estonia accused Latvian vessels of overfishing, a charge Latvia's government called a fiction.",
     "a charge Latvia 's government", "Latvia's government"),
    ("The ministry said waits had halved, a claim hospital doctors called a trick of averages.",
     "a claim hospital doctors", "hospital doctors"),
])
def test_a_statement_noun_that_the_clause_after_it_describes_is_no_source(nlp, text, source, speaker):
    doc = nlp(text)
    assert _text(doc, one_source(doc, [_run(doc, source)], _belief({}, doc))) == [speaker]

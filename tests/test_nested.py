"""Attributions nested in another attribution's content (onrecord.nlp.nested): the pattern file's grammar, and
one test per pattern of ``nlp/data/nested_patterns.txt`` on sentences written for it."""

from __future__ import annotations

import pytest

from onrecord.errors import ModelError
from onrecord.nlp.nested import nested_attributions, parse_patterns, patterns
from onrecord.nlp.quotes import find_quotes
from onrecord.records import AttributionKind


def _nested(extractor, text: str) -> list[tuple[str, str, str]]:
    """(source, cue, content) of what the nested pass alone adds to the taggers' attributions."""
    doc = extractor.parse(text)
    quotes = find_quotes(text)
    raws = extractor.nlp.get_pipe("onrecord_attributions").model.predict(doc, quotes, text)

    def words(spans):
        return " ".join(doc[i:j].text for i, j in spans)

    return [(words(r.source), " ".join(doc[i].text for i in r.cue), words(r.content))
            for r in nested_attributions(doc, raws, quotes)]


def _by_cue(extractor, text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for a in extractor.extract(text):
        out.setdefault(a.cue_text, []).append(a)
    return out


def test_the_pattern_file_parses_and_names_are_unique():
    found = patterns()
    assert found, "nested_patterns.txt holds no pattern"
    assert len({p.name for p in found}) == len(found)


@pytest.mark.parametrize("line, message", [
    ("broken verbs=speech subject=named form=finite content=clause", "inside="),
    ("broken verbs=shout subject=named form=finite content=clause inside=any", "verbs="),
    ("broken verbs=speech subject=robot form=finite content=clause inside=any", "subject="),
    ("broken verbs=speech subject=named finite content=clause inside=any", "without '='"),
    ("broken verbs=speech subject=named,robot form=finite content=clause inside=any", "subject="),
    ("broken verbs=speech subject=named form=finite content=clause,poem inside=any", "content="),
    ("broken subject=named form=any content=for inside=any", "verbs= or nouns="),
    ("broken verbs=speech nouns=statement subject=named form=any content=for inside=any", "verbs= or nouns="),
    ("broken nouns=thought subject=named form=any content=for inside=any", "nouns="),
    ("broken nouns=statement subject=named form=finite content=for inside=any", "form="),
    ("broken verbs=speech subject=named form=finite content=from inside=any", "content="),
    ("broken nouns=statement subject=named form=any content=object inside=any", "content="),
])
def test_a_bad_pattern_line_is_named_in_a_one_line_error(line, message):
    with pytest.raises(ModelError, match=message):
        parse_patterns(line)


def test_several_subjects_and_contents_are_comma_separated():
    (p,) = parse_patterns("both verbs=speech subject=named,first-person form=any content=clause,object inside=quote")
    assert p.subject == {"named", "first-person"} and p.content == {"clause", "object"}


def test_comments_and_blank_lines_are_not_patterns():
    assert parse_patterns("# a comment\n\n  # another\n") == ()


@pytest.mark.slow
def test_named_says_clause_inside_a_quotation(extractor):
    """named-says-clause: a named speaker's verb of saying with a clause, inside someone's quotation."""
    text = ('"Inspector Varga said my accounts were in order, and that is the end of it," Mayor Lind told '
            "reporters on Monday.")
    assert ("Inspector Varga", "said", "my accounts were in order") in _nested(extractor, text)
    cues = _by_cue(extractor, text)
    inner = [a for a in cues.get("said", []) if "accounts were in order" in a.content_text]
    assert inner, f"no nested attribution in {sorted(cues)}"
    assert inner[0].source_text == "Inspector Varga"
    assert inner[0].kind is AttributionKind.INDIRECT  # reported by the mayor, not Varga's own words
    assert any("Lind" in a.source_text for a in cues.get("told", [])), "the outer attribution is kept"


@pytest.mark.slow
def test_named_says_clause_in_reported_words(extractor):
    """named-says-clause holds in reported words too ("X reported that Y had claimed ..."): Y's claim is a
    statement of its own, nested in X's report."""
    text = ("The Ostby Herald reported on Friday that Councillor Brandt had claimed the harbour fees were "
            "illegal.")
    assert [n for n in _nested(extractor, text) if n[0] == "Councillor Brandt" and "harbour fees" in n[2]]


@pytest.mark.slow
def test_named_says_clause_needs_a_named_subject_and_a_finite_verb(extractor):
    """Not nested: a common noun as subject, a gerund, an infinitive (a pronoun is pronoun-says-clause's)."""
    texts = [
        '"The pilots said the fees were illegal," Mayor Lind told reporters.',
        '"Brandt kept saying the fees were illegal," Mayor Lind told reporters.',
        '"Brandt wanted to say the fees were illegal," Mayor Lind told reporters.',
    ]
    for text in texts:
        assert _nested(extractor, text) == [], text


@pytest.mark.slow
def test_first_person_says_clause_inside_a_quotation_speaks_for_the_one_quoted(extractor):
    """first-person-says-clause: "I said ..." inside a quotation; its speaker is the quotation's."""
    text = ('"I said the bridge would be finished in May, and I still say it," Mayor Annika Lind told '
            "reporters on Monday.")
    assert ("I", "said", "the bridge would be finished in May") in _nested(extractor, text)
    inner = [a for a in extractor.extract(text) if a.cue_text == "said"]
    assert inner and inner[0].source_text == "I"
    assert inner[0].speaker is not None and inner[0].speaker.name == "Annika Lind"


@pytest.mark.slow
def test_first_person_says_clause_needs_a_quotation(extractor):
    """Outside a quotation, "I said" is the article's own voice or already the taggers' business."""
    text = "Mayor Annika Lind told reporters that she had said the bridge would be finished in May."
    assert not [n for n in _nested(extractor, text) if n[0] in ("I", "we")]
    text = 'Mayor Annika Lind said on Monday that we said the bridge would be finished in May.'
    assert not [n for n in _nested(extractor, text) if n[0] in ("I", "we")]


@pytest.mark.slow
def test_owner_statement_to_for_anywhere(extractor):
    """owner-statement-to-for: a named or pronoun owner's statement noun with "to" + verb or "for" + what is
    asked, outside any content as well as inside one."""
    text = "The harbour board on Tuesday rejected Mayor Annika Lind's proposal to close the docks on Sundays."
    found = _nested(extractor, text)
    assert any(s.endswith("Annika Lind") and c == "proposal" and k.startswith("to close the docks")
               for s, c, k in found), found
    (a,) = [a for a in extractor.extract(text) if a.cue_text == "proposal"]
    assert a.kind is AttributionKind.NOMINAL and "'s" not in a.source_text
    assert a.speaker is not None and a.speaker.name.endswith("Annika Lind")
    text = ('"We will not accept his call for a curfew in the old town," Councillor Brandt told reporters '
            "after meeting Governor Okafor.")
    assert ("his", "call", "a curfew in the old town") in _nested(extractor, text)


@pytest.mark.slow
def test_owner_statement_to_for_needs_an_owner_and_a_statement_noun(extractor):
    """No owner ("the proposal"), a noun that names no statement ("plan", "decision"), or a complement that is
    not "to" + verb or "for" ("her proposal of May"): nothing."""
    texts = [
        "The harbour board on Tuesday rejected the proposal to close the docks on Sundays.",
        "The harbour board on Tuesday rejected Mayor Annika Lind's plan to close the docks on Sundays.",
        "The harbour board on Tuesday backed Mayor Annika Lind's decision to close the docks on Sundays.",
        "The harbour board on Tuesday discussed Mayor Annika Lind's proposal of May at length.",
    ]
    for text in texts:
        assert not [n for n in _nested(extractor, text) if n[1] in ("proposal", "plan", "decision")], text



@pytest.mark.slow
def test_owner_statement_that_with_a_possessor_by_or_of(extractor):
    """owner-statement-that: a statement noun's owner (possessor, "by" someone, "of" a named one) and the
    "that" clause right after it, however the parser attached the clause."""
    cases = [
        ("The port authority on Monday rejected Councillor Brandt's accusation that the tender had been "
         "rigged by the harbour board.", "Brandt"),
        ("The mayor's office disputed accusations by Governor Okafor that the harbour budget had been hidden "
         "from the council.", "Okafor"),
        ("Her remarks buttress the contention of Mayor Annika Lind that the bridge contract was signed "
         "too early.", "Lind"),
    ]
    for text, owner in cases:
        found = [a for a in extractor.extract(text) if a.cue_text.startswith(("accusation", "contention"))]
        assert found and owner in found[0].source_text and found[0].content_text.startswith("that "), (text, found)
        assert found[0].kind is AttributionKind.NOMINAL
    # the taggers find the possessor's one themselves; the pattern finds those with "by" and "of"
    for text, owner in cases[1:]:
        assert [n for n in _nested(extractor, text) if owner in n[0] and n[2].startswith("that ")], text


@pytest.mark.slow
def test_owner_statement_that_needs_an_owner_and_a_that_clause(extractor):
    """No owner ("the accusation that"), a relative "that" ("the claim that he made"), "of" what is claimed
    ("claims of a violent youth"): nothing."""
    texts = [
        "The port authority on Monday rejected the accusation that the tender had been rigged.",
        "The port authority on Monday rejected Councillor Brandt's claim that he made at the hearing.",
        "The port authority on Monday rejected claims of a rigged tender that circulated online.",
    ]
    for text in texts:
        assert not [n for n in _nested(extractor, text) if n[1] in ("accusation", "claim", "claims")], text


@pytest.mark.slow
def test_proposes_object_inside_quotations_and_reported_words(extractor):
    """proposes-object: a named, pronoun or first-person speaker's verb of proposing (lexicon.PROPOSAL_VERBS)
    with an object or "to" + verb."""
    text = '"Mayor Lind offered to reopen the talks on Friday," Councillor Brandt told reporters on Monday.'
    assert [n for n in _nested(extractor, text) if n[0] == "Mayor Lind" and n[1] == "offered"
            and n[2].startswith("to reopen the talks")], _nested(extractor, text)
    offered = [a for a in extractor.extract(text) if a.cue_text == "offered"]
    assert offered and offered[0].kind is AttributionKind.INDIRECT  # a proposal reported, not a belief
    text = '"Mayor Lind offered it on Friday, and nobody listened," Councillor Brandt told reporters.'
    assert not [n for n in _nested(extractor, text) if n[1] == "offered"]  # a lone pronoun says nothing
    text = '"Before the vote she had agreed to a second debate in May," Councillor Brandt told reporters.'
    assert [n for n in _nested(extractor, text) if n[0] == "she" and n[1] == "had agreed"
            and n[2].startswith("a second debate")], _nested(extractor, text)
    text = "The Ostby Herald reported on Friday that Governor Okafor had proposed a curfew for the old town."
    assert [n for n in _nested(extractor, text) if n[0] == "Governor Okafor" and n[1] == "had proposed"
            and n[2].startswith("a curfew")], _nested(extractor, text)


@pytest.mark.slow
def test_proposes_object_needs_a_proposal_verb_and_a_subject_of_its_own(extractor):
    """Not a verb of proposing ("supported", "visited"), or no subject of its own (passive, gerund): nothing."""
    texts = [
        "The Ostby Herald reported on Friday that Governor Okafor had supported a curfew for the old town.",
        "The Ostby Herald reported on Friday that Governor Okafor had visited the old town twice.",
        "The Ostby Herald reported on Friday that Governor Okafor was offered a seat on the harbour board.",
        "The Ostby Herald reported on Friday that offering a curfew had cost Governor Okafor votes.",
    ]
    for text in texts:
        assert not [n for n in _nested(extractor, text) if n[1] in ("had supported", "had visited", "was offered",
                                                                    "offered", "offering")], text


@pytest.mark.slow
def test_pronoun_says_clause_inside_another_content(extractor):
    """pronoun-says-clause: "he", "she", "they" with a finite verb of saying and a clause, inside another
    attribution's content (quoted or reported)."""
    text = "Governor Okafor said on Monday that she had claimed the harbour fees were illegal."
    assert [n for n in _nested(extractor, text) if n[0] == "she" and "harbour fees were illegal" in n[2]], \
        _nested(extractor, text)
    text = '"They argue the fees are too low, and that is simply not true," Mayor Lind told reporters.'
    assert [n for n in _nested(extractor, text) if n[0] == "They" and "fees are too low" in n[2]], \
        _nested(extractor, text)


@pytest.mark.slow
def test_a_nested_content_never_starts_with_a_relative_word(extractor):
    """"... the answers, which he said were truthful": the content would be the relative's antecedent, which
    the clause does not hold, so the pass adds nothing there."""
    text = ('"I gave the FBI my answers, which he said were truthful, and that is the end of it," Senator Dana '
            "Price told reporters.")
    assert not [n for n in _nested(extractor, text) if n[2].split()[:1] in (["which"], ["what"], ["who"])]


@pytest.mark.slow
def test_a_progressive_verb_is_finite(extractor):
    """"has been saying", "is saying" are finite verb phrases; "kept saying" is not (see above)."""
    text = '"Mayor Lind has been saying the fees were illegal for months," Councillor Brandt told reporters.'
    assert [n for n in _nested(extractor, text) if n[0] == "Mayor Lind" and n[1] == "has been saying"], \
        _nested(extractor, text)


def test_joined_proposes_object_shares_the_subject_of_the_cue_it_is_joined_to(extractor):
    """joined-proposes-object: a verb of proposing with no subject of its own, joined to a cue found, in the same
    tense, with an object."""
    text = "The main opposition candidate on Monday rejected the declared result and demanded a recount in 41 wards."
    assert [n for n in _nested(extractor, text) if n[1] == "demanded" and n[2].startswith("a recount")
            and "candidate" in n[0]], _nested(extractor, text)
    text = "The main opposition candidate on Monday rejected the declared result and will demand a recount."
    assert not [n for n in _nested(extractor, text) if "demand" in n[1]]  # another tense: not joined


"""The data-driven parts of claims: every stance pattern on the sentence written for it, the word lists, and
assert/dispute pairs read from stored attributions on short texts written for these tests."""

from __future__ import annotations

import json

import pytest

from onrecord.analysis import ArticleMeta
from onrecord.claims import ClaimKind, Side, analyse_article, group_articles
from onrecord.claims.records import Proposition
from onrecord.claims.stances import PATTERNS, find_stances, load_patterns, matcher
from onrecord.claims.statements import Names, find_disputes, proposition_of
from onrecord.claims.words import WORDS, load

PATTERN_IDS = [p.id for p in load_patterns()]


@pytest.mark.parametrize("pattern_id", PATTERN_IDS)
def test_each_stance_pattern_finds_its_example(extractor, pattern_id):
    pattern = next(p for p in load_patterns() if p.id == pattern_id)
    sentence, party, stance = pattern.example
    doc = extractor.nlp(sentence)
    # The pattern itself fires on its sentence ...
    fired = {doc.vocab.strings[m] for m, _ in matcher(doc.vocab)(doc)}
    assert pattern_id in fired, (sentence, sorted(fired))
    # ... and the finder turns it into the party and stance written next to it.
    found = find_stances(doc, doc._.attributions, Names(doc, doc._.attributions))
    got = [(p.party, p.stance.value) for p in found]
    assert any(p.endswith(party) and s == stance for p, s in got), got


def test_the_pattern_file_is_plain_data_with_an_example_each():
    data = json.loads(PATTERNS.read_text(encoding="utf-8"))
    ids = [p["id"] for p in data["patterns"]]
    assert len(ids) == len(set(ids)) >= 10
    assert all(len(p["example"]) == 3 and p["example"][0].strip() for p in data["patterns"])


def test_word_lists_come_from_the_data_file(tmp_path):
    assert {"deny", "dismiss", "rebut"} <= WORDS.dispute_cues and "not true" in WORDS.judgement_phrases
    assert WORDS.support.isdisjoint(WORDS.oppose)
    custom = tmp_path / "stance.toml"
    text = (PATTERNS.parent / "stance.toml").read_text(encoding="utf-8").replace('"malarkey", ', "")
    custom.write_text(text, encoding="utf-8")
    assert "malarkey" in WORDS.judgements and "malarkey" not in load(custom).judgements


def test_a_proposition_is_typed_from_the_parse(extractor):
    doc = extractor.nlp("She said the mayor did not sign the 40-page contract.")
    span = doc.char_span(doc.text.index("the mayor"), len(doc.text) - 1)
    prop = proposition_of(span, Names(doc, ()))
    assert isinstance(prop, Proposition)
    assert (prop.predicate, prop.polarity) == ("sign", -1)
    assert prop.subject == "mayor" and "contract" in prop.object
    assert Proposition.from_dict(prop.to_dict()) == prop


@pytest.mark.parametrize("text, content, reading", [
    ("Lubinets accused Moscow of repeatedly adding conditions at the last moment.",
     "Moscow of repeatedly adding conditions at the last moment", ("add", "Russia")),
    ("Residents blamed the utility for ignoring warnings about aging towers.",
     "the utility for ignoring warnings about aging towers", ("ignore", "utility")),
])
def test_a_charge_reads_as_its_deed_done_by_the_one_charged(extractor, text, content, reading):
    """"accused Moscow of adding conditions": the proposition is that Moscow added them, not a bare "moscow"."""
    doc = extractor.nlp(text)
    span = doc.char_span(doc.text.index(content), doc.text.index(content) + len(content))
    prop = proposition_of(span, Names(doc, ()))
    assert (prop.predicate, prop.subject) == reading


def pairs(extractor, text, outlet=None):
    doc = extractor.nlp(text)
    found = find_disputes(doc, doc._.attributions, "2024-05-02", outlet)
    return [(m.party, m.polarity, m.answers) for m in found], found


def test_an_anaphoric_denial_answers_the_statement_before_it(extractor):
    got, found = pairs(extractor, (
        "Nora Beck, a nurse at the clinic, said the director had shredded the inspection files. "
        "The Harbor Clinic denied it on Tuesday."))
    assert ("Nora Beck", 1, None) in got and ("Harbor Clinic", -1, got.index(("Nora Beck", 1, None))) in got
    assert all(m.kind is ClaimKind.STATEMENT and m.proposition is not None for m in found)
    assert all(m.text in ("Nora Beck, a nurse at the clinic, said the director had shredded the inspection files.",
                          "The Harbor Clinic denied it on Tuesday.") for m in found)


def test_a_dispute_that_names_whose_claim_it_rejects(extractor):
    got, _ = pairs(extractor, (
        "Senator Paul Riker said the county had lost 3,000 jobs. "
        "Governor Lisa Marsh on Friday dismissed Riker's claim as nonsense."))
    assert ("Paul Riker", 1) in [(p, s) for p, s, _ in got]
    assert ("Lisa Marsh", -1) in [(p, s) for p, s, _ in got]


def test_a_charge_answered_by_the_party_charged(extractor):
    got, _ = pairs(extractor, (
        "Councillor Omar Diaz accused Mayor Helen Fry of hiding the audit from voters. "
        "The weather was mild. "
        "\u201cI have never hidden any audit from anyone,\u201d Fry said."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Omar Diaz", 1) in sides and ("Helen Fry", -1) in sides


def test_the_outlet_disputes_a_claim_it_calls_false(extractor):
    got, _ = pairs(extractor, "Tom Ruddy again repeated the false claim that he had built the stadium himself.",
                   outlet="Daily Ledger")
    assert ("Tom Ruddy", 1, None) in got and ("Daily Ledger", -1, 0) in got


def test_plain_statements_that_dispute_nothing_make_no_claim(extractor):
    got, _ = pairs(extractor, (
        "Mayor Helen Fry said the bridge would open in June. "
        "Councillor Omar Diaz said the park would get new benches."))
    assert got == []


def test_a_party_is_on_one_side_of_a_claim_and_a_change_of_side_is_a_reversal(extractor):
    text = ("Nora Beck said the director had shredded the inspection files. "
            "The Harbor Clinic denied it.")
    later = ("The Harbor Clinic said on Monday that the director had shredded the inspection files. "
             "Nora Beck now denies that.")
    items = []
    for i, (body, day) in enumerate([(text, "2024-05-02"), (later, "2024-06-10")]):
        doc = extractor.nlp(body)
        data = analyse_article(doc, ArticleMeta(origin=str(i), published=day), doc._.attributions).to_dict()
        data["published"] = day
        items.append((f"a{i}", data))
    claims, _, _ = group_articles(items)
    for c in claims:
        assert not set(c.asserted_by) & set(c.disputed_by), (c.asserted_by, c.disputed_by)
        for r in c.reversals:
            assert r.since and r.side in (Side.ASSERTED, Side.DISPUTED)


def test_the_outlet_corrects_a_statement_right_after_it(extractor):
    got, found = pairs(extractor, "\u201cI only ever used one phone,\u201d Mayor Helen Fry said, but in fact she "
                                  "used two phones in office.", outlet="Daily Ledger")
    assert ("Helen Fry", 1, None) in got and ("Daily Ledger", -1, 0) in got
    got, _ = pairs(extractor, "\u201cI only ever used one phone,\u201d Mayor Helen Fry said.", outlet="Daily Ledger")
    assert got == []


def test_a_speaker_who_disagrees_with_a_named_decision_disputes_its_owner(extractor):
    got, _ = pairs(extractor, (
        "The Water Board said the dam met every safety rule. "
        "Engineer Carla Voss said she had read the report and disagrees with the Water Board finding."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Water Board", 1) in sides and ("Carla Voss", -1) in sides


def test_the_plans_the_war_frames_track_are_among_the_proposal_nouns():
    assert WORDS.plan_nouns <= WORDS.proposal_nouns


def test_the_title_line_is_no_statement(extractor):
    body = ("Nora Beck said the director had shredded the inspection files. "
            "The Harbor Clinic denied it on Tuesday.")
    got, _ = pairs(extractor, "Clinic Denies It Shredded Files, Nurse Says\n" + body)
    assert {(p, s) for p, s, _ in got} == {("Nora Beck", 1), ("Harbor Clinic", -1)}


def test_a_question_is_no_claim_to_dispute(extractor):
    got, _ = pairs(extractor, ("Reporter Ana Cole asked Mayor Helen Fry about the missing audit funds. "
                               "Fry dismissed it."))
    assert got == []


def test_disputes_no_attribution_covers(extractor):
    got, _ = pairs(extractor, "Nora Beck alleges that she was fired for taking leave, a claim that Director Paul "
                              "Ode's office strongly disputes.")
    assert [(p, s) for p, s, _ in got] == [("Nora Beck", 1), ("Director Paul Ode's office", -1)]
    got, _ = pairs(extractor, "Nora Beck said the director had shredded the files, with Paul Ode taking to Twitter "
                              "to call Beck \u201ctotally delusional\u201d for the accusation.")
    assert [(p, s) for p, s, _ in got] == [("Nora Beck", 1), ("Paul Ode", -1)]


def test_the_absence_of_evidence_or_basis_judges_a_statement_untrue(extractor):
    for sentence, judged in [("There is no feasible basis for the charge.", True),
                             ("None of the audits found any evidence of fraud.", True),
                             ("The inspectors did not find any proof of tampering.", True),
                             ("The inspectors found evidence of tampering.", False),
                             ("There is a sound basis for the plan.", False)]:
        assert WORDS.judges_false(extractor.nlp(sentence)) is judged, sentence


def test_a_denial_that_lack_of_evidence_answers_the_claim_before_it(extractor):
    got, _ = pairs(extractor, (
        "Nora Beck said the director had shredded the inspection files. "
        "Clinic spokesman Ivo Lund said none of three reviews had found any evidence that the files were shredded."))
    assert {(p, s) for p, s, _ in got} == {("Nora Beck", 1), ("Ivo Lund", -1)}


def test_a_relayed_denial_belongs_to_its_speaker_not_to_the_paper_that_reports_it(extractor):
    got, _ = pairs(extractor, (
        "Mayor Helen Fry said the port had lost 400 jobs. "
        "\u201cThere is no basis for Fry\u2019s claim about the port,\u201d Councillor Omar Diaz said, according to "
        "the Daily Ledger."))
    assert "Daily Ledger" not in {p for p, _, _ in got}
    assert ("Omar Diaz", -1) in {(p, s) for p, s, _ in got}


def test_a_charge_is_an_assertion_even_when_its_words_judge(extractor):
    got, _ = pairs(extractor, (
        "The Harbor Clinic accused the reporter Ana Cole of misrepresenting the inspection files. "
        "Ana Cole rejected the accusation on Monday."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Harbor Clinic", 1) in sides and ("Ana Cole", -1) in sides
    assert ("Harbor Clinic", -1) not in sides


def test_a_dispute_verb_anywhere_in_the_cue_and_a_claim_owner_after_by(extractor):
    got, _ = pairs(extractor, (
        "The Harbor Clinic said the inspection files were complete. "
        "Nora Beck has published a letter strongly disputing assertions by the Harbor Clinic that the "
        "files were complete."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Harbor Clinic", 1) in sides and ("Nora Beck", -1) in sides
    got, _ = pairs(extractor, (
        "The Harbor Clinic wrote a letter saying the inspection files were complete. "
        "Nora Beck went on to rebut the points in the Harbor Clinic's letter."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Harbor Clinic", 1) in sides and ("Nora Beck", -1) in sides


def test_a_charge_answered_in_a_later_piece_of_a_split_quote(extractor):
    got, _ = pairs(extractor, (
        "Councillor Omar Diaz accused Mayor Helen Fry of hiding the audit from voters. "
        "\u201cLet everyone publish their own papers and we will all publish them together,\u201d Fry told "
        "reporters. \u201cI have never hidden any audit from anyone in this city.\u201d"))
    sides = {(p, s) for p, s, _ in got}
    assert ("Omar Diaz", 1) in sides and ("Helen Fry", -1) in sides


def test_a_description_names_the_one_organisation_it_fits(extractor):
    doc = extractor.nlp("The Ohio Board of Elections met on Monday. Later the board of elections rejected both "
                        "objections. The Port Authority and the Harbor Authority both sent letters.")
    names = Names(doc, doc._.attributions)
    assert names.name("the board of elections") == "Ohio Board of Elections"
    assert names.name("the authority") == "authority"  # two organisations fit: no guess
    assert names.name("the company") == "company"


def test_a_counter_figure_disputes_the_figure_before_it(extractor):
    got, found = pairs(extractor, (
        "Health Minister Omar Diaz said 40 people were killed in the strike on the market. "
        "The weather was mild. "
        "Rebel commander Ivo Lund said 400 people were killed in the strike."))
    assert {(p, s) for p, s, _ in got} == {("Omar Diaz", 1), ("Ivo Lund", -1)}
    assert found[1].answers == 0
    got, _ = pairs(extractor, (
        "Health Minister Omar Diaz said 40 people were killed in the strike on the market. "
        "Rebel commander Ivo Lund said 400 tents were delivered to the camp."))
    assert got == []  # other things counted: no dispute


def test_a_party_that_sets_the_record_straight_disputes_the_claim_before_it(extractor):
    got, _ = pairs(extractor, (
        "Nora Beck said the director had shredded the inspection files in March. "
        "The Harbor Clinic said the inspection files were in fact stored safely in March."))
    assert {(p, s) for p, s, _ in got} == {("Nora Beck", 1), ("Harbor Clinic", -1)}


def test_figures_of_what_should_be_are_no_counter_figures(extractor):
    got, _ = pairs(extractor, (
        "Senator Omar Diaz said the minimum wage should rise to $12 next year. "
        "Senator Ivo Lund said the minimum wage should rise to $15 next year."))
    assert got == []


def test_reports_that_show_a_claim_untrue_in_the_same_sentence_dispute_it(extractor):
    got, found = pairs(extractor, (
        "Mayor Helen Fry said the harbor fund had full disclosure of its donors on Monday, but several reports "
        "show that is untrue."))
    assert {(p, s) for p, s, _ in got} == {("Helen Fry", 1), ("reports", -1)}
    got, _ = pairs(extractor, "Mayor Helen Fry said the harbor fund had full disclosure of its donors on Monday.")
    assert got == []


def test_reports_no_one_owns_are_the_asserting_side_of_their_denial(extractor):
    got, found = pairs(extractor, "Club officials at Harbor United dismissed media reports that manager Ivo Lund "
                                  "had been sacked.")
    assert {(p, s) for p, s, _ in got} == {("media reports", 1), ("Harbor United officials", -1)}
    assert "Ivo Lund" in found[0].target
    got, _ = pairs(extractor, "The Harbor Clinic published two reports on Monday. Director Paul Ode dismissed "
                              "the reports as misleading.")
    assert ("reports", 1) not in {(p, s) for p, s, _ in got}  # reports the article introduced are not unowned


def test_an_organisation_that_disputes_another_partys_figures(extractor):
    got, _ = pairs(extractor, (
        "The health ministry in Gaza said 45 people were killed. "
        "The Israeli military said it had killed 20 militants and disputed the ministry's figures."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Israeli military", -1) in sides and any(s == 1 and "ministry" in p.lower() for p, s in sides)


def test_the_person_judged_is_in_the_judging_clause_not_anywhere_in_a_long_quote(extractor):
    got, _ = pairs(extractor, (
        "Mayor Helen Fry said the audit was complete. "
        "\u201cI respect her, but she is wrong. The port lost money when Governor Ana Ruiz was in office,\u201d "
        "Councillor Ivo Lund said."))
    sides = {(p, s) for p, s, _ in got}
    assert ("Helen Fry", 1) in sides and any(p.endswith("Ivo Lund") and s == -1 for p, s in sides)
    assert not any(p == "Ana Ruiz" for p, _ in sides)


def test_described_institutions_take_sides_and_courtroom_denials(extractor):
    got, _ = pairs(extractor, "Prosecutors said Mark Ellis stole $2 million from the charity. "
                              "Ellis pleaded not guilty on Monday.")
    assert {(p, s) for p, s, _ in got} == {("Prosecutors", 1), ("Mark Ellis", -1)}
    got, _ = pairs(extractor, "The health ministry said 300 people had died in the floods. "
                              "The government said the figures were inflated.")
    assert {(p, s) for p, s, _ in got} == {("health ministry", 1), ("government", -1)}
    got, _ = pairs(extractor, "The company said the plant would open in June. "
                              "The spokesman said the workers were ready.")
    assert got == []  # "the company", "the spokesman": descriptions that are no institution take no side


def test_a_spokesman_does_not_dispute_the_organisation_he_speaks_for(extractor):
    got, _ = pairs(extractor, (
        "The Harbor Clinic accused the reporter Ana Cole of ignoring its records. "
        "Ivo Lund, a spokesman for the Harbor Clinic, said the articles still misrepresented the records."))
    sides = {(p, s) for p, s, _ in got}
    assert not (("Harbor Clinic", 1) in sides and ("Ivo Lund", -1) in sides)


def test_a_figure_offered_as_the_real_one_and_a_report_by_a_named_outlet(extractor):
    got, _ = pairs(extractor, "The Treasury said unemployment fell to 5 percent in March. Economists at Harbor "
                              "Bank said the real rate was 8 percent.")
    assert {(p, s) for p, s, _ in got} == {("Treasury", 1), ("Economists at Harbor Bank", -1)}
    got, found = pairs(extractor, "Amazon denied a report by The Harbor Ledger that it was laying off 10,000 staff.")
    assert {(p, s) for p, s, _ in got} == {("Harbor Ledger", 1), ("Amazon", -1)}
    assert "lay off" in found[0].target


def test_a_dispute_of_the_reports_account_answers_the_report_not_the_last_speaker(extractor):
    got, _ = pairs(extractor, (
        "Shipyard disputes report on cracks\n\n"
        "A newspaper report said engineers at Ostby Shipyards had warned managers about the cracks in 2021.\n\n"
        "A lawyer for the families, Daniel Okafor, said his clients would seek damages.\n\n"
        "The shipyard's spokesman, Tom Berger, disputed the report's account."))
    assert ("Tom Berger", -1) in {(p, s) for p, s, _ in got}
    berger = next(a for p, s, a in got if p == "Tom Berger")
    assert got[berger][0] == "newspaper report"


def test_laying_down_arms_judges_nothing_untrue(extractor):
    from onrecord.claims.words import WORDS

    doc = extractor.nlp("The minister said talks could start if the rebels lay down their arms. He said it was a lie.")
    assert not WORDS.judging(next(t for t in doc if t.lower_ == "lay"))  # spaCy's lemma: "lie"
    assert WORDS.judging(next(t for t in doc if t.lower_ == "lie"))


def test_staging_a_protest_judges_nothing_untrue(extractor):
    from onrecord.claims.words import WORDS

    doc = extractor.nlp("Students staged a protest outside the ministry. The minister said the attack was staged.")
    staged = [t for t in doc if t.lower_ == "staged"]
    assert not WORDS.judging(staged[0]) and WORDS.judging(staged[1])


def test_dismissing_a_condition_is_a_stance_on_it_not_a_dispute_of_the_count_before(extractor):
    text = ("Local officials said at least 12 civilians had been killed in the fighting since Friday.\n\n"
            "Foreign Minister Jonas Lind said the government was ready to talk \"if the rebels lay down their arms "
            "first.\" The rebels have dismissed that condition as a demand for surrender.")
    doc = extractor.nlp(text)
    data = analyse_article(doc, ArticleMeta(origin="war", published="2024-05-02"), doc._.attributions).to_dict()
    data["published"] = "2024-05-02"
    claims, _, _ = group_articles([("war", data)])
    assert not any(c.disputed_by for c in claims), [(c.topic, c.disputed_by) for c in claims]


def test_claims_by_a_described_group_are_that_groups_not_the_last_speakers(extractor):
    """"dismissed claims by some Western officials that ...": the officials assert what the clause says; the
    person quoted just before, on something else, is not the one answered."""
    _, found = pairs(extractor, (
        "Greenpeace Africa said the fund should pay grants, not loans. Its spokesman, Fredrick Njehu, said most of "
        "the money pledged so far had been loans.\n\n"
        "President Ruto dismissed claims by some Western officials that African governments had failed to spend "
        "earlier climate money."))
    asserted = [m for m in found if m.polarity == 1]
    assert [m.party for m in asserted] == ["Western officials"]
    assert "fail" in asserted[0].proposition.text() and "Njehu" not in asserted[0].text


def test_disputing_the_clubs_account_answers_the_club_the_article_described(extractor):
    got, found = pairs(extractor, (
        "Second-tier club Stockport Rovers sacked manager Dean Ashby on Sunday.\n\n"
        "The club said in a statement that it had informed Ashby's agent before the announcement. Chairman Graham "
        "Pollitt said the decision had been taken with a heavy heart.\n\n"
        "Ashby's agent, Paul Stretford, disputed the club's account."))
    stretford = next(m for m in found if m.party == "Paul Stretford")
    assert stretford.polarity == -1
    answered = found[stretford.answers]
    assert answered.party == "Stockport Rovers" and "informed" in answered.text


def test_a_participle_of_disputing_disputes_what_its_verb_denied(extractor):
    """"denied that card data was stolen, contradicting a report by a researcher": the claim is the denied
    clause, not the word "contradict"."""
    _, found = pairs(extractor, (
        "British retailer Marlow & Finch on Wednesday denied that payment card details of its customers had been "
        "stolen, contradicting a report by a security researcher."))
    disputed = [m for m in found if m.polarity == -1]
    assert disputed and disputed[0].party == "Marlow & Finch"
    assert "steal" in disputed[0].proposition.text() or "stolen" in disputed[0].proposition.text()


def test_evidence_does_not_open_with_the_quote_mark_of_the_paragraph_before():
    from onrecord.claims.statements import trimmed
    from onrecord.records import Span

    text = '"We were not told," he said."\n\nThe club said it had told his agent.'
    start = text.index('"\n\n')
    span, clean = trimmed(text, Span(start, len(text)))
    assert clean == "The club said it had told his agent." and text[span.start:span.end] == clean
    assert trimmed(text, Span(0, 10))[1] == '"We were n'  # a quote mark that opens the sentence stays


def test_rejecting_an_organisations_claims_answers_the_organisation_it_names_with_the(extractor):
    """"rejected the association's claims": the association named with "The" by the tagger
    ("The Harbour Residents Association") is still the one the speakers call Harbour Residents Association."""
    got, found = pairs(extractor, (
        "Residents fight harbour tower\n\n"
        "The Harbour Residents Association said the decision broke a 2015 rule on building heights.\n\n"
        "The developer, Lindqvist Homes, rejected the association's claims."))
    asserted = next(m for m in found if m.polarity == 1)
    assert asserted.party == "Harbour Residents Association" and "2015 rule" in asserted.text


def test_a_claim_referred_to_is_the_statement_of_its_sentence_that_says_a_clause(extractor):
    """"opposed by Public Citizen, which said the agency had lowered its standards. The FDA rejected that claim":
    of two statements of one sentence, the one with a clause is the claim answered, not the stance on a thing."""
    got, found = pairs(extractor, (
        "The approval had been opposed by the consumer group Public Citizen, which said the agency had lowered its "
        "standards. The FDA rejected that claim."))
    fda = next(m for m in found if m.party == "FDA")
    assert fda.polarity == -1 and "standards" in found[fda.answers].proposition.text()


def test_that_account_answers_the_statement_just_before_not_a_count_further_back(extractor):
    """A count said first (a framed casualties claim) is not what "that account" disputes when another party
    spoke in between."""
    doc = extractor.nlp(
        "DHAKA, Aug 30 - Floods in eastern Bangladesh have killed at least 52 people, officials said on Friday.\n\n"
        "Save the Children said many families had gone two days without clean water.\n\n"
        "The government disputed that account.")
    data = analyse_article(doc, ArticleMeta(origin="flood", published="2024-08-30"), doc._.attributions)
    disputes = [m for m in data.mentions if m.party == "government" and m.polarity == -1]
    assert len(disputes) == 1 and "water" in disputes[0].target
    assert not any(m.kind is ClaimKind.CASUALTIES and m.polarity == -1 for m in data.mentions)


def test_a_body_named_by_one_word_is_not_a_group_whose_words_end_in_it(extractor):
    """"Club denies ..." in a headline is not "a source close to the English club", named later."""
    _, found = pairs(extractor, (
        "Club denies striker's claim that it blocked his move\n\n"
        "AC Rivoli rejected claims by striker Lucas Moreau that the club had blocked his transfer.\n\n"
        "A source close to the English club said no bid had been submitted."))
    assert not any(m.party == "source close to the English club" and m.polarity == -1 for m in found)


def test_a_partys_comments_named_by_what_they_are_about_are_those_comments(extractor):
    """"Keller's comments about the ballots" answers what Keller said about the ballots, not his latest quote."""
    got, found = pairs(extractor, (
        "Mayor concedes defeat\n\nMayor Tom Keller conceded the race on Thursday but said he had serious questions "
        "about how mail ballots "
        "were counted.\n\n"
        "\"I called Maria this morning to congratulate her,\" Keller told supporters.\n\n"
        "Her campaign manager, Devon Price, said Keller's comments about the ballots were \"disappointing and "
        "baseless.\""))
    price = next(m for m in found if m.party == "Devon Price")
    assert price.polarity == -1 and "ballot" in found[price.answers].proposition.text()


def test_that_account_stays_with_the_claim_when_the_party_between_disputes_it_too(extractor):
    """"These are lies," after "Azerbaijan's defence ministry denied the report and said ...": the aide disputes the
    report the ministry denied, not the ministry's own statement."""
    doc = extractor.nlp(
        "YEREVAN, Oct 2 - A ceasefire came under strain on Wednesday.\n\n"
        "Armenia's defence ministry said Azerbaijani forces had fired mortars at three villages in the Syunik "
        "region, wounding a civilian. Azerbaijan's defence ministry denied the report and said Armenian units had "
        "opened fire first.\n\n"
        "\"These are lies meant to cover their own provocations,\" Azerbaijani presidential aide Hikmet Hajiyev "
        "wrote on Twitter.")
    data = analyse_article(doc, ArticleMeta(origin="truce", published="2024-10-02"), doc._.attributions)
    hajiyev = [m for m in data.mentions if m.party == "Hikmet Hajiyev"]
    assert hajiyev and all(m.polarity == -1 and "Armenian units" not in (m.target or "") for m in hajiyev)


def test_both_surnames_of_a_person_named_in_full_are_that_person(extractor):
    doc = extractor.nlp("Mines Minister Gonzalo Ibarra Villanueva said the review was rigorous. Community leaders "
                        "rejected Ibarra Villanueva's account.")
    assert Names(doc, doc._.attributions).name("Ibarra Villanueva") == "Gonzalo Ibarra Villanueva"

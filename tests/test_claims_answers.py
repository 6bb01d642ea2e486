"""What a dispute answers when it only points back ("disputes that figure", "the fraud allegations"), figures
offered in place of another party's, and what is no dispute of a claim at all. Texts written for these tests."""

from __future__ import annotations

import pytest

from onrecord.claims.statements import find_disputes


def sides(extractor, text):
    """{(party, polarity)} of the article's dispute mentions, and the mentions (under a headline: an article's
    first line is its title, whose statements are not read)."""
    doc = extractor.nlp("Row over the figures\n\n" + text)
    found = find_disputes(doc, doc._.attributions, "2025-03-02")
    return {(m.party, m.polarity) for m in found}, found


def answered(found, party):
    """The text of the assertion the dispute by ``party`` answers."""
    dispute = next(m for m in found if m.party == party and m.polarity == -1)
    return found[dispute.answers].text


@pytest.mark.parametrize("text, asserter, disputer, answer", [
    # a dispute of "that figure" answers the statement that gives one, not the quote after it
    ("Velora Foods says its new plant will use about 90 million litres of water a year. Its director, Anna "
     "Berg, said the plant would \"change the valley for good.\"\n\n"
     "The Lower Tarn Farmers' Union, which represents 2,000 growers, disputes that figure.",
     "Velora Foods", "Lower Tarn Farmers' Union", "90 million litres"),
    # "disputes" tagged a plural noun after a long subject is still the cue's verb
    ("Mayor Jon Kell told reporters that the merged utility would serve about 31 percent of homes in the "
     "county. \"Our rivals are the big national firms,\" Kell said.\n\n"
     "The Harbor Tenants Council, which represents about 12,000 renters across several districts, disputes that "
     "figure.",
     "Jon Kell", "Harbor Tenants Council", "31 percent"),
    # the fraud allegations answer the one who charged someone, not the latest speaker
    ("Opposition leader Tomas Varga accused election officials of altering tally sheets overnight.\n\n"
     "The election board denied that any result had been changed. Its chairwoman, Ilse Moor, said the figures "
     "had been checked against the paper sheets.\n\n"
     "Governor Pal Sándor called the fraud allegations \"a desperate fiction.\"",
     "Tomas Varga", "Pal Sándor", "altering tally sheets"),
    # a figure offered as nearer the truth than another party's, though it counts in other words
    ("The planning office says 850 households would need to move to make way for the road.\n\n"
     "The Riverside Residents Network says the real figure is closer to 6,000 families.",
     "planning office", "Riverside Residents Network", "850 households"),
    # a forecast "closer to" another figure answers the forecast before it
    ("Finance Minister Ana Ruiz said the plan would bring monthly inflation below 2 percent by June.\n\n"
     "Ivo Lund, chief economist at Harbor Bank, said the wider band would put monthly inflation closer to 4 "
     "percent.",
     "Ana Ruiz", "Ivo Lund", "2 percent"),
    # the real toll is higher: a dispute of the figure before it without a figure of its own
    ("The Transport Minister, Omar Haidari, said 41 bodies had been recovered after the ferry sank.\n\n"
     "Relatives of the passengers say the real toll is far higher.",
     "Omar Haidari", "Relatives of the passengers", "41 bodies"),
    # "the retailers' estimate": the body of retailers named before
    ("The Norfolk Retailers' Association, which represents 900 shops, said the toll would cost the city centre "
     "some 2,000 jobs.\n\n"
     "Transport Minister Nora Quill also rejected the retailers' jobs estimate, saying footfall had risen "
     "in other cities.",
     "Norfolk Retailers' Association", "Nora Quill", "2,000 jobs"),
    # a wait of minutes is a figure: "that figure" answers it, not the line about millions of people
    ("Deputy Mayor Lena Ortiz told reporters that residents waited an average of 25 minutes for a bus at peak "
     "hours. \"A city of four million people cannot run on a fleet sized for the 1990s,\" she said.\n\n"
     "The Metro Drivers Guild rejects that figure.",
     "Lena Ortiz", "Metro Drivers Guild", "25 minutes"),
    # "the HRA's debt figure": the figure its leader gave, who speaks for the alliance ("Its caucus leader")
    ("The opposition Harbor Residents' Alliance (HRA) voted against the increase. Its caucus leader, Tomas Varga, "
     "said the council had no right to charge more.\n\nVarga said the largest businesses owed the city $380 "
     "million.\n\nThe mayor's office rejected the HRA's debt figure, saying arrears stood at $212 million.",
     "Tomas Varga", "mayor's office", "$380 million"),
    # "the police version of events" in the lede: what the police spokesman says below
    ("Witnesses to a protest by fishermen in Ostby contradicted the police version of events on Wednesday.\n\n"
     "Police spokesman Anders Holm told a news briefing that about 200 protesters had tried to storm the "
     "harbour police post.",
     "Anders Holm", "Witnesses to a protest by fishermen in Ostby", "200 protesters"),
    # "the report" judged in what the speaker said: the statement of the report, whose party is who wrote it
    ("A report by the Coastal Safety Board found that ferries on the Lund route had sailed overloaded on nine "
     "occasions since May.\n\n"
     "Northway Ferries chief executive Marta Holm told reporters that the report was \"inaccurate and unfair.\"",
     "Coastal Safety Board", "Marta Holm", "sailed overloaded"),
    # "the group" is the body described as a group where it was named, though a company was named since
    ("The Clean Rivers Alliance, a campaign group, said the permit Vastra Paper published for its Orsa mill covered an "
     "older treatment plant.\n\n"
     "A spokeswoman for Vastra Paper denied the group's claim, saying the new plant had been certified in 2024.",
     "Clean Rivers Alliance", "spokeswoman", "older treatment plant"),
    # "no such warnings" denies what another party said before it
    ("The environment department said it had warned the Orsa mill twice last year about faulty filters.\n\n"
     "A company spokeswoman said the mill had received no such warnings and had passed every inspection.",
     "environment department", "spokeswoman", "faulty filters"),
    # "no such plan" points back, to what was said before it, not to the plan others judge after it
    ("The Rail Workers Union said the sale would cost 2,000 jobs. Its president, Ion Varga, said consultants "
     "hired by the ministry had told union leaders that the buyer could close three repair depots.\n\n"
     "Transport Minister Lena Moor said no such plan existed.\n\n"
     "Opposition lawmakers called the plan \"a clearance sale\" that would hand the depots to foreign owners.",
     "Ion Varga", "Lena Moor", "consultants"),
    # the narrator says a figure is disputed; the statement in the next sentence says by whom
    ("Education Minister Rosa Lind said that nearly half of students in village schools had failed a subject last "
     "year.\n\n"
     "Lind's failure figure is also disputed. The Teachers' Union of Ostland said the ministry had counted "
     "students who later passed the subject in a second sitting.",
     "Rosa Lind", "Teachers' Union of Ostland", "nearly half"),
    # "had not been established" judges the link another party drew
    ("The health department said 40 children had been treated for lead poisoning after eating Kumo noodles.\n\n"
     "The hospital's chief paediatrician, Grace Nalu, said a link between the noodles and the children's illness "
     "had \"not been established.\"",
     "health department", "Grace Nalu", "40 children"),
    # the real number offered in place of another party's forecast, the tagger having typed the number nothing
    ("Northway Paper said on Tuesday that 310 employees would lose their jobs when its mill in Lund shuts.\n\n"
     "The Mill Workers Union said the real number was closer to 900 once contractors and truck drivers were "
     "counted.",
     "Northway Paper", "Mill Workers Union", "310 employees"),
])
def test_a_dispute_answers_the_statement_it_points_at(extractor, text, asserter, disputer, answer):
    got, found = sides(extractor, text)
    assert any(p.endswith(asserter) and s == 1 for p, s in got), got
    assert any(p.endswith(disputer) and s == -1 for p, s in got), got
    party = next(p for p, s in got if p.endswith(disputer) and s == -1)
    assert answer in answered(found, party)


@pytest.mark.parametrize("text, party", [
    # challenging a permit is a position on a proposal, not a dispute of a claim
    ("The Water Board said the permit came with strict conditions.\n\n"
     "The Valley Farmers Association said it would challenge the permit before the High Court.",
     "Valley Farmers Association"),
    # a decision is contested by a position too
    ("The council said the rates would rise by 14 percent.\n\n"
     "The Valley Residents Forum said it would challenge the decision in court.",
     "Valley Residents Forum"),
    # "raised new questions about": a noun, not a verb of disputing
    ("Senator Mia Dahl said the agency had lost the files.\n\n"
     "The Harbor Ledger raised new questions about the agency's records.",
     "Harbor Ledger"),
])
def test_what_is_no_dispute_of_a_claim(extractor, text, party):
    got, _ = sides(extractor, text)
    assert not any(p.endswith(party) and s == -1 for p, s in got), got


def test_a_surname_typed_an_organisation_is_no_organisation(extractor):
    # the small tagger often types a bare surname ORG ("Tkachuk also accused the company"): it is the person the
    # article named in full, so "the company" after it cannot mean it
    from spacy.tokens import Span as SpacySpan

    from onrecord.claims.statements import Names

    doc = extractor.nlp(
        "Row over the mill\n\n"
        "Northway Paper said it would close its Lund mill, blaming a shortage of wood fibre.\n\n"
        "Union president Marta Holm said the mill was profitable. Holm also accused the company of hiding its real "
        "reasons.")
    holm = next(t for t in doc if t.text == "Holm" and doc[t.i + 1].text == "also")
    doc.ents = [e for e in doc.ents if not (e.start <= holm.i < e.end)] + [SpacySpan(doc, holm.i, holm.i + 1, "ORG")]
    names = Names(doc, doc._.attributions)
    assert names._someone_else(doc[holm.i : holm.i + 1])
    assert "Holm" not in [e.text for e in names._article_organisations().orgs]


def test_a_ministry_spokeswoman_speaks_for_the_ministry(extractor):
    # "A ministry spokeswoman, X," speaks for the ministry named before: its denial answers no statement of hers
    got, _ = sides(extractor, (
        "The Ministry of Transport set new track charges in March. A ministry spokeswoman, Elena Dumas, said the "
        "charges were set by an independent regulator.\n\n"
        "The ministry denied that the charges had been set to favour private operators."))
    assert not any(p.endswith("Elena Dumas") and s == 1 for p, s in got), got


def test_a_measure_after_by_is_nobodys_claim(extractor):
    # "charges ... by 60 percent": how much they rose, not whose charges they are
    got, _ = sides(extractor, (
        "The ministry said Marfarom owed 2.1 billion lei.\n\n"
        "Its president, Ion Stoica, said the debt figure was \"inflated by debts the ministry itself created,\" "
        "because the state had raised track access charges for Marfarom by 60 percent since 2019."))
    assert not any("percent" in p for p, _ in got), got


def test_a_not_after_a_noun_of_proof_does_not_negate_it(extractor):
    from onrecord.claims.words import WORDS

    doc = extractor.nlp('He would consider any request that "comes with evidence, not noise."')
    assert not WORDS.judges_false(list(doc))  # the "not" negates the noise
    assert WORDS.judges_false(list(extractor.nlp("She said there was no evidence of fraud.")))


def test_the_two_sides_together_take_no_side(extractor):
    from onrecord.analysis import ArticleMeta
    from onrecord.claims import analyse_article, parties

    doc = extractor.nlp(
        "Nurses dispute council claim that clinic queues have halved\n\n"
        "\"They have mixed the quick visits with the slow ones and called the result progress,\" Lind said.\n\n"
        "A council spokeswoman said the figures came straight from the clinic records. She denied that the council "
        "had mixed short and long visits, and said the union had \"chosen the two slowest clinics in the city.\"\n\n"
        "The two sides also disagree about staffing. The council says 300 nurses have been hired since 2024. Lind "
        "said the real increase was closer to 40.")
    found = analyse_article(doc, ArticleMeta(origin="test", published="2025-06-02"), doc._.attributions)
    assert not any("two sides" in m.party for m in found.mentions), [(m.party, m.via) for m in found.mentions]
    assert parties.both_sides("both parties") and not parties.both_sides("two unions")

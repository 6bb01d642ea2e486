"""Proposals as entities and parties' stances on them, on short texts written for these tests."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from onrecord.analysis import ArticleMeta
from onrecord.claims import Stance, analyse_article
from onrecord.claims.records import PositionMention
from onrecord.claims.parties import key
from onrecord.claims.proposals import ProposalIndex
from onrecord.claims.stances import _undone


def positions(extractor, text):
    doc = extractor.nlp(text)
    found = analyse_article(doc, ArticleMeta(origin="test", published="2025-06-02"), doc._.attributions)
    return {(p.party, key(p.proposal)): p for p in found.positions}, found


def stance_of(found, party, proposal_word):
    hits = [p for (who, prop), p in found.items() if who == party and proposal_word in prop]
    assert len(hits) == 1, sorted(found)
    return hits[0].stance


def test_the_plan_and_this_proposal_are_the_named_plan_and_amendments_are_their_own(extractor):
    doc = extractor.nlp(
        "Norway circulated a 12-point grain corridor plan on Monday. The plan would reopen two ports. "
        "Egypt said the amendments proposed by Turkey to the plan went too far, while Brazil welcomed this "
        "proposal.")
    index = ProposalIndex(doc)
    kinds = {p.kind: p for p in index.records()}
    assert kinds["plan"].name == "12-point grain corridor plan"
    assert len(kinds["plan"].spans) >= 3  # "a 12-point ... plan", "The plan", "this proposal" (and "the plan")
    assert kinds["amendment"].proposed_by == "Turkey"
    assert kinds["plan"].key != kinds["amendment"].key


def test_judgements_passives_and_nominal_demands(extractor):
    found, _ = positions(extractor, (
        "Kenya said that the draft resolution was unacceptable.\n\n"
        "Ghana reiterated its call for a permanent truce, a proposal long resisted by Sudan and rejected by "
        "Chad."))
    assert stance_of(found, "Kenya", "resolution") is Stance.REJECT
    assert stance_of(found, "Chad", "truce") is Stance.REJECT
    assert stance_of(found, "Ghana", "truce") is Stance.SUPPORT


def test_asking_for_changes_is_seeking_revision_and_an_alternative_is_a_counter_proposal(extractor):
    found, _ = positions(extractor, (
        "The Arab League presented a five-stage peace roadmap on Tuesday.\n\n"
        "Jordan urged the League to amend the roadmap.\n\n"
        "Iran submitted an alternative text to the five-stage peace roadmap."))
    assert stance_of(found, "Jordan", "roadmap") is Stance.SEEK_REVISION
    assert stance_of(found, "Iran", "roadmap") is Stance.COUNTER_PROPOSAL


def test_praise_with_criticism_of_a_part_is_mixed_and_plain_backing_is_support(extractor):
    found, _ = positions(extractor, (
        "Chile presented a fishing quota deal on Thursday.\n\n"
        "Peru backed the deal.\n\n"
        "Argentina's foreign minister said that Buenos Aires supports the deal but rejects some provisions of "
        "the agreement."))
    assert stance_of(found, "Peru", "deal") is Stance.SUPPORT
    mixed = [p for (who, prop), p in found.items() if p.stance is Stance.MIXED]
    assert mixed and all("deal" in key(p.proposal) for p in mixed)


def test_a_proposal_described_as_supported_is_not_a_statement_of_support(extractor):
    found, _ = positions(extractor, "Talks focused on the US-backed ceasefire plan, officials said.")
    assert not [p for p in found.values() if p.party in ("US", "United States")]


def test_positions_point_at_their_evidence(extractor):
    text = "Denmark rejected the fisheries treaty on Friday."
    found, result = positions(extractor, text)
    (p,) = result.positions
    assert p.stance is Stance.REJECT and p.party == "Denmark"
    assert text[p.span.start:p.span.end] == p.text and "rejected" in p.text
    assert p.said_on == "2025-06-02"


def test_criticism_of_aspects_with_no_support_is_opposition_and_of_a_few_parts_mixed(extractor):
    found, _ = positions(extractor, (
        "Chile presented a fishing quota deal on Thursday.\n\n"
        "Peru criticized various aspects of the deal.\n\n"
        "Uruguay criticized some provisions of the deal."))
    assert stance_of(found, "Peru", "deal") is Stance.OPPOSE
    assert stance_of(found, "Uruguay", "deal") is Stance.MIXED  # a few parts: the rest stands


def test_his_support_is_the_support_of_the_person_just_named_even_when_the_parser_misses_the_name(extractor):
    found, _ = positions(extractor, (
        "Senator Maria Ostrow spoke on Monday. "
        "The mayor focused on Ostrow's vote against a farm bill, as well as her support for a bill that "
        "protected the river."))
    assert any(who == "Maria Ostrow" and "river" in prop and p.stance is Stance.SUPPORT
               for (who, prop), p in found.items()), sorted(found)


def test_the_group_is_the_organisation_named_before_it(extractor):
    found, _ = positions(extractor, (
        "The Harbor Alliance met on Monday. Mayor Ana Ruiz backed the port deal, which the group tried to stop."))
    assert stance_of(found, "Harbor Alliance", "deal") is Stance.OPPOSE


def test_our_in_the_words_of_an_organisations_officer_is_the_organisation(extractor):
    found, _ = positions(extractor, (
        "Harbor News Network Vice President Lena Park spoke on Monday. "
        "\u201cWe are sorry that the senator has declined our debate invitation,\u201d Park said."))
    assert any(who == "Harbor News Network" and p.stance is Stance.SUPPORT for (who, _), p in found.items()), \
        sorted(found)
    assert not any(who == "Lena Park" for who, _ in found), sorted(found)
    found, _ = positions(extractor, (
        "Lena Park, a spokeswoman for the Harbor News Network, spoke on Monday. "
        "\u201cWe are sorry that the senator has declined our debate invitation,\u201d Park said."))
    assert any(who == "Harbor News Network" for who, _ in found), sorted(found)


def test_calling_the_statement_that_put_a_proposal_forward_judges_the_proposal(extractor):
    found, _ = positions(extractor, (
        "Mayor Tom Berg announced a ban on plastic bags on Monday. Senator Jo Kim called the statement reckless."))
    assert stance_of(found, "Jo Kim", "ban") is Stance.OPPOSE


def test_a_conditional_takes_no_position_and_a_clause_proposal_keeps_its_words(extractor):
    found, _ = positions(extractor, (
        "\u201cYou are not fit for office if you supported the fishing quota deal,\u201d Senator Jo Kim said. "
        "Governor Ana Ruiz is pushing for her city to become the first to ban plastic bags."))
    assert not any(p.stance is Stance.SUPPORT and "deal" in prop for (_, prop), p in found.items()), sorted(found)
    assert any("Ana Ruiz" in who and "ban plastic bags" in prop for who, prop in found), sorted(found)


def test_parties_named_together_each_take_the_position_and_sending_a_proposal_supports_it(extractor):
    found, _ = positions(extractor, (
        "Senator Maria Ostrow and Senator Paul Riker sent the referral to the county prosecutor on Monday."))
    assert stance_of(found, "Maria Ostrow", "referral") is Stance.SUPPORT
    assert stance_of(found, "Paul Riker", "referral") is Stance.SUPPORT


def test_an_organisation_saying_it_opposes_and_vowing_to_fight_a_proposal(extractor):
    found, _ = positions(extractor, (
        "Workers at the plant voted on Monday. The United Auto Workers union said it opposed the merger. "
        "The Green Party vowed to fight the tax bill in parliament. "
        "The European Commission said the tariffs were unjustified."))
    assert stance_of(found, "United Auto Workers union", "merger") is Stance.OPPOSE
    assert stance_of(found, "Green Party", "bill") is Stance.OPPOSE  # and no "support" for a fight
    assert stance_of(found, "European Commission", "tariff") is Stance.OPPOSE


def test_another_amount_for_the_proposal_at_issue_is_a_counter_proposal(extractor):
    found, _ = positions(extractor, (
        "Senator Jo Kim backs a $15 minimum wage for the state. \u201cA $15 minimum wage would lift families out of "
        "poverty,\u201d Kim said. Governor Ana Ruiz said she would not go above a $12 minimum wage this year."))
    assert any("Ana Ruiz" in who and p.stance is Stance.COUNTER_PROPOSAL and "15" in p.proposal
               for (who, _), p in found.items()), sorted((k, p.stance) for k, p in found.items())
    assert not any("Jo Kim" in who and p.stance is Stance.COUNTER_PROPOSAL for (who, _), p in found.items())


def test_a_position_after_a_dateline_is_the_subjects_not_the_places(extractor):
    found, _ = positions(extractor, (
        "WARSAW, June 14 - Poland's two largest rail unions on Tuesday rejected a government pay offer.\n\n"
        "NAIROBI, Sept 5 (AP) - African leaders meeting in Nairobi called on Thursday for a climate adaptation "
        "fund."))
    parties = {who for who, _ in found}
    assert not parties & {"Poland", "Kenya", "WARSAW", "NAIROBI"}, sorted(found)
    assert stance_of(found, "Poland's two largest rail unions", "offer") is Stance.REJECT


def test_a_participle_that_describes_a_noun_takes_no_position(extractor):
    found, _ = positions(extractor, (
        "The researcher, Karen Olsen, said she had checked a sample of the records offered for sale."))
    assert not found, sorted(found)


def test_a_plan_supposed_in_a_condition_is_not_the_plan_that_follows(extractor):
    found, _ = positions(extractor, (
        "The rail unions rejected a government pay offer on Tuesday. Their leader said members would strike "
        "unless the ministry returned with a better proposal.\n\n"
        "Minister Dariusz Klimczak defended the plan."))
    assert stance_of(found, "Dariusz Klimczak", "offer") is Stance.SUPPORT


def test_a_chief_executive_is_no_proposal(extractor):
    found, _ = positions(extractor, (
        "Qorva's chief executive, Maarten de Vries, told analysts that the company expected to win in court."))
    assert not [k for k in found if "executive" in k[1]], sorted(found)


def test_a_levy_is_a_proposal_like_a_tax(extractor):
    found, _ = positions(extractor, (
        "The summit's declaration proposes a climate fund paid for in part by a levy on shipping.\n\n"
        "France backed the levy. Germany's development minister said Berlin rejected the levy."))
    assert stance_of(found, "France", "levy") is Stance.SUPPORT
    assert stance_of(found, "Germany", "levy") is Stance.REJECT


@pytest.mark.parametrize("text", [
    "Governor Ann Lyle backed off some of her initial proposals on the pension plan.",
    "Governor Ann Lyle backed away from the pension plan on Tuesday.",
    "Governor Ann Lyle backed down on the pension plan after the vote.",
    "Governor Ann Lyle walked back her pension plan on Tuesday.",
    # not putting something forward is no stance against it
    "Governor Ann Lyle said she would not seek a recount of the ballots.",
    "Governor Ann Lyle did not call for a ban on scooters.",
])
def test_a_retreat_or_not_putting_forward_is_no_stance(extractor, text):
    found, _ = positions(extractor, text)
    assert not any(who == "Ann Lyle" for who, _ in found), sorted(found)


def test_not_wanting_a_proposal_opposes_it(extractor):
    found, _ = positions(extractor, "Governor Ann Lyle does not want the pension plan.")
    assert stance_of(found, "Ann Lyle", "pension plan") is Stance.OPPOSE


@pytest.mark.parametrize("text", [
    "Governor Ann Lyle came out against the pension plan on Tuesday.",
    "Governor Ann Lyle turned against the pension plan she had once championed.",
])
def test_coming_out_or_turning_against_a_proposal_opposes_it(extractor, text):
    found, _ = positions(extractor, text)
    assert stance_of(found, "Ann Lyle", "pension plan") is Stance.OPPOSE


def test_a_description_set_off_after_a_name_is_that_named_party(extractor):
    found, _ = positions(extractor, "Maria Lopez, a council member who opposed the parking levy, spoke first.")
    assert stance_of(found, "Maria Lopez", "levy") is Stance.OPPOSE


def test_our_in_a_quote_is_the_quotes_speakers_though_it_tells_what_another_did(extractor):
    found, _ = positions(extractor, (
        "Mayor Anna Lind has turned down a televised debate with her rival. \u201cNaturally, the Harbor Times is "
        "disappointed that Mayor Lind has declined our debate invitation,\u201d Harbor Times editor Lena Ostrova "
        "said."))
    assert stance_of(found, "Anna Lind", "invitation") is Stance.REJECT
    assert stance_of(found, "Lena Ostrova", "invitation") is Stance.SUPPORT


@pytest.mark.parametrize("text", [
    # an adverbial after "for" is nothing asked for
    "The Harbor Party has sought for months to temper expectations.",
    "The Harbor Party has called, for example, on its members to stay home.",
    # filing for bankruptcy proposes nothing
    "The governor dismissed the criticism as the voice of Harlow Coal, the state's largest coal company, which filed "
    "for bankruptcy protection in April.",
])
def test_an_adverbial_or_a_bankruptcy_after_for_is_nothing_asked_for(extractor, text):
    found, _ = positions(extractor, text)
    assert not found, sorted(found)


def test_an_impeachment_is_a_proposal_a_party_takes_a_stance_on(extractor):
    found, _ = positions(extractor, "The United Citizens' Movement urged the Senate to uphold the impeachment.")
    assert stance_of(found, "United Citizens' Movement", "impeachment") is Stance.SUPPORT


@pytest.mark.parametrize("text, nominator", [
    ("In 1968, the Harbor Party nominated Anton Vale, its nominee from 1960.", None),
    ("Republicans begin a roll call vote to nominate Anton Vale.", None),
    ("Democratic delegates will nominate Anton Vale on Tuesday.", None),
    ("Governor Ana Ruiz nominated Anton Vale for a second term as president of the development bank.", "Ana Ruiz"),
])
def test_a_party_choosing_its_candidate_proposes_nobody(extractor, text, nominator):
    found, _ = positions(extractor, text)
    assert [who for who, prop in found if "vale" in prop] == ([nominator] if nominator else []), sorted(found)


def test_a_party_named_by_its_words_takes_none_from_a_clause_hung_on_it(extractor):
    found, _ = positions(extractor, (
        "The senator has been courting the Latino business community, which largely supports the border trade "
        "agreement and ranks among the fastest growing electorates."))
    assert stance_of(found, "Latino business community", "agreement") is Stance.SUPPORT


@pytest.mark.parametrize("text, party, word, stance", [
    ("Republican leaders said they would oppose the bill.", "Republican leaders", "bill", Stance.OPPOSE),
    ("The Colorado Apartment Association opposed the ordinance.", "Colorado Apartment Association", "ordinance",
     Stance.OPPOSE),
])
def test_a_group_speaking_of_itself_and_a_local_law(extractor, text, party, word, stance):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) == stance


def test_sending_something_to_a_place_proposes_nothing(extractor):
    found, _ = positions(extractor, "The European Union's monitoring mission said it had sent a patrol to the border.")
    assert not found


def test_they_is_the_party_that_said_it_not_the_speaker_around_it(extractor):
    found, _ = positions(extractor, "Analysts said the clashes threatened talks on a peace treaty that both "
                                    "governments have said they want to sign.")
    assert not any(party == "Analysts" for party, _ in found)


def test_a_plain_initiative_is_the_last_proposal_called_so(extractor):
    """"Unions rejected the initiative": not the bilateral treaties a minister said it would threaten."""
    found, _ = positions(extractor, (
        "The initiative, launched by the Heimat Party, would force the government to cap immigration.\n\n"
        "Justice Minister Anna Keller warned that it would end the free movement agreement and threaten the "
        "bilateral treaties on which exporters depend.\n\n"
        "Unions also rejected the initiative, though they said the government must do more to protect wages."))
    assert stance_of(found, "Unions", "initiative") is Stance.REJECT
    assert not [k for k in found if "treaties" in k[1]], sorted(found)


def test_a_point_of_agreement_is_no_part_of_a_plan(extractor):
    """"He supports the party's demand for more money, a rare point of agreement between the two parties": the
    parser made "point" an object of "supports"; agreement here is concord, not the draft budget."""
    found, _ = positions(extractor, (
        "Finance Minister Karl Brandt defended the draft, saying spending would still rise.\n\n"
        "Defence Minister Boris Pistorius, a Social Democrat, has said he supports the FDP's demand for more "
        "money for the armed forces, a rare point of agreement between the two parties."))
    assert stance_of(found, "Karl Brandt", "draft") is Stance.SUPPORT
    # his stance is on what the demand is for, never on the draft or an "agreement"
    assert [k for k in found if k[0] == "Boris Pistorius"] == [("Boris Pistorius", "more money")], sorted(found)


def test_the_measure_is_the_bill_named_in_full_before_it(extractor):
    """A bare "the measure" names the proposal named in full before it, whatever its noun; the passive with its
    agent gives the agent's stance."""
    found, _ = positions(extractor, (
        "Governor Elena Cortez said she supported a bill that would require utilities to bury power lines. The "
        "measure is opposed by the Farm Bureau, which says it would raise bills."))
    assert stance_of(found, "Farm Bureau", "bury power lines") is Stance.OPPOSE
    assert stance_of(found, "Elena Cortez", "bury power lines") is Stance.SUPPORT


def test_a_stance_noun_a_party_signals_is_that_partys_stance(extractor):
    found, _ = positions(extractor, "The Office of Relief Coordination has signalled opposition to the farm bill.")
    assert stance_of(found, "Office of Relief Coordination", "bill") is Stance.OPPOSE


def test_someone_elses_support_is_not_the_critics(extractor):
    found, _ = positions(extractor, "Critics questioned his support for the farm bill.")
    assert not any(who == "Critics" for who, _ in found), sorted(found)


def test_a_description_of_a_party_is_the_party_named_before_it(extractor):
    found, _ = positions(extractor, (
        "The Democratic Renewal Alliance met on Monday. Its leader, Ahmadu Bello, said the party would back a "
        "proposal by civil society groups for a partial audit of the disputed wards."))
    assert any(who == "Democratic Renewal Alliance" for who, _ in found), sorted(found)


@pytest.mark.parametrize("text, party, word, stance", [
    # an audit, a review, a buyback: actions a party can ask for or resist
    ("The Plantation Producers Forum said it would support an independent audit of the maps.",
     "Plantation Producers Forum", "audit", Stance.SUPPORT),
    # "could support" states a stance, softly
    ("Kenya's water minister said Kenya could support a mechanism that adjusted releases in drought years.",
     "Kenya", "mechanism", Stance.SUPPORT),
    # support on condition that the proposal change seeks its revision
    ("Tanzania would back the draft framework if the minimum release were raised, its minister said.",
     "Tanzania", "framework", Stance.SEEK_REVISION),
    ("The Smallholders' Union said it could support the regulation only if small farms were exempted.",
     "Smallholders' Union", "regulation", Stance.SEEK_REVISION),
    # the name set off beside a description is the party
    ("The main opposition party, the Dravida Makkal Munnani, has demanded that the bill be withdrawn.",
     "Dravida Makkal Munnani", "bill", Stance.OPPOSE),
    # decrees, auctions, concessions and closures are proposals a party acts on
    ("The cabinet issued the herb decree on Monday. The Traditional Medicine Council welcomed the decree.",
     "Traditional Medicine Council", "decree", Stance.SUPPORT),
    ("The Consumer Rights Forum, a consumer group, backed the licence auction.",
     "Consumer Rights Forum", "auction", Stance.SUPPORT),
    # a proposal called a death blow is opposed
    ("The Retailers Guild called the tobacco decree \"a death blow for small shops\".",
     "Retailers Guild", "decree", Stance.OPPOSE),
    # "the front" after a name the tagger split ("the Malaysian Students' | Solidarity Front")
    ("The fee increase was challenged by the Malaysian Students' Solidarity Front, a coalition of campus unions. "
     "Its president, Nurul Aisyah, said the data were wrong. The front condemned the increase.",
     "Malaysian Students' Solidarity Front", "increase", Stance.OPPOSE),
])
def test_stances_as_world_news_states_them(extractor, text, party, word, stance):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) is stance


def test_an_owners_review_is_no_proposal_the_owner_supports(extractor):
    found, _ = positions(extractor, "The action followed a recommendation by the inspector as part of his "
                                    "review of records kept by five ministers.")
    assert not any("review" in prop for _, prop in found), sorted(found)


@pytest.mark.parametrize("text, party, stance, evidence", [
    ("The assembly approved the port concession on Monday. The Harbour Party, whose deputies voted against, "
     "walked out.", "Harbour Party", Stance.OPPOSE, "whose deputies voted against"),
    # the relative clause is the person's, though the parser hangs it on the body
    ("The Senate approved the bond package by 38 votes to 29. Senator Valeria Sosa of the Federal Front, who "
     "abstained, said the cost was unclear.", "Valeria Sosa", Stance.MIXED, "who abstained"),
])
def test_a_vote_with_no_object_is_on_the_proposal_named_before(extractor, text, party, stance, evidence):
    found, _ = positions(extractor, text)
    hits = [p for (who, _), p in found.items() if who == party]
    assert [p.stance for p in hits] == [stance], sorted(found)
    assert evidence in hits[0].text  # the vote's sentence, not the proposal's


@pytest.mark.parametrize("text", [
    # "called for" proposes; "called a strike for next week" does not
    "The government unveiled its budget plan. The Workers' Federation called a general strike for next week.",
    # an attributive "open" describes the sales; it does not judge them
    "The council has long argued that open retail sales undermined the credibility of herbal medicine.",
])
def test_no_position_where_the_words_take_none(extractor, text):
    found, _ = positions(extractor, text)
    assert not any(p.stance is Stance.SUPPORT and "week" in prop or "sales" in prop
                   for (_, prop), p in found.items()), sorted(found)


def test_his_group_in_a_persons_reported_words_is_that_persons_stance(extractor):
    found, _ = positions(extractor, "The congress debated the quota bill. Gustavo Tello Aranda, who leads the "
                                    "Renewal bloc, said his group would vote against the measure.")
    assert stance_of(found, "Gustavo Tello Aranda", "measure") is Stance.OPPOSE


def test_his_successor_in_someone_elses_hope_is_not_the_speakers(extractor):
    found, _ = positions(extractor, "The plan was unveiled on Monday. Josh Earnest said Obama hopes that his "
                                    "successor will push for the same plan.")
    assert not any(who == "Josh Earnest" for who, _ in found), sorted(found)


def test_a_benefit_compared_is_no_support(extractor):
    found, _ = positions(extractor, "The health care plan would benefit affluent households more than poorer "
                                    "ones, the Tribune's editors said.")
    assert not any(p.stance is Stance.SUPPORT for p in found.values()), sorted(found)


def test_the_front_is_the_front_not_a_phrase_ending_in_its_name(extractor):
    found, _ = positions(extractor, (
        "The Colombian government and the rebel Southern Liberation Front said on Friday that they would extend "
        "their ceasefire by six months. The rebels' chief negotiator, Aurelio Cardenas, said the front accepted "
        "the extension."))
    parties = {who for who, _ in found}
    assert "Southern Liberation Front" in parties and not any(" and " in who for who in parties), sorted(found)


@pytest.mark.parametrize("agent, expected", [("our logs", False), ("our members", True)])
def test_a_stance_verb_whose_agent_is_a_thing_states_no_position(extractor, agent, expected):
    text = ("Lawmakers tabled a proposal to suspend the licences of lenders that leak data.\n\n"
            f"\"It is not supported by {agent},\" Amani Otieno told a news conference.")
    found, _ = positions(extractor, text)
    assert ("Amani Otieno" in {who for (who, prop) in found if "proposal" in prop}) is expected


def test_people_as_the_agent_of_a_passive_stance_verb_take_the_position(extractor):
    text = ("Lawmakers tabled a proposal to suspend the licences of lenders that leak data.\n\n"
            "The proposal has been applauded by Wall Street critics.")
    found, _ = positions(extractor, text)
    assert stance_of(found, "Wall Street critics", "proposal") is Stance.SUPPORT


@pytest.mark.parametrize("text, party, word, stance", [
    # support and, joined by "but", a call for changes: a revision sought (the verb reader's plan, the
    # patterns' law, an adjective's "open to")
    ("The ministry unveiled a draft labour law on Monday. The Workers' Rights Forum said it would support the "
     "draft but wanted changes to cover domestic staff.", "Workers' Rights Forum", "draft", Stance.SEEK_REVISION),
    ("The ministry unveiled a draft labour law on Monday. The Employers' Council said it was open to the draft "
     "but wanted changes to the proposed timelines.", "Employers' Council", "draft", Stance.SEEK_REVISION),
    ("The government tabled the ferry safety bill on Tuesday. The Riders' League welcomed the bill but said it "
     "did not go far enough.", "Riders' League", "bill", Stance.SEEK_REVISION),
    # asking after "but" reserves the support ("called for changes", "called for it to cover ..."), and too little
    # of the proposal wants more of it
    ("The Senate passed the battery safety bill. The Southern Cross Party backed the battery safety bill but called "
     "for changes to its penalties.", "Southern Cross Party", "bill", Stance.SEEK_REVISION),
    ("The Senate passed a battery safety bill. The Southern Cross Party said it would back the bill but called for it "
     "to cover secondhand sales as well.", "Southern Cross Party", "bill", Stance.SEEK_REVISION),
    ("The ministry imposed a three-year ban on lobster fishing. The Benguela Ocean Trust welcomed the ban but said "
     "three years was too short.", "Benguela Ocean Trust", "ban", Stance.SEEK_REVISION),
    # support and a misgiving, or support withheld from something else: mixed
    ("The ministry unveiled a draft labour law on Monday. Senator Ana Ruiz said she would back the law in "
     "principle but was worried about its cost.", "Ana Ruiz", "law", Stance.MIXED),
    ("The assembly passed the gas law on Monday. Deputy Ali Sow said he backed the overall framework but could "
     "not endorse a law that gave the president sole power over the fund.", "Ali Sow", "framework", Stance.MIXED),
    # support with an aside joined by "but" keeps its stance
    ("The ministry unveiled a draft labour law on Monday. Senator Ana Ruiz said she would back the law but "
     "declined to say when.", "Ana Ruiz", "law", Stance.SUPPORT),
    # a reservation saying how the proposal ought to be seeks a revision
    ("The government approved a plan to sell a stake in the rail company. The Freight Operators' Council welcomed "
     "the plan but said the stake should be sold in an open auction.", "Freight Operators' Council", "plan",
     Stance.SEEK_REVISION),
    ("The ministry imposed a ban on the pesticide. The Civic Bloc welcomed the ban but said it must take effect "
     "this year.", "Civic Bloc", "ban", Stance.SEEK_REVISION),
    # support "as long as" something holds hangs on a condition, as with "only if"
    ("The cabinet approved a plan to sell the abattoir company. Senator Ana Sebina said she supported the plan as "
     "long as the state kept a veto over exports.", "Ana Sebina", "plan", Stance.SEEK_REVISION),
    # "the association" is the body the tagger typed a work, named before it
    ("LISBON, May 2 (Wire) - The government imposed a ban on the pesticide.\n\nThe Alto Olive Growers' "
     "Association said the ban would raise costs.\n\nThe association proposed instead that spraying be limited "
     "to night hours.", "Alto Olive Growers' Association", "ban", Stance.COUNTER_PROPOSAL),
    # "It" as the source of a cue is the source the extractor resolved; asking for a delay seeks a revision
    ("The ministry imposed a ban on plastic bags on Monday. The Pharmacists' Association said the ban would hurt "
     "small shops. It asked the ministry to delay enforcement until September.", "Pharmacists' Association",
     "plastic bags", Stance.SEEK_REVISION),
    # "instead" inside what is put forward, far from the verb
    ("The ministry imposed a cap on medicine prices. The Citizen Front said it would introduce a bill to cut "
     "import duties instead.", "Citizen Front", "cap", Stance.COUNTER_PROPOSAL),
    # a body that issues a decree stands for it
    ("LA PAZ, June 2 (Wire) - The Health Ministry on Monday issued a decree capping the prices of medicines.",
     "Health Ministry", "decree", Stance.SUPPORT),
    # "it" is a body the extractor typed from its description though the tagger took the name for a person's;
    # challenging a measure in court rejects it
    ("The ministry imposed a ban on the pesticide. Lusagro Quimica, the Setubal-based company that makes the "
     "product, said it would challenge the decree in the administrative courts.", "Lusagro Quimica", "decree",
     Stance.REJECT),
    # asking a court to halt "it" acts against the measure the article is about
    ("The cabinet approved the exam reform on Monday. The Schools Federation said it would ask the Supreme Court "
     "to halt it.", "Schools Federation", "reform", Stance.REJECT),
    # "proposed" joined by the parser to what the ban does is the speaker's own act
    ("The ministry imposed a three-year ban on lobster fishing. The opposition Coastal People's Congress said "
     "the ban punished fishers for the failures of enforcement and proposed instead halving the quota.",
     "Coastal People's Congress", "ban", Stance.COUNTER_PROPOSAL),
    # asking for "it" to do more than it does seeks a revision of what "it" stands for
    ("The province announced a transition package for the mill workers. The Mill Workers Union called for it to "
     "cover contractors and truckers too.", "Mill Workers Union", "transition package", Stance.SEEK_REVISION),
    # a sale a government puts forward and a crackdown it orders are proposals
    ("The cabinet approved a plan to sell the state abattoir company. The Chamber of Commerce endorsed the sale.",
     "Chamber of Commerce", "sale", Stance.SUPPORT),
    ("The ministry ordered a crackdown on plastic bags. The City Authority endorsed the crackdown.", "City Authority",
     "crackdown", Stance.SUPPORT),
    # abstaining where every mention of the proposal is bare ("the ban") is mixed on the one named most
    ("The ministry announced the ban. Farmers criticised the ban. The Liberal Centre party said it would abstain "
     "on the motion.", "Liberal Centre party", "ban", Stance.MIXED),
    # support on any condition set with "only if" seeks a revision ("if" alone needs a change to the proposal)
    ("The cabinet approved a plan to sell the abattoir company. Senator Ana Sebina said she would vote for the "
     "plan only if the state kept a veto over exports.", "Ana Sebina", "plan", Stance.SEEK_REVISION),
    # support and, joined by "but", something asked for
    ("The council published its zoning plan on Monday. The Chamber of Builders welcomed the plan but wants the "
     "height limit raised near bus stations.", "Chamber of Builders", "plan", Stance.SEEK_REVISION),
    # taking a proposal to court rejects it
    ("The regional government granted the water permit on Monday. The Irrigators' Community said it would "
     "challenge the permit before the High Court.", "Irrigators' Community", "permit", Stance.REJECT),
    # support made to hang on a condition ("its support" is the association's, the subject of the verb)
    ("The cabinet offered a six-month extension of the truce. The Victims' Association conditioned its support for "
     "the extension on the release of hostages.", "Victims' Association", "extension", Stance.SEEK_REVISION),
    # a freeze is a proposal
    ("The city council approved a three-year freeze on new holiday-let licences. The Tenants' Association welcomed "
     "the freeze.", "Tenants' Association", "freeze", Stance.SUPPORT),
    # a plural the lemmatizer leaves as it is ("audits", not "audit") is still a proposal noun
    ("Lawmakers tabled a bill on data deletion. The Lenders Association said it would back tougher security audits "
     "for all members.", "Lenders Association", "audits", Stance.SUPPORT),
    # a named body's members or leaders are the body
    ("The Scottish Parliament passed the rent cap bill on Wednesday. The Highlands and Islands Party's eight members "
     "abstained.", "Highlands and Islands Party", "bill", Stance.MIXED),
    ("The Banana Growers Chamber offered a new wage agreement on Monday. Leaders of the National Federation of Banana "
     "Workers signed the agreement on Wednesday.", "National Federation of Banana Workers", "agreement", Stance.SUPPORT),
    # a group named by a place the proposal names too still takes a position on it
    ("The ministry imposed a three-year ban on lobster fishing around Port Nolloth.\n\nResidents of Port Nolloth "
     "marched to the town hall on Tuesday to protest against the ban.", "Residents of Port Nolloth", "ban",
     Stance.OPPOSE),
    # a body the tagger typed a work (a plural's possessive apostrophe reads to it as a closing quote)
    ("WELLINGTON, May 2 (Wire) - The Commerce Commission proposed a compulsory recall of e-bike batteries.\n\n"
     "The Ceylon Boat Owners' Association, which represents larger trawlers, backed the recall.",
     "Ceylon Boat Owners' Association", "recall", Stance.SUPPORT),
])
def test_stances_as_reports_state_them(extractor, text, party, word, stance):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) is stance


@pytest.mark.parametrize("text, party, word", [
    # an alternative answers the proposal the article is about, not the last noun of a proposal's kind
    ("Parliament is debating the fishing bill. Its sponsors say the bill would save stocks, and a rival "
     "offer of a one-year study was dropped. The Fishers' Union proposed instead a two-year freeze on licences.",
     "Fishers' Union", "bill"),
    ("The government proposed a plan to close the mines. The plan drew an offer of talks from the unions. The "
     "Green League put forward an alternative.", "Green League", "plan"),
])
def test_an_alternative_answers_the_proposal_the_article_names_most(extractor, text, party, word):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) is Stance.COUNTER_PROPOSAL


def test_asking_for_a_proposal_to_be_undone_opposes_it(extractor):
    # "a motion calling for fees to be frozen": the parser hangs the undoing on the proposal as a relative
    # clause; what is asked for is the undoing (a Doc built by hand, so the parse is this one)
    words = ["Berg", "tabled", "a", "motion", "calling", "for", "fees", "to", "be", "frozen", "."]
    heads = [1, 1, 3, 1, 3, 4, 5, 9, 9, 6, 1]
    deps = ["nsubj", "ROOT", "det", "dobj", "acl", "prep", "pobj", "aux", "auxpass", "relcl", "punct"]
    lemmas = ["Berg", "table", "a", "motion", "call", "for", "fee", "to", "be", "freeze", "."]
    doc = Doc(extractor.nlp.vocab, words=words, heads=heads, deps=deps, lemmas=lemmas)
    assert _undone(doc[6])
    assert not _undone(doc[3])


def test_a_proposal_offering_an_alternative_is_no_party(extractor):
    found, _ = positions(extractor, "The governor unveiled a tax plan on Monday. Senator Ruiz's tax proposals "
                                    "offer a stark alternative to the governor's plan.")
    assert not any("proposals" in who.lower() for who, _ in found), sorted(found)


def test_a_party_that_opposes_a_plan_and_asks_for_another_holds_both_stances(extractor):
    # the proposal reader has the opposition; the counter-proposal comes from the stance patterns
    found = analyse_article(extractor.nlp(
        "The ministry signed a power import deal on Monday. The Electricity Workers Union opposed the deal and "
        "called for the money to be spent instead on repairing the old plants."),
        ArticleMeta(origin="test", published="2025-06-02")).positions
    stances = {p.stance for p in found if p.party == "Electricity Workers Union"}
    assert stances == {Stance.OPPOSE, Stance.COUNTER_PROPOSAL}, found


@pytest.mark.parametrize("text, party, expected", [
    # a union's or company's threat of a strike or lawsuit rejects the plan at issue
    ("The cabinet approved a plan to sell the abattoir company. The Meat Workers Union said it would call a "
     "strike at all three plants.", "Meat Workers Union", Stance.REJECT),
    # a person threatening to sue someone takes no position on the plan
    ("The council approved a plan to sell the abattoir company. Mayor Tom Berg said he would sue the newspaper "
     "for libel.", "Tom Berg", None),
])
def test_a_threat_of_action_rejects_the_plan_when_a_body_makes_it(extractor, text, party, expected):
    found, _ = positions(extractor, text)
    stances = [p.stance for (who, _), p in found.items() if who == party]
    assert stances == ([expected] if expected else []), sorted(found)


@pytest.mark.parametrize("text, party, word, absent", [
    # "the group" in its spokesman's words is the bloc he speaks for ("its spokesman"), not the court named last
    ("The council will vote on the zoning plan on Friday. Residents said they would file a challenge before the "
     "Constitutional Court.\n\nThe Citizen Renewal bloc, which holds the balance, will abstain, its spokesman, "
     "Mario Ixcot, said on Tuesday. He said the group liked the transit element of the plan.",
     "Citizen Renewal bloc", "plan", "Constitutional Court"),
    # "the party" in the words of "The UPC's state spokesman" is the UPC, not the party named before
    ("The Democratic Renewal Alliance said it would back a proposal by civil groups for an audit of the wards.\n\n"
     "The UPC's state spokesman, Oluwadamilare Ayantunde, said the party rejected the audit proposal.",
     "UPC", "audit", None),
    # "The association's chairman": the association, though a council was named after it
    ("Parliament published the data bill on Monday. The Harbor Lenders Association said it would study it. The "
     "Consumer Council welcomed the bill.\n\nThe association's chairman, Otieno Ogola, said the group opposed "
     "the bill.", "Harbor Lenders Association", "bill", None),
    # "the guild" in its chief executive's words: the guild, which takes the plan to court
    ("The city unveiled a plan to charge drivers for entering the old town. The Cork City Retailers' Guild "
     "represents 400 shops. Its chief executive, Ciaran Daly, said the guild would seek a judicial review in the "
     "High Court.",
     "Cork City Retailers' Guild", "plan", None),
])
def test_the_body_a_spokesman_names_in_his_own_words(extractor, text, party, word, absent):
    found, _ = positions(extractor, text)
    assert any(who == party and word in prop for who, prop in found), sorted(found)
    assert absent is None or not any(who == absent for who, _ in found)


@pytest.mark.parametrize("text, party, word, stance, absent", [
    # a proposal put as a "that" clause keeps its subject, and needs a proposer ("not to recommend that" has none)
    ("The Harbour Board has proposed that ferry fares rise by 10 percent a year. The Ferry Users Forum sent a "
     "letter seeking answers about the board's decision not to recommend that the old pier be closed.",
     "Harbour Board", "ferry fares rise", Stance.SUPPORT, "pier"),
    # what a party seeks in court is an action against the plan, not a proposal of its own
    ("The city unveiled a plan to charge drivers for entering the old town. The Retailers Guild said it would "
     "seek a judicial review in the High Court.", "Retailers Guild", "plan", Stance.REJECT, "review"),
])
def test_what_is_proposed_and_what_is_no_proposal(extractor, text, party, word, stance, absent):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) is stance
    assert not any(absent in prop for _, prop in found), sorted(found)


def test_proposing_instead_is_a_counter_proposal_only(extractor):
    found, _ = positions(extractor, (
        "The government has proposed a plan to close the mines. The Green League proposed instead that the "
        "government buy the mines."))
    assert [p.stance for (who, _), p in found.items() if who == "Green League"] == [Stance.COUNTER_PROPOSAL]


@pytest.mark.parametrize("text, party, word, stance", [
    # a decision welcomed or condemned is the proposal decided on
    ("The Harbour Board approved a new cruise levy on Monday. The Island Hotels Circle welcomed the decision.",
     "Island Hotels Circle", "levy", Stance.SUPPORT),
    # ... also named as its maker's
    ("The Harbour Board approved a new cruise levy on Monday. The Island Hotels Circle welcomed the board's "
     "decision.", "Island Hotels Circle", "levy", Stance.SUPPORT),
    # ... but a court's ruling decides against a proposal as often as for it
    ("The Planning Office granted a permit for a hotel on the cliffs. A court annulled the permit on Tuesday. The "
     "Cliffside Residents Network welcomed the ruling.", "Cliffside Residents Network", "permit", None),
    # backing another's call for something supports that thing
    ("The Boatmen's Guild called for a delay to the closure. Mayor Hana Loretti backed the guild's call for a "
     "delay.", "Hana Loretti", "delay", Stance.SUPPORT),
    # a body's own decision on a measure: it stands for it
    ("The Mining Ministry on Monday granted a licence for the Rio Alto gold mine.", "Mining Ministry", "licence",
     Stance.SUPPORT),
])
def test_decisions_calls_and_grants(extractor, text, party, word, stance):
    found, _ = positions(extractor, text)
    if stance is None:
        assert not any(who == party for who, _ in found), sorted(found)
    else:
        assert stance_of(found, party, word) is stance, sorted(found)


def test_the_government_is_the_one_the_article_named_in_full_before(extractor):
    found, _ = positions(extractor, (
        "MONTEVIDEO, May 3 (Wire) - Uruguay's government hailed the jobless figures on Monday. The government has "
        "proposed that wages rise by 4 percent a year."))
    assert stance_of(found, "Uruguayan government", "wages rise") is Stance.SUPPORT, sorted(found)


def test_a_countrys_body_has_one_name_however_written(extractor):
    found, _ = positions(extractor, "DUBLIN, Nov 17 (Wire) - Ireland's government on Tuesday backed a plan for a "
                                    "9-euro daily charge on cars entering the city centre.")
    assert {who for who, _ in found} == {"Irish government"}, sorted(found)


@pytest.mark.parametrize("text, party", [
    # a body's members in its own words are the body ...
    ("The city unveiled a plan to issue 2,500 new taxi licences. The National Unity Party, which holds the largest "
     "group on the assembly, said its members would vote against the plan.", "National Unity Party"),
    # ... and a person's "her six councillors" stay hers, as "his group" does
    ("The city council will vote on the zoning plan on Friday. Councillor Herminia Batz, who leads the opposition "
     "Popular Convergence bloc, said her six councillors would vote against the plan.", "Herminia Batz"),
])
def test_a_bodys_members_in_its_own_words_are_the_body(extractor, text, party):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, "plan") is Stance.OPPOSE, sorted(found)


def test_a_person_with_a_title_before_the_name_is_the_person(extractor):
    found, _ = positions(extractor, (
        "BAGHDAD, July 14 (Wire) - The Electricity Ministry signed a power barge deal with Gulfstar on Monday.\n\n"
        "Basra governor Nawaf Kadhim al-Tamimi welcomed the deal, saying his province had waited too long."))
    assert [who for who, _ in found if "Tamimi" in who] == ["Nawaf Kadhim al-Tamimi"], sorted(found)


def test_a_datelines_place_the_parser_made_a_subject_takes_no_position(extractor):
    found, _ = positions(extractor, (
        "LIMA, June 3 (Andes Wire) - Peru's Ministry of Energy and Mines on Wednesday granted a mining licence for "
        "a $2.3 billion open-pit copper project in the southern Apurimac region."))
    assert [who for who, _ in found] == ["Ministry of Energy"], sorted(found)


@pytest.mark.parametrize("sentence, party", [
    ("Business groups threw their weight behind the bill.", "Business groups"),
    ("Patients' groups welcomed the bill.", "Patients' groups"),
    ("Residents of Port Nolloth marched to the town hall on Tuesday to protest against the bill.",
     "Residents of Port Nolloth"),
    ("Opposition lawmakers criticised the bill.", "Opposition lawmakers"),
    ("Farmers protested against the bill.", "Farmers"),
])
def test_an_unnamed_group_takes_a_position_as_the_article_words_it(extractor, sentence, party):
    found, _ = positions(extractor, "The Senate on Monday approved a farm bill that would cut the anchovy quota. "
                                    + sentence)
    assert [who for who, _ in found if who != "Senate"] == [party], sorted(found)


@pytest.mark.parametrize("sentence", [
    "Members welcomed the bill.",  # whose members, the words do not say (a capital opens the sentence)
    "People protested against the bill.",
])
def test_a_group_noun_with_nothing_to_say_whose_is_no_party(extractor, sentence):
    found, _ = positions(extractor, "The Senate on Monday approved a farm bill that would cut the anchovy quota. "
                                    + sentence)
    assert not [who for who, _ in found if who.lower() in ("members", "people")], sorted(found)


def test_what_a_reservation_calls_for_is_no_proposal_of_the_partys(extractor):
    found, _ = positions(extractor, (
        "The Senate passed a battery safety bill. The Southern Cross Party said it would back the bill but called for it "
        "to cover secondhand sales as well. The Green Bloc backed the bill but called for changes to its penalties."))
    assert not [prop for _, prop in found if "secondhand" in prop or "changes" in prop], sorted(found)


def test_sales_in_the_plural_are_trade_not_a_proposal(extractor):
    found, _ = positions(extractor, "The Harbour Traders Guild said it welcomed the sales of its members this year.")
    assert not any("sales" in prop for _, prop in found), sorted(found)


def test_proposing_what_the_proposal_itself_does_is_no_counter_proposal(extractor):
    # the wage guideline's own proposer stating what it proposes answers nothing
    found, _ = positions(extractor, "Unions criticised the wage talks on Monday. Employers said wages were already "
                                    "too high. Uruguay's government has proposed that private-sector wages rise by "
                                    "4.5 percent a year.")
    assert not any(p.stance is Stance.COUNTER_PROPOSAL for p in found.values()), found


@pytest.mark.parametrize("text", [
    # a candidate's proposal on campaign news answers no proposal the article is about
    "The senators debated the farm bill on Monday. Donald Trump has proposed temporarily banning imports of steel.",
    # an order given to a person is police work, no measure
    "The council passed the curfew bill. According to police, officers ordered him to get out of the car.",
    # what a law prohibits is no body's ban
    "The council passed the voting bill. It relies on the Voting Rights Act, which prohibits discriminatory "
    "practices.",
])
def test_campaign_proposals_orders_to_people_and_laws_take_no_position(extractor, text):
    found, _ = positions(extractor, text)
    assert not any(p.stance in (Stance.COUNTER_PROPOSAL,) or p.party in ("police", "Voting Rights Act")
                   for p in found.values()), found


@pytest.mark.parametrize("text, party, word, stance", [
    # a rise a body sets is a measure: a protest against it opposes it
    ("The Transit Authority approved a fare rise on Monday. Students from the Polytechnic staged a protest against "
     "the fare rise.", "Students from the Polytechnic", "rise", Stance.OPPOSE),
    # asking a higher body to uphold a measure supports it
    ("The county assembly passed a bill to cap rents. The Citizens' Forum urged the Senate to uphold the bill.",
     "Citizens' Forum", "bill", Stance.SUPPORT),
    # refusing to cooperate with a measure is against it
    ("The ministry ordered an inquiry into the shooting. The Lagoon Fishers' Federation said it would not "
     "cooperate with the inquiry.", "Lagoon Fishers' Federation", "inquiry", Stance.OPPOSE),
])
def test_rises_upholding_and_cooperating(extractor, text, party, word, stance):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) is stance, sorted(found)


def test_a_rise_an_owner_undergoes_is_no_proposal_of_theirs(extractor):
    found, _ = positions(extractor, "Senator Ana Ruiz said she was under attack because of her rise in the polls.")
    assert not any("rise" in prop for _, prop in found), sorted(found)


def test_the_body_a_spokesman_names_is_the_one_named_with_that_noun(extractor):
    # "its president" follows a sentence that named a court last: "the federation" is still the federation
    found, _ = positions(extractor, (
        "The ministry ordered an internal inquiry into the shooting. The Lagoon Fishers' Federation called for a "
        "commission headed by a retired Supreme Court judge. Its president, Joseph Perera, said the federation "
        "would not cooperate with the internal inquiry."))
    assert stance_of(found, "Lagoon Fishers' Federation", "inquiry") is Stance.OPPOSE, sorted(found)
    assert not any(who == "Supreme Court" for who, _ in found), sorted(found)


def test_a_counter_proposal_hides_no_rejection_of_what_it_answers():
    from onrecord.claims.enricher import _not_known
    from onrecord.records import Span

    def mention(stance, proposal, at):
        return PositionMention("Players' Association", proposal, proposal, stance, Span(at, at + 10), "...")

    counter = mention(Stance.COUNTER_PROPOSAL, "contracts proposal", 50)
    reject = mention(Stance.REJECT, "contracts proposal", 0)
    own = mention(Stance.SUPPORT, "proposal in which pay would stay the same", 50)
    # the reader found only the counter-proposal: the patterns' rejection stands, their support for what the
    # counter-proposal's own sentence proposes does not
    assert _not_known([reject, own], [counter]) == [reject]
    # a stance the reader found hides the patterns' stances of that party
    assert _not_known([reject], [mention(Stance.SUPPORT, "contracts proposal", 0)]) == []


def test_a_counter_proposal_as_the_tokenizer_splits_it_answers_the_proposal_at_issue(extractor):
    doc = extractor.nlp("The Pakistan Players Association rejected the board's new contracts proposal on Monday. The "
                        "association's chief executive, Zarmeena Afridi, said the association had offered a "
                        "counter-proposal.")
    found = analyse_article(doc, ArticleMeta(origin="test", published="2025-06-02"), doc._.attributions).positions
    stances = {p.stance for p in found if p.party == "Pakistan Players Association" and "contracts" in p.proposal}
    # both stances, as two mentions: offering a counter-proposal is no support of what it answers
    assert stances == {Stance.REJECT, Stance.COUNTER_PROPOSAL}, found



def test_a_subject_is_not_taken_from_the_paragraph_before(extractor):
    from onrecord.claims.stances import _subject
    # as the small parser read a real report: a paragraph that ends with a closing quote run into the next one,
    # the second paragraph's subject made the first verb's object and its verb an adverbial clause of that verb
    words = ["The", "Alliance", "welcomed", "the", "plan", ".", "\n\n", "The", "Forum", ",", "a", "charity", ",",
             "asked", "for", "changes", "."]
    heads = [1, 2, 2, 4, 2, 2, 5, 8, 2, 8, 11, 8, 8, 2, 13, 14, 2]
    deps = ["det", "nsubj", "ROOT", "det", "dobj", "punct", "dep", "det", "dobj", "punct", "det", "appos", "punct",
            "advcl", "prep", "pobj", "punct"]
    pos = ["DET", "PROPN", "VERB", "DET", "NOUN", "PUNCT", "SPACE", "DET", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT",
           "VERB", "ADP", "NOUN", "PUNCT"]
    spaces = [True, True, True, True, False, False, False, True, False, True, True, False, True, True, True, False,
              False]
    doc = Doc(extractor.nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
    assert _subject(doc[13]).text == "Forum"
    assert _subject(doc[2]).text == "Alliance"


def test_a_forecast_of_an_act_is_no_stance(extractor):
    found, _ = positions(extractor, (
        "The assembly passed a bill to cap rents on Monday. It now goes to the Senate, which is expected to approve "
        "it within weeks. The Tenants' Union said it would back the bill."))
    assert not any(who == "Senate" for who, _ in found), sorted(found)
    assert stance_of(found, "Tenants' Union", "bill") is Stance.SUPPORT, sorted(found)



def test_the_cabinet_is_the_government_of_the_country_the_dateline_places_the_story_in(extractor):
    found, _ = positions(extractor, (
        "KAMPALA, Aug 4 (Wire) - Ugandan authorities on Tuesday began enforcing a ban on thin plastic bags.\n\n"
        "Environment Minister Grace Atuhaire said the cabinet had backed the ban in full."))
    assert stance_of(found, "Ugandan government", "ban") is Stance.SUPPORT, sorted(found)
    found, _ = positions(extractor, (
        "KAMPALA, Aug 4 (Wire) - The regional government of Busoga on Tuesday backed a ban on thin plastic bags."))
    assert not any(who == "Ugandan government" for who, _ in found), sorted(found)


def test_a_participle_with_an_auxiliary_hung_on_a_noun_is_the_nouns_own_act(extractor):
    from onrecord.claims.stances import _describes
    # as the small parser read a dateline's story: "has signed" made a clause of "ministry"
    words = ["the", "ministry", "has", "signed", "a", "contract"]
    doc = Doc(extractor.nlp.vocab, words=words, heads=[1, 1, 3, 1, 5, 3], deps=["det", "ROOT", "aux", "acl", "det",
              "dobj"], tags=["DT", "NN", "VBZ", "VBN", "DT", "NN"], pos=["DET", "NOUN", "AUX", "VERB", "DET", "NOUN"])
    assert not _describes(doc[3])
    # ... where without one it describes the noun: "a bill sent to the Senate"
    words = ["a", "bill", "sent", "to", "the", "Senate"]
    doc = Doc(extractor.nlp.vocab, words=words, heads=[1, 1, 1, 2, 5, 3], deps=["det", "ROOT", "acl", "prep", "det",
              "pobj"], tags=["DT", "NN", "VBN", "IN", "DT", "NNP"], pos=["DET", "NOUN", "VERB", "ADP", "DET", "PROPN"])
    assert _describes(doc[2])


@pytest.mark.parametrize("judged, stance", [
    ("necessary but late", Stance.MIXED),  # a judgement and, after "but", one the other way
    ("necessary and overdue", Stance.SUPPORT),
])
def test_a_judgement_turned_by_but_is_mixed(extractor, judged, stance):
    found, _ = positions(extractor, (
        "The government approved an emergency relief package for herders on Thursday. Economist Khishigbayar Ochir "
        f"described the relief package as \"{judged},\" noting that many herders had already sold their animals."))
    assert stance_of(found, "Khishigbayar Ochir", "package") is stance, sorted(found)


@pytest.mark.parametrize("text, party, word, stance", [
    # "It also proposed": the cue starts at "also"; the party is its source, resolved to the union
    ("The Halvard Paper Company said on Monday it would close its pulp mill in April. The Interior Mill Workers "
     "Union said the closure was a betrayal. It also proposed that the province buy the mill and run it as a "
     "community-owned operation.", "Interior Mill Workers Union", "closure", Stance.COUNTER_PROPOSAL),
    # the small parser made "called" a clause of "president" (the sentence's root), "urged" its conjunct
    ("The Congress is debating a bill to cut the anchovy quota. The Fishmeal Producers Society said the bill "
     "would cost jobs. Its president, Eduardo Salazar Benavides, called the quota cut \"reckless and "
     "unscientific\" and urged lawmakers to throw the bill out entirely.", "Eduardo Salazar Benavides", "bill",
     Stance.OPPOSE),
    # "urged" hangs on "rise", whose subject is unemployment: the mayor urged
    ("The government unveiled a plan to close four coal mines by 2031. Rybnik mayor Beata Nowicka said "
     "unemployment in the district could rise above 15 percent if the pits closed before new employers arrived, "
     "and urged Warsaw to delay the timetable until a promised factory opens.", "Beata Nowicka", "plan",
     Stance.SEEK_REVISION),
    # a description the article names later: the speaker the extractor resolved that source to
    ("ADO-EKITI, Nigeria, June 22 (Wire) - The main opposition candidate in the state's governorship election on "
     "Monday demanded a recount in 41 wards, accusing polling officials of altering tally sheets overnight.\n\n"
     "The candidate, Olufemi Adeyemi of the Progressive Alliance, told reporters the results had been changed.",
     "Olufemi Adeyemi", "recount", Stance.SUPPORT),
])
def test_the_party_where_the_parser_or_the_words_leave_it_unsaid(extractor, text, party, word, stance):
    found, _ = positions(extractor, text)
    assert stance_of(found, party, word) is stance, sorted(found)


def test_it_stands_for_a_proposal_only_when_one_was_named_just_before(extractor):
    from onrecord.claims.stances import find_stances
    from onrecord.claims.statements import Names

    def stances(text):
        doc = extractor.nlp(text)
        return {(p.party, p.stance) for p in find_stances(doc, doc._.attributions, Names(doc, doc._.attributions))}

    # "it" two sentences after the plan, with a storm between: about the storm, no stance on the plan
    assert not any(who == "Ana Ruiz" for who, _ in stances(
        "The city unveiled a plan to charge drivers entering the old town on Monday. The storm hit the coast on "
        "Friday, flooding the harbour. Mayor Ana Ruiz said she had tried to stop it."))
    assert ("Ana Ruiz", Stance.OPPOSE) in stances(
        "The city unveiled a plan to charge drivers entering the old town on Monday. Mayor Ana Ruiz said she had "
        "tried to stop it.")
    # a proposal noun that only modifies another ("the tax code") is not what "it" stands for
    assert not any(who == "Donald Trump" for who, _ in stances(
        "Although Donald Trump has admitted using the tax code, he does not defend it."))


def test_a_description_as_the_party_is_the_person_the_extractor_resolved_its_source_to(extractor):
    found, _ = positions(
        extractor,
        "Kumasi mayor spurns stadium offer\n\n"
        "The Ghanaian city's new mayor on Tuesday rejected the regional governor's offer to fund a new stadium.\n\n"
        "Amara Osei, a Methodist, was elected as mayor of Kumasi last week.\n\n"
        "\"This is not a serious plan,\" Osei said.")
    parties = {who for who, _ in found}
    assert not any("city" in who for who in parties), sorted(found)
    assert stance_of(found, "Amara Osei", "offer") is Stance.REJECT


@pytest.mark.parametrize("sentence, kept", [
    ("Senator Ines Varga said she will not support her party's nominee for president.", False),
    ("Governor Tomas Reyes said he would back the Republican nominee.", False),
    ("Senate Republicans vowed to block the president's Supreme Court nominee, Judge Alma Ruiz.", True),
])
def test_a_candidacy_in_an_election_is_no_proposal_but_a_court_nominee_is(extractor, sentence, kept):
    found, _ = positions(extractor, sentence)
    assert any("nominee" in prop for _, prop in found) is kept, sorted(found)


@pytest.mark.parametrize("sentence, kept", [
    ("Senator Ana Ruiz vowed to compete in the final primary next week.", False),
    ("Her supporters promised to press their case to the convention floor.", False),
    ("Ruiz pledged not to vote for Tomas Reyes.", False),
    ("Ruiz pledged to end discrimination against farm workers during her campaign.", True),
    ("Ruiz pledged to build a new bridge over the river.", True),
])
def test_an_act_in_the_race_itself_is_no_proposal_a_candidate_vows(extractor, sentence, kept):
    found, _ = positions(extractor, sentence)
    assert bool(found) is kept, sorted(found)


@pytest.mark.parametrize("said, kept", [
    ("said it was great to be home.", False),
    ("said it was important to narrow the field.", False),
    ("said it was good for farmers.", True),
])
def test_it_standing_for_a_clause_is_no_proposal(extractor, said, kept):
    found, _ = positions(extractor, f"The council unveiled a plan to close the harbour. Ana Lopes {said}")
    assert any(who == "Ana Lopes" for who, _ in found) is kept, sorted(found)


@pytest.mark.parametrize("sentence, party, word", [
    ("She has proposed a tax on tourist flats, and he has called for a new ferry line.", "Ana Lopes", "tax"),
    ("She has proposed a tax on tourist flats, and he has called for a new ferry line.", "Rui Costa", "ferry"),
    ("Her plan for a tax on tourist flats drew applause.", "Ana Lopes", "tax"),
])
def test_he_and_she_are_the_person_of_that_gender(extractor, sentence, party, word):
    found, _ = positions(extractor, "Ana Lopes and Rui Costa are running for mayor of Setubal. At a debate on "
                                    f"Monday, Costa attacked the port plan. {sentence}")
    assert stance_of(found, party, word) is Stance.SUPPORT
    assert not any(word in prop for who, prop in found if who != party), sorted(found)


def test_documents_in_the_plural_are_papers_but_an_offer_document_is_a_proposal(extractor):
    found, _ = positions(extractor, "The Ostby Herald obtained the firm's internal documents. Mayor Ana Lopes "
                                    "welcomed the documents. The council approved the offer document on Monday.")
    assert not any("documents" in prop for _, prop in found), sorted(found)
    assert stance_of(found, "council", "offer document") is Stance.SUPPORT


def test_a_question_states_no_stance(extractor):
    found, _ = positions(extractor, "The council unveiled a plan to close the harbour. But has Mayor Ana Lopes "
                                    "called for changing any of its provisions? Rui Costa backed the plan.")
    assert stance_of(found, "Rui Costa", "plan") is Stance.SUPPORT
    assert not any(who == "Ana Lopes" for who, _ in found), sorted(found)
    # a sentence that goes on to quote a question still states its stance
    found, _ = positions(extractor, "Rui Costa did support the idea of a harbour database on Thursday, and the "
                                    "Herald has proof: “Should there be a database?”")
    assert stance_of(found, "Rui Costa", "idea") is Stance.SUPPORT

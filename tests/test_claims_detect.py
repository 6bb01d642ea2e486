"""Claims and disputes within one article, on short texts written for these tests.

The assertions are about robust facts (a party is on one side of a claim about
a place, a dispute links to the claim it answers, agreement is never a dispute),
not the exact spans a better extractor might draw differently.
"""

from __future__ import annotations

import json

import pytest

from onrecord.analysis import ArticleMeta
from onrecord.claims import ClaimKind, Side, analyse_article, group_mentions
from onrecord.claims.grouping import SourcedMention
from onrecord.claims.places import PlaceIndex

from conftest import POLNEAR_DEV, requires_shared


def analyse(extractor, text, published="2025-04-07"):
    doc = extractor.nlp(text)
    return analyse_article(doc, ArticleMeta(origin="test", published=published), doc._.attributions)


def claims_of(extractor, text):
    found = analyse(extractor, text)
    return group_mentions([SourcedMention("t", m, published="2025-04-07") for m in found.mentions]), found


def only(claims, kind=ClaimKind.CONTROL, target=None):
    chosen = [c for c in claims if c.kind is kind and (target is None or target.lower() in c.target.lower())]
    assert len(chosen) == 1, [c.topic for c in claims]
    return chosen[0]


def test_a_dismissed_nominal_claim_gives_an_assertion_and_a_dispute_that_answers_it(extractor):
    claims, found = claims_of(extractor, "The Ukrainian army on Friday dismissed Russia's claims of having captured "
                                         "the village of Sosnivka.")
    claim = only(claims, target="Sosnivka")
    assert claim.asserted_by == ["Russia"]
    assert claim.disputed_by == ["Ukrainian military"]
    disputes = [m for m in found.mentions if m.party == "Ukrainian military"]
    assert disputes and all(found.mentions[d.answers].party == "Russia" for d in disputes)


def test_a_confirmed_withdrawal_agrees_with_the_capture(extractor):
    claims, _ = claims_of(extractor, (
        "Russia's Defence Ministry said on Saturday that its troops had seized the village of Hlyboke.\n\n"
        "Ukraine's military confirmed the withdrawal of its units from Hlyboke, saying the positions could no "
        "longer be held."))
    claim = only(claims, target="Hlyboke")
    assert not claim.contested
    assert "Ukrainian military" in claim.asserted_by
    assert claim.disputed_by == []


def test_holding_on_is_a_counter_claim_and_the_town_is_the_named_town_not_the_region(extractor):
    claims, _ = claims_of(extractor, (
        "Moscow said its forces had taken the town of Lyptsi in the Kharkiv region.\n\n"
        "The Ukrainian military said its soldiers still held positions in the north of the town."))
    claim = only(claims, target="Lyptsi")
    assert claim.asserted_by == ["Russia"]
    assert claim.disputed_by == ["Ukrainian military"]
    assert not [c for c in claims if "Kharkiv" in c.target]


def test_dispute_words_answer_the_latest_claim_of_another_party(extractor):
    claims, _ = claims_of(extractor, (
        "Russian state media said troops had raised a flag over the town hall in Bohdanivka.\n\n"
        "A Ukrainian army spokesman, Petro Hnatiuk, called the footage staged propaganda."))
    claim = only(claims, target="Bohdanivka")
    assert "Russian state media" in claim.asserted_by
    assert claim.disputed_by == ["Petro Hnatiuk"]


def test_a_denial_without_a_named_capturer_still_disputes(extractor):
    claims, _ = claims_of(extractor, (
        "Russia said on Monday that its forces had captured Staromaiorske.\n\n"
        "The Ukrainian General Staff denied that Staromaiorske had fallen."))
    claim = only(claims, target="Staromaiorske")
    assert claim.holder == "Russia"
    assert claim.disputed_by == ["Ukrainian military"]


def test_an_accusation_and_its_denial_are_one_contested_claim(extractor):
    claims, _ = claims_of(extractor, (
        "Kyiv accused Russia of shelling a market in Kostiantynivka on Sunday.\n\n"
        "The Kremlin denied that its forces had struck the market."))
    claim = only(claims, ClaimKind.ACCUSATION)
    assert claim.holder == "Russia"
    assert claim.asserted_by == ["Ukraine"]
    assert claim.disputed_by == ["Kremlin"]
    assert "Kostiantynivka" in claim.target


def test_talks_can_be_said_to_fail_and_to_progress(extractor):
    claims, _ = claims_of(extractor, (
        "The Swiss foreign minister said the talks in Geneva had made significant progress.\n\n"
        "The Kremlin said that no progress had been made."))
    claim = only(claims, ClaimKind.PROGRESS)
    assert claim.asserted_by == ["Swiss foreign minister"]
    assert claim.disputed_by == ["Kremlin"]


def test_statements_carry_the_day_the_text_gives(extractor, tmp_path):
    # The day is the dates feature's, stored with the attribution; the claims feature reads it from the store
    # when it groups (it does not work dates out again).
    from onrecord.claims import ClaimIndex
    from onrecord.engines.local import LocalEngine
    from onrecord.ingest import ingest

    feed = tmp_path / "a.jsonl"
    feed.write_text(json.dumps({"text": "Russia's Defence Ministry said on Sunday that its forces had seized "
                                        "Prohres. Ukraine's military denied that Prohres had fallen.",
                                "published": "2025-04-09"}) + "\n", encoding="utf-8")  # a Wednesday
    ingest([feed], db=tmp_path / "s.db", engine=LocalEngine(extractor))
    with ClaimIndex(tmp_path / "s.db") as idx:
        days = [s.evidence.said_on for c in idx.claims() for s in c.statements]
    assert "2025-04-06" in days


def test_a_meeting_held_in_a_town_holds_no_town(extractor):
    # "held" in the passive says where something took place, not who holds the place
    _, found = claims_of(extractor, "Santos said the meetings had been held in Itaituba, a five-hour boat trip away.")
    assert not [m for m in found.mentions if m.kind is ClaimKind.CONTROL]
    _, found = claims_of(extractor, "Russia's defence ministry said its forces held Zarichne.")
    assert [m for m in found.mentions if m.kind is ClaimKind.CONTROL]


def test_plain_reporting_makes_no_claims(extractor):
    claims, found = claims_of(extractor, (
        "The harbour master said on Monday that the pier would reopen next week. "
        "\u201cWe are nearly done,\u201d said Ana Silva, the chief engineer."))
    assert claims == [] and found.mentions == ()


def test_places_the_parser_mislabels_are_found_from_how_the_sentence_names_them(extractor):
    doc = extractor.nlp("Fighting went on in the city of Kupyans. Russia said it had captured Vremivka, "
                        "and Kyiv said the city was still defended.")
    places = PlaceIndex(doc)
    names = {p.name for p in places.places}
    assert {"Kupyans", "Vremivka"} <= names
    assert "Russia" not in names and "Kyiv" not in names
    city = next(t for t in doc if t.lower_ == "city" and t.i > 10)
    assert places.resolve(city).name == "Vremivka"


@pytest.mark.parametrize("text", [
    "",
    "   \n\n  ",
    "Das Verteidigungsministerium erklärte am Montag, die Truppen hätten das Dorf eingenommen.",
    "<script>alert('x')</script> Russia said it had captured <b>Avdiivka</b>. Kyiv denied it.",
    "said said said claims claims denied denied " * 200,
])
def test_odd_input_gives_plain_data_and_no_error(extractor, text):
    found = analyse(extractor, text)
    data = found.to_dict()
    assert set(data) == {"mentions", "positions", "proposals"}
    for m in found.mentions:
        assert 0 <= m.span.start <= m.span.end <= len(text)
        assert text[m.span.start:m.span.end] == m.text


def test_figures_of_speech_are_not_attacks_or_disputes(extractor):
    claims, _ = claims_of(extractor, (
        "The senator kept attacking Maria Delgado on television. Aides to the mayor said the committee's "
        "report would damage the council, and the mayor called the report nonsense."))
    assert [c for c in claims if c.kind is ClaimKind.ACCUSATION] == []
    assert not any(c.contested for c in claims)


@requires_shared(POLNEAR_DEV)
def test_real_news_runs_through_with_sound_spans(extractor):
    from onrecord.claims import ClaimsEnricher

    enricher = ClaimsEnricher()
    paths = sorted((POLNEAR_DEV / "text").glob("*"))[:6]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        doc = extractor.nlp(text)
        data = enricher.analyse(doc, ArticleMeta(origin=path.name, published="2016-10-01"), doc._.attributions)
        for item in data["mentions"] + data["positions"]:
            s, e = item["span"]
            assert text[s:e] == item["text"]


@pytest.mark.parametrize("text, asserter, disputer", [
    ("KUWAIT CITY, March 3 (Gulf Wire) - Labour Minister Nasser Al-Rashidi said on Sunday that passport "
     "confiscation had been largely eliminated.\n\nThe minister rejected claims by rights groups that thousands of "
     "workers remained trapped, saying inspections had ended the practice.\n\nGulf Workers Watch, a London-based "
     "rights group, disputed the minister's account.", "Nasser Al-Rashidi", "Gulf Workers Watch"),
    ("NAIROBI, Jan 27 (Morning Wire) - Digital lender PesaHaraka confirmed on Tuesday that a server had exposed "
     "records, but disputed a security researcher's estimate that the data of 2 million borrowers had leaked.\n\n"
     "The leak was first reported on Sunday by Amani Otieno, an independent security researcher, who said he had "
     "downloaded a sample.", "Amani Otieno", "PesaHaraka"),
    # a figure whose subject any quoted piece judges untrue: disputed against its owner
    ("ZAGREB, June 3 (Adriatic Wire) - Finance Minister Anna Kovac told parliament that the levy would raise "
     "about 200 million euros a year.\n\nThe hoteliers' union has demanded that the levy be scrapped. Its "
     "president, Petar Ilic, said the levy would cut bookings. \"The minister's 200 million is a fantasy,\" Ilic "
     "said. \"She is counting money before the tourists have decided not to come.\"", "Anna Kovac", "Petar Ilic"),
])
def test_the_owner_of_a_disputed_account_is_whom_the_resolver_read_the_description_as(extractor, text, asserter,
                                                                                     disputer):
    claims, _ = claims_of(extractor, text)
    assert any(c.asserted_by == [asserter] and c.disputed_by == [disputer] for c in claims), \
        [(c.asserted_by, c.disputed_by) for c in claims]


def test_a_description_in_the_headline_owns_what_the_body_names_it_as_saying(extractor):
    text = ("Lender disputes researcher's 2 million figure\n\nNAIROBI, Jan 27 (Morning Wire) - Digital lender "
            "PesaHaraka confirmed on Tuesday that a server had exposed records.\n\nThe leak was first reported on "
            "Sunday by Amani Otieno, an independent security researcher, who said the data of 2 million borrowers "
            "had leaked.")
    claims, _ = claims_of(extractor, text)
    assert [c.asserted_by for c in claims] == [["Amani Otieno"]], [(c.asserted_by, c.disputed_by) for c in claims]


def test_the_places_figures_come_from_are_not_a_party(extractor):
    text = ("ADO-EKITI, Nigeria, June 22 (Sahel Wire) - The electoral commission declared Governor Ade Ojo the "
            "winner on Sunday.\n\nOlufemi Bankole of the Renewal Alliance dismissed figures from at least three "
            "local government areas as \"inflated beyond anything our agents saw.\"")
    claims, _ = claims_of(extractor, text)
    assert not [c for c in claims if any("areas" in p for p in c.asserted_by)]


def contested(extractor, text):
    claims, _ = claims_of(extractor, text)
    return [(c.asserted_by, c.disputed_by) for c in claims if c.contested]


@pytest.mark.parametrize("text, disputed", [
    # two measurements of one thing differ; neither answers the other
    ("According to a Harbor Times survey, 52 percent of voters said they would back Mayor Lind, against 38 percent "
     "for her rival. A Coastal Radio poll showed a narrower lead for Lind, 47 percent to 42 percent.", False),
    # a party's own figure still answers one
    ("A Harbor Times survey found 52 percent of voters backed Lind. The Lind campaign said 60 percent of voters "
     "backed Lind.", True),
    # a body's own survey is its own side; another body's is not
    ("The Harbor Times reported that 40 percent of residents backed the levy. A Harbor Times survey found 55 percent "
     "of residents backed the levy.", False),
    ("The Harbor Times reported that 40 percent of residents backed the levy. A Coastal Radio survey found 55 percent "
     "of residents backed the levy.", True),
    # those who speak for a person are the person's side
    ("Mayor Anna Lind said the harbour levy would be scrapped in May. Lind aides later said the claim was false.",
     False),
])
def test_measurements_and_a_partys_own_voices_dispute_nothing_of_theirs(extractor, text, disputed):
    assert bool(contested(extractor, text)) is disputed, contested(extractor, text)


def test_not_replying_to_a_request_for_comment_asserts_nothing(extractor):
    """The dispute answers what Ruiz said, not her silence."""
    found = analyse(extractor, "Reporter Ana Ruiz said a campaign aide had grabbed her arm at the rally. Ruiz did not "
                               "reply to a request for comment on the rally on Tuesday. Mayor Tom Hale said Ruiz had "
                               "lied about the rally.")
    asserted = [m.text for m in found.mentions if m.polarity > 0]
    assert asserted and not [t for t in asserted if "request for comment" in t], asserted

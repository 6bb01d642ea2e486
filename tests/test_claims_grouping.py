"""Grouping, party names, records and exports: the pure parts of onrecord.claims (no model needed)."""

from __future__ import annotations

import json

import pytest

from onrecord.claims import ClaimKind, ClaimMention, Side, Stance, claim_reviews, group_mentions
from onrecord.claims.grouping import (ProposalRegistry, SourcedMention, SourcedPosition, SourcedProposal,
                                      group_positions, link_article, same_proposal)
from onrecord.claims.parties import key, party_name, side_of
from onrecord.claims.records import ArticleClaims, OtherSide, PositionMention, ProposalMention
from onrecord.records import Span


def mention(target="Sosnivka", party="Russia", polarity=1, holder="Russia", kind=ClaimKind.CONTROL, start=0,
            change=True, value=None, said_on="2025-01-01"):
    return ClaimMention(kind=kind, target=target, party=party, polarity=polarity, span=Span(start, start + 10),
                        text=f"{party} on {target}", holder=holder, change=change, value=value, said_on=said_on)


def sourced(article, m, published="2025-01-01"):
    return SourcedMention(article, m, outlet=f"outlet-{article}", published=published)


# --- party names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [
    ("Russia's Ministry of Defence", "Russian Ministry of Defence"),
    ("the Russian defense ministry", "Russian Ministry of Defence"),
    ("Russia’s Defence Ministry", "Russian Ministry of Defence"),
    ("Ukraine’s eastern military command", "Ukrainian military"),
    ("Ukraine's General Staff", "Ukrainian military"),
    ("The military in Kyiv", "Ukrainian military"),
    ("Moscow", "Russia"),
    ("the Kremlin", "Kremlin"),
    ("A spokesman for the Kremlin", "Kremlin spokesman"),
    ("Ukrainian commanders on Tuesday", "Ukrainian commanders"),
    ("Ukraine's foreign minister, Olena Kovalchuk", "Olena Kovalchuk"),
    ("the UN", "United Nations"),
])
def test_party_names_fold_the_spellings_of_one_party(raw, name):
    assert party_name(raw) == name


@pytest.mark.parametrize("raw", ["he", "it", "They", "its forces", "", None])
def test_pronouns_are_not_parties(raw):
    assert party_name(raw) is None


def test_sides_come_from_the_name_only_when_it_speaks_for_a_country():
    assert side_of("Russian Ministry of Defence") == "Russia"
    assert side_of("Kremlin") == "Russia"
    assert side_of("Ukrainian military") == "Ukraine"
    # allies of Kyiv do not speak for Ukraine; observers for nobody
    assert side_of("Kyiv’s European allies") is None
    assert side_of("international observers") is None


def test_name_keys_ignore_case_accents_and_apostrophes():
    assert key("Kyiv’s European allies") == key("kyiv's european allies")
    assert key("Zaporizhzhia") == key("Zapórizhzhia")


# --- which side a mention is on --------------------------------------------------------------------------

def test_a_rival_holder_disputes_and_an_agreeing_withdrawal_asserts():
    claims = group_mentions([
        sourced("a", mention(party="Russian Ministry of Defence", holder="Russia")),
        sourced("a", mention(party="Ukrainian military", holder="Ukraine", change=False, start=20)),  # still holds it
        sourced("b", mention(party="Ukrainian army", holder=OtherSide("Ukraine"), start=5)),  # confirmed the withdrawal
        sourced("b", mention(party="observers", holder=None, polarity=-1, start=40)),  # denied it had fallen
    ])
    assert len(claims) == 1
    claim = claims[0]
    assert claim.holder == "Russia"
    assert claim.asserted_by == ["Russian Ministry of Defence", "Ukrainian army"]
    assert sorted(claim.disputed_by) == ["Ukrainian military", "observers"]
    assert claim.contested


def test_agreement_alone_is_not_contested():
    claims = group_mentions([
        sourced("a", mention(party="Russia", holder="Russia")),
        sourced("b", mention(party="Ukrainian military", holder=OtherSide("Ukraine"))),
    ])
    assert [c.contested for c in claims] == [False]
    assert claims[0].disputed_by == []


def test_the_same_target_groups_across_spellings_and_articles_but_kinds_stay_apart():
    claims = group_mentions([
        sourced("a", mention(target="Kupiansk")),
        sourced("b", mention(target="Kupyansk", party="Ukrainian military", polarity=-1)),
        sourced("c", mention(target="Kupyansk", kind=ClaimKind.ACCUSATION, holder="Russia")),
    ])
    kinds = sorted(c.kind.value for c in claims)
    assert kinds == ["accusation", "control"]
    control = next(c for c in claims if c.kind is ClaimKind.CONTROL)
    assert {s.evidence.article for s in control.statements} == {"a", "b"}


def test_the_same_figure_is_one_claim_however_the_dead_are_described():
    claims = group_mentions([
        sourced("a", mention(kind=ClaimKind.CASUALTIES, target="Ukrainian soldiers near Zarichne", value="400",
                             holder="Ukraine", change=False)),
        sourced("b", mention(kind=ClaimKind.CASUALTIES, target="soldiers", value="about 400", holder=None,
                             party="Kyiv", polarity=-1, change=False)),
    ])
    assert len(claims) == 1
    assert claims[0].target == "Ukrainian soldiers near Zarichne"
    assert claims[0].disputed_by == ["Kyiv"]


def test_statements_are_in_date_order_and_claim_ids_are_stable():
    items = [sourced("late", mention(party="Kremlin", said_on="2025-03-09")),
             sourced("early", mention(party="Russia", said_on="2025-03-01")),
             sourced("mid", mention(party="Kyiv", polarity=-1, said_on="2025-03-05"))]
    first = group_mentions(items)[0]
    again = group_mentions(list(reversed(items)))[0]
    assert [s.evidence.said_on for s in first.statements] == ["2025-03-01", "2025-03-05", "2025-03-09"]
    assert first.first_seen == "2025-03-01" and first.disputed_since == "2025-03-05"
    assert first.id == again.id


def test_unnamed_talks_are_only_grouped_within_one_article():
    claims = group_mentions([
        sourced("a", mention(kind=ClaimKind.PROGRESS, target="talks", holder=None, party="X", change=False)),
        sourced("b", mention(kind=ClaimKind.PROGRESS, target="talks", holder=None, party="Y", polarity=-1,
                             change=False)),
    ])
    assert len(claims) == 2 and not any(c.contested for c in claims)


def test_each_dispute_links_to_the_assertion_it_answers():
    mentions = [mention(party="Russia", start=0), mention(party="Kyiv", polarity=-1, start=50),
                mention(target="Elsewhere", party="Russia", start=100)]
    linked = link_article(mentions)
    assert linked[1].answers == 0
    assert linked[0].answers is None and linked[2].answers is None


def test_unnamed_asserters_anchor_a_claim_but_are_not_listed():
    claims = group_mentions([sourced("a", mention(party=None, kind=ClaimKind.ACCUSATION)),
                             sourced("a", mention(party="Russia", polarity=-1, kind=ClaimKind.ACCUSATION))])
    assert claims[0].asserted_by == [] and claims[0].disputed_by == ["Russia"]


# --- positions -------------------------------------------------------------------------------------------

def test_proposals_merge_across_articles_unless_their_numbers_differ():
    assert same_proposal("20 point ceasefire framework", "ceasefire framework")
    assert not same_proposal("20 point plan", "12 point plan")


def test_a_position_keeps_every_stance_and_shows_the_latest():
    def pos(article, stance, day):
        return SourcedPosition(article, PositionMention("Kyiv", "ceasefire framework", "ceasefire framework",
                                                        stance, Span(0, 5), "text", said_on=day))
    registry = ProposalRegistry([
        SourcedProposal("a", ProposalMention("20-point ceasefire framework", "20 point ceasefire framework", ())),
        SourcedProposal("b", ProposalMention("ceasefire framework", "ceasefire framework", ())),
    ])
    positions = group_positions([pos("b", Stance.SUPPORT, "2025-03-09"), pos("b", Stance.SEEK_REVISION, "2025-03-02")],
                                registry)
    assert len(positions) == 1
    assert positions[0].proposal == "20-point ceasefire framework"
    assert positions[0].stances == (Stance.SEEK_REVISION, Stance.SUPPORT)
    assert positions[0].stance is Stance.SUPPORT


def test_a_bare_proposal_stays_its_articles_and_never_takes_another_storys_name():
    registry = ProposalRegistry([
        SourcedProposal("cricket", ProposalMention("new contracts proposal", "new contracts proposal", ())),
        SourcedProposal("election", ProposalMention("proposal", "proposal", ())),
        SourcedProposal("dam", ProposalMention("draft framework", "draft framework", ())),
        SourcedProposal("treaty", ProposalMention("framework", "framework", ())),
    ])
    assert registry.merged("election", "proposal", "proposal") == ("proposal@election", "proposal")
    assert registry.merged("treaty", "framework", "framework") == ("framework@treaty", "framework")
    assert registry.merged("cricket", "new contracts proposal", "new contracts proposal")[1] == \
        "new contracts proposal"


def test_a_proposal_no_index_holds_keeps_the_name_it_was_written_with():
    """A stance pattern's proposal ("would vote against the plan for 2,500 new taxi licences") has no entry in
    the articles' proposal index: its display name is the one written, not its key."""
    registry = ProposalRegistry([])
    mention = PositionMention("National Unity Party", "2,500 new taxi licences", "2 500 new taxi licences",
                              Stance.OPPOSE, Span(0, 5), "text")
    positions = group_positions([SourcedPosition("taxi", mention)], registry)
    assert [p.proposal for p in positions] == ["2,500 new taxi licences"]


# --- records and exports ------------------------------------------------------------------------------------

def test_article_claims_round_trip_through_json():
    data = ArticleClaims(
        (mention(), mention(party="Kyiv", polarity=-1, holder=OtherSide("Ukraine"))),
        (PositionMention("Kremlin", "plan", "plan", Stance.MIXED, Span(1, 4), "x", "agrees"),),
        (ProposalMention("28-point plan", "28 point plan", (Span(3, 7),), "United States"),),
    ).to_dict()
    assert ArticleClaims.from_dict(json.loads(json.dumps(data))).to_dict() == data


def test_a_mention_needs_a_polarity_of_one_sign():
    with pytest.raises(ValueError, match="polarity"):
        mention(polarity=0)


def test_claim_reviews_are_json_ld_with_assertions_as_appearances_and_disputes_as_comments():
    claim = group_mentions([sourced("a", mention(party="Russia")),
                            sourced("b", mention(party="Kyiv", polarity=-1, said_on="2025-02-02"))])[0]
    doc = json.loads(json.dumps(claim_reviews([claim], {"a": {"url": "https://news.example/a", "title": "T"}})))
    review = doc["@graph"][0]
    assert "https://schema.org" in doc["@context"]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "Russia controls Sosnivka"
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://news.example/a#char=0,10"
    assert review["onrecord:disputedBy"][0]["author"]["name"] == "Kyiv"
    assert review["onrecord:disputedBy"][0]["url"].startswith("urn:onrecord:article:b#char=")
    assert review["reviewRating"]["alternateName"] == "Contested"
    assert claim.to_dict()["evidence"][1] == {"article": "b", "span": [0, 10], "text": "Kyiv on Sosnivka",
                                              "said_on": "2025-02-02", "outlet": "outlet-b"}
    assert Side.DISPUTED.value in {s["side"] for s in claim.to_dict()["statements"]}


def test_the_public_surface_is_sorted_importable_and_the_enricher_fits_the_contract():
    import onrecord.claims as claims
    from onrecord.analysis import ENRICHERS, Enricher
    from onrecord.store.migrations import MIGRATION_MODULES, collect

    assert claims.__all__ == sorted(claims.__all__)
    assert all(hasattr(claims, name) for name in claims.__all__)
    assert isinstance(claims.ClaimsEnricher(), Enricher) and claims.ClaimsEnricher.name == "claims"
    assert ENRICHERS.index("onrecord.claims.enricher:ClaimsEnricher") > ENRICHERS.index(
        "onrecord.entities.enricher:EntityEnricher")
    names = [m.name for m in collect(MIGRATION_MODULES) if m.module == "onrecord.claims.schema"]
    assert names and all("0200" <= n < "0300" for n in names)


def test_an_other_side_holder_is_typed_and_round_trips():
    m = mention(party="Kyiv", holder=OtherSide("Ukraine"))
    assert m.holder != "Ukraine" and "Ukraine" != m.holder and isinstance(m.holder, OtherSide)
    data = m.to_dict()
    assert data["holder"] == "Ukraine" and data["holder_other"] is True and "!" not in json.dumps(data)
    back = ClaimMention.from_dict(data)
    assert back == m and isinstance(back.holder, OtherSide)


def test_one_partys_positions_on_two_articles_bare_proposal_stay_two():
    def pos(article, stance):
        return SourcedPosition(article, PositionMention("Ana Lopes", "proposal", "proposal", stance, Span(0, 5),
                                                        "text", said_on="2025-03-02"))
    registry = ProposalRegistry([SourcedProposal("port", ProposalMention("proposal", "proposal", ())),
                                 SourcedProposal("tax", ProposalMention("proposal", "proposal", ()))])
    positions = group_positions([pos("port", Stance.OPPOSE), pos("tax", Stance.SUPPORT)], registry)
    assert sorted((p.proposal_key, p.stance) for p in positions) == [
        ("proposal@port", Stance.OPPOSE), ("proposal@tax", Stance.SUPPORT)]
    assert {p["key"] for p in registry.proposals()} == {"proposal@port", "proposal@tax"}

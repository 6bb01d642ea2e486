"""Query semantics over a store built from hand-made records (so no assertion depends on the extractor)."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest

from onrecord.analysis import ArticleMeta, ProcessedArticle, content_id
from onrecord.errors import ConfigError
from onrecord.records import Attribution, AttributionKind, Span, Speaker
from onrecord.store import QuoteFilter, Reader, Writer
from onrecord.store.fts import fts_query

D, I = AttributionKind.DIRECT, AttributionKind.INDIRECT


def build(text, statements, **meta):
    """statements: (speaker, cue, content, kind, said_on); spans found in the text."""
    atts = []
    for speaker, cue, content, kind, said_on in statements:
        def span(part, after=0):
            start = text.index(part, after)
            return Span(start, start + len(part))

        src = span(speaker)
        atts.append(Attribution(cue=(span(cue, src.end),), content=(span(content),), source=(src,), kind=kind,
                                speaker=Speaker(speaker, speaker, "PERSON"), cue_text=cue, content_text=content,
                                source_text=speaker, said_on=said_on))
    m = ArticleMeta(origin=meta.pop("origin", "t"), **meta)
    return ProcessedArticle(content_id(text), text, m, tuple(atts), "test-v1")


BRIDGE = build(
    "Helen Okafor said: \u201cThe bridge will open in May.\u201d Earlier, Tomas Lindqvist told engineers "
    "that the cables passed every test.",
    [("Helen Okafor", "said", "The bridge will open in May", D, None),
     ("Tomas Lindqvist", "told", "that the cables passed every test", I, "2024-02-20")],
    title="Bridge opening delayed", outlet="Courier", published="2024-03-01T09:00:00+00:00",
    url="https://courier.example/bridge", origin="bridge.txt",
)
MAYOR = build(
    "Helen Okafor said that critics had misread the budget, which was delayed by a week. "
    "Li Wei said: \u201cWe will appeal.\u201d",
    [("Helen Okafor", "said", "that critics had misread the budget", I, None),
     ("Li Wei", "said", "We will appeal", D, None)],
    title="Mayor answers critics", outlet="Gazette", published="2024-03-10", origin="mayor.txt",
)
PARK = build(
    "Lincoln Adams argued that the park should stay open at night for U.S. visitors.",
    [("Lincoln Adams", "argued", "that the park should stay open at night for U.S. visitors", I, None)],
    title="Park hours", outlet="courier", origin="park.txt",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("q") / "q.db"
    with Writer(db) as w:
        for article in (BRIDGE, MAYOR, PARK):
            w.write(article)
    with Reader(db) as reader:
        yield reader


def contents(quotes):
    return [q.content_text for q in quotes]


def test_by_matches_whole_words_of_the_speaker_name_in_any_case_and_order(store):
    assert contents(store.quotes(by="okafor")) == ["that critics had misread the budget", "The bridge will open in May"]
    assert store.quotes(by="Okafor Helen") == store.quotes(by="helen okafor")
    assert contents(store.quotes(by="Li")) == ["We will appeal"]  # not "Lincoln Adams"
    assert store.quotes(by="nobody at all") == []
    with pytest.raises(ConfigError):
        store.quotes(by="!!")


def test_about_is_full_text_with_stemming_and_never_a_syntax_error(store):
    assert contents(store.quotes(about="cable")) == ["that the cables passed every test"]
    assert contents(store.quotes(about="appeal", by="wei")) == ["We will appeal"]
    assert contents(store.quotes(about="U.S.")) == [PARK.attributions[0].content_text]
    for hostile in ('"unbalanced', "NEAR(", "a AND", "-x", "*", "OR budget", "col:value"):
        store.quotes(about=hostile + " budget")  # must not raise


def test_dates_use_when_it_was_said_before_the_publication_date(store):
    # Lindqvist's statement is dated 2024-02-20 by its text, though the article is from 2024-03-01.
    assert contents(store.quotes(until="2024-02-25")) == ["that the cables passed every test"]
    assert contents(store.quotes(since="2024-02-25", until="2024-03-05")) == ["The bridge will open in May"]
    assert {q.article_id for q in store.quotes(since="2024-03-05")} == {MAYOR.id}
    dated = store.quotes(limit=None)
    assert [q.date for q in dated] == ["2024-03-10", "2024-03-10", "2024-03-01", "2024-02-20", None]


def test_outlet_and_kind_filters(store):
    assert {q.article_id for q in store.quotes(outlet="COURIER")} == {BRIDGE.id, PARK.id}
    assert sorted(contents(store.quotes(kind="direct"))) == ["The bridge will open in May", "We will appeal"]
    assert store.quotes(kind=D, outlet="Gazette")[0].speaker == "Li Wei"


def test_paging_covers_every_statement_once(store):
    everything = store.quotes(limit=None)
    pages = [store.quotes(limit=2, offset=o) for o in (0, 2, 4)]
    assert [q for page in pages for q in page] == everything
    assert store.count_quotes() == len(everything) == 5
    assert store.count_quotes(QuoteFilter.build(by="okafor")) == 2


def test_speakers_count_statements_articles_and_first_last_seen(store):
    people = {s.name: s for s in store.speakers()}
    okafor = people["Helen Okafor"]
    assert (okafor.statements, okafor.articles, okafor.first_seen, okafor.last_seen) == (2, 2, "2024-03-01", "2024-03-10")
    assert people["Lincoln Adams"].first_seen is None
    assert [s.name for s in store.speakers(outlet="gazette")] == ["Helen Okafor", "Li Wei"]
    assert store.speakers(limit=1)[0].name == "Helen Okafor"


def test_search_ranks_a_title_match_above_a_body_match_and_marks_the_words(store):
    hits = store.search("delayed")
    assert [h.article_id for h in hits] == [BRIDGE.id, MAYOR.id]
    assert hits[0].score < hits[1].score
    mayor = hits[1]
    assert [mayor.snippet[s:e] for s, e in mayor.marks] == ["delayed"]
    assert "\x02" not in mayor.snippet and "\x03" not in mayor.snippet
    quote_hits = store.search("appeal OR cables", scope="quotes")
    assert {(h.article_id, h.speaker) for h in quote_hits} == {(MAYOR.id, "Li Wei"), (BRIDGE.id, "Tomas Lindqvist")}
    assert store.search("zeppelin") == []
    with pytest.raises(ConfigError, match="scope"):
        store.search("x", scope="everything")


def test_articles_resolve_by_id_prefix_or_url(store):
    assert store.resolve(BRIDGE.id) == BRIDGE.id
    assert store.resolve(BRIDGE.id[:6]) == BRIDGE.id
    assert store.resolve("https://courier.example/bridge") == BRIDGE.id
    view = store.article(BRIDGE.id[:8])
    assert [q.idx for q in view.quotes] == [0, 1]
    assert view.to_dict()["attributions"][1]["said_on"] == "2024-02-20"
    with pytest.raises(ConfigError, match="no article"):
        store.resolve("ffffffffffffffff")


def test_an_ambiguous_id_prefix_asks_for_more(tmp_path):
    by_prefix = {}
    for i in itertools.count():
        text = f"Officials said item number {i} was ready."
        prefix = content_id(text)[:4]
        if prefix in by_prefix:
            pair = (by_prefix[prefix], text)
            break
        by_prefix[prefix] = text
    db = tmp_path / "a.db"
    with Writer(db) as w:
        for text in pair:
            w.write(ProcessedArticle(content_id(text), text, ArticleMeta(origin="x"), (), "v"))
    with Reader(db) as r, pytest.raises(ConfigError, match="several"):
        r.resolve(prefix)


def test_filters_are_validated_with_messages_that_say_what_to_do():
    with pytest.raises(ConfigError, match="direct, indirect"):
        QuoteFilter.build(kind="shouted")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        QuoteFilter.build(since="2024-02-30")
    with pytest.raises(ConfigError, match="swap"):
        QuoteFilter.build(since="2024-05-01", until="2024-04-01")
    with pytest.raises(ConfigError, match="cannot read"):
        QuoteFilter.build(since="the day after never")
    f = QuoteFilter.build(since="2 weeks ago", kind="According-To")
    assert f.kind is AttributionKind.ACCORDING_TO
    assert abs(date.fromisoformat(f.since) - (date.today() - timedelta(days=14))) <= timedelta(days=1)


@pytest.mark.parametrize("text, expected", [
    ("ceasefire talks", '"ceasefire" "talks"'),
    ('"peace deal" now', '"peace deal" "now"'),
    ("U.S. envoy", '"U S" "envoy"'),
    ("negotiat* OR truce", '"negotiat"* OR "truce"'),
    ("OR NOT talks OR", '"talks"'),
    ('Putin\'s "unbalanced', '"Putin s" "unbalanced"'),
])
def test_fts_queries_are_built_safely(text, expected):
    assert fts_query(text) == expected


def test_an_fts_query_without_words_is_an_error():
    with pytest.raises(ConfigError, match="no words"):
        fts_query(' "" ** OR ')
    assert re.fullmatch(r'"\w+"', fts_query("résumé"))

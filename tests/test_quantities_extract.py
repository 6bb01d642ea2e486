"""Figures inside attributed statements: value, qualifier, what they count, who reported them."""

from __future__ import annotations

import pytest

from onrecord.quantities import Bound, parse_number, quantities


@pytest.mark.parametrize("words, expected", [
    ("14,000", (14000.0, 14000.0, 14000.0)),
    ("1.5 million", (1.5e6, 1.5e6, 1.5e6)),
    ("two dozen", (24.0, 24.0, 24.0)),
    ("twenty-five", (25.0, 25.0, 25.0)),
    ("three hundred thousand", (3e5, 3e5, 3e5)),
    ("$5m", (5e6, 5e6, 5e6)),
])
def test_numbers_in_words_and_digits(words, expected):
    assert parse_number(words) == expected


def test_orders_of_magnitude_are_ranges_without_a_value():
    value, low, high = parse_number("tens of thousands")
    assert value is None and 10_000 < low < high < 100_000
    assert parse_number("the") == (None, None, None)


def test_a_reported_casualty_figure_keeps_its_qualifier_count_and_reporter(extractor):
    text = ("The health ministry said that more than 1,200 civilians had been wounded and that "
            "about 70 percent of Avdiivka had been destroyed.")
    doc = extractor.nlp(text)
    found = quantities(doc, doc._.attributions)
    by_text = {q.text: q for q in found}
    q = by_text["more than 1,200"]
    assert (q.value, q.bound, q.qualifier, q.low, q.high) == (1200.0, Bound.MIN, "more than", 1200.0, None)
    assert q.counts == "civilians" and "wounded" in q.predicate
    assert q.reported_by and "ministry" in q.reported_by.lower()
    share = next(q for q in found if q.unit == "percent")
    assert share.value == 70.0 and share.bound is Bound.APPROX and share.counts == "Avdiivka"


def test_numbers_outside_any_statement_and_in_names_are_not_figures(extractor):
    doc = extractor.nlp("About 300 people attended the meeting. The minister said the 28-point plan was dead.")
    assert all(q.text != "About 300" for q in quantities(doc, doc._.attributions))
    assert all("28" not in q.text for q in quantities(doc, doc._.attributions))

"""Date expressions resolved against the publication date (no parser model needed)."""

from __future__ import annotations

from datetime import date

import pytest

from onrecord.dates import Granularity, parse_published, resolve_expression

TUESDAY = "2025-12-02"  # a Tuesday


@pytest.mark.parametrize(
    "text, value",
    [
        ("Tuesday", "2025-12-02"),  # the article's own day, not a week earlier as a generic parser would say
        ("Earlier on Tuesday", "2025-12-02"),
        ("on Monday", "2025-12-01"),
        ("Sunday", "2025-11-30"),
        ("last Tuesday", "2025-11-25"),
        ("yesterday", "2025-12-01"),
        ("today", "2025-12-02"),
        ("24 February 2022", "2022-02-24"),
        ("three days ago", "2025-11-29"),
        # A part of the day before the weekday changes nothing: still the latest such day on or before publication.
        ("in the early hours of Tuesday", "2025-12-02"),
        ("in the small hours of Monday", "2025-12-01"),
        ("on the night of Sunday", "2025-11-30"),
        ("the morning of Tuesday", "2025-12-02"),
    ],
)
def test_days_resolve_against_the_publication_date(text, value):
    resolved = resolve_expression(text, TUESDAY)
    assert resolved is not None and resolved.granularity is Granularity.DAY
    assert resolved.value == value == resolved.start.isoformat() == resolved.end.isoformat()


def test_partial_dates_keep_their_precision():
    month = resolve_expression("in November", TUESDAY)
    assert (month.value, month.start, month.end) == ("2025-11", date(2025, 11, 1), date(2025, 11, 30))
    week = resolve_expression("last week", TUESDAY)
    assert week.granularity is Granularity.WEEK and week.start == date(2025, 11, 24) and week.end == date(2025, 11, 30)
    ago = resolve_expression("two weeks ago", TUESDAY)
    assert ago.granularity is Granularity.WEEK and ago.start <= date(2025, 11, 18) <= ago.end
    year = resolve_expression("in 2022", TUESDAY)
    assert (year.value, year.relative) == ("2022", False)


def test_a_month_later_in_the_year_than_publication_is_last_year_unless_the_verb_is_future():
    assert resolve_expression("in December", "2025-06-10").value == "2024-12"
    assert resolve_expression("in December", "2025-06-10", future=True).value == "2025-12"
    assert resolve_expression("on Tuesday", TUESDAY, future=True).value == "2025-12-09"


@pytest.mark.parametrize("text", ["five hours", "several weeks", "more than a year", "one year",
                                  "the past few weeks", "", "x" * 200])
def test_durations_and_junk_are_not_dates(text):
    assert resolve_expression(text, TUESDAY) is None


def test_without_a_publication_date_only_self_contained_dates_resolve():
    assert resolve_expression("on Monday", None) is None
    assert resolve_expression("last week", None) is None
    assert resolve_expression("24 February 2022", None).value == "2022-02-24"


@pytest.mark.parametrize("raw", ["2025-12-02", "2025-12-02T23:10:00+00:00", "2025-12-02T08:00:00Z",
                                 "Tue, 02 Dec 2025 10:00:00 GMT"])
def test_publication_dates_are_read_in_the_forms_sources_give(raw):
    assert parse_published(raw) == date(2025, 12, 2)


def test_an_unreadable_publication_date_is_unknown_not_an_error():
    assert parse_published("not a date at all") is None
    assert parse_published(None) is None

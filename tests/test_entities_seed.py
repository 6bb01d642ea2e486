"""The issue's targets on the shared example article (skipped when ../shared is absent).

Assertions are about this feature, not the extractor: where the extractor's source
is the gold source, the canonical speaker must be the gold one; people, roles,
dates and the UN figure must be found whatever the attribution strategy.
"""

from __future__ import annotations

import pytest

from conftest import SEED, requires_shared
from onrecord.entities.evaluate import seed_report

pytestmark = requires_shared(SEED / "moscow-talks.gold.json")


@pytest.fixture(scope="module")
def report(extractor):
    return seed_report(extractor, SEED / "moscow-talks.txt", SEED / "moscow-talks.gold.json")


def test_all_eight_people_are_found_with_a_role_each(report):
    people = report["people"]
    assert len(people) == 8
    missing = [p["name"] for p in people if not p["found"]]
    assert not missing
    roleless = [(p["name"], p["roles_found"]) for p in people if not p["roles_matched"]]
    assert not roleless


def test_speakers_map_to_the_gold_canonical_names_where_the_source_was_found(report):
    checked = [s for s in report["speakers"] if s["extractor_source_right"]]
    assert len(checked) >= len(report["speakers"]) // 2
    wrong = [(s["source_text"], s["gold"], s["predicted"]) for s in checked if not s["correct"]]
    assert not wrong


def test_weekdays_resolve_against_the_publication_date(report):
    assert report["dates"]["Tuesday"]["found"] == "2025-12-02"
    assert report["dates"]["Monday"]["found"] == "2025-12-01"
    assert report["dates"]["24 February 2022"]["found"] == "2022-02-24"
    dated = [s for s in report["speakers"] if s["said_on"]]
    assert dated and all(s["said_on"][0] == s["said_on_gold"] for s in dated if s["said_on_gold"])


def test_the_un_casualty_figure_is_kept_with_its_source(report):
    un = [q for q in report["figures"] if q["value"] == 14000.0]
    assert un, "the extractor attributes the figure to the UN; the figure must be recorded"
    q = un[0]
    assert q["bound"] == "min" and q["qualifier"] == "more than" and "casualties" in q["counts"]
    assert q["reported_by"] == "United Nations"

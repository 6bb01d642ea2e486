"""Name keys, person names and the alias file: pure functions, no pipeline."""

from __future__ import annotations

import pytest

from onrecord.entities import PersonName, load_aliases, parse_aliases, skeleton
from onrecord.entities.names import given_compatible, org_key, similar
from onrecord.errors import ConfigError, OnrecordError


@pytest.mark.parametrize("a, b", [("Zelensky", "Zelenskyy"), ("Zelenskiy", "Zelenskyy"), ("Kyiv", "Kiev"),
                                  ("Kupiansk", "Kupyansk"), ("Dmitry", "Dmitri"), ("Dmitriy", "Dmitry"),
                                  ("Odesa", "Odessa"), ("Zelenskyi", "Zelensky")])
def test_transliteration_variants_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize("a, b", [("Iran", "Iraq"), ("Austria", "Australia"), ("Slovakia", "Slovenia"),
                                  ("Kovalenko", "Kovalchuk")])
def test_different_names_stay_apart(a, b):
    assert skeleton(a) != skeleton(b)
    assert similar(a, b) == 0.0


def test_near_identical_long_names_are_similar_but_short_ones_must_match_exactly():
    assert similar("Kupyans", "Kupiansk") >= 90
    assert similar("Lviv", "Lviw") == 100.0  # same skeleton
    assert similar("Sumy", "Suma") == 0.0


def test_person_names_split_titles_particles_and_suffixes():
    assert PersonName.parse("President Volodymyr Zelensky") == PersonName(("Volodymyr",), "Zelensky")
    assert PersonName.parse("Ursula von der Leyen").surname == "von der Leyen"
    assert PersonName.parse("Donald Trump Jr.").suffix == "jr"
    assert not PersonName.parse("Peskov").full


def test_given_names_decide_whether_two_namesakes_are_one_person():
    assert PersonName.parse("Dmitry Peskov").compatible(PersonName.parse("Dmitri Peskov"))
    assert PersonName.parse("D. Peskov").compatible(PersonName.parse("Dmitry Peskov"))
    assert PersonName.parse("Peskov").compatible(PersonName.parse("Dmitry Peskov"))
    assert not PersonName.parse("Olena Kovalenko").compatible(PersonName.parse("Taras Kovalenko"))
    assert not PersonName.parse("Donald Trump").compatible(PersonName.parse("Donald Trump Jr."))
    assert given_compatible("Volodymyr", "Wolodymyr") and not given_compatible("Igor", "Sergei")


def test_org_keys_expand_acronyms_and_country_aliases():
    assert org_key("the UN") == org_key("United Nations")
    assert org_key("US") == org_key("the United States") == org_key("America")


def test_alias_file_rules_and_their_errors(tmp_path):
    rules = parse_aliases({"merge": [{"names": ["Volodymyr Zelensky", "Vladimir Zelensky"], "type": "person"}],
                           "split": [{"names": ["Olena Kovalenko", "Taras Kovalenko"]}]})
    assert rules.merges[0].canonical == "Volodymyr Zelensky"
    assert rules.apart({skeleton("Olena Kovalenko")}, {skeleton("Taras Kovalenko")}) is not None
    with pytest.raises(ConfigError, match="at least two"):
        parse_aliases({"merge": [{"names": ["only one"]}]})
    with pytest.raises(ConfigError, match="unknown section"):
        parse_aliases({"merges": []})
    with pytest.raises(ConfigError, match="type must be one of"):
        parse_aliases({"merge": [{"names": ["a", "b"], "type": "ALIEN"}]})
    bad = tmp_path / "bad.toml"
    bad.write_text("[[merge]\nnames = [", encoding="utf-8")
    with pytest.raises(OnrecordError, match="not valid TOML"):
        load_aliases(bad)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_aliases(binary)
    with pytest.raises(ConfigError, match="does not exist"):
        load_aliases(tmp_path / "missing.toml")


def test_the_builtin_exonyms_load_and_a_user_file_adds_to_them(tmp_path):
    builtin = load_aliases(builtin=True, path=None)
    assert any("Kharkov" in r.names for r in builtin.merges)
    user = tmp_path / "aliases.toml"
    user.write_text('[[merge]]\nnames = ["Volodymyr Zelensky", "Vladimir Zelensky"]\n', encoding="utf-8")
    rules = load_aliases(user)
    assert len(rules.merges) == len(builtin.merges) + 1 and str(user) in rules.sources

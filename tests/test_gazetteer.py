import pytest

from onrecord.nlp import gazetteer


@pytest.mark.parametrize("word, country", [
    ("Ukraine", "Ukraine"), ("Ukraine’s", "Ukraine"), ("Ukrainian", "Ukraine"), ("Kyiv", "Ukraine"),
    ("Kiev", "Ukraine"), ("the Kremlin", "Russia"), ("Moscow", "Russia"), ("the White House", "United States"),
    ("U.S.", "United States"), ("Britain", "United Kingdom"), ("EU", "European Union"), ("eu", "European Union"),
    ("European Union", "European Union"), ("Uruguay's", "Uruguay"), ("Malagasy", "Madagascar"),
    ("Montevideo", "Uruguay"), ("Asunción", "Paraguay"), ("Ivorian", "Ivory Coast"),
])
def test_country_of_names_demonyms_capitals_and_seats(word, country):
    assert gazetteer.country_of(word) == country


# capitals whose names are as often other places or words are left out
@pytest.mark.parametrize("word", ["Telegram", "the", "", "Smith", "eur", "Kingston", "Victoria", "Male", "Santiago"])
def test_unknown_words_are_not_countries(word):
    assert gazetteer.country_of(word) is None


def test_demonyms_and_acronyms():
    assert gazetteer.demonym("Russia") == "Russian"
    assert gazetteer.expand_acronym("UN") == "United Nations"
    assert gazetteer.expand_acronym("Kremlin") == "Kremlin"


@pytest.mark.parametrize("written", ["U.N.", "U.N", "UN"])
def test_an_acronym_expands_with_or_without_its_dots(written):
    assert gazetteer.expand_acronym(written) == "United Nations"


@pytest.mark.parametrize("written, country", [
    ("the Kremlin", "Russia"), ("Kremlin", "Russia"), ("Downing Street", "United Kingdom"),
    ("the State Department", "United States"), ("State Department's", "United States"),
])
def test_a_seat_of_government_is_read_with_or_without_its_article(written, country):
    assert gazetteer.seat_country(written) == country


@pytest.mark.parametrize("written", ["France", "Kyiv", "the Department", "Washington Post"])
def test_countries_capitals_and_other_names_are_no_seat(written):
    assert gazetteer.seat_country(written) is None

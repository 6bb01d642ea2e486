"""Article entities from the one resolver: types and names on short texts written for these tests."""

from __future__ import annotations

import pytest

from onrecord.entities import EntityType
from onrecord.entities.article import analyse_entities

pytestmark = pytest.mark.slow


def _entities(extractor, text):
    doc = extractor.nlp(text)
    return doc, analyse_entities(doc)


def test_a_name_after_a_place_preposition_is_a_place_not_a_person(extractor):
    _, ents = _entities(extractor, "Heavy fighting continued near Vorsk on Monday, the army said. "
                                   "Residents of the town of Vorsk fled.")
    vorsk = [e for e in ents.entities if e.name == "Vorsk"]
    assert vorsk and all(e.type is not EntityType.PERSON for e in vorsk)


def test_a_person_named_elsewhere_stays_a_person_after_a_preposition(extractor):
    _, ents = _entities(extractor, "Maya Ortiz said the pier was safe. Voters put their trust in Maya Ortiz.")
    ortiz = [e for e in ents.entities if e.name == "Maya Ortiz"]
    assert ortiz and all(e.type is EntityType.PERSON for e in ortiz)


def test_a_capital_is_a_place_and_speaks_for_its_government(extractor):
    doc, ents = _entities(extractor, "Moscow said the talks would go on. Tourists still visit Moscow.")
    speaker = next(ents.speaker_of(i) for i, a in enumerate(doc._.attributions) if a.cue_text == "said")
    assert speaker.type is EntityType.GOVERNMENT and speaker.name == "Russia"
    assert all(e.type is not EntityType.PERSON for e in ents.entities if e.name in ("Moscow", "Russia"))


def test_the_entity_of_a_document_source_is_the_one_the_speaker_resolver_found(extractor):
    doc, ents = _entities(extractor, "Marta Quell and Tobias Renn have filed a lawsuit against the city of Ostby "
                                     "over the closure of the harbour. The lawsuit contends that the council "
                                     "ignored its own safety rules.")
    i = next(i for i, a in enumerate(doc._.attributions) if a.cue_text == "contends")
    entity = ents.speaker_of(i)
    assert entity is not None and entity.name == doc._.attributions[i].speaker.name
    assert "Marta Quell" in entity.name and "Tobias Renn" in entity.name


def test_the_entity_of_a_source_naming_two_people_is_the_one_the_resolver_chose(extractor):
    doc, ents = _entities(extractor, "Harbour officials met on Monday. The lawsuit filed by a former pilot named "
                                     "Jon Albers, whom Mayor Ilse Varga dismissed in June, alleges that the port "
                                     "ignored its safety rules.")
    i = next(i for i, a in enumerate(doc._.attributions) if a.cue_text == "alleges")
    assert doc._.attributions[i].speaker.name == "Jon Albers"
    assert ents.speaker_of(i).name == "Jon Albers"


def test_a_possessor_in_a_source_is_not_its_entity(extractor):
    doc, ents = _entities(extractor, "Paul Brandt's closest aide said the pier would reopen.")
    i = next(i for i, a in enumerate(doc._.attributions) if a.cue_text == "said")
    entity = ents.speaker_of(i)
    assert entity is None or entity.name != "Paul Brandt"


def test_the_entity_of_titled_people_joined_by_and_is_the_group_the_resolver_named(extractor):
    doc, ents = _entities(extractor, "Harbour Committee Chairman Tobias Renn (D-Ostby) and Port Committee Chairman "
                                     "Ilse Varga (R-Vorsk) wrote that the pier must close.")
    i = next(i for i, a in enumerate(doc._.attributions) if a.cue_text == "wrote")
    assert doc._.attributions[i].speaker.name == "Tobias Renn and Ilse Varga"
    assert ents.speaker_of(i).name == "Tobias Renn and Ilse Varga"


def test_the_time_a_body_acted_is_no_part_of_its_name(extractor):
    doc = extractor.nlp("CAIRO, April 8 (Wire) - Egypt's cabinet on Wednesday said fares on the Cairo metro would "
                        "rise from May 1.")
    ents = analyse_entities(doc, doc._.attributions)
    names = [e.name for e in ents.entities]
    # (a country's cabinet is named as its government: names/data/cabinet_heads.txt)
    assert "Egyptian government" in names and not any("Wednesday" in n for n in names), names

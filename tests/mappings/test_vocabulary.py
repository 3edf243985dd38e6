"""Terms become concepts: one id per thing, kk/ru/en labels, the museum's own words kept."""

from __future__ import annotations

import pytest

from harvester.raw import RawRecord
from mappings.concepts import SCHEMES, label_for, label_order, scheme
from mappings.core import CoreRecord, Place, Production, SourceInfo, Term
from mappings.formats import map_raw, mapping_version
from mappings.text import fold
from mappings.vocabulary import VOCABULARY_VERSION, enrich, reconcile, term_concept


def test_a_russian_material_becomes_the_concept_with_labels_in_three_languages() -> None:
    term = reconcile(Term(labels={"ru": "Серебро"}), "materials")
    assert term.concept == "silver"
    assert term.labels == {"kk": "күміс", "ru": "серебро", "en": "silver"}
    assert term.source_labels == {"ru": "Серебро"}  # what the museum wrote is kept


def test_matching_ignores_case_spacing_script_and_yo() -> None:
    assert reconcile(Term(labels={"ru": "шелк"}), "materials").concept == "silk"
    assert reconcile(Term(labels={"kk": "Kümis"}), "materials").concept == "silver"
    assert reconcile(Term(labels={"en": "  EARRINGS "}), "object_type").concept == "earrings"


def test_kebeje_is_one_concept_however_a_museum_writes_it() -> None:
    written = ["Kebeje (food chest)", "Кебеже (ларь для продуктов)", "kebeje chest", "Кебеже", "кебеже (ларь)"]
    assert {reconcile(Term(labels={"und": w}), "object_type").concept for w in written} == {"kebeje"}


def test_a_known_authority_uri_finds_the_concept_and_becomes_its_uri() -> None:
    term = reconcile(Term(labels={"en": "Münze"}, uri="https://vocab.getty.edu/aat/300037222/"), "object_type")
    assert term.concept == "coin" and term.uri == "http://vocab.getty.edu/aat/300037222"
    assert term.same_as == ["https://vocab.getty.edu/aat/300037222/"]  # the museum's spelling of it kept


def test_unknown_terms_become_local_concepts_normalised_by_case_and_spacing() -> None:
    one = reconcile(Term(labels={"en": "Meteorite  Iron"}, uri="http://example.org/x"), "materials")
    other = reconcile(Term(labels={"en": "meteorite iron"}), "materials")
    assert one.concept == other.concept == "local:meteorite iron"
    assert one.uri == "http://example.org/x" and one.labels == {"en": "Meteorite Iron"}


def test_terms_of_one_field_naming_one_concept_are_merged_keeping_each_source_label() -> None:
    record = CoreRecord(
        id="m:1",
        museum_id="m",
        local_id="1",
        object_type=[
            Term(labels={"kk": "Торсық"}),
            Term(labels={"ru": "Торсык (кожаный сосуд)"}),
            Term(labels={"en": "Torsyq (leather flask)"}),
        ],
        materials=[Term(labels={"en": "Earrings"}), Term(labels={"en": "earrings"})],
        production=Production(places=[Place(name="Қарқаралы"), Place(name="Каркаралинск", lat=49.4, lon=75.5)]),
        source=SourceInfo(format="oai_dc", mapping_version="t"),
    )
    enriched = enrich(record)
    assert [t.concept for t in enriched.object_type] == ["torsyq"]
    assert enriched.object_type[0].source_labels == {
        "kk": "Торсық",
        "ru": "Торсык (кожаный сосуд)",
        "en": "Torsyq (leather flask)",
    }
    assert [t.concept for t in enriched.materials] == ["local:earrings"]
    assert enriched.production is not None
    (place,) = enriched.production.places
    assert (place.concept, place.name, place.labels["en"], place.lat) == ("karkaraly", "Қарқаралы", "Karkaraly", 49.4)


def test_terms_stored_before_reconciliation_still_have_a_concept_for_the_index() -> None:
    assert term_concept(Term(labels={"ru": "дерево"}), "materials") == "wood"
    assert term_concept(Term(labels={"ru": "Деталь юрты"}), "object_type") == "yurt-component"
    assert term_concept(Term(labels={}), "materials") is None


def test_the_fallback_order_prefers_the_readers_language_then_the_other_two() -> None:
    assert label_order("en") == ("en", "ru", "kk", "und")
    assert label_order("kk") == ("kk", "ru", "en", "und")
    assert label_order("ru") == ("ru", "kk", "en", "und")
    assert label_for({"kk": "күміс", "ru": "серебро"}, "en") == "серебро"
    assert label_for({"de": "Silber"}, "en") == "Silber"


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_every_concept_has_three_labels_and_no_label_names_two_concepts(name: str) -> None:
    concepts = scheme(name).concepts  # loading refuses ambiguity and missing labels
    assert concepts
    for concept in concepts.values():
        assert set(concept.labels) == {"kk", "ru", "en"}
        assert concept.id == concept.id.strip() and not concept.id.startswith("local:")


def test_only_reviewed_authority_ids_are_in_the_vocabulary() -> None:
    """The ids the demo and the mappings already use; nothing guessed."""
    with_ids = {c.id: c.uris for c in scheme("object_type").concepts.values() if c.uris}
    assert with_ids == {
        "coin": ["http://vocab.getty.edu/aat/300037222"],
        "painting": ["http://vocab.getty.edu/aat/300033618"],
        "photograph": ["http://vocab.getty.edu/aat/300046300"],
        "manuscript": ["http://vocab.getty.edu/aat/300028569"],
    }
    for name in SCHEMES:
        if name != "object_type":
            assert not [c for c in scheme(name).concepts.values() if c.uris], name


def test_local_concept_names_are_unchanged_by_folding_rules_of_search() -> None:
    # the local id keeps its letters (it is also its name); only search keys are folded
    assert reconcile(Term(labels={"kk": "Қол  Шам"}), "object_type").concept == "local:қол шам"
    assert fold("Қол шам") == "kol sham"


def test_mapped_records_carry_concepts_and_the_vocabulary_version() -> None:
    payload = (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title xml:lang="ru">Браслет</dc:title>'
        '<dc:type xml:lang="ru">браслет</dc:type></oai_dc:dc>'
    ).encode()
    result = map_raw(RawRecord(museum_id="kz-m", local_id="1", format="oai_dc", payload=payload))
    (object_type,) = result.record.object_type
    assert object_type.concept == "bracelet"
    assert object_type.labels == {"kk": "білезік", "ru": "браслет", "en": "bracelet"}
    assert result.record.source.mapping_version == mapping_version("oai_dc")
    assert mapping_version("oai_dc").endswith(VOCABULARY_VERSION) and VOCABULARY_VERSION == "vocab/2"

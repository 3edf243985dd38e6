"""Terms catalogued in one language gain their kk/ru/en labels."""

from __future__ import annotations

from harvester.raw import RawRecord
from mappings.core import Term
from mappings.formats import map_raw, mapping_version
from mappings.vocabulary import VOCABULARY_VERSION, reconcile


def test_a_russian_material_gains_kazakh_and_english_labels() -> None:
    term = reconcile(Term(labels={"ru": "Серебро"}), "materials")
    assert term.labels == {"ru": "Серебро", "kk": "күміс", "en": "silver"}


def test_matching_ignores_case_script_and_yo() -> None:
    assert reconcile(Term(labels={"ru": "шелк"}), "materials").labels["en"] == "silk"
    assert reconcile(Term(labels={"kk": "Kümis"}), "materials").labels["en"] == "silver"


def test_labels_the_museum_sent_are_never_replaced() -> None:
    term = reconcile(Term(labels={"en": "Silver", "ru": "серебро 925 пробы"}), "materials")
    assert term.labels["en"] == "Silver" and term.labels["ru"] == "серебро 925 пробы"
    assert term.labels["kk"] == "күміс"


def test_unknown_terms_stay_as_they_are() -> None:
    term = Term(labels={"ru": "метеоритное железо"}, uri="http://example.org/x")
    assert reconcile(term, "materials") == term


def test_mapped_records_carry_reconciled_terms_and_the_vocabulary_version() -> None:
    payload = (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title xml:lang="ru">Браслет</dc:title>'
        '<dc:type xml:lang="ru">браслет</dc:type></oai_dc:dc>'
    ).encode()
    result = map_raw(RawRecord(museum_id="kz-m", local_id="1", format="oai_dc", payload=payload))
    assert result.record.object_type[0].labels == {"ru": "браслет", "kk": "білезік", "en": "bracelet"}
    assert result.record.source.mapping_version == mapping_version("oai_dc")
    assert mapping_version("oai_dc").endswith(VOCABULARY_VERSION)

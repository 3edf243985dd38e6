"""oai_dc in: a small museum's Dublin Core record becomes a usable core record."""

from __future__ import annotations

import pytest

from harvester.raw import RawRecord
from mappings.core import MediaKind
from mappings.oai_dc_in import MAPPING_VERSION, map_oai_dc
from mappings.report import MappingError

RECORD = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record>
<header><identifier>oai:museum.kz:KP-1234</identifier></header>
<metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
           xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title xml:lang="kk">Алтын адам</dc:title>
  <dc:title xml:lang="ru">Золотой человек</dc:title>
  <dc:title xml:lang="kk-Latn">Altyn adam</dc:title>
  <dc:description xml:lang="ru">Реконструкция погребального костюма сакского воина.</dc:description>
  <dc:type xml:lang="ru">реконструкция</dc:type>
  <dc:type>PhysicalObject</dc:type>
  <dc:subject xml:lang="ru">саки</dc:subject>
  <dc:subject>http://vocab.getty.edu/aat/300020110</dc:subject>
  <dc:creator>Акишев, Кемаль</dc:creator>
  <dc:contributor>Национальный музей Республики Казахстан</dc:contributor>
  <dc:date>IV-III вв. до н.э.</dc:date>
  <dc:date>-0400/-0200</dc:date>
  <dc:format>image/jpeg</dc:format>
  <dc:format xml:lang="ru">золото; бронза, кожа</dc:format>
  <dc:format>высота 185 см</dc:format>
  <dc:rights>https://creativecommons.org/licenses/by-nc/4.0/deed.ru</dc:rights>
  <dc:rights xml:lang="ru">Национальный музей РК</dc:rights>
  <dc:identifier>КП-1234</dc:identifier>
  <dc:identifier>https://nationalmuseum.kz/collection/kp-1234</dc:identifier>
  <dc:identifier>https://nationalmuseum.kz/media/kp-1234.jpg</dc:identifier>
  <dc:identifier>https://nationalmuseum.kz/media/kp-1234.glb</dc:identifier>
  <dc:coverage xml:lang="ru">Иссык, Алматинская область</dc:coverage>
  <dc:publisher>Национальный музей Республики Казахстан</dc:publisher>
  <dc:relation>https://nationalmuseum.kz/collection/kp-1235</dc:relation>
</oai_dc:dc>
</metadata></record></GetRecord></OAI-PMH>
"""


def _raw(payload: bytes) -> RawRecord:
    return RawRecord(museum_id="kz-nm", local_id="KP-1234", format="oai_dc", payload=payload)


def test_kazakh_and_russian_record_maps_every_element_by_its_shape() -> None:
    result = map_oai_dc(_raw(RECORD.encode()))
    r = result.record
    assert r.id == "kz-nm:KP-1234"
    assert [(t.value, t.lang, t.preferred) for t in r.titles] == [
        ("Алтын адам", "kk", True),
        ("Золотой человек", "ru", False),
        ("Altyn adam", "kk-latn", False),
    ]
    assert r.title("ru") == "Золотой человек"
    assert r.descriptions[0].lang == "ru"
    assert r.object_type[0].labels == {"ru": "реконструкция"}
    assert len(r.object_type) == 1, "a DCMI type does not count as what the object is"
    assert r.classification[0].uri == "http://purl.org/dc/dcmitype/PhysicalObject"
    assert r.subjects[0].labels == {"ru": "саки"}
    assert r.subjects[1].uri == "http://vocab.getty.edu/aat/300020110"
    assert [(a.name, a.role.label("en")) for a in r.actors] == [
        ("Акишев, Кемаль", "creator"),
        ("Национальный музей Республики Казахстан", "contributor"),
    ]
    assert [m.labels["ru"] for m in r.materials] == ["золото", "бронза", "кожа"]
    assert [m.display for m in r.measurements] == ["высота 185 см"]
    assert r.rights.uri == "http://creativecommons.org/licenses/by-nc/4.0/"
    assert r.rights.label == "Национальный музей РК"
    assert r.inventory_number == "КП-1234"
    assert r.links.object_page == "https://nationalmuseum.kz/collection/kp-1234"
    assert [(m.kind, m.mime) for m in r.media] == [
        (MediaKind.IMAGE, "image/jpeg"),
        (MediaKind.MODEL_3D, "model/gltf-binary"),
    ]
    assert [p.name for p in r.production.places] == ["Иссык, Алматинская область"]
    assert r.production.date_display is not None
    assert r.repository == "Национальный музей Республики Казахстан"
    assert r.source.mapping_version == MAPPING_VERSION == "oai_dc-in/3"
    assert r.source.format == "oai_dc"
    assert "dc:relation" in result.unmapped


def test_year_date_fills_earliest_and_latest() -> None:
    payload = RECORD.replace("<dc:date>IV-III вв. до н.э.</dc:date>", "<dc:date>1936</dc:date>")
    production = map_oai_dc(_raw(payload.encode())).record.production
    assert (production.date_display, production.earliest, production.latest) == (
        "1936",
        "1936",
        "1936",
    )


def test_bare_dc_root_without_oai_envelope_is_accepted() -> None:
    payload = (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Домбыра</dc:title></oai_dc:dc>'
    )
    record = map_oai_dc(_raw(payload.encode())).record
    assert record.title() == "Домбыра"
    assert record.titles[0].lang == "und"


def test_record_without_title_type_description_or_identifier_is_refused() -> None:
    payload = (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:date>1900</dc:date></oai_dc:dc>'
    )
    with pytest.raises(MappingError) as caught:
        map_oai_dc(_raw(payload.encode()))
    assert (caught.value.museum_id, caught.value.local_id) == ("kz-nm", "KP-1234")


def test_payload_that_is_not_xml_is_refused() -> None:
    with pytest.raises(MappingError) as caught:
        map_oai_dc(_raw(b"not xml"))
    assert caught.value.field == "payload"


def test_each_value_names_the_dublin_core_element_it_came_from() -> None:
    record = map_oai_dc(_raw(RECORD.encode())).record
    assert record.provenance["titles"] == ["dc:title[1]", "dc:title[2]", "dc:title[3]"]
    assert record.provenance["object_type"] == ["dc:type[1]"]
    assert record.provenance["classification"] == ["dc:type[2]"]
    assert record.provenance["materials"] == ["dc:format[2]"]
    assert record.provenance["measurements"] == ["dc:format[3]"]
    assert record.provenance["inventory_number"] == ["dc:identifier[1]"]
    assert record.provenance["links.object_page"] == ["dc:identifier[2]"]
    assert record.provenance["production.date_display"] == ["dc:date[1]"]
    assert record.provenance["production.places"] == ["dc:coverage"]
    assert record.provenance["repository"] == ["dc:publisher"]
    assert "dc:format[1]" not in [p for paths in record.provenance.values() for p in paths]  # the MIME type

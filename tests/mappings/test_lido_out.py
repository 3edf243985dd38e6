"""LIDO 1.1 out: every core record becomes a document the official schema accepts,
with each core value where a LIDO reader looks for it; validation runs offline."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from lxml import etree

from harvester.raw import RawRecord
from mappings import lido_schema
from mappings.core import (
    Actor,
    CoreRecord,
    Event,
    LangText,
    Links,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    SourceInfo,
    Term,
)
from mappings.event_types import event_type
from mappings.lido_in import map_lido
from mappings.lido_out import SUBSTITUTE_MARK, to_lido, to_lido_element, to_lido_wrap
from mappings.lido_schema import detect_version, validate_lido

NS = {
    "lido": "http://www.lido-schema.org",
    "gml": "http://www.opengis.net/gml",
}
T = "http://terminology.lido-schema.org/"
LIDO_REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "mappings" / "schemas" / "lido"

HYPOTHESIS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def full_record() -> CoreRecord:
    """A Saka-period bronze from an archaeology museum, every core field filled."""
    return CoreRecord(
        id="nmrk:KP-1234",
        museum_id="nmrk",
        local_id="KP-1234",
        inventory_number="КП 1234/5",
        repository="Қазақстан Республикасының Ұлттық музейі",
        object_type=[
            Term(
                labels={"kk": "қазан", "ru": "котёл", "en": "cauldron"},
                uri="http://vocab.getty.edu/aat/300198841",
            )
        ],
        classification=[Term(labels={"en": "archaeology", "ru": "археология"})],
        titles=[
            LangText(value="Сақ қазаны", lang="kk", preferred=True),
            LangText(value="Saq qazany", lang="kk-latn"),
            LangText(value="Сакский котёл", lang="ru"),
            LangText(value="Saka cauldron", lang="en"),
        ],
        descriptions=[LangText(value="Қола қазан, үш аяқты.", lang="kk")],
        inscriptions=[LangText(value="ᚠ runic-like signs", lang="en")],
        actors=[
            Actor(
                name="Unknown Saka master",
                role=Term(labels={"en": "maker"}),
                uri="http://www.wikidata.org/entity/Q4233718",
                kind="person",
            ),
            Actor(name="Issyk workshop", kind="organization"),
        ],
        production=Production(
            date_display="5th century BCE",
            earliest="-0499",
            latest="-0400",
            places=[
                Place(
                    name="Есік",
                    uri="https://www.geonames.org/1524325",
                    lat=43.35667,
                    lon=77.45222,
                )
            ],
            culture=[Term(labels={"en": "Saka culture"})],
            period=[Term(labels={"en": "Early Iron Age"}, uri="http://n2t.net/ark:/99152/p0x")],
        ),
        events=[
            Event(
                type=event_type("excavation").term([("ru", "раскопки кургана")]),
                name="Есік экспедициясы",
                actors=[Actor(name="Кемаль Ақышев", role=Term(labels={"ru": "руководитель раскопок"}), kind="person")],
                date_display="1969",
                earliest="1969",
                latest="1969",
                places=[
                    Place(
                        name="Есік қорғаны",
                        lat=43.38,
                        lon=77.46,
                        part_of=Place(name="Еңбекшіқазақ ауданы", part_of=Place(name="Алматы облысы")),
                    )
                ],
                descriptions=[LangText(value="Қорғанның бүйір қабірі", lang="kk")],
            ),
            Event(
                type=event_type("acquisition").term(),
                actors=[Actor(name="Институт археологии", kind="organization")],
                date_display="1970",
                earliest="1970",
                latest="1970",
            ),
        ],
        materials=[Term(labels={"en": "bronze"}, uri="http://vocab.getty.edu/aat/300010957")],
        techniques=[Term(labels={"en": "casting"})],
        measurements=[
            Measurement(type="height", value=47.5, unit="cm", display="Биіктігі 47,5 см"),
            Measurement(type="weight", value=12, unit="kg"),
        ],
        subjects=[Term(labels={"en": "animal style"})],
        rights=Rights(
            uri="http://creativecommons.org/licenses/by/4.0/",
            label="CC BY 4.0",
            holder="National Museum of the Republic of Kazakhstan",
            credit_line="Gift of the Ministry of Culture",
        ),
        media=[
            Media(
                url="https://media.example.kz/nmrk/KP-1234.jpg",
                kind=MediaKind.IMAGE,
                mime="image/jpeg",
                label="Front view",
                rights=Rights(uri="http://creativecommons.org/publicdomain/zero/1.0/"),
            ),
            Media(
                url="https://media.example.kz/nmrk/KP-1234-thumb.jpg",
                kind=MediaKind.IMAGE,
                mime="image/jpeg",
                thumbnail=True,
            ),
            Media(
                url="https://media.example.kz/nmrk/KP-1234.glb",
                kind=MediaKind.MODEL_3D,
                mime="model/gltf-binary",
                label="3D scan",
            ),
        ],
        links=Links(
            published_ids=["https://e-museum.kz/object/nmrk/KP-1234"],
            object_page="https://nmrk.kz/collection/KP-1234",
        ),
        source=SourceInfo(
            format="lido",
            oai_identifier="oai:nmrk.kz:KP-1234",
            datestamp="2024-05-01",
            harvested_at=datetime(2024, 5, 2, 8, 30, tzinfo=UTC),
            mapping_version="lido_in 1.0",
            schema_version="1.1",
        ),
    )


def minimal_record() -> CoreRecord:
    return CoreRecord(
        id="small-museum:17",
        museum_id="small-museum",
        local_id="17",
        source=SourceInfo(format="csv:small", mapping_version="csv 1.0"),
    )


def parse(document: bytes) -> etree._Element:
    return etree.fromstring(document)


def texts(root: etree._Element, path: str) -> list[str]:
    return [str(v) for v in root.xpath(path, namespaces=NS)]


DM = "lido:descriptiveMetadata"
AM = "lido:administrativeMetadata"
OIW = f"{DM}/lido:objectIdentificationWrap"
EVENT = f"{DM}/lido:eventWrap/lido:eventSet/lido:event"


# -- the fully populated record --------------------------------------------------


def test_full_record_is_valid_lido_1_1_as_bare_lido_element_with_declaration() -> None:
    document = to_lido(full_record())
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = parse(document)
    assert root.tag == "{http://www.lido-schema.org}lido"
    assert validate_lido(document) == []
    assert detect_version(root) == "1.0"  # we write nothing v1.0 readers cannot parse
    assert validate_lido(document, version="1.0") == []


def test_full_record_ids_go_to_lido_rec_id_record_id_and_published_id() -> None:
    root = parse(to_lido(full_record()))
    assert texts(root, "lido:lidoRecID/text()") == ["nmrk:KP-1234"]
    assert texts(root, "lido:lidoRecID/@lido:type") == [T + "lido00100"]
    assert texts(root, "lido:lidoRecID/@lido:source") == ["nmrk"]
    assert texts(root, f"{AM}/lido:recordWrap/lido:recordID/text()") == ["KP-1234"]
    assert texts(root, f"{AM}/lido:recordWrap/lido:recordID/@lido:source") == ["nmrk"]
    assert texts(root, "lido:objectPublishedID/text()") == ["https://e-museum.kz/object/nmrk/KP-1234"]
    assert texts(root, "lido:objectPublishedID/@lido:type") == [T + "lido00099"]


def test_full_record_titles_keep_language_and_preference() -> None:
    root = parse(to_lido(full_record()))
    values = root.xpath(f"{OIW}/lido:titleWrap/lido:titleSet/lido:appellationValue", namespaces=NS)
    got = [
        (
            v.text,
            v.get("{http://www.w3.org/XML/1998/namespace}lang"),
            v.get(f"{{{NS['lido']}}}pref"),
        )
        for v in values
    ]
    assert got == [
        ("Сақ қазаны", "kk", T + "lido00169"),
        ("Saq qazany", "kk-latn", T + "lido00170"),
        ("Сакский котёл", "ru", T + "lido00170"),
        ("Saka cauldron", "en", T + "lido00170"),
    ]
    # several languages: the wrapper says "mul", each text carries its own tag
    assert texts(root, f"{DM}/@xml:lang") == ["mul"]


def test_full_record_classification_uses_concept_id_and_terms_per_language() -> None:
    root = parse(to_lido(full_record()))
    work_type = f"{DM}/lido:objectClassificationWrap/lido:objectWorkTypeWrap/lido:objectWorkType"
    assert texts(root, f"{work_type}/lido:conceptID/text()") == ["http://vocab.getty.edu/aat/300198841"]
    assert texts(root, f"{work_type}/lido:term[@xml:lang='kk']/text()") == ["қазан"]
    assert texts(root, f"{work_type}/lido:term[@xml:lang='ru']/text()") == ["котёл"]
    classification = f"{DM}/lido:objectClassificationWrap/lido:classificationWrap/lido:classification"
    assert texts(root, f"{classification}/lido:term/text()") == ["archaeology", "археология"]


def test_full_record_identification_holds_inventory_repository_texts_and_measurements() -> None:
    root = parse(to_lido(full_record()))
    repository = f"{OIW}/lido:repositoryWrap/lido:repositorySet"
    assert texts(root, f"{repository}/lido:workID/text()") == ["КП 1234/5"]
    assert texts(root, f"{repository}/lido:workID/@lido:type") == ["inventory number"]
    assert texts(root, f"{repository}/lido:repositoryName/lido:legalBodyName/lido:appellationValue/text()") == [
        "Қазақстан Республикасының Ұлттық музейі"
    ]
    assert texts(
        root,
        f"{OIW}/lido:objectDescriptionWrap/lido:objectDescriptionSet/lido:descriptiveNoteValue[@xml:lang='kk']/text()",
    ) == ["Қола қазан, үш аяқты."]
    assert texts(root, f"{OIW}/lido:inscriptionsWrap/lido:inscriptions/lido:inscriptionTranscription/text()") == [
        "ᚠ runic-like signs"
    ]
    measurement_sets = f"{OIW}/lido:objectMeasurementsWrap/lido:objectMeasurementsSet"
    assert texts(root, f"{measurement_sets}/lido:displayObjectMeasurements/text()") == ["Биіктігі 47,5 см"]
    structured = f"{measurement_sets}/lido:objectMeasurements/lido:measurementsSet"
    assert texts(root, f"{structured}/lido:measurementType/text()") == [
        "height",
        "weight",
    ]
    assert texts(root, f"{structured}/lido:measurementUnit/text()") == ["cm", "kg"]
    assert texts(root, f"{structured}/lido:measurementValue/text()") == ["47.5", "12"]


def test_full_record_production_event_carries_actors_dates_places_and_materials() -> None:
    root = parse(to_lido(full_record().model_copy(update={"events": []})))
    assert texts(root, f"{EVENT}/lido:eventType/lido:conceptID/text()") == [T + "lido00007"]
    assert texts(root, f"{EVENT}/lido:eventType/lido:term/text()") == ["Production"]
    actor = f"{EVENT}/lido:eventActor/lido:actorInRole/lido:actor"
    assert texts(root, f"{actor}/@lido:type") == [T + "lido00163", T + "lido00413"]
    assert texts(root, f"{actor}/lido:nameActorSet/lido:appellationValue/text()") == [
        "Unknown Saka master",
        "Issyk workshop",
    ]
    assert texts(root, f"{actor}/lido:actorID/text()") == ["http://www.wikidata.org/entity/Q4233718"]
    assert texts(root, f"{EVENT}/lido:eventActor/lido:actorInRole/lido:roleActor/lido:term/text()") == ["maker"]
    assert texts(root, f"{EVENT}/lido:culture/lido:term/text()") == ["Saka culture"]
    assert texts(root, f"{EVENT}/lido:eventDate/lido:displayDate/text()") == ["5th century BCE"]
    assert texts(root, f"{EVENT}/lido:eventDate/lido:date/lido:earliestDate/text()") == ["-0499"]
    assert texts(root, f"{EVENT}/lido:eventDate/lido:date/lido:latestDate/text()") == ["-0400"]
    assert texts(root, f"{EVENT}/lido:periodName/lido:conceptID/text()") == ["http://n2t.net/ark:/99152/p0x"]
    place = f"{EVENT}/lido:eventPlace/lido:place"
    assert texts(root, f"{place}/lido:placeID/text()") == ["https://www.geonames.org/1524325"]
    assert texts(root, f"{place}/lido:namePlaceSet/lido:appellationValue/text()") == ["Есік"]
    assert texts(root, f"{place}/lido:gml/gml:Point/gml:pos/text()") == ["43.35667 77.45222"]
    term_mt = f"{EVENT}/lido:eventMaterialsTech/lido:materialsTech/lido:termMaterialsTech"
    assert texts(root, f"{term_mt}[@lido:type='{T}lido00132']/lido:term/text()") == ["bronze"]
    assert texts(root, f"{term_mt}[@lido:type='{T}lido00132']/lido:conceptID/text()") == [
        "http://vocab.getty.edu/aat/300010957"
    ]
    assert texts(root, f"{term_mt}[@lido:type='{T}lido00131']/lido:term/text()") == ["casting"]


def test_full_record_subjects_rights_and_record_info() -> None:
    root = parse(to_lido(full_record()))
    assert texts(
        root,
        f"{DM}/lido:objectRelationWrap/lido:subjectWrap/lido:subjectSet/lido:subject"
        "/lido:subjectConcept/lido:term/text()",
    ) == ["animal style"]
    rights = f"{AM}/lido:rightsWorkWrap/lido:rightsWorkSet"
    assert texts(root, f"{rights}/lido:rightsType/lido:conceptID/text()") == [
        "http://creativecommons.org/licenses/by/4.0/"
    ]
    assert texts(root, f"{rights}/lido:rightsType/lido:term/text()") == ["CC BY 4.0"]
    assert texts(root, f"{rights}/lido:rightsHolder/lido:legalBodyName/lido:appellationValue/text()") == [
        "National Museum of the Republic of Kazakhstan"
    ]
    assert texts(root, f"{rights}/lido:creditLine/text()") == ["Gift of the Ministry of Culture"]
    record_wrap = f"{AM}/lido:recordWrap"
    assert texts(root, f"{record_wrap}/lido:recordType/lido:conceptID/text()") == [T + "lido00141"]
    assert texts(root, f"{record_wrap}/lido:recordSource/lido:legalBodyName/lido:appellationValue/text()") == [
        "National museum catalogue of Kazakhstan"
    ]
    info = f"{record_wrap}/lido:recordInfoSet"
    assert texts(root, f"{info}/lido:recordInfoLink/text()") == ["https://nmrk.kz/collection/KP-1234"]
    assert texts(root, f"{info}/lido:recordInfoID/text()") == ["oai:nmrk.kz:KP-1234", "lido_in 1.0"]
    assert texts(root, f"{info}/lido:recordMetadataDate/text()") == [
        "2024-05-01",
        "2024-05-02T08:30:00+00:00",
    ]
    assert texts(root, "@lido:relatedencoding") == ["lido"]


def test_full_record_media_become_resource_sets_with_format_type_and_rights() -> None:
    root = parse(to_lido(full_record()))
    sets = root.xpath(f"{AM}/lido:resourceWrap/lido:resourceSet", namespaces=NS)
    assert len(sets) == 3
    links = [texts(s, "lido:resourceRepresentation/lido:linkResource/text()")[0] for s in sets]
    assert links == [
        "https://media.example.kz/nmrk/KP-1234.jpg",
        "https://media.example.kz/nmrk/KP-1234-thumb.jpg",
        "https://media.example.kz/nmrk/KP-1234.glb",
    ]
    assert [texts(s, "lido:resourceRepresentation/lido:linkResource/@lido:formatResource") for s in sets] == [
        ["image/jpeg"],
        ["image/jpeg"],
        ["model/gltf-binary"],
    ]
    assert [texts(s, "lido:resourceType/lido:term/text()") for s in sets] == [
        ["image"],
        ["image"],
        ["3D model"],
    ]
    assert [texts(s, "lido:resourceRepresentation/@lido:type") for s in sets] == [
        [],
        ["thumbnail"],
        [],
    ]
    assert texts(sets[0], "lido:resourceDescription/text()") == ["Front view"]
    assert texts(sets[0], "lido:rightsResource/lido:rightsType/lido:conceptID/text()") == [
        "http://creativecommons.org/publicdomain/zero/1.0/"
    ]


def test_record_source_names_the_publisher_given() -> None:
    root = parse(to_lido(full_record(), record_source="Ұлттық электрондық музей"))
    assert texts(
        root,
        f"{AM}/lido:recordWrap/lido:recordSource/lido:legalBodyName/lido:appellationValue/text()",
    ) == ["Ұлттық электрондық музей"]


# -- sparse and hostile records ----------------------------------------------------


def test_minimal_record_is_valid_and_fills_required_elements_with_marked_substitutes() -> None:
    document = to_lido(minimal_record())
    assert validate_lido(document) == []
    root = parse(document)
    work_type = f"{DM}/lido:objectClassificationWrap/lido:objectWorkTypeWrap/lido:objectWorkType"
    assert texts(root, f"{work_type}/lido:term/text()") == ["not specified"]
    assert texts(root, f"{work_type}/lido:term/@lido:encodinganalog") == [SUBSTITUTE_MARK]
    title = f"{OIW}/lido:titleWrap/lido:titleSet/lido:appellationValue"
    assert texts(root, f"{title}/text()") == ["17"]
    assert texts(root, f"{title}/@lido:encodinganalog") == [SUBSTITUTE_MARK]
    assert texts(root, f"{DM}/@xml:lang") == ["und"]
    assert root.xpath(f"{DM}/lido:eventWrap", namespaces=NS) == []


def test_untitled_record_shows_its_inventory_number_as_title() -> None:
    record = minimal_record().model_copy(update={"inventory_number": "ҚР 55"})
    root = parse(to_lido(record))
    assert texts(root, f"{OIW}/lido:titleWrap/lido:titleSet/lido:appellationValue/text()") == ["ҚР 55"]


def test_control_characters_and_bad_language_tags_are_dropped_but_text_survives() -> None:
    record = minimal_record().model_copy(
        update={
            "titles": [LangText(value="Bell\x00\x0b\ufffe jar", lang="not a tag!")],
            "object_type": [Term(labels={"": "urn", "ru": "ваза\x1f"})],
            "repository": "Museum\x07",
        }
    )
    document = to_lido(record)
    assert validate_lido(document) == []
    root = parse(document)
    title = root.xpath(f"{OIW}/lido:titleWrap/lido:titleSet/lido:appellationValue", namespaces=NS)
    assert [t.text for t in title] == ["Bell jar"]
    assert title[0].get("{http://www.w3.org/XML/1998/namespace}lang") is None


def test_empty_terms_are_left_out_rather_than_written_as_empty_concepts() -> None:
    record = minimal_record().model_copy(
        update={"subjects": [Term()], "classification": [Term()], "object_type": [Term()]}
    )
    root = parse(to_lido(record))
    assert root.xpath(f"{DM}/lido:objectRelationWrap", namespaces=NS) == []
    assert root.xpath(f"{DM}/lido:objectClassificationWrap/lido:classificationWrap", namespaces=NS) == []
    assert validate_lido(to_lido(record)) == []


def test_lido_wrap_of_several_records_is_valid_and_keeps_their_order() -> None:
    records = [full_record(), minimal_record(), full_record().model_copy(update={"id": "nmrk:2"})]
    document = to_lido_wrap(records)
    assert validate_lido(document) == []
    root = parse(document)
    assert root.tag == "{http://www.lido-schema.org}lidoWrap"
    assert texts(root, "lido:lido/lido:lidoRecID/text()") == [
        "nmrk:KP-1234",
        "small-museum:17",
        "nmrk:2",
    ]


def test_lido_wrap_refuses_an_empty_batch_because_the_schema_needs_one_record() -> None:
    with pytest.raises(ValueError, match="at least one record"):
        to_lido_wrap([])


def test_the_element_form_validates_like_the_bytes() -> None:
    element = to_lido_element(full_record())
    assert validate_lido(element) == []


# -- validation ----------------------------------------------------------------------


def test_validation_reports_schema_errors_with_line_numbers() -> None:
    document = to_lido(minimal_record())
    root = parse(document)
    # break it: remove the required recordType and add an element the schema does not know
    record_wrap = root.find(f"{AM}/lido:recordWrap", NS)
    assert record_wrap is not None
    record_wrap.remove(record_wrap.find("lido:recordType", NS))
    etree.SubElement(root.find(DM, NS), "{http://www.lido-schema.org}colour").text = "red"
    broken = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    errors = validate_lido(broken)
    assert len(errors) >= 2
    assert all(error.startswith("line ") for error in errors)
    lines = {int(error.split(":", 1)[0].removeprefix("line ")) for error in errors}
    assert all(line > 1 for line in lines)
    assert any("recordSource" in error and "not expected" in error for error in errors)
    assert any("colour" in error for error in errors)


def test_validation_reports_malformed_xml_with_its_line() -> None:
    errors = validate_lido(b"<?xml version='1.0'?>\n<lido:lido xmlns:lido='http://www.lido-schema.org'>\n<oops>")
    assert len(errors) == 1
    assert errors[0].startswith("line ")
    assert "not well-formed" in errors[0]


def test_validation_of_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown LIDO version"):
        validate_lido(to_lido(minimal_record()), version="2.0")


def test_schema_compilation_and_validation_touch_no_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attempts: list[Any] = []

    class NoSocket:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            attempts.append(args)
            raise OSError("network access attempted during LIDO validation")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", NoSocket)
    # force a fresh compilation of both versions while the network is unavailable
    monkeypatch.setattr(lido_schema, "_compiled", {})
    assert validate_lido(to_lido(full_record()), version="1.1") == []
    assert validate_lido(to_lido(full_record()), version="1.0") == []
    assert attempts == []


def test_packaged_schemas_only_import_relative_local_files() -> None:
    schema_locations: list[str] = []
    for xsd in SCHEMA_DIR.rglob("*.xsd"):
        tree = etree.parse(str(xsd))
        for node in tree.iter("{http://www.w3.org/2001/XMLSchema}import", "{http://www.w3.org/2001/XMLSchema}include"):
            location = node.get("schemaLocation")
            assert location is not None
            schema_locations.append(location)
            assert "://" not in location, f"{xsd.name} imports {location} from the network"
            assert (xsd.parent / location).resolve().is_file(), f"{xsd.name}: {location} missing"
    assert len(schema_locations) > 20
    assert (SCHEMA_DIR / "LICENSE.md").is_file()
    assert (SCHEMA_DIR / "NOTICE.md").is_file()


def test_offline_resolver_refuses_a_schema_that_imports_from_the_web(tmp_path: Path) -> None:
    xsd = tmp_path / "remote.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="http://www.w3.org/XML/1998/namespace" '
        'schemaLocation="http://www.w3.org/2001/xml.xsd"/></xs:schema>'
    )
    document = etree.parse(str(xsd), lido_schema._offline_parser())
    with pytest.raises(etree.XMLSchemaParseError, match="http://www.w3.org/2001/xml.xsd"):
        etree.XMLSchema(document)


def test_every_file_the_lido_schemas_load_is_a_local_packaged_file() -> None:
    loaded: list[str] = []

    class Recorder(etree.Resolver):
        def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> None:
            loaded.append(system_url or "")
            return None

    for name in ("lido-v1.1.xsd", "lido-v1.0.xsd"):
        parser = lido_schema._offline_parser()
        parser.resolvers.add(Recorder())
        etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name), parser))
    assert len(loaded) > 20
    for url in loaded:
        assert "://" not in url, url
        assert Path(url).resolve().is_relative_to(SCHEMA_DIR.resolve()), url


def test_validation_is_safe_from_several_threads_at_once() -> None:
    valid = to_lido(full_record())
    invalid = valid.replace(b"<lido:recordType>", b"<lido:recordKind>").replace(
        b"</lido:recordType>", b"</lido:recordKind>"
    )
    jobs = [valid, invalid] * 20
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(validate_lido, jobs))
    for document, errors in zip(jobs, results, strict=True):
        assert (errors == []) is (document is valid)


def test_detect_version_sees_v1_1_elements_and_skos_concepts() -> None:
    root = parse(to_lido(minimal_record()))
    assert detect_version(root) == "1.0"
    identification = root.find(f"{OIW}", NS)
    assert identification is not None
    etree.SubElement(identification, "{http://www.lido-schema.org}objectMaterialsTechWrap")
    assert detect_version(root) == "1.1"
    skos_only = parse(to_lido(minimal_record()))
    work_type = skos_only.find(f"{DM}/lido:objectClassificationWrap/lido:objectWorkTypeWrap/lido:objectWorkType", NS)
    assert work_type is not None
    etree.SubElement(work_type, "{http://www.w3.org/2004/02/skos/core#}Concept")
    assert detect_version(skos_only) == "1.1"


@pytest.mark.skipif(not LIDO_REAL.is_dir(), reason=f"real LIDO samples not present at {LIDO_REAL}")
def test_official_v1_1_examples_validate_and_are_detected_as_1_1() -> None:
    for name in (
        "LIDO-v1.1-Example_FMobj00154983-LaPrimavera.xml",
        "LIDO-v1.1-Example_FMobj20344012-Fontana_del_Moro.xml",
    ):
        document = (LIDO_REAL / name).read_bytes()
        assert validate_lido(document) == [], name
        assert detect_version(parse(document)) == "1.1"
        assert validate_lido(document, version="1.0") != []  # skos:Concept is not 1.0


# -- round trip through the LIDO reader ---------------------------------------------


def _map_lido() -> Any:
    return map_lido


def _comparable(record: CoreRecord) -> dict[str, Any]:
    """The fields a LIDO round trip must keep.

    ``source`` is rebuilt by the reader from the harvest (format, mapping
    version), and ``id``/``museum_id``/``local_id`` come from the RawRecord, so
    they are left out; an empty production or rights block is the same as none.
    A text without language and one tagged ``und`` say the same thing, and LIDO
    cannot tell them apart (``descriptiveMetadata/@xml:lang`` is required, so an
    untagged text inherits ``und``).
    """
    data = record.model_dump(mode="json", exclude={"source", "provenance", "id", "museum_id", "local_id"})
    for field in ("titles", "descriptions", "inscriptions"):
        for text in data[field]:
            if text["lang"] == "und":
                text["lang"] = None
    if data["production"] == Production().model_dump(mode="json"):
        data["production"] = None
    if data["rights"] == Rights().model_dump(mode="json"):
        data["rights"] = None
    for media in data["media"]:
        if media["rights"] == Rights().model_dump(mode="json"):
            media["rights"] = None
    return data


def _round_trip(record: CoreRecord) -> CoreRecord:
    map_lido = _map_lido()
    raw = RawRecord(
        museum_id=record.museum_id,
        local_id=record.local_id,
        format="lido",
        payload=to_lido(record),
        datestamp=record.source.datestamp,
        oai_identifier=record.source.oai_identifier,
    )
    return map_lido(raw).record


def test_round_trip_core_to_lido_to_core_keeps_every_field_of_the_full_record() -> None:
    record = full_record()
    assert _comparable(_round_trip(record)) == _comparable(record)


# -- events -------------------------------------------------------------------------


def test_every_event_is_written_after_the_production_with_its_type_and_nested_place() -> None:
    document = to_lido(full_record())
    assert validate_lido(document) == []
    root = parse(document)
    events = root.findall(".//lido:eventWrap/lido:eventSet/lido:event", NS)
    assert len(events) == 3
    types = [e.findtext("lido:eventType/lido:conceptID", namespaces=NS) for e in events]
    assert types[1:] == [
        "http://terminology.lido-schema.org/lido00033",
        "http://terminology.lido-schema.org/lido00001",
    ]
    excavation = events[1]
    assert excavation.findtext("lido:eventName/lido:appellationValue", namespaces=NS) == "Есік экспедициясы"
    nested = excavation.findtext(
        "lido:eventPlace/lido:place/lido:partOfPlace/lido:partOfPlace/lido:namePlaceSet/lido:appellationValue",
        namespaces=NS,
    )
    assert nested == "Алматы облысы"
    alternate = excavation.find("lido:eventType/lido:term[@lido:pref='alternate']", NS)
    assert alternate is not None and alternate.text == "раскопки кургана"


def test_an_untyped_event_gets_a_marked_stand_in_type_that_reads_back_as_none() -> None:
    record = full_record().model_copy(update={"events": [Event(date_display="1990", earliest="1990", latest="1990")]})
    document = to_lido(record)
    assert validate_lido(document) == []
    assert SUBSTITUTE_MARK.encode() in document
    back = _round_trip(record)
    assert back.events == record.events


def test_without_a_production_an_untyped_event_is_not_read_back_as_the_making() -> None:
    record = full_record().model_copy(
        update={
            "production": None,
            "actors": [],
            "materials": [],
            "techniques": [],
            "events": [Event(actors=[Actor(name="Someone")], date_display="1990", earliest="1990", latest="1990")],
        }
    )
    back = _round_trip(record)
    assert back.events == record.events
    assert back.actors == []

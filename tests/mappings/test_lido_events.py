"""Every event of a LIDO record reaches the core record: a find with its finder and nested
find spot, a production typed in a language no table lists, acquisitions, uses; and what
each value's source element was.

The records below are written for these tests in the shapes real exports have: the
Romanian INP/cIMeC LIDO 1.0 export (English event types without ids, a finding event
with a "discoverer" and a find spot nested five levels deep in partOfPlace) and a Finnish
Finna-profile export (event types as Finnish terms, "valmistus").
"""

from __future__ import annotations

import pytest

from harvester.raw import RawRecord
from mappings.core import CoreRecord
from mappings.event_types import EventKind, event_types, recognise, type_term
from mappings.formats import map_raw
from mappings.lido_in import map_lido
from mappings.lido_out import to_lido
from mappings.lido_schema import validate_lido
from mappings.report import MappingResult

HEAD = '<lido:lidoWrap xmlns:lido="http://www.lido-schema.org"><lido:lido>'
TAIL = "</lido:lido></lido:lidoWrap>"


def _lido(events: str, *, lang: str = "ro", more_blocks: str = "") -> bytes:
    return (
        HEAD
        + '<lido:lidoRecID lido:type="local">RO-1</lido:lidoRecID>'
        + f'<lido:descriptiveMetadata xml:lang="{lang}">'
        + "<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>"
        + f'<lido:term xml:lang="{lang}">Colier</lido:term>'
        + "</lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>"
        + "<lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>"
        + '<lido:appellationValue lido:pref="preferred">Colier</lido:appellationValue>'
        + "</lido:titleSet></lido:titleWrap></lido:objectIdentificationWrap>"
        + f"<lido:eventWrap>{events}</lido:eventWrap>"
        + "</lido:descriptiveMetadata>"
        + more_blocks
        + '<lido:administrativeMetadata xml:lang="ro"><lido:recordWrap>'
        + '<lido:recordID lido:type="local">RO-1</lido:recordID>'
        + "<lido:recordType><lido:term>item</lido:term></lido:recordType>"
        + "<lido:recordSource><lido:legalBodyName><lido:appellationValue>Muzeu</lido:appellationValue>"
        + "</lido:legalBodyName></lido:recordSource>"
        + "</lido:recordWrap></lido:administrativeMetadata>"
        + TAIL
    ).encode()


def _map(payload: bytes) -> MappingResult:
    return map_lido(RawRecord(museum_id="ro-museum", local_id="RO-1", format="lido", payload=payload))


def _nested(names: list[str]) -> str:
    """A place nested in broader places, the narrowest first."""
    xml = ""
    for name in reversed(names):
        inner = xml
        xml = f"<lido:namePlaceSet><lido:appellationValue>{name}</lido:appellationValue></lido:namePlaceSet>"
        if inner:
            xml += f"<lido:partOfPlace>{inner}</lido:partOfPlace>"
    return f"<lido:eventPlace><lido:place>{xml}</lido:place></lido:eventPlace>"


PRODUCTION = (
    "<lido:eventSet><lido:event>"
    '<lido:eventType><lido:term xml:lang="en">Production</lido:term></lido:eventType>'
    "<lido:eventDate><lido:displayDate>sec. IV-V p.Chr.</lido:displayDate></lido:eventDate>"
    "</lido:event></lido:eventSet>"
)
FIND_SPOT = ["Punctul Movila", "Satul Nou", "Comuna Veche", "Tulcea", "Dobrogea", "România"]
FINDING = (
    "<lido:eventSet><lido:event>"
    '<lido:eventType><lido:term xml:lang="en">Finding</lido:term></lido:eventType>'
    "<lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet>"
    "<lido:appellationValue>Ionescu Maria</lido:appellationValue></lido:nameActorSet></lido:actor>"
    '<lido:roleActor><lido:term xml:lang="en">discoverer</lido:term>'
    '<lido:term xml:lang="ro">descoperitor</lido:term></lido:roleActor>'
    "</lido:actorInRole></lido:eventActor>"
    "<lido:eventDate><lido:displayDate>1978</lido:displayDate></lido:eventDate>"
    + _nested(FIND_SPOT)
    + '<lido:eventDescriptionSet><lido:descriptiveNoteValue xml:lang="ro">Săpătură sistematică'
    "</lido:descriptiveNoteValue></lido:eventDescriptionSet>"
    "</lido:event></lido:eventSet>"
)


def _find(record: CoreRecord):  # noqa: ANN202 - the test's own shorthand
    found = [e for e in record.events if e.type and e.type.concept == "finding"]
    assert len(found) == 1, record.events
    return found[0]


# --------------------------------------------------------------------------- a find


def test_a_finding_event_keeps_its_finder_dated_find_spot_and_context() -> None:
    result = _map(_lido(PRODUCTION + FINDING))
    record = result.record
    assert record.production is not None and record.production.date_display == "sec. IV-V p.Chr."
    find = _find(record)
    assert find.type.uri == "http://terminology.lido-schema.org/lido00002"
    assert find.type.labels == {"kk": "Табылуы", "ru": "Находка", "en": "Finding"}
    assert [(a.name, a.role.labels if a.role else None) for a in find.actors] == [
        ("Ionescu Maria", {"en": "discoverer", "ro": "descoperitor"})
    ]
    assert (find.date_display, find.earliest, find.latest) == ("1978", "1978", "1978")
    assert [p.name for p in find.places[0].hierarchy()] == FIND_SPOT
    assert [(d.value, d.lang) for d in find.descriptions] == [("Săpătură sistematică", "ro")]
    # The finder is not a maker of the necklace.
    assert record.actors == []
    # Nothing of the find is reported as left out any more.
    assert not [path for path in result.unmapped if "eventWrap" in path]


def test_the_find_and_its_place_names_are_concepts_after_enrichment() -> None:
    record = map_raw(RawRecord("ro-museum", "RO-1", "lido", _lido(PRODUCTION + FINDING))).record
    find = _find(record)
    assert all(place.concept for place in find.places[0].hierarchy())
    assert find.type.concept == "finding"


def test_the_find_survives_our_lido_output_and_is_schema_valid() -> None:
    record = _map(_lido(PRODUCTION + FINDING)).record
    document = to_lido(record)
    assert validate_lido(document) == []
    back = map_lido(RawRecord("ro-museum", "RO-1", "lido", document)).record
    assert back.events == record.events
    assert back.production == record.production


def test_provenance_names_the_elements_each_value_came_from() -> None:
    record = _map(_lido(PRODUCTION + FINDING)).record
    event = "descriptiveMetadata/eventWrap/eventSet[2]/event"
    assert record.provenance["events[0]"] == [event]
    assert record.provenance["events[0].actors"] == [f"{event}/eventActor/actorInRole"]
    assert record.provenance["events[0].places"] == [f"{event}/eventPlace/place"]
    assert record.provenance["events[0].date_display"] == [f"{event}/eventDate/displayDate"]
    assert record.provenance["production.date_display"] == [
        "descriptiveMetadata/eventWrap/eventSet[1]/event/eventDate/displayDate"
    ]
    assert record.provenance["titles"] == [
        "descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet/appellationValue"
    ]
    assert record.provenance["object_type"] == [
        "descriptiveMetadata/objectClassificationWrap/objectWorkTypeWrap/objectWorkType"
    ]


def test_values_read_from_every_one_of_a_run_of_siblings_share_one_path_without_position() -> None:
    titles = (
        '<lido:appellationValue xml:lang="ro">Colier</lido:appellationValue>'
        '<lido:appellationValue xml:lang="en">Necklace</lido:appellationValue>'
    )
    payload = _lido(PRODUCTION).replace(
        b'<lido:appellationValue lido:pref="preferred">Colier</lido:appellationValue>', titles.encode()
    )
    provenance = _map(payload).record.provenance
    assert provenance["titles"] == ["descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet/appellationValue"]
    # Two of three: each keeps its position.
    placeholder = '<lido:appellationValue xml:lang="de">?</lido:appellationValue>'
    provenance = _map(payload.replace(titles.encode(), (titles + placeholder).encode())).record.provenance
    assert provenance["titles"] == [
        "descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet/appellationValue[1]",
        "descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet/appellationValue[2]",
    ]


# --------------------------------------------------------------------------- event types


def _event(type_xml: str, body: str = "") -> str:
    return f"<lido:eventSet><lido:event><lido:eventType>{type_xml}</lido:eventType>{body}</lido:event></lido:eventSet>"


MAKER = (
    "<lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet>"
    "<lido:appellationValue>Virtanen, Aino</lido:appellationValue></lido:nameActorSet></lido:actor>"
    "</lido:actorInRole></lido:eventActor>"
    "<lido:eventDate><lido:displayDate>1923</lido:displayDate>"
    "<lido:date><lido:earliestDate>1923</lido:earliestDate><lido:latestDate>1923</lido:latestDate></lido:date>"
    "</lido:eventDate>"
    + _nested(["Porvoo", "Suomi"])
    + "<lido:eventMaterialsTech><lido:materialsTech>"
    + '<lido:termMaterialsTech><lido:term xml:lang="fi">pellava</lido:term></lido:termMaterialsTech>'
    + "</lido:materialsTech></lido:eventMaterialsTech>"
)
USE = '<lido:term xml:lang="fi">käyttö</lido:term>'
USE_BODY = "<lido:eventDate><lido:displayDate>1930-1950</lido:displayDate></lido:eventDate>"


def test_a_finnish_valmistus_is_the_production_with_its_dates_maker_and_place() -> None:
    payload = _lido(_event('<lido:term xml:lang="fi">valmistus</lido:term>', MAKER) + _event(USE, USE_BODY), lang="fi")
    record = _map(payload).record
    assert record.production is not None
    assert (record.production.earliest, record.production.latest) == ("1923", "1923")
    assert [p.name for p in record.production.places[0].hierarchy()] == ["Porvoo", "Suomi"]
    assert [a.name for a in record.actors] == ["Virtanen, Aino"]
    assert [m.labels for m in record.materials] == [{"fi": "pellava"}]
    assert [(e.type.concept, e.earliest, e.latest) for e in record.events if e.type] == [("use", "1930", "1950")]


def test_an_event_type_no_table_knows_is_the_production_when_it_alone_carries_a_maker() -> None:
    unknown = '<lido:term xml:lang="et">valmistamine</lido:term>'
    record = _map(_lido(_event(unknown, MAKER) + _event(USE, USE_BODY), lang="et")).record
    assert record.production is not None and record.production.earliest == "1923"
    assert [a.name for a in record.actors] == ["Virtanen, Aino"]
    assert [e.type.concept for e in record.events if e.type] == ["use"]


def test_two_unknown_events_with_makers_are_both_kept_and_neither_is_guessed_the_production() -> None:
    first = _event('<lido:term xml:lang="et">valmistamine</lido:term>', MAKER)
    second = _event('<lido:term xml:lang="et">parandamine</lido:term>', MAKER)
    record = _map(_lido(first + second, lang="et")).record
    assert record.production is None
    assert [e.type.labels for e in record.events if e.type] == [{"et": "valmistamine"}, {"et": "parandamine"}]
    assert [e.type.concept for e in record.events if e.type] == ["local:valmistamine", "local:parandamine"]
    assert all(e.actors for e in record.events)


def test_an_untyped_event_carrying_materials_is_the_production() -> None:
    record = _map(_lido(_event("", MAKER))).record
    assert record.production is not None and record.production.date_display == "1923"
    assert record.events == []


@pytest.mark.parametrize(
    ("lang", "label", "key"),
    [(lang, label, t.key) for t in event_types() for lang, label in t.terminology],
)
def test_every_label_of_the_lido_terminology_names_its_type(lang: str, label: str, key: str) -> None:
    found, _ = recognise([], [label])
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    ("uri", "key"),
    [
        ("http://terminology.lido-schema.org/lido00033", "excavation"),
        ("http://terminology.lido-schema.org/eventType/finding", "finding"),
        ("http://terminology.lido-schema.org/eventType/acquisition", "acquisition"),
        ("http://www.cidoc-crm.org/crm-concepts/E12", "production"),
        ("http://www.cidoc-crm.org/cidoc-crm/E12_Production", "production"),
        ("http://www.cidoc-crm.org/cidoc-crm/E8_Acquisition", "acquisition"),
    ],
)
def test_event_types_are_recognised_by_id_legacy_path_and_crm_class(uri: str, key: str) -> None:
    found, _ = recognise([uri], [])
    assert found is not None and found.key == key


def test_a_label_saying_production_outranks_an_id_saying_design() -> None:
    found, kind = recognise(["http://terminology.lido-schema.org/lido00224"], ["Herstellung"])
    assert found is not None and found.key == "production" and kind is EventKind.PRODUCTION


def test_the_museums_own_words_are_kept_beside_the_concepts_labels() -> None:
    term, kind = type_term(["http://terminology.lido-schema.org/lido00002"], [("en", "Finding"), ("ro", "descoperire")])
    assert kind is EventKind.OTHER
    assert term is not None and term.source_labels == {"ro": "descoperire"}
    assert term.labels["en"] == "Finding" and term.uri == "http://terminology.lido-schema.org/lido00002"


def test_no_type_at_all_is_none() -> None:
    assert type_term([], []) == (None, EventKind.UNSPECIFIED)


# --------------------------------------------------------------------------- dates, blocks


def test_index_dates_of_zero_are_unknown_and_the_display_date_is_read_instead() -> None:
    body = (
        "<lido:eventDate><lido:displayDate>um 1890</lido:displayDate>"
        "<lido:date><lido:earliestDate>0</lido:earliestDate><lido:latestDate>0</lido:latestDate></lido:date>"
        "</lido:eventDate>"
    )
    result = _map(_lido(_event('<lido:term xml:lang="de">Herstellung</lido:term>', body), lang="de"))
    production = result.record.production
    assert production is not None
    assert production.earliest is not None and production.earliest.startswith("18")
    assert production.latest is not None and production.latest.startswith("189")
    assert not [i for i in result.issues if "earliestDate" in i.field or "latestDate" in i.field]


def test_events_repeated_in_each_language_block_are_merged_position_by_position() -> None:
    de = _event('<lido:term xml:lang="de">Herstellung</lido:term>') + _event(
        '<lido:term xml:lang="de">Erwerbung</lido:term>',
        "<lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet><lido:appellationValue>"
        "Stadt Berlin</lido:appellationValue></lido:nameActorSet></lido:actor></lido:actorInRole></lido:eventActor>",
    )
    en_block = (
        '<lido:descriptiveMetadata xml:lang="en">'
        "<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>"
        '<lido:term xml:lang="en">necklace</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>'
        "</lido:objectClassificationWrap><lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>"
        "<lido:appellationValue>Necklace</lido:appellationValue></lido:titleSet></lido:titleWrap>"
        "</lido:objectIdentificationWrap><lido:eventWrap>"
        + _event('<lido:term xml:lang="en">Production</lido:term>')
        + _event(
            '<lido:term xml:lang="en">Acquisition</lido:term>',
            "<lido:eventDate><lido:displayDate>1901</lido:displayDate></lido:eventDate>",
        )
        + "</lido:eventWrap></lido:descriptiveMetadata>"
    )
    record = _map(_lido(de, lang="de", more_blocks=en_block)).record
    assert len(record.events) == 1
    acquisition = record.events[0]
    assert acquisition.type is not None and acquisition.type.concept == "acquisition"
    assert acquisition.type.source_labels == {"de": "Erwerbung"}
    assert [a.name for a in acquisition.actors] == ["Stadt Berlin"]
    assert acquisition.date_display == "1901"

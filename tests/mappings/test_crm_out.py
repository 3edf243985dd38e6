"""Specification of the CIDOC-CRM / Linked Art output (mappings.crm_out)."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
import rdflib
from cromulent import vocab
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.compare import isomorphic

import mappings
from mappings import crm_out
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
    record_id,
)
from mappings.crm_out import AAT, CRM, DIG, LA
from mappings.crm_out import rdf as crm_rdf
from mappings.event_types import event_type
from mappings.report import MappingError

BASE = crm_out.DEFAULT_BASE_URI
DC_FORMAT = URIRef("http://purl.org/dc/elements/1.1/format")
GOLD = "http://vocab.getty.edu/aat/300011021"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def full_record(local_id: str = "КП 12345/1", maker: str = "Жұмабай Ахметов") -> CoreRecord:
    """A record with every field the output knows about, in Kazakh, Russian and English."""
    return CoreRecord(
        id=record_id("nmrk", local_id),
        museum_id="nmrk",
        local_id=local_id,
        inventory_number="КП 12345",
        repository="Национальный музей Республики Казахстан",
        object_type=[Term(labels={"kk": "әшекей", "ru": "украшение"})],
        classification=[Term(labels={"en": "jewellery"}, uri="http://vocab.getty.edu/aat/300209286")],
        titles=[
            LangText(value="Алтын адам", lang="kk", preferred=True),
            LangText(value="Золотой человек", lang="ru"),
            LangText(value="Golden Man", lang="en"),
        ],
        descriptions=[
            LangText(value="Сақ жауынгерінің салтанатты киімі.", lang="kk"),
            LangText(value="Ceremonial costume of a Saka warrior.", lang="en"),
        ],
        inscriptions=[LangText(value="Runic inscription on the silver bowl", lang="en")],
        actors=[
            Actor(name=maker, role=Term(labels={"ru": "мастер"}), kind="person"),
            Actor(name="Saka workshop", kind="organization"),
        ],
        production=Production(
            date_display="V–IV вв. до н.э.",
            earliest="-0499",
            latest="-0300",
            places=[Place(name="Есік", lat=43.35, lon=77.45)],
            culture=[Term(labels={"ru": "сакская культура"})],
            period=[Term(labels={"en": "Early Iron Age"})],
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
        materials=[
            Term(labels={"ru": "золото", "en": "gold"}, uri=GOLD),
            Term(labels={"ru": "кожа"}),
        ],
        techniques=[Term(labels={"ru": "литьё"})],
        measurements=[
            Measurement(type="height", value=12.5, unit="cm", display="h 12.5 cm"),
            Measurement(type="weight", value=0.3, unit="kg"),
            Measurement(type="width", display="ca. 4 cm"),
        ],
        subjects=[Term(labels={"en": "snow leopard"})],
        rights=Rights(
            uri=CC_BY,
            label="CC BY 4.0",
            holder="Национальный музей Республики Казахстан",
            credit_line="Excavated by K. Akishev, 1969",
        ),
        media=[
            Media(
                url="https://media.museums.kz/nmrk/12345.jpg",
                kind=MediaKind.IMAGE,
                mime="image/jpeg",
                label="Front view",
                rights=Rights(uri="http://rightsstatements.org/vocab/InC/1.0/"),
            ),
            Media(
                url="https://media.museums.kz/nmrk/12345.glb",
                kind=MediaKind.MODEL_3D,
                mime="model/gltf-binary",
            ),
            Media(url="https://tour.museums.kz/hall 3", kind=MediaKind.VIRTUAL_TOUR),
        ],
        links=Links(
            published_ids=["https://nmrk.kz/object/12345"],
            object_page="https://nmrk.kz/collection/12345",
        ),
        source=SourceInfo(format="lido", mapping_version="test"),
    )


def minimal_record(local_id: str = "1") -> CoreRecord:
    return CoreRecord(
        id=record_id("kastmus", local_id),
        museum_id="kastmus",
        local_id=local_id,
        source=SourceInfo(format="csv:kastmus", mapping_version="test"),
    )


@pytest.fixture(scope="module")
def full_graph() -> rdflib.Graph:
    """The full record's Turtle, parsed back with plain rdflib."""
    return rdflib.Graph().parse(data=crm_out.to_turtle(full_record()), format="turtle")


def the_object(graph: rdflib.Graph) -> URIRef:
    objects = list(graph.subjects(RDF.type, CRM["E22_Human-Made_Object"]))
    own = [o for o in objects if str(o).startswith(BASE)]
    assert len(own) == 1, objects
    return URIRef(own[0])


def one(graph: rdflib.Graph, subject: Any, predicate: URIRef) -> Any:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


# --- Turtle ---------------------------------------------------------------------


def test_turtle_parses_back_and_types_the_object_as_crm_human_made_object(
    full_graph: rdflib.Graph,
) -> None:
    obj = the_object(full_graph)
    assert str(obj) == f"{BASE}object/nmrk/%D0%9A%D0%9F%2012345%2F1"
    assert one(full_graph, obj, RDFS.label) == Literal("Алтын адам")


def test_turtle_uses_the_crm_la_dig_aat_prefixes() -> None:
    text = crm_out.to_turtle(full_record())
    for prefix, namespace in {
        "crm": CRM,
        "la": LA,
        "dig": DIG,
        "aat": AAT,
        "xsd": rdflib.XSD,
        "rdfs": RDFS,
    }.items():
        assert f"@prefix {prefix}: <{namespace}> ." in text
    assert "crm:E22_Human-Made_Object" in text


def test_production_has_a_time_span_with_bce_bounds_as_xsd_datetime(
    full_graph: rdflib.Graph,
) -> None:
    production = one(full_graph, the_object(full_graph), CRM["P108i_was_produced_by"])
    assert (production, RDF.type, CRM["E12_Production"]) in full_graph
    span = one(full_graph, production, CRM["P4_has_time-span"])
    assert (span, RDF.type, CRM["E52_Time-Span"]) in full_graph
    begin = one(full_graph, span, CRM["P82a_begin_of_the_begin"])
    end = one(full_graph, span, CRM["P82b_end_of_the_end"])
    assert (str(begin), begin.datatype) == ("-0499-01-01T00:00:00Z", rdflib.XSD.dateTime)
    assert (str(end), end.datatype) == ("-0300-12-31T23:59:59Z", rdflib.XSD.dateTime)
    display = one(full_graph, span, CRM["P1_is_identified_by"])
    assert (display, RDF.type, CRM["E33_E41_Linguistic_Appellation"]) in full_graph
    assert one(full_graph, display, CRM["P190_has_symbolic_content"]) == Literal("V–IV вв. до н.э.")


def test_actor_with_a_role_carries_out_a_part_of_the_production_classified_by_the_role(
    full_graph: rdflib.Graph,
) -> None:
    production = one(full_graph, the_object(full_graph), CRM["P108i_was_produced_by"])
    part = one(full_graph, production, CRM["P9_consists_of"])
    assert (part, RDF.type, CRM["E12_Production"]) in full_graph
    maker = one(full_graph, part, CRM["P14_carried_out_by"])
    assert (maker, RDF.type, CRM["E21_Person"]) in full_graph
    assert one(full_graph, maker, RDFS.label) == Literal("Жұмабай Ахметов")
    role = one(full_graph, part, CRM["P2_has_type"])
    assert one(full_graph, role, RDFS.label) == Literal("мастер")
    # the actor without a role carries out the production itself
    workshop = one(full_graph, production, CRM["P14_carried_out_by"])
    assert (workshop, RDF.type, CRM["E74_Group"]) in full_graph


def test_production_place_is_defined_by_a_wkt_point_longitude_first(
    full_graph: rdflib.Graph,
) -> None:
    production = one(full_graph, the_object(full_graph), CRM["P108i_was_produced_by"])
    place = one(full_graph, production, CRM["P7_took_place_at"])
    assert (place, RDF.type, CRM["E53_Place"]) in full_graph
    wkt = one(full_graph, place, CRM["P168_place_is_defined_by"])
    assert str(wkt) == "POINT(77.45 43.35)"


def test_production_carries_technique_culture_and_period(full_graph: rdflib.Graph) -> None:
    production = one(full_graph, the_object(full_graph), CRM["P108i_was_produced_by"])
    technique = one(full_graph, production, CRM["P32_used_general_technique"])
    assert one(full_graph, technique, RDFS.label) == Literal("литьё")
    culture = one(full_graph, production, CRM["P2_has_type"])
    assert (culture, CRM["P2_has_type"], URIRef(crm_out.AAT_CULTURE)) in full_graph
    period = one(full_graph, production, CRM["P10_falls_within"])
    assert (period, RDF.type, CRM["E4_Period"]) in full_graph


def test_materials_are_consisted_of_keeping_given_uris_and_minting_the_rest(
    full_graph: rdflib.Graph,
) -> None:
    materials = set(full_graph.objects(the_object(full_graph), CRM["P45_consists_of"]))
    assert URIRef(GOLD) in materials
    leather = crm_out.concept_uri(Term(labels={"ru": "кожа"}))
    assert leather is not None and leather.startswith(f"{BASE}concept/")
    assert URIRef(leather) in materials
    for material in materials:
        assert (material, RDF.type, CRM["E57_Material"]) in full_graph


def test_titles_are_linguistic_appellations_with_content_and_language(
    full_graph: rdflib.Graph,
) -> None:
    obj = the_object(full_graph)
    titles = {}
    for name in full_graph.objects(obj, CRM["P1_is_identified_by"]):
        if (name, RDF.type, CRM["E33_E41_Linguistic_Appellation"]) in full_graph:
            content = str(one(full_graph, name, CRM["P190_has_symbolic_content"]))
            titles[content] = name
    assert set(titles) == {"Алтын адам", "Золотой человек", "Golden Man"}
    kazakh = one(full_graph, titles["Алтын адам"], CRM["P72_has_language"])
    assert (kazakh, RDF.type, CRM["E56_Language"]) in full_graph
    assert str(kazakh) == f"{BASE}vocab/language/kk"
    russian = one(full_graph, titles["Золотой человек"], CRM["P72_has_language"])
    assert str(russian) == "http://vocab.getty.edu/aat/300389168"
    primary = URIRef(crm_out.AAT_PRIMARY_NAME)
    assert (titles["Алтын адам"], CRM["P2_has_type"], primary) in full_graph
    assert (titles["Golden Man"], CRM["P2_has_type"], primary) not in full_graph


def test_inventory_number_is_an_identifier_classified_as_accession_number(
    full_graph: rdflib.Graph,
) -> None:
    obj = the_object(full_graph)
    identifiers = [
        i
        for i in full_graph.objects(obj, CRM["P1_is_identified_by"])
        if (i, RDF.type, CRM["E42_Identifier"]) in full_graph
    ]
    contents = {str(one(full_graph, i, CRM["P190_has_symbolic_content"])): i for i in identifiers}
    assert set(contents) == {"КП 12345", "https://nmrk.kz/object/12345"}
    accession = URIRef(crm_out.AAT_ACCESSION_NUMBER)
    assert (contents["КП 12345"], CRM["P2_has_type"], accession) in full_graph
    assert (obj, LA["equivalent"], URIRef("https://nmrk.kz/object/12345")) in full_graph


def test_descriptions_and_inscriptions_are_referring_linguistic_objects(
    full_graph: rdflib.Graph,
) -> None:
    obj = the_object(full_graph)
    by_type: dict[str, set[str]] = {}
    for text in full_graph.objects(obj, CRM["P67i_is_referred_to_by"]):
        assert (text, RDF.type, CRM["E33_Linguistic_Object"]) in full_graph
        kind = str(one(full_graph, text, CRM["P2_has_type"]))
        content = str(one(full_graph, text, CRM["P190_has_symbolic_content"]))
        by_type.setdefault(kind, set()).add(content)
    assert by_type[crm_out.AAT_DESCRIPTION] == {
        "Сақ жауынгерінің салтанатты киімі.",
        "Ceremonial costume of a Saka warrior.",
    }
    assert by_type[crm_out.AAT_INSCRIPTION] == {"Runic inscription on the silver bowl"}
    assert by_type[crm_out.AAT_DIMENSION_STATEMENT] == {"h 12.5 cm", "ca. 4 cm"}
    assert by_type[crm_out.AAT_CREDIT_STATEMENT] == {"Excavated by K. Akishev, 1969"}
    # statement types carry Linked Art's "brief text" metatype
    brief = URIRef(crm_out.AAT_BRIEF_TEXT)
    assert (URIRef(crm_out.AAT_DESCRIPTION), CRM["P2_has_type"], brief) in full_graph


def test_dimensions_with_a_value_have_value_unit_and_type(full_graph: rdflib.Graph) -> None:
    dimensions = list(full_graph.objects(the_object(full_graph), CRM["P43_has_dimension"]))
    seen = {}
    for dimension in dimensions:
        assert (dimension, RDF.type, CRM["E54_Dimension"]) in full_graph
        seen[str(one(full_graph, dimension, CRM["P2_has_type"]))] = (
            one(full_graph, dimension, CRM["P90_has_value"]).toPython(),
            str(one(full_graph, dimension, CRM["P91_has_unit"])),
        )
    assert seen == {
        str(AAT["300055644"]): (12.5, str(AAT["300379098"])),  # height, cm
        str(AAT["300056240"]): (0.3, str(AAT["300379226"])),  # weight, kg
    }


def test_subjects_are_what_the_shown_visual_item_is_about(full_graph: rdflib.Graph) -> None:
    visual = one(full_graph, the_object(full_graph), CRM["P65_shows_visual_item"])
    assert (visual, RDF.type, CRM["E36_Visual_Item"]) in full_graph
    subject = one(full_graph, visual, CRM["P129_is_about"])
    assert one(full_graph, subject, RDFS.label) == Literal("snow leopard")


def test_repository_is_the_current_keeper_and_also_holds_the_right(
    full_graph: rdflib.Graph,
) -> None:
    obj = the_object(full_graph)
    keeper = one(full_graph, obj, CRM["P50_has_current_keeper"])
    assert (keeper, RDF.type, CRM["E74_Group"]) in full_graph
    right = one(full_graph, obj, CRM["P104_is_subject_to"])
    assert (right, RDF.type, CRM["E30_Right"]) in full_graph
    assert one(full_graph, right, CRM["P2_has_type"]) == URIRef(CC_BY)
    assert one(full_graph, right, CRM["P75i_is_possessed_by"]) == keeper


def test_image_and_3d_media_are_representations_shown_by_digital_objects(
    full_graph: rdflib.Graph,
) -> None:
    obj = the_object(full_graph)
    shown = {}
    for visual in full_graph.objects(obj, CRM["P138i_has_representation"]):
        assert (visual, RDF.type, CRM["E36_Visual_Item"]) in full_graph
        digital = one(full_graph, visual, LA["digitally_shown_by"])
        assert (digital, RDF.type, DIG["D1_Digital_Object"]) in full_graph
        shown[str(one(full_graph, digital, LA["access_point"]))] = digital
    image = shown["https://media.museums.kz/nmrk/12345.jpg"]
    model_3d = shown["https://media.museums.kz/nmrk/12345.glb"]
    assert one(full_graph, image, DC_FORMAT) == Literal("image/jpeg")
    assert (image, CRM["P2_has_type"], URIRef(crm_out.AAT_DIGITAL_IMAGE)) in full_graph
    assert one(full_graph, model_3d, DC_FORMAT) == Literal("model/gltf-binary")
    assert (model_3d, CRM["P2_has_type"], URIRef(f"{BASE}vocab/3d-model")) in full_graph
    media_right = one(full_graph, image, CRM["P104_is_subject_to"])
    assert one(full_graph, media_right, CRM["P2_has_type"]) == URIRef("http://rightsstatements.org/vocab/InC/1.0/")


def test_object_page_and_virtual_tour_are_texts_carried_by_web_pages(
    full_graph: rdflib.Graph,
) -> None:
    pages = set()
    for text in full_graph.objects(the_object(full_graph), CRM["P129i_is_subject_of"]):
        assert (text, RDF.type, CRM["E33_Linguistic_Object"]) in full_graph
        digital = one(full_graph, text, LA["digitally_carried_by"])
        assert (digital, CRM["P2_has_type"], URIRef(crm_out.AAT_WEB_PAGE)) in full_graph
        pages.add(str(one(full_graph, digital, LA["access_point"])))
    # the space in the tour URL is escaped so the IRI stays valid
    assert pages == {"https://nmrk.kz/collection/12345", "https://tour.museums.kz/hall%203"}


# --- N-Triples, JSON-LD, determinism -----------------------------------------------


def test_ntriples_parse_to_the_same_graph_as_turtle() -> None:
    record = full_record()
    from_nt = rdflib.Graph().parse(data=crm_out.to_ntriples(record), format="nt")
    from_ttl = rdflib.Graph().parse(data=crm_out.to_turtle(record), format="turtle")
    assert len(from_nt) > 200
    assert isomorphic(from_nt, from_ttl)


def test_the_same_record_gives_byte_identical_ntriples() -> None:
    assert crm_out.to_ntriples(full_record()) == crm_out.to_ntriples(full_record())
    assert "_:" not in crm_out.to_ntriples(full_record())  # no blank nodes


def test_linked_art_document_names_the_linked_art_context_url() -> None:
    document = crm_out.to_linked_art(full_record())
    assert document["@context"] == "https://linked.art/ns/v1/linked-art.json"
    assert document["@context"] == crm_out.LINKED_ART_CONTEXT_URL
    assert document["type"] == "HumanMadeObject"
    assert document["id"] == crm_out.object_uri("nmrk", "КП 12345/1")
    json.dumps(document)  # plain JSON all the way down


def test_every_key_in_the_document_is_defined_by_the_bundled_context() -> None:
    context = crm_out.linked_art_context()
    defined = {key for key, value in context.items() if value is not None}
    for value in context.values():
        if isinstance(value, dict):
            defined.update(value.get("@context", {}))  # type-scoped terms ("part", ...)
    keys: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(crm_out.to_linked_art(full_record()))
    keys.discard("@context")
    assert keys <= defined, keys - defined


def test_fast_parse_path_equals_rdflib_parsing_the_document_with_the_context_substituted() -> None:
    record = full_record()
    document = crm_out.to_linked_art(record)
    document["@context"] = crm_out.linked_art_context()
    plain = rdflib.Graph().parse(data=document, format="json-ld")
    assert isomorphic(crm_out.to_graph(record), plain)


def test_bundled_context_is_the_one_cromulent_ships() -> None:
    import cromulent

    shipped = Path(cromulent.__file__).parent / "data" / "linked-art.json"
    ours = Path(mappings.__file__).parent / "data" / "linked-art.json"
    assert json.loads(ours.read_text("utf-8"))["@context"] == crm_out.linked_art_context()
    assert json.loads(shipped.read_text("utf-8")) == json.loads(ours.read_text("utf-8")), (
        "the installed cromulent ships a different Linked Art context: refresh mappings/data (see its README)"
    )


def test_bce_literals_do_not_fill_the_log_with_conversion_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="rdflib.term"):
        crm_out.to_graph(full_record())
    assert not [r for r in caplog.records if "Failed to convert Literal" in r.getMessage()]


# --- stable URIs ---------------------------------------------------------------


def test_same_actor_name_in_two_records_gets_the_same_uri() -> None:
    first = crm_out.to_graph(full_record("A-1", maker="Жұмабай Ахметов"))
    second = crm_out.to_graph(full_record("B-2", maker="  жұмабай   АХМЕТОВ "))
    people_first = set(first.subjects(RDF.type, CRM["E21_Person"]))
    people_second = set(second.subjects(RDF.type, CRM["E21_Person"]))
    assert people_first == people_second
    (person,) = people_first
    assert str(person).startswith(f"{BASE}actor/")


def test_actor_uri_keeps_a_given_http_uri_and_mints_otherwise() -> None:
    given = Actor(name="Kasteyev", uri="http://www.wikidata.org/entity/Q4209329")
    assert crm_out.actor_uri(given) == "http://www.wikidata.org/entity/Q4209329"
    local_code = Actor(name="Kasteyev", uri="artist-17")
    minted = crm_out.actor_uri(local_code)
    assert minted == crm_out.actor_uri(Actor(name="KASTEYEV"))
    assert minted != crm_out.actor_uri(Actor(name="Khludov"))
    assert len(minted.rsplit("/", 1)[1]) == 16


def test_places_and_concepts_are_minted_from_normalised_names() -> None:
    assert crm_out.place_uri(Place(name="Есік")) == crm_out.place_uri(Place(name=" есік "))
    assert crm_out.place_uri(Place(name="Есік")).startswith(f"{BASE}place/")
    assert crm_out.concept_uri(Term(labels={"ru": "Золото"})) == crm_out.concept_uri(
        Term(labels={"ru": "золото", "en": "gold"})
    )
    assert crm_out.concept_uri(Term(labels={}, uri=None)) is None


def test_object_uri_percent_encodes_the_whole_local_id() -> None:
    assert crm_out.object_uri("nmrk", "KP 1/2?x") == f"{BASE}object/nmrk/KP%201%2F2%3Fx"
    assert crm_out.object_uri("nmrk", "1", base_uri="https://example.org/kz") == "https://example.org/kz/object/nmrk/1"


def test_base_uri_must_be_http() -> None:
    with pytest.raises(ValueError, match="base_uri"):
        crm_out.to_linked_art(minimal_record(), base_uri="catalogue.museums.kz/")


def test_base_uri_is_used_for_every_minted_node() -> None:
    text = crm_out.to_ntriples(full_record(), base_uri="https://lod.example.kz/")
    assert "catalogue.museums.kz" not in text
    assert "<https://lod.example.kz/actor/" in text


# --- minimal and awkward records ------------------------------------------------


def test_minimal_record_is_a_labelled_object_and_nothing_more() -> None:
    graph = crm_out.to_graph(minimal_record())
    obj = the_object(graph)
    assert one(graph, obj, RDFS.label) == Literal("kastmus:1")
    assert not list(graph.objects(obj, CRM["P108i_was_produced_by"]))
    document = crm_out.to_linked_art(minimal_record())
    assert set(document) == {"@context", "id", "type", "_label"}
    rdflib.Graph().parse(data=crm_out.to_turtle(minimal_record()), format="turtle")


def test_first_title_is_primary_when_none_is_marked_preferred() -> None:
    record = minimal_record().model_copy(
        update={"titles": [LangText(value="Домбыра", lang="kk"), LangText(value="Dombra")]}
    )
    names = crm_out.to_linked_art(record)["identified_by"]
    assert [n["content"] for n in names] == ["Домбыра", "Dombra"]
    assert names[0]["classified_as"][0]["id"] == crm_out.AAT_PRIMARY_NAME
    assert "classified_as" not in names[1]
    assert "language" not in names[1]


def test_media_without_an_http_url_is_left_out() -> None:
    record = minimal_record().model_copy(update={"media": [Media(url="images/1.jpg", kind=MediaKind.IMAGE)]})
    assert "representation" not in crm_out.to_linked_art(record)


def test_impossible_coordinates_are_not_written_as_wkt() -> None:
    production = Production(places=[Place(name="Nowhere", lat=123.0, lon=77.0)])
    record = minimal_record().model_copy(update={"production": production})
    place = crm_out.to_linked_art(record)["produced_by"]["took_place_at"][0]
    assert "defined_by" not in place


def test_a_value_that_cannot_be_expressed_names_museum_record_and_field() -> None:
    broken = Production.model_construct(earliest="1890-13")  # bypasses validation
    record = minimal_record("inv-7").model_copy(update={"production": broken})
    with pytest.raises(MappingError) as caught:
        crm_out.to_linked_art(record)
    assert (caught.value.museum_id, caught.value.local_id, caught.value.field) == (
        "kastmus",
        "inv-7",
        "production",
    )


# --- dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "begin", "end"),
    [
        ("1890", "1890-01-01T00:00:00Z", "1890-12-31T23:59:59Z"),
        ("1890-04", "1890-04-01T00:00:00Z", "1890-04-30T23:59:59Z"),
        ("1890-04-15", "1890-04-15T00:00:00Z", "1890-04-15T23:59:59Z"),
        ("1900-02", "1900-02-01T00:00:00Z", "1900-02-28T23:59:59Z"),  # not leap
        ("2000-02", "2000-02-01T00:00:00Z", "2000-02-29T23:59:59Z"),  # leap
        ("-0004-02", "-0004-02-01T00:00:00Z", "-0004-02-29T23:59:59Z"),  # 5 BCE, leap
        ("0000", "0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z"),  # 1 BCE in XSD 1.1
        ("-12000", "-12000-01-01T00:00:00Z", "-12000-12-31T23:59:59Z"),
        ("1890-02-30", "1890-02-28T00:00:00Z", "1890-02-28T23:59:59Z"),  # clamped
    ],
)
def test_iso_dates_become_xsd_datetime_bounds(iso: str, begin: str, end: str) -> None:
    assert crm_out.begin_of_the_begin(iso) == begin
    assert crm_out.end_of_the_end(iso) == end


def test_bce_bounds_are_kept_verbatim_as_xsd_datetime_literals() -> None:
    graph = crm_out.to_graph(full_record())
    values = {str(v) for v in graph.objects(None, CRM["P82a_begin_of_the_begin"])}
    assert "-0499-01-01T00:00:00Z" in values  # the production's; the excavation's and acquisition's are CE


# --- vocabulary provenance and the network ---------------------------------------


def test_aat_ids_agree_with_cromulents_linked_art_vocabulary() -> None:
    def classification(cls: Any) -> str:
        return cls._classification[0].id

    assert crm_out.AAT_PRIMARY_NAME == classification(vocab.PrimaryName)
    assert crm_out.AAT_ACCESSION_NUMBER == classification(vocab.AccessionNumber)
    assert crm_out.AAT_DESCRIPTION == classification(vocab.Description)
    assert crm_out.AAT_INSCRIPTION == classification(vocab.InscriptionStatement)
    assert crm_out.AAT_DIMENSION_STATEMENT == classification(vocab.DimensionStatement)
    assert crm_out.AAT_RIGHTS_STATEMENT == classification(vocab.RightsStatement)
    assert crm_out.AAT_CREDIT_STATEMENT == classification(vocab.CreditStatement)
    assert crm_out.AAT_DIGITAL_IMAGE == classification(vocab.DigitalImage)
    assert crm_out.AAT_DIGITAL_AUDIO == classification(vocab.DigitalAudio)
    assert crm_out.AAT_WEB_PAGE == classification(vocab.WebPage)
    assert crm_out.AAT_WORK_TYPE == vocab.instances["work type"].id
    assert crm_out.AAT_BRIEF_TEXT == vocab.instances["brief text"].id
    assert str(AAT["300055644"]) == classification(vocab.Height)
    assert str(AAT["300379098"]) == vocab.instances["cm"].id


def test_nothing_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    record = full_record("offline-1")
    assert crm_out.to_linked_art(record)["type"] == "HumanMadeObject"
    assert "crm:E22_Human-Made_Object" in crm_out.to_turtle(record)
    assert crm_out.to_ntriples(record)
    assert len(crm_out.to_graph(minimal_record())) > 0


def test_graph_falls_back_to_plain_jsonld_parsing_if_rdflib_internals_move(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def moved() -> Any:
        raise AttributeError("rdflib moved Context._subcontext")

    expected = crm_out.to_graph(full_record())
    monkeypatch.setattr(crm_rdf, "parser_context", moved)
    assert isomorphic(crm_out.to_graph(full_record()), expected)


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("ru-RU", "http://vocab.getty.edu/aat/300389168"),
        ("kk-Latn", f"{BASE}vocab/language/kk"),
        ("kk_KZ", f"{BASE}vocab/language/kk"),
        ("EN", "http://vocab.getty.edu/aat/300388277"),
        ("und", None),
        ("??", None),
    ],
)
def test_language_tags_resolve_to_aat_languages_or_local_ones(tag: str, language: str | None) -> None:
    record = minimal_record().model_copy(update={"titles": [LangText(value="x", lang=tag)]})
    name = crm_out.to_linked_art(record)["identified_by"][0]
    assert [lang["id"] for lang in name.get("language", [])] == ([language] if language else [])


def test_free_text_in_the_rights_uri_field_becomes_a_minted_licence_concept() -> None:
    record = minimal_record().model_copy(update={"rights": Rights(uri="Все права защищены")})
    right = crm_out.to_linked_art(record)["subject_to"][0]
    licence = right["classified_as"][0]
    assert licence["id"].startswith(f"{BASE}concept/")
    assert licence["_label"] == "Все права защищены"


# --------------------------------------------------------------------------- events


def test_the_excavation_is_the_encounter_that_found_the_object() -> None:
    document = crm_out.to_linked_art(full_record())
    (encounter,) = document["encountered_by"]
    assert encounter["type"] == "Encounter"
    assert encounter["classified_as"][0]["id"] == "http://terminology.lido-schema.org/lido00033"
    assert encounter["identified_by"][0]["content"] == "Есік экспедициясы"
    assert encounter["timespan"]["begin_of_the_begin"] == "1969-01-01T00:00:00Z"
    (site,) = encounter["took_place_at"]
    assert site["_label"] == "Есік қорғаны"
    assert site["part_of"][0]["_label"] == "Еңбекшіқазақ ауданы"
    assert site["part_of"][0]["part_of"][0]["_label"] == "Алматы облысы"
    (leader,) = encounter["part"]
    assert leader["carried_out_by"][0]["_label"] == "Кемаль Ақышев"


def test_an_acquisition_changes_ownership_as_part_of_a_provenance_activity() -> None:
    document = crm_out.to_linked_art(full_record())
    (acquisition,) = document["changed_ownership_through"]
    assert acquisition["type"] == "Acquisition"
    assert acquisition["carried_out_by"][0]["_label"] == "Институт археологии"
    (entry,) = acquisition["part_of"]
    assert entry["classified_as"][0]["id"] == AAT + "300055863"


def test_a_second_find_and_an_event_of_unknown_type_are_activities_the_object_was_present_at() -> None:
    record = full_record().model_copy(
        update={
            "events": [
                Event(type=event_type("finding").term()),
                Event(type=event_type("finding").term(), date_display="1990"),
                Event(type=Term(labels={"fi": "tuntematon"}, concept="local:tuntematon")),
                Event(type=event_type("exhibition").term(), name="Алтын адам көрмесі"),
            ]
        }
    )
    document = crm_out.to_linked_art(record)
    assert len(document["encountered_by"]) == 1
    assert [a["type"] for a in document["present_at"]] == ["Encounter", "Activity", "Activity"]
    graph = crm_out.to_graph(record)
    assert len(graph) > 0

"""Actors and places shared between records, and the subject-by-subject writers, change no byte.

The light builder takes an actor, and a place with its whole chain of broader
places, from process-wide caches (``fragments``) unless only this record can
build the chain (a loop, a chain cut by the depth limit, a broader place the
record made its own).  ``to_turtle`` / ``to_ntriples`` write a record's text
subject by subject (``node_text``) and merge the triples of subjects two nodes
share.  Here: each case gives cromulent's JSON and exactly the exact walk's
text, and the sharing happens where it should and nowhere else.
"""

from __future__ import annotations

import json

from mappings import crm_out
from mappings.core import Actor, CoreRecord, Place, Production, Term
from mappings.crm_out.document import light_document, reference_linked_art, to_linked_art
from mappings.crm_out.light import light_model
from mappings.crm_out.light_triples import node_triples
from mappings.crm_out.node_rdf import BLOCKS, LINES, gather, own_block, own_lines, subject_texts
from mappings.crm_out.node_text import document_ntriples, document_turtle
from mappings.crm_out.rdf_text import nodes_ntriples, nodes_turtle, ntriples_text, turtle_text
from tests.mappings.test_crm_out import minimal_record

OTHER_BASE = "https://data.example.kz/lod/"


def _assert_as_reference(record: CoreRecord, base_uri: str = crm_out.DEFAULT_BASE_URI) -> None:
    """cromulent's document, and the exact walk's Turtle and N-Triples, byte for byte."""
    document = json.dumps(to_linked_art(record, base_uri=base_uri), ensure_ascii=False)
    assert document == json.dumps(reference_linked_art(record, base_uri=base_uri), ensure_ascii=False)
    exact = node_triples(light_document(record, base_uri=base_uri))
    assert crm_out.to_turtle(record, base_uri=base_uri) == turtle_text(exact), record.local_id
    assert crm_out.to_ntriples(record, base_uri=base_uri) == ntriples_text(exact), record.local_id


def _made_at(local_id: str, *places: Place, actors: list[Actor] | None = None) -> CoreRecord:
    return minimal_record(local_id).model_copy(
        update={"production": Production(places=list(places)), "actors": actors or []}
    )


def _chain() -> Place:
    region = Place(name="Алматы облысы", part_of=Place(name="Қазақстан"))
    return Place(name="Есік", lat=43.35, lon=77.45, part_of=region)


def test_records_made_at_one_place_share_it_with_its_broader_places_and_write_as_before() -> None:
    first, second = _made_at("p-1", _chain()), _made_at("p-2", _chain())
    for record in (first, second):
        _assert_as_reference(record)
        _assert_as_reference(record, OTHER_BASE)
    places = [light_document(r).produced_by.took_place_at[0] for r in (first, second)]
    assert places[0] is places[1]  # one node for both records, broader places included
    assert places[0].part_of[0].part_of[0].__dict__["id"].startswith(f"{crm_out.DEFAULT_BASE_URI}place/")
    elsewhere = light_document(first, base_uri=OTHER_BASE).produced_by.took_place_at[0]
    assert elsewhere is not places[0] and elsewhere.__dict__["id"].startswith(OTHER_BASE)


def test_a_loop_of_broader_places_stays_the_records_own_and_writes_as_cromulent_does() -> None:
    town = Place(name="Town", part_of=Place(name="Region"))
    assert town.part_of is not None
    town.part_of.part_of = town  # the source says the region lies in the town
    village = Place(name="Village", part_of=town)  # a chain that reaches the loop
    record = _made_at("p-3", town, village)
    _assert_as_reference(record)
    made = light_document(record).produced_by.took_place_at
    assert all("_rdf" not in node.__dict__ for node in made)  # nothing of a loop is shared
    assert made[0].part_of[0].part_of[0] is made[0]


def test_a_chain_cut_by_the_depth_limit_stays_the_records_own_and_a_short_one_is_shared() -> None:
    deep = Place(name="level-0")
    for level in range(1, 16):
        deep = Place(name=f"level-{level}", part_of=deep)
    record = _made_at("p-4", deep)
    _assert_as_reference(record)
    top = light_document(record).produced_by.took_place_at[0]
    assert "_rdf" not in top.__dict__
    short = light_document(_made_at("p-5", Place(name="level-2", part_of=Place(name="level-1")))).produced_by
    assert "_rdf" in short.took_place_at[0].__dict__


def test_an_actor_named_by_two_records_is_one_node_and_a_place_of_its_uri_gets_its_own_name() -> None:
    maker = Actor(name="Жұмабай Ахметов", kind="person", role=Term(labels={"ru": "мастер"}))
    first = _made_at("a-1", actors=[maker])
    second = _made_at("a-2", actors=[maker]).model_copy(update={"repository": "Жұмабай Ахметов"})
    for record in (first, second):
        _assert_as_reference(record)
    carriers = [light_document(r).produced_by.part[0].carried_out_by[0] for r in (first, second)]
    assert carriers[0] is carriers[1]
    uri = carriers[0].__dict__["id"]
    same_uri = Place(name="Somewhere", uri=uri)  # a source giving a place the actor's URI
    _assert_as_reference(_made_at("a-3", same_uri, actors=[maker]))


def test_subjects_two_nodes_share_are_merged_by_the_subject_writers_as_by_the_triple_writers() -> None:
    term = Term(labels={"kk": "күміс", "ru": "серебро"})
    record = minimal_record("c-1").model_copy(update={"object_type": [term], "materials": [term]})
    top = light_document(record)
    assert subject_texts(top, own_block, BLOCKS) is None  # a Type and a Material of one URI
    assert subject_texts(top, own_lines, LINES) is None
    exact = node_triples(top)
    assert document_turtle(top) == nodes_turtle(gather(top)) == turtle_text(exact)
    assert document_ntriples(top) == nodes_ntriples(gather(top)) == ntriples_text(exact)
    plain = light_document(minimal_record("c-2").model_copy(update={"object_type": [term]}))
    assert subject_texts(plain, own_block, BLOCKS) is not None
    assert document_turtle(plain) == turtle_text(node_triples(plain))


def test_odd_values_are_written_by_a_nodes_shape_as_by_its_triples() -> None:
    """An empty label is written, an empty value is not, a list's only item is even if it is 0."""
    kit = light_model()
    top = kit.HumanMadeObject(ident="https://m.example/object/odd")
    top._label = ""
    kept = kit.Dimension(ident="https://m.example/object/odd#dimension-1")
    kept.__dict__["value"] = [0]
    dropped = kit.Dimension(ident="https://m.example/object/odd#dimension-2")
    dropped.__dict__["value"] = 0
    top.dimension = kept
    top.dimension = dropped
    top.referred_to_by = kit.LinguisticObject(ident="urn:x-local:statement", content="a statement")  # not http
    exact = node_triples(top)
    assert document_turtle(top) == nodes_turtle(gather(top)) == turtle_text(exact)
    assert document_ntriples(top) == nodes_ntriples(gather(top)) == ntriples_text(exact)
    assert '"0"^^' in document_turtle(top) and 'rdfs:label ""' in document_turtle(top)

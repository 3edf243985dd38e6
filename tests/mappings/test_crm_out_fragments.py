"""Shared fragments and the node-by-node RDF writers change nothing that is written.

The light builder takes a minted concept's Names, local Languages and the
Names of places and actors from process-wide caches (``fragments``), shared
by every record's graph, and ``to_ntriples`` / ``to_turtle`` gather a
document's triples node by node, keeping a shared node's lines and block on
it (``node_rdf``).  Here: the text is byte for byte what the exact walk in
JSON order (``light_triples``) gives, whichever record came first and under
whichever base URI; sharing never crosses base URIs nor two holders in one
record; what ``node_rdf`` cannot gather safely goes to the exact walk.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.sample_fund import fund
from demo.samples import to_lido
from harvester.raw import RawRecord
from mappings import crm_out
from mappings.core import CoreRecord, LangText, Term
from mappings.crm_out import fragments
from mappings.crm_out.aat import AAT_BRIEF_TEXT, AAT_PRIMARY_NAME
from mappings.crm_out.document import light_document, reference_linked_art, to_linked_art
from mappings.crm_out.light import alike, light_model, share
from mappings.crm_out.light_triples import node_triples
from mappings.crm_out.node_rdf import NeedsExactWalk, gather
from mappings.crm_out.rdf_text import nodes_ntriples, nodes_turtle, ntriples_text, turtle_text
from mappings.formats import map_raw
from tests.mappings.real_lido import REAL, real_records
from tests.mappings.test_crm_out import full_record, minimal_record
from tests.mappings.test_crm_out_light import _edge_records

OTHER_BASE = "https://data.example.kz/lod/"


def _fund(count: int) -> list[CoreRecord]:
    objects = fund(count, museum_index=2, seed=21)
    return [map_raw(RawRecord(o.museum_id, o.local_id, "lido", to_lido(o, "Benchmark museum"))).record for o in objects]


def _forget_shared() -> None:
    for cached in (
        fragments.concept_plan,
        fragments.concept_names,
        fragments.plain_name,
        fragments.language_node,
        fragments.actor_node,
        fragments.place_node,
    ):
        cached.cache_clear()


def _assert_exact(record: CoreRecord, base_uri: str = crm_out.DEFAULT_BASE_URI) -> None:
    """Both writers give the exact walk's text, and the JSON is cromulent's."""
    exact = node_triples(light_document(record, base_uri=base_uri))
    assert crm_out.to_ntriples(record, base_uri=base_uri) == ntriples_text(exact), record.local_id
    assert crm_out.to_turtle(record, base_uri=base_uri) == turtle_text(exact), record.local_id


def test_the_benchmark_fund_writes_what_the_exact_walk_writes_under_two_base_uris() -> None:
    records = _fund(120)
    for record in records:
        _assert_exact(record)
        _assert_exact(record, OTHER_BASE)


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real LIDO records not present at {REAL}")
def test_every_real_record_writes_what_the_exact_walk_writes() -> None:
    records = real_records()
    assert records
    for record in records:
        _assert_exact(record)


def test_hand_made_edge_cases_write_what_the_exact_walk_writes() -> None:
    for number, record in enumerate(_edge_records()):
        if number == 11:  # cromulent refuses it; so does the light build
            continue
        _assert_exact(record)
        _assert_exact(record, OTHER_BASE)


def _vase(local_id: str, *, materials: list[Term] | None = None) -> CoreRecord:
    vase = Term(labels={"kk": "құмыра", "ru": "кувшин", "en": "jug", "de": "Krug"})
    return minimal_record(local_id).model_copy(
        update={
            "object_type": [vase],
            "materials": materials or [],
            "titles": [LangText(value="Құмыра", lang="kk"), LangText(value="Jug", lang="en")],
        }
    )


def test_two_records_share_a_concepts_names_and_each_gets_cromulents_document_in_either_order() -> None:
    first, second = _vase("inv-1"), _vase("inv-2")
    for order in ((first, second), (second, first)):
        _forget_shared()
        for record in order:
            assert json.dumps(to_linked_art(record)) == json.dumps(reference_linked_art(record))
            _assert_exact(record)
    names = [light_document(r).classified_as[0].identified_by for r in (first, second)]
    assert [n.id for n in names[0]] == [n.id for n in names[1]]
    assert all(a is b for a, b in zip(names[0], names[1], strict=True))  # shared, not copied
    assert names[0] is not names[1]  # each record its own list: a later Name is not added to both


def test_shared_fragments_never_cross_base_uris() -> None:
    record = _vase("inv-3")
    here = light_document(record).classified_as[0]
    there = light_document(record, base_uri=OTHER_BASE).classified_as[0]
    assert here.id != there.id
    assert not {id(n) for n in here.identified_by} & {id(n) for n in there.identified_by}
    local_here = here.identified_by[2].language[0]  # kk: ours, minted under each base
    local_there = there.identified_by[2].language[0]
    assert local_here.id.startswith(crm_out.DEFAULT_BASE_URI) and local_there.id.startswith(OTHER_BASE)
    _assert_exact(record, OTHER_BASE)
    _assert_exact(record)


def test_a_second_holder_in_one_record_gets_its_own_names_as_cromulent_writes_them_twice() -> None:
    record = _vase("inv-4", materials=[Term(labels={"kk": "құмыра", "ru": "кувшин", "en": "jug", "de": "Krug"})])
    top = light_document(record)
    as_type, as_material = top.classified_as[0], top.made_of[0]
    assert as_type.id == as_material.id
    assert not {id(n) for n in as_type.identified_by} & {id(n) for n in as_material.identified_by}
    assert json.dumps(to_linked_art(record)) == json.dumps(reference_linked_art(record))
    _assert_exact(record)


def test_what_cannot_be_gathered_node_by_node_goes_to_the_exact_walk() -> None:
    kit = light_model()
    top = kit.HumanMadeObject(ident="https://m.example/object/1", label="object")
    top.identified_by = kit.Name(content="a name without an id")  # a blank node
    with pytest.raises(NeedsExactWalk):
        gather(top)
    shared = share(kit.Type(ident="https://m.example/type/1", label="type"))
    other = kit.HumanMadeObject(ident="https://m.example/object/2", label="other")
    other.classified_as = shared
    for _ in range(2):  # the second time from what the shared node keeps
        visited = gather(other)
        exact = node_triples(other)
        assert nodes_ntriples(visited) == ntriples_text(exact)
        assert nodes_turtle(visited) == turtle_text(exact)


def test_a_shared_nodes_kept_triples_are_not_written_into_its_json() -> None:
    record = full_record()
    crm_out.to_turtle(record)  # every shared node of it now keeps its RDF
    assert "_rdf" not in json.dumps(to_linked_art(record))
    assert json.dumps(to_linked_art(record)) == json.dumps(reference_linked_art(record))


def test_a_node_made_alike_but_changed_afterwards_writes_its_own_triples() -> None:
    """A concept is "type of work" in one record (changed after it was made) and plain in the next;
    records where it is "type of work" share what the writers keep of it (``Nodes.classify``)."""
    term = Term(labels={"ru": "кувшин", "en": "jug"})
    typed = minimal_record("inv-5").model_copy(update={"object_type": [term]})
    plain = minimal_record("inv-6").model_copy(update={"classification": [term]})
    also_typed = minimal_record("inv-11").model_copy(update={"object_type": [term], "classification": [term]})
    for order in ((typed, plain, also_typed, typed), (plain, also_typed, typed, plain)):
        for record in order:
            _assert_exact(record)
    kit = light_model()
    node = kit.Type(ident="https://m.example/type/2", label="type")
    alike(node, ("test", "https://m.example/type/2"))
    assert "_rdf" in node.__dict__
    node.classified_as = kit.Type(ident="https://m.example/type/3", label="broader")
    assert "_rdf" not in node.__dict__
    concepts = [light_document(r).classified_as[0] for r in (typed, also_typed)]
    assert concepts[0] is not concepts[1] and concepts[0].__dict__["_rdf"] is concepts[1].__dict__["_rdf"]


def test_a_record_naming_one_of_our_aat_types_as_its_own_concept_is_built_without_sharing() -> None:
    """cromulent's build gives such a concept and the AAT type one node, which the record then changes."""
    primary = Term(uri=AAT_PRIMARY_NAME, labels={"en": "primary name"})
    brief = Term(uri=AAT_BRIEF_TEXT, labels={"en": "brief"})
    records = [
        _vase("inv-7").model_copy(update={"object_type": [primary]}),  # after the title's "Primary Name"
        _vase("inv-8").model_copy(update={"techniques": [brief], "descriptions": [LangText(value="d")]}),
        minimal_record("inv-9").model_copy(update={"object_type": [brief], "descriptions": [LangText(value="d")]}),
    ]
    for record in records:
        assert json.dumps(to_linked_art(record)) == json.dumps(reference_linked_art(record)), record.local_id
        _assert_exact(record)
    untouched = light_document(_vase("inv-10"))
    name = untouched.identified_by[0].classified_as[0]
    assert name.id == AAT_PRIMARY_NAME and "classified_as" not in name.__dict__  # the shared one stayed as it was

"""The Linked Art document as RDF: Turtle and sorted N-Triples written directly, or an rdflib graph.

Every node has a URI (parts of the object get fragments under its URI, never
blank nodes), so the same record always gives byte-identical N-Triples,
which the store can compare and the web layer can cache.

``to_turtle`` and ``to_ntriples`` are on the hot path of exports and bulk
dumps, so they read the light nodes with the compiled context of
``triples``, subject by subject (``node_text`` over ``node_rdf``, which
keeps the texts of nodes shared between records) or, when a document needs
it, in JSON order (``light_triples``, written by ``rdf_text``): byte for
byte the same either way, and far faster than rdflib's parser and
serialisers.  ``to_graph`` keeps rdflib's own JSON-LD parser: it is the
reference the direct path is tested against (isomorphic graphs), and what
callers wanting a graph to query get.
"""

from __future__ import annotations

import json

import rdflib
from rdflib.plugins.parsers.jsonld import Parser as JsonLdParser

from mappings.core import CoreRecord
from mappings.crm_out.context import bundled_context, parser_context
from mappings.crm_out.document import light_document, to_linked_art
from mappings.crm_out.light_triples import node_triples
from mappings.crm_out.literals import quiet_bce_literal_warnings
from mappings.crm_out.namespaces import PREFIXES
from mappings.crm_out.node_rdf import NeedsExactWalk
from mappings.crm_out.node_text import document_ntriples, document_turtle
from mappings.crm_out.rdf_text import ntriples_text, turtle_text
from mappings.crm_out.uris import DEFAULT_BASE_URI

__all__ = ["to_graph", "to_ntriples", "to_turtle"]


def to_graph(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> rdflib.Graph:
    """The record's Linked Art document as an rdflib graph, parsed offline by rdflib.

    rdflib's JSON-LD parser reads the document against the bundled context.
    The context is loaded once per process and its type-scoped sub-contexts
    are reused, which halves the parse time; should a future rdflib move
    those internals, the plain documented path (the context dict substituted
    for the URL) is taken instead, same triples.
    """
    document = to_linked_art(record, base_uri=base_uri)
    quiet_bce_literal_warnings()
    graph = rdflib.Graph()
    try:
        body = {key: value for key, value in document.items() if key != "@context"}
        JsonLdParser().parse(body, parser_context(), graph)
    except (AttributeError, TypeError):
        graph = rdflib.Graph()
        graph.parse(data=json.dumps({**document, "@context": bundled_context()}), format="json-ld")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def to_turtle(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The record as Turtle with the crm/la/dig/rdfs/xsd/aat prefixes, subjects in sorted order."""
    top = light_document(record, base_uri=base_uri)
    try:
        return document_turtle(top)
    except NeedsExactWalk:
        return turtle_text(node_triples(top))


def to_ntriples(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The record as N-Triples, lines sorted so equal records give equal text."""
    top = light_document(record, base_uri=base_uri)
    try:
        return document_ntriples(top)
    except NeedsExactWalk:
        return ntriples_text(node_triples(top))

"""Core record -> CIDOC-CRM 7.1, written as Linked Art JSON-LD and as RDF.

Linked Art is the CIDOC-CRM profile the museum world publishes in, so the
national catalogue speaks it: ``to_linked_art`` builds the document on
``light`` nodes, made from the tables of ``cromulent`` (the Linked Art
reference library) and checked in tests against cromulent's own validating
build (``document.reference_linked_art``), and ``to_graph`` /
``to_turtle`` / ``to_ntriples`` read that same document back as RDF:
``to_turtle`` and ``to_ntriples`` (exports, bulk dumps) read the light
nodes directly (``light_triples``) with the compiled fixed context, ``to_graph`` with rdflib's JSON-LD parser, the
reference the fast path is tested against (isomorphic graphs).

Three decisions shape the output:

* **No network, ever.**  The document names the Linked Art context by URL, as
  consumers expect, but rdflib would fetch that URL to parse it, and fails
  offline; the RDF is read against the copy shipped in ``mappings/data``.
* **Stable URIs.**  Objects, actors, places and concepts get URIs that depend
  only on the record (``uris``), and parts of the object's description get
  fragment URIs instead of blank nodes, so the same record always gives
  byte-identical N-Triples.
* **Only what we mint is described.**  External nodes (AAT, Wikidata, a
  museum thesaurus) get a label and what the record itself states about them.

The package is split by subject: ``document`` (the build, field by field)
over ``identification``, ``description``, ``production``, ``events`` (finds,
acquisitions, modifications, ... from the object) and ``resources``,
which make their nodes through ``nodes`` (from cromulent's classes or
``light``'s, the parts every record shares from ``fragments``); ``uris``, ``timespans``, ``aat``
and ``namespaces`` hold the naming rules; ``factory`` sets cromulent up once
(building is thread-safe); ``context`` and ``rdf`` turn documents into RDF,
``triples`` (the document as N-Triples terms), ``light_triples`` and
``node_rdf`` (the light nodes' triples, in JSON order or node by node),
``node_text`` (a document's text subject by subject), ``rdf_text``
(N-Triples and Turtle text) and ``literals`` (rdflib's BCE-date warning)
serve them.
"""

from __future__ import annotations

from mappings.crm_out.aat import (
    AAT_ACCESSION_NUMBER,
    AAT_BRIEF_TEXT,
    AAT_CREDIT_STATEMENT,
    AAT_CULTURE,
    AAT_DESCRIPTION,
    AAT_DIGITAL_AUDIO,
    AAT_DIGITAL_IMAGE,
    AAT_DIMENSION_STATEMENT,
    AAT_INSCRIPTION,
    AAT_PRIMARY_NAME,
    AAT_RIGHTS_STATEMENT,
    AAT_WEB_PAGE,
    AAT_WORK_TYPE,
)
from mappings.crm_out.context import linked_art_context
from mappings.crm_out.document import to_linked_art
from mappings.crm_out.factory import LINKED_ART_CONTEXT_URL
from mappings.crm_out.namespaces import AAT, CRM, DIG, LA
from mappings.crm_out.rdf import to_graph, to_ntriples, to_turtle
from mappings.crm_out.timespans import begin_of_the_begin, end_of_the_end
from mappings.crm_out.uris import (
    DEFAULT_BASE_URI,
    actor_uri,
    concept_uri,
    digital_object_uri,
    object_uri,
    place_uri,
)

__all__ = [
    "AAT",
    "AAT_ACCESSION_NUMBER",
    "AAT_BRIEF_TEXT",
    "AAT_CREDIT_STATEMENT",
    "AAT_CULTURE",
    "AAT_DESCRIPTION",
    "AAT_DIGITAL_AUDIO",
    "AAT_DIGITAL_IMAGE",
    "AAT_DIMENSION_STATEMENT",
    "AAT_INSCRIPTION",
    "AAT_PRIMARY_NAME",
    "AAT_RIGHTS_STATEMENT",
    "AAT_WEB_PAGE",
    "AAT_WORK_TYPE",
    "CRM",
    "DEFAULT_BASE_URI",
    "DIG",
    "LA",
    "LINKED_ART_CONTEXT_URL",
    "actor_uri",
    "begin_of_the_begin",
    "concept_uri",
    "digital_object_uri",
    "end_of_the_end",
    "linked_art_context",
    "object_uri",
    "place_uri",
    "to_graph",
    "to_linked_art",
    "to_ntriples",
    "to_turtle",
]

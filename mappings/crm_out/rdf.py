"""The Linked Art document read back as RDF: a graph, Turtle, sorted N-Triples.

Every node has a URI (parts of the object get fragments under its URI, never
blank nodes), so the same record always gives byte-identical N-Triples,
which the store can compare and the web layer can cache.

rdflib keeps BCE xsd:dateTime literals verbatim but cannot turn them into
Python ``datetime`` values (it flags them ``ill_typed``) and logs a traceback
each time; that one warning is filtered, nothing else is.
"""

from __future__ import annotations

import json
import logging
import re
import threading

import rdflib
from rdflib.plugins.parsers.jsonld import Parser as JsonLdParser

from mappings.core import CoreRecord
from mappings.crm_out.context import bundled_context, parser_context
from mappings.crm_out.document import to_linked_art
from mappings.crm_out.namespaces import PREFIXES
from mappings.crm_out.uris import DEFAULT_BASE_URI

__all__ = ["to_graph", "to_ntriples", "to_turtle"]

_BCE_LEXICAL = re.compile(r"'(-\d{4,}|0000)-\d{2}-\d{2}T")


class _BceDateTimeFilter(logging.Filter):
    """Drops rdflib's warning for BCE xsd:dateTime literals, which are valid XSD.

    Python's datetime stops at year 1; rdflib logs a traceback each time it
    fails to convert, yet keeps the lexical form intact.  Other conversion
    failures still get through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Failed to convert Literal lexical form"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, ValueError) and _BCE_LEXICAL.search(str(error)))


_BCE_FILTER = _BceDateTimeFilter()
_FILTER_LOCK = threading.Lock()


def _quiet_bce_literal_warnings() -> None:
    # Checked on every call (logging may have been reconfigured since), added under
    # a lock so that threads starting together do not add it twice.
    logger = logging.getLogger("rdflib.term")
    if _BCE_FILTER not in logger.filters:
        with _FILTER_LOCK:
            if _BCE_FILTER not in logger.filters:
                logger.addFilter(_BCE_FILTER)


def to_graph(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> rdflib.Graph:
    """The record's Linked Art document as an rdflib graph, parsed offline.

    rdflib's JSON-LD parser reads the document against the bundled context.
    The context is loaded once per process and its type-scoped sub-contexts
    are reused, which halves the parse time; should a future rdflib move
    those internals, the plain documented path (the context dict substituted
    for the URL) is taken instead, same triples.
    """
    document = to_linked_art(record, base_uri=base_uri)
    _quiet_bce_literal_warnings()
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
    """The record as Turtle with the crm/la/dig/rdfs/xsd/aat prefixes."""
    return to_graph(record, base_uri=base_uri).serialize(format="turtle")


def to_ntriples(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The record as N-Triples, lines sorted so equal records give equal text."""
    text = to_graph(record, base_uri=base_uri).serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n" if lines else ""

"""Core record -> LIDO 1.1, for partners who re-harvest the national catalogue.

Every CoreRecord, however sparse, must become a document the official schema
accepts, because partners validate before they ingest and one invalid record
can make them reject a whole page.  So the required skeleton is always filled:
an object without a type gets "not specified", an object without a title gets
its inventory number (or local id) as title, an event without a type a
stand-in term, all flagged with ``lido:encodinganalog="emuseum:substitute"``
so that a reader can tell our stop-gaps from museum data.  Text is stripped
of characters XML 1.0 cannot carry and language tags that are not valid
``xs:language`` are dropped: a value survives even when its tag cannot.

Concepts are written as ``lido:conceptID``/``lido:term`` (readable by LIDO
1.0 tools too) rather than embedded ``skos:Concept``.

The package is split by subject: ``nodes`` (single elements, concepts,
appellations), ``events`` (the production and every other event, places with
their broader places) and ``document`` (the record section by section, and
the public functions).
"""

from __future__ import annotations

from mappings.lido_out.document import DEFAULT_RECORD_SOURCE, SCHEMA_LOCATION, to_lido, to_lido_element, to_lido_wrap
from mappings.lido_out.nodes import GML_NS, LIDO_NS, SUBSTITUTE_MARK, TERMINOLOGY

__all__ = [
    "DEFAULT_RECORD_SOURCE",
    "GML_NS",
    "LIDO_NS",
    "SCHEMA_LOCATION",
    "SUBSTITUTE_MARK",
    "TERMINOLOGY",
    "to_lido",
    "to_lido_element",
    "to_lido_wrap",
]

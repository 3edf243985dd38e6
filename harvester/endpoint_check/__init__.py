"""Checking a museum's OAI-PMH endpoint the way the catalogue will harvest it, with advice.

``emuseum check-endpoint URL`` (and the ``/check`` web form) run Identify,
ListMetadataFormats, ListSets, a bounded ListRecords walk and a few probes,
and report findings, each with its severity, the OAI-PMH or LIDO rule
concerned, the request that shows it and plain advice.  This package does
everything protocol-level; the record-level checks (LIDO validity, mapping,
quality) need the mappings and are composed in ``aggregator.endpoint_report``.

Modules: ``runner`` (one check, start to end), ``client`` (bounded requests,
kept as evidence), ``protocol`` (schema, responseDate, Identify, error codes),
``oai_schema`` (the OAI-PMH XSD, offline), ``listing`` (the walk and its
paging checks), ``incremental`` (granularity, from, until), ``encoding``
(repairs and mojibake), ``findings`` and ``rules`` (what is reported, and the
advice for each kind).
"""

from harvester.endpoint_check.findings import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREACHABLE,
    CheckOutcome,
    EndpointFacts,
    Evidence,
    Finding,
    Severity,
    Speed,
    finding,
)
from harvester.endpoint_check.rules import RULES
from harvester.endpoint_check.runner import CheckRun, check_endpoint

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_UNREACHABLE",
    "RULES",
    "CheckOutcome",
    "CheckRun",
    "EndpointFacts",
    "Evidence",
    "Finding",
    "Severity",
    "Speed",
    "check_endpoint",
    "finding",
]

"""Turning one parsed OAI-PMH page into RawRecords (and Quarantined for what cannot be one).

Local ids: the OAI identifier scheme is ``oai:<namespace-identifier>:<local>``
with a domain-like namespace identifier.  ``local_id`` is the ``<local>`` part
when the identifier follows that scheme (it keeps any further colons, so it
stays unique) and the whole identifier otherwise.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

from lxml import etree

from harvester.endpoint_info import OAI_NS
from harvester.oai_document import Document, RecordSpan, oai_name, salvaged_record_elements
from harvester.page import Quarantined
from harvester.raw import RawRecord

__all__ = ["LIDO_NS", "OAI_DC_NS", "local_id_from_oai_identifier", "records_of"]

LIDO_NS = "http://www.lido-schema.org"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"

_OAI_IDENTIFIER = re.compile(r"^oai:[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+:(.+)$", re.S)
_q = oai_name


def local_id_from_oai_identifier(identifier: str) -> str:
    """The museum-local part of an OAI identifier (see the module docstring)."""
    match = _OAI_IDENTIFIER.match(identifier)
    return match.group(1) if match else identifier


def _format_for_prefix(prefix: str) -> str:
    if "lido" in prefix.lower():
        return "lido"
    return prefix


def _format_of(element: etree._Element, prefix: str) -> str:
    namespace = etree.QName(element).namespace
    if namespace == LIDO_NS:
        return "lido"
    if namespace == OAI_DC_NS:
        return "oai_dc"
    return _format_for_prefix(prefix)


def _serialize(element: etree._Element) -> bytes:
    """The metadata element alone, with the namespaces it needs but not the OAI envelope's."""
    detached = copy.deepcopy(element)
    keep = [p for p, ns in detached.nsmap.items() if p is not None and ns != OAI_NS]
    etree.cleanup_namespaces(detached, keep_ns_prefixes=keep)
    return etree.tostring(detached, encoding="utf-8")


def records_of(museum_id: str, document: Document, prefix: str) -> tuple[list[RawRecord], list[Quarantined]]:
    """The page's records, and the ones that could not become RawRecords, with reasons."""
    harvested_at = datetime.now(UTC)
    records: list[RawRecord] = []
    quarantined: list[Quarantined] = []
    if document.salvage_reason is None:
        holder = document.root.find(_q("ListRecords"))
        elements = list(holder.iter(_q("record"))) if holder is not None else []
        items: list[etree._Element | tuple[RecordSpan, str]] = list(elements)
    else:
        items = list(salvaged_record_elements(document))
    for position, item in enumerate(items, 1):
        if isinstance(item, tuple):
            span, reason = item
            local = local_id_from_oai_identifier(span.identifier) if span.identifier else None
            quarantined.append(
                Quarantined(
                    museum_id,
                    local,
                    f"record {span.identifier or '(no identifier)'}: {reason}",
                    document.text[span.start : span.end].encode("utf-8"),
                )
            )
            continue
        result = _record(museum_id, item, prefix, harvested_at, position)
        if isinstance(result, RawRecord):
            records.append(result)
        else:
            quarantined.append(result)
        item.clear()  # its payload is serialised: free its part of the tree as the payloads grow
    return records, quarantined

def _record(
    museum_id: str, element: etree._Element, prefix: str, harvested_at: datetime, position: int = 0
) -> RawRecord | Quarantined:
    header = element.find(_q("header"))
    identifier = (header.findtext(_q("identifier")) or "").strip() if header is not None else ""
    if header is None or not identifier:
        return Quarantined(
            museum_id,
            None,
            f"record #{position} of its ListRecords page has no OAI identifier in its header",
            etree.tostring(element, encoding="utf-8"),
        )
    local_id = local_id_from_oai_identifier(identifier)
    datestamp = (header.findtext(_q("datestamp")) or "").strip() or None
    if header.get("status") == "deleted":
        return RawRecord(
            museum_id=museum_id,
            local_id=local_id,
            format=_format_for_prefix(prefix),
            payload=b"",
            datestamp=datestamp,
            deleted=True,
            oai_identifier=identifier,
            harvested_at=harvested_at,
        )
    metadata = element.find(_q("metadata"))
    children = [c for c in metadata if isinstance(c.tag, str)] if metadata is not None else []
    if not children:
        what = "no <metadata>" if metadata is None else "an empty <metadata>"
        return Quarantined(
            museum_id,
            local_id,
            f"record {identifier}: {what} although the header does not say deleted",
            etree.tostring(element, encoding="utf-8"),
        )
    return RawRecord(
        museum_id=museum_id,
        local_id=local_id,
        format=_format_of(children[0], prefix),
        payload=_serialize(children[0]),
        datestamp=datestamp,
        deleted=False,
        oai_identifier=identifier,
        harvested_at=harvested_at,
    )

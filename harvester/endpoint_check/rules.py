"""Every kind of finding the endpoint check makes: its area, default severity, rule and advice.

One table, so that the advice a museum gets is written once, reviewed in one
place, and can be translated by its code (the web form shows it in kk / ru /
en; see ``aggregator/web/messages.yaml``, keys ``check_<code>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["RULES", "Rule"]

_SPEC = "OAI-PMH 2.0"


@dataclass(frozen=True, slots=True)
class Rule:
    area: str
    severity: Literal["error", "warning", "info"]
    rule: str
    advice: str


RULES: dict[str, Rule] = {
    # -- reaching the endpoint -------------------------------------------------------------
    "reach.unreachable": Rule(
        "reach", "error", f"{_SPEC} §3.1 (HTTP transport)",
        "Check the base URL, that the server is running and that it accepts requests from the internet "
        "(a firewall or VPN may block the catalogue's harvester).",
    ),
    # -- protocol ---------------------------------------------------------------------------
    "protocol.not_oai": Rule(
        "protocol", "error", f"{_SPEC} §3.2 (XML responses)",
        "The base URL must answer every request with an OAI-PMH XML document; point the URL at the "
        "OAI-PMH handler, not at a web page, and make the server return XML also when it fails.",
    ),
    "protocol.schema": Rule(
        "protocol", "error", f"{_SPEC} §3.2, OAI-PMH.xsd",
        "Make the responses valid against the OAI-PMH 2.0 schema (element order, required elements, "
        "value formats); harvesters that validate will reject them otherwise.",
    ),
    "protocol.schema_unavailable": Rule(
        "protocol", "info", f"{_SPEC}, OAI-PMH.xsd",
        "The OAI-PMH schema file is not installed here (run `make assets`); only the built-in rules "
        "were checked.",
    ),
    "protocol.response_date": Rule(
        "protocol", "error", f"{_SPEC} §3.2 (responseDate, UTC)",
        "Every response needs a responseDate in UTC written YYYY-MM-DDThh:mm:ssZ; harvesters take the "
        "next incremental 'from' from it.",
    ),
    "protocol.unknown_error_code": Rule(
        "protocol", "error", f"{_SPEC} §3.6 (error codes)",
        "Use only the protocol's error codes (badArgument, badResumptionToken, badVerb, "
        "cannotDisseminateFormat, idDoesNotExist, noRecordsMatch, noMetadataFormats, noSetHierarchy).",
    ),
    "protocol.identify_field": Rule(
        "protocol", "error", f"{_SPEC} §4.2 (Identify)",
        "Identify must give repositoryName, baseURL, protocolVersion 2.0, adminEmail, earliestDatestamp, "
        "deletedRecord (no, transient or persistent) and granularity (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).",
    ),
    "protocol.base_url": Rule(
        "protocol", "warning", f"{_SPEC} §4.2 (Identify baseURL)",
        "Identify's baseURL should be the address harvesters use; fix it in the server's configuration.",
    ),
    "protocol.verb_error": Rule(
        "protocol", "error", f"{_SPEC} §4 (protocol requests)",
        "The endpoint must answer all six verbs; fix the request named in the evidence.",
    ),
    "protocol.no_oai_dc": Rule(
        "protocol", "error", f"{_SPEC} §3.4 (oai_dc is mandatory)",
        "Every OAI-PMH repository must offer Dublin Core (metadataPrefix oai_dc).",
    ),
    "protocol.no_lido": Rule(
        "protocol", "warning", "LIDO 1.0 / 1.1 (national catalogue profile)",
        "Offer LIDO (metadataPrefix lido): Dublin Core carries no materials, measurements, events or "
        "image rights, so the catalogue shows much less of each object.",
    ),
    "protocol.format_missing": Rule(
        "protocol", "error", f"{_SPEC} §4.4 (ListMetadataFormats)",
        "The metadata format asked for is not offered; add it, or check with the format the endpoint offers.",
    ),
    "protocol.set_missing": Rule(
        "protocol", "error", f"{_SPEC} §4.6 (ListSets)",
        "The set asked for is not in ListSets; check its setSpec.",
    ),
    "protocol.empty_listing": Rule(
        "protocol", "warning", f"{_SPEC} §3.6 (noRecordsMatch)",
        "The endpoint lists no records at all; check that the records are published to it.",
    ),
    "protocol.datestamp_format": Rule(
        "protocol", "error", f"{_SPEC} §3.3 (UTCdatetime)",
        "Give every record header a datestamp in UTC, written YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ as "
        "Identify declares.",
    ),
    # -- paging -----------------------------------------------------------------------------
    "paging.ok": Rule(
        "paging", "info", f"{_SPEC} §3.5 (flow control)",
        "Nothing to change.",
    ),
    "paging.repeated_token": Rule(
        "paging", "error", f"{_SPEC} §3.5 (resumptionToken)",
        "Each page must hand out a new resumptionToken and the last page an empty one; the same token "
        "again makes harvesters loop or stop.",
    ),
    "paging.list_size": Rule(
        "paging", "warning", f"{_SPEC} §3.5 (completeListSize)",
        "completeListSize must be the size of the whole list, the same on every page; fix the count or "
        "leave the attribute out.",
    ),
    "paging.cursor": Rule(
        "paging", "warning", f"{_SPEC} §3.5 (cursor)",
        "cursor counts the records sent before this page, starting at 0; fix it or leave it out.",
    ),
    "paging.token_not_reusable": Rule(
        "paging", "warning", f"{_SPEC} §3.5 (idempotency of resumptionToken)",
        "Asking again with the same token must give the same page, so a harvester can retry a page "
        "that failed; keep tokens valid until they expire.",
    ),
    "paging.token_expiry": Rule(
        "paging", "warning", f"{_SPEC} §3.5 (expirationDate)",
        "Keep resumption tokens valid for at least 24 hours (DRIVER guidelines), and never issue one "
        "that has already expired.",
    ),
    # -- incremental harvesting -------------------------------------------------------------
    "incremental.granularity_mismatch": Rule(
        "incremental", "error", f"{_SPEC} §3.3.2 (granularity)",
        "Declare in Identify the granularity the datestamps really have and that 'from' accepts; until then "
        "the catalogue uses the one measured here.",
    ),
    "incremental.from_ignored": Rule(
        "incremental", "error", f"{_SPEC} §3.3.1 (selective harvesting, from)",
        "Return only records changed on or after 'from'. Until then the catalogue lists every record each "
        "night, which costs your server as much as a full harvest.",
    ),
    "incremental.from_excludes": Rule(
        "incremental", "warning", f"{_SPEC} §3.3.1 (from is inclusive)",
        "'from' is inclusive: a record dated exactly 'from' belongs in the answer; check the server's "
        "time zone (datestamps are UTC).",
    ),
    "incremental.from_honoured": Rule(
        "incremental", "info", f"{_SPEC} §3.3.1 (selective harvesting)",
        "Nothing to change.",
    ),
    "incremental.until_ignored": Rule(
        "incremental", "warning", f"{_SPEC} §3.3.1 (selective harvesting, until)",
        "Return only records changed on or before 'until'.",
    ),
    "incremental.untestable": Rule(
        "incremental", "info", f"{_SPEC} §3.3.1 (selective harvesting)",
        "No datestamps were listed, so 'from' and 'until' could not be tested.",
    ),
    # -- deletions --------------------------------------------------------------------------
    "deletions.undeclared": Rule(
        "deletions", "error", f"{_SPEC} §2.5.1 (deleted records)",
        "Identify says deletedRecord 'no' but deleted records are served: declare 'persistent' (or "
        "'transient'), so harvesters remove what you delete.",
    ),
    "deletions.transient": Rule(
        "deletions", "info", f"{_SPEC} §2.5.1 (deleted records)",
        "With 'transient' or 'no' the catalogue notices removals only in its weekly full harvest; "
        "'persistent' removes them the next night.",
    ),
    "deletions.seen": Rule(
        "deletions", "info", f"{_SPEC} §2.5.1 (deleted records)",
        "Nothing to change.",
    ),
    "deletions.with_metadata": Rule(
        "deletions", "warning", f"{_SPEC} §2.5.1 (a deleted record has no metadata)",
        "A header with status=\"deleted\" must come without <metadata>.",
    ),
    # -- records ----------------------------------------------------------------------------
    "records.unreadable": Rule(
        "records", "error", f"{_SPEC} §2.5 (record)",
        "Each record needs a header with an identifier and, unless deleted, one metadata element; these "
        "records are kept aside by the catalogue until they are fixed.",
    ),
    "records.duplicate_identifier": Rule(
        "records", "warning", f"{_SPEC} §2.4 (unique identifier)",
        "Each record must have its own identifier; a repeated one overwrites the other in the catalogue.",
    ),
    "records.lido_invalid": Rule(
        "records", "warning", "LIDO 1.0 / 1.1 XML Schema",
        "Make the LIDO valid against the official schema; the catalogue reads invalid records where it "
        "can, but partners that validate will not.",
    ),
    "records.unmappable": Rule(
        "records", "error", "national catalogue core record",
        "These records lack what every catalogue entry needs (a title or an object type); add it in the "
        "collection system.",
    ),
    "records.mapping_warnings": Rule(
        "records", "warning", "national catalogue core record",
        "The catalogue could read these records only in part; the field named is where to look.",
    ),
    "records.quality": Rule(
        "records", "info", "national catalogue quality score (0-100)",
        "Records score higher with a title, type, description, date, maker or place, materials, an image, "
        "a rights statement, an inventory number and titles in more than one language.",
    ),
    "records.no_kk_ru_title": Rule(
        "records", "warning", "national catalogue: titles in Kazakh and Russian",
        "Give a title in Kazakh or Russian (xml:lang kk / ru): most searches in the catalogue are in "
        "these languages.",
    ),
    "records.no_image": Rule(
        "records", "warning", "LIDO resourceWrap (images)",
        "Link an image of the object (LIDO resourceWrap, or dc:identifier with the image URL): researchers "
        "filter on 'with image' first.",
    ),
    "records.no_date": Rule(
        "records", "warning", "LIDO eventDate (production)",
        "Give a date of production (even a century): searches by period cannot find the object otherwise.",
    ),
    # -- encoding ---------------------------------------------------------------------------
    "encoding.control_characters": Rule(
        "encoding", "warning", "XML 1.0 §2.2 (characters)",
        "Remove control characters (often pasted from old catalogue software); strict harvesters reject "
        "the whole page for one of them.",
    ),
    "encoding.bad_bytes": Rule(
        "encoding", "warning", "XML 1.0 §4.3.3 (character encoding)",
        "Send UTF-8 and declare it; bytes that are not valid in the declared encoding are replaced.",
    ),
    "encoding.mojibake": Rule(
        "encoding", "error", "XML 1.0 §4.3.3 (character encoding)",
        "Text was converted with the wrong code page (Windows-1251 read as Latin-1, or UTF-8 read as "
        "Latin-1) before it was published; fix the export's encoding setting and re-export.",
    ),
    # -- speed ------------------------------------------------------------------------------
    "speed.summary": Rule(
        "speed", "info", f"{_SPEC} §3.5 (flow control)",
        "Nothing to change.",
    ),
    "speed.slow": Rule(
        "speed", "warning", f"{_SPEC} §3.5 (flow control)",
        "Pages are slow: smaller pages (fewer records per resumption token) or a database index on the "
        "datestamp usually help.",
    ),
    "speed.bounded": Rule(
        "speed", "info", "emuseum check-endpoint",
        "The listing was checked in part; raise --max-records to check more.",
    ),
}  # fmt: skip

"""Protocol-level checks of single responses: schema, responseDate, error codes, Identify, datestamps.

Each check takes one exchange and returns findings; the schema file is used
when installed (``oai_schema``), and the rules below are checked always, so
a check without the schema still catches what harvesters trip over most.
"""

from __future__ import annotations

import re
from typing import Final

from harvester.endpoint_check.client import Exchange
from harvester.endpoint_check.findings import Finding, finding
from harvester.endpoint_check.oai_schema import envelope_errors
from harvester.endpoint_info import DAY_GRANULARITY, SECOND_GRANULARITY
from harvester.oai_document import oai_name

__all__ = [
    "DAY_STAMP",
    "ERROR_CODES",
    "SECOND_STAMP",
    "envelope_findings",
    "identify_findings",
    "stamp_granularity",
]

ERROR_CODES: Final = frozenset(
    {
        "badArgument",
        "badResumptionToken",
        "badVerb",
        "cannotDisseminateFormat",
        "idDoesNotExist",
        "noRecordsMatch",
        "noMetadataFormats",
        "noSetHierarchy",
    }
)
DAY_STAMP: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND_STAMP: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_q = oai_name


def stamp_granularity(value: str | None) -> str | None:
    """The granularity a datestamp is written in, or None when it is neither UTC form."""
    if value is None:
        return None
    if DAY_STAMP.match(value):
        return DAY_GRANULARITY
    if SECOND_STAMP.match(value):
        return SECOND_GRANULARITY
    return None


def envelope_findings(exchange: Exchange, schema_seen: set[str]) -> list[Finding]:
    """Schema errors, responseDate and error codes of one response.

    ``schema_seen`` collects the schema messages already reported, so one
    fault repeated on every page is reported once.
    """
    document = exchange.document
    if document is None:
        return []
    found: list[Finding] = []
    verb = exchange.params.get("verb", "?")
    new = []
    for error in envelope_errors(document.root, limit=20):
        if _message_key(error) not in schema_seen:
            schema_seen.add(_message_key(error))
            new.append(error)
    new = new[:3]
    if new:
        found.append(
            finding(
                "protocol.schema",
                f"{verb}: the response is not valid against OAI-PMH.xsd: {'; '.join(new)}",
                request=exchange.request,
                answer=exchange.content[:400],
            )
        )
    date = document.response_date()
    if date is None or not SECOND_STAMP.match(date):
        key = "responseDate"
        if key not in schema_seen:
            schema_seen.add(key)
            shown = "missing" if date is None else f"{date!r}, not UTC YYYY-MM-DDThh:mm:ssZ"
            found.append(
                finding(
                    "protocol.response_date",
                    f"{verb}: responseDate is {shown}",
                    request=exchange.request,
                    answer=date,
                )
            )
    for code, text in exchange.errors():
        if code not in ERROR_CODES:
            found.append(
                finding(
                    "protocol.unknown_error_code",
                    f"{verb}: error code {code!r} is not one of the protocol's",
                    request=exchange.request,
                    answer=text,
                )
            )
    return found


def _message_key(message: str) -> str:
    """A schema message without its line number: the same fault on another page is the same fault."""
    return message.split(": ", 1)[-1]


def identify_findings(exchange: Exchange, checked_url: str) -> list[Finding]:
    """Identify's required fields and their values (§4.2)."""
    document = exchange.document
    if document is None:
        return []
    identify = document.root.find(_q("Identify"))
    if identify is None:
        return []  # the envelope checks (or the caller) report the missing answer
    found: list[Finding] = []

    def field(name: str) -> str | None:
        value = identify.findtext(_q(name))
        return value.strip() if value and value.strip() else None

    missing = [
        name
        for name in (
            "repositoryName",
            "baseURL",
            "protocolVersion",
            "adminEmail",
            "earliestDatestamp",
            "deletedRecord",
            "granularity",
        )
        if field(name) is None
    ]
    if missing:
        found.append(
            finding(
                "protocol.identify_field",
                f"Identify lacks {', '.join(missing)}",
                request=exchange.request,
                answer=exchange.content[:400],
            )
        )
    problems = []
    version = field("protocolVersion")
    if version is not None and version != "2.0":
        problems.append(f"protocolVersion is {version!r}, not '2.0'")
    granularity = field("granularity")
    if granularity is not None and granularity not in (DAY_GRANULARITY, SECOND_GRANULARITY):
        problems.append(f"granularity is {granularity!r}, not {DAY_GRANULARITY} or {SECOND_GRANULARITY}")
    deleted = field("deletedRecord")
    if deleted is not None and deleted not in ("no", "transient", "persistent"):
        problems.append(f"deletedRecord is {deleted!r}, not no, transient or persistent")
    earliest = field("earliestDatestamp")
    if earliest is not None and granularity in (DAY_GRANULARITY, SECOND_GRANULARITY):
        if stamp_granularity(earliest) != granularity:
            problems.append(f"earliestDatestamp {earliest!r} is not written in the declared granularity {granularity}")
    for problem in problems:
        found.append(finding("protocol.identify_field", f"Identify: {problem}", request=exchange.request))
    base = field("baseURL")
    if base is not None and base.rstrip("/") != checked_url.rstrip("/"):
        found.append(
            finding(
                "protocol.base_url",
                f"Identify gives baseURL {base!r}, but the endpoint was reached at {checked_url!r}",
                request=exchange.request,
                answer=base,
            )
        )
    return found

"""The bounded ListRecords walk: pages, tokens, list sizes, datestamps, deletions and encodings seen.

The walk reads pages the way the harvester does (``read_document`` and
``records_of``, so what it reports is what a harvest would meet) until the
list ends, ``max_records`` are read or the check's time is up.  Along the way
it checks the promises a harvester relies on (FACTS §4, §9): a new token on
every page, a completeListSize that holds, a cursor that counts, tokens that
can be asked for again, datestamps in the declared granularity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from harvester.endpoint_check.client import CHECK_MUSEUM, CheckClient, Exchange
from harvester.endpoint_check.encoding import find_mojibake, repair_kind
from harvester.endpoint_check.findings import CheckOutcome, Finding, finding
from harvester.endpoint_check.protocol import envelope_findings, stamp_granularity
from harvester.errors import excerpt
from harvester.oai_document import oai_name
from harvester.oai_records import records_of
from harvester.raw import RawRecord

__all__ = ["Listing", "walk_listing"]

_q = oai_name
#: Shortest token life that is not worth a warning (DRIVER guidelines recommend 24 h).
MIN_TOKEN_LIFE = timedelta(hours=1)


@dataclass(slots=True)
class Listing:
    records: list[RawRecord] = field(default_factory=list)  # live records read (for record-level checks)
    stamps: list[tuple[str, str]] = field(default_factory=list)  # (identifier, datestamp) of every header
    granularities: Counter[str] = field(default_factory=Counter)  # granularity of each datestamp seen
    bad_stamps: list[tuple[str, str | None]] = field(default_factory=list)  # (identifier, datestamp)
    deleted: int = 0
    pages: int = 0
    items: int = 0  # headers listed, deleted included
    complete: bool = False
    empty: bool = False
    list_sizes: list[int] = field(default_factory=list)
    second_page: tuple[str, list[str]] | None = None  # (token that asked for it, identifiers on it)
    first_request: str | None = None
    bounded_by: str | None = None  # why the walk stopped before the end: "max_records" | "time"


@dataclass(slots=True)
class _Tally:
    """Faults repeated on many records, reported once with a count and the first example."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # code -> (what, request, excerpt)

    def add(self, code: str, what: str, request: str, answer: str | None = None) -> None:
        self.counts[code] += 1
        self.examples.setdefault(code, (what, request, answer))

    def findings(self) -> list[Finding]:
        out = []
        for code, count in self.counts.items():
            what, request, answer = self.examples[code]
            more = f" ({count} in all)" if count > 1 else ""
            out.append(finding(code, f"{what}{more}", request=request, answer=answer))
        return out


def _token_element(exchange: Exchange) -> tuple[str | None, dict[str, str]]:
    assert exchange.document is not None
    holder = exchange.document.root.find(_q("ListRecords"))
    element = holder.find(_q("resumptionToken")) if holder is not None else None
    if element is None:
        return None, {}
    return (element.text or "").strip() or None, {str(k): str(v) for k, v in element.attrib.items()}


def _scan_page(exchange: Exchange, listing: Listing, tally: _Tally) -> None:
    """What only the page's tree shows (before ``records_of`` consumes it): stamps, deletions, text."""
    assert exchange.document is not None
    holder = exchange.document.root.find(_q("ListRecords"))
    if holder is None:
        return
    for record in holder.iter(_q("record")):
        header = record.find(_q("header"))
        if header is None:
            continue
        identifier = (header.findtext(_q("identifier")) or "").strip()
        stamp = (header.findtext(_q("datestamp")) or "").strip() or None
        listing.items += 1
        granularity = stamp_granularity(stamp)
        if granularity is None:
            listing.bad_stamps.append((identifier, stamp))
        else:
            listing.granularities[granularity] += 1
            listing.stamps.append((identifier, stamp or ""))
        metadata = record.find(_q("metadata"))
        if header.get("status") == "deleted":
            listing.deleted += 1
            if metadata is not None and len(metadata):
                tally.add(
                    "deletions.with_metadata",
                    f"record {identifier} is marked deleted but carries metadata",
                    exchange.request,
                )
            continue
        if metadata is not None:
            garbled = find_mojibake(metadata)
            if garbled is not None:
                tally.add(
                    "encoding.mojibake",
                    f"record {identifier}: text {garbled.text!r} reads as {garbled.meant!r} ({garbled.how})",
                    exchange.request,
                    garbled.text,
                )


def _parse_moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _token_expiry(exchange: Exchange, attrs: dict[str, str]) -> Finding | None:
    assert exchange.document is not None
    expires = attrs.get("expirationDate")
    if not expires:
        return None
    expiry, answered = _parse_moment(expires), _parse_moment(exchange.document.response_date())
    if expiry is None:
        return finding(
            "paging.token_expiry", f"expirationDate {expires!r} is not a UTC date-time", request=exchange.request
        )
    if answered is None or answered.tzinfo is None or expiry.tzinfo is None:
        return None
    life = expiry - answered
    if life <= timedelta(0):
        return finding(
            "paging.token_expiry",
            f"the resumptionToken expires ({expires}) before the response was sent "
            f"({exchange.document.response_date()})",
            request=exchange.request,
        )
    if life < MIN_TOKEN_LIFE:
        return finding(
            "paging.token_expiry",
            f"resumption tokens live only {int(life.total_seconds())} s; a slow or interrupted harvest loses its place",
            request=exchange.request,
        )
    return None


def walk_listing(
    client: CheckClient,
    prefix: str,
    set_spec: str | None,
    max_records: int,
    outcome: CheckOutcome,
    schema_seen: set[str],
) -> Listing:
    """Read ListRecords pages until the end, ``max_records`` or the deadline; findings go to ``outcome``."""
    listing = Listing()
    tally = _Tally()
    params = {"verb": "ListRecords", "metadataPrefix": prefix, **({"set": set_spec} if set_spec else {})}
    tokens_seen: set[str] = set()
    identifiers: Counter[str] = Counter()
    delivered = 0
    asked_with: str | None = None
    while True:
        exchange = client.get(**params)
        if listing.first_request is None:
            listing.first_request = exchange.request
        if exchange.document is None:
            code = "reach.unreachable" if not exchange.reached else "protocol.not_oai"
            outcome.add(
                finding(code, f"ListRecords page {listing.pages + 1}: {exchange.failure}", request=exchange.request)
            )
            break
        outcome.findings.extend(envelope_findings(exchange, schema_seen))
        codes = exchange.error_codes()
        if codes:
            if codes == ["noRecordsMatch"] and listing.pages == 0:
                listing.empty = listing.complete = True
                outcome.add(
                    finding(
                        "protocol.empty_listing",
                        "ListRecords answers noRecordsMatch: the list is empty",
                        request=exchange.request,
                    )
                )
            else:
                code, text = exchange.errors()[0]
                outcome.add(
                    finding(
                        "protocol.verb_error",
                        f"ListRecords page {listing.pages + 1} answered {code}: {excerpt(text, 120)[1:-1]}",
                        request=exchange.request,
                    )
                )
            break
        listing.pages += 1
        outcome.speed.pages += 1
        outcome.speed.page_seconds += exchange.seconds
        _scan_page(exchange, listing, tally)
        for note in exchange.document.repair_notes():
            tally.add(repair_kind(note), note, exchange.request)
        token, attrs = _token_element(exchange)
        records, quarantined = records_of(CHECK_MUSEUM, exchange.document, prefix)
        for bad in quarantined:
            tally.add("records.unreadable", bad.reason, exchange.request)
        page_ids = [r.oai_identifier or r.local_id for r in records]
        identifiers.update(page_ids)
        listing.records.extend(r for r in records if not r.deleted)
        outcome.speed.records += len(records)
        if asked_with is not None and listing.second_page is None:
            listing.second_page = (asked_with, page_ids)
        cursor = attrs.get("cursor")
        if cursor is not None and cursor.strip().isdigit() and int(cursor) != delivered:
            tally.add(
                "paging.cursor",
                f"page {listing.pages} says cursor={cursor} after {delivered} records were sent",
                exchange.request,
            )
        delivered += len(records) + len(quarantined)
        size = attrs.get("completeListSize")
        if size is not None and size.strip().isdigit():
            listing.list_sizes.append(int(size))
        if listing.pages == 1 and (expiry := _token_expiry(exchange, attrs)) is not None:
            outcome.add(expiry)
        if token is None:
            listing.complete = True
            break
        if token in tokens_seen:
            outcome.add(
                finding(
                    "paging.repeated_token",
                    f"page {listing.pages} hands back a resumptionToken already used ({excerpt(token, 60)[1:-1]})",
                    request=exchange.request,
                )
            )
            break
        tokens_seen.add(token)
        if len(listing.records) + listing.deleted >= max_records or client.out_of_time():
            listing.bounded_by = "time" if client.out_of_time() else "max_records"
            break
        params = {"verb": "ListRecords", "resumptionToken": token}
        asked_with = token
    outcome.findings.extend(tally.findings())
    repeated = [(i, n) for i, n in identifiers.items() if n > 1]
    if repeated:
        shown = ", ".join(f"{i} ({n}x)" for i, n in repeated[:3])
        outcome.add(
            finding(
                "records.duplicate_identifier",
                f"{len(repeated)} identifier(s) listed more than once, e.g. {shown}",
                request=listing.first_request,
            )
        )
    if listing.bad_stamps:
        identifier, stamp = listing.bad_stamps[0]
        outcome.add(
            finding(
                "protocol.datestamp_format",
                f"{len(listing.bad_stamps)} record header(s) with a datestamp that is not UTC YYYY-MM-DD or "
                f"YYYY-MM-DDThh:mm:ssZ, e.g. {identifier}: {stamp!r}",
                request=listing.first_request,
                answer=stamp,
            )
        )
    _list_size_findings(listing, delivered, outcome)
    return listing


def _list_size_findings(listing: Listing, delivered: int, outcome: CheckOutcome) -> None:
    sizes = sorted(set(listing.list_sizes))
    if len(sizes) > 1:
        outcome.add(
            finding(
                "paging.list_size",
                f"completeListSize changes from page to page ({', '.join(map(str, sizes[:5]))})",
                request=listing.first_request,
            )
        )
    elif sizes and listing.complete and sizes[0] != delivered:
        outcome.add(
            finding(
                "paging.list_size",
                f"completeListSize says {sizes[0]} but the list ended after {delivered} records",
                request=listing.first_request,
            )
        )
    elif sizes and not listing.complete and sizes[0] < delivered:
        outcome.add(
            finding(
                "paging.list_size",
                f"completeListSize says {sizes[0]} but {delivered} records were sent and the list goes on",
                request=listing.first_request,
            )
        )

"""One endpoint check, start to end: Identify, formats, sets, a bounded walk, probes, deletions, speed.

The check is bounded like a harvest and more: one deadline for the whole
check, the source policy's address rules and response cap, at most
``max_records`` records read.  It never raises for what the endpoint does;
everything becomes a finding, and an endpoint that cannot be reached at all
is ``reachable = False`` (exit code 2 on the command line).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from config.source_policy import SourcePolicy
from harvester.endpoint_check.client import CheckClient, Exchange
from harvester.endpoint_check.findings import CheckOutcome, finding
from harvester.endpoint_check.incremental import probe_incremental
from harvester.endpoint_check.listing import Listing, walk_listing
from harvester.endpoint_check.oai_schema import schema_available
from harvester.endpoint_check.protocol import envelope_findings, identify_findings
from harvester.endpoint_info import EndpointInfo, endpoint_info_from_identify
from harvester.errors import excerpt
from harvester.limits import Deadline
from harvester.oai_document import oai_name
from harvester.oai_records import LIDO_NS, OAI_DC_NS
from harvester.raw import RawRecord

__all__ = ["CheckRun", "check_endpoint"]

_q = oai_name
#: A page slower than this is worth a warning.
SLOW_PAGE_SECONDS = 10.0
_MAX_SET_PAGES = 20


@dataclass(slots=True)
class CheckRun:
    outcome: CheckOutcome
    records: list[RawRecord] = field(default_factory=list)  # live records read, for record-level checks
    metadata_prefix: str | None = None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_endpoint(
    url: str,
    *,
    metadata_prefix: str | None = None,
    set_spec: str | None = None,
    max_records: int = 200,
    policy: SourcePolicy | None = None,
    max_seconds: float = 300.0,
    timeout: float = 30.0,
    max_response_bytes: int | None = None,
    session: requests.Session | None = None,
) -> CheckRun:
    """Check the OAI-PMH endpoint at ``url`` (see the package docstring for what is checked)."""
    policy = policy if policy is not None else SourcePolicy.from_env()
    outcome = CheckOutcome(url=url, checked_at=_now())
    run = CheckRun(outcome)
    problem = policy.url_problem(url)
    if problem:
        outcome.reachable = False
        outcome.add(finding("reach.unreachable", f"not checked: {problem}", request=url))
        return run
    client = CheckClient(
        url,
        policy=policy,
        deadline=Deadline.after(max_seconds),
        session=session,
        timeout=timeout,
        max_response_bytes=max_response_bytes,
    )
    schema_seen: set[str] = set()
    if not schema_available():
        outcome.add(finding("protocol.schema_unavailable", "responses were checked against the built-in rules only"))
    info = _identify(client, outcome, schema_seen)
    if info is None:
        _speed(client, outcome, None)
        return run
    prefix = _formats(client, outcome, schema_seen, metadata_prefix)
    _sets(client, outcome, schema_seen, set_spec)
    if prefix is None:
        _speed(client, outcome, None)
        return run
    run.metadata_prefix = outcome.facts.metadata_prefix = prefix
    listing = walk_listing(client, prefix, set_spec, max_records, outcome, schema_seen)
    run.records = listing.records
    _paging(client, listing, outcome)
    incremental = probe_incremental(client, prefix, set_spec, info.granularity, listing, outcome)
    _deletions(info, listing, outcome)
    facts = outcome.facts
    facts.granularity = incremental.granularity
    facts.honours_from, facts.honours_until = incremental.honours_from, incremental.honours_until
    facts.deleted_seen = listing.deleted
    facts.records_listed, facts.pages_listed = listing.items, listing.pages
    facts.complete_list_size = listing.list_sizes[0] if listing.list_sizes else None
    facts.listing_complete = listing.complete
    _speed(client, outcome, listing, max_records)
    return run


def _failed(exchange: Exchange, verb: str, outcome: CheckOutcome) -> bool:
    """Report a request that gave no usable answer; True when it did not."""
    if exchange.document is None:
        if not exchange.reached:
            outcome.add(finding("reach.unreachable", f"{verb}: {exchange.failure}", request=exchange.request))
        else:
            outcome.add(
                finding(
                    "protocol.not_oai",
                    f"{verb}: {exchange.failure}",
                    request=exchange.request,
                    answer=exchange.content[:200],
                )
            )
        return True
    return False


def _identify(client: CheckClient, outcome: CheckOutcome, schema_seen: set[str]) -> EndpointInfo | None:
    exchange = client.get(verb="Identify")
    if _failed(exchange, "Identify", outcome):
        outcome.reachable = exchange.reached
        return None
    outcome.findings.extend(envelope_findings(exchange, schema_seen))
    assert exchange.document is not None
    if exchange.errors():
        code, text = exchange.errors()[0]
        outcome.add(
            finding(
                "protocol.verb_error", f"Identify answered {code}: {excerpt(text, 120)[1:-1]}", request=exchange.request
            )
        )
        return None
    outcome.findings.extend(identify_findings(exchange, client.url))
    info = endpoint_info_from_identify(exchange.document.root)
    facts = outcome.facts
    facts.repository_name = info.repository_name or None
    facts.base_url = info.base_url
    facts.declared_granularity = info.granularity
    facts.granularity = info.granularity
    facts.deleted_record = info.deleted_record
    facts.earliest_datestamp = info.earliest_datestamp
    return info


def _formats(client: CheckClient, outcome: CheckOutcome, schema_seen: set[str], wanted: str | None) -> str | None:
    exchange = client.get(verb="ListMetadataFormats")
    if _failed(exchange, "ListMetadataFormats", outcome):
        return None
    outcome.findings.extend(envelope_findings(exchange, schema_seen))
    assert exchange.document is not None
    formats: list[tuple[str, str]] = []
    for element in exchange.document.root.iter(_q("metadataFormat")):
        prefix = (element.findtext(_q("metadataPrefix")) or "").strip()
        namespace = (element.findtext(_q("metadataNamespace")) or "").strip()
        if prefix:
            formats.append((prefix, namespace))
    outcome.facts.formats = [p for p, _ in formats]
    if exchange.errors() or not formats:
        detail = ", ".join(exchange.error_codes()) or "no formats"
        outcome.add(finding("protocol.verb_error", f"ListMetadataFormats answered {detail}", request=exchange.request))
        return None
    lido = next((p for p, ns in formats if p.lower() == "lido" or ns.rstrip("/") == LIDO_NS), None)
    oai_dc = next((p for p, ns in formats if p == "oai_dc" or ns == OAI_DC_NS), None)
    offered = ", ".join(p for p, _ in formats)
    if oai_dc is None:
        outcome.add(
            finding("protocol.no_oai_dc", f"oai_dc is not offered (offered: {offered})", request=exchange.request)
        )
    if lido is None:
        outcome.add(finding("protocol.no_lido", f"LIDO is not offered (offered: {offered})", request=exchange.request))
    if wanted is not None:
        chosen = next((p for p, _ in formats if p == wanted), None)
        if chosen is None:
            outcome.add(
                finding(
                    "protocol.format_missing",
                    f"metadataPrefix {wanted!r} is not offered (offered: {offered})",
                    request=exchange.request,
                )
            )
        return chosen
    return lido or oai_dc


def _sets(client: CheckClient, outcome: CheckOutcome, schema_seen: set[str], wanted: str | None) -> None:
    specs: list[str] = []
    params: dict[str, str] = {"verb": "ListSets"}
    for _ in range(_MAX_SET_PAGES):
        exchange = client.get(**params)
        if _failed(exchange, "ListSets", outcome):
            return
        outcome.findings.extend(envelope_findings(exchange, schema_seen))
        assert exchange.document is not None
        codes = exchange.error_codes()
        if codes == ["noSetHierarchy"]:
            outcome.facts.sets = None
            if wanted:
                outcome.add(
                    finding(
                        "protocol.set_missing",
                        f"set {wanted!r} asked for, but the endpoint has no sets",
                        request=exchange.request,
                    )
                )
            return
        if codes:
            outcome.add(
                finding("protocol.verb_error", f"ListSets answered {', '.join(codes)}", request=exchange.request)
            )
            return
        specs += [(s.text or "").strip() for s in exchange.document.root.iter(_q("setSpec"))]
        holder = exchange.document.root.find(_q("ListSets"))
        element = holder.find(_q("resumptionToken")) if holder is not None else None
        token = (element.text or "").strip() if element is not None else ""
        if not token:
            break
        params = {"verb": "ListSets", "resumptionToken": token}
    outcome.facts.sets = len(specs)
    if wanted and wanted not in specs:
        outcome.add(finding("protocol.set_missing", f"set {wanted!r} is not among the {len(specs)} sets listed"))


def _paging(client: CheckClient, listing: Listing, outcome: CheckOutcome) -> None:
    """Asking again with a token must give the same page (FACTS §4, idempotency)."""
    if listing.second_page is not None:
        token, identifiers = listing.second_page
        again = client.get(verb="ListRecords", resumptionToken=token)
        if again.document is None or again.errors():
            detail = again.failure or ", ".join(again.error_codes())
            outcome.add(
                finding(
                    "paging.token_not_reusable",
                    f"the second page's resumptionToken, asked for again, gives {detail}",
                    request=again.request,
                )
            )
        else:
            holder = again.document.root.find(_q("ListRecords"))
            repeated = [
                (h.findtext(_q("identifier")) or "").strip()
                for h in (holder.iter(_q("header")) if holder is not None else [])
            ]
            if repeated != identifiers:
                outcome.add(
                    finding(
                        "paging.token_not_reusable",
                        f"the same resumptionToken gave a different page the second time "
                        f"({len(identifiers)} then {len(repeated)} records)",
                        request=again.request,
                    )
                )
    if listing.pages > 1 and not any(f.area == "paging" for f in outcome.findings):
        outcome.add(
            finding(
                "paging.ok",
                f"{listing.pages} pages followed by resumption token; tokens new on every page"
                + (", reusable" if listing.second_page else "")
                + (", completeListSize consistent" if listing.list_sizes else ""),
                request=listing.first_request,
            )
        )


def _deletions(info: EndpointInfo, listing: Listing, outcome: CheckOutcome) -> None:
    declared = info.deleted_record
    if listing.deleted and declared == "no":
        outcome.add(
            finding(
                "deletions.undeclared",
                f"Identify says deletedRecord 'no', yet {listing.deleted} deleted record(s) were listed",
                request=listing.first_request,
            )
        )
        return
    if declared in ("no", "transient"):
        outcome.add(finding("deletions.transient", f"deletedRecord is {declared!r}"))
        return
    seen = f"{listing.deleted} deleted record(s) listed" if listing.deleted else "no deleted records in the part listed"
    outcome.add(finding("deletions.seen", f"deletedRecord is {declared!r}; {seen}", request=listing.first_request))


def _speed(client: CheckClient, outcome: CheckOutcome, listing: Listing | None, max_records: int = 0) -> None:
    speed = outcome.speed
    times = [e.seconds for e in client.exchanges]
    speed.requests = len(times)
    speed.seconds = round(sum(times), 3)
    speed.page_seconds = round(speed.page_seconds, 3)
    if times:
        speed.median_ms = round(statistics.median(times) * 1000, 1)
        speed.slowest_ms = round(max(times) * 1000, 1)
    if speed.pages:
        outcome.add(
            finding(
                "speed.summary",
                f"{speed.pages} ListRecords page(s), {speed.records} records in {speed.page_seconds:.2f} s "
                f"({speed.pages_per_second} pages/s, {speed.records_per_second} records/s); "
                f"responses: median {speed.median_ms} ms, slowest {speed.slowest_ms} ms",
            )
        )
    slowest = max(client.exchanges, key=lambda e: e.seconds, default=None)
    if slowest is not None and slowest.seconds > SLOW_PAGE_SECONDS:
        outcome.add(finding("speed.slow", f"a response took {slowest.seconds:.1f} s", request=slowest.request))
    if listing is not None and listing.bounded_by is not None:
        why = "the check's time ran out" if listing.bounded_by == "time" else f"--max-records {max_records} reached"
        outcome.add(finding("speed.bounded", f"stopped after {listing.items} records ({why}); the list goes on"))

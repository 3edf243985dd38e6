"""Probes of selective harvesting: the granularity really used, and whether ``from`` / ``until`` are honoured.

Incremental harvesting rests on two promises (FACTS §4, §9.9-10): ``from``
written in the declared granularity is accepted, and only records changed on
or after it come back.  Endpoints break both: a server declares seconds and
answers a ``from`` with a time by badArgument, or it ignores ``from`` and
sends everything.  Each probe asks one small question whose answer the walk
already lets us predict, and compares:

* ``from`` = the latest datestamp listed: that record must come back (the
  bound is inclusive) and nothing dated earlier may;
* when every listed record has that same datestamp, ``from`` = one unit
  later: nothing dated earlier may come back;
* ``until`` = one day before the earliest datestamp listed: nothing later.

Only the first page of each probe is read (ListIdentifiers: headers only,
falling back to ListRecords when the endpoint does not answer it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from harvester.endpoint_check.client import CheckClient, Exchange
from harvester.endpoint_check.findings import CheckOutcome, finding
from harvester.endpoint_check.listing import Listing
from harvester.endpoint_check.protocol import stamp_granularity
from harvester.endpoint_info import DAY_GRANULARITY, SECOND_GRANULARITY
from harvester.oai_document import oai_name

__all__ = ["Incremental", "probe_incremental"]

_q = oai_name


@dataclass(slots=True)
class Incremental:
    granularity: str  # the one to send
    honours_from: bool | None
    honours_until: bool | None


def _moment(stamp: str) -> datetime:
    if stamp_granularity(stamp) == DAY_GRANULARITY:
        return datetime.strptime(stamp, "%Y-%m-%d").replace(tzinfo=UTC)
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _format(moment: datetime, granularity: str) -> str:
    return moment.strftime("%Y-%m-%d" if granularity == DAY_GRANULARITY else "%Y-%m-%dT%H:%M:%SZ")


def _key(stamp: str, granularity: str) -> str:
    """A datestamp cut to the granularity (day comparisons look at the date only)."""
    return stamp[:10] if granularity == DAY_GRANULARITY else stamp


class _Prober:
    def __init__(self, client: CheckClient, prefix: str, set_spec: str | None) -> None:
        self.client = client
        self.prefix = prefix
        self.set_spec = set_spec
        self.verb = "ListIdentifiers"

    def ask(self, **bounds: str) -> Exchange:
        params = {"metadataPrefix": self.prefix, **({"set": self.set_spec} if self.set_spec else {}), **bounds}
        exchange = self.client.get(verb=self.verb, **params)
        if self.verb == "ListIdentifiers" and (exchange.document is None or "badVerb" in exchange.error_codes()):
            self.verb = "ListRecords"
            exchange = self.client.get(verb=self.verb, **params)
        return exchange

    def headers(self, exchange: Exchange) -> list[tuple[str, str]]:
        assert exchange.document is not None
        holder = exchange.document.root.find(_q(self.verb))
        if holder is None:
            return []
        found = []
        for header in holder.iter(_q("header")):
            identifier = (header.findtext(_q("identifier")) or "").strip()
            stamp = (header.findtext(_q("datestamp")) or "").strip()
            if stamp_granularity(stamp) is not None:
                found.append((identifier, stamp))
        return found


def probe_incremental(
    client: CheckClient,
    prefix: str,
    set_spec: str | None,
    declared: str,
    listing: Listing,
    outcome: CheckOutcome,
) -> Incremental:
    """Measure the granularity and test from/until; findings go to ``outcome``."""
    result = Incremental(declared, None, None)
    if not listing.stamps:
        outcome.add(finding("incremental.untestable", "no datestamps were listed", request=listing.first_request))
        return result
    other = SECOND_GRANULARITY if declared == DAY_GRANULARITY else DAY_GRANULARITY
    if listing.granularities[other] and not listing.granularities[declared]:
        outcome.add(
            finding(
                "incremental.granularity_mismatch",
                f"Identify declares granularity {declared}, but the datestamps listed are written {other}",
                request=listing.first_request,
                answer=listing.stamps[0][1],
            )
        )
        result.granularity = DAY_GRANULARITY  # the one every server accepts, and all the day-only stamps allow
    prober = _Prober(client, prefix, set_spec)
    latest = max(_moment(s) for _, s in listing.stamps)
    earliest = min(_moment(s) for _, s in listing.stamps)
    probe = prober.ask(**{"from": _format(latest, result.granularity)})
    if result.granularity == SECOND_GRANULARITY and "badArgument" in probe.error_codes():
        outcome.add(
            finding(
                "incremental.granularity_mismatch",
                f"Identify declares granularity {SECOND_GRANULARITY}, "
                "but a 'from' with a time is refused (badArgument)",
                request=probe.request,
                answer=probe.errors()[0][1],
            )
        )
        result.granularity = DAY_GRANULARITY
        probe = prober.ask(**{"from": _format(latest, DAY_GRANULARITY)})
    result.honours_from = _judge_from(prober, probe, latest, result.granularity, listing, outcome)
    result.honours_until = _judge_until(prober, earliest, result.granularity, outcome)
    return result


def _judge_from(
    prober: _Prober, probe: Exchange, latest: datetime, granularity: str, listing: Listing, outcome: CheckOutcome
) -> bool | None:
    bound = _format(latest, granularity)
    if probe.document is None or (probe.error_codes() and probe.error_codes() != ["noRecordsMatch"]):
        detail = probe.failure or ", ".join(probe.error_codes())
        outcome.add(
            finding("protocol.verb_error", f"{prober.verb} with from={bound} failed: {detail}", request=probe.request)
        )
        return None
    headers = [] if probe.error_codes() else prober.headers(probe)
    older = [(i, s) for i, s in headers if _key(s, granularity) < bound]
    if older:
        outcome.add(
            finding(
                "incremental.from_ignored",
                f"asked for records changed from {bound}, the endpoint sent records dated earlier, "
                f"e.g. {older[0][0]} ({older[0][1]}); {len(older)} of {len(headers)} on the first page",
                request=probe.request,
                answer=older[0][1],
            )
        )
        return False
    if not headers:
        outcome.add(
            finding(
                "incremental.from_excludes",
                f"from={bound} (the latest datestamp listed) returns nothing, although a record carries that datestamp",
                request=probe.request,
            )
        )
    discriminating = any(_key(s, granularity) < bound for _, s in listing.stamps)
    if not discriminating:
        step = timedelta(days=1) if granularity == DAY_GRANULARITY else timedelta(seconds=1)
        later = _format(latest + step, granularity)
        second = prober.ask(**{"from": later})
        if second.document is not None and not second.error_codes():
            older = [(i, s) for i, s in prober.headers(second) if _key(s, granularity) < later]
            if older:
                outcome.add(
                    finding(
                        "incremental.from_ignored",
                        f"asked for records changed from {later}, the endpoint sent records dated earlier, "
                        f"e.g. {older[0][0]} ({older[0][1]})",
                        request=second.request,
                        answer=older[0][1],
                    )
                )
                return False
    outcome.add(
        finding(
            "incremental.from_honoured",
            f"'from' is honoured in granularity {granularity} (from={bound} returned only records dated from it on)",
            request=probe.request,
        )
    )
    return True


def _judge_until(prober: _Prober, earliest: datetime, granularity: str, outcome: CheckOutcome) -> bool | None:
    bound = _format(earliest - timedelta(days=1), granularity)
    probe = prober.ask(until=bound)
    if probe.document is None or (probe.error_codes() and probe.error_codes() != ["noRecordsMatch"]):
        return None
    later = [(i, s) for i, s in ([] if probe.error_codes() else prober.headers(probe)) if _key(s, granularity) > bound]
    if later:
        outcome.add(
            finding(
                "incremental.until_ignored",
                f"asked for records changed until {bound}, the endpoint sent records dated later, "
                f"e.g. {later[0][0]} ({later[0][1]})",
                request=probe.request,
                answer=later[0][1],
            )
        )
        return False
    return True

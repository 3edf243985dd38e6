"""Record-level checks of an endpoint: what the catalogue will make of its records, against real peers."""

from __future__ import annotations

import ipaddress
from datetime import datetime

from aggregator.endpoint_report import run_endpoint_check
from config.source_policy import SourcePolicy
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido
from tests.faults.hostile_endpoint import HostileEndpoint

LOOPBACK = SourcePolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
LIDO = "http://www.lido-schema.org"
#: Well-formed LIDO that breaks the schema (no lidoRecID, no descriptive metadata) and has no title or type.
EMPTY_LIDO = f'<lido:lido xmlns:lido="{LIDO}"><lido:administrativeMetadata xml:lang="en"/></lido:lido>'.encode()


def _endpoint(extra: list[EndpointRecord]) -> OaiEndpoint:
    objects = generate_museum_objects("kz-report", 12, seed=9, region="KZ-71", base_url="https://m.example/")
    records = [
        EndpointRecord(f"oai:museum.kz:{o.local_id}", datetime(2025, 2, 1), metadata={"lido": to_lido(o, "M")})
        for o in objects
    ]
    return OaiEndpoint(records + extra, name="M", formats=["lido"], batch_size=5)


def test_records_are_validated_mapped_and_scored() -> None:
    broken = EndpointRecord("oai:museum.kz:broken-1", datetime(2025, 2, 1), metadata={"lido": EMPTY_LIDO})
    with _endpoint([broken]) as endpoint:
        report = run_endpoint_check(endpoint.url, policy=LOOPBACK, max_seconds=60)
    by_code = {f.code: f for f in report.outcome.findings}
    invalid = by_code["records.lido_invalid"]
    assert invalid.message.startswith("1 of 13 LIDO records") and "broken-1" in invalid.message
    assert "verb=GetRecord" in (invalid.evidence.request or "") and "broken-1" in (invalid.evidence.request or "")
    unmappable = by_code["records.unmappable"]
    assert unmappable.severity == "error" and "1 of 13" in unmappable.message
    quality = report.quality
    assert quality.records == 12 and sum(quality.tiers.values()) == 12
    assert quality.mean is not None and 0 < quality.lowest <= quality.mean <= quality.highest <= 100  # type: ignore[operator]
    assert by_code["records.quality"].message.startswith("quality of 12 records: mean")
    assert report.exit_code == 1
    assert report.to_json()["quality"]["records"] == 12


def test_what_hurts_search_is_named_with_a_share() -> None:
    with HostileEndpoint() as endpoint:  # English titles only, no images, no dates
        report = run_endpoint_check(endpoint.url, policy=LOOPBACK, max_seconds=30)
    findings = {f.code: f for f in report.outcome.findings}
    for code, words in (
        ("records.no_kk_ru_title", "30 of 30 records have no title in Kazakh or Russian"),
        ("records.no_image", "30 of 30 records have no image"),
        ("records.no_date", "30 of 30 records have no date of production"),
    ):
        assert findings[code].severity == "warning" and findings[code].message.startswith(words)
    assert findings["records.quality"].severity == "warning"  # mean 25: below tier C
    assert report.exit_code == 0  # nothing here is a protocol error

"""The endpoint check against real peers: the oaipmh-based demo endpoint (healthy) and the hostile one."""

from __future__ import annotations

import ipaddress
import time
from datetime import datetime, timedelta

import pytest

from config.source_policy import SourcePolicy
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido, to_oai_dc
from harvester.endpoint_check import EXIT_ERRORS, EXIT_OK, EXIT_UNREACHABLE, CheckOutcome, check_endpoint
from harvester.endpoint_check.encoding import find_mojibake
from harvester.endpoint_check.oai_schema import schema_available
from harvester.endpoint_info import DAY_GRANULARITY, SECOND_GRANULARITY
from tests.conftest import missing_service
from tests.faults.hostile_endpoint import SECRET_MARKER, HostileEndpoint

LOOPBACK = SourcePolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),), max_response_seconds=10.0)


def healthy_records(count: int = 24, deleted: int = 2) -> list[EndpointRecord]:
    objects = generate_museum_objects("kz-check-museum", count, seed=5, region="KZ-75", base_url="https://m.example/")
    records = [
        EndpointRecord(
            identifier=f"oai:museum.kz:{o.local_id}",
            datestamp=datetime(2025, 3, 1, 9, 0, 0) + timedelta(hours=n),
            metadata={"lido": to_lido(o, "Check museum"), "oai_dc": to_oai_dc(o)},
        )
        for n, o in enumerate(objects)
    ]
    for record in records[:deleted]:
        record.deleted, record.metadata = True, {}
    return records


def codes(outcome: CheckOutcome, severity: str | None = None) -> set[str]:
    return {f.code for f in outcome.findings if severity is None or f.severity == severity}


def check_hostile(behaviour: str, **kwargs: object) -> CheckOutcome:
    with HostileEndpoint(behaviour=behaviour) as endpoint:
        return check_endpoint(endpoint.url, policy=LOOPBACK, max_seconds=30, **kwargs).outcome  # type: ignore[arg-type]


def test_a_healthy_endpoint_passes_with_its_facts_measured() -> None:
    with OaiEndpoint(healthy_records(), name="Check museum", formats=["lido", "oai_dc"], batch_size=5) as endpoint:
        run = check_endpoint(endpoint.url, policy=LOOPBACK, max_seconds=60)
    outcome, facts = run.outcome, run.outcome.facts
    assert outcome.exit_code == EXIT_OK, [f.line() for f in outcome.findings if f.severity == "error"]
    assert codes(outcome, "warning") == set()
    assert {"paging.ok", "incremental.from_honoured", "deletions.seen", "speed.summary"} <= codes(outcome)
    assert facts.granularity == facts.declared_granularity == SECOND_GRANULARITY
    assert facts.honours_from is True and facts.honours_until is True
    assert facts.deleted_record == "persistent" and facts.deleted_seen == 2
    assert facts.formats == ["lido", "oai_dc"] and facts.metadata_prefix == "lido"
    assert facts.records_listed == 24 and facts.pages_listed == 5 and facts.listing_complete
    assert len(run.records) == 22 and all(r.format == "lido" for r in run.records)
    assert outcome.speed.pages == 5 and outcome.speed.pages_per_second and outcome.speed.median_ms is not None


def test_the_walk_is_bounded_by_max_records_and_says_so() -> None:
    with OaiEndpoint(healthy_records(40, 0), name="Check museum", formats=["oai_dc"], batch_size=5) as endpoint:
        outcome = check_endpoint(endpoint.url, policy=LOOPBACK, max_records=10, metadata_prefix="oai_dc").outcome
    assert outcome.facts.records_listed == 10 and not outcome.facts.listing_complete
    assert "speed.bounded" in codes(outcome)
    assert "protocol.no_lido" in codes(outcome, "warning")


@pytest.mark.parametrize(
    ("behaviour", "code"),
    [
        ("wrong_granularity", "incremental.granularity_mismatch"),
        ("ignore_from", "incremental.from_ignored"),
        ("undeclared_deletions", "deletions.undeclared"),
        ("mojibake", "encoding.mojibake"),
        ("schema_invalid", "protocol.response_date"),
        ("repeat_token", "paging.repeated_token"),
        ("html", "protocol.not_oai"),
    ],
)
def test_each_fault_is_an_error_with_its_rule_evidence_and_advice(behaviour: str, code: str) -> None:
    outcome = check_hostile(behaviour)
    assert outcome.exit_code == EXIT_ERRORS
    found = [f for f in outcome.findings if f.code == code]
    assert found and found[0].severity == "error", [f.line() for f in outcome.findings]
    item = found[0]
    assert item.rule and item.advice and item.evidence.request and item.evidence.request.startswith("http://127.0.0.1:")
    assert all(SECRET_MARKER not in f.message for f in outcome.findings)


def test_the_measured_facts_follow_the_faults() -> None:
    wrong = check_hostile("wrong_granularity").facts
    assert wrong.declared_granularity == SECOND_GRANULARITY and wrong.granularity == DAY_GRANULARITY
    ignoring = check_hostile("ignore_from").facts
    assert ignoring.honours_from is False and ignoring.honours_until is False
    deleting = check_hostile("undeclared_deletions").facts
    assert deleting.deleted_record == "no" and deleting.deleted_seen == 6
    mojibake = next(f for f in check_hostile("mojibake").findings if f.code == "encoding.mojibake")
    assert "'Музейный'" in mojibake.message and "Windows-1251 read as Latin-1" in mojibake.message
    assert "(30 in all)" in mojibake.message


def test_datestamps_that_are_not_utc_are_named() -> None:
    bad = next(f for f in check_hostile("schema_invalid").findings if f.code == "protocol.datestamp_format")
    assert bad.severity == "error" and bad.message.startswith("3 record header(s)")
    assert "'01.01.2024 08:00'" in bad.message


def test_responses_are_validated_against_the_oai_pmh_schema() -> None:
    if not schema_available():
        missing_service("harvester/schemas/OAI-PMH.xsd is not installed (make assets fetches it from PyPI)")
    outcome = check_hostile("schema_invalid")
    schema = [f for f in outcome.findings if f.code == "protocol.schema"]
    assert any("datestamp" in f.message and "not expected" in f.message for f in schema)
    assert any("responseDate" in f.message for f in schema)
    assert "protocol.schema" not in codes(check_hostile("healthy"))


def test_an_endpoint_that_cannot_be_reached_exits_2_in_bounded_time() -> None:
    started = time.monotonic()
    with HostileEndpoint(behaviour="stall") as endpoint:
        outcome = check_endpoint(endpoint.url, policy=LOOPBACK, max_seconds=3, timeout=1.0).outcome
    assert outcome.exit_code == EXIT_UNREACHABLE and not outcome.reachable
    assert time.monotonic() - started < 15
    closed = check_endpoint("http://127.0.0.1:9/oai", policy=LOOPBACK, max_seconds=5).outcome
    assert closed.exit_code == EXIT_UNREACHABLE and codes(closed) == {"reach.unreachable"} | (
        {"protocol.schema_unavailable"} if not schema_available() else set()
    )


def test_the_source_policy_refuses_loopback_unless_allowed() -> None:
    with HostileEndpoint() as endpoint:
        outcome = check_endpoint(endpoint.url, policy=SourcePolicy(), max_seconds=5).outcome
        seen = list(endpoint.requests_seen)
    assert outcome.exit_code == EXIT_UNREACHABLE and seen == []
    assert "loopback" in outcome.findings[0].message
    assert check_endpoint("file:///etc/passwd", policy=LOOPBACK).outcome.exit_code == EXIT_UNREACHABLE


def test_mojibake_is_told_apart_from_real_latin_text() -> None:
    from lxml import etree

    def text(value: str) -> etree._Element:
        element = etree.Element("t")
        element.text = value
        return element

    assert find_mojibake(text("Ìóçåé")) is not None
    assert find_mojibake(text("МÑƒÐ·ÐµÐ¹")) is not None
    for fine in ("Müller Straße, café crème", "Ésaïe à Orléans", "Музей", "Qazaqstan Ūlttyq"):
        assert find_mojibake(text(fine)) is None, fine

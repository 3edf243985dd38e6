"""An endpoint check with the record-level checks the harvester layer cannot make.

``harvester.endpoint_check`` checks the protocol; the records it read are
then put through what a harvest would do with them: LIDO records are
validated against the official schema, every record is mapped to the core
record (``mappings.formats.map_raw``, the harvest's own mapping) and scored
(``mappings.quality``).  The museum learns what the catalogue will make of
its records and what is missing that hurts search (a title in Kazakh or
Russian, an image, a date), before the first harvest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from lxml import etree

from aggregator.explain import explain
from aggregator.quality_summary import TIERS, tier_of
from config.source_policy import SourcePolicy
from harvester.endpoint_check import CheckOutcome, Severity, check_endpoint, finding
from harvester.raw import RawRecord
from harvester.xml_parser import hardened_parser
from mappings.core import CoreRecord, MediaKind
from mappings.formats import map_raw
from mappings.lido_schema import detect_version, validate_lido
from mappings.quality import assess
from mappings.report import MappingError, MappingResult

__all__ = ["EndpointReport", "QualityDistribution", "assess_records", "run_endpoint_check"]

#: A missing field is a warning once this share of the records lacks it (an info below).
MISSING_WARNING_SHARE = 0.1
_SEARCH_LANGS = ("kk", "ru")


@dataclass(slots=True)
class QualityDistribution:
    records: int = 0
    mean: float | None = None
    lowest: float | None = None
    highest: float | None = None
    tiers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class EndpointReport:
    outcome: CheckOutcome
    quality: QualityDistribution = field(default_factory=QualityDistribution)
    museum_id: str | None = None  # the museum whose endpoint profile this check was saved as
    example: dict[str, Any] | None = None  # the first mapped record, explained (aggregator.explain)

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code

    def to_json(self) -> dict[str, Any]:
        return {
            **self.outcome.to_json(),
            "quality": self.quality.to_json(),
            "museum_id": self.museum_id,
            "example": self.example,
        }


def _record_url(base: str, raw: RawRecord, prefix: str | None) -> str:
    params = {
        "verb": "GetRecord",
        "identifier": raw.oai_identifier or raw.local_id,
        "metadataPrefix": prefix or raw.format,
    }
    return f"{base}?{urlencode(params)}"


def _lido_errors(raw: RawRecord) -> list[str]:
    try:
        element = etree.fromstring(raw.payload, hardened_parser())
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    return validate_lido(raw.payload, detect_version(element))


class _Counted:
    """Records sharing one finding: how many, and the first as the example."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.first: dict[str, tuple[RawRecord, str]] = {}

    def add(self, key: str, raw: RawRecord, detail: str) -> None:
        self.counts[key] += 1
        self.first.setdefault(key, (raw, detail))


def assess_records(
    records: list[RawRecord],
    outcome: CheckOutcome,
    *,
    base_url: str,
    prefix: str | None,
    examples: list[MappingResult] | None = None,
) -> QualityDistribution:
    """Validate, map and score ``records``; findings go to ``outcome``, the score distribution is returned.

    ``examples`` receives the first mapped record, for the museum to see
    where each of its values came from.
    """
    distribution = QualityDistribution()
    invalid, unmappable, warnings, missing = _Counted(), _Counted(), _Counted(), _Counted()
    scores: list[float] = []
    for raw in records:
        if raw.format == "lido" and (errors := _lido_errors(raw)):
            invalid.add("lido", raw, errors[0])
        try:
            result = map_raw(raw)
        except MappingError as exc:
            unmappable.add(exc.field, raw, exc.message)
            continue
        for issue in result.issues:
            warnings.add(issue.field, raw, issue.message)
        record = result.record
        if examples is not None and not examples:
            examples.append(result)
        scores.append(assess(record).score)
        for what in _missing_for_search(record):
            missing.add(what, raw, what)
    total = len(records)
    if scores:
        distribution.records = len(scores)
        distribution.mean = round(sum(scores) / len(scores), 1)
        distribution.lowest, distribution.highest = min(scores), max(scores)
        for score in scores:
            distribution.tiers[tier_of(score)] += 1

    def example(counted: _Counted, key: str) -> tuple[str, str]:
        raw, detail = counted.first[key]
        return raw.oai_identifier or raw.local_id, _record_url(base_url, raw, prefix)

    for key, count in invalid.counts.items():
        name, url = example(invalid, key)
        outcome.add(
            finding(
                "records.lido_invalid",
                f"{count} of {total} LIDO records are not valid against the "
                f"LIDO schema, e.g. {name}: {invalid.first[key][1]}",
                request=url,
            )
        )
    for key, count in unmappable.counts.most_common():
        name, url = example(unmappable, key)
        outcome.add(
            finding(
                "records.unmappable",
                f"{count} of {total} records cannot become catalogue records "
                f"(field {key}), e.g. {name}: {unmappable.first[key][1]}",
                request=url,
            )
        )
    for key, count in warnings.counts.most_common(5):
        name, url = example(warnings, key)
        outcome.add(
            finding(
                "records.mapping_warnings",
                f"{count} of {total} records: field {key}: {warnings.first[key][1]} (e.g. {name})",
                request=url,
            )
        )
    for code, what in (
        ("records.no_kk_ru_title", "have no title in Kazakh or Russian"),
        ("records.no_image", "have no image"),
        ("records.no_date", "have no date of production"),
    ):
        count = missing.counts.get(code, 0)
        if count:
            name, url = example(missing, code)
            severity: Severity = "warning" if count >= MISSING_WARNING_SHARE * max(1, len(scores)) else "info"
            outcome.add(
                finding(code, f"{count} of {len(scores)} records {what}, e.g. {name}", request=url, severity=severity)
            )
    if scores:
        tiers = ", ".join(f"{t}: {n}" for t, n in distribution.tiers.items())
        outcome.add(
            finding(
                "records.quality",
                f"quality of {len(scores)} records: mean {distribution.mean}, lowest {distribution.lowest}, "
                f"highest {distribution.highest} (tiers {tiers})",
                severity="warning" if (distribution.mean or 0) < 40 else "info",
            )
        )
    return distribution


def _missing_for_search(record: CoreRecord) -> list[str]:
    missing = []
    if not any(t.lang in _SEARCH_LANGS and t.value.strip() for t in record.titles):
        missing.append("records.no_kk_ru_title")
    if not any(m.kind == MediaKind.IMAGE for m in record.media):
        missing.append("records.no_image")
    production = record.production
    if not (production and (production.earliest or production.latest or production.date_display)):
        missing.append("records.no_date")
    return missing


def run_endpoint_check(
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
) -> EndpointReport:
    """The protocol check of ``url`` and the record-level checks of the records it read."""
    run = check_endpoint(
        url,
        metadata_prefix=metadata_prefix,
        set_spec=set_spec,
        max_records=max_records,
        policy=policy,
        max_seconds=max_seconds,
        timeout=timeout,
        max_response_bytes=max_response_bytes,
        session=session,
    )
    report = EndpointReport(run.outcome)
    if run.records:
        examples: list[MappingResult] = []
        report.quality = assess_records(
            run.records, run.outcome, base_url=url, prefix=run.metadata_prefix, examples=examples
        )
        report.example = explain(examples[0]) if examples else None
    return report

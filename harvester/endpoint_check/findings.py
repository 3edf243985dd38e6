"""What an endpoint check found: findings with their rule, evidence and advice, and the facts it measured.

A museum's IT person reads these, so every finding says which rule of
OAI-PMH 2.0 or LIDO is concerned, shows the request that proves it (a URL
they can paste into a browser) with a short excerpt of the answer, and says
in plain words what to change.  The wording of each kind of finding lives
in ``rules`` (one table, so the web form can translate by ``code``).

The facts are what the catalogue's harvester needs to know about the
endpoint (the granularity it really uses, whether ``from`` is honoured);
they become the museum's endpoint profile.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from harvester.endpoint_check.rules import RULES
from harvester.errors import excerpt

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_UNREACHABLE",
    "SEVERITIES",
    "CheckOutcome",
    "Evidence",
    "Finding",
    "Severity",
    "Speed",
    "EndpointFacts",
    "finding",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
EXIT_OK, EXIT_ERRORS, EXIT_UNREACHABLE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Evidence:
    """The request that shows the finding and a short, printable excerpt of what came back."""

    request: str | None = None
    excerpt: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable key of the kind of finding (rules.RULES; the web form translates by it)
    area: str  # protocol | paging | incremental | deletions | records | encoding | speed | reach
    severity: Severity
    rule: str  # the OAI-PMH / LIDO rule concerned
    message: str  # what was found, with the particulars
    advice: str  # what to change, in plain words
    evidence: Evidence = field(default_factory=Evidence)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return f"{self.severity}: [{self.area}] {self.message}"


def finding(
    code: str,
    message: str,
    *,
    request: str | None = None,
    answer: str | bytes | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of the kind ``code``, its rule, area and advice taken from the table."""
    rule = RULES[code]
    shown = excerpt(answer, 200)[1:-1] if answer is not None else None
    return Finding(
        code=code,
        area=rule.area,
        severity=severity or rule.severity,
        rule=rule.rule,
        message=message,
        advice=rule.advice,
        evidence=Evidence(request, shown or None),
    )


@dataclass(slots=True)
class EndpointFacts:
    """What the check learnt about the endpoint (saved as the museum's endpoint profile)."""

    repository_name: str | None = None
    base_url: str | None = None
    declared_granularity: str | None = None
    granularity: str | None = None  # the one it really uses: what the harvester sends
    honours_from: bool | None = None  # None: could not be tested (no datestamps listed)
    honours_until: bool | None = None
    deleted_record: str | None = None  # as declared: no | transient | persistent
    deleted_seen: int = 0
    earliest_datestamp: str | None = None
    formats: list[str] = field(default_factory=list)
    metadata_prefix: str | None = None  # the one checked
    sets: int | None = None  # None: no set hierarchy
    records_listed: int = 0
    pages_listed: int = 0
    complete_list_size: int | None = None
    listing_complete: bool = False  # the walk reached the end of the list

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Speed:
    requests: int = 0
    seconds: float = 0.0  # all requests together
    pages: int = 0  # ListRecords pages
    page_seconds: float = 0.0
    records: int = 0
    median_ms: float | None = None
    slowest_ms: float | None = None

    @property
    def pages_per_second(self) -> float | None:
        return round(self.pages / self.page_seconds, 2) if self.page_seconds > 0 else None

    @property
    def records_per_second(self) -> float | None:
        return round(self.records / self.page_seconds, 1) if self.page_seconds > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "pages_per_second": self.pages_per_second,
            "records_per_second": self.records_per_second,
        }


@dataclass(slots=True)
class CheckOutcome:
    """Everything one check produced; ``exit_code`` is what ``emuseum check-endpoint`` exits with."""

    url: str
    checked_at: str  # UTC, seconds
    reachable: bool = True
    findings: list[Finding] = field(default_factory=list)
    facts: EndpointFacts = field(default_factory=EndpointFacts)
    speed: Speed = field(default_factory=Speed)

    def add(self, item: Finding) -> None:
        self.findings.append(item)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        if not self.reachable:
            return EXIT_UNREACHABLE
        return EXIT_ERRORS if self.count("error") else EXIT_OK

    def sorted_findings(self) -> list[Finding]:
        order = {s: n for n, s in enumerate(SEVERITIES)}
        return sorted(self.findings, key=lambda f: order[f.severity])

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "checked_at": self.checked_at,
            "reachable": self.reachable,
            "exit_code": self.exit_code,
            "counts": {s: self.count(s) for s in SEVERITIES},
            "facts": self.facts.to_json(),
            "speed": self.speed.to_json(),
            "findings": [f.to_json() for f in self.sorted_findings()],
        }

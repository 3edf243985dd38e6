"""Fixtures for the fault suite: hostile endpoints on 127.0.0.1 and harvesters with small limits."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from config.registry import OaiSource
from config.source_policy import SourcePolicy
from harvester.errors import HarvestError
from harvester.oai import OaiHarvester
from harvester.page import Page
from tests.faults.hostile_endpoint import SECRET_MARKER, HostileEndpoint

MUSEUM = "kz-hostile-museum"
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
MiB = 1024 * 1024


def small_policy(**overrides: object) -> SourcePolicy:
    """Loopback allowed, a 16 MiB response cap, short limits: each fault ends in seconds."""
    settings: dict[str, object] = {
        "allowed_networks": LOOPBACK,
        "max_response_bytes": 16 * MiB,
        "max_seconds": 30.0,
        "max_response_seconds": 10.0,
    }
    settings.update(overrides)
    return SourcePolicy(**settings)  # type: ignore[arg-type]


def oai_source(url: str, **overrides: object) -> OaiSource:
    settings: dict[str, object] = {"type": "oai-pmh", "url": url, "timeout": 2.0, "max_retries": 2}
    settings.update(overrides)
    return OaiSource.model_validate(settings)


def no_sleep(seconds: float) -> None:
    return None


@dataclass
class Outcome:
    """What a harvest delivered before it ended, and how it ended."""

    pages: list[Page] = field(default_factory=list)
    error: HarvestError | None = None
    seconds: float = 0.0

    @property
    def identifiers(self) -> list[str]:
        return [r.oai_identifier or r.local_id for page in self.pages for r in page.records]

    @property
    def notes(self) -> list[str]:
        return [note for page in self.pages for note in page.repaired]


def harvest(harvester: OaiHarvester, *, full: bool = True, last_success: object = None) -> Outcome:
    outcome = Outcome()
    started = time.monotonic()
    try:
        checkpoint = harvester.start(last_success=last_success, full=full)  # type: ignore[arg-type]
        for page in harvester.pages(checkpoint):
            outcome.pages.append(page)
    except HarvestError as exc:
        outcome.error = exc
    outcome.seconds = time.monotonic() - started
    return outcome


def assert_one_clear_line(error: BaseException | str | None, *, url: str, says: str) -> str:
    """The error exists, is one line naming the museum and the URL, says ``says``, and quotes no page."""
    assert error, "the harvest should have failed"
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert MUSEUM in message
    assert url.split("/oai")[0] in message
    assert says in message
    assert SECRET_MARKER not in message
    assert "<record" not in message and "<OAI-PMH" not in message
    assert len(message) < 700
    return message


@pytest.fixture
def hostile() -> Iterator[Callable[..., HostileEndpoint]]:
    started: list[HostileEndpoint] = []

    def start(behaviour: str = "healthy", **options: object) -> HostileEndpoint:
        endpoint = HostileEndpoint(behaviour, **options).start()  # type: ignore[arg-type]
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()


@pytest.fixture
def harvester_for() -> Callable[..., OaiHarvester]:
    def make(
        endpoint: HostileEndpoint | str,
        *,
        policy: SourcePolicy | None = None,
        max_seconds: float | None = None,
        sleep: Callable[[float], None] = no_sleep,
        **source: object,
    ) -> OaiHarvester:
        url = endpoint if isinstance(endpoint, str) else endpoint.url
        deadline = time.monotonic() + max_seconds if max_seconds is not None else None
        return OaiHarvester(
            MUSEUM, oai_source(url, **source), policy=policy or small_policy(), deadline=deadline, sleep=sleep
        )

    return make

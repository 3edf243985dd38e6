"""Fixtures for harvester tests: small LIDO/DC records and loopback OAI-PMH endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from config.registry import OaiSource
from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from harvester.checkpoint import Checkpoint
from harvester.oai import OaiHarvester
from harvester.page import Page

MUSEUM = "central-state-museum"
EPOCH = datetime(2024, 1, 1, 8, 0, 0)
LIDO_REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"


def lido_xml(local_id: str, title: str) -> bytes:
    """A minimal LIDO record that satisfies the mandatory skeleton (FACTS §1.2)."""
    return f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
  <lido:lidoRecID lido:type="local">KZ-CSM/{escape(local_id)}</lido:lidoRecID>
  <lido:descriptiveMetadata xml:lang="ru">
    <lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
      <lido:term>ковер</lido:term>
    </lido:objectWorkType></lido:objectWorkTypeWrap></lido:objectClassificationWrap>
    <lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>
      <lido:appellationValue>{escape(title)}</lido:appellationValue>
    </lido:titleSet></lido:titleWrap></lido:objectIdentificationWrap>
  </lido:descriptiveMetadata>
  <lido:administrativeMetadata xml:lang="ru">
    <lido:recordWrap>
      <lido:recordID lido:type="local">{escape(local_id)}</lido:recordID>
      <lido:recordType><lido:term>item</lido:term></lido:recordType>
      <lido:recordSource><lido:legalBodyName>
        <lido:appellationValue>Центральный государственный музей</lido:appellationValue>
      </lido:legalBodyName></lido:recordSource>
    </lido:recordWrap>
  </lido:administrativeMetadata>
</lido:lido>""".encode()


def dc_xml(title: str) -> bytes:
    return (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:type>PhysicalObject</dc:type></oai_dc:dc>"
    ).encode()


def oai_id(number: int) -> str:
    return f"oai:csm.kz:KP-{number:04d}"


def sample_records(
    count: int, *, formats: tuple[str, ...] = ("lido", "oai_dc"), start: datetime = EPOCH
) -> list[EndpointRecord]:
    records = []
    for number in range(count):
        title = f"Текеметь №{number}"
        metadata = {}
        if "lido" in formats:
            metadata["lido"] = lido_xml(f"KP-{number:04d}", title)
        if "oai_dc" in formats:
            metadata["oai_dc"] = dc_xml(title)
        records.append(
            EndpointRecord(oai_id(number), start + timedelta(minutes=number), False, metadata)
        )
    return records


def make_source(url: str, **overrides: object) -> OaiSource:
    settings: dict[str, object] = {"type": "oai-pmh", "url": url, "timeout": 5.0, "max_retries": 3}
    settings.update(overrides)
    return OaiSource.model_validate(settings)


class SleepRecorder:
    """An injectable sleep that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def endpoint_factory() -> Iterator[Callable[..., OaiEndpoint]]:
    started: list[OaiEndpoint] = []

    def make(
        records: list[EndpointRecord] | None = None,
        *,
        formats: tuple[str, ...] = ("lido", "oai_dc"),
        batch_size: int = 10,
        granularity: str = "YYYY-MM-DDThh:mm:ssZ",
        deleted_record: str = "persistent",
        faults: Faults | None = None,
    ) -> OaiEndpoint:
        endpoint = OaiEndpoint(
            records if records is not None else sample_records(25),
            name="Central State Museum of Kazakhstan",
            formats=list(formats),
            batch_size=batch_size,
            granularity=granularity,
            deleted_record=deleted_record,
            faults=faults,
        )
        started.append(endpoint.start())
        return endpoint

    yield make
    for endpoint in started:
        endpoint.stop()


@pytest.fixture
def harvester_for(sleeps: SleepRecorder) -> Callable[..., OaiHarvester]:
    def make(endpoint_or_url: OaiEndpoint | str, **overrides: object) -> OaiHarvester:
        url = endpoint_or_url if isinstance(endpoint_or_url, str) else endpoint_or_url.url
        return OaiHarvester(MUSEUM, make_source(url, **overrides), sleep=sleeps)

    return make


def harvest_all(harvester: OaiHarvester, checkpoint: Checkpoint) -> list[Page]:
    return list(harvester.pages(checkpoint))

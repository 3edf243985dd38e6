"""The OAI-PMH harvester, against a real third-party OAI-PMH provider on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
from lxml import etree

from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from harvester.checkpoint import Checkpoint
from harvester.errors import (
    BadArgument,
    CannotDisseminateFormat,
    HarvestError,
    RepeatedResumptionToken,
    SourceUnavailable,
)
from harvester.http import RetryPolicy, backoff_delay, parse_retry_after
from harvester.oai import OaiHarvester, format_from, local_id_from_oai_identifier
from harvester.page import Page
from harvester.xml_repair import repair_xml_bytes
from tests.harvester.conftest import (
    EPOCH,
    LIDO_REAL,
    MUSEUM,
    SleepRecorder,
    harvest_all,
    lido_xml,
    make_source,
    oai_id,
    sample_records,
)

LIDO = "{http://www.lido-schema.org}"
Factory = Callable[..., OaiEndpoint]
HarvesterFor = Callable[..., OaiHarvester]


def identifiers(pages: list[Page]) -> list[str]:
    return [r.oai_identifier or "" for page in pages for r in page.records]


# -- full harvest ---------------------------------------------------------------------------


def test_full_harvest_over_several_pages_returns_every_record_once(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(25), batch_size=10)
    harvester = harvester_for(endpoint)

    checkpoint = harvester.start(last_success=None, full=True)
    pages = harvest_all(harvester, checkpoint)

    assert [len(p.records) for p in pages] == [10, 10, 5]
    assert sorted(identifiers(pages)) == [oai_id(n) for n in range(25)]
    assert [p.last for p in pages] == [False, False, True]
    assert [p.complete_listing for p in pages] == [False, False, True]
    assert pages[-1].checkpoint.resumption_token is None
    assert all(p.checkpoint.resumption_token for p in pages[:-1])
    assert [p.checkpoint.pages_done for p in pages] == [1, 2, 3]
    assert pages[-1].checkpoint.records_done == 25
    assert checkpoint.from_ is None and checkpoint.metadata_prefix == "lido"


def test_records_carry_lido_payload_without_the_oai_envelope(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(3))
    harvester = harvester_for(endpoint)

    record = harvest_all(harvester, harvester.start(last_success=None, full=True))[0].records[0]

    assert record.museum_id == MUSEUM
    assert record.oai_identifier == oai_id(0)
    assert record.local_id == "KP-0000"
    assert record.format == "lido"
    assert record.deleted is False
    assert record.datestamp == "2024-01-01T08:00:00Z"
    assert record.harvested_at is not None and record.harvested_at.tzinfo is not None
    root = etree.fromstring(record.payload)
    assert root.tag == f"{LIDO}lido"
    assert root.findtext(f".//{LIDO}appellationValue") == "Текеметь №0"
    assert b"http://www.openarchives.org/OAI/2.0/" not in record.payload


def test_window_started_is_the_servers_response_date_of_the_first_page(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(25))
    harvester = harvester_for(endpoint)
    before = datetime.now(UTC).replace(microsecond=0)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    started = {p.checkpoint.window_started for p in pages}
    assert len(started) == 1
    stamp = datetime.strptime(started.pop() or "", "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before - timedelta(seconds=2) <= stamp <= datetime.now(UTC)


def test_every_request_identifies_the_harvester_by_user_agent(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(12))
    harvester = harvester_for(endpoint, user_agent="emuseum-test/1.0")

    harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert endpoint.requests_seen
    assert {r.user_agent for r in endpoint.requests_seen} == {"emuseum-test/1.0"}


def test_resumption_tokens_with_plus_slash_and_equals_survive_the_round_trip(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(25))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    sent = [p["resumptionToken"] for p in endpoint.list_records_params() if "resumptionToken" in p]
    assert len(sent) == 2 and all("+" in token for token in sent)
    assert sent == [p.checkpoint.resumption_token for p in pages[:-1]]
    assert len(identifiers(pages)) == 25


def test_real_lido_records_come_through_intact(endpoint_factory: Factory, harvester_for: HarvesterFor) -> None:
    if not LIDO_REAL.is_dir():
        pytest.skip(f"real LIDO sample folder {LIDO_REAL} is not present on this machine")
    files = sorted(LIDO_REAL.glob("*.xml")) + sorted((LIDO_REAL / "ddb").glob("*.xml"))
    originals = {f"oai:ddb.de:{n}": etree.parse(str(path)).getroot() for n, path in enumerate(files)}
    records = [
        EndpointRecord(ident, EPOCH, False, {"lido": etree.tostring(root, encoding="utf-8")})
        for ident, root in originals.items()
    ]
    endpoint = endpoint_factory(records, formats=("lido",), batch_size=4)
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    harvested = {r.oai_identifier: etree.fromstring(r.payload) for p in pages for r in p.records}
    assert harvested.keys() == originals.keys()
    for ident, original in originals.items():
        copy = harvested[ident]
        assert copy.tag == original.tag
        assert [e.tag for e in copy.iter()] == [e.tag for e in original.iter()]
        assert [e.attrib for e in copy.iter()] == [e.attrib for e in original.iter()]
        assert [(e.text or "").strip() for e in copy.iter()] == [(e.text or "").strip() for e in original.iter()]


# -- Identify and metadata formats ----------------------------------------------------------


def test_identify_reports_granularity_deletion_policy_and_server_clock(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(granularity="YYYY-MM-DD", deleted_record="transient")

    info = harvester_for(endpoint).identify()

    assert info.granularity == "YYYY-MM-DD" and info.day_granular
    assert info.deleted_record == "transient"
    assert info.repository_name == "Central State Museum of Kazakhstan"
    assert info.earliest_datestamp == "2024-01-01T08:00:00Z"
    assert info.response_date is not None and info.response_date.endswith("Z")


def test_choose_prefix_prefers_lido_when_offered(endpoint_factory: Factory, harvester_for: HarvesterFor) -> None:
    endpoint = endpoint_factory(formats=("oai_dc", "lido"))
    assert harvester_for(endpoint).choose_prefix() == "lido"


def test_choose_prefix_falls_back_to_oai_dc_without_lido(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(4, formats=("oai_dc",)), formats=("oai_dc",))
    harvester = harvester_for(endpoint)

    checkpoint = harvester.start(last_success=None, full=True)
    records = [r for p in harvest_all(harvester, checkpoint) for r in p.records]

    assert checkpoint.metadata_prefix == "oai_dc"
    assert {r.format for r in records} == {"oai_dc"}
    assert etree.fromstring(records[0].payload).tag == ("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")


def test_configured_prefix_is_used_only_when_the_endpoint_offers_it(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(formats=("lido", "oai_dc"))
    assert harvester_for(endpoint, metadata_prefix="oai_dc").choose_prefix() == "oai_dc"
    with pytest.raises(CannotDisseminateFormat, match="marc21"):
        harvester_for(endpoint, metadata_prefix="marc21").choose_prefix()


def test_endpoint_with_neither_lido_nor_oai_dc_is_refused(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory([], formats=("marc21",))
    with pytest.raises(CannotDisseminateFormat, match="offers neither LIDO nor oai_dc"):
        harvester_for(endpoint).choose_prefix()


# -- incremental harvests -------------------------------------------------------------------


def _change_two_delete_one(endpoint: OaiEndpoint, when: datetime) -> None:
    records = endpoint.records()
    records[3] = EndpointRecord(oai_id(3), when, False, {"lido": lido_xml("KP-0003", "Текеметь (restored)")})
    records[17] = EndpointRecord(oai_id(17), when, False, {"lido": lido_xml("KP-0017", "Кебеже")})
    records[8] = EndpointRecord(oai_id(8), when, True, {})
    endpoint.set_records(records)


def test_incremental_harvest_returns_only_changed_and_deleted_records(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(25))
    harvester = harvester_for(endpoint, overlap_seconds=3600)
    harvest_all(harvester, harvester.start(last_success=None, full=True))
    _change_two_delete_one(endpoint, datetime(2024, 3, 1, 12, 0, 0))

    checkpoint = harvester.start(last_success=datetime(2024, 2, 1, 0, 30, tzinfo=UTC), full=False)
    pages = harvest_all(harvester, checkpoint)

    assert checkpoint.from_ == "2024-01-31T23:30:00Z"
    assert endpoint.list_records_params()[-1]["from"] == "2024-01-31T23:30:00Z"
    records = {r.oai_identifier: r for p in pages for r in p.records}
    assert sorted(records) == [oai_id(3), oai_id(8), oai_id(17)]
    assert records[oai_id(8)].deleted is True and records[oai_id(8)].payload == b""
    assert records[oai_id(8)].local_id == "KP-0008"
    assert b"restored" in records[oai_id(3)].payload
    assert pages[-1].last and not pages[-1].complete_listing


def test_incremental_from_uses_days_on_a_day_granular_endpoint(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(25), granularity="YYYY-MM-DD")
    harvester = harvester_for(endpoint, overlap_seconds=3600)
    _change_two_delete_one(endpoint, datetime(2024, 3, 1, 12, 0, 0))

    checkpoint = harvester.start(last_success=datetime(2024, 2, 1, 0, 30, tzinfo=UTC), full=False)
    pages = harvest_all(harvester, checkpoint)

    assert checkpoint.from_ == "2024-01-31"
    assert endpoint.list_records_params()[-1]["from"] == "2024-01-31"
    assert sorted(identifiers(pages)) == [oai_id(3), oai_id(8), oai_id(17)]


def test_a_second_granular_from_is_what_a_day_granular_endpoint_rejects(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    """Guards the test above: the peer really enforces granularity (FACTS §9.9)."""
    endpoint = endpoint_factory(granularity="YYYY-MM-DD")
    harvester = harvester_for(endpoint)
    checkpoint = harvester.start(last_success=None, full=True).model_copy(
        update={"from_": "2024-01-31T23:30:00Z", "full": False}
    )
    with pytest.raises(BadArgument, match="day granularity"):
        harvest_all(harvester, checkpoint)


def test_no_records_match_is_an_empty_last_page_not_an_error(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(5))
    harvester = harvester_for(endpoint, overlap_seconds=0)

    # A window after every record (start() itself never asks from a moment in our future).
    everything = harvester.start(last_success=EPOCH.replace(tzinfo=UTC), full=False)
    checkpoint = everything.model_copy(update={"from_": "2030-01-01T00:00:00Z"})
    pages = harvest_all(harvester, checkpoint)

    assert len(pages) == 1
    assert pages[0].records == [] and pages[0].last and not pages[0].complete_listing
    assert pages[0].checkpoint.resumption_token is None


def test_incremental_request_without_a_previous_run_becomes_a_full_harvest(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    harvester = harvester_for(endpoint_factory(sample_records(3)))
    checkpoint = harvester.start(last_success=None, full=False)
    assert checkpoint.full is True and checkpoint.from_ is None


# -- resuming ---------------------------------------------------------------------------------


def test_resume_after_a_crash_gives_a_full_harvest_without_duplicates_or_gaps(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(45), batch_size=10)
    first = harvester_for(endpoint)
    stream = first.pages(first.start(last_success=None, full=True))
    committed = [next(stream), next(stream)]  # the process dies after committing page 2
    stream.close()
    before_resume = len(endpoint.list_records_params())  # page 3 may have been asked for ahead

    second = harvester_for(endpoint)  # a new process, from the stored checkpoint
    rest = harvest_all(second, committed[-1].checkpoint)

    union = identifiers(committed) + identifiers(rest)
    assert len(union) == 45 and len(set(union)) == 45
    assert sorted(union) == [oai_id(n) for n in range(45)]
    assert [p.checkpoint.pages_done for p in rest] == [3, 4, 5]
    assert rest[-1].complete_listing
    resumed_with = endpoint.list_records_params()[before_resume]
    assert resumed_with["resumptionToken"] == committed[-1].checkpoint.resumption_token


def test_expired_token_on_resume_restarts_the_window(
    endpoint_factory: Factory, harvester_for: HarvesterFor, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = endpoint_factory(sample_records(35), faults=Faults(expire_tokens=True))
    first = harvester_for(endpoint)
    stream = first.pages(first.start(last_success=None, full=True))
    committed = [next(stream), next(stream)]
    stream.close()
    endpoint.expire_tokens_now()  # e.g. the museum's server restarted overnight
    before_resume = len(endpoint.list_records_params())  # page 3 may have been asked for ahead

    with caplog.at_level(logging.WARNING, logger="emuseum.harvest"):
        rest = harvest_all(harvester_for(endpoint), committed[-1].checkpoint)

    assert sorted(set(identifiers(rest))) == [oai_id(n) for n in range(35)]
    assert rest[-1].last and rest[-1].complete_listing
    assert rest[0].checkpoint.window_started == committed[0].checkpoint.window_started
    assert "event=token_expired" in caplog.text and MUSEUM in caplog.text
    after_resume = endpoint.list_records_params()[before_resume : before_resume + 2]
    assert "resumptionToken" in after_resume[0] and "metadataPrefix" in after_resume[1]


def test_repeated_resumption_token_stops_the_harvest(endpoint_factory: Factory, harvester_for: HarvesterFor) -> None:
    endpoint = endpoint_factory(sample_records(35), faults=Faults(repeat_token_forever=True))
    harvester = harvester_for(endpoint)
    pages: list[Page] = []

    with pytest.raises(RepeatedResumptionToken, match="again"):
        for page in harvester.pages(harvester.start(last_success=None, full=True)):
            pages.append(page)

    assert len(pages) == 1
    assert len(endpoint.list_records_params()) == 2


def test_page_cap_ends_a_window_that_never_ends(endpoint_factory: Factory, harvester_for: HarvesterFor) -> None:
    endpoint = endpoint_factory(sample_records(50), batch_size=5)
    harvester = OaiHarvester(MUSEUM, make_source(endpoint.url), max_pages_per_window=3)
    with pytest.raises(HarvestError, match="more than 3 pages"):
        harvest_all(harvester, harvester.start(last_success=None, full=True))


# -- transport failures -----------------------------------------------------------------------


def test_503_with_retry_after_seconds_is_waited_out_and_retried(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory(faults=Faults(fail_first_n_with_503=2, retry_after="7"))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert sleeps.waits == [7.0, 7.0]
    assert len(identifiers(pages)) == 25
    assert [r.status for r in endpoint.requests_seen[:3]] == [503, 503, 200]


def test_503_with_retry_after_http_date_is_waited_out_and_retried(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=40), usegmt=True)
    endpoint = endpoint_factory(faults=Faults(fail_first_n_with_503=1, retry_after=when))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert len(sleeps.waits) == 1 and 30 <= sleeps.waits[0] <= 40
    assert len(identifiers(pages)) == 25


def test_429_rate_limit_is_retried_with_backoff(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory(faults=Faults(fail_first_n_with_503=2, failure_status=429))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert sleeps.waits == [1.0, 2.0]  # no Retry-After: exponential backoff
    assert len(identifiers(pages)) == 25


def test_retry_after_really_waits_with_the_default_sleep(endpoint_factory: Factory) -> None:
    endpoint = endpoint_factory(sample_records(3), faults=Faults(fail_first_n_with_503=1, retry_after="1"))
    harvester = OaiHarvester(MUSEUM, make_source(endpoint.url))

    began = time.monotonic()
    info = harvester.identify()
    elapsed = time.monotonic() - began

    assert info.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert 0.9 <= elapsed < 5


def test_dropped_connection_is_retried_with_the_same_token(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory(sample_records(25), faults=Faults(drop_connection_on_page=2))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert sorted(identifiers(pages)) == [oai_id(n) for n in range(25)]
    assert len(sleeps.waits) == 1
    tokens = [p.get("resumptionToken") for p in endpoint.list_records_params()]
    assert tokens[1] is not None and tokens[1] == tokens[2]  # dropped, then the same request


def test_persistent_503_ends_in_source_unavailable_within_bounded_retries(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory(faults=Faults(fail_first_n_with_503=10**6, retry_after="30"))
    harvester = harvester_for(endpoint, max_retries=3)

    began = time.monotonic()
    with pytest.raises(SourceUnavailable) as caught:
        harvester.start(last_success=None, full=True)

    assert time.monotonic() - began < 5
    assert len(endpoint.requests_seen) == 4
    assert sleeps.waits == [30.0, 30.0, 30.0]
    message = str(caught.value)
    assert MUSEUM in message and endpoint.url in message and "HTTP 503" in message


def test_not_found_fails_fast_without_retrying(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory()
    harvester = harvester_for(endpoint.url.replace("/oai", "/oai-old"))

    with pytest.raises(SourceUnavailable, match="HTTP 404"):
        harvester.identify()

    assert len(endpoint.requests_seen) == 1 and sleeps.waits == []


def test_html_page_instead_of_xml_is_retried_not_taken_for_an_empty_harvest(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory(faults=Faults(html_first_n=1))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert len(identifiers(pages)) == 25 and len(sleeps.waits) == 1


def test_persistent_html_answers_end_in_source_unavailable(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(faults=Faults(html_first_n=10**6))
    with pytest.raises(SourceUnavailable, match="HTML page"):
        harvester_for(endpoint, max_retries=2).identify()


def test_truncated_body_is_retried(
    endpoint_factory: Factory, harvester_for: HarvesterFor, sleeps: SleepRecorder
) -> None:
    endpoint = endpoint_factory(faults=Faults(truncate_first_n=3))
    harvester = harvester_for(endpoint, max_retries=3)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert len(identifiers(pages)) == 25 and len(sleeps.waits) == 3


def test_a_server_that_never_answers_times_out_and_is_reported(sleeps: SleepRecorder) -> None:
    with socket.socket() as silent:  # accepts connections, never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/oai"
        harvester = OaiHarvester(MUSEUM, make_source(url, timeout=0.2, max_retries=2), sleep=sleeps)
        with pytest.raises(SourceUnavailable, match="no answer within 0.2 s"):
            harvester.identify()
    assert sleeps.waits == [1.0, 2.0]


def test_a_closed_port_is_tried_twice_then_reported_in_plain_words(sleeps: SleepRecorder) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    harvester = OaiHarvester(MUSEUM, make_source(f"http://127.0.0.1:{port}/oai"), sleep=sleeps)
    with pytest.raises(SourceUnavailable, match=r"unreachable \(connection refused; 2 attempts") as failure:
        harvester.identify()
    assert "urllib3" not in str(failure.value) and "Pool" not in str(failure.value)
    assert len(sleeps.waits) == 1  # a server that is down is not knocked on five times
    stats = harvester.stats.to_json()
    assert stats["requests"] == 2 and stats["errors"] == 2 and stats["retries"] == 1


# -- damaged records --------------------------------------------------------------------------


def test_control_characters_and_bad_bytes_in_a_record_are_repaired(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(12), faults=Faults(corrupt_record_ids={oai_id(4)}))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    records = {r.oai_identifier: r for p in pages for r in p.records}
    assert sorted(records) == [oai_id(n) for n in range(12)]
    notes = [note for p in pages for note in p.repaired]
    assert any(oai_id(4) in n and "U+000B" in n for n in notes)
    assert any(oai_id(4) in n and "invalid UTF-8" in n for n in notes)
    repaired = etree.fromstring(records[oai_id(4)].payload)
    assert "\ufffd" in "".join(repaired.itertext())
    assert not any(p.quarantined for p in pages)


def test_a_record_broken_beyond_repair_is_quarantined_and_the_rest_arrive(
    endpoint_factory: Factory, harvester_for: HarvesterFor
) -> None:
    endpoint = endpoint_factory(sample_records(25), faults=Faults(break_record_ids={oai_id(13)}))
    harvester = harvester_for(endpoint)

    pages = harvest_all(harvester, harvester.start(last_success=None, full=True))

    assert sorted(identifiers(pages)) == [oai_id(n) for n in range(25) if n != 13]
    quarantined = [q for p in pages for q in p.quarantined]
    assert len(quarantined) == 1
    assert quarantined[0].local_id == "KP-0013" and oai_id(13) in quarantined[0].reason
    assert b"<unclosed>" in quarantined[0].payload
    assert pages[-1].last and pages[-1].complete_listing


# -- responses the loopback peer cannot produce: canned bytes ---------------------------------


class CannedSession(requests.Session):
    """Answers every GET with the next prepared (status, body)."""

    def __init__(self, answers: list[tuple[int, bytes]]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.params: list[dict[str, str]] = []

    def get(self, url: str | bytes, **kwargs: object) -> requests.Response:  # type: ignore[override]
        self.params.append(dict(kwargs.get("params") or {}))  # type: ignore[call-overload]
        status, body = self.answers.pop(0)
        response = requests.Response()
        response.status_code = status
        response._content = body
        response.url = str(url)
        return response


def _envelope(inner: str) -> bytes:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # a server clock far off ours would be noted
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<responseDate>{now}</responseDate><request>x</request>{inner}</OAI-PMH>"
    ).encode()


_ONE_RECORD = (
    "<record><header><identifier>oai:m.kz:1</identifier><datestamp>2024-05-01</datestamp>"
    '</header><metadata><lido:lido xmlns:lido="http://www.lido-schema.org"/></metadata></record>'
)


def _canned_harvester(answers: list[tuple[int, bytes]], **overrides: object) -> OaiHarvester:
    source = make_source("http://museum.example/oai", metadata_prefix="lido", **overrides)
    return OaiHarvester(MUSEUM, source, session=CannedSession(answers), sleep=SleepRecorder())


def _checkpoint(harvester: OaiHarvester) -> Checkpoint:
    return Checkpoint(museum_id=MUSEUM, source_type="oai-pmh", full=True, metadata_prefix="lido")


def test_no_records_match_with_a_token_still_ends_the_listing() -> None:
    body = _envelope('<error code="noRecordsMatch">nothing</error><resumptionToken>abc</resumptionToken>')
    harvester = _canned_harvester([(200, body)])
    pages = list(harvester.pages(_checkpoint(harvester)))
    assert len(pages) == 1 and pages[0].records == [] and pages[0].last


def test_an_empty_resumption_token_element_with_attributes_marks_the_end() -> None:
    body = _envelope(f'<ListRecords>{_ONE_RECORD}<resumptionToken completeListSize="1" cursor="0"/></ListRecords>')
    harvester = _canned_harvester([(200, body)])
    pages = list(harvester.pages(_checkpoint(harvester)))
    assert len(pages) == 1 and pages[0].last and len(pages[0].records) == 1


def test_oai_errors_sent_with_http_400_are_read_as_oai_errors() -> None:
    body = _envelope('<error code="badArgument">from is not a date</error>')
    harvester = _canned_harvester([(400, body)])
    with pytest.raises(BadArgument, match="from is not a date"):
        list(harvester.pages(_checkpoint(harvester)))


def test_a_record_without_metadata_is_quarantined_with_its_identifier() -> None:
    bare = "<record><header><identifier>oai:m.kz:2</identifier></header></record>"
    body = _envelope(f"<ListRecords>{_ONE_RECORD}{bare}</ListRecords>")
    harvester = _canned_harvester([(200, body)])
    page = list(harvester.pages(_checkpoint(harvester)))[0]
    assert [r.local_id for r in page.records] == ["1"]
    assert [q.local_id for q in page.quarantined] == ["2"]
    assert "oai:m.kz:2" in page.quarantined[0].reason


def test_a_record_without_an_identifier_is_quarantined_naming_its_place_on_the_page() -> None:
    nameless = "<record><header><datestamp>2024-05-01</datestamp></header><metadata/></record>"
    body = _envelope(f"<ListRecords>{_ONE_RECORD}{nameless}</ListRecords>")
    harvester = _canned_harvester([(200, body)])
    page = list(harvester.pages(_checkpoint(harvester)))[0]
    assert [r.local_id for r in page.records] == ["1"]
    assert page.quarantined[0].reason == "record #2 of its ListRecords page has no OAI identifier in its header"


def test_windows_1251_page_is_decoded_by_its_declaration() -> None:
    title = "Алтын адам"
    record = _ONE_RECORD.replace(
        '<lido:lido xmlns:lido="http://www.lido-schema.org"/>',
        f'<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:a>{title}</lido:a></lido:lido>',
    )
    body = _envelope(f"<ListRecords>{record}</ListRecords>").decode().replace("UTF-8", "windows-1251")
    harvester = _canned_harvester([(200, body.encode("cp1251"))])
    page = list(harvester.pages(_checkpoint(harvester)))[0]
    assert etree.fromstring(page.records[0].payload).findtext(f"{LIDO}a") == title
    assert page.repaired == []


# -- small pure parts -------------------------------------------------------------------------


def test_local_id_is_the_part_after_the_oai_namespace_identifier() -> None:
    assert local_id_from_oai_identifier("oai:csm.kz:KP-0001") == "KP-0001"
    assert local_id_from_oai_identifier("oai:museum.gov.kz:fonds:KP:12") == "fonds:KP:12"
    assert local_id_from_oai_identifier("urn:nbn:kz:123") == "urn:nbn:kz:123"
    assert local_id_from_oai_identifier("12345") == "12345"


def test_from_is_written_in_the_endpoint_granularity_in_utc() -> None:
    almaty = datetime(2024, 2, 1, 3, 15, tzinfo=UTC) + timedelta()  # already UTC
    assert format_from(almaty, "YYYY-MM-DDThh:mm:ssZ") == "2024-02-01T03:15:00Z"
    assert format_from(almaty, "YYYY-MM-DD") == "2024-02-01"
    assert format_from(datetime(2024, 2, 1, 23, 59), "YYYY-MM-DD") == "2024-02-01"


def test_retry_after_reads_seconds_http_dates_and_rejects_garbage() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120.0
    assert parse_retry_after("Wed, 01 May 2024 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


def test_repair_removes_forbidden_characters_and_character_references() -> None:
    repaired = repair_xml_bytes(b"<a>x\x0by&#11;z&#65;\x1a</a>")
    assert repaired.text == "<a>xyz&#65;</a>"
    assert len(repaired.fixes) == 3
    assert etree.fromstring(repaired.utf8()).text == "xyzA"


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(max_retries=10, base_delay=1.0, max_delay=8.0)
    assert [backoff_delay(n, policy) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]

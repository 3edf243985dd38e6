"""Broken and hostile OAI-PMH endpoints (issue 13): bounded time, bounded memory, nothing lost, one clear line.

Every fault here ends within seconds because the limits are small; the
limits themselves (4 h per museum, 64 MiB per response in production) are
what bench_hostile.py runs against.  Time bounds asserted below are
correctness bounds (deadline + one read timeout + slack), not performance
targets.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from aggregator.pipeline import Pipeline
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, RawRow
from config.registry import Museum
from demo.oai_endpoint import Faults, OaiEndpoint
from harvester.errors import (
    CompleteListSizeExceeded,
    DeadlineExceeded,
    NoNewRecords,
    OAIError,
    RepeatedResumptionToken,
    ResponseTooLarge,
    SourceUnavailable,
)
from harvester.listing_guard import STALE_PAGES
from harvester.oai import OaiHarvester
from tests.faults.conftest import MUSEUM, MiB, assert_one_clear_line, harvest, oai_source, small_policy
from tests.faults.hostile_endpoint import SECRET_MARKER, HostileEndpoint
from tests.harvester.conftest import sample_records

ROOT = Path(__file__).resolve().parents[2]
Hostile = Callable[..., HostileEndpoint]
HarvesterFor = Callable[..., OaiHarvester]
SLACK = 3.0  # seconds a loaded 2-core CI machine may add to a bounded wait


# -- bounded time -----------------------------------------------------------------------------


def test_endless_fresh_tokens_stop_at_the_museum_deadline_and_keep_every_page(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("endless_tokens", page_size=20)
    harvester = harvester_for(endpoint, max_seconds=3, timeout=2)

    outcome = harvest(harvester)

    assert isinstance(outcome.error, DeadlineExceeded)
    assert outcome.seconds < 3 + 2 + SLACK
    message = assert_one_clear_line(outcome.error, url=endpoint.url, says="resumes from the checkpoint")
    assert f"{len(outcome.pages)} page(s)" in message and "time limit" in message
    assert outcome.pages and len(set(outcome.identifiers)) == 20 * len(outcome.pages)
    # The last delivered page's checkpoint continues where the endpoint left off.
    resumed = harvester_for(endpoint, max_seconds=30)
    token = outcome.pages[-1].checkpoint.resumption_token
    first = next(resumed.pages(outcome.pages[-1].checkpoint))
    assert token and first.records[0].oai_identifier == f"oai:hostile.kz:endless-{20 * len(outcome.pages):07d}"


def test_a_server_dripping_one_byte_at_a_time_is_cut_off_per_response(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("drip", fault_after_pages=1, drip_interval=0.2)
    harvester = harvester_for(endpoint, policy=small_policy(max_response_seconds=1.5), max_retries=1, timeout=5)

    outcome = harvest(harvester)

    assert isinstance(outcome.error, SourceUnavailable)
    assert outcome.seconds < 2 * 1.5 + SLACK  # two attempts of 1.5 s each, though no read ever timed out
    assert_one_clear_line(outcome.error, url=endpoint.url, says="did not arrive in full within 1.5 s")
    assert len(outcome.identifiers) == 10  # the healthy first page is delivered


def test_a_dripping_server_ends_at_the_museum_deadline_even_with_patient_per_response_limits(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("drip", drip_interval=0.2)
    harvester = harvester_for(endpoint, max_seconds=2, timeout=5)

    outcome = harvest(harvester)

    assert isinstance(outcome.error, DeadlineExceeded)
    assert outcome.seconds < 2 + SLACK
    assert_one_clear_line(outcome.error, url=endpoint.url, says="0 page(s)")


def test_a_server_that_accepts_and_never_answers_ends_at_the_deadline_with_real_waits(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("stall", fault_after_pages=1)
    harvester = harvester_for(endpoint, max_seconds=4, timeout=1, max_retries=10, sleep=time.sleep)

    outcome = harvest(harvester)

    assert isinstance(outcome.error, DeadlineExceeded)
    assert outcome.seconds < 4 + 1 + SLACK  # backoff waits never run past the deadline
    assert_one_clear_line(outcome.error, url=endpoint.url, says="1 page(s) (10 records)")


def test_a_retry_after_beyond_the_deadline_is_not_waited_for() -> None:
    waits: list[float] = []
    faults = Faults(fail_first_n_with_503=1, retry_after="3600")
    with OaiEndpoint(sample_records(5), name="Busy museum", formats=["lido"], faults=faults) as endpoint:
        harvester = OaiHarvester(
            MUSEUM, oai_source(endpoint.url), policy=small_policy(), deadline=time.monotonic() + 20, sleep=waits.append
        )
        outcome = harvest(harvester)

    assert isinstance(outcome.error, DeadlineExceeded)
    assert waits == []
    assert "would start after the time limit" in str(outcome.error)


def test_a_hung_museum_does_not_keep_the_healthy_ones_after_it_from_being_harvested(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    hung, healthy = hostile("stall"), hostile("healthy", records=25)
    started = time.monotonic()

    outcomes = [harvest(harvester_for(e, max_seconds=2, timeout=1, sleep=time.sleep)) for e in (hung, healthy)]

    assert isinstance(outcomes[0].error, DeadlineExceeded)
    assert outcomes[1].error is None and len(outcomes[1].identifiers) == 25
    assert time.monotonic() - started < 2 + 1 + SLACK


# -- listings that never end ------------------------------------------------------------------


def test_the_same_record_with_fresh_tokens_is_stopped_after_pages_with_nothing_new(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("repeat_record", fault_after_pages=2)

    outcome = harvest(harvester_for(endpoint))

    assert isinstance(outcome.error, NoNewRecords)
    message = assert_one_clear_line(outcome.error, url=endpoint.url, says="brought no record not already seen")
    assert f"last {STALE_PAGES} pages" in message
    # the next page may already be asked for while the page that fires the rule is read
    assert len(endpoint.list_records_requests()) in (2 + 1 + STALE_PAGES, 2 + 1 + STALE_PAGES + 1)  # not 200,000
    assert set(outcome.identifiers[:20]) == {f"oai:hostile.kz:obj-{n:05d}" for n in range(20)}


def test_a_token_handed_back_again_stops_the_listing(hostile: Hostile, harvester_for: HarvesterFor) -> None:
    endpoint = hostile("repeat_token")

    outcome = harvest(harvester_for(endpoint))

    assert isinstance(outcome.error, RepeatedResumptionToken)
    assert_one_clear_line(outcome.error, url=endpoint.url, says="again")
    assert len(outcome.pages) == 1 and len(endpoint.list_records_requests()) == 2


def test_a_listing_far_beyond_its_complete_list_size_is_stopped(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("list_size_lie", page_size=100)

    outcome = harvest(harvester_for(endpoint))

    assert isinstance(outcome.error, CompleteListSizeExceeded)
    assert_one_clear_line(outcome.error, url=endpoint.url, says="promised completeListSize 10")
    assert len(outcome.identifiers) == 1000  # 2 x 10 + 1000 = 1020 allowed; the 11th page would pass it


def test_a_healthy_listing_passes_every_rule(hostile: Hostile, harvester_for: HarvesterFor) -> None:
    endpoint = hostile("healthy", records=95, page_size=10)

    outcome = harvest(harvester_for(endpoint))

    assert outcome.error is None and len(set(outcome.identifiers)) == 95
    assert outcome.pages[-1].last and outcome.pages[-1].complete_listing


# -- bounded memory ---------------------------------------------------------------------------


def _child_harvest(url: str, *args: str) -> dict[str, object]:
    """Harvest in a subprocess; its own peak RSS comes back in the JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.harvest_child", url, "--museum", MUSEUM, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("behaviour", "size"),
    [("oversized", 300 * MiB), ("gzip_bomb", 1200 * MiB)],
    ids=["300MB-page", "gzip-1.2GB-inflated"],
)
def test_an_oversized_page_fails_with_a_reason_in_bounded_memory(
    hostile: Hostile, behaviour: str, size: int
) -> None:
    endpoint = hostile(behaviour, oversize_bytes=size)

    result = _child_harvest(endpoint.url, "--max-response-bytes", str(16 * MiB), "--max-seconds", "60")

    assert result["outcome"] == "ResponseTooLarge"
    assert float(result["peak_rss_mb"]) < 400  # baseline ~60 MB + the 16 MiB cap; was 2.85-6.2 GB
    message = str(result["message"])
    assert_one_clear_line(message, url=endpoint.url, says="larger than 16 MiB after decompression")
    assert "smaller pages" in message


def test_a_large_page_under_the_cap_is_harvested_in_bounded_memory(hostile: Hostile) -> None:
    endpoint = hostile("oversized", oversize_bytes=12 * MiB)

    result = _child_harvest(endpoint.url, "--max-response-bytes", str(16 * MiB))

    assert result["outcome"] == "ok" and int(result["records"]) > 5000  # type: ignore[call-overload]
    assert float(result["peak_rss_mb"]) < 400  # type: ignore[arg-type]


def test_pages_before_an_oversized_one_are_delivered(hostile: Hostile, harvester_for: HarvesterFor) -> None:
    endpoint = hostile("gzip_bomb", fault_after_pages=2, oversize_bytes=100 * MiB)

    outcome = harvest(harvester_for(endpoint, policy=small_policy(max_response_bytes=4 * MiB)))

    assert isinstance(outcome.error, ResponseTooLarge)
    assert_one_clear_line(outcome.error, url=endpoint.url, says="larger than 4 MiB after decompression")
    assert len(outcome.identifiers) == 20
    assert outcome.pages[-1].checkpoint.resumption_token  # the next run resumes at the big page


# -- the server's clock -----------------------------------------------------------------------


def _museum(url: str) -> Museum:
    return Museum.model_validate(
        {"id": MUSEUM, "name": {"en": "Hostile museum"}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": url}}
    )


def test_a_server_clock_in_2099_loses_no_record_added_later(sqlite_db: Database, hostile: Hostile) -> None:
    endpoint = hostile("future_date", records=50)
    pipeline = Pipeline(sqlite_db)

    first = pipeline.harvest(_museum(endpoint.url), full=True)
    endpoint.add_records(10)  # dated now, on the museum's (real) calendar
    second = pipeline.harvest(_museum(endpoint.url))

    assert first.ok and first.new == 50
    assert second.ok and second.mode == "incremental" and second.new == 10
    with sqlite_db.session() as session:
        assert session.query(RawRow).filter_by(museum_id=MUSEUM).count() == 60
        assert session.query(CoreRow).filter_by(museum_id=MUSEUM).count() == 60
    asked_from = endpoint.list_records_requests()[-1].get("from") or ""
    assert asked_from and asked_from < datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert any("clock" in note and "2099" in note for note in first.notes)


def test_a_last_run_dated_in_our_future_lists_everything_without_deleting(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("healthy", records=15)
    harvester = harvester_for(endpoint)

    outcome = harvest(harvester, full=False, last_success=datetime(2099, 1, 1, tzinfo=UTC))

    assert outcome.error is None and len(outcome.identifiers) == 15
    assert "from" not in endpoint.list_records_requests()[0]
    assert not outcome.pages[-1].complete_listing  # no sweep on such a listing
    assert any("later than the harvester's clock" in note for note in outcome.notes)


def test_record_datestamps_far_in_the_future_are_noted_and_kept(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("healthy", records=5)
    endpoint.add_records(3, datestamp=datetime.now(UTC) + timedelta(days=400))

    outcome = harvest(harvester_for(endpoint))

    assert len(outcome.identifiers) == 8
    assert any("3 record(s) on this page are dated more than a day after" in note for note in outcome.notes)


# -- what a server says never becomes our message -----------------------------------------------


def test_html_instead_of_xml_is_a_clear_failure_without_the_page(hostile: Hostile, harvester_for: HarvesterFor) -> None:
    endpoint = hostile("html", fault_after_pages=1)

    outcome = harvest(harvester_for(endpoint))

    assert isinstance(outcome.error, SourceUnavailable)
    assert_one_clear_line(outcome.error, url=endpoint.url, says="the answer is an HTML page")
    assert len(outcome.identifiers) == 10


def test_random_disconnects_mid_body_are_retried_and_nothing_is_lost_or_doubled(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("disconnect", records=60, disconnect_rate=0.4, seed=3)

    outcome = harvest(harvester_for(endpoint, max_retries=8))

    assert outcome.error is None
    assert sorted(outcome.identifiers) == [f"oai:hostile.kz:obj-{n:05d}" for n in range(60)]
    assert len(endpoint.requests_seen) > 2 + 6  # some answers really were cut


def test_a_connection_cut_on_every_answer_ends_with_the_pages_before_it(
    hostile: Hostile, harvester_for: HarvesterFor
) -> None:
    endpoint = hostile("disconnect", fault_after_pages=1, disconnect_rate=1.0)

    outcome = harvest(harvester_for(endpoint))

    assert isinstance(outcome.error, SourceUnavailable)
    assert_one_clear_line(outcome.error, url=endpoint.url, says="gave up after 3 attempts")
    assert len(outcome.identifiers) == 10


class _OaiErrorSession(requests.Session):
    """Answers with an OAI error whose message is long, multi-line and full of control characters."""

    def get(self, url: str | bytes, **kwargs: object) -> requests.Response:  # type: ignore[override]
        junk = f"{SECRET_MARKER}\n\x1b[31m" + "A" * 5000
        body = (
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>'
            f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}</responseDate>"
            f'<error code="badArgument">bad\r\nthing {junk}</error></OAI-PMH>'
        ).encode()
        response = requests.Response()
        response.status_code, response._content, response.url = 200, body, str(url)
        return response


def test_an_oai_error_message_from_the_server_is_cut_to_a_short_printable_excerpt() -> None:
    source = oai_source("http://museum.example/oai", metadata_prefix="oai_dc")
    harvester = OaiHarvester(MUSEUM, source, session=_OaiErrorSession(), policy=small_policy())

    with pytest.raises(OAIError) as caught:
        harvester.identify()

    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message and len(message) < 400
    assert "badArgument" in message and "bad thing" in message

"""A scheduled pass on a PostgreSQL store: the museums go to the job queue, real workers harvest them, and
the morning report describes what the workers did.

The scheduler's process only enqueues and waits (workers may run on other
machines); when the night's limit passes with a museum's job still queued,
the report says that museum was not run rather than waiting forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from aggregator.catalogue import Catalogue
from aggregator.ops.service import Operations
from aggregator.store.database import Database
from aggregator.store.models import HarvestRun
from demo.oai_endpoint import OaiEndpoint
from tests.conftest import _postgres_database
from tests.ops.conftest import records

pytestmark = pytest.mark.postgres

SIZES = {"kz-queue-a": 30, "kz-queue-b": 20}


@pytest.fixture
def pg_db() -> Iterator[Database]:
    yield from _postgres_database()


def _configure(folder: Path, peers: dict[str, OaiEndpoint], db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir()
    museums = [
        {"id": museum_id, "name": {"en": museum_id}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": p.url}}
        for museum_id, p in peers.items()
    ]
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
    for key, value in {
        "EMUSEUM_CONFIG": str(folder),
        "EMUSEUM_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "EMUSEUM_INDEX_URL": "sqlite",
        "EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.0/8",
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def peers() -> Iterator[dict[str, OaiEndpoint]]:
    with (
        OaiEndpoint(records("kz-queue-a", SIZES["kz-queue-a"]), name="A", formats=["lido"], batch_size=10) as a,
        OaiEndpoint(records("kz-queue-b", SIZES["kz-queue-b"]), name="B", formats=["lido"], batch_size=10) as b,
    ):
        yield {"kz-queue-a": a, "kz-queue-b": b}


def test_a_pass_on_the_queue_waits_for_the_workers_and_reports_their_runs(
    pg_db: Database, peers: dict[str, OaiEndpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(tmp_path / "config", peers, pg_db, monkeypatch)
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [sys.executable, "-m", "aggregator", "worker", "--name", "night-worker"], env=dict(os.environ),
        stdout=log, stderr=log,
    )  # fmt: skip
    try:
        with Catalogue.open() as catalogue:
            outcome = Operations(catalogue).run_pass(
                "nightly", datetime(2026, 11, 29, 20, 0, tzinfo=UTC), None, queue=True, poll_seconds=0.3,
                deliver_report=False,
            )  # fmt: skip
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()

    museums = {m["id"]: m for region in outcome.report["regions"] for m in region["museums"]}
    assert {museum_id: museums[museum_id]["status"] for museum_id in SIZES} == dict.fromkeys(SIZES, "succeeded")
    assert {museum_id: museums[museum_id]["records"] for museum_id in SIZES} == SIZES
    assert outcome.report["totals"]["succeeded"] == 2
    with pg_db.session() as session:
        runs = session.scalars(select(HarvestRun)).all()
    assert {run.museum_id for run in runs} == set(SIZES)
    assert {run.pass_id for run in runs} == {outcome.pass_id}, "the workers' runs belong to the pass"
    assert "night-worker" in (tmp_path / "worker.log").read_text(encoding="utf-8", errors="replace")


def test_without_a_worker_the_pass_ends_at_the_nights_limit_and_says_who_was_not_run(
    pg_db: Database, peers: dict[str, OaiEndpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(tmp_path / "config", peers, pg_db, monkeypatch)
    monkeypatch.setenv("EMUSEUM_MAX_SECONDS_PER_NIGHT", "2")
    with Catalogue.open() as catalogue:
        outcome = Operations(catalogue).run_pass(
            "nightly", datetime(2026, 11, 29, 20, 0, tzinfo=UTC), None, queue=True, poll_seconds=0.2,
            deliver_report=False,
        )  # fmt: skip
    museums = {m["id"]: m for region in outcome.report["regions"] for m in region["museums"]}
    assert {museums[museum_id]["status"] for museum_id in SIZES} == {"not_run"}, museums
    assert outcome.report["totals"]["succeeded"] == 0

"""Harvest jobs on real worker processes: one is SIGKILLed mid-harvest, and nothing is lost or doubled.

Four museums (real OAI-PMH peers on 127.0.0.1, each page served slowly so a
harvest takes seconds) are put on the queue with ``emuseum harvest --all
--enqueue``.  Workers w1 and w2 start; once w1 has committed pages of a run,
it is killed with SIGKILL; w3 starts (two jobs at a time, in threads).  A live worker's sweep sees w1's job
stalled, marks its run interrupted and puts the job back; w2 or w3 resumes the
run from its checkpoint.  At the end every museum's store equals its peer,
record for record, and the OpenSearch index holds each museum's records.

The test prints what happened (pytest -s shows it): which worker died where,
which job was retried on which worker, and the counts against the peers.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pytest
import yaml
from lxml import etree
from sqlalchemy import func, select, text

from aggregator.index.open import open_engine
from aggregator.index.query import SearchQuery
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, HarvestRun, RawRow, StagedRecord
from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido
from tests.aggregator.engines import engine_url
from tests.conftest import _postgres_database

pytestmark = [pytest.mark.postgres, pytest.mark.opensearch]

SIZES = {"kz-jobs-a": 120, "kz-jobs-b": 90, "kz-jobs-c": 100, "kz-jobs-d": 70}
PAGE_DELAY = 0.3  # seconds per page of 10 records: a museum takes 2-4 s, long enough to be killed in
STALLED_AFTER = 6  # seconds of silence before a worker is taken for dead (heartbeat every 1.5 s)


def _records(museum_id: str, count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(museum_id, count, seed=21, region="KZ-75", base_url="https://m.example/")
    return [
        EndpointRecord(
            identifier=f"oai:{museum_id}.kz:{o.local_id}",
            datestamp=datetime(2025, 1, 1),
            metadata={"lido": to_lido(o, museum_id)},
        )
        for o in objects
        if not o.deleted
    ]


@pytest.fixture
def pg_db() -> Iterator[Database]:
    yield from _postgres_database()


@pytest.fixture
def peers() -> Iterator[dict[str, OaiEndpoint]]:
    with ExitStack() as stack:
        yield {
            museum_id: stack.enter_context(
                OaiEndpoint(_records(museum_id, count), name=museum_id, formats=["lido"], batch_size=10,
                            faults=Faults(page_delay=PAGE_DELAY))  # fmt: skip
            )
            for museum_id, count in SIZES.items()
        }


class Workers:
    """``emuseum worker`` processes started, killed and stopped by their own PIDs, with their logs."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.files: list[BinaryIO] = []

    def start(self, name: str, concurrency: int = 1) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop_all
        self.files.append(log)
        args = ["worker", "--name", name, "--stalled-after", str(STALLED_AFTER), "--concurrency", str(concurrency)]
        proc = subprocess.Popen([sys.executable, "-m", "aggregator", *args], env=self.env, stdout=log, stderr=log)
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # graceful: finish the running job, take no more
        for proc in self.procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for file in self.files:
            file.close()


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=120
    )


def _wait(what: str, check: Callable[[], object], timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


_PARSER = etree.XMLParser(remove_blank_text=True)


def _canonical(xml: bytes) -> bytes:
    """The record's XML, whatever indentation the OAI response wrapped it in."""
    return etree.tostring(etree.fromstring(xml, _PARSER), method="c14n")


def test_a_worker_killed_mid_harvest_costs_nothing(pg_db: Database, peers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    say: list[str] = []
    began = time.monotonic()

    def note(line: str) -> None:
        say.append(f"{datetime.now():%H:%M:%S} +{time.monotonic() - began:5.1f}s {line}")
        print(f"[worker-kill] {say[-1]}", flush=True)

    config = tmp_path / "config"
    config.mkdir()
    museums = [
        {"id": museum_id, "name": {"en": museum_id}, "region": "KZ-75",
         "source": {"type": "oai-pmh", "url": peer.url, "max_retries": 1}}  # fmt: skip
        for museum_id, peer in peers.items()
    ]
    (config / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
    alias = f"test-jobs-{os.getpid()}-{time.monotonic_ns() % 10**8}"
    index_url = engine_url("opensearch", alias)
    env = {**os.environ, "EMUSEUM_DATABASE_URL": pg_db.engine.url.render_as_string(hide_password=False),
           "EMUSEUM_INDEX_URL": index_url, "EMUSEUM_CONFIG": str(config)}  # fmt: skip
    workers = Workers(env, tmp_path)
    engine = open_engine(index_url)
    try:
        queued = _emuseum(["harvest", "--all", "--enqueue"], env)
        assert queued.returncode == 0, queued.stderr
        note("enqueued: " + "; ".join(queued.stdout.strip().splitlines()))
        again = _emuseum(["harvest", "kz-jobs-a", "--enqueue"], env)
        assert again.stdout.strip() == "harvest kz-jobs-a: already queued (see emuseum jobs)", again.stdout

        w1, w2 = workers.start("w1"), workers.start("w2")
        note(f"started w1 (pid {w1.pid}) and w2 (pid {w2.pid}), one job at a time each")

        def w1_mid_run() -> tuple[str, int, int] | None:
            with pg_db.session() as session:
                run = session.scalars(
                    select(HarvestRun).where(HarvestRun.owner.like(f"%:{w1.pid}"), HarvestRun.status == "running",
                                             HarvestRun.pages >= 2)  # fmt: skip
                ).first()
                return (run.museum_id, run.id, run.pages) if run else None

        museum, run_id, pages = _wait("w1 to commit 2 pages of a run", w1_mid_run, 60)  # type: ignore[misc]
        w1.send_signal(signal.SIGKILL)
        w1.wait()
        note(f"SIGKILL w1 (pid {w1.pid}) while harvesting {museum}: run {run_id} at page {pages} "
             f"of {-(-SIZES[museum] // 10)}")  # fmt: skip
        w3 = workers.start("w3", concurrency=2)
        note(f"started w3 (pid {w3.pid}), two jobs at a time")

        def all_done() -> bool:
            with pg_db.engine.connect() as conn:
                statuses = conn.execute(
                    text("SELECT status::text FROM procrastinate_jobs WHERE task_name = 'emuseum.harvest'")
                ).scalars().all()
            return len(statuses) == len(SIZES) and all(s == "succeeded" for s in statuses)

        _wait("every harvest job to succeed", all_done, 180)
        listing = json.loads(_emuseum(["jobs", "--json"], env).stdout)
        note(f"emuseum jobs: {listing['counts']}")
        for job in sorted(listing["jobs"], key=lambda j: j["id"]):
            note(f"  job {job['id']} {job['task']} {job['args'].get('museum_id')}: {job['status']}, "
                 f"attempts {job['attempts']}")  # fmt: skip

        logs = {name: workers.log(name) for name in ("w1", "w2", "w3")}
        for name, log in logs.items():
            for line in log.splitlines():
                if "stalled job" in line:  # the log line's own time says when the stall was seen
                    clock = re.search(r"\d\d:\d\d:\d\d", line)
                    seen = clock.group(0) if clock else "?"
                    note(f"{name} swept at {seen}: {line.split('emuseum.jobs.stalled ', 1)[-1]}")
        started = re.compile(r"job (\d+) attempt (\d+): harvest museum=(\S+) on worker (\S+)")
        starts = [(name, m) for name, log in logs.items() for m in started.finditer(log)]
        for name, match in sorted(starts, key=lambda s: (int(s[1].group(1)), int(s[1].group(2)))):
            note(f"job {match.group(1)} attempt {match.group(2)} ({match.group(3)}) ran on {name}")
        killed_job = next(job for job in listing["jobs"] if job["args"].get("museum_id") == museum)
        retried_on = [n for n, m in starts if m.group(3) == museum and m.group(2) == "2"]
        assert killed_job["attempts"] == 2 and killed_job["status"] == "done"  # procrastinate counts tries
        assert retried_on and retried_on[0] in ("w2", "w3"), starts
        assert any(f"stalled job {killed_job['id']} " in log for log in logs.values())

        with pg_db.session() as session:
            runs = session.scalars(select(HarvestRun).where(HarvestRun.museum_id == museum)).all()
            [interrupted] = [r for r in runs if r.id == run_id]
            assert interrupted.status == "succeeded" and interrupted.resumed >= 1, interrupted.error
            note(f"run {run_id} of {museum}: {interrupted.status} after {interrupted.resumed} resume(s), "
                 f"{interrupted.pages} pages")  # fmt: skip
            engine.refresh()
            for museum_id, peer in peers.items():
                truth = {r.identifier: _canonical(r.metadata["lido"]) for r in peer.records()}
                live = select(RawRow).where(RawRow.museum_id == museum_id, RawRow.deleted.is_(False))
                raws = session.scalars(live).all()
                stored = {r.oai_identifier: _canonical(r.payload) for r in raws}
                cores = session.scalar(select(func.count()).select_from(CoreRow).where(CoreRow.museum_id == museum_id))
                indexed = engine.search(SearchQuery(filters={"museum": [museum_id]}, size=0)).total
                note(f"{museum_id}: peer {len(truth)}, store raw {len(stored)}, core {cores}, index {indexed}")
                assert stored == truth, museum_id
                assert cores == len(truth) and indexed == len(truth), museum_id
            assert session.scalar(select(func.count()).select_from(StagedRecord)) == 0
    finally:
        workers.stop_all()
        engine.drop()
        engine.close()
        (tmp_path / "worker-kill.txt").write_text("\n".join(say) + "\n", encoding="utf-8")

"""Harvest jobs on procrastinate workers: jobs/s and records/s with 1 and 2 worker processes.

Run: ``.venv/bin/python -m benchmarks.bench_jobs [--quick] [--postgres URL] [--opensearch URL]``
(URLs default to EMUSEUM_TEST_POSTGRES_URL / EMUSEUM_TEST_OPENSEARCH_URL).

Two workloads, each into a fresh PostgreSQL database with an OpenSearch alias:

* **big museums** (records/s): a few museums of many records; the work is
  fetching, mapping and writing, and the queue's cost hides in it.
* **small museums** (jobs/s): many museums of a few records; what is left is
  each job's fixed cost (queue round trips, opening a Catalogue, a run's
  begin/decide/apply, an index sync).

Each is measured four ways in the same run: the baselines are today's
``emuseum harvest --all`` in one process (``--workers 1``) and with two
worker processes (``--workers 2``, aggregator/harvest_pool.py); then the same
museums as queued jobs taken by 1 and by 2 ``emuseum worker`` processes.
Queue figures are timed from the first job's start to the last job's end
(procrastinate's event log), so a worker's own start-up (about 5 s of imports
on a loaded machine) is left out and reported separately.  Two loopback
peers in child processes serve the museums (the museums alternate between them).

Besides wall time, the harvesting processes' CPU seconds are reported (the
workers' from their first job on, or the CLI process's and its pool's): on a
shared machine they drift far less with other people's load than seconds do,
and they are what a capacity estimate divides by.  PostgreSQL's, OpenSearch's
and the peers' CPU are not in them.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import yaml
from sqlalchemy import create_engine, func, select, text

from aggregator.catalogue import Catalogue
from aggregator.index.open import open_engine
from aggregator.jobs.enqueue import enqueue_harvests
from aggregator.store.database import open_database
from aggregator.store.models import CoreRow
from benchmarks.measure import machine_line, print_table, rate, stopwatch
from benchmarks.sample_fund import BENCH_REGIONS, fund, served_fund
from demo.samples import to_lido
from harvester.raw import RawRecord
from mappings.formats import map_raw

__all__ = ["main"]


def _warm_up() -> None:
    """Mapping tables and imports warm in this process before the in-process baseline is timed
    (a worker process warms up on its first job, and its start-up is reported apart)."""
    for obj in fund(60, museum_index=7, seed=99):
        map_raw(RawRecord(obj.museum_id, obj.local_id, "lido", to_lido(obj, "warm-up")))


@contextmanager
def _fresh_database(admin_url: str) -> Iterator[str]:
    name = f"emuseum_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _config(folder: Path, museums: int, peers: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    entries = [
        {"id": f"bench-job-{i + 1:03d}", "name": {"en": f"Bench {i + 1}"}, "region": BENCH_REGIONS[i % 8],
         "source": {"type": "oai-pmh", "url": peers[i % len(peers)], "timeout": 120, "max_retries": 2}}  # fmt: skip
        for i in range(museums)
    ]
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": entries}), encoding="utf-8")
    return folder


def _environment(database_url: str, index_url: str, config: Path) -> dict[str, str]:
    return {**os.environ, "EMUSEUM_DATABASE_URL": database_url, "EMUSEUM_INDEX_URL": index_url,
            "EMUSEUM_CONFIG": str(config)}  # fmt: skip


def _stored(database_url: str) -> int:
    db = open_database(database_url)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(CoreRow)) or 0)
    finally:
        db.dispose()


def _own_cpu() -> float:
    """CPU seconds of this process and of its reaped children (the --workers pool)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (/proc/PID/stat: utime + stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _in_process(env: dict[str, str], workers: int) -> tuple[float, float, int]:
    """The baseline: ``emuseum harvest --all --workers N`` as the CLI runs it, in this process."""
    saved = dict(os.environ)
    os.environ.update(env)
    before = _own_cpu()
    try:
        with Catalogue.open(env["EMUSEUM_CONFIG"]) as catalogue, stopwatch() as watch:
            summaries = catalogue.harvest(workers=workers)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    cpu = _own_cpu() - before
    failed = [s.line() for s in summaries if not s.ok]
    if failed:
        raise RuntimeError(f"baseline harvest failed: {failed[:3]}")
    return watch.wall, cpu, _stored(env["EMUSEUM_DATABASE_URL"])


def _queued(
    env: dict[str, str], museums: int, workers: int, logs: Path | None
) -> tuple[float, float, float, float, int]:
    """Enqueue every museum, start N workers, wait for the last job.

    Returns (enqueue s, worker start-up s, span s, workers' CPU s from the first job on, records stored).
    """
    database_url = env["EMUSEUM_DATABASE_URL"]
    open_database(database_url).dispose()  # the queue's tables, before anything is timed
    ids = [f"bench-job-{i + 1:03d}" for i in range(museums)]
    with stopwatch() as enqueueing:
        queued = enqueue_harvests(database_url, ids)
    assert all(q.job_id is not None for q in queued)
    engine = create_engine(database_url)
    procs = []
    launched = time.monotonic()
    stack = ExitStack()
    try:
        for n in range(workers):
            log = stack.enter_context(open(logs / f"{museums}-{workers}-w{n + 1}.log", "wb")) if logs else None
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "aggregator", "worker", "--name", f"bench-w{n + 1}"],
                env=env, stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
            ))  # fmt: skip
        deadline = time.monotonic() + 3600
        cpu_at_start: float | None = None
        cpu = 0.0
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                counted = conn.execute(text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1"))
                states = dict(counted.all())
            if states.get("failed"):
                raise RuntimeError(f"{states['failed']} job(s) failed; see emuseum jobs")
            if cpu_at_start is None and (states.get("doing") or states.get("succeeded")):
                cpu_at_start = sum(_process_cpu(p.pid) for p in procs)  # start-up imports left out
            if states.get("succeeded") == museums:
                cpu = sum(_process_cpu(p.pid) for p in procs) - (cpu_at_start or 0.0)
                break
            time.sleep(0.2)
        with engine.connect() as conn:
            first, last = conn.execute(text(
                "SELECT min(at) FILTER (WHERE type = 'started'), max(at) FILTER (WHERE type = 'succeeded') "
                "FROM procrastinate_events"
            )).one()  # fmt: skip
            first_start = conn.execute(text("SELECT extract(epoch FROM now() - min(at)) FROM procrastinate_events "
                                            "WHERE type = 'started'")).scalar()  # fmt: skip
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=120)
        engine.dispose()
        stack.close()
    startup = (time.monotonic() - launched) - float(first_start)  # from launch to the first job's start
    return enqueueing.wall, startup, (last - first).total_seconds(), cpu, _stored(database_url)


def _workload(
    title: str, museums: int, records: int, page: int, pg: str, os_url: str, tmp: Path, logs: Path | None
) -> None:
    rows = []
    with ExitStack() as stack:
        peers = [stack.enter_context(served_fund(records, page_size=page, seed=7 + n))[0] for n in range(2)]
        config = _config(tmp / title.replace(" ", "-"), museums, peers)
        expected = museums * records
        for label, kind, workers in (
            ("harvest --all --workers 1 (baseline)", "cli", 1),
            ("harvest --all --workers 2 (baseline)", "cli", 2),
            ("1 emuseum worker", "queue", 1),
            ("2 emuseum workers", "queue", 2),
        ):
            with _fresh_database(pg) as database_url:
                alias = f"bench-jobs-{uuid.uuid4().hex[:8]}"
                index_url = f"opensearch+{os_url.rstrip('/')}/{alias}?replicas=0"
                env = _environment(database_url, index_url, config)
                try:
                    if kind == "cli":
                        seconds, cpu, stored = _in_process(env, workers)
                        extra = ""
                    else:
                        enqueue, startup, seconds, cpu, stored = _queued(env, museums, workers, logs)
                        extra = f"enqueue {museums} jobs {enqueue:.2f} s; worker start-up {startup:.1f} s"
                finally:
                    index = open_engine(index_url)
                    index.drop()
                    index.close()
                if stored != expected:
                    raise RuntimeError(f"{label}: stored {stored} of {expected} records")
                per_record = 1000 * cpu / expected
                rows.append((label, seconds, rate(museums, seconds), rate(expected, seconds), cpu, per_record, extra))
                print(f"  {title}: {label}: {seconds:.1f} s, CPU {cpu:.1f} s {extra} ({machine_line()})", flush=True)
    print_table(
        f"{title}: {museums} museums x {records} records, {page} per page, PostgreSQL + OpenSearch",
        ("how", "seconds", "jobs/s", "records/s", "harvester CPU s", "CPU ms/record", "queue"),
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller workloads: a smoke run")
    parser.add_argument("--postgres", default=os.environ.get("EMUSEUM_TEST_POSTGRES_URL"))
    parser.add_argument("--opensearch", default=os.environ.get("EMUSEUM_TEST_OPENSEARCH_URL"))
    parser.add_argument("--logs", type=Path, help="keep the workers' logs in this folder")
    args = parser.parse_args(argv)
    if not args.postgres or not args.opensearch:
        parser.error("needs --postgres and --opensearch (or EMUSEUM_TEST_POSTGRES_URL / EMUSEUM_TEST_OPENSEARCH_URL)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop workers and drop databases on the way out
    print(f"bench_jobs: {machine_line()}")
    _warm_up()
    with tempfile.TemporaryDirectory(prefix="emuseum-bench-jobs-") as tmp:
        big = (4, 300) if args.quick else (8, 500)
        small = (12, 5) if args.quick else (40, 10)
        _workload("big museums", big[0], big[1], 100, args.postgres, args.opensearch, Path(tmp), args.logs)
        _workload("small museums", small[0], small[1], 10, args.postgres, args.opensearch, Path(tmp), args.logs)
    print(f"\nfinished: {machine_line()}")


if __name__ == "__main__":
    main()

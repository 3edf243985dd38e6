"""The job queue in the store's PostgreSQL: locks, "already queued", the listing, and dead workers' jobs.

Real procrastinate on the real database; the dead worker is a worker row
whose heartbeat stopped, holding a job it fetched, as a SIGKILL leaves it
(tests/e2e/test_worker_kill.py kills real worker processes).
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import text

from aggregator.jobs.app import app, connector
from aggregator.jobs.enqueue import enqueue_harvests, enqueue_reindex, enqueue_remap
from aggregator.jobs.queries import job_counts, list_jobs
from aggregator.jobs.stalled import Recovery, recover_stalled
from aggregator.store.database import Database
from aggregator.store.models import HarvestRun
from aggregator.store.records import RecordStore, now
from aggregator.store.runs import APPLYING, FAILED, RUNNING, RunStore
from config.registry import Museum
from tests.conftest import _postgres_database

pytestmark = pytest.mark.postgres

MUSEUM = "kz-queue-museum"
T = TypeVar("T")


@pytest.fixture
def pg_db() -> Iterator[Database]:
    yield from _postgres_database()


def _in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a thread of its own: a browser spec's Playwright may own this thread's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _jobs(db: Database) -> dict[int, tuple[str, str | None, str | None, int]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, status::text, lock, queueing_lock, attempts FROM procrastinate_jobs"))
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def _run(db: Database, status: str, owner: str) -> int:
    museum = Museum.model_validate(
        {"id": MUSEUM, "name": {"en": "Q"}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": "http://x.kz/oai"}}
    )
    with db.session() as session:
        RecordStore(session).save_museum(museum)
        run = RunStore(session).start(MUSEUM, "full")
        run.status, run.owner, run.heartbeat_at, run.checkpoint = status, owner, now(), {"museum_id": MUSEUM}
        session.commit()
        return run.id


async def _dead_worker_takes_a_job(db: Database) -> tuple[int, int]:
    """A worker registers, fetches the oldest job, and stops sending heartbeats (as SIGKILL leaves it)."""
    with app.replace_connector(connector(_url(db), max_size=3)):
        async with app.open_async():
            worker_id = await app.job_manager.register_worker()
            job = await app.job_manager.fetch_job(queues=None, worker_id=worker_id)
            assert job is not None and job.id is not None
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes' WHERE id = :id"),
            {"id": worker_id},
        )
    return worker_id, job.id


async def _sweep(db: Database, stalled_after: float = 30) -> list[Recovery]:
    with app.replace_connector(connector(_url(db), max_size=3)):
        async with app.open_async():
            return await recover_stalled(app, db, stalled_after)


def test_each_museum_is_queued_once_per_kind_and_locked_per_museum(pg_db: Database) -> None:
    url = _url(pg_db)
    first = enqueue_harvests(url, [MUSEUM, "kz-other"])
    again = enqueue_harvests(url, [MUSEUM])
    full = enqueue_harvests(url, [MUSEUM], full=True)
    remap = enqueue_remap(url, MUSEUM)
    reindex, reindex_again = enqueue_reindex(url), enqueue_reindex(url)

    assert all(q.job_id is not None for q in [*first, *full, remap, reindex])
    assert again[0].job_id is None and again[0].line() == f"harvest {MUSEUM}: already queued (see emuseum jobs)"
    assert reindex_again.job_id is None
    jobs = _jobs(pg_db)
    assert jobs[first[0].job_id] == ("todo", f"museum:{MUSEUM}", f"harvest:{MUSEUM}", 0)  # type: ignore[index]
    assert jobs[full[0].job_id][1:3] == (f"museum:{MUSEUM}", f"harvest-full:{MUSEUM}")  # type: ignore[index]
    assert jobs[remap.job_id][1] == f"museum:{MUSEUM}"  # type: ignore[index]
    assert jobs[reindex.job_id][1] == "index"  # type: ignore[index]

    listed = list_jobs(pg_db)
    assert [row.id for row in listed] == sorted(jobs, reverse=True)
    assert {row.status for row in listed} == {"queued"} and listed[-1].target == MUSEUM
    assert listed[-1].queued_at is not None and listed[-1].started_at is None
    assert job_counts(pg_db) == {"queued": 5, "running": 0, "done": 0, "failed": 0}
    assert list_jobs(pg_db, status="running") == []
    with pytest.raises(ValueError, match="unknown job status 'stuck'"):
        list_jobs(pg_db, status="stuck")


def test_a_dead_workers_harvest_goes_back_on_the_queue_and_its_run_is_released(pg_db: Database) -> None:
    [queued] = enqueue_harvests(_url(pg_db), [MUSEUM])
    # The dead worker ran on another machine: its run's heartbeat alone would keep it "alive" for half an hour.
    run_id = _run(pg_db, RUNNING, owner="worker-host-2:4242")
    worker_id, job_id = _in_own_loop(_dead_worker_takes_a_job(pg_db))
    assert job_id == queued.job_id and list_jobs(pg_db)[0].status == "running"

    [recovery] = _in_own_loop(_sweep(pg_db))

    assert (recovery.job_id, recovery.worker_id, recovery.museum_id, recovery.run_id) == (
        job_id, worker_id, MUSEUM, run_id
    )  # fmt: skip
    assert recovery.action.startswith("retried")
    assert _jobs(pg_db)[job_id] == ("todo", f"museum:{MUSEUM}", f"harvest:{MUSEUM}", 1)
    with pg_db.session() as session:
        run = session.get(HarvestRun, run_id)
        assert run is not None and run.status == FAILED and run.error is not None
        assert run.error.startswith(f"interrupted: the worker running job {job_id} sent no heartbeat")
        assert RunStore(session).resumable(MUSEUM) is not None  # the retried job resumes it from its checkpoint
    assert _in_own_loop(_sweep(pg_db)) == []  # nothing is stalled twice


def test_a_dead_workers_apply_is_finished_by_the_next_job(pg_db: Database) -> None:
    enqueue_harvests(_url(pg_db), [MUSEUM])
    run_id = _run(pg_db, APPLYING, owner="worker-host-2:4242")
    _in_own_loop(_dead_worker_takes_a_job(pg_db))
    [recovery] = _in_own_loop(_sweep(pg_db))
    assert recovery.run_id == run_id
    with pg_db.session() as session:
        run = session.get(HarvestRun, run_id)
        assert run is not None and run.status == APPLYING and run.heartbeat_at is None  # begin() applies it


def test_a_stalled_job_whose_work_is_queued_again_fails_instead_of_breaking_the_queueing_lock(
    pg_db: Database,
) -> None:
    url = _url(pg_db)
    [first] = enqueue_harvests(url, [MUSEUM])
    _, job_id = _in_own_loop(_dead_worker_takes_a_job(pg_db))
    [second] = enqueue_harvests(url, [MUSEUM])  # allowed: the first is running, not waiting
    assert second.job_id is not None and second.job_id != job_id == first.job_id

    [recovery] = _in_own_loop(_sweep(pg_db))

    assert recovery.action.startswith("failed: the same work already waits")
    jobs = _jobs(pg_db)
    assert jobs[job_id][0] == "failed" and jobs[second.job_id][0] == "todo"


def test_a_worker_that_is_only_late_keeps_its_job(pg_db: Database) -> None:
    enqueue_harvests(_url(pg_db), [MUSEUM])
    _, job_id = _in_own_loop(_dead_worker_takes_a_job(pg_db))  # silent for 5 minutes
    assert _in_own_loop(_sweep(pg_db, stalled_after=timedelta(minutes=10).total_seconds())) == []
    assert _jobs(pg_db)[job_id][0] == "doing"


def test_a_run_a_live_process_on_this_machine_owns_is_left_alone(pg_db: Database) -> None:
    enqueue_harvests(_url(pg_db), [MUSEUM])
    live_owner = f"{socket.gethostname()}:{os.getppid()}"  # e.g. an operator's `emuseum harvest` still running
    run_id = _run(pg_db, RUNNING, owner=live_owner)
    _in_own_loop(_dead_worker_takes_a_job(pg_db))
    [recovery] = _in_own_loop(_sweep(pg_db))
    assert recovery.run_id is None and recovery.action.startswith("retried")
    with pg_db.session() as session:
        run = session.get(HarvestRun, run_id)
        assert run is not None and run.status == RUNNING and run.owner == live_owner

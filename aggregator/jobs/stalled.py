"""Jobs whose worker died: put back on the queue, and the museum's run released at once.

procrastinate marks each worker's liveness with a heartbeat but retries
nothing by itself (FACTS-2 §1).  Every ``emuseum worker`` therefore sweeps
for jobs still ``doing`` under a worker silent for ``stalled_after`` seconds
and puts them back (``job_manager.retry_job``).  The pitfalls handled here:

* The sweep is not a queued periodic job: a periodic job needs a free slot,
  and a worker whose slots all run long harvests would leave a dead worker's
  museum waiting hours.  It runs beside the worker, and a transaction-level
  advisory lock lets one sweeper act at a time, so a job is never retried
  twice (the second retry would yank it from the live worker that took it).
* A job put back while another job with the same queueing lock already waits
  violates the queueing lock (procrastinate #1446): that job is marked failed
  instead, since the waiting one does the same work and resumes the run.
* The museum's harvest run is marked interrupted before the job is retried.
  Otherwise its owner (``host:pid`` of the dead worker) on another machine
  would look alive until its page heartbeat is ``STALE_AFTER`` old, and the
  retried job would refuse to resume it for half an hour.  A run owned by a
  live process on this machine is left alone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass

from procrastinate import App, exceptions
from procrastinate.jobs import Job, Status

from aggregator.jobs.tasks import HARVEST
from aggregator.store.database import Database
from aggregator.store.records import now
from aggregator.store.runs import APPLYING, FAILED, RUNNING, RunStore

__all__ = ["Recovery", "recover_stalled", "release_run"]

log = logging.getLogger("emuseum.jobs.stalled")

#: Advisory lock held (for one transaction) by the one worker sweeping ("jobs" in ASCII).
_SWEEP_KEY = 0x6A6F6273


@dataclass(frozen=True, slots=True)
class Recovery:
    job_id: int
    task_name: str
    worker_id: int | None
    museum_id: str | None
    run_id: int | None  # the harvest run marked interrupted, if any
    action: str  # "retried" or "failed: ..."

    def line(self) -> str:
        museum = f" museum={self.museum_id}" if self.museum_id else ""
        run = f", run {self.run_id} marked interrupted" if self.run_id is not None else ""
        worker = self.worker_id if self.worker_id is not None else "(pruned)"
        return f"stalled job {self.job_id} ({self.task_name}{museum}) of dead worker {worker}{run}: {self.action}"


def _alive_here(owner: str) -> bool:
    """Whether ``host:pid`` is a live process on this machine (other machines: unknown, so False)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_run(db: Database, museum_id: str, why: str) -> int | None:
    """Mark the museum's unfinished run interrupted so the next harvest resumes it at once.

    A run staging pages becomes failed (its checkpoint stays: the next run
    resumes from it); a run being applied loses its heartbeat, so the next
    harvest finishes applying it.  Returns the run's id, or None if nothing
    needed releasing.
    """
    with db.session() as session:
        run = RunStore(session).latest(museum_id)
        if run is None or run.status not in (RUNNING, APPLYING):
            return None
        if run.owner and _alive_here(run.owner):
            log.warning("run %s of museum=%s belongs to live process %s: left alone", run.id, museum_id, run.owner)
            return None
        if run.status == RUNNING:
            run.status, run.error, run.finished_at = FAILED, why, now()
        else:
            run.heartbeat_at = None
        session.commit()
        return run.id


async def _recover(app: App, db: Database, job: Job, stalled_after: float) -> Recovery:
    assert job.id is not None
    museum_id = job.task_kwargs.get("museum_id")
    museum = museum_id if isinstance(museum_id, str) else None
    run_id = None
    if museum and job.task_name == HARVEST:
        why = (
            f"interrupted: the worker running job {job.id} sent no heartbeat for {stalled_after:.0f}s "
            "(killed, or cut off); the job went back on the queue and resumes from the last committed page"
        )
        run_id = await asyncio.to_thread(release_run, db, museum, why)
    try:
        await app.job_manager.retry_job(job)
        action = "retried (back on the queue)"
    except exceptions.UniqueViolation:
        await app.job_manager.finish_job_by_id_async(job.id, status=Status.FAILED, delete_job=False)
        action = "failed: the same work already waits on the queue, and that job resumes it"
    return Recovery(job.id, job.task_name, job.worker_id, museum, run_id, action)


async def recover_stalled(app: App, db: Database, stalled_after: float) -> list[Recovery]:
    """One sweep: every job of a worker silent for ``stalled_after`` seconds goes back on the queue."""
    connector = app.connector
    assert hasattr(connector, "pool")
    async with connector.pool.connection() as conn:
        cursor = await conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (_SWEEP_KEY,))
        row = await cursor.fetchone()
        if not row or not row[0]:
            return []  # another worker is sweeping
        recoveries = []
        for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
            try:
                recovery = await _recover(app, db, job, stalled_after)
            except exceptions.ConnectorException as exc:  # finished or retried meanwhile
                log.info("stalled job %s changed while being recovered: %s", job.id, exc)
                continue
            log.warning("%s", recovery.line())
            recoveries.append(recovery)
        return recoveries

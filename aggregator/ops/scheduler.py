"""The harvest scheduler as a service that survives restarts: passes recorded, missed nights caught up.

At start-up the passes of the store are compared with the schedule: a job
whose latest planned time lies within the grace period and has no pass runs
at once.  Every pass (scheduled or caught up) is one ``Operations.run_pass``:
its runs are tagged, the report is built and sent, the alerts evaluated.
A job with ``dumps: true`` then rebuilds the bulk dumps from the store it
just brought up to date (``aggregator.dumps.build``); a failed build is
logged and leaves the published dumps as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from aggregator.ops.passes import PassTaken, last_fire_time, missed_passes
from aggregator.ops.service import Operations
from harvester.schedule import build_scheduler

__all__ = ["build_after_pass", "scheduler_for"]

log = logging.getLogger("emuseum.schedule")


def build_after_pass(ops: Operations, job_name: str, *, per_museum: bool, workers: int) -> None:
    """The job's dumps; a failure is logged and the dumps published before stay."""
    from aggregator.dumps.build import build_dumps

    try:
        report = build_dumps(ops.catalogue, per_museum=per_museum, workers=workers)
    except Exception:  # a failed dump must not stop the scheduler; the previous dumps stay published
        log.exception("dumps after pass job=%s failed; the previous dumps stay published", job_name)
        return
    log.info("dumps after pass job=%s: %s", job_name, report.line())


def scheduler_for(
    ops: Operations,
    *,
    grace: float | None = None,
    workers: int = 1,
    queue: bool | None = None,
    clock: Callable[[], datetime] | None = None,
) -> BlockingScheduler:
    """A scheduler over ``schedules.yaml`` whose missed passes (within ``grace`` seconds) run first.

    ``queue`` (default: whether the store is PostgreSQL) hands each pass's
    museums to the job queue's workers, which may run on other machines.
    """
    queue = (not ops.db.is_sqlite) if queue is None else queue
    settings = ops.settings
    schedule = settings.schedule
    grace = settings.ops.schedule_grace if grace is None else grace
    clock = clock or (lambda: datetime.now(UTC))
    jobs = {job.name: job for job in schedule.jobs}

    def run(job_name: str, ids: list[str], full: bool, planned: datetime | None) -> None:
        planned = planned or last_fire_time(jobs[job_name], schedule.timezone, clock(), max(grace, 3600.0))
        if planned is None:
            planned = clock()
        try:
            outcome = ops.run_pass(job_name, planned, ids or None, full=full, workers=workers, queue=queue)
        except PassTaken as exc:
            log.warning("%s", exc)
            return
        except Exception:  # one broken night must not stop the scheduler
            log.exception("pass job=%s planned=%s failed", job_name, planned.isoformat())
            return
        totals = outcome.report["totals"]
        log.info(
            "pass job=%s planned=%s finished: %d succeeded, %d failed, %d held; report %s",
            job_name, planned.isoformat(), totals["succeeded"], totals["failed"], totals["held"], outcome.report["id"],
        )  # fmt: skip
        if jobs[job_name].dumps:
            build_after_pass(ops, job_name, per_museum=jobs[job_name].dumps_per_museum, workers=workers)

    missed = missed_passes(ops.db, schedule, clock(), grace)
    if not missed:
        log.info("catch-up: no pass missed within the last %.0f s", grace)
    return build_scheduler(
        schedule,
        settings.registry,
        run,
        catch_up=[(job.name, planned) for job, planned in missed],
        misfire_grace=grace,
    )

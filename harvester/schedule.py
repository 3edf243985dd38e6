"""Nightly and weekly harvest times from ``schedules.yaml``, run by APScheduler.

The scheduler only knows *when*; what runs is passed in as a function, so the
harvester stays ignorant of the store and the pipeline.  Passes run one at a
time (a single worker thread): two passes over the same museums never
overlap in one scheduler.  Passes missed while the scheduler was down are
found by the caller (it keeps the passes) and handed in as ``catch_up``:
they run first, at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from config.registry import Registry
from config.schedules import Schedule

__all__ = ["PassRunner", "build_scheduler"]

log = logging.getLogger("emuseum.schedule")

#: Runs one pass: job name, museum ids, full or incremental, the planned time (None: the trigger's latest).
PassRunner = Callable[[str, list[str], bool, datetime | None], object]


def build_scheduler(
    schedule: Schedule,
    registry: Registry,
    run: PassRunner,
    *,
    catch_up: Sequence[tuple[str, datetime]] = (),
    misfire_grace: float = 3600,
) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=schedule.timezone, executors={"default": ThreadPoolExecutor(1)})
    known = set(registry.ids())
    jobs = {}
    for job in schedule.jobs:
        ids = registry.ids() if job.museums == "all" else [m for m in job.museums if m in known]
        jobs[job.name] = (ids, job.full)
        scheduler.add_job(
            run,
            CronTrigger.from_crontab(job.cron, timezone=schedule.timezone),
            args=[job.name, ids, job.full, None],
            id=job.name,
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(misfire_grace),
        )
        log.info("scheduled job=%s cron=%r museums=%d full=%s", job.name, job.cron, len(ids), job.full)
    for name, planned in catch_up:
        ids, full = jobs[name]
        scheduler.add_job(
            run,
            DateTrigger(run_date=datetime.now(planned.tzinfo)),
            args=[name, ids, full, planned],
            id=f"{name}@{planned.isoformat()}",
            name=f"{name} (missed {planned.isoformat()})",
            misfire_grace_time=None,
        )
        log.warning("catch-up job=%s planned=%s: missed while the scheduler was down, runs now", name, planned)
    return scheduler

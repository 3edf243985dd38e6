"""Nightly and weekly harvest times from ``schedules.yaml``, run by APScheduler.

The scheduler only knows *when*; what runs is passed in as a function, so the
harvester stays ignorant of the store and the pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from config.registry import Registry
from config.schedules import Schedule

__all__ = ["build_scheduler"]

log = logging.getLogger("emuseum.schedule")


def build_scheduler(
    schedule: Schedule,
    registry: Registry,
    run: Callable[[list[str], bool], object],
) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=schedule.timezone)
    known = set(registry.ids())
    for job in schedule.jobs:
        ids = registry.ids() if job.museums == "all" else [m for m in job.museums if m in known]
        scheduler.add_job(
            run,
            CronTrigger.from_crontab(job.cron, timezone=schedule.timezone),
            args=[ids, job.full],
            id=job.name,
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
        log.info("scheduled job=%s cron=%r museums=%d full=%s", job.name, job.cron, len(ids), job.full)
    return scheduler

"""Nightly and weekly harvest times from ``schedules.yaml``, run by APScheduler.

The scheduler only knows *when*; what runs is passed in as a function, so the
harvester stays ignorant of the store and the pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harvester.registry import ConfigError, Registry
from mappings.validation_messages import describe_error

__all__ = ["Schedule", "ScheduledJob", "build_scheduler", "load_schedule", "unknown_museums"]

log = logging.getLogger("emuseum.schedule")


class ScheduledJob(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    cron: str  # five fields: minute hour day month weekday
    museums: Literal["all"] | list[str] = "all"
    full: bool = False

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a crontab expression ({exc})") from None
        return value


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str = "Asia/Almaty"
    jobs: list[ScheduledJob] = Field(default_factory=list)


def load_schedule(path: Path) -> Schedule:
    if not path.exists():
        return Schedule()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    try:
        return Schedule.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            describe_error(e, data, list_key="jobs", name_key="name", label="job") for e in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None


def unknown_museums(schedule: Schedule, registry: Registry) -> list[str]:
    """Warnings for jobs naming museums the registry does not have (not an error)."""
    known = set(registry.ids())
    return [
        f"schedule job {job.name!r} names museum {mid!r}, which is not in the registry"
        for job in schedule.jobs
        if job.museums != "all"
        for mid in job.museums
        if mid not in known
    ]


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

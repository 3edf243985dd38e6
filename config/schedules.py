"""Nightly and weekly harvest times (and whether the bulk dumps follow), read from ``schedules.yaml`` and checked.

Only *when* and *which museums*; running them is the scheduler's business
(``harvester.schedule``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.errors import ConfigError
from config.messages import describe_error
from config.registry import Registry

__all__ = ["Schedule", "ScheduledJob", "load_schedule", "unknown_museums"]

class ScheduledJob(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    cron: str  # five fields: minute hour day month weekday
    museums: Literal["all"] | list[str] = "all"
    full: bool = False
    #: After the pass, rebuild the bulk dumps (every format, whole catalogue) and their manifest.
    dumps: bool = False
    #: With ``dumps``: each museum's dumps too.
    dumps_per_museum: bool = False

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

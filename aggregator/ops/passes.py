"""Scheduled passes (nights) in the store: planned, started, finished; and which were missed.

Each pass is one row of ``harvest_passes`` keyed by job and planned time, so
a scheduler started after a night it missed can tell that the night has no
pass yet (``missed_passes``) and run it, and a second scheduler cannot run
the same night twice (the key is unique).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from aggregator.store.database import Database
from aggregator.store.models import HarvestPass, HarvestRun
from aggregator.store.records import now
from config.schedules import Schedule, ScheduledJob

__all__ = [
    "PassTaken",
    "finish_pass",
    "last_fire_time",
    "list_passes",
    "missed_passes",
    "runs_since",
    "start_pass",
    "tag_runs",
]


class PassTaken(Exception):
    """Another process has started this job's pass for this planned time already."""


def start_pass(db: Database, job_name: str, planned_at: datetime, museum_ids: Sequence[str], full: bool) -> int:
    with db.session() as session:
        row = HarvestPass(
            job_name=job_name,
            planned_at=planned_at.astimezone(UTC),
            started_at=now(),
            status="running",
            full=full,
            museums=list(museum_ids),
        )
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise PassTaken(f"the {job_name} pass planned for {planned_at.isoformat()} has run already") from None
        return row.id


def tag_runs(db: Database, pass_id: int, run_ids: Sequence[int]) -> None:
    with db.session() as session:
        session.execute(update(HarvestRun).where(HarvestRun.id.in_(list(run_ids))).values(pass_id=pass_id))
        session.commit()


def runs_since(db: Database, museum_ids: Sequence[str], since: datetime) -> dict[str, int | None]:
    """Each museum's newest run that started or ended after ``since`` (None: no run), for a pass on the queue.

    A run a dead worker left and another resumed started before the pass but
    ended in it, so the end counts too.
    """
    found: dict[str, int | None] = {museum_id: None for museum_id in museum_ids}
    with db.session() as session:
        rows = session.execute(
            select(HarvestRun.museum_id, HarvestRun.id)
            .where(HarvestRun.museum_id.in_(list(museum_ids)))
            .where((HarvestRun.started_at >= since) | (HarvestRun.finished_at >= since))
            .order_by(HarvestRun.id)
        )
        for museum_id, run_id in rows:
            found[museum_id] = run_id
    return found


def finish_pass(db: Database, pass_id: int, *, report_id: int | None, error: str | None = None) -> None:
    with db.session() as session:
        row = session.get(HarvestPass, pass_id)
        if row is not None:
            row.finished_at, row.report_id, row.error = now(), report_id, error
            row.status = "failed" if error else "finished"
            session.commit()


def list_passes(db: Database, limit: int = 30) -> list[dict[str, Any]]:
    with db.session() as session:
        rows = session.scalars(select(HarvestPass).order_by(HarvestPass.id.desc()).limit(limit))
        return [
            {
                "id": r.id,
                "job": r.job_name,
                "planned_at": r.planned_at.isoformat(),
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "status": r.status,
                "full": r.full,
                "museums": len(r.museums or []),
                "report_id": r.report_id,
                "error": r.error,
            }
            for r in rows
        ]


def last_fire_time(job: ScheduledJob, timezone: str, moment: datetime, grace: float) -> datetime | None:
    """The job's latest planned time in (moment - grace, moment], or None."""
    trigger = CronTrigger.from_crontab(job.cron, timezone=timezone)
    earliest = moment - timedelta(seconds=grace)
    fire, latest = trigger.get_next_fire_time(None, earliest), None
    while fire is not None and fire <= moment:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return latest


def missed_passes(
    db: Database, schedule: Schedule, moment: datetime, grace: float
) -> list[tuple[ScheduledJob, datetime]]:
    """Jobs whose latest planned time lies within the grace period and that have no pass for it."""
    missed = []
    with db.session() as session:
        for job in schedule.jobs:
            planned = last_fire_time(job, schedule.timezone, moment, grace)
            if planned is None:
                continue
            done = session.scalar(
                select(HarvestPass.id).where(
                    HarvestPass.job_name == job.name, HarvestPass.planned_at == planned.astimezone(UTC)
                )
            )
            if done is None:
                missed.append((job, planned))
    return sorted(missed, key=lambda item: item[1])

"""Harvest run bookkeeping: which run to resume, when the last good one started."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.store.models import HarvestRun
from aggregator.store.records import now

__all__ = ["ABANDONED", "APPLYING", "FAILED", "HELD", "REJECTED", "RUNNING", "SUCCEEDED", "RunStore"]

RUNNING, SUCCEEDED, FAILED, ABANDONED = "running", "succeeded", "failed", "abandoned"
#: Staged and waiting for a person (breaker), being applied, or discarded by a person.
HELD, APPLYING, REJECTED = "held", "applying", "rejected"


class RunStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, museum_id: str) -> HarvestRun | None:
        return self.session.scalars(
            select(HarvestRun)
            .where(HarvestRun.museum_id == museum_id)
            .order_by(HarvestRun.id.desc())
            .limit(1)
        ).first()

    def last_success(self, museum_id: str) -> HarvestRun | None:
        return self.session.scalars(
            select(HarvestRun)
            .where(HarvestRun.museum_id == museum_id, HarvestRun.status == SUCCEEDED)
            .order_by(HarvestRun.id.desc())
            .limit(1)
        ).first()

    def resumable(self, museum_id: str) -> HarvestRun | None:
        """An unfinished run (killed, or failed mid-way) whose checkpoint we can continue from."""
        run = self.latest(museum_id)
        if run is not None and run.status in (RUNNING, FAILED) and run.checkpoint:
            return run
        return None

    def start(self, museum_id: str, mode: str) -> HarvestRun:
        run = HarvestRun(
            museum_id=museum_id,
            mode=mode,
            status=RUNNING,
            started_at=now(),
            pages=0,
            records_new=0,
            records_updated=0,
            records_unchanged=0,
            records_deleted=0,
            records_failed=0,
            resumed=0,
            notes=[],
        )
        self.session.add(run)
        self.session.flush()
        return run

    def runs(self, museum_id: str | None = None, limit: int = 20) -> list[HarvestRun]:
        stmt = select(HarvestRun).order_by(HarvestRun.id.desc()).limit(limit)
        if museum_id:
            stmt = stmt.where(HarvestRun.museum_id == museum_id)
        return list(self.session.scalars(stmt))

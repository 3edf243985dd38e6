"""Each museum's health over many nights: last success, failures in a row, record and quality trends.

A light per museum sums it up for the dashboard and the report:
``green`` the last run succeeded; ``amber`` it failed (fewer times in a row
than the alert threshold) or a run is held; ``red`` it failed that many
nights in a row; ``grey`` never harvested.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.quality_summary import tier_of
from aggregator.run_history import describe_run
from aggregator.store.database import Database
from aggregator.store.models import (
    AlertRow,
    CoreRow,
    HarvestRun,
    IndexOutbox,
    MuseumQuality,
    MuseumSnapshot,
    QuarantineRow,
    RawRow,
)
from aggregator.store.records import now
from aggregator.store.runs import ABANDONED, FAILED, HELD, REJECTED, SUCCEEDED
from config.registry import Registry

__all__ = [
    "MuseumHealth",
    "StoreFigures",
    "consecutive_failures",
    "museum_health",
    "store_figures",
    "take_snapshots",
]

TREND_POINTS = 14  # runs shown in a trend line (two weeks of nights)
_NOT_COUNTED = (ABANDONED, REJECTED)  # neither a failure nor a success of the museum


@dataclass(slots=True)
class MuseumHealth:
    museum_id: str
    names: dict[str, str]
    region: str
    source: str
    light: str  # green | amber | red | grey
    last_run: dict[str, Any] | None
    last_success_at: str | None
    consecutive_failures: int
    active: int
    quarantined: int
    mean_score: float | None
    tier: str | None
    records_trend: list[int] = field(default_factory=list)
    quality_trend: list[float] = field(default_factory=list)
    response_trend: list[float] = field(default_factory=list)  # p50 ms of recent runs
    open_alerts: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def consecutive_failures(statuses: list[str]) -> int:
    """Failed runs in a row, newest first; a held run or a success ends the count."""
    count = 0
    for status in statuses:
        if status in _NOT_COUNTED:
            continue
        if status != FAILED:
            break
        count += 1
    return count


def _main_tier(tiers: dict[str, Any] | None) -> str | None:
    if not tiers:
        return None
    counts = Counter({k: int(v) for k, v in tiers.items() if int(v)})
    return counts.most_common(1)[0][0] if counts else None


def _counts(session: Session, table: Any) -> dict[str, int]:
    return dict(session.execute(select(table.museum_id, func.count()).group_by(table.museum_id)).all())


def museum_health(db: Database, registry: Registry, failed_nights: int = 3) -> list[MuseumHealth]:
    """One entry per registry museum, in registry order."""
    with db.session() as session:
        active = _counts(session, CoreRow)
        quarantined = _counts(session, QuarantineRow)
        quality = {row.museum_id: row for row in session.scalars(select(MuseumQuality))}
        alerts = dict(
            session.execute(
                select(AlertRow.museum_id, func.count())
                .where(AlertRow.closed_at.is_(None))
                .group_by(AlertRow.museum_id)
            ).all()
        )
        result = []
        for museum in registry.museums:
            runs = list(
                session.scalars(
                    select(HarvestRun)
                    .where(HarvestRun.museum_id == museum.id)
                    .order_by(HarvestRun.id.desc())
                    .limit(TREND_POINTS * 2)
                )
            )
            described = [describe_run(run) for run in runs]
            statuses = [d["status"] for d in described]
            failures = consecutive_failures(statuses)
            success = next((r for r in runs if r.status == SUCCEEDED), None)
            snapshots = list(
                session.scalars(
                    select(MuseumSnapshot)
                    .where(MuseumSnapshot.museum_id == museum.id)
                    .order_by(MuseumSnapshot.id.desc())
                    .limit(TREND_POINTS)
                )
            )[::-1]
            q = quality.get(museum.id)
            if not described:
                light = "grey"
            elif failures >= failed_nights:
                light = "red"
            elif failures or statuses[0] == HELD:
                light = "amber"
            else:
                light = "green"
            result.append(
                MuseumHealth(
                    museum_id=museum.id,
                    names=dict(museum.name),
                    region=museum.region,
                    source=museum.source.type,
                    light=light,
                    last_run=described[0] if described else None,
                    last_success_at=_stamp(success.finished_at or success.started_at) if success else None,
                    consecutive_failures=failures,
                    active=active.get(museum.id, 0),
                    quarantined=quarantined.get(museum.id, 0),
                    mean_score=q.mean_score if q else None,
                    tier=tier_of(q.mean_score) if q and q.mean_score is not None else None,
                    records_trend=[s.active for s in snapshots],
                    quality_trend=[s.mean_score for s in snapshots if s.mean_score is not None],
                    response_trend=[
                        float(r.response_ms["p50"])
                        for r in reversed(runs[:TREND_POINTS])
                        if r.response_ms and "p50" in r.response_ms
                    ],
                    open_alerts=int(alerts.get(museum.id, 0)),
                )
            )
        return result


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def take_snapshots(db: Database, runs: dict[str, int | None]) -> None:
    """Record each museum's records and quality after its run (museum id -> run id)."""
    if not runs:
        return
    with db.session() as session:
        active = _counts(session, CoreRow)
        quarantined = _counts(session, QuarantineRow)
        quality = {row.museum_id: row for row in session.scalars(select(MuseumQuality))}
        taken = now()
        for museum_id, run_id in runs.items():
            q = quality.get(museum_id)
            session.add(
                MuseumSnapshot(
                    museum_id=museum_id,
                    taken_at=taken,
                    run_id=run_id,
                    active=active.get(museum_id, 0),
                    quarantined=quarantined.get(museum_id, 0),
                    mean_score=q.mean_score if q else None,
                    tier=tier_of(q.mean_score) if q and q.mean_score is not None else None,
                )
            )
        session.commit()


@dataclass(frozen=True, slots=True)
class StoreFigures:
    """Per museum: records harvested (raw, live), mapped (core) and quarantined; the outbox backlog."""

    harvested: dict[str, int]
    mapped: dict[str, int]
    quarantined: dict[str, int]
    outbox: int
    last_runs: list[dict[str, Any]]  # the newest run of each museum

    @property
    def store_records(self) -> int:
        return sum(self.mapped.values())


def store_figures(db: Database) -> StoreFigures:
    with db.session() as session:
        harvested = dict(
            session.execute(
                select(RawRow.museum_id, func.count()).where(RawRow.deleted.is_(False)).group_by(RawRow.museum_id)
            ).all()
        )
        newest = select(func.max(HarvestRun.id)).group_by(HarvestRun.museum_id)
        runs = [describe_run(r) for r in session.scalars(select(HarvestRun).where(HarvestRun.id.in_(newest)))]
        return StoreFigures(
            harvested=harvested,
            mapped=_counts(session, CoreRow),
            quarantined=_counts(session, QuarantineRow),
            outbox=int(session.scalar(select(func.count()).select_from(IndexOutbox)) or 0),
            last_runs=runs,
        )

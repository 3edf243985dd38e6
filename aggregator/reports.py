"""Plain reports for the ministry: per-museum counts and the last run of each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aggregator.run_owner import owner_alive
from aggregator.store.database import Database
from aggregator.store.records import RecordStore, now
from aggregator.store.runs import FAILED, RUNNING, RunStore
from config.registry import Registry

__all__ = ["MuseumStatus", "museum_statuses"]


@dataclass(slots=True)
class MuseumStatus:
    museum_id: str
    name: str
    region: str
    source: str
    active: int
    deleted: int
    quarantined: int
    last_run: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def museum_statuses(db: Database, registry: Registry) -> list[MuseumStatus]:
    with db.session() as session:
        counts = RecordStore(session).counts_by_museum()
        runs = RunStore(session)
        statuses = []
        for museum in registry.museums:
            c = counts.get(museum.id, {})
            run = runs.latest(museum.id)
            last = None
            if run is not None:
                status, error = run.status, run.error
                if status == RUNNING and not owner_alive(run.owner, run.heartbeat_at, now(), active_here=False):
                    status = FAILED
                    error = (
                        f"interrupted: {run.owner or 'its process'} stopped without finishing the run "
                        "(killed, or the store went away); the next harvest resumes from its last committed page"
                    )
                last = {
                    "id": run.id,
                    "status": status,
                    "mode": run.mode,
                    "started_at": run.started_at.isoformat() if run.started_at else None,
                    "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                    "new": run.records_new,
                    "updated": run.records_updated,
                    "unchanged": run.records_unchanged,
                    "deleted": run.records_deleted,
                    "failed": run.records_failed,
                    "error": error,
                    "notes": run.notes or [],
                }
            statuses.append(
                MuseumStatus(
                    museum_id=museum.id,
                    name=museum.display_name("en"),
                    region=museum.region,
                    source=museum.source.type,
                    active=c.get("active", 0),
                    deleted=c.get("deleted", 0),
                    quarantined=c.get("quarantined", 0),
                    last_run=last,
                )
            )
        return statuses

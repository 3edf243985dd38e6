"""Plain reports for the ministry: per-museum counts and the last run of each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aggregator.run_history import describe_run
from aggregator.store.database import Database
from aggregator.store.records import RecordStore
from aggregator.store.runs import RunStore
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
            last = describe_run(run) if run is not None else None
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

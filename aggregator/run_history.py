"""Harvest runs as the ministry reads them: one plain dictionary per run.

The CLI, the API, the report and the dashboard all show runs; they read them
from here so that a run interrupted by a dead process is called failed
everywhere, with the same words.
"""

from __future__ import annotations

from typing import Any

from aggregator.run_owner import owner_alive
from aggregator.store.database import Database
from aggregator.store.models import HarvestRun
from aggregator.store.records import now
from aggregator.store.runs import FAILED, RUNNING, RunStore

__all__ = ["describe_run", "load_run", "load_runs"]


def _stamp(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def describe_run(run: HarvestRun) -> dict[str, Any]:
    status, error = run.status, run.error
    if status == RUNNING and not owner_alive(run.owner, run.heartbeat_at, now(), active_here=False):
        status = FAILED
        error = (
            f"interrupted: {run.owner or 'its process'} stopped without finishing the run "
            "(killed, or the store went away); the next harvest resumes from its last committed page"
        )
    return {
        "id": run.id,
        "museum_id": run.museum_id,
        "mode": run.mode,
        "status": status,
        "started_at": _stamp(run.started_at),
        "finished_at": _stamp(run.finished_at),
        "seconds": round(run.seconds, 1) if run.seconds is not None else None,
        "pages": run.pages,
        "new": run.records_new,
        "updated": run.records_updated,
        "unchanged": run.records_unchanged,
        "deleted": run.records_deleted,
        "failed": run.records_failed,
        "resumed": run.resumed,
        "complete_listing": run.complete_listing,
        "listed": run.listed,
        "active_before": run.active_before,
        "held_reason": run.held_reason,
        "decided_at": _stamp(run.decided_at),
        "decided_by": run.decided_by,
        "bytes_received": run.bytes_received,
        "http_requests": run.http_requests,
        "http_errors": run.http_errors,
        "retries": run.retries,
        "response_ms": run.response_ms,
        "endpoint": run.endpoint,
        "error": error,
        "notes": run.notes or [],
    }


def load_runs(db: Database, museum_id: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    with db.session() as session:
        return [describe_run(run) for run in RunStore(session).runs(museum_id, limit)]


def load_run(db: Database, run_id: int) -> dict[str, Any] | None:
    with db.session() as session:
        run = session.get(HarvestRun, run_id)
        return describe_run(run) if run is not None else None

"""Alerts: one per cause, raised when it appears, kept while it lasts, closed when it is gone.

Causes (thresholds in ``config.ops``): a museum failing N runs in a row; an
endpoint whose median response time grew by a factor over its recent runs;
the search index out of step with the store; a held run waiting for a
person.  Each cause has a key (``failing:<museum>``, ``held:<run>``, ...), so
evaluating again never duplicates an alert; delivery sends each opening and
each closing once (``notified_*_at``).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from aggregator.ops.health import museum_health
from aggregator.store.database import Database
from aggregator.store.models import AlertRow, HarvestRun
from aggregator.store.records import now
from aggregator.store.runs import HELD, SUCCEEDED
from config.ops import AlertLimits
from config.registry import Registry

__all__ = ["AlertChanges", "evaluate_alerts", "list_alerts", "mark_notified", "pending_notifications"]

_SLOW_RUNS = 7  # the baseline: median of the p50 of this many earlier successful runs
_SLOW_MIN_MS = 100.0  # and a slowdown of at least this much, so loopback jitter is no alert


@dataclass(slots=True)
class AlertChanges:
    opened: list[dict[str, Any]] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)
    open: int = 0


def _as_dict(row: AlertRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "key": row.key,
        "kind": row.kind,
        "museum_id": row.museum_id,
        "opened_at": row.opened_at.isoformat(),
        "last_seen_at": row.last_seen_at.isoformat(),
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "details": row.details,
    }


def _slowdowns(db: Database, registry: Registry, limits: AlertLimits) -> dict[str, tuple[str, dict[str, Any]]]:
    causes: dict[str, tuple[str, dict[str, Any]]] = {}
    with db.session() as session:
        for museum in registry.museums:
            runs = list(
                session.scalars(
                    select(HarvestRun)
                    .where(HarvestRun.museum_id == museum.id, HarvestRun.status == SUCCEEDED)
                    .order_by(HarvestRun.id.desc())
                    .limit(_SLOW_RUNS + 1)
                )
            )
            medians = [float(r.response_ms["p50"]) for r in runs if r.response_ms and "p50" in r.response_ms]
            if len(medians) < 3:
                continue
            latest, baseline = medians[0], statistics.median(medians[1:])
            if latest >= limits.slowdown * baseline and latest - baseline >= _SLOW_MIN_MS:
                causes[f"slow:{museum.id}"] = ("slow", {"before": round(baseline), "after": round(latest)})
    return causes


def evaluate_alerts(
    db: Database,
    registry: Registry,
    limits: AlertLimits,
    *,
    index_count: int | None,
    store_count: int,
) -> AlertChanges:
    """Open alerts for every cause present now, close those whose cause is gone."""
    causes: dict[str, tuple[str, dict[str, Any]]] = {}
    for health in museum_health(db, registry, limits.failed_nights):
        if health.consecutive_failures >= limits.failed_nights:
            last = health.last_run or {}
            causes[f"failing:{health.museum_id}"] = (
                "failing",
                {"count": health.consecutive_failures, "error": last.get("error") or ""},
            )
    causes.update(_slowdowns(db, registry, limits))
    if index_count is not None and abs(index_count - store_count) > limits.index_drift:
        causes["index_drift:all"] = (
            "index_drift",
            {"index": index_count, "store": store_count, "difference": abs(index_count - store_count)},
        )
    with db.session() as session:
        for run in session.scalars(select(HarvestRun).where(HarvestRun.status == HELD)):
            causes[f"held:{run.id}"] = ("held", {"run": run.id, "reason": run.held_reason or ""})
        changes = AlertChanges()
        stamp = now()
        open_rows = {row.key: row for row in session.scalars(select(AlertRow).where(AlertRow.closed_at.is_(None)))}
        for key, (kind, details) in causes.items():
            row = open_rows.pop(key, None)
            if row is None:
                museum_id = key.split(":", 1)[1] if kind in ("failing", "slow") else None
                if kind == "held":
                    museum_id = session.get(HarvestRun, details["run"]).museum_id  # type: ignore[union-attr]
                row = AlertRow(key=key, kind=kind, museum_id=museum_id, opened_at=stamp, last_seen_at=stamp,
                               details=details)  # fmt: skip
                session.add(row)
                session.flush()
                changes.opened.append(_as_dict(row))
            else:
                row.last_seen_at, row.details = stamp, details
        for row in open_rows.values():
            row.closed_at = stamp
            changes.closed.append(_as_dict(row))
        changes.open = len(causes)
        session.commit()
        return changes


def list_alerts(db: Database, *, include_closed: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    with db.session() as session:
        stmt = select(AlertRow).order_by(AlertRow.id.desc()).limit(limit)
        if not include_closed:
            stmt = stmt.where(AlertRow.closed_at.is_(None))
        return [_as_dict(row) for row in session.scalars(stmt)]


def pending_notifications(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(opened, closed) alerts nobody has been told about yet."""
    with db.session() as session:
        opened = session.scalars(select(AlertRow).where(AlertRow.notified_open_at.is_(None)).order_by(AlertRow.id))
        opened_list = [_as_dict(r) for r in opened]
        closed = session.scalars(
            select(AlertRow)
            .where(AlertRow.closed_at.is_not(None), AlertRow.notified_closed_at.is_(None))
            .order_by(AlertRow.id)
        )
        return opened_list, [_as_dict(r) for r in closed]


def mark_notified(db: Database, opened: list[int], closed: list[int]) -> None:
    with db.session() as session:
        stamp = now()
        for row in session.scalars(select(AlertRow).where(AlertRow.id.in_(opened + closed))):
            if row.id in opened and row.notified_open_at is None:
                row.notified_open_at = stamp
            if row.id in closed:
                row.notified_closed_at = stamp
                if row.notified_open_at is None:
                    row.notified_open_at = stamp
        session.commit()

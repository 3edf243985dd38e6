"""The museums' endpoint profiles in the store: saved by an endpoint check, read by the harvest.

A profile is kept per museum and replaced by each check.  The harvester uses
it only while it describes the museum's current source URL: a museum that
moved its endpoint is harvested as Identify says until it is checked again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from aggregator.store.models import EndpointProfileRow
from harvester.endpoint_hints import EndpointHints

__all__ = ["endpoint_hints", "load_endpoint_profile", "save_endpoint_profile"]


def _checked_at(report: dict[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(str(report.get("checked_at", "")).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)


def save_endpoint_profile(session: Session, museum_id: str, report: dict[str, Any]) -> None:
    """Keep ``report`` (an endpoint report's JSON) as the museum's profile, replacing the last one."""
    facts = report.get("facts") or {}
    counts = report.get("counts") or {}
    session.merge(
        EndpointProfileRow(
            museum_id=museum_id,
            url=str(report.get("url", "")),
            checked_at=_checked_at(report),
            declared_granularity=facts.get("declared_granularity"),
            granularity=facts.get("granularity"),
            honours_from=facts.get("honours_from"),
            deleted_record=facts.get("deleted_record"),
            errors=int(counts.get("error", 0)),
            warnings=int(counts.get("warning", 0)),
            report=report,
        )
    )


def load_endpoint_profile(session: Session, museum_id: str) -> dict[str, Any] | None:
    """The museum's last endpoint report (JSON), or None when its endpoint was never checked."""
    row = session.get(EndpointProfileRow, museum_id)
    return dict(row.report) if row is not None else None


def endpoint_hints(session: Session, museum_id: str, url: str) -> EndpointHints | None:
    """What the harvester should know about the museum's endpoint at ``url``, or None."""
    row = session.get(EndpointProfileRow, museum_id)
    if row is None or row.url.rstrip("/") != url.rstrip("/"):
        return None
    return EndpointHints(
        granularity=row.granularity,
        honours_from=row.honours_from,
        checked_at=row.checked_at.strftime("%Y-%m-%d %H:%M UTC"),
    )

"""A person's decision on a held run: apply what it staged, or discard it.

The breaker holds a run that would delete or lose too much; the ministry's
operator looks at it (the report and ``emuseum runs show`` say why) and
decides.  Approving applies the staged changes exactly as an unheld run is
applied; rejecting drops them, keeps the store as it was, and lets the
museum's next harvest start afresh.
"""

from __future__ import annotations

from aggregator.changeset import AppliedRun, apply_run
from aggregator.store.database import Database
from aggregator.store.models import HarvestRun
from aggregator.store.records import now
from aggregator.store.runs import APPLYING, HELD, REJECTED, SUCCEEDED
from aggregator.store.staging import StagingStore

__all__ = ["RunDecisionError", "approve_run", "reject_run"]


class RunDecisionError(Exception):
    """The run named cannot be decided (unknown, not held, already being applied)."""


def _held(db: Database, run_id: int) -> HarvestRun:
    with db.session() as session:
        run = session.get(HarvestRun, run_id)
        if run is None:
            raise RunDecisionError(f"there is no harvest run {run_id}")
        if run.status not in (HELD, APPLYING):
            raise RunDecisionError(f"run {run_id} of {run.museum_id} is {run.status}, not held: nothing to decide")
        return run


def approve_run(db: Database, run_id: int, index_url: str, *, by: str) -> AppliedRun:
    """Apply a held run's staged changes; an interrupted approval can simply be repeated."""
    _held(db, run_id)
    with db.session() as session:
        run = session.get(HarvestRun, run_id)
        assert run is not None
        run.status, run.decided_at, run.decided_by = APPLYING, now(), by
        session.commit()
    applied = apply_run(db, run_id, index_url)
    with db.session() as session:
        run = session.get(HarvestRun, run_id)
        assert run is not None
        run.status, run.finished_at = SUCCEEDED, now()
        run.records_deleted = applied.deleted + applied.swept
        session.commit()
    return applied


def reject_run(db: Database, run_id: int, *, by: str) -> int:
    """Discard a held run's staged changes; returns how many staged rows were dropped."""
    run = _held(db, run_id)
    if run.status == APPLYING:
        raise RunDecisionError(
            f"run {run_id} is being applied already (approved by {run.decided_by}); it cannot be rejected"
        )
    with db.session() as session:
        dropped = StagingStore(session).discard(run_id)
        held = session.get(HarvestRun, run_id)
        assert held is not None
        held.status, held.decided_at, held.decided_by, held.finished_at = REJECTED, now(), by, now()
        session.commit()
    return dropped

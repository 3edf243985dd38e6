"""Applying a staged run to the store and the index, batch by batch, resumable.

A run's changes reach researchers only here: mapped records are written with
their findings and index rows, records the museum deleted (or a complete
listing left out) become tombstones, and the staged rows are dropped.  Each
batch commits with the run's ``applied_through`` mark, so an apply that is
killed half-way finishes where it stopped the next time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.index.documents import IndexDocument
from aggregator.index.open import index_writer
from aggregator.quality_summary import summarise_museum
from aggregator.store.database import Database
from aggregator.store.models import HarvestRun, StagedRecord
from aggregator.store.records import RecordStore, now
from aggregator.store.staging import DELETE, UPSERT, StagingStore
from harvester.raw import record_id

__all__ = ["AppliedRun", "apply_run", "pending_deletions"]

log = logging.getLogger("emuseum.apply")


@dataclass(slots=True)
class AppliedRun:
    upserted: int = 0
    deleted: int = 0  # deleted at source
    swept: int = 0  # absent from a complete listing


def pending_deletions(db: Database, run: HarvestRun) -> tuple[int, int]:
    """(deleted at source, absent from a complete listing): live records applying the run would tombstone."""
    with db.session() as session:
        staging = StagingStore(session)
        explicit = staging.count(run.id, DELETE, existed=True)
        swept = staging.count_unseen_live(run.museum_id, run.id) if run.complete_listing else 0
    return explicit, swept


def _tombstone(records: RecordStore, row: StagedRecord | None, museum_id: str, local_id: str, run_id: int,
               reason: str) -> str | None:  # fmt: skip
    """Tombstone one live record; returns its id, or None when it is not (or no longer) live."""
    raw = records.raw_rows(museum_id, [local_id]).get(local_id)
    if raw is None or raw.deleted:
        return None
    rid = record_id(museum_id, local_id)
    records.tombstone(museum_id, local_id, rid, reason, run_id)
    raw.deleted = True
    raw.last_seen_run = run_id
    if row is not None:
        raw.datestamp = row.datestamp or raw.datestamp
        raw.harvested_at = row.harvested_at or now()
    return rid


def apply_run(db: Database, run_id: int, index_url: str, *, batch: int = 500) -> AppliedRun:
    """Write a staged run into the store and the index; safe to call again after a crash."""
    applied = AppliedRun()
    with db.session() as session:
        run = session.get(HarvestRun, run_id)
        if run is None:
            raise ValueError(f"no harvest run {run_id}")
        museum_id, complete, after = run.museum_id, run.complete_listing, run.applied_through or 0
    while True:
        with db.session() as session:
            rows = StagingStore(session).batch(run_id, after, batch)
            if not rows:
                break
            latest = list({row.local_id: row for row in rows}.values())  # one record twice: the later word
            upserts = [row for row in latest if row.action == UPSERT]
            records = RecordStore(session)
            records.apply_upserts(upserts, run_id)
            index = index_writer(session, index_url)
            index.upsert([IndexDocument(**row.index_document) for row in upserts if row.index_document])
            removed = [
                rid
                for row in latest
                if row.action == DELETE
                and (rid := _tombstone(records, row, museum_id, row.local_id, run_id, "deleted at source"))
            ]
            index.delete(removed)
            after = rows[-1].id
            _mark(session, run_id, applied_through=after)
            session.commit()
            applied.upserted += len(upserts)
            applied.deleted += len(removed)
    while complete:
        with db.session() as session:
            unseen = StagingStore(session).unseen_live(museum_id, run_id, batch)
            if not unseen:
                break
            records = RecordStore(session)
            removed = [
                rid
                for raw in unseen
                if (rid := _tombstone(records, None, museum_id, raw.local_id, run_id, "absent from full export"))
            ]
            index_writer(session, index_url).delete(removed)
            session.commit()
            applied.swept += len(removed)
    with db.session() as session:
        StagingStore(session).discard(run_id)
        summarise_museum(session, museum_id)
        session.commit()
    log.info("applied run=%s museum=%s upserted=%d deleted=%d swept=%d", run_id, museum_id, applied.upserted,
             applied.deleted, applied.swept)  # fmt: skip
    return applied


def _mark(session: Session, run_id: int, **values: object) -> None:
    session.execute(update(HarvestRun).where(HarvestRun.id == run_id).values(**values))

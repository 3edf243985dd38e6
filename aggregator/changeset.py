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
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.fts import SqliteFtsIndex, fts_rows
from aggregator.index.open import index_writer
from aggregator.index.outbox import OutboxIndex
from aggregator.quality_summary import summarise_museum
from aggregator.store.database import Database
from aggregator.store.models import HarvestRun, MuseumQuality, MuseumRow
from aggregator.store.records import RecordStore
from aggregator.store.staging import DELETE, UPSERT, StagedAction, StagingStore
from harvester.raw import record_id
from mappings.core import CoreRecord
from mappings.quality import assess

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


def _index_rows(session: Session, museum_id: str, items: list[tuple[int, dict[str, Any] | None]],
                region_of: dict[str, str]) -> list[dict[str, Any]]:  # fmt: skip
    """The embedded index's rows of staged upserts: staged with the page, or built from the staged document.

    A run staged for a search engine (or by an older version) carries no index
    rows; its records are indexed from their staged core documents.
    """
    rows: list[dict[str, Any]] = []
    missing: list[int] = []
    for staged_id, index in items:
        if index is not None and "fts" in index:
            rows.append(index["fts"])
        elif index is not None and "id" in index:  # an IndexDocument staged before index rows were
            rows.append(fts_rows(IndexDocument(**index)))
        else:
            missing.append(staged_id)
    if missing:
        for document in StagingStore(session).documents(missing).values():
            record = CoreRecord.model_validate(document)
            quality = assess(record).score
            rows.append(fts_rows(build_document(record, region_of.get(museum_id, ""), quality)))
    return rows


def _apply_batch(session: Session, museum_id: str, run_id: int, rows: list[StagedAction], index_url: str,
                 applied: AppliedRun) -> None:  # fmt: skip
    """One batch of staged rows, in the caller's transaction: the later row of a record is its last word."""
    latest = list({row.local_id: row for row in rows}.values())
    upsert_ids = [row.id for row in latest if row.action == UPSERT]
    records, staging = RecordStore(session), StagingStore(session)
    embedded = index_url_is_embedded(session, index_url)
    written = records.upsert_from_staging(upsert_ids, run_id)
    staged = staging.upserted(upsert_ids)
    records.replace_findings([(record_id(m, local_id), m, findings or []) for _, m, local_id, findings, _ in staged])
    if embedded:
        region_of = {museum_id: _region(session, museum_id)}
        items = [(staged_id, index) for staged_id, _, _, _, index in staged]
        SqliteFtsIndex(session).write(_index_rows(session, museum_id, items, region_of))
    else:
        OutboxIndex(session).enqueue(written, "upsert")
    deletions = [row for row in latest if row.action == DELETE]
    seen = {row.local_id: (row.datestamp, row.harvested_at) for row in deletions}
    removed = records.tombstone_many(museum_id, list(seen), run_id, "deleted at source", seen)
    _delete_from_index(session, index_url, removed)
    applied.upserted += len(upsert_ids)
    applied.deleted += len(removed)


def index_url_is_embedded(session: Session, index_url: str) -> bool:
    return isinstance(index_writer(session, index_url), SqliteFtsIndex)


def _delete_from_index(session: Session, index_url: str, ids: list[str]) -> None:
    index_writer(session, index_url).delete(ids)


def _region(session: Session, museum_id: str) -> str:
    row = session.get(MuseumRow, museum_id)
    return row.region if row is not None else ""


def apply_run(db: Database, run_id: int, index_url: str, *, batch: int = 2000) -> AppliedRun:
    """Write a staged run into the store and the index; safe to call again after a crash.

    Batch by batch in the order the rows were staged, each batch committed with
    the run's ``applied_through`` mark.  Records are copied from the staged rows
    inside the database (``upsert_from_staging``); Python reads only ids,
    findings and the index rows prepared with the page.
    """
    applied = AppliedRun()
    with db.session() as session:
        run = session.get(HarvestRun, run_id)
        if run is None:
            raise ValueError(f"no harvest run {run_id}")
        museum_id, complete, after = run.museum_id, run.complete_listing, run.applied_through or 0
    changed = after > 0  # a resumed apply wrote records before it was interrupted
    while True:
        with db.session() as session:
            rows = StagingStore(session).batch(run_id, after, batch)
            if not rows:
                break
            _apply_batch(session, museum_id, run_id, rows, index_url, applied)
            after = rows[-1].id
            _mark(session, run_id, applied_through=after)
            session.commit()
    while complete:
        with db.session() as session:
            unseen = StagingStore(session).unseen_live(museum_id, run_id, batch)
            if not unseen:
                break
            removed = RecordStore(session).tombstone_many(museum_id, unseen, run_id, "absent from full export")
            _delete_from_index(session, index_url, removed)
            session.commit()
            applied.swept += len(removed)
    with db.session() as session:
        StagingStore(session).discard(run_id)
        # The fund-wide summary only moves when records did (a resumed apply may have written them before).
        changed = changed or bool(applied.upserted or applied.deleted or applied.swept)
        if changed or session.get(MuseumQuality, museum_id) is None:
            summarise_museum(session, museum_id)
        session.commit()
    log.info("applied run=%s museum=%s upserted=%d deleted=%d swept=%d", run_id, museum_id, applied.upserted,
             applied.deleted, applied.swept)  # fmt: skip
    return applied


def _mark(session: Session, run_id: int, **values: object) -> None:
    session.execute(update(HarvestRun).where(HarvestRun.id == run_id).values(**values))

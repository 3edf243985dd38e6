"""Bringing an index up to date with the store: outbox sync, full rebuild, embedded reindex.

The store is the source of truth and the outbox only says *which* records
changed.  A sync therefore sends each changed record's state as the store holds
it now (a record deleted since is deleted from the index), and removes outbox
rows only after the engine acknowledged them: an engine that is down loses
nothing, the next sync catches up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aggregator.index.backends import EngineIndex
from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.errors import DocumentsRejected
from aggregator.index.sqlite_fts import SqliteFtsIndex
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, IndexOutbox, Tombstone
from aggregator.store.records import now
from mappings.core import CoreRecord

__all__ = [
    "CATCH_UP_MARGIN",
    "RebuildReport",
    "SyncReport",
    "iter_documents",
    "rebuild",
    "reindex_embedded",
    "sync_outbox",
]

log = logging.getLogger("emuseum.index.sync")

#: After a rebuild, records changed since (rebuild start - margin) are sent again, because a
#: harvest page stamps ``updated_at`` before it commits and may commit while the load runs.
CATCH_UP_MARGIN = timedelta(minutes=10)


@dataclass(slots=True)
class SyncReport:
    rows: int = 0  # outbox rows consumed
    upserted: int = 0
    deleted: int = 0
    batches: int = 0
    rejected: dict[str, str] = field(default_factory=dict)  # record id -> reason; their rows stay

    def line(self) -> str:
        text = f"index sync: {self.upserted} upserted, {self.deleted} deleted from {self.rows} outbox rows"
        return text + (f", {len(self.rejected)} rejected" if self.rejected else "")


@dataclass(slots=True)
class RebuildReport:
    index: str  # the physical index (engine) or "sqlite-fts"
    documents: int = 0
    caught_up: int = 0  # records re-sent after the swap because they changed during the load
    seconds: float = 0.0
    rejected: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        text = f"rebuilt {self.index} with {self.documents} records in {self.seconds:.1f}s"
        if self.caught_up:
            text += f", {self.caught_up} changed during the rebuild re-sent"
        return text + (f", {len(self.rejected)} rejected" if self.rejected else "")


def _document(row: CoreRow, region_of: dict[str, str]) -> IndexDocument:
    """The index document of a stored core row; a stored document that no longer validates names itself."""
    try:
        record = CoreRecord.model_validate(row.document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "document"
        raise ValueError(f"museum {row.museum_id}, record {row.id}, field {where}: {first.get('msg')}") from None
    return build_document(record, region_of.get(row.museum_id, ""), row.quality)


def _core_rows(session: Session, ids: list[str]) -> dict[str, CoreRow]:
    rows: dict[str, CoreRow] = {}
    for start in range(0, len(ids), 500):  # keep IN lists well inside every database's limits
        chunk = ids[start : start + 500]
        rows.update({row.id: row for row in session.scalars(select(CoreRow).where(CoreRow.id.in_(chunk)))})
    return rows


def sync_outbox(db: Database, engine: EngineIndex, region_of: dict[str, str], batch: int = 500) -> SyncReport:
    """Send outbox changes to the engine in id order, ``batch`` rows at a time.

    Per record only its current state is sent, once per batch, however many rows
    name it.  Rows are deleted by id, never by range, so a row a concurrent
    harvest commits meanwhile (even with a lower id) stays for the next sync.
    Raises IndexUnavailable when the engine cannot be reached: batches already
    acknowledged are gone from the outbox, the rest stay.
    """
    report = SyncReport()
    after = 0
    while True:
        with db.session() as session:
            rows = list(
                session.scalars(select(IndexOutbox).where(IndexOutbox.id > after).order_by(IndexOutbox.id).limit(batch))
            )
            if not rows:
                return report
            after = rows[-1].id
            record_ids = list(dict.fromkeys(row.record_id for row in rows))
            cores = _core_rows(session, record_ids)
            docs: list[IndexDocument] = []
            gone: list[str] = []
            rejected: dict[str, str] = {}
            for record_id in record_ids:
                core = cores.get(record_id)
                if core is None:
                    gone.append(record_id)
                    continue
                try:
                    docs.append(_document(core, region_of))
                except ValueError as exc:
                    rejected[record_id] = str(exc)
        # Outside the session: no database transaction stays open while the engine is slow.
        try:
            engine.upsert(docs)
        except DocumentsRejected as exc:
            rejected.update(exc.reasons)
        try:
            engine.delete(gone)
        except DocumentsRejected as exc:
            rejected.update(exc.reasons)
        done = [row.id for row in rows if row.record_id not in rejected]
        with db.session() as session:
            for start in range(0, len(done), 500):
                session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(done[start : start + 500])))
            session.commit()
        report.rows += len(done)
        report.upserted += sum(1 for d in docs if d.id not in rejected)
        report.deleted += sum(1 for record_id in gone if record_id not in rejected)
        report.batches += 1
        report.rejected.update(rejected)
        for record_id, reason in rejected.items():
            log.error("index sync: record %s kept in the outbox: %s", record_id, reason)


def iter_documents(
    db: Database,
    region_of: dict[str, str],
    *,
    batch: int = 500,
    rejected: dict[str, str] | None = None,
) -> Iterator[IndexDocument]:
    """Every stored core record as an index document, in id order, one short session per batch.

    Records whose stored document does not validate are skipped and named in ``rejected``.
    """
    last = ""
    while True:
        with db.session() as session:
            rows = list(session.scalars(select(CoreRow).where(CoreRow.id > last).order_by(CoreRow.id).limit(batch)))
        if not rows:
            return
        for row in rows:
            try:
                yield _document(row, region_of)
            except ValueError as exc:
                if rejected is None:
                    raise
                rejected[row.id] = str(exc)
        last = rows[-1].id


def _changed_since(db: Database, since: datetime) -> tuple[list[str], list[str]]:
    with db.session() as session:
        changed = list(session.scalars(select(CoreRow.id).where(CoreRow.updated_at >= since)))
        removed = list(session.scalars(select(Tombstone.id).where(Tombstone.deleted_at >= since)))
    return changed, removed


def rebuild(db: Database, engine: EngineIndex, region_of: dict[str, str]) -> RebuildReport:
    """Stream the whole store into a fresh engine index and swap the alias to it.

    Records written while the load ran may have missed the new index, so once
    the alias points at it the records changed since the start (with a margin)
    are sent again; the outbox is left alone, its next sync is harmless.
    """
    started_wall = time.monotonic()
    started = now() - CATCH_UP_MARGIN
    rejected: dict[str, str] = {}
    refused_by_engine: dict[str, str] = {}
    counted = 0

    def counting(docs: Iterable[IndexDocument]) -> Iterator[IndexDocument]:
        nonlocal counted
        for doc in docs:
            counted += 1
            yield doc

    name = engine.rebuild(
        counting(iter_documents(db, region_of, rejected=rejected)), on_rejected=refused_by_engine.update
    )
    rejected.update(refused_by_engine)
    changed, removed = _changed_since(db, started)
    with db.session() as session:
        cores = _core_rows(session, changed)
    late = []
    for core in cores.values():
        try:
            late.append(_document(core, region_of))
        except ValueError as exc:
            rejected[core.id] = str(exc)
    try:
        engine.upsert(late)
    except DocumentsRejected as exc:
        rejected.update(exc.reasons)
    still_gone = [record_id for record_id in removed if record_id not in cores]
    engine.delete(still_gone)
    return RebuildReport(
        index=name,
        documents=counted - len(refused_by_engine),
        caught_up=len(late) + len(still_gone),
        seconds=time.monotonic() - started_wall,
        rejected=rejected,
    )


def reindex_embedded(db: Database, region_of: dict[str, str], batch: int = 500) -> RebuildReport:
    """Rebuild the SQLite FTS5 index from the store: clear and refill in ONE transaction.

    Readers see the old index until the commit and the complete new one after
    it (WAL), exactly like an engine's alias swap.
    """
    if not db.is_sqlite:
        raise ValueError("the embedded index exists only in a SQLite store")
    started = time.monotonic()
    rejected: dict[str, str] = {}
    documents = 0
    with db.session() as session:
        index = SqliteFtsIndex(session)
        index.clear()
        last = ""
        while True:
            rows = list(session.scalars(select(CoreRow).where(CoreRow.id > last).order_by(CoreRow.id).limit(batch)))
            if not rows:
                break
            docs = []
            for row in rows:
                try:
                    docs.append(_document(row, region_of))
                except ValueError as exc:
                    rejected[row.id] = str(exc)
            index.upsert(docs)
            documents += len(docs)
            last = rows[-1].id
            session.expunge_all()  # the batch is written; do not keep every row in memory
        session.commit()
    return RebuildReport(
        index=SqliteFtsIndex.name, documents=documents, seconds=time.monotonic() - started, rejected=rejected
    )

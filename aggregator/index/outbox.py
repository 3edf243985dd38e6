"""The outbox: which records an external engine still has to hear about, and sending them.

An external engine cannot join the store's transaction, so a harvest page
writes one outbox row per changed record in the same transaction as the
records; the sync sends each such record's current state after the commit.
The store is the source of truth and the outbox only says *which* records
changed: a record deleted since is deleted from the index, and rows are
removed only after the engine acknowledged them, so an engine that is down
loses nothing and the next sync catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from aggregator.index.documents import IndexDocument, stored_document
from aggregator.index.engines.base import EngineIndex
from aggregator.index.errors import DocumentsRejected
from aggregator.store.database import Database
from aggregator.store.models import IndexOutbox, table_of
from aggregator.store.records import RecordStore, now

__all__ = ["OutboxIndex", "SyncReport", "sync_outbox"]

log = logging.getLogger("emuseum.index.sync")


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


class OutboxIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, docs: Sequence[IndexDocument]) -> None:
        self.enqueue([doc.id for doc in docs], "upsert")

    def delete(self, ids: Sequence[str]) -> None:
        self.enqueue(ids, "delete")

    def enqueue(self, ids: Sequence[str], op: str) -> None:
        """One outbox row per record id, with one executemany (the sync needs only the ids)."""
        if ids:
            stamp = now()
            rows = [{"record_id": record_id, "op": op, "enqueued_at": stamp} for record_id in ids]
            self.session.execute(insert(table_of(IndexOutbox)), rows)


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
            cores = RecordStore(session).core_rows(record_ids)
            docs: list[IndexDocument] = []
            gone: list[str] = []
            rejected: dict[str, str] = {}
            for record_id in record_ids:
                core = cores.get(record_id)
                if core is None:
                    gone.append(record_id)
                    continue
                try:
                    docs.append(stored_document(core, region_of))
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

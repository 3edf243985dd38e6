"""Rebuilding an index from the store: a fresh engine index swapped in, or the embedded one refilled.

Every index is a projection of the store and can be rebuilt from it at any
time; a rebuild never shows searchers a half-filled index.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from aggregator.index.documents import IndexDocument, stored_document
from aggregator.index.engines.base import EngineIndex
from aggregator.index.errors import DocumentsRejected
from aggregator.index.fts import SqliteFtsIndex
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, Tombstone
from aggregator.store.records import RecordStore, now

__all__ = ["CATCH_UP_MARGIN", "RebuildReport", "iter_documents", "rebuild", "reindex_embedded"]

#: After a rebuild, records changed since (rebuild start - margin) are sent again, because a
#: harvest page stamps ``updated_at`` before it commits and may commit while the load runs.
CATCH_UP_MARGIN = timedelta(minutes=10)


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
                yield stored_document(row, region_of)
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
        cores = RecordStore(session).core_rows(changed)
    late = []
    for core in cores.values():
        try:
            late.append(stored_document(core, region_of))
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
                    docs.append(stored_document(row, region_of))
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

"""Rebuilding an index from the store: a fresh engine index swapped in, or the embedded one refilled.

Every index is a projection of the store and can be rebuilt from it at any
time; a rebuild never shows searchers a half-filled index.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from aggregator.index.documents import IndexDocument, stored_document
from aggregator.index.engines.base import EngineIndex
from aggregator.index.errors import DocumentsRejected
from aggregator.index.fts import SqliteFtsIndex, fts_rows
from aggregator.parallel import ProgressCallback, spawn_context, unordered_results
from aggregator.store.chunks import CoreRange, core_ranges
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, IndexOutbox, Tombstone, table_of
from aggregator.store.records import RecordStore, now

__all__ = ["CATCH_UP_MARGIN", "ProgressCallback", "RebuildReport", "iter_documents", "rebuild", "reindex_embedded"]

#: After a rebuild, records changed since (rebuild start - margin) are sent again unless the load
#: read them in that very state, because a harvest page stamps ``updated_at`` before it commits
#: and may commit while the load runs.  The margin bounds how long such a transaction may take.
CATCH_UP_MARGIN = timedelta(minutes=10)


def _state_key(record_id: str, updated_at: datetime) -> int:
    """A record's state as 8 bytes, the same in every process (``hash`` of a str is not).

    The load keeps the keys of the recent states it read; a record whose
    current state has a key the load kept is in the new index as it is now.
    Eight bytes, not the id and stamp, because after a remap the recent
    states are hundreds of thousands.
    """
    digest = hashlib.blake2b(f"{record_id}\x00{updated_at.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(slots=True)
class RebuildReport:
    index: str  # the physical index (engine) or "sqlite-fts"
    documents: int = 0
    caught_up: int = 0  # records re-sent after the swap because they changed during the load
    seconds: float = 0.0
    rejected: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    outbox_settled: int = 0  # outbox rows the rebuild made needless

    def line(self) -> str:
        text = f"rebuilt {self.index} with {self.documents} records in {self.seconds:.1f}s"
        if self.workers > 1:
            text += f" ({self.workers} workers)"
        if self.caught_up:
            text += f", {self.caught_up} changed during the rebuild re-sent"
        return text + (f", {len(self.rejected)} rejected" if self.rejected else "")


def iter_documents(
    db: Database,
    region_of: dict[str, str],
    *,
    batch: int = 500,
    rejected: dict[str, str] | None = None,
    read_since: tuple[datetime, set[int]] | None = None,
) -> Iterator[IndexDocument]:
    """Every stored core record as an index document, in id order, one short session per batch.

    Records whose stored document does not validate are skipped and named in ``rejected``.
    With ``read_since`` (a moment, a set), the state of each record changed since that moment is
    added to the set as ``_state_key``, so a rebuild can tell which changes its load already saw.
    """
    last = ""
    while True:
        with db.session() as session:
            rows = list(session.scalars(select(CoreRow).where(CoreRow.id > last).order_by(CoreRow.id).limit(batch)))
        if not rows:
            return
        for row in rows:
            if read_since is not None and row.updated_at >= read_since[0]:
                read_since[1].add(_state_key(row.id, row.updated_at))
            try:
                yield stored_document(row, region_of)
            except ValueError as exc:
                if rejected is None:
                    raise
                rejected[row.id] = str(exc)
        last = rows[-1].id


def _changed_since(db: Database, since: datetime, read: set[int]) -> tuple[list[str], list[str]]:
    """Records changed since ``since`` that the load did not read as they are now, and records removed since."""
    with db.session() as session:
        changed = [
            record_id
            for record_id, updated_at in session.execute(
                select(CoreRow.id, CoreRow.updated_at).where(CoreRow.updated_at >= since)
            )
            if _state_key(record_id, updated_at) not in read
        ]
        removed = list(session.scalars(select(Tombstone.id).where(Tombstone.deleted_at >= since)))
    return changed, removed


def rebuild(
    db: Database,
    engine: EngineIndex,
    region_of: dict[str, str],
    *,
    workers: int = 1,
    index_url: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> RebuildReport:
    """Stream the whole store into a fresh engine index and swap the alias to it.

    With ``workers`` > 1 (and the engine's ``index_url``, which each worker
    opens) the store is cut into ranges of core records and worker processes
    build and bulk-load their documents into the one new index at once.
    Records written while the load ran may have missed the new index, so once
    the alias points at it the records changed since the start (with a margin)
    are sent again, unless the load read them as they are now: right after a
    remap every record is recent, and sending each twice would double the
    rebuild.  Outbox rows the new index settles are dropped; the rest stay for
    the next sync, which is harmless.
    """
    started_wall = time.monotonic()
    started = now() - CATCH_UP_MARGIN
    read: set[int] = set()  # _state_key of each recent state the load read
    rejected: dict[str, str] = {}
    refused_by_engine: dict[str, str] = {}
    counted = 0
    if workers > 1 and index_url:
        name = engine.start_rebuild()
        try:
            for loaded in _ranges_in_workers(db, region_of, workers, index_url, name, started, on_progress):
                counted += loaded.documents
                rejected.update(loaded.rejected)
                refused_by_engine.update(loaded.refused)
                read |= loaded.read
            engine.finish_rebuild(name)
        except BaseException:
            engine.abandon_rebuild(name)
            raise
    else:
        total = _core_count(db)

        def counting(docs: Iterable[IndexDocument]) -> Iterator[IndexDocument]:
            nonlocal counted
            for doc in docs:
                counted += 1
                if on_progress is not None and counted % 500 == 0:
                    on_progress(counted, total)
                yield doc

        name = engine.rebuild(
            counting(iter_documents(db, region_of, rejected=rejected, read_since=(started, read))),
            on_rejected=refused_by_engine.update,
        )
    rejected.update(refused_by_engine)
    caught_up_from = now()
    changed, removed = _changed_since(db, started, read)
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
    settled = _drop_settled_outbox(db, caught_up_from - CATCH_UP_MARGIN)
    return RebuildReport(
        index=name,
        documents=counted - len(refused_by_engine),
        caught_up=len(late) + len(still_gone),
        seconds=time.monotonic() - started_wall,
        rejected=rejected,
        workers=max(1, workers if index_url else 1),
        outbox_settled=settled,
    )


def _drop_settled_outbox(db: Database, before: datetime) -> int:
    """Outbox rows older than the catch-up (less the margin) name changes the new index holds.

    Such a change committed before the catch-up looked (no transaction takes
    longer than the margin), so the load read it or the catch-up sent it.

    Left alone, the next sync would send them all again: after a remap of the
    whole store, as much work as the rebuild itself.
    """
    with db.session() as session:
        result = session.execute(delete(IndexOutbox).where(IndexOutbox.enqueued_at < before))
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def reindex_embedded(
    db: Database,
    region_of: dict[str, str],
    batch: int = 500,
    *,
    workers: int = 1,
    on_progress: ProgressCallback | None = None,
) -> RebuildReport:
    """Rebuild the SQLite FTS5 index from the store: clear and refill in ONE transaction.

    Readers see the old index until the commit and the complete new one after
    it (WAL), exactly like an engine's alias swap.  With ``workers`` > 1,
    worker processes build and fold the documents range by range and this
    process, the one writer, inserts their rows.
    """
    if not db.is_sqlite:
        raise ValueError("the embedded index exists only in a SQLite store")
    started = time.monotonic()
    rejected: dict[str, str] = {}
    documents = 0
    with db.session() as session:
        spans = core_ranges(session, batch if workers <= 1 else RANGE_SIZE)
    total = sum(span.records for span in spans)
    with db.session() as session:
        index = SqliteFtsIndex(session)
        index.clear()
        if workers > 1 and len(spans) > 1:
            results: Iterable[_Folded] = _folded_in_workers(db, region_of, spans, workers)
        else:
            results = (_fold_range(db, region_of, span) for span in spans)
        for folded in results:
            index.write(folded.rows)
            documents += len(folded.rows)
            rejected.update(folded.rejected)
            if on_progress is not None:
                on_progress(documents + len(rejected), total)
        session.commit()
    return RebuildReport(
        index=SqliteFtsIndex.name,
        documents=documents,
        seconds=time.monotonic() - started,
        rejected=rejected,
        workers=max(1, workers),
    )


# -- ranges of the store, in this process or in workers -----------------------------------------

RANGE_SIZE = 1000  # core records per task


@dataclass(slots=True)
class _Loaded:
    documents: int = 0
    rejected: dict[str, str] = field(default_factory=dict)  # by the store: no longer validates
    refused: dict[str, str] = field(default_factory=dict)  # by the engine
    read: set[int] = field(default_factory=set)  # _state_key of the recent states read


@dataclass(slots=True)
class _Folded:
    rows: list[dict[str, Any]] = field(default_factory=list)  # fts_rows of each document
    rejected: dict[str, str] = field(default_factory=dict)


def _core_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(CoreRow)) or 0)


def _documents(
    db: Database, region_of: dict[str, str], span: CoreRange, read_since: tuple[datetime, set[int]] | None = None
) -> tuple[list[IndexDocument], dict[str, str]]:
    core = table_of(CoreRow)
    with db.session() as session:
        rows = session.execute(
            select(core.c.id, core.c.museum_id, core.c.document, core.c.quality, core.c.updated_at).where(
                span.condition()
            )
        ).all()
    docs: list[IndexDocument] = []
    rejected: dict[str, str] = {}
    for row in rows:
        if read_since is not None and row.updated_at >= read_since[0]:
            read_since[1].add(_state_key(row.id, row.updated_at))
        try:
            docs.append(stored_document(row, region_of))
        except ValueError as exc:
            rejected[row.id] = str(exc)
    return docs, rejected


def _fold_range(db: Database, region_of: dict[str, str], span: CoreRange) -> _Folded:
    docs, rejected = _documents(db, region_of, span)
    return _Folded([fts_rows(doc) for doc in docs], rejected)


_WORKER: dict[str, Any] = {}


def _start_worker(database_url: str, region_of: dict[str, str], index_url: str | None) -> None:
    from aggregator.index.open import open_engine  # the engine client is imported only where one is used
    from aggregator.store.database import open_database

    _WORKER["db"] = open_database(database_url)
    _WORKER["regions"] = region_of
    _WORKER["engine"] = open_engine(index_url) if index_url else None


def _fold_in_worker(span: CoreRange) -> _Folded:
    return _fold_range(_WORKER["db"], _WORKER["regions"], span)


def _load_in_worker(span: CoreRange, name: str, since: datetime) -> _Loaded:
    read: set[int] = set()
    docs, rejected = _documents(_WORKER["db"], _WORKER["regions"], span, (since, read))
    engine: EngineIndex = _WORKER["engine"]
    written, refused = engine.load(name, docs)
    return _Loaded(written + len(refused), rejected, refused, read)


def _pool(db: Database, region_of: dict[str, str], workers: int, index_url: str | None) -> ProcessPoolExecutor:
    url = db.engine.url.render_as_string(hide_password=False)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=spawn_context(),
        initializer=_start_worker,
        initargs=(url, dict(region_of), index_url),
    )


def _folded_in_workers(
    db: Database, region_of: dict[str, str], spans: list[CoreRange], workers: int
) -> Iterator[_Folded]:
    with _pool(db, region_of, workers, None) as pool:
        yield from unordered_results(pool, _fold_in_worker, spans, in_flight=2 * workers)


def _ranges_in_workers(
    db: Database,
    region_of: dict[str, str],
    workers: int,
    index_url: str,
    name: str,
    since: datetime,
    on_progress: ProgressCallback | None,
) -> Iterator[_Loaded]:
    with db.session() as session:
        spans = core_ranges(session, RANGE_SIZE)
    total = sum(span.records for span in spans)
    done = 0
    with _pool(db, region_of, workers, index_url) as pool:
        for loaded in unordered_results(pool, _load_in_worker, spans, name, since, in_flight=2 * workers):
            done += loaded.documents + len(loaded.rejected)
            if on_progress is not None:
                on_progress(done, total)
            yield loaded

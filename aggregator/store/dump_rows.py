"""The active core records in id order, in batches, for bulk dumps; and the catalogue state a dump reflects.

A dump of 4.5 million records must run in constant memory, so records are
read by keyset paging on the primary key (``id > last ORDER BY id LIMIT n``):
each batch is one index range scan whatever its position, and nothing is held
between batches but the last id.  Documents are read as their JSON *text*
(``CAST ... AS TEXT``), not decoded here: the worker process that renders a
batch decodes it, so the reading process only moves strings.

On PostgreSQL the whole read runs in one REPEATABLE READ transaction, so a
dump is one consistent snapshot even while a harvest commits beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from aggregator.store.database import Database
from aggregator.store.models import CoreRow, Tombstone, table_of
from aggregator.store.stored_document import StoredDocument

__all__ = ["StoredDocument", "catalogue_state", "iter_document_batches"]


def _utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _open(db: Database) -> Session:
    session = db.session()
    if not db.is_sqlite:
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session


def catalogue_state(session: Session, museum_id: str | None = None) -> dict[str, Any]:
    """What the store held when the dump began: active and deleted records, and the latest change."""
    live = select(func.count(), func.max(CoreRow.updated_at)).select_from(CoreRow)
    gone = select(func.count(), func.max(Tombstone.deleted_at)).select_from(Tombstone)
    if museum_id:
        live = live.where(CoreRow.museum_id == museum_id)
        gone = gone.where(Tombstone.museum_id == museum_id)
    active, last_update = session.execute(live).one()
    deleted, last_deletion = session.execute(gone).one()
    changes = [m for m in (last_update, last_deletion) if m is not None]
    return {
        "active_records": int(active or 0),
        "deleted_records": int(deleted or 0),
        "last_change": _utc(max(changes)) if changes else None,
    }


def iter_document_batches(
    db: Database, museum_id: str | None = None, *, size: int = 500, state: dict[str, Any] | None = None
) -> Iterator[list[StoredDocument]]:
    """Active records (one museum's, or all) in batches of ``size``, in id order, from one snapshot.

    ``state``, when given, is filled with ``catalogue_state`` read in the same
    snapshot before the first batch.
    """
    core = table_of(CoreRow)
    text = cast(core.c.document, Text)
    with _open(db) as session:
        if state is not None:
            state.update(catalogue_state(session, museum_id))
        after: str | None = None
        while True:
            stmt = select(core.c.id, core.c.museum_id, text).order_by(core.c.id).limit(size)
            if museum_id:
                stmt = stmt.where(core.c.museum_id == museum_id)
            if after is not None:
                stmt = stmt.where(core.c.id > after)
            rows = session.execute(stmt).all()
            if not rows:
                return
            yield [StoredDocument(r[0], r[1], r[2]) for r in rows]
            after = rows[-1][0]
            if len(rows) < size:
                return

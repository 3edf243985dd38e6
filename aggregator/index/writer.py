"""Which index a harvest writes to inside its transaction.

The embedded FTS5 index is written directly (same database, same
transaction).  An external engine cannot join that transaction, so the change
is written to an outbox table instead and sent after the commit; if the
engine is down, the outbox keeps it until the next sync.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from aggregator.index.documents import IndexDocument
from aggregator.index.sqlite_fts import SqliteFtsIndex
from aggregator.store.models import IndexOutbox
from aggregator.store.records import now

__all__ = ["OutboxIndex", "index_writer", "is_embedded"]


def is_embedded(index_url: str) -> bool:
    return index_url in ("", "sqlite", "sqlite-fts")


class OutboxIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, docs: Sequence[IndexDocument]) -> None:
        stamp = now()
        for doc in docs:
            self.session.add(IndexOutbox(record_id=doc.id, op="upsert", enqueued_at=stamp))

    def delete(self, ids: Sequence[str]) -> None:
        stamp = now()
        for record_id in ids:
            self.session.add(IndexOutbox(record_id=record_id, op="delete", enqueued_at=stamp))


def index_writer(session: Session, index_url: str) -> SqliteFtsIndex | OutboxIndex:
    """FTS5 lives only in SQLite; a PostgreSQL store always feeds an engine through the outbox."""
    if is_embedded(index_url) and session.get_bind().dialect.name == "sqlite":
        return SqliteFtsIndex(session)
    return OutboxIndex(session)

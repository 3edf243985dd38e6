"""The store as a change feed: live and deleted records in (datestamp, id) order, for OAI-PMH out.

It serves ``aggregator.oai_pmh.feed.FeedView`` (the set of a window is a museum id).

Partners harvest the catalogue incrementally, so the feed must page through
records and tombstones merged in one stable order and resume after the last
item it handed out (keyset paging: no offsets that shift while records change).
One ``ChangeFeed`` holds one session, so the items of a page and the size of
the whole list come from the same snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from aggregator.oai_pmh.feed import FeedItem, FeedWindow
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, Tombstone

__all__ = ["ChangeFeed", "FeedItem", "FeedWindow", "open_feed"]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _conditions(
    stamp: Any, rid: Any, museum: Any, window: FeedWindow, after: tuple[datetime, str] | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if window.lower is not None:
        conditions.append(stamp >= window.lower)
    if window.upper is not None:
        conditions.append(stamp < window.upper)
    if window.set_spec is not None:  # one set per museum
        conditions.append(museum == window.set_spec)
    if after is not None:
        conditions.append(or_(stamp > after[0], and_(stamp == after[0], rid > after[1])))
    return conditions


class ChangeFeed:
    def __init__(self, session: Session) -> None:
        self.session = session

    def earliest(self) -> datetime | None:
        """The oldest datestamp the feed can hand out (OAI-PMH Identify's earliestDatestamp)."""
        stamps = [
            self.session.scalar(select(func.min(CoreRow.updated_at))),
            self.session.scalar(select(func.min(Tombstone.deleted_at))),
        ]
        known = [_utc(m) for m in stamps if m is not None]
        return min(known) if known else None

    def lookup(self, record_id: str, *, with_document: bool = False) -> FeedItem | None:
        row = self.session.get(CoreRow, record_id)
        if row is not None:
            return FeedItem(row.id, row.museum_id, _utc(row.updated_at), False, row.document if with_document else None)
        stone = self.session.get(Tombstone, record_id)
        if stone is not None:
            return FeedItem(stone.id, stone.museum_id, _utc(stone.deleted_at), True)
        return None

    def items(
        self,
        window: FeedWindow,
        after: tuple[datetime, str] | None,
        limit: int,
        *,
        with_documents: bool = False,
    ) -> list[FeedItem]:
        """The next ``limit`` items after ``after`` in (datestamp, id) order, live and deleted merged."""
        columns: list[Any] = [CoreRow.id, CoreRow.museum_id, CoreRow.updated_at]
        if with_documents:
            columns.append(CoreRow.document)
        live = self.session.execute(
            select(*columns)
            .where(*_conditions(CoreRow.updated_at, CoreRow.id, CoreRow.museum_id, window, after))
            .order_by(CoreRow.updated_at, CoreRow.id)
            .limit(limit)
        ).all()
        gone = self.session.execute(
            select(Tombstone.id, Tombstone.museum_id, Tombstone.deleted_at)
            .where(*_conditions(Tombstone.deleted_at, Tombstone.id, Tombstone.museum_id, window, after))
            .order_by(Tombstone.deleted_at, Tombstone.id)
            .limit(limit)
        ).all()
        items = [FeedItem(r[0], r[1], _utc(r[2]), False, r[3] if with_documents else None) for r in live]
        items += [FeedItem(r[0], r[1], _utc(r[2]), True) for r in gone]
        items.sort(key=lambda item: (item.stamp, item.record_id))
        return items[:limit]

    def count(self, window: FeedWindow) -> int:
        live = self.session.scalar(
            select(func.count())
            .select_from(CoreRow)
            .where(*_conditions(CoreRow.updated_at, CoreRow.id, CoreRow.museum_id, window, None))
        )
        gone = self.session.scalar(
            select(func.count())
            .select_from(Tombstone)
            .where(*_conditions(Tombstone.deleted_at, Tombstone.id, Tombstone.museum_id, window, None))
        )
        return (live or 0) + (gone or 0)


@contextmanager
def open_feed(db: Database) -> Iterator[ChangeFeed]:
    """A feed on one short session (one consistent snapshot for one answer)."""
    with db.session() as session:
        yield ChangeFeed(session)

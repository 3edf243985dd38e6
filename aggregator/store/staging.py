"""A run's staged changes: what the museum sent, mapped, waiting to be applied (or held).

Every page a run brings is staged together with its checkpoint, so a killed
run resumes staging where it stopped.  Nothing staged is visible to searchers
until the run is applied; a held run's staged rows wait for a person's
decision and are discarded when it is rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, select
from sqlalchemy.orm import Session

from aggregator.store.models import RawRow, StagedRecord, table_of

__all__ = ["DELETE", "SEEN", "UPSERT", "StagedAction", "StagingStore"]

UPSERT, DELETE, SEEN = "upsert", "delete", "seen"
_BATCH = 500


def _columns(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(row)


#: (staged id, museum id, local id, findings, index rows) of one staged upsert.
StagedUpsert = tuple[int, str, str, list[Any] | None, dict[str, Any] | None]


@dataclass(frozen=True, slots=True)
class StagedAction:
    """A staged row as the apply walks it: which record, what to do, and when the source said so."""

    id: int
    local_id: str
    action: str
    datestamp: str | None
    harvested_at: datetime | None


class StagingStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def stage(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add staged rows (dicts of StagedRecord columns) in their order, one executemany per run of alike rows.

        A sighting names five columns and a mapped record eighteen; binding only
        the columns a row has keeps a re-harvest of an unchanged museum cheap.
        """
        table = table_of(StagedRecord)
        for _, run in groupby(rows, key=_columns):
            self.session.execute(insert(table), list(run))

    def staged_hashes(self, run_id: int, local_ids: Sequence[str]) -> dict[str, str | None]:
        """Records this run staged already (a restarted window lists them again): local id -> content hash."""
        found: dict[str, str | None] = {}
        ids = list(local_ids)
        for start in range(0, len(ids), _BATCH):
            rows = self.session.execute(
                select(StagedRecord.local_id, StagedRecord.content_hash, StagedRecord.action)
                .where(StagedRecord.run_id == run_id, StagedRecord.local_id.in_(ids[start : start + _BATCH]))
                .order_by(StagedRecord.id)
            )
            for local_id, content_hash, action in rows:
                found[local_id] = content_hash if action == UPSERT else None
        return found

    def batch(self, run_id: int, after_id: int, limit: int = _BATCH) -> list[StagedAction]:
        """The next staged rows of a run in the order they were staged: id, record and action only."""
        staged = table_of(StagedRecord)
        rows = self.session.execute(
            select(staged.c.id, staged.c.local_id, staged.c.action, staged.c.datestamp, staged.c.harvested_at)
            .where(staged.c.run_id == run_id, staged.c.id > after_id)
            .order_by(staged.c.id)
            .limit(limit)
        )
        return [StagedAction(*row) for row in rows]

    def upserted(self, staged_ids: Sequence[int]) -> list[StagedUpsert]:
        """(staged id, museum id, local id, findings, index rows) of staged upserts, in staging order."""
        staged = table_of(StagedRecord)
        found: list[StagedUpsert] = []
        for start in range(0, len(staged_ids), _BATCH):
            chunk = list(staged_ids[start : start + _BATCH])
            rows = self.session.execute(
                select(staged.c.id, staged.c.museum_id, staged.c.local_id, staged.c.findings, staged.c.index_document)
                .where(staged.c.id.in_(chunk))
                .order_by(staged.c.id)
            )
            found.extend((i, m, local_id, findings, index) for i, m, local_id, findings, index in rows)
        return found

    def documents(self, staged_ids: Sequence[int]) -> dict[str, dict[str, Any]]:
        """Local id -> staged core document (to index a staged row that carries no index rows)."""
        staged = table_of(StagedRecord)
        rows = self.session.execute(
            select(staged.c.local_id, staged.c.document).where(staged.c.id.in_(list(staged_ids)))
        )
        return {local_id: document for local_id, document in rows if document is not None}

    def count(self, run_id: int, action: str | None = None, *, existed: bool | None = None) -> int:
        stmt = select(func.count()).select_from(StagedRecord).where(StagedRecord.run_id == run_id)
        if action is not None:
            stmt = stmt.where(StagedRecord.action == action)
        if existed is not None:
            stmt = stmt.where(StagedRecord.existed.is_(existed))
        return int(self.session.scalar(stmt) or 0)

    def listed(self, run_id: int) -> int:
        """Distinct records the run's listing named (every action but deletion)."""
        stmt = (
            select(func.count(func.distinct(StagedRecord.local_id)))
            .where(StagedRecord.run_id == run_id, StagedRecord.action != DELETE)
        )
        return int(self.session.scalar(stmt) or 0)

    def _unseen(self, museum_id: str, run_id: int) -> Any:
        staged = exists().where(and_(StagedRecord.run_id == run_id, StagedRecord.local_id == RawRow.local_id))
        return and_(RawRow.museum_id == museum_id, RawRow.deleted.is_(False), ~staged)

    def count_unseen_live(self, museum_id: str, run_id: int) -> int:
        """Live records a complete listing left out: what a sweep would tombstone."""
        stmt = select(func.count()).select_from(RawRow).where(self._unseen(museum_id, run_id))
        return int(self.session.scalar(stmt) or 0)

    def unseen_live(self, museum_id: str, run_id: int, limit: int = _BATCH) -> list[str]:
        """Local ids of live records a complete listing left out (the next ``limit`` of them)."""
        return list(
            self.session.scalars(
                select(RawRow.local_id).where(self._unseen(museum_id, run_id)).order_by(RawRow.local_id).limit(limit)
            )
        )

    def discard(self, run_id: int) -> int:
        """Drop a run's staged rows (applied, rejected or abandoned)."""
        result = self.session.execute(delete(StagedRecord).where(StagedRecord.run_id == run_id))
        return int(getattr(result, "rowcount", 0) or 0)

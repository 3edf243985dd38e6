"""Reading and writing records inside one session (one transaction per harvest page)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from aggregator.store.models import (
    CoreRow,
    MuseumRow,
    QuarantineRow,
    RawRow,
    RecordIssueRow,
    StagedRecord,
    Tombstone,
)
from config.registry import Museum
from harvester.raw import RawRecord, record_id
from mappings.core import CoreRecord
from mappings.report import Issue

__all__ = ["RecordStore", "SavedCore", "now"]


@dataclass(slots=True)
class SavedCore:
    """One mapped record of a page, with what the store needs to keep beside it."""

    record: CoreRecord
    raw_hash: str
    quality: float | None
    row: CoreRow | None = None
    issues: Sequence[Issue] = ()


def now() -> datetime:
    return datetime.now(UTC)


class RecordStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- museums -----------------------------------------------------------
    def save_museum(self, museum: Museum) -> None:
        row = self.session.get(MuseumRow, museum.id)
        if row is None:
            row = MuseumRow(id=museum.id)
            self.session.add(row)
        row.name = dict(museum.name)
        row.region = museum.region
        row.city = museum.city
        row.source_type = museum.source.type
        row.source_url = museum.source.url
        row.updated_at = now()
        self.session.flush()  # records reference it; without ORM relationships flush order is ours

    # -- raw records ---------------------------------------------------------
    def raw_rows(self, museum_id: str, local_ids: Sequence[str]) -> dict[str, RawRow]:
        if not local_ids:
            return {}
        rows = self.session.scalars(select(RawRow).where(RawRow.museum_id == museum_id, RawRow.local_id.in_(local_ids)))
        return {row.local_id: row for row in rows}

    def save_raw(self, raw: RawRecord, run_id: int | None, row: RawRow | None) -> RawRow:
        if row is None:
            row = RawRow(museum_id=raw.museum_id, local_id=raw.local_id)
            self.session.add(row)
        row.format = raw.format
        row.payload = raw.payload
        row.content_hash = raw.content_hash
        row.datestamp = raw.datestamp
        row.oai_identifier = raw.oai_identifier
        row.deleted = raw.deleted
        row.harvested_at = raw.harvested_at or now()
        row.last_seen_run = run_id
        return row

    def mark_deleted(self, row: RawRow, raw: RawRecord, run_id: int | None) -> None:
        """The museum deleted the record: keep the last real payload we had, flag it deleted."""
        row.deleted = True
        row.datestamp = raw.datestamp or row.datestamp
        row.harvested_at = raw.harvested_at or now()
        row.last_seen_run = run_id

    def iter_raw(self, museum_id: str | None = None, batch: int = 500) -> Iterable[list[RawRow]]:
        """Live raw records in stable order, in batches (for remapping without re-harvesting)."""
        last: tuple[str, str] = ("", "")
        while True:
            stmt = select(RawRow).where(RawRow.deleted.is_(False))
            if museum_id:
                stmt = stmt.where(RawRow.museum_id == museum_id)
            stmt = stmt.where(tuple_(RawRow.museum_id, RawRow.local_id) > tuple_(*last))
            rows = list(self.session.scalars(stmt.order_by(RawRow.museum_id, RawRow.local_id).limit(batch)))
            if not rows:
                return
            yield rows
            last = (rows[-1].museum_id, rows[-1].local_id)

    # -- core records ----------------------------------------------------------
    def core_row(self, record_id: str) -> CoreRow | None:
        return self.session.get(CoreRow, record_id)

    def core_rows(self, record_ids: Sequence[str]) -> dict[str, CoreRow]:
        rows: dict[str, CoreRow] = {}
        ids = list(record_ids)
        for start in range(0, len(ids), 500):  # keep IN lists well inside every database's limits
            chunk = ids[start : start + 500]
            rows.update({row.id: row for row in self.session.scalars(select(CoreRow).where(CoreRow.id.in_(chunk)))})
        return rows

    def save_core(self, record: CoreRecord, raw_hash: str, quality: float | None, row: CoreRow | None) -> CoreRow:
        return self.save_cores([SavedCore(record, raw_hash, quality, row)])[0]

    def save_cores(self, items: Sequence[SavedCore]) -> list[CoreRow]:
        """Write a page of mapped records with a handful of statements, not a few per record.

        A record saved again leaves quarantine and loses any tombstone, and its
        findings are replaced by the new mapping's.
        """
        rows = []
        stamp = now()
        with self.session.no_autoflush:
            for item in items:
                record, row = item.record, item.row
                if row is None:
                    row = CoreRow(id=record.id, museum_id=record.museum_id, local_id=record.local_id)
                    self.session.add(row)
                row.document = record.model_dump(mode="json", exclude_none=True)
                row.mapping_version = record.source.mapping_version
                row.raw_hash = item.raw_hash
                row.title = record.title("kk", "ru", "en")[:1000]
                row.quality = item.quality
                row.updated_at = stamp
                rows.append(row)
        ids = [item.record.id for item in items]
        if not ids:
            return rows
        self.session.flush()
        self.session.execute(delete(Tombstone).where(Tombstone.id.in_(ids)))
        for museum_id in {item.record.museum_id for item in items}:
            local_ids = [item.record.local_id for item in items if item.record.museum_id == museum_id]
            self.session.execute(
                delete(QuarantineRow).where(QuarantineRow.museum_id == museum_id, QuarantineRow.local_id.in_(local_ids))
            )
        self.session.execute(delete(RecordIssueRow).where(RecordIssueRow.record_id.in_(ids)))
        issues = [
            {
                "record_id": item.record.id,
                "museum_id": item.record.museum_id,
                "severity": issue.severity,
                "field": issue.field[:200],
                "message": issue.message,
            }
            for item in items
            for issue in item.issues
        ]
        if issues:
            self.session.execute(insert(RecordIssueRow), issues)
        return rows

    def load_core(self, record_id: str) -> CoreRecord | None:
        row = self.core_row(record_id)
        return CoreRecord.model_validate(row.document) if row else None

    def load_cores(self, record_ids: Sequence[str]) -> dict[str, CoreRecord]:
        """Core records by id; a stored document an older mapping wrote that no longer validates is skipped."""
        records: dict[str, CoreRecord] = {}
        for key, row in self.core_rows(record_ids).items():
            try:
                records[key] = CoreRecord.model_validate(row.document)
            except ValidationError:
                continue
        return records

    def tombstone(self, museum_id: str, local_id: str, record_id: str, reason: str, run_id: int | None) -> None:
        self.session.execute(delete(CoreRow).where(CoreRow.id == record_id))
        self.session.execute(delete(RecordIssueRow).where(RecordIssueRow.record_id == record_id))
        stone = self.session.get(Tombstone, record_id)
        if stone is None:
            self.session.add(
                Tombstone(
                    id=record_id,
                    museum_id=museum_id,
                    local_id=local_id,
                    deleted_at=now(),
                    reason=reason,
                    run_id=run_id,
                )
            )

    def unseen_live_records(self, museum_id: str, run_id: int) -> list[RawRow]:
        """Live records that a complete listing in this run did not contain."""
        return list(
            self.session.scalars(
                select(RawRow).where(
                    RawRow.museum_id == museum_id,
                    RawRow.deleted.is_(False),
                    (RawRow.last_seen_run.is_(None)) | (RawRow.last_seen_run != run_id),
                )
            )
        )

    def seen_in_run(self, museum_id: str, run_id: int) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(RawRow)
                .where(
                    RawRow.museum_id == museum_id,
                    RawRow.deleted.is_(False),
                    RawRow.last_seen_run == run_id,
                )
            )
            or 0
        )

    # -- applying a staged run ------------------------------------------------------
    def _upsert(self, model: type[Any], values: list[dict[str, Any]], keys: list[str]) -> None:
        """INSERT ... ON CONFLICT DO UPDATE for a batch (SQLite and PostgreSQL speak the same clause)."""
        if not values:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            stmt: Any = postgresql_insert(model)
        else:
            stmt = sqlite_insert(model)
        updated = {name: stmt.excluded[name] for name in values[0] if name not in keys}
        self.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updated), values)

    def apply_upserts(self, staged: Sequence[StagedRecord], run_id: int) -> None:
        """Write staged mapped records as raw + core rows with their findings, a few statements a batch.

        A record saved again leaves quarantine and loses any tombstone, and its
        findings are replaced by the new mapping's.  Later rows of one record win.
        """
        latest = list({row.local_id: row for row in staged}.values())
        if not latest:
            return
        stamp = now()
        self._upsert(
            RawRow,
            [
                {
                    "museum_id": row.museum_id,
                    "local_id": row.local_id,
                    "format": row.format,
                    "payload": row.payload,
                    "content_hash": row.content_hash,
                    "datestamp": row.datestamp,
                    "oai_identifier": row.oai_identifier,
                    "deleted": False,
                    "harvested_at": row.harvested_at or stamp,
                    "last_seen_run": run_id,
                }
                for row in latest
            ],
            ["museum_id", "local_id"],
        )
        self._upsert(
            CoreRow,
            [
                {
                    "id": record_id(row.museum_id, row.local_id),
                    "museum_id": row.museum_id,
                    "local_id": row.local_id,
                    "document": row.document,
                    "mapping_version": row.mapping_version,
                    "raw_hash": row.content_hash,
                    "title": (row.title or "")[:1000],
                    "quality": row.quality,
                    "updated_at": stamp,
                }
                for row in latest
            ],
            ["id"],
        )
        ids = [record_id(row.museum_id, row.local_id) for row in latest]
        self.session.execute(delete(Tombstone).where(Tombstone.id.in_(ids)))
        for museum_id in {row.museum_id for row in latest}:
            local_ids = [row.local_id for row in latest if row.museum_id == museum_id]
            self.session.execute(
                delete(QuarantineRow).where(QuarantineRow.museum_id == museum_id, QuarantineRow.local_id.in_(local_ids))
            )
        self.session.execute(delete(RecordIssueRow).where(RecordIssueRow.record_id.in_(ids)))
        issues = [
            {
                "record_id": record_id(row.museum_id, row.local_id),
                "museum_id": row.museum_id,
                "severity": severity,
                "field": str(field)[:200],
                "message": message,
            }
            for row in latest
            for severity, field, message in (row.findings or [])
        ]
        if issues:
            self.session.execute(insert(RecordIssueRow), issues)

    # -- findings ------------------------------------------------------------
    def replace_issues(self, record_id: str, museum_id: str, issues: Sequence[Issue]) -> None:
        self.session.execute(delete(RecordIssueRow).where(RecordIssueRow.record_id == record_id))
        if issues:
            self.session.execute(
                insert(RecordIssueRow),
                [
                    {
                        "record_id": record_id,
                        "museum_id": museum_id,
                        "severity": i.severity,
                        "field": i.field[:200],
                        "message": i.message,
                    }
                    for i in issues
                ],
            )

    def quarantine(self, museum_id: str, local_id: str | None, reason: str, payload: bytes, run_id: int | None) -> None:
        """Keep only the newest reason per record, so a nightly re-harvest does not pile up."""
        if local_id is not None:
            self.session.execute(
                delete(QuarantineRow).where(QuarantineRow.museum_id == museum_id, QuarantineRow.local_id == local_id)
            )
        self.session.add(
            QuarantineRow(
                museum_id=museum_id,
                local_id=local_id,
                run_id=run_id,
                reason=reason,
                payload=payload,
                created_at=now(),
            )
        )

    # -- counts ----------------------------------------------------------------
    def active_count(self, museum_id: str | None = None) -> int:
        stmt = select(func.count()).select_from(CoreRow)
        if museum_id:
            stmt = stmt.where(CoreRow.museum_id == museum_id)
        return self.session.scalar(stmt) or 0

    def counts_by_museum(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for table, key in (
            (CoreRow, "active"),
            (Tombstone, "deleted"),
            (QuarantineRow, "quarantined"),
        ):
            for museum_id, n in self.session.execute(select(table.museum_id, func.count()).group_by(table.museum_id)):
                counts.setdefault(museum_id, {"active": 0, "deleted": 0, "quarantined": 0})[key] = n
        return counts

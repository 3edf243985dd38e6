"""Reading and writing records inside one session (one transaction per harvest page)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Integer, String, bindparam, delete, false, func, insert, literal, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from aggregator.store.models import (
    Base,
    CoreRow,
    MuseumRow,
    QuarantineRow,
    RawRow,
    RecordIssueRow,
    StagedRecord,
    Tombstone,
    UTCDateTime,
    table_of,
)
from config.registry import Museum
from harvester.raw import RawRecord, record_id
from mappings.core import CoreRecord
from mappings.report import Issue

__all__ = ["RecordStore", "SavedCore", "StoredState", "now"]

_CHUNK = 500  # ids per IN list: well inside every database's parameter limits


@dataclass(frozen=True, slots=True)
class StoredState:
    """What a harvest page needs to know of a stored record: is it live, is it current."""

    content_hash: str
    deleted: bool
    mapping_version: str | None  # of its core record; None when it has none


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

    def stored_states(self, museum_id: str, local_ids: Sequence[str]) -> dict[str, StoredState]:
        """Hash, deletion flag and core mapping version of stored records, in one query per 500 ids.

        Only a few narrow columns: neither the (compressed) payload nor the core
        document is read, so a re-harvest of an unchanged museum costs an index
        lookup per record.
        """
        states: dict[str, StoredState] = {}
        ids = list(dict.fromkeys(local_ids))
        raw, core = table_of(RawRow), table_of(CoreRow)
        joined = raw.outerjoin(core, (core.c.museum_id == raw.c.museum_id) & (core.c.local_id == raw.c.local_id))
        for start in range(0, len(ids), _CHUNK):
            stmt = (
                select(raw.c.local_id, raw.c.content_hash, raw.c.deleted, core.c.mapping_version)
                .select_from(joined)
                .where(raw.c.museum_id == museum_id, raw.c.local_id.in_(ids[start : start + _CHUNK]))
            )
            for local_id, content_hash, deleted, version in self.session.execute(stmt):
                states[local_id] = StoredState(content_hash, bool(deleted), version)
        return states

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
    def insert_for(self, model: type[Base]) -> Any:
        """A dialect INSERT on a model's table, which speaks ``ON CONFLICT`` (SQLite and PostgreSQL alike)."""
        table = table_of(model)
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql_insert(table)
        return sqlite_insert(table)

    def upsert_from_staging(self, staged_ids: Sequence[int], run_id: int) -> list[str]:
        """Write staged mapped records as raw + core rows, copied inside the database.

        ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` from ``staged_records``:
        the compressed payload and the core document are stored once when the page
        is staged and never pass through Python again.  The ids must name at most
        one staged row per record.  A record saved again leaves quarantine and
        loses any tombstone; its findings are replaced by the caller.  Returns the
        record ids written.
        """
        staged = table_of(StagedRecord)
        stamp = literal(now(), UTCDateTime())
        written: list[str] = []
        for start in range(0, len(staged_ids), _CHUNK):
            chunk = list(staged_ids[start : start + _CHUNK])
            chosen = staged.c.id.in_(chunk)
            raw = self.insert_for(RawRow)
            raw_columns = ["museum_id", "local_id", "format", "payload", "content_hash", "datestamp",
                           "oai_identifier", "deleted", "harvested_at", "last_seen_run"]  # fmt: skip
            raw = raw.from_select(
                raw_columns,
                select(
                    staged.c.museum_id, staged.c.local_id, staged.c.format, staged.c.payload, staged.c.content_hash,
                    staged.c.datestamp, staged.c.oai_identifier, false(),
                    func.coalesce(staged.c.harvested_at, stamp), literal(run_id, Integer()),
                ).where(chosen),
            )  # fmt: skip
            keys = ["museum_id", "local_id"]
            self.session.execute(
                raw.on_conflict_do_update(
                    index_elements=keys, set_={c: raw.excluded[c] for c in raw_columns if c not in keys}
                )
            )
            core = self.insert_for(CoreRow)
            core_columns = ["id", "museum_id", "local_id", "document", "mapping_version", "raw_hash", "title",
                            "quality", "updated_at"]  # fmt: skip
            core = core.from_select(
                core_columns,
                select(
                    staged.c.museum_id + ":" + staged.c.local_id, staged.c.museum_id, staged.c.local_id,
                    staged.c.document, staged.c.mapping_version, staged.c.content_hash,
                    func.coalesce(func.substr(staged.c.title, 1, 1000), ""), staged.c.quality, stamp,
                ).where(chosen),
            )  # fmt: skip
            self.session.execute(
                core.on_conflict_do_update(
                    index_elements=["id"], set_={c: core.excluded[c] for c in core_columns if c != "id"}
                )
            )
            pairs = self.session.execute(select(staged.c.museum_id, staged.c.local_id).where(chosen)).all()
            ids = [record_id(museum_id, local_id) for museum_id, local_id in pairs]
            self.session.execute(delete(Tombstone).where(Tombstone.id.in_(ids)))
            for museum_id in {museum_id for museum_id, _ in pairs}:
                local_ids = [local_id for m, local_id in pairs if m == museum_id]
                self.session.execute(
                    delete(QuarantineRow).where(
                        QuarantineRow.museum_id == museum_id, QuarantineRow.local_id.in_(local_ids)
                    )
                )
            written.extend(ids)
        return written

    def replace_findings(self, findings: Sequence[tuple[str, str, Sequence[Sequence[str]]]]) -> None:
        """(record id, museum id, [[severity, field, message], ...]) -> the records' findings, replaced."""
        ids = [rid for rid, _, _ in findings]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            self.session.execute(delete(RecordIssueRow).where(RecordIssueRow.record_id.in_(chunk)))
        issues = [
            {"record_id": rid, "museum_id": museum_id, "severity": severity, "field": str(field)[:200],
             "message": message}
            for rid, museum_id, items in findings
            for severity, field, message in items
        ]  # fmt: skip
        if issues:
            self.session.execute(insert(table_of(RecordIssueRow)), issues)

    def tombstone_many(
        self,
        museum_id: str,
        local_ids: Sequence[str],
        run_id: int,
        reason: str,
        seen: Mapping[str, tuple[str | None, datetime | None]] | None = None,
    ) -> list[str]:
        """Tombstone the live records among ``local_ids``; returns their record ids.

        ``seen`` holds, per record deleted at source, the datestamp and time of the
        deletion notice (a record absent from a full listing keeps its own).  The
        raw payload stays: a deleted record keeps the last real version we had.
        """
        removed: list[str] = []
        raw = table_of(RawRow)
        for start in range(0, len(local_ids), _CHUNK):
            chunk = list(local_ids[start : start + _CHUNK])
            live = list(
                self.session.scalars(
                    select(raw.c.local_id).where(
                        raw.c.museum_id == museum_id, raw.c.local_id.in_(chunk), raw.c.deleted.is_(False)
                    )
                )
            )
            if not live:
                continue
            if seen is None:
                self.session.execute(
                    update(raw)
                    .where(raw.c.museum_id == museum_id, raw.c.local_id.in_(live))
                    .values(deleted=True, last_seen_run=run_id)
                )
            else:
                stamp = now()
                self.session.execute(
                    update(raw)
                    .where(raw.c.museum_id == museum_id, raw.c.local_id == bindparam("b_local_id"))
                    .values(
                        deleted=True,
                        last_seen_run=run_id,
                        datestamp=func.coalesce(bindparam("b_datestamp", type_=String()), raw.c.datestamp),
                        harvested_at=bindparam("b_harvested_at", type_=UTCDateTime()),
                    ),
                    [
                        {"b_local_id": local_id, "b_datestamp": seen.get(local_id, (None, None))[0],
                         "b_harvested_at": seen.get(local_id, (None, None))[1] or stamp}
                        for local_id in live
                    ],  # fmt: skip
                )
            ids = [record_id(museum_id, local_id) for local_id in live]
            self.session.execute(delete(CoreRow).where(CoreRow.id.in_(ids)))
            self.session.execute(delete(RecordIssueRow).where(RecordIssueRow.record_id.in_(ids)))
            stones = self.insert_for(Tombstone).values(
                [
                    {"id": rid, "museum_id": museum_id, "local_id": local_id, "deleted_at": now(), "reason": reason,
                     "run_id": run_id}
                    for rid, local_id in zip(ids, live, strict=True)
                ]  # fmt: skip
            )
            self.session.execute(stones.on_conflict_do_nothing(index_elements=["id"]))
            removed.extend(ids)
        return removed

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

"""One range of the store re-mapped: read, map, compare, and (by whoever writes) saved.

Mapping is the whole cost of a remap and every record is independent, so a
range of raw records is re-mapped in a worker process into plain data (what
changed, with its core row, findings and index rows); writing it is a few
statements.  On PostgreSQL the worker writes its range itself; on SQLite it
hands the data to the one writer, so the database never sees two writers and
searches keep reading their snapshot meanwhile.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aggregator.index.fts import SqliteFtsIndex, fts_rows
from aggregator.index.open import index_writer
from aggregator.index.outbox import OutboxIndex
from aggregator.mapping_step import MappingStep, Unmappable
from aggregator.store.chunks import RawRange
from aggregator.store.models import CoreRow, QuarantineRow, RawRow, Tombstone, table_of
from aggregator.store.records import RecordStore, now
from harvester.raw import RawRecord

__all__ = ["RemapResult", "changed_fields", "remap_range", "write_remapped"]

_READ = 500  # raw rows read per query inside a range
_KEPT_FAILURES = 200  # failure reasons a result carries (the count is always whole)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Top-level core fields that differ (the source block only by its mapping version)."""
    keys = (set(before) | set(after)) - {"source"}
    changed = [k for k in sorted(keys) if before.get(k) != after.get(k)]
    if before.get("source", {}).get("mapping_version") != after.get("source", {}).get("mapping_version"):
        changed.append("source.mapping_version")
    return changed


@dataclass(slots=True)
class RemapResult:
    """What one range's remap found; ``rows`` are the changed records, as plain data, until written."""

    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    changed_fields: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    museums: set[str] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)


def _raw_records(session: Session, span: RawRange) -> list[RawRecord]:
    raw = table_of(RawRow)
    stmt = (
        select(raw.c.museum_id, raw.c.local_id, raw.c.format, raw.c.payload, raw.c.datestamp,
               raw.c.oai_identifier, raw.c.harvested_at)
        .where(raw.c.deleted.is_(False), span.condition())
        .order_by(raw.c.museum_id, raw.c.local_id)
    )  # fmt: skip
    return [
        RawRecord(museum_id=m, local_id=local_id, format=fmt, payload=payload, datestamp=datestamp,
                  oai_identifier=oai_identifier, harvested_at=harvested_at)  # fmt: skip
        for m, local_id, fmt, payload, datestamp, oai_identifier, harvested_at in session.execute(stmt)
    ]


def _stored_documents(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    core = table_of(CoreRow)
    documents: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), _READ):
        stmt = select(core.c.id, core.c.document).where(core.c.id.in_(ids[start : start + _READ]))
        documents.update({record_id: document for record_id, document in session.execute(stmt)})
    return documents


def remap_range(session: Session, step: MappingStep, span: RawRange) -> RemapResult:
    """Map a range's live raw records again; reads the store, writes nothing."""
    result = RemapResult()
    raws = _raw_records(session, span)
    stored = _stored_documents(session, [raw.record_id for raw in raws])
    session.rollback()  # end the read transaction before the CPU work: a writer may checkpoint meanwhile
    for raw in raws:
        result.examined += 1
        result.museums.add(raw.museum_id)
        outcome = step.map(raw, None)
        if isinstance(outcome, Unmappable):
            result.failed += 1
            if len(result.failures) < _KEPT_FAILURES:
                result.failures.append(outcome.reason)
            continue
        record = outcome.saved.record
        after = record.model_dump(mode="json", exclude_none=True)
        before = stored.get(raw.record_id)
        if before == after:
            result.unchanged += 1
            continue
        result.changed += 1
        result.changed_fields.update(changed_fields(before or {}, after))
        result.rows.append(
            {
                "core": {
                    "id": record.id,
                    "museum_id": record.museum_id,
                    "local_id": record.local_id,
                    "document": after,
                    "mapping_version": record.source.mapping_version,
                    "raw_hash": raw.content_hash,
                    "title": record.title("kk", "ru", "en")[:1000],
                    "quality": outcome.saved.quality,
                },
                "findings": [[i.severity, i.field, i.message] for i in outcome.saved.issues],
                "fts": fts_rows(outcome.document) if step.embedded else None,
            }
        )
    return result


def write_remapped(session: Session, rows: list[dict[str, Any]], index_url: str) -> None:
    """Save re-mapped records with their findings and index rows in the caller's transaction.

    As a harvest does: a record saved again leaves quarantine and loses any tombstone.
    """
    if not rows:
        return
    records = RecordStore(session)
    stamp = now()
    insert = records.insert_for(CoreRow)
    columns = [c for c in rows[0]["core"] if c != "id"] + ["updated_at"]
    upsert = insert.on_conflict_do_update(index_elements=["id"], set_={c: insert.excluded[c] for c in columns})
    session.execute(upsert, [{**row["core"], "updated_at": stamp} for row in rows])
    ids = [row["core"]["id"] for row in rows]
    session.execute(delete(Tombstone).where(Tombstone.id.in_(ids)))
    by_museum: dict[str, list[str]] = {}
    for row in rows:
        by_museum.setdefault(row["core"]["museum_id"], []).append(row["core"]["local_id"])
    for museum_id, local_ids in by_museum.items():
        session.execute(
            delete(QuarantineRow).where(QuarantineRow.museum_id == museum_id, QuarantineRow.local_id.in_(local_ids))
        )
    records.replace_findings([(row["core"]["id"], row["core"]["museum_id"], row["findings"]) for row in rows])
    index = index_writer(session, index_url)
    if isinstance(index, SqliteFtsIndex):
        index.write([row["fts"] for row in rows if row["fts"] is not None])
    elif isinstance(index, OutboxIndex):
        index.enqueue(ids, "upsert")

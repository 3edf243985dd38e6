"""The mapping step, written once: raw record -> core record + quality + findings -> store and index.

A harvest page and a re-mapping of stored raw records must turn a raw record
into exactly the same stored core record, findings and index document, or the
catalogue would depend on how a record arrived.  Both therefore go through
``MappingStep``: ``map`` is pure (no session), ``save`` writes a batch into the
caller's transaction so the records, their findings and the index rows (or
outbox rows) commit together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.fts import fts_rows
from aggregator.index.open import index_writer, is_embedded
from aggregator.store.models import Compressed, CoreRow
from aggregator.store.records import RecordStore, SavedCore, now
from aggregator.store.staging import DELETE, SEEN, UPSERT
from harvester.raw import RawRecord
from mappings.formats import map_raw, mapping_version
from mappings.quality import assess
from mappings.report import MappingError

__all__ = [
    "Mapped",
    "MappingStep",
    "Unmappable",
    "is_current",
    "staged_deletion",
    "staged_sighting",
    "staged_upsert",
]

log = logging.getLogger("emuseum.mapping")


@dataclass(slots=True)
class Mapped:
    """A raw record mapped and assessed: what the store keeps and what the index shows."""

    raw: RawRecord
    saved: SavedCore
    document: IndexDocument


@dataclass(frozen=True, slots=True)
class Unmappable:
    """A raw record the mapping refused or tripped on; the reason names museum, record and field."""

    raw: RawRecord
    reason: str


def is_current(raw: RawRecord, raw_hash: str | None, core_version: str | None) -> bool:
    """Whether the stored core record (of mapping version ``core_version``) reflects this payload today."""
    return core_version is not None and raw_hash == raw.content_hash and core_version == mapping_version(raw.format)


class MappingStep:
    def __init__(self, regions: Mapping[str, str], index_url: str) -> None:
        self.regions = regions  # museum id -> ISO 3166-2:KZ region, for the index document
        self.index_url = index_url
        self.embedded = is_embedded(index_url)

    def map(self, raw: RawRecord, stored: CoreRow | None) -> Mapped | Unmappable:
        """Map one raw record; a mapping bug on odd data costs that record, never the batch."""
        try:
            result = map_raw(raw)
        except MappingError as exc:
            return Unmappable(raw, str(exc))
        except Exception as exc:  # noqa: BLE001 - any mapper bug becomes that record's finding
            return Unmappable(
                raw, f"museum {raw.museum_id}, record {raw.local_id}: mapping failed: {type(exc).__name__}: {exc}"
            )
        quality = assess(result.record)
        findings = [*result.findings(), *quality.issues]
        saved = SavedCore(result.record, raw.content_hash, quality.score, stored, findings)
        document = build_document(result.record, self.regions.get(raw.museum_id, ""), quality.score)
        return Mapped(raw, saved, document)

    def save(self, session: Session, mapped: Sequence[Mapped]) -> None:
        """Write mapped records, their findings and their index rows in the caller's transaction."""
        RecordStore(session).save_cores([m.saved for m in mapped])
        index_writer(session, self.index_url).upsert([m.document for m in mapped])


# -- staged rows: what a harvest run keeps until it is applied ----------------------------


def staged_upsert(mapped: Mapped, run_id: int, *, existed: bool, embedded: bool = True) -> dict[str, Any]:
    """A mapped record as a staged row, with everything costly done already.

    The payload is compressed and, for the embedded index, the document folded
    into its index rows here, where the page is prepared (a worker process when
    several museums are harvested), so applying the run only copies rows.  A
    search engine needs nothing staged: the outbox names the record.
    """
    raw, saved = mapped.raw, mapped.saved
    return {
        "run_id": run_id,
        "museum_id": raw.museum_id,
        "local_id": raw.local_id,
        "action": UPSERT,
        "format": raw.format,
        "payload": Compressed.of(raw.payload),
        "content_hash": raw.content_hash,
        "datestamp": raw.datestamp,
        "oai_identifier": raw.oai_identifier,
        "harvested_at": raw.harvested_at or now(),
        "document": saved.record.model_dump(mode="json", exclude_none=True),
        "mapping_version": saved.record.source.mapping_version,
        "title": saved.record.title("kk", "ru", "en"),
        "quality": saved.quality,
        "findings": [[issue.severity, issue.field, issue.message] for issue in saved.issues],
        "index_document": {"fts": fts_rows(mapped.document)} if embedded else None,
        "existed": existed,
    }


def staged_deletion(raw: RawRecord, run_id: int, *, existed: bool) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "museum_id": raw.museum_id,
        "local_id": raw.local_id,
        "action": DELETE,
        "datestamp": raw.datestamp,
        "harvested_at": raw.harvested_at or now(),
        "existed": existed,
    }


def staged_sighting(museum_id: str, local_id: str, run_id: int) -> dict[str, Any]:
    """Listed again (unchanged, or unmappable): keeps the stored record out of a sweep."""
    return {"run_id": run_id, "museum_id": museum_id, "local_id": local_id, "action": SEEN, "existed": True}

"""Tables of the store, the catalogue's source of truth.

Raw records are kept exactly as received (with their hash), core records as
JSON documents next to them, so a better mapping can be re-run from the store
and every index can be rebuilt from it.  Harvest runs carry their checkpoint:
it is written in the same transaction as the page of records it follows.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from harvester.raw import RawRecord, record_id

__all__ = [
    "AlertRow",
    "Base",
    "Compressed",
    "CoreRow",
    "HarvestPass",
    "EndpointProfileRow",
    "HarvestRun",
    "IndexOutbox",
    "MuseumQuality",
    "MuseumRow",
    "MuseumSnapshot",
    "NightReport",
    "QuarantineRow",
    "RawRow",
    "RecordIssueRow",
    "SearchDoc",
    "SearchFacetCount",
    "SearchFacet",
    "Tombstone",
    "table_of",
]


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are UTC and come back timezone-aware from every database.

    SQLite returns naive datetimes even for ``DateTime(timezone=True)``; left
    alone, a re-mapped record would differ from the stored one only by that.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Compressed(bytes):
    """A payload compressed already, exactly as ``CompressedBytes`` stores it: bound unchanged.

    Compressing is the costly half of storing a payload; a harvest worker does it
    while preparing a page, so the one writer of a SQLite store does not.
    """

    @classmethod
    def of(cls, value: bytes) -> Compressed:
        return cls(CompressedBytes.MARK + zlib.compress(value, 6))


class CompressedBytes(TypeDecorator[bytes]):
    """Raw payloads kept verbatim but zlib-compressed (LIDO shrinks about 4x).

    Stored values start with a marker, so rows written before compression
    (XML or JSON, which never start with it) still read back unchanged.
    """

    impl = LargeBinary
    cache_ok = True
    MARK = b"\x00z1"

    def process_bind_param(self, value: bytes | None, dialect: object) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, Compressed):
            return bytes(value)
        return self.MARK + zlib.compress(value, 6)

    def process_result_value(self, value: bytes | None, dialect: object) -> bytes | None:
        if value is None:
            return None
        value = bytes(value)
        if value.startswith(self.MARK):
            return zlib.decompress(value[len(self.MARK) :])
        return value


class Base(DeclarativeBase):
    pass


def table_of(model: type[Base]) -> Table:
    """A model's Core table: executemany through it skips the ORM's per-row bulk bookkeeping."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class MuseumRow(Base):
    __tablename__ = "museums"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[dict[str, Any]] = mapped_column(JSON)
    region: Mapped[str] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(200))
    source_type: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HarvestRun(Base):
    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    museum_id: Mapped[str] = mapped_column(ForeignKey("museums.id"), index=True)
    mode: Mapped[str] = mapped_column(String(20))  # full | incremental
    status: Mapped[str] = mapped_column(String(20))  # running | succeeded | failed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    window_started: Mapped[str | None] = mapped_column(String(40))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    records_new: Mapped[int] = mapped_column(Integer, default=0)
    records_updated: Mapped[int] = mapped_column(Integer, default=0)
    records_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    records_deleted: Mapped[int] = mapped_column(Integer, default=0)
    records_failed: Mapped[int] = mapped_column(Integer, default=0)
    resumed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[list[Any] | None] = mapped_column(JSON)
    owner: Mapped[str | None] = mapped_column(String(200))  # host:pid of the process running it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last page committed
    # What the run cost and met at the endpoint (run history, endpoint health).
    seconds: Mapped[float | None] = mapped_column(Float)
    bytes_received: Mapped[int | None] = mapped_column(BigInteger)
    http_requests: Mapped[int | None] = mapped_column(Integer)
    http_errors: Mapped[int | None] = mapped_column(Integer)
    retries: Mapped[int | None] = mapped_column(Integer)
    response_ms: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"p50": .., "p90": .., "p99": .., "max": ..}
    endpoint: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # granularity, honours_from, deleted_policy, ...
    # The run as a changeset: staged first, applied once the breaker lets it (or an operator approves it).
    complete_listing: Mapped[bool] = mapped_column(Boolean, default=False)
    listed: Mapped[int | None] = mapped_column(Integer)  # records in a complete listing (live, quarantined included)
    active_before: Mapped[int | None] = mapped_column(Integer)  # the museum's active records when the run began
    held_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # approved or rejected
    decided_by: Mapped[str | None] = mapped_column(String(200))
    applied_through: Mapped[int | None] = mapped_column(Integer)  # staged rows applied so far (resumable apply)
    pass_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the scheduled pass (night) it belongs to


class StagedRecord(Base):
    """One change a run found at the source, waiting to be applied to the store and the index.

    ``action`` is ``upsert`` (mapped: raw fields plus the core document and its
    index document), ``delete`` (the museum deleted it) or ``seen`` (listed
    again unchanged, or listed but unmappable: not to be swept away).
    """

    __tablename__ = "staged_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Integer)
    museum_id: Mapped[str] = mapped_column(String(100))
    local_id: Mapped[str] = mapped_column(String(400))
    action: Mapped[str] = mapped_column(String(10))
    format: Mapped[str | None] = mapped_column(String(60))
    payload: Mapped[bytes | None] = mapped_column(CompressedBytes())
    content_hash: Mapped[str | None] = mapped_column(String(64))
    datestamp: Mapped[str | None] = mapped_column(String(40))
    oai_identifier: Mapped[str | None] = mapped_column(Text)
    harvested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the core record
    mapping_version: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[float | None] = mapped_column(Float)
    findings: Mapped[list[Any] | None] = mapped_column(JSON)  # [[severity, field, message], ...]
    index_document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    existed: Mapped[bool] = mapped_column(Boolean, default=False)  # stored and live when staged

    __table_args__ = (Index("ix_staged_run_local", "run_id", "local_id"),)


class RawRow(Base):
    __tablename__ = "raw_records"

    museum_id: Mapped[str] = mapped_column(ForeignKey("museums.id"), primary_key=True)
    local_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    format: Mapped[str] = mapped_column(String(60))
    payload: Mapped[bytes] = mapped_column(CompressedBytes())
    content_hash: Mapped[str] = mapped_column(String(64))
    datestamp: Mapped[str | None] = mapped_column(String(40))
    oai_identifier: Mapped[str | None] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    harvested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_run: Mapped[int | None] = mapped_column(Integer)

    @property
    def record_id(self) -> str:
        return record_id(self.museum_id, self.local_id)

    def to_raw(self) -> RawRecord:
        """The raw record as it was harvested (what a re-mapping maps again)."""
        return RawRecord(
            museum_id=self.museum_id,
            local_id=self.local_id,
            format=self.format,
            payload=self.payload,
            datestamp=self.datestamp,
            deleted=self.deleted,
            oai_identifier=self.oai_identifier,
            harvested_at=self.harvested_at,
        )


class CoreRow(Base):
    __tablename__ = "core_records"

    id: Mapped[str] = mapped_column(String(520), primary_key=True)
    museum_id: Mapped[str] = mapped_column(ForeignKey("museums.id"))
    local_id: Mapped[str] = mapped_column(String(400))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    mapping_version: Mapped[str] = mapped_column(String(60))
    raw_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    quality: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_core_museum_local", "museum_id", "local_id", unique=True),)


class Tombstone(Base):
    __tablename__ = "tombstones"

    id: Mapped[str] = mapped_column(String(520), primary_key=True)
    museum_id: Mapped[str] = mapped_column(ForeignKey("museums.id"), index=True)
    local_id: Mapped[str] = mapped_column(String(400))
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[int | None] = mapped_column(Integer)


class QuarantineRow(Base):
    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    museum_id: Mapped[str] = mapped_column(ForeignKey("museums.id"), index=True)
    local_id: Mapped[str | None] = mapped_column(String(400))
    run_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[bytes] = mapped_column(CompressedBytes(), default=b"")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RecordIssueRow(Base):
    __tablename__ = "record_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(520), index=True)
    museum_id: Mapped[str] = mapped_column(String(100), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)


class SearchDoc(Base):
    """One row per indexed record: the filterable, sortable projection (embedded index)."""

    __tablename__ = "search_docs"

    record_id: Mapped[str] = mapped_column(String(520), primary_key=True)
    rowid_ref: Mapped[int] = mapped_column(Integer, unique=True)
    museum_id: Mapped[str] = mapped_column(String(100), index=True)
    region: Mapped[str] = mapped_column(String(10), index=True)
    title: Mapped[str] = mapped_column(Text)
    sort_title: Mapped[str] = mapped_column(Text, index=True)  # browsing by title walks it, no sort
    date_display: Mapped[str | None] = mapped_column(Text)
    earliest_year: Mapped[int | None] = mapped_column(Integer)
    latest_year: Mapped[int | None] = mapped_column(Integer)
    has_image: Mapped[bool] = mapped_column(Boolean)
    has_3d: Mapped[bool] = mapped_column(Boolean)
    thumbnail: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class SearchFacet(Base):
    __tablename__ = "search_facets"

    record_id: Mapped[str] = mapped_column(String(520), primary_key=True)
    facet: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)

    __table_args__ = (Index("ix_search_facets_facet_value", "facet", "value"),)


class SearchFacetCount(Base):
    """Records per facet value over the whole embedded index, kept with the facet rows it counts.

    Browsing everything (the home page) would otherwise count every facet row
    of the catalogue on each visit; ``index.fts_facets`` keeps these in the same
    transaction as ``search_facets``, so they never disagree with it.
    """

    __tablename__ = "search_facet_counts"

    facet: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
    records: Mapped[int] = mapped_column(Integer)


class IndexOutbox(Base):
    """Changes not yet sent to an external search engine (written with the change itself)."""

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(520), index=True)
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MuseumQuality(Base):
    """The latest quality summary of one museum's records, for the ministry's dashboard."""

    __tablename__ = "museum_quality"

    museum_id: Mapped[str] = mapped_column(ForeignKey("museums.id"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    records: Mapped[int] = mapped_column(Integer)
    mean_score: Mapped[float | None] = mapped_column(Float)
    tiers: Mapped[dict[str, Any]] = mapped_column(JSON)  # tier -> record count
    findings: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> records with a finding there
    duplicate_titles: Mapped[list[Any]] = mapped_column(JSON)  # [[title, count], ...] most repeated first


class HarvestPass(Base):
    """One scheduled pass over many museums (a night): when it was planned, ran, and its report."""

    __tablename__ = "harvest_passes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_name: Mapped[str] = mapped_column(String(100))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the schedule's fire time it stands for
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))  # running | finished | failed
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    museums: Mapped[list[Any]] = mapped_column(JSON)  # museum ids it was to harvest
    report_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_harvest_passes_job_planned", "job_name", "planned_at", unique=True),)


class NightReport(Base):
    """The morning report of one pass, kept as language-neutral data (rendered in kk/ru/en when read)."""

    __tablename__ = "night_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    night: Mapped[str] = mapped_column(String(10), index=True)  # YYYY-MM-DD in the schedule's time zone
    pass_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    delivered: Mapped[list[Any] | None] = mapped_column(JSON)  # [[channel, outcome], ...]


class AlertRow(Base):
    """A condition the ministry must know about; one row per cause, open until the cause is gone."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), index=True)  # kind:subject, the deduplication key
    kind: Mapped[str] = mapped_column(String(40))
    museum_id: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    notified_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MuseumSnapshot(Base):
    """A museum's records and quality after a run: the trend lines of the dashboard."""

    __tablename__ = "museum_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    museum_id: Mapped[str] = mapped_column(String(100), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    run_id: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[int] = mapped_column(Integer)
    quarantined: Mapped[int] = mapped_column(Integer)
    mean_score: Mapped[float | None] = mapped_column(Float)
    tier: Mapped[str | None] = mapped_column(String(2))  # the tier most of its records are in
class EndpointProfileRow(Base):
    """What the last endpoint check learnt about one museum's OAI-PMH endpoint (``emuseum check-endpoint``).

    The harvester reads ``granularity`` and ``honours_from`` from it while
    ``url`` is still the museum's source URL; ``report`` is the whole check.
    """

    __tablename__ = "endpoint_profiles"

    museum_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    declared_granularity: Mapped[str | None] = mapped_column(String(30))
    granularity: Mapped[str | None] = mapped_column(String(30))  # the one the endpoint really uses
    honours_from: Mapped[bool | None] = mapped_column(Boolean)  # None: not testable
    deleted_record: Mapped[str | None] = mapped_column(String(20))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)

"""The same harvest code keeps the same promises on SQLite and on PostgreSQL.

On PostgreSQL the union index is an external engine, so each page writes
outbox rows (in the page's transaction) instead of FTS5 rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from aggregator.pipeline import Pipeline
from aggregator.store.models import CoreRow, HarvestRun, IndexOutbox, RawRow, SearchDoc, StagedRecord, Tombstone
from config.registry import Museum
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

MUSEUM_ID = "kz-central-state-museum"


class Crash(BaseException):
    """Stands for the process dying between two pages."""


def _records(objects, deleted: set[str] = frozenset(), when: datetime | None = None) -> list[EndpointRecord]:  # type: ignore[no-untyped-def]
    stamp = datetime(2025, 1, 1)
    return [
        EndpointRecord(
            identifier=f"oai:csm.kz:{o.local_id}",
            datestamp=(when if (when and o.local_id in deleted) else stamp),
            deleted=o.local_id in deleted,
            metadata={} if o.local_id in deleted else {"lido": to_lido(o, "CSM")},
        )
        for o in objects
    ]


def _museum(url: str) -> Museum:
    return Museum.model_validate(
        {"id": MUSEUM_ID, "name": {"en": "CSM"}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": url}}
    )


def _count(db, model, **where) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return session.scalar(stmt)


def _indexed(db) -> int:  # type: ignore[no-untyped-def]
    """Records the index knows about: FTS rows on SQLite, pending outbox upserts otherwise."""
    if db.is_sqlite:
        return _count(db, SearchDoc)
    with db.session() as session:
        return session.scalar(
            select(func.count(func.distinct(IndexOutbox.record_id))).where(IndexOutbox.op == "upsert")
        )


@pytest.fixture
def objects():  # type: ignore[no-untyped-def]
    objs = generate_museum_objects(MUSEUM_ID, 40, seed=5, region="KZ-75", base_url="https://media.example/")
    for o in objs:
        o.deleted = False
    return objs


def test_killed_harvest_resumes_and_deletions_become_tombstones(any_db, objects) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(_records(objects), name="CSM", formats=["lido"], batch_size=10) as endpoint:
        museum = _museum(endpoint.url)

        def die(museum_id: str, pages: int, records: int) -> None:
            if pages == 2:
                raise Crash

        with pytest.raises(Crash):
            Pipeline(any_db, index_url="sqlite", on_page=die).harvest(museum)
        assert _count(any_db, StagedRecord) == 20, "two pages staged with their checkpoint"
        assert _count(any_db, CoreRow) == 0, "nothing reaches the catalogue before the run is applied"
        resumed = Pipeline(any_db, index_url="sqlite").harvest(museum)
        assert resumed.ok and resumed.resumed and (resumed.new, resumed.unchanged) == (40, 0)
        assert _count(any_db, CoreRow) == _count(any_db, RawRow) == 40
        assert _count(any_db, StagedRecord) == 0, "an applied run leaves nothing staged"
        assert _indexed(any_db) == 40

        gone = {objects[0].local_id, objects[1].local_id}
        endpoint.set_records(_records(objects, gone, datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5)))
        incremental = Pipeline(any_db, index_url="sqlite").harvest(museum)
    assert incremental.ok and incremental.mode == "incremental" and incremental.deleted == 2
    assert _count(any_db, CoreRow) == 38 and _count(any_db, Tombstone) == 2
    assert _count(any_db, HarvestRun, status="succeeded") == 2

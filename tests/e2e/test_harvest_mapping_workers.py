"""One museum's pages mapped by worker processes: the same catalogue as mapping them in one process.

Pages are planned against the store here, mapped by workers several at a time,
and committed in listing order with their checkpoints, so a run killed with
pages in flight resumes exactly, and a restarted window does not count twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from aggregator.index.fts import SqliteFtsIndex
from aggregator.index.query import SearchQuery
from aggregator.page_pool import START_AFTER
from aggregator.pipeline import Pipeline
from aggregator.store.database import Database, open_database
from aggregator.store.models import CoreRow, RawRow, RecordIssueRow, StagedRecord
from config.registry import Museum
from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

MUSEUM_ID = "kz-central-state-museum"
COUNT = 400  # well past START_AFTER, so the workers map most pages


class Crash(BaseException):
    """Stands for the process dying between two pages."""


def _records() -> list[EndpointRecord]:
    objects = generate_museum_objects(MUSEUM_ID, COUNT, seed=3, region="KZ-75", base_url="https://media.example/")
    stamp = datetime(2025, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    return [
        EndpointRecord(f"oai:csm.kz:{o.local_id}", stamp, metadata={"lido": to_lido(o, "Central State Museum")})
        for o in objects
    ]


def _museum(url: str) -> Museum:
    return Museum.model_validate(
        {"id": MUSEUM_ID, "name": {"en": "CSM"}, "region": "KZ-75",
         "source": {"type": "oai-pmh", "url": url, "max_retries": 3, "timeout": 30}}  # fmt: skip
    )


def _count(db: Database, model: type[CoreRow] | type[RawRow] | type[StagedRecord]) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _timeless(document: dict[str, object]) -> dict[str, object]:
    """A stored document without the moment it was harvested (two harvests differ by that only)."""
    source = dict(document["source"])  # type: ignore[call-overload]
    source.pop("harvested_at", None)
    return {**document, "source": source}


def _catalogue(db: Database) -> dict[str, tuple[object, ...]]:
    with db.session() as session:
        cores = {r.id: (_timeless(r.document), r.title, r.quality, r.mapping_version)
                 for r in session.scalars(select(CoreRow))}  # fmt: skip
        issues = session.execute(select(RecordIssueRow.record_id, RecordIssueRow.field, RecordIssueRow.message)).all()
    findings: dict[str, list[tuple[str, str]]] = {}
    for record_id, field, message in issues:
        findings.setdefault(record_id, []).append((field, message))
    return {key: (*value, sorted(findings.get(key, []))) for key, value in cores.items()}


def test_mapping_workers_store_the_same_catalogue_as_one_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert COUNT > START_AFTER + 3 * 25, "most pages are mapped by the workers"
    with OaiEndpoint(_records(), name="CSM", formats=["lido"], batch_size=25) as endpoint:
        alone, pooled = (open_database(f"sqlite:///{tmp_path / name}.db") for name in ("alone", "pooled"))
        try:
            one = Pipeline(alone).harvest(_museum(endpoint.url))
            many = Pipeline(pooled, map_workers=2).harvest(_museum(endpoint.url))
            assert one.ok and many.ok, (one.error, many.error)
            assert (many.new, many.updated, many.failed, many.pages) == (COUNT, 0, 0, COUNT // 25)
            assert _catalogue(pooled) == _catalogue(alone)
            with pooled.session() as session:
                assert SqliteFtsIndex(session).search(SearchQuery()).total == COUNT
            again = Pipeline(pooled, map_workers=2).harvest(_museum(endpoint.url), full=True)
            assert (again.new, again.updated, again.unchanged) == (0, 0, COUNT)
        finally:
            alone.dispose()
            pooled.dispose()


@pytest.mark.parametrize("expire_tokens", [False, True], ids=["resume", "restarted-window"])
def test_a_run_killed_with_pages_in_flight_resumes_without_loss_or_double_counting(
    sqlite_db: Database, expire_tokens: bool
) -> None:
    with OaiEndpoint(
        _records(), name="CSM", formats=["lido"], batch_size=25, faults=Faults(expire_tokens=expire_tokens)
    ) as endpoint:
        museum = _museum(endpoint.url)

        def die(museum_id: str, pages: int, records: int) -> None:
            if pages == 13:  # workers started after page 12 (300 records) and have later pages in hand
                raise Crash

        with pytest.raises(Crash):
            Pipeline(sqlite_db, on_page=die, map_workers=2).harvest(museum)
        assert _count(sqlite_db, StagedRecord) == 13 * 25, "exactly the committed pages stay staged"
        assert _count(sqlite_db, CoreRow) == 0
        if expire_tokens:
            endpoint.expire_tokens_now()  # the resumed run lists the whole window again
        resumed = Pipeline(sqlite_db, map_workers=2).harvest(museum)
    assert resumed.ok and resumed.resumed, resumed.error
    assert (resumed.new, resumed.updated) == (COUNT, 0), resumed.line()
    assert _count(sqlite_db, CoreRow) == _count(sqlite_db, RawRow) == COUNT
    assert _count(sqlite_db, StagedRecord) == 0

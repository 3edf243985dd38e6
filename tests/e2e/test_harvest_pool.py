"""Many museums harvested at once by worker processes: nothing lost, nothing twice, no locked database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aggregator.catalogue import Catalogue
from aggregator.index.query import SearchQuery
from aggregator.store.database import Database
from aggregator.store.models import CoreRow, RawRow, StagedRecord
from config.registry import Museum, Registry
from config.settings import Settings
from config.source_policy import SourcePolicy
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

SIZES = {"kz-pool-a": 90, "kz-pool-b": 35, "kz-pool-c": 60, "kz-pool-d": 12}


def _records(museum_id: str, count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(museum_id, count, seed=9, region="KZ-75", base_url="https://m.example/")
    return [
        EndpointRecord(
            identifier=f"oai:{museum_id}.kz:{o.local_id}",
            datestamp=datetime(2025, 1, 1),
            metadata={"lido": to_lido(o, museum_id)},
        )
        for o in objects
        if not o.deleted
    ]


@pytest.fixture
def peers() -> Iterator[dict[str, OaiEndpoint]]:
    with ExitStack() as stack:
        yield {
            museum_id: stack.enter_context(
                OaiEndpoint(_records(museum_id, count), name=museum_id, formats=["lido"], batch_size=10)
            )
            for museum_id, count in SIZES.items()
        }


def _catalogue(db: Database, peers: dict[str, OaiEndpoint], tmp_path: Path, index_url: str) -> Catalogue:
    museums = [
        Museum.model_validate(
            {"id": museum_id, "name": {"en": museum_id}, "region": "KZ-75",
             "source": {"type": "oai-pmh", "url": peer.url, "max_retries": 1}}  # fmt: skip
        )
        for museum_id, peer in peers.items()
    ]
    settings = Settings(
        config_dir=tmp_path,
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
        index_url=index_url,
        registry=Registry(museums=museums),
        source_policy=SourcePolicy.from_env(),  # loopback peers: the tests allow 127.0.0.0/8
    )
    return Catalogue(settings, db)


def _count(db: Database, model: type[CoreRow] | type[RawRow] | type[StagedRecord], museum_id: str | None = None) -> int:
    with db.session() as session:
        stmt = select(func.count()).select_from(model)
        if museum_id is not None:
            stmt = stmt.where(model.museum_id == museum_id)
        return int(session.scalar(stmt) or 0)


def test_museums_harvested_by_two_workers_arrive_whole_and_once(any_db: Database, peers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index_url = "sqlite" if any_db.is_sqlite else "opensearch+http://127.0.0.1:9/none?attempts=1"
    catalogue = _catalogue(any_db, peers, tmp_path, index_url)

    summaries = catalogue.harvest(workers=2)

    assert [s.museum_id for s in summaries] == list(SIZES)
    assert all(s.ok for s in summaries), [s.error for s in summaries]
    for museum_id, peer in peers.items():
        expected = len(peer.records())
        assert _count(any_db, CoreRow, museum_id) == _count(any_db, RawRow, museum_id) == expected, museum_id
        assert next(s for s in summaries if s.museum_id == museum_id).new == expected
    assert _count(any_db, StagedRecord) == 0, "every run applied, nothing left staged"

    again = catalogue.harvest(workers=2)
    assert all(s.ok and s.new == 0 and s.updated == 0 for s in again), [s.line() for s in again]


def test_searches_keep_answering_while_workers_harvest_into_sqlite(sqlite_db: Database, peers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catalogue = _catalogue(sqlite_db, peers, tmp_path, "sqlite")
    errors: list[BaseException] = []
    searches = 0
    stop = threading.Event()

    def search_loop() -> None:
        nonlocal searches
        while not stop.is_set():
            try:
                catalogue.search(SearchQuery(text="kebeje", facets=["museum"]))
                searches += 1
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    reader = threading.Thread(target=search_loop)
    reader.start()
    try:
        summaries = catalogue.harvest(workers=2)
    finally:
        stop.set()
        reader.join()

    assert errors == [] and searches > 0
    assert all(s.ok for s in summaries), [s.error for s in summaries]
    assert catalogue.search(SearchQuery(size=0)).total == sum(len(p.records()) for p in peers.values())

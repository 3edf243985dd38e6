"""Keeping the search index in step with the store: outbox sync, engine outages, rebuilds.

Tests marked ``opensearch`` run against the real node named by
``EMUSEUM_TEST_OPENSEARCH_URL`` (see test_search_backends.py); the outage tests
need no node at all, they point at a port nothing listens on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from aggregator.catalogue import Catalogue
from aggregator.cli import app
from aggregator.index.documents import build_document
from aggregator.index.engines import EngineIndex
from aggregator.index.errors import IndexUnavailable
from aggregator.index.fts import SqliteFtsIndex
from aggregator.index.open import open_engine
from aggregator.index.outbox import OutboxIndex, SyncReport, sync_outbox
from aggregator.index.query import SearchQuery
from aggregator.index.rebuild import RebuildReport, rebuild, reindex_embedded
from aggregator.store.database import Database, open_database
from aggregator.store.models import CoreRow, IndexOutbox
from aggregator.store.records import RecordStore, SavedCore
from config.registry import Museum, Registry
from config.settings import Settings
from config.source_policy import SourcePolicy
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido
from mappings.core import CoreRecord
from tests.aggregator.engines import ENGINES, closed_port_url, engine_param, engine_url, fresh_engine, save_records
from tests.factories import make_record

MUSEUM_ID = "kz-test-museum"
REGIONS = {MUSEUM_ID: "KZ-75"}


def _outbox_rows(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(IndexOutbox)) or 0


def _harvest_page(db: Database, saved: list[CoreRecord], deleted: tuple[str, ...] = ()) -> None:
    """What a harvest page does with an engine configured: store + outbox rows, one transaction."""
    with db.session() as session:
        store = RecordStore(session)
        outbox = OutboxIndex(session)
        existing = store.core_rows([r.id for r in saved])
        store.save_cores([SavedCore(r, "hash", 0.7, existing.get(r.id)) for r in saved])
        outbox.upsert([build_document(r, REGIONS[r.museum_id]) for r in saved])
        for record_id in deleted:
            store.tombstone(MUSEUM_ID, record_id.split(":", 1)[1], record_id, "deleted at source", None)
        outbox.delete(list(deleted))
        session.commit()


@pytest.fixture(params=[engine_param(e) for e in ENGINES])
def engine(request: pytest.FixtureRequest) -> Iterator[EngineIndex]:
    index = fresh_engine(request.param)
    index.ensure_index()
    try:
        yield index
    finally:
        index.drop()
        index.close()


def _ids(engine: EngineIndex, text: str = "") -> set[str]:
    return {h.id.split(":", 1)[1] for h in engine.search(SearchQuery(text=text, size=100)).hits}


# -- outbox sync ------------------------------------------------------------------------------


def test_sync_sends_what_the_store_holds_now_after_a_harvest_like_sequence(
    sqlite_db: Database, engine: EngineIndex
) -> None:
    with sqlite_db.session() as session:
        RecordStore(session).save_museum(
            Museum.model_validate(
                {
                    "id": MUSEUM_ID,
                    "name": {"en": "Test"},
                    "region": "KZ-75",
                    "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
                }
            )
        )
        session.commit()
    first = [make_record(str(n), titles={"en": f"Bowl number {n}"}) for n in range(1, 9)]
    _harvest_page(sqlite_db, first)
    _harvest_page(
        sqlite_db,
        [make_record("1", titles={"en": "Painted chest"}), make_record("3", titles={"en": "Felt rug"})],
        deleted=(f"{MUSEUM_ID}:2",),
    )
    _harvest_page(sqlite_db, [make_record("9", titles={"en": "Bowl number 9"})], deleted=(f"{MUSEUM_ID}:3",))
    assert _outbox_rows(sqlite_db) == 13

    report = sync_outbox(sqlite_db, engine, REGIONS, batch=3)
    engine.refresh()

    assert (report.rows, report.batches, report.rejected) == (13, 5, {})
    assert _outbox_rows(sqlite_db) == 0
    assert _ids(engine) == {"1", "4", "5", "6", "7", "8", "9"}
    assert _ids(engine, "painted") == {"1"}
    assert _ids(engine, "felt") == set()  # updated, then deleted: the later state wins
    with sqlite_db.session() as session:
        assert engine.count() == RecordStore(session).active_count() == 7
    assert sync_outbox(sqlite_db, engine, REGIONS) == SyncReport()  # nothing left to do


def test_a_record_whose_stored_document_no_longer_validates_stays_in_the_outbox_named(sqlite_db: Database) -> None:
    save_records(sqlite_db, [make_record("1")], REGIONS)
    with sqlite_db.session() as session:
        session.execute(update(CoreRow).values(document={"id": f"{MUSEUM_ID}:1", "museum_id": MUSEUM_ID}))
        OutboxIndex(session).upsert([build_document(make_record("1"), "KZ-75")])
        session.commit()
    down = open_engine(closed_port_url())  # never contacted: there is nothing valid to send
    report = sync_outbox(sqlite_db, down, REGIONS)
    down.close()
    assert list(report.rejected) == [f"{MUSEUM_ID}:1"]
    assert f"museum {MUSEUM_ID}, record {MUSEUM_ID}:1, field local_id" in report.rejected[f"{MUSEUM_ID}:1"]
    assert _outbox_rows(sqlite_db) == 1


# -- the engine is down ------------------------------------------------------------------------------


def _endpoint_records(count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(MUSEUM_ID, count, seed=5, region="KZ-75", base_url="https://media.example/")
    return [
        EndpointRecord(
            identifier=f"oai:test.kz:{o.local_id}",
            datestamp=datetime(2025, 1, 1),
            metadata={"lido": to_lido(o, "Test Museum")},
        )
        for o in objects
    ]


def _catalogue(tmp_path: Path, oai_url: str, index_url: str) -> Catalogue:
    museum = Museum.model_validate(
        {
            "id": MUSEUM_ID,
            "name": {"en": "Test Museum"},
            "region": "KZ-75",
            "source": {"type": "oai-pmh", "url": oai_url, "max_retries": 1, "timeout": 5},
        }
    )
    settings = Settings(
        source_policy=SourcePolicy.from_env(),  # loopback peers: tests allow 127.0.0.0/8
        config_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'catalogue.db'}",
        index_url=index_url,
        registry=Registry(museums=[museum]),
    )
    return Catalogue(settings, open_database(settings.database_url))


@pytest.fixture
def endpoint() -> Iterator[OaiEndpoint]:
    with OaiEndpoint(_endpoint_records(25), name="Test", formats=["lido"], batch_size=10) as ep:
        yield ep


def test_with_the_engine_down_a_harvest_keeps_its_records_and_the_outbox(tmp_path: Path, endpoint: OaiEndpoint) -> None:
    catalogue = _catalogue(tmp_path, endpoint.url, closed_port_url())
    try:
        summaries = catalogue.harvest()
        assert summaries[0].ok and summaries[0].new == 25
        assert any("search index not updated" in note and "outbox" in note for note in summaries[0].notes)
        with catalogue.db.session() as session:
            assert RecordStore(session).active_count() == 25
        assert _outbox_rows(catalogue.db) == 25
        with pytest.raises(IndexUnavailable, match="unreachable"):
            catalogue.sync_index()
        assert _outbox_rows(catalogue.db) == 25
    finally:
        catalogue.close()


@pytest.mark.parametrize("engine_name", [engine_param(e) for e in ENGINES])
def test_the_next_sync_catches_up_once_the_engine_is_back(
    tmp_path: Path, endpoint: OaiEndpoint, engine_name: str
) -> None:
    down = _catalogue(tmp_path, endpoint.url, closed_port_url(engine=engine_name))
    down.harvest()
    down.close()
    engine = fresh_engine(engine_name)  # only for its unique alias and for cleaning up
    up = _catalogue(tmp_path, endpoint.url, engine_url(engine_name, engine.alias))
    try:
        report = up.sync_index()
        assert (report.upserted, report.rows) == (25, 25)
        assert _outbox_rows(up.db) == 0
        engine.refresh()
        assert up.search(SearchQuery(facets=["museum"])).facets["museum"][0].count == 25
        objects = generate_museum_objects(MUSEUM_ID, 25, seed=5, region="KZ-75", base_url="https://media.example/")
        hits = up.search(SearchQuery(text=objects[0].titles["ru"], size=100)).hits
        assert f"{MUSEUM_ID}:{objects[0].local_id}" in {h.id for h in hits}
        # a later harvest with the engine up syncs by itself and leaves no note behind
        summaries = up.harvest(full=True)
        assert summaries[0].ok and not any("search index" in note for note in summaries[0].notes)
        assert _outbox_rows(up.db) == 0
    finally:
        up.close()
        engine.drop()
        engine.close()


# -- rebuilds ----------------------------------------------------------------------------------------


def _many(start: int, stop: int) -> list[CoreRecord]:
    return [make_record(f"{n:05d}", titles={"en": f"Museum object {n}"}, earliest="1900") for n in range(start, stop)]


def test_rebuild_swaps_the_alias_while_searches_keep_answering(sqlite_db: Database, engine: EngineIndex) -> None:
    save_records(sqlite_db, _many(0, 1200), REGIONS)
    first = rebuild(sqlite_db, engine, REGIONS)
    assert engine.count() == 1200
    save_records(sqlite_db, _many(1200, 1500), REGIONS)

    totals: list[int] = []
    failures: list[BaseException] = []
    started, stop = threading.Event(), threading.Event()
    after_swap: list[int] = []  # len(totals) when the rebuild returned
    enough_after = threading.Event()

    def search_loop() -> None:
        for _ in range(20_000):  # bounded even if the main thread dies
            if stop.is_set():
                return
            try:
                totals.append(engine.search(SearchQuery(text="museum object", facets=["century"], size=5)).total)
            except BaseException as exc:  # every failure counts, whatever its type
                failures.append(exc)
            started.set()
            if after_swap and len(totals) + len(failures) >= after_swap[0] + 10:
                enough_after.set()

    searcher = threading.Thread(target=search_loop, name="search-loop", daemon=True)
    searcher.start()
    try:
        assert started.wait(30), "the search loop never ran"
        before = len(totals)
        second = rebuild(sqlite_db, engine, REGIONS)
        after_swap.append(len(totals))
        assert enough_after.wait(30), "the search loop stopped answering after the swap"
    finally:
        stop.set()
        searcher.join(30)

    assert failures == []
    assert set(totals) <= {1200, 1500}
    assert totals[0] == 1200 and totals[-1] == 1500
    assert after_swap[0] > before, "no search ran while the rebuild was loading"
    assert isinstance(second, RebuildReport) and second.documents == 1500
    assert engine.ensure_index() == second.index != first.index
    indices = engine.client.indices.get(index=f"{engine.alias}-*")  # type: ignore[attr-defined]
    assert set(indices) == {second.index}  # the old index is gone


def test_a_failed_rebuild_leaves_the_alias_on_the_old_index_and_cleans_up(
    sqlite_db: Database, engine: EngineIndex
) -> None:
    docs = [build_document(r, "KZ-75") for r in _many(0, 30)]
    engine.upsert(docs)
    engine.refresh()
    old = engine.ensure_index()

    def store_goes_away() -> Iterator:  # type: ignore[type-arg]
        yield from docs[:10]
        raise OSError("database connection lost")

    with pytest.raises(OSError, match="connection lost"):
        engine.rebuild(store_goes_away())
    assert engine.ensure_index() == old
    assert engine.count() == 30
    assert set(engine.client.indices.get(index=f"{engine.alias}-*")) == {old}  # type: ignore[attr-defined]


def test_rebuild_resends_records_changed_while_it_was_loading(sqlite_db: Database, engine: EngineIndex) -> None:
    save_records(sqlite_db, _many(0, 20), REGIONS)
    real_rebuild = engine.rebuild

    def rebuild_during_a_harvest(docs, **kw):  # type: ignore[no-untyped-def]
        docs = list(docs)  # the load read the store ...
        save_records(sqlite_db, [make_record("00003", titles={"en": "Retitled meanwhile"})], REGIONS)
        with sqlite_db.session() as session:  # ... and then a harvest changed it
            RecordStore(session).tombstone(MUSEUM_ID, "00004", f"{MUSEUM_ID}:00004", "deleted at source", None)
            session.commit()
        return real_rebuild(docs, **kw)

    engine.rebuild = rebuild_during_a_harvest  # type: ignore[method-assign]
    report = rebuild(sqlite_db, engine, REGIONS)
    engine.refresh()
    assert report.caught_up == 2, "the retitled record and the deleted one; the other 18 were read as they are"
    assert _ids(engine, "retitled") == {"00003"}
    assert engine.count() == 19


def test_a_rebuild_right_after_a_remap_sends_each_record_once(sqlite_db: Database, engine: EngineIndex) -> None:
    save_records(sqlite_db, _many(0, 30), REGIONS)  # every record changed a moment ago, as after a remap
    sent: list[str] = []
    real_upsert = engine.upsert

    def counting_upsert(docs, *args, **kw):  # type: ignore[no-untyped-def]
        docs = list(docs)
        sent.extend(doc.id for doc in docs)
        return real_upsert(docs, *args, **kw)

    engine.upsert = counting_upsert  # type: ignore[method-assign]
    report = rebuild(sqlite_db, engine, REGIONS)
    engine.refresh()
    assert (report.documents, report.caught_up) == (30, 0), "the load read each record as it is now"
    assert sent == [], "nothing is sent a second time after the swap"
    assert engine.count() == 30


def test_embedded_reindex_rebuilds_fts_from_the_store_in_one_transaction(sqlite_db: Database) -> None:
    save_records(sqlite_db, _many(0, 40), REGIONS)
    stale = make_record("gone", titles={"en": "Stale leftover"})
    with sqlite_db.session() as session:
        SqliteFtsIndex(session).upsert([build_document(stale, "KZ-75")])
        session.commit()
    report = reindex_embedded(sqlite_db, REGIONS, batch=7)
    assert (report.index, report.documents, report.rejected) == ("sqlite-fts", 40, {})
    with sqlite_db.session() as session:
        index = SqliteFtsIndex(session)
        assert index.count() == 40
        assert index.search(SearchQuery(text="stale")).total == 0
        assert index.search(SearchQuery(text="object 17")).hits[0].id == f"{MUSEUM_ID}:00017"


def test_embedded_reindex_with_worker_processes_indexes_every_record_once(sqlite_db: Database) -> None:
    save_records(sqlite_db, _many(0, 2500), REGIONS)  # three ranges of up to 1,000 records
    progress: list[tuple[int, int]] = []
    report = reindex_embedded(sqlite_db, REGIONS, workers=2, on_progress=lambda d, t: progress.append((d, t)))
    assert (report.documents, report.rejected, report.workers) == (2500, {}, 2)
    assert progress[-1] == (2500, 2500)
    with sqlite_db.session() as session:
        index = SqliteFtsIndex(session)
        assert index.count() == 2500
        assert index.search(SearchQuery(text="object 1717")).hits[0].id == f"{MUSEUM_ID}:01717"


def test_a_full_rebuild_by_worker_processes_loads_one_new_index_and_swaps_it_in(
    sqlite_db: Database, engine: EngineIndex
) -> None:
    save_records(sqlite_db, _many(0, 2300), REGIONS)
    first = rebuild(sqlite_db, engine, REGIONS)
    save_records(sqlite_db, _many(2300, 2600), REGIONS)
    _harvest_page(sqlite_db, _many(2300, 2310))  # outbox rows, enqueued long before the rebuild
    with sqlite_db.session() as session:
        session.execute(update(IndexOutbox).values(enqueued_at=datetime(2020, 1, 1)))
        session.commit()
    progress: list[tuple[int, int]] = []
    url = engine_url(engine.engine, engine.alias)
    report = rebuild(
        sqlite_db, engine, REGIONS, workers=2, index_url=url, on_progress=lambda d, t: progress.append((d, t))
    )
    engine.refresh()
    assert (report.documents, report.rejected, report.workers) == (2600, {}, 2)
    assert report.caught_up == 0, "the workers read every recent record as it is now"
    assert report.index != first.index and progress[-1] == (2600, 2600)
    assert report.outbox_settled == 10 and _outbox_rows(sqlite_db) == 0, "the rebuild holds what they named"
    assert engine.count() == 2600
    assert _ids(engine, "object 2599") == {"02599"}


# -- the command line ----------------------------------------------------------------------------------


def _config(tmp_path: Path) -> Path:
    museum = {
        "id": MUSEUM_ID,
        "name": {"en": "Test"},
        "region": "KZ-75",
        "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
    }
    (tmp_path / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}), encoding="utf-8")
    return tmp_path


def test_reindex_command_rebuilds_the_embedded_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = open_database(db_url)
    save_records(db, _many(0, 12), REGIONS)
    db.dispose()
    monkeypatch.setenv("EMUSEUM_DATABASE_URL", db_url)
    monkeypatch.setenv("EMUSEUM_INDEX_URL", "sqlite")
    result = CliRunner().invoke(app, ["reindex", "--config", str(_config(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "rebuilt sqlite-fts with 12 records" in result.output


@pytest.mark.parametrize("engine_name", [engine_param(e) for e in ENGINES])
def test_reindex_full_command_swaps_in_a_new_engine_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_name: str
) -> None:
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = open_database(db_url)
    save_records(db, _many(0, 12), REGIONS)
    db.dispose()
    engine = fresh_engine(engine_name)
    monkeypatch.setenv("EMUSEUM_DATABASE_URL", db_url)
    monkeypatch.setenv("EMUSEUM_INDEX_URL", engine_url(engine_name, engine.alias))
    try:
        result = CliRunner().invoke(app, ["reindex", "--full", "--config", str(_config(tmp_path))])
        assert result.exit_code == 0, result.output
        assert f"rebuilt {engine.alias}-" in result.output and "with 12 records" in result.output
        assert engine.count() == 12
    finally:
        engine.drop()
        engine.close()


def test_reindex_command_fails_in_one_line_when_the_engine_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMUSEUM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("EMUSEUM_INDEX_URL", closed_port_url())
    result = CliRunner().invoke(app, ["reindex", "--config", str(_config(tmp_path))])
    assert result.exit_code != 0
    assert "unreachable" in str(result.exception)

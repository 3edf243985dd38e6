"""Whole harvest runs: a real third-party OAI-PMH provider -> store -> embedded index.

The provider is the `oaipmh` package's BatchingServer on 127.0.0.1 (wrapped by
demo.oai_endpoint), fed with realistic generated museum records.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aggregator.index.fts import SqliteFtsIndex
from aggregator.index.query import SearchQuery
from aggregator.pipeline import Pipeline
from aggregator.store.models import (
    CoreRow,
    HarvestRun,
    MuseumQuality,
    QuarantineRow,
    RawRow,
    RecordIssueRow,
    StagedRecord,
    Tombstone,
)
from aggregator.store.records import RecordStore
from aggregator.store.runs import RunStore
from config.breaker import BreakerLimits
from config.registry import Museum
from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from demo.samples import (
    SampleObject,
    generate_museum_objects,
    to_accounting_row,
    to_lido,
    to_oai_dc,
    write_csv,
)

MUSEUM_ID = "kz-central-state-museum"


class Crash(BaseException):
    """Stands for the process dying between two pages (like SIGTERM's SystemExit, not a bug)."""


def _objects(count: int = 60, seed: int = 7) -> list[SampleObject]:
    objects = generate_museum_objects(MUSEUM_ID, count, seed=seed, region="KZ-75", base_url="https://media.example/")
    for obj in objects:  # deletions are exercised explicitly below
        obj.deleted = False
        obj.datestamp = datetime(2025, 1, 1, tzinfo=UTC)
    return objects


def _records(objects: list[SampleObject], *, broken: set[str] = frozenset()) -> list[EndpointRecord]:
    out = []
    for obj in objects:
        lido = to_lido(obj, "Central State Museum")
        if obj.local_id in broken:
            lido = b"<lido:lido xmlns:lido='http://www.lido-schema.org'><lido:lidoRecID>x</lido:lidoRecID></lido:lido>"
        out.append(
            EndpointRecord(
                identifier=f"oai:csm.kz:{obj.local_id}",
                datestamp=obj.datestamp.replace(tzinfo=None),
                deleted=obj.deleted,
                metadata={} if obj.deleted else {"lido": lido, "oai_dc": to_oai_dc(obj)},
            )
        )
    return out


def _museum(url: str) -> Museum:
    return Museum.model_validate(
        {
            "id": MUSEUM_ID,
            "name": {"en": "Central State Museum"},
            "region": "KZ-75",
            "source": {"type": "oai-pmh", "url": url, "max_retries": 3, "timeout": 5},
        }
    )


def _count(db, model, **where) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return session.scalar(stmt)


def _search(db, text: str = "", **kw):  # type: ignore[no-untyped-def]
    with db.session() as session:
        return SqliteFtsIndex(session).search(SearchQuery(text=text, **kw))


@pytest.fixture
def objects() -> list[SampleObject]:
    return _objects()


@pytest.fixture
def endpoint(objects):  # type: ignore[no-untyped-def]
    with OaiEndpoint(_records(objects), name="CSM", formats=["lido", "oai_dc"], batch_size=10) as ep:
        yield ep


def test_full_harvest_stores_and_indexes_every_record_once(sqlite_db, endpoint, objects) -> None:  # type: ignore[no-untyped-def]
    summary = Pipeline(sqlite_db).harvest(_museum(endpoint.url))
    assert summary.ok, summary.error
    assert (summary.mode, summary.new, summary.failed, summary.pages) == ("full", 60, 0, 6)
    assert _count(sqlite_db, CoreRow) == 60
    assert _search(sqlite_db).total == 60
    first_title = objects[0].titles["ru"]
    assert f"{MUSEUM_ID}:{objects[0].local_id}" in {h.id for h in _search(sqlite_db, first_title, size=100).hits}


def test_harvesting_unchanged_records_again_changes_nothing(sqlite_db, endpoint) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)
    Pipeline(sqlite_db).harvest(museum)
    with sqlite_db.session() as session:
        before = {r.id: (r.updated_at, r.document) for r in session.scalars(select(CoreRow))}
    again = Pipeline(sqlite_db).harvest(museum, full=True)
    assert (again.new, again.updated, again.unchanged, again.deleted) == (0, 0, 60, 0)
    with sqlite_db.session() as session:
        after = {r.id: (r.updated_at, r.document) for r in session.scalars(select(CoreRow))}
    assert after == before


def test_incremental_harvest_brings_changes_and_deletions_only(sqlite_db, endpoint, objects) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)
    Pipeline(sqlite_db).harvest(museum)
    later = datetime.now(UTC) + timedelta(minutes=5)
    for obj in objects[:4]:
        obj.titles["en"] = "Restored: " + obj.titles.get("en", "")
        obj.datestamp = later
    for obj in objects[4:6]:
        obj.deleted = True
        obj.datestamp = later
    endpoint.set_records(_records(objects))
    summary = Pipeline(sqlite_db).harvest(museum)
    assert summary.mode == "incremental"
    assert (summary.new, summary.updated, summary.deleted, summary.failed) == (0, 4, 2, 0)
    assert summary.unchanged == 0, "the window must not bring back untouched records"
    assert "from" in endpoint.list_records_params()[-1] or any("from" in p for p in endpoint.list_records_params()[-2:])
    assert _count(sqlite_db, CoreRow) == 58
    assert _count(sqlite_db, Tombstone) == 2
    gone = f"{MUSEUM_ID}:{objects[4].local_id}"
    assert gone not in {h.id for h in _search(sqlite_db, size=100).hits}
    assert _search(sqlite_db, "Restored").total == 4


def test_a_run_killed_between_pages_resumes_without_loss_or_duplicates(sqlite_db, endpoint) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)

    def die_after_two_pages(museum_id: str, pages: int, records: int) -> None:
        if pages == 2:
            raise Crash

    with pytest.raises(Crash):
        Pipeline(sqlite_db, on_page=die_after_two_pages).harvest(museum)
    assert _count(sqlite_db, StagedRecord) == 20, "the two committed pages stay staged"
    assert _count(sqlite_db, CoreRow) == 0, "nothing reaches the catalogue before the run is applied"
    with sqlite_db.session() as session:
        killed = RunStore(session).latest(MUSEUM_ID)
        assert killed.status == "running" and killed.checkpoint["pages_done"] == 2
    resumed = Pipeline(sqlite_db).harvest(museum)
    assert resumed.ok and resumed.resumed and resumed.run_id == killed.id
    assert (resumed.new, resumed.unchanged) == (60, 0), "the run continues after its last committed page"
    assert _count(sqlite_db, CoreRow) == 60
    assert _count(sqlite_db, RawRow) == 60
    assert _search(sqlite_db).total == 60


def test_an_expired_token_on_resume_restarts_the_window_without_duplicates(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(
        _records(objects),
        name="CSM",
        formats=["lido"],
        batch_size=10,
        faults=Faults(expire_tokens=True),
    ) as ep:
        museum = _museum(ep.url)

        def die(museum_id: str, pages: int, records: int) -> None:
            if pages == 3:
                raise Crash

        with pytest.raises(Crash):
            Pipeline(sqlite_db, on_page=die).harvest(museum)
        ep.expire_tokens_now()
        resumed = Pipeline(sqlite_db).harvest(museum)
    assert resumed.ok, resumed.error
    assert _count(sqlite_db, CoreRow) == 60
    assert (resumed.new, resumed.unchanged) == (60, 30), "the restarted window re-reads the first 3 pages"


def test_one_broken_record_is_quarantined_and_the_rest_arrive(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    broken = objects[5].local_id
    with OaiEndpoint(
        _records(objects, broken={broken}),
        name="CSM",
        formats=["lido"],
        batch_size=10,
        faults=Faults(corrupt_record_ids={f"oai:csm.kz:{objects[6].local_id}"}),
    ) as ep:
        summary = Pipeline(sqlite_db).harvest(_museum(ep.url))
    assert summary.ok
    assert summary.failed == 1
    assert _count(sqlite_db, CoreRow) == 59, "the repaired record is stored, the broken one is not"
    with sqlite_db.session() as session:
        reason = session.scalars(select(QuarantineRow.reason)).one()
    assert MUSEUM_ID in reason and broken in reason


def test_a_new_version_that_cannot_be_mapped_keeps_the_stored_one(sqlite_db, endpoint, objects) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)
    Pipeline(sqlite_db).harvest(museum)
    objects[0].datestamp = datetime.now(UTC) + timedelta(minutes=5)
    endpoint.set_records(_records(objects, broken={objects[0].local_id}))
    summary = Pipeline(sqlite_db).harvest(museum)
    assert summary.failed == 1
    record_id = f"{MUSEUM_ID}:{objects[0].local_id}"
    with sqlite_db.session() as session:
        kept = RecordStore(session).load_core(record_id)
    assert kept is not None and kept.title("ru") == objects[0].titles["ru"]


def test_503_with_retry_after_is_waited_out(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(
        _records(objects[:15]),
        name="CSM",
        formats=["lido"],
        batch_size=10,
        faults=Faults(fail_first_n_with_503=2, retry_after="1"),
    ) as ep:
        summary = Pipeline(sqlite_db).harvest(_museum(ep.url))
    assert summary.ok and summary.new == 15


def test_an_unreachable_endpoint_fails_the_run_plainly_and_loses_nothing(sqlite_db, endpoint) -> None:  # type: ignore[no-untyped-def]
    Pipeline(sqlite_db).harvest(_museum(endpoint.url))
    url = endpoint.url
    endpoint.stop()
    summary = Pipeline(sqlite_db).harvest(_museum(url))
    assert not summary.ok
    assert "127.0.0.1" in summary.error
    assert _count(sqlite_db, CoreRow) == 60


def _csv_museum(path: Path) -> Museum:
    return Museum.model_validate(
        {
            "id": "kz-otrar-reserve",
            "name": {"ru": "Отрар"},
            "region": "KZ-61",
            "source": {
                "type": "csv",
                "url": path.as_uri(),
                "profile": "ru-accounting",
            },

        }
    )


def _csv_limits() -> BreakerLimits:
    return BreakerLimits(max_shrink_share=0.5, max_deleted_share=0.5)


def test_csv_export_in_windows_1251_is_harvested_and_absent_rows_become_tombstones(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    objects = [
        o
        for o in generate_museum_objects(
            "kz-otrar-reserve", 40, seed=3, region="KZ-61", base_url="https://media.example/"
        )
        if not o.deleted
    ]
    path = tmp_path / "otrar.csv"
    write_csv(path, [to_accounting_row(o) for o in objects], encoding="cp1251", delimiter=";")
    museum = _csv_museum(path)
    first = Pipeline(sqlite_db).harvest(museum, limits=_csv_limits())
    assert first.ok and first.new == len(objects) and first.failed == 0
    assert _search(sqlite_db, objects[0].titles["ru"], size=100).total >= 1

    write_csv(path, [to_accounting_row(o) for o in objects[2:]], encoding="cp1251", delimiter=";")
    second = Pipeline(sqlite_db).harvest(museum, limits=_csv_limits())
    assert second.deleted == 2 and second.unchanged == len(objects) - 2
    assert _count(sqlite_db, Tombstone, museum_id="kz-otrar-reserve") == 2

    write_csv(path, [to_accounting_row(o) for o in objects[2:6]], encoding="cp1251", delimiter=";")
    shrunk = Pipeline(sqlite_db).harvest(museum, limits=_csv_limits())
    assert shrunk.held and shrunk.deleted == 0, "an export that shrank by most of its rows is held, deleting nothing"
    assert f"complete listing has 4 records where {len(objects) - 2} were active" in shrunk.error
    assert _count(sqlite_db, CoreRow, museum_id="kz-otrar-reserve") == len(objects) - 2


def test_findings_of_each_record_are_stored_for_the_museum(sqlite_db, endpoint) -> None:  # type: ignore[no-untyped-def]
    Pipeline(sqlite_db).harvest(_museum(endpoint.url))
    with sqlite_db.session() as session:
        fields = set(session.scalars(select(RecordIssueRow.field)))
        summary = session.get(MuseumQuality, MUSEUM_ID)
    assert "media" in fields, "records without an image are told so"
    assert summary.records == 60 and sum(summary.tiers.values()) == 60


def test_an_endpoint_that_ignores_from_is_noticed_and_nothing_breaks(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(
        _records(objects), name="CSM", formats=["lido"], batch_size=10, faults=Faults(ignore_from=True)
    ) as ep:
        museum = _museum(ep.url)
        Pipeline(sqlite_db).harvest(museum)
        again = Pipeline(sqlite_db).harvest(museum)
    assert again.ok and again.mode == "incremental" and again.unchanged == 60
    assert any("ignore 'from'" in note for note in again.notes)


def test_a_stored_record_that_arrives_broken_in_a_full_listing_is_not_deleted(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(_records(objects), name="CSM", formats=["lido"], batch_size=10) as ep:
        museum = _museum(ep.url)
        Pipeline(sqlite_db).harvest(museum)
        ep.faults.break_record_ids = {f"oai:csm.kz:{objects[7].local_id}"}
        again = Pipeline(sqlite_db).harvest(museum, full=True)
    assert again.ok and again.failed == 1 and again.deleted == 0
    assert _count(sqlite_db, CoreRow) == 60


def test_a_full_listing_with_only_new_ids_deletes_nothing(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(_records(objects), name="CSM", formats=["lido"], batch_size=10) as ep:
        museum = _museum(ep.url)
        Pipeline(sqlite_db).harvest(museum)
        renamed = _records(objects)
        for record in renamed:
            record.identifier = record.identifier.replace("oai:csm.kz:", "oai:csm.kz:new-")
        ep.set_records(renamed)
        again = Pipeline(sqlite_db).harvest(museum, full=True)
    assert again.held and again.new == 60 and again.deleted == 0
    assert "it would delete 60 of 60 active records (100%" in again.error
    assert _count(sqlite_db, CoreRow) == 60, "a held run changes nothing"


def test_the_same_identifier_twice_in_a_page_keeps_the_later_version(sqlite_db, objects) -> None:  # type: ignore[no-untyped-def]
    records = _records(objects[:5])
    twin = _records(objects[:1])[0]
    twin.metadata = {
        "lido": to_lido(objects[1], "Central State Museum").replace(
            objects[1].local_id.encode(), objects[0].local_id.encode()
        )
    }
    with OaiEndpoint([*records, twin], name="CSM", formats=["lido"], batch_size=10) as ep:
        summary = Pipeline(sqlite_db).harvest(_museum(ep.url))
    assert summary.ok and summary.new == 5


def test_a_record_deleted_at_source_keeps_its_last_payload(sqlite_db, endpoint, objects) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)
    Pipeline(sqlite_db).harvest(museum)
    objects[0].deleted = True
    objects[0].datestamp = datetime.now(UTC) + timedelta(minutes=5)
    endpoint.set_records(_records(objects))
    assert Pipeline(sqlite_db).harvest(museum).deleted == 1
    with sqlite_db.session() as session:
        row = session.get(RawRow, (MUSEUM_ID, objects[0].local_id))
    assert row.deleted and b"lido" in row.payload


def test_a_museum_is_not_harvested_by_two_live_processes_at_once(sqlite_db, endpoint) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)
    with sqlite_db.session() as session:
        RecordStore(session).save_museum(museum)
        other = RunStore(session).start(MUSEUM_ID, "full")
        other.owner = f"{socket.gethostname()}:{os.getppid()}"  # a live process on this machine
        other.heartbeat_at = datetime.now(UTC)
        other.checkpoint = {"museum_id": MUSEUM_ID, "source_type": "oai-pmh", "full": True}
        session.commit()
    refused = Pipeline(sqlite_db).harvest(museum)
    assert not refused.ok and "already being harvested" in refused.error and _count(sqlite_db, CoreRow) == 0
    with sqlite_db.session() as session:
        session.get(HarvestRun, other.id).heartbeat_at = datetime.now(UTC) - timedelta(hours=2)
        session.commit()
    taken_over = Pipeline(sqlite_db).harvest(museum)
    assert taken_over.ok and taken_over.resumed and taken_over.run_id == other.id


def test_an_unexpected_error_fails_the_run_plainly_and_it_resumes_later(sqlite_db, endpoint, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    museum = _museum(endpoint.url)

    def broken_index(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("aggregator.pipeline.hold_reasons", broken_index)
    failed = Pipeline(sqlite_db).harvest(museum)
    assert not failed.ok and failed.error == "unexpected error: RuntimeError: disk full"
    monkeypatch.undo()
    again = Pipeline(sqlite_db).harvest(museum)
    assert again.ok and again.run_id == failed.run_id and _count(sqlite_db, CoreRow) == 60

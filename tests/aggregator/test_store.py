"""The store keeps raw and core records, tombstones and findings, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select, text

from aggregator.store.database import open_database
from aggregator.store.models import QuarantineRow, RawRow, Tombstone
from aggregator.store.records import RecordStore
from aggregator.store.runs import RunStore
from config.registry import Museum
from harvester.raw import RawRecord
from mappings.report import Issue
from tests.factories import make_record

MUSEUM = Museum.model_validate(
    {
        "id": "kz-test-museum",
        "name": {"en": "Test museum"},
        "region": "KZ-75",
        "source": {"type": "oai-pmh", "url": "http://127.0.0.1:1/oai"},
    }
)


def _raw(local_id: str, payload: bytes = b"<x/>") -> RawRecord:
    return RawRecord(museum_id=MUSEUM.id, local_id=local_id, format="lido", payload=payload)


def test_opening_an_existing_database_again_keeps_its_data(any_db) -> None:  # type: ignore[no-untyped-def]
    with any_db.session() as session:
        RecordStore(session).save_museum(MUSEUM)
        session.commit()
    again = open_database(any_db.engine.url.render_as_string(hide_password=False))
    with again.session() as session:
        assert RecordStore(session).counts_by_museum() == {}
    again.dispose()


def test_core_record_round_trips_through_the_store(any_db) -> None:  # type: ignore[no-untyped-def]
    record = make_record("42", titles={"kk": "Кебеже", "ru": "Сундук"}, earliest="-0499", image=True)
    with any_db.session() as session:
        store = RecordStore(session)
        store.save_museum(MUSEUM)
        raw = _raw("42")
        store.save_raw(raw, None, None)
        store.save_core(record, raw.content_hash, 80.0, None)
        session.commit()
    with any_db.session() as session:
        assert RecordStore(session).load_core(record.id) == record


def test_tombstone_removes_the_core_record_and_remembers_why(any_db) -> None:  # type: ignore[no-untyped-def]
    record = make_record("7")
    with any_db.session() as session:
        store = RecordStore(session)
        store.save_museum(MUSEUM)
        store.save_core(record, "hash", None, None)
        store.replace_issues(record.id, MUSEUM.id, [Issue("titles", "no title")])
        store.tombstone(MUSEUM.id, "7", record.id, "deleted at source", None)
        session.commit()
    with any_db.session() as session:
        store = RecordStore(session)
        assert store.load_core(record.id) is None
        assert session.get(Tombstone, record.id).reason == "deleted at source"
        assert store.counts_by_museum()[MUSEUM.id] == {"active": 0, "deleted": 1, "quarantined": 0}


def test_a_record_that_comes_back_loses_its_tombstone(any_db) -> None:  # type: ignore[no-untyped-def]
    record = make_record("8")
    with any_db.session() as session:
        store = RecordStore(session)
        store.save_museum(MUSEUM)
        store.tombstone(MUSEUM.id, "8", record.id, "deleted at source", None)
        store.save_core(record, "hash", None, None)
        session.commit()
        assert session.get(Tombstone, record.id) is None


def test_quarantine_keeps_only_the_newest_reason_per_record(any_db) -> None:  # type: ignore[no-untyped-def]
    with any_db.session() as session:
        store = RecordStore(session)
        store.save_museum(MUSEUM)
        store.quarantine(MUSEUM.id, "9", "first reason", b"x", None)
        store.quarantine(MUSEUM.id, "9", "second reason", b"y", None)
        session.commit()
        reasons = session.scalars(select(QuarantineRow.reason)).all()
        assert reasons == ["second reason"]


def test_raw_records_iterate_in_batches_without_deleted_ones(any_db) -> None:  # type: ignore[no-untyped-def]
    with any_db.session() as session:
        store = RecordStore(session)
        store.save_museum(MUSEUM)
        for n in range(7):
            store.save_raw(_raw(f"r{n}", f"<x n='{n}'/>".encode()), None, None)
        deleted = RawRecord(museum_id=MUSEUM.id, local_id="gone", format="lido", payload=b"", deleted=True)
        store.save_raw(deleted, None, None)
        session.commit()
        batches = list(store.iter_raw(MUSEUM.id, batch=3))
        assert [len(b) for b in batches] == [3, 3, 1]
        assert "gone" not in {r.local_id for b in batches for r in b}
        assert session.scalar(select(func.count()).select_from(RawRow)) == 8


def test_the_latest_unfinished_run_is_the_one_to_resume(any_db) -> None:  # type: ignore[no-untyped-def]
    with any_db.session() as session:
        RecordStore(session).save_museum(MUSEUM)
        runs = RunStore(session)
        done = runs.start(MUSEUM.id, "full")
        done.status = "succeeded"
        done.window_started = "2026-01-01T00:00:00Z"
        killed = runs.start(MUSEUM.id, "incremental")
        killed.checkpoint = {"museum_id": MUSEUM.id, "source_type": "oai-pmh", "full": False}
        session.commit()
        assert runs.resumable(MUSEUM.id).id == killed.id
        assert runs.last_success(MUSEUM.id).id == done.id


def test_raw_payloads_are_stored_compressed_and_read_back_exactly(any_db) -> None:  # type: ignore[no-untyped-def]
    payload = (
        "<lido:lido>" + "<lido:appellationValue>Қазақ кебежесі</lido:appellationValue>" * 200 + "</lido:lido>"
    ).encode()
    with any_db.session() as session:
        store = RecordStore(session)
        store.save_museum(MUSEUM)
        store.save_raw(_raw("z", payload), None, None)
        session.commit()
    with any_db.engine.connect() as conn:
        stored = bytes(conn.execute(text("SELECT payload FROM raw_records WHERE local_id = 'z'")).scalar_one())
        # a row written before compression existed is plain bytes, and must still read back as such
        conn.execute(text("UPDATE raw_records SET payload = :p WHERE local_id = 'z'"), {"p": b"<x>legacy</x>"})
        conn.commit()
    assert len(stored) < len(payload) / 4
    with any_db.session() as session:
        assert session.get(RawRow, (MUSEUM.id, "z")).payload == b"<x>legacy</x>"
        RecordStore(session).save_raw(_raw("z", payload), None, session.get(RawRow, (MUSEUM.id, "z")))
        session.commit()
    with any_db.session() as session:
        assert session.get(RawRow, (MUSEUM.id, "z")).payload == payload

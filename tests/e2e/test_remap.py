"""Re-mapping from stored raw records: no museum is asked again, and the report says what changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from aggregator.catalogue import Catalogue
from aggregator.index.query import SearchQuery
from aggregator.mapping_step import MappingStep
from aggregator.remap import remap
from aggregator.store.models import CoreRow, IndexOutbox
from config.registry import Museum, Registry
from config.settings import Settings
from config.source_policy import SourcePolicy
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

MUSEUM_ID = "kz-central-state-museum"


def _catalogue(db, url: str, index_url: str = "sqlite") -> Catalogue:  # type: ignore[no-untyped-def]
    museum = Museum.model_validate(
        {"id": MUSEUM_ID, "name": {"en": "CSM"}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": url}}
    )
    settings = Settings(
        config_dir=None,  # type: ignore[arg-type]
        database_url="",
        index_url=index_url,
        registry=Registry(museums=[museum]),
        source_policy=SourcePolicy.from_env(),  # loopback peers: tests allow 127.0.0.0/8
    )
    return Catalogue(settings, db)


def test_remap_restores_what_an_older_mapping_stored_and_reports_the_fields(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    objects = generate_museum_objects(MUSEUM_ID, 20, seed=9, region="KZ-75", base_url="https://media.example/")
    records = [
        EndpointRecord(f"oai:csm.kz:{o.local_id}", datetime(2025, 1, 1), metadata={"lido": to_lido(o, "CSM")})
        for o in objects
        if not o.deleted
    ]
    with OaiEndpoint(records, name="CSM", formats=["lido"], batch_size=10) as endpoint:
        catalogue = _catalogue(sqlite_db, endpoint.url)
        assert catalogue.harvest()[0].new == len(records)
    # An "older mapping" had lost the materials and stamped another version on three records.
    with sqlite_db.session() as session:
        rows = session.scalars(select(CoreRow).order_by(CoreRow.id).limit(3)).all()
        for row in rows:
            document = dict(row.document)
            document["materials"] = []
            document["source"] = {**document["source"], "mapping_version": "lido-in/0"}
            session.execute(update(CoreRow).where(CoreRow.id == row.id).values(document=document))
        session.commit()
        stale_ids = [row.id for row in rows]

    summary = catalogue.remap(MUSEUM_ID)  # the endpoint is gone: remap needs only the store
    assert (summary.examined, summary.changed, summary.failed) == (len(records), 3, 0)
    assert summary.changed_fields["source.mapping_version"] == 3
    assert summary.changed_fields["materials"] == 3
    with sqlite_db.session() as session:
        for record_id in stale_ids:
            assert session.get(CoreRow, record_id).document["materials"]
    assert catalogue.search(SearchQuery()).total == len(records)
    assert catalogue.remap(MUSEUM_ID).changed == 0, "a second remap finds nothing to change"


def test_remap_with_worker_processes_remaps_every_range_once_on_any_store(any_db) -> None:  # type: ignore[no-untyped-def]
    """Two workers over ranges of four records: each record examined once, the stale ones restored and indexed."""
    objects = generate_museum_objects(MUSEUM_ID, 30, seed=11, region="KZ-75", base_url="https://media.example/")
    records = [
        EndpointRecord(f"oai:csm.kz:{o.local_id}", datetime(2025, 1, 1), metadata={"lido": to_lido(o, "CSM")})
        for o in objects
        if not o.deleted
    ]
    index_url = "sqlite" if any_db.is_sqlite else "opensearch+http://127.0.0.1:9/none?attempts=1"
    with OaiEndpoint(records, name="CSM", formats=["lido"], batch_size=10) as endpoint:
        catalogue = _catalogue(any_db, endpoint.url, index_url)
        assert catalogue.harvest()[0].new == len(records)
    with any_db.session() as session:
        rows = session.scalars(select(CoreRow).order_by(CoreRow.id)).all()[::5]
        for row in rows:
            document = dict(row.document)
            document["materials"] = []
            document["source"] = {**document["source"], "mapping_version": "lido-in/0"}
            session.execute(update(CoreRow).where(CoreRow.id == row.id).values(document=document))
        session.commit()
        stale_ids = [row.id for row in rows]
    seen: list[tuple[int, int]] = []

    summary = remap(
        any_db,
        MappingStep({MUSEUM_ID: "KZ-75"}, index_url),
        MUSEUM_ID,
        workers=2,
        range_size=4,
        on_progress=lambda done, total: seen.append((done, total)),
    )

    assert summary.workers == 2
    assert (summary.examined, summary.changed, summary.unchanged, summary.failed) == (
        len(records), len(stale_ids), len(records) - len(stale_ids), 0,
    )  # fmt: skip
    assert summary.changed_fields["materials"] == len(stale_ids)
    assert seen[-1] == (len(records), len(records)) and len(seen) == -(-len(records) // 4)
    with any_db.session() as session:
        for record_id in stale_ids:
            stored = session.get(CoreRow, record_id)
            assert stored is not None and stored.document["materials"], record_id
    if any_db.is_sqlite:
        assert catalogue.search(SearchQuery()).total == len(records)
    else:
        with any_db.session() as session:
            queued = set(session.scalars(select(IndexOutbox.record_id).where(IndexOutbox.op == "upsert")))
        assert set(stale_ids) <= queued, "every re-mapped record waits in the outbox for the engine"
    again = remap(any_db, MappingStep({MUSEUM_ID: "KZ-75"}, index_url), MUSEUM_ID, workers=2, range_size=4)
    assert (again.examined, again.changed) == (len(records), 0)

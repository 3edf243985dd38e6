"""The national catalogue as one object: settings, store, index and pipeline composed.

The CLI, the web app and the demo all drive the system through this facade,
so they cannot disagree about how a harvest, a search or a re-mapping works.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aggregator.index.documents import build_document
from aggregator.index.query import SearchQuery, SearchResult
from aggregator.index.sqlite_fts import SqliteFtsIndex
from aggregator.index.writer import index_writer, is_embedded
from aggregator.pipeline import PageCallback, Pipeline, RunSummary
from aggregator.quality_summary import QualitySummary, load_summaries, summarise_museum
from aggregator.reports import MuseumStatus, museum_statuses
from aggregator.settings import Settings, load_settings
from aggregator.store.database import Database, open_database
from aggregator.store.records import RecordStore
from harvester.registry import ConfigError, Museum
from mappings.core import CoreRecord
from mappings.formats import map_raw
from mappings.quality import assess
from mappings.raw import RawRecord
from mappings.report import MappingError

__all__ = ["Catalogue", "RemapSummary"]

log = logging.getLogger("emuseum.catalogue")


@dataclass(slots=True)
class RemapSummary:
    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    changed_fields: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _changed_fields(before: dict, after: dict) -> list[str]:
    keys = (set(before) | set(after)) - {"source"}
    changed = [k for k in sorted(keys) if before.get(k) != after.get(k)]
    if before.get("source", {}).get("mapping_version") != after.get("source", {}).get("mapping_version"):
        changed.append("source.mapping_version")
    return changed


class Catalogue:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db

    @classmethod
    def open(cls, config_dir: Path | str | None = None) -> Catalogue:
        settings = load_settings(config_dir)
        for warning in settings.warnings:
            log.warning(warning)
        return cls(settings, open_database(settings.database_url))

    def close(self) -> None:
        self.db.dispose()

    # -- museums ---------------------------------------------------------------
    def museums(self, ids: list[str] | None = None) -> list[Museum]:
        registry = self.settings.registry
        if not ids:
            return [m for m in registry.museums if m.enabled]
        unknown = [i for i in ids if registry.get(i) is None]
        if unknown:
            raise ConfigError(f"unknown museum id(s): {', '.join(unknown)}; known: {', '.join(registry.ids())}")
        return [m for i in ids if (m := registry.get(i)) is not None]

    def museum(self, museum_id: str) -> Museum | None:
        return self.settings.registry.get(museum_id)

    # -- harvesting ------------------------------------------------------------
    def harvest(
        self,
        ids: list[str] | None = None,
        *,
        full: bool = False,
        on_page: PageCallback | None = None,
    ) -> list[RunSummary]:
        pipeline = Pipeline(self.db, index_url=self.settings.index_url, on_page=on_page)
        return [pipeline.harvest(museum, full=full) for museum in self.museums(ids)]

    # -- reading -----------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        if not is_embedded(self.settings.index_url):
            raise ConfigError(
                f"index {self.settings.index_url!r} is not available in this build; "
                "unset EMUSEUM_INDEX_URL to use the embedded index"
            )
        with self.db.session() as session:
            return SqliteFtsIndex(session).search(query)

    def record(self, record_id: str) -> CoreRecord | None:
        with self.db.session() as session:
            return RecordStore(session).load_core(record_id)

    def status(self) -> list[MuseumStatus]:
        return museum_statuses(self.db, self.settings.registry)

    # -- re-mapping ---------------------------------------------------------------
    def remap(self, museum_id: str | None = None) -> RemapSummary:
        """Map stored raw records again (after a mapping change) without asking museums."""
        if museum_id and self.museum(museum_id) is None:
            raise ConfigError(f"unknown museum id: {museum_id}")
        summary = RemapSummary()
        touched: set[str] = set()
        regions = {m.id: m.region for m in self.settings.registry.museums}
        with self.db.session() as reader:
            for batch in RecordStore(reader).iter_raw(museum_id):
                with self.db.session() as session:
                    records = RecordStore(session)
                    index = index_writer(session, self.settings.index_url)
                    cores = records.core_rows([f"{r.museum_id}:{r.local_id}" for r in batch])
                    documents = []
                    for row in batch:
                        summary.examined += 1
                        touched.add(row.museum_id)
                        raw = RawRecord(
                            museum_id=row.museum_id,
                            local_id=row.local_id,
                            format=row.format,
                            payload=row.payload,
                            datestamp=row.datestamp,
                            oai_identifier=row.oai_identifier,
                            harvested_at=row.harvested_at,
                        )
                        try:
                            result = map_raw(raw)
                        except MappingError as exc:
                            summary.failed += 1
                            summary.failures.append(str(exc))
                            continue
                        core = cores.get(result.record.id)
                        after = result.record.model_dump(mode="json", exclude_none=True)
                        if core is not None and core.document == after:
                            summary.unchanged += 1
                            continue
                        summary.changed += 1
                        summary.changed_fields.update(_changed_fields(core.document if core else {}, after))
                        quality = assess(result.record)
                        records.save_core(result.record, row.content_hash, quality.score, core)
                        records.replace_issues(result.record.id, row.museum_id, [*result.issues, *quality.issues])
                        region = regions.get(row.museum_id, "")
                        documents.append(build_document(result.record, region, quality.score))
                    index.upsert(documents)
                    session.commit()
        with self.db.session() as session:
            for museum in sorted(touched):
                summarise_museum(session, museum)
            session.commit()
        return summary

    def quality(self, museum_id: str | None = None) -> list[QualitySummary]:
        with self.db.session() as session:
            return load_summaries(session, museum_id)

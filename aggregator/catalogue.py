"""The national catalogue as one object: settings, store, index and pipeline composed.

The CLI, the web app and the demo all drive the system through this facade,
so they cannot disagree about how a harvest, a search or a re-mapping works.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from aggregator.changeset import AppliedRun
from aggregator.harvest_pool import harvest_many
from aggregator.held_runs import approve_run, reject_run
from aggregator.index.engines import EngineIndex
from aggregator.index.errors import EngineUrlError
from aggregator.index.open import SearchIndex, is_embedded, open_search_index
from aggregator.index.outbox import SyncReport, sync_outbox
from aggregator.index.query import SearchQuery, SearchResult
from aggregator.index.rebuild import RebuildReport, rebuild, reindex_embedded
from aggregator.mapping_step import MappingStep
from aggregator.parallel import ProgressCallback
from aggregator.pipeline import PageCallback, RunSummary
from aggregator.quality_summary import QualitySummary, load_summaries
from aggregator.remap import RemapSummary, remap
from aggregator.reports import MuseumStatus, museum_statuses
from aggregator.run_history import load_run, load_runs
from aggregator.store.database import Database, open_database
from aggregator.store.endpoint_profiles import load_endpoint_profile, save_endpoint_profile
from aggregator.store.feed import ChangeFeed, open_feed
from aggregator.store.models import MuseumRow
from aggregator.store.records import RecordStore
from config.errors import ConfigError
from config.registry import Museum, OaiSource
from config.settings import Settings, load_settings
from mappings.core import CoreRecord

__all__ = ["Catalogue"]

log = logging.getLogger("emuseum.catalogue")


class Catalogue:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self._index: SearchIndex | None = None

    @classmethod
    def open(cls, config_dir: Path | str | None = None) -> Catalogue:
        settings = load_settings(config_dir)
        for warning in settings.warnings:
            log.warning(warning)
        return cls(settings, open_database(settings.database_url))

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.db.dispose()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- museums ---------------------------------------------------------------
    def museums(self, ids: list[str] | None = None) -> list[Museum]:
        registry = self.settings.registry
        if not ids:
            return [m for m in registry.museums if m.enabled]
        unknown = [i for i in ids if registry.get(i) is None]
        if unknown:
            raise ConfigError(registry.unknown(unknown))
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
        max_seconds: float | None = None,
        workers: int = 1,
    ) -> list[RunSummary]:
        """Harvest museums (``workers`` processes at once); then bring an engine index up to date."""
        summaries = harvest_many(
            self.settings,
            self.db,
            self.museums(ids),
            workers=workers,
            full=full,
            max_seconds=max_seconds,
            on_page=on_page,
        )
        if not is_embedded(self.settings.index_url) and summaries:
            note = self._sync_after_harvest()
            if note:
                for summary in summaries:
                    summary.notes.append(note)
        return summaries

    def _sync_after_harvest(self) -> str | None:
        """The harvest is committed already: a failing engine costs a note, never the harvest."""
        try:
            report = self.sync_index()
        except Exception as exc:  # any failure here must leave the committed harvest standing
            log.error("index sync after harvest failed: %s", exc)
            return f"search index not updated ({exc}); the changes wait in the outbox for the next sync"
        log.info(report.line())
        if report.rejected:
            return f"search index rejected {len(report.rejected)} record(s), e.g. " + "; ".join(
                f"{record_id}: {reason}" for record_id, reason in list(report.rejected.items())[:3]
            )
        return None

    # -- the search index ------------------------------------------------------------
    def _search_index(self) -> SearchIndex:
        if self._index is None:
            try:
                self._index = open_search_index(self.db, self.settings.index_url)
            except EngineUrlError as exc:
                raise ConfigError(str(exc)) from None
        return self._index

    def _engine(self) -> EngineIndex:
        index = self._search_index()
        if not isinstance(index, EngineIndex):
            raise ConfigError("the embedded index is written with each harvest; there is nothing to sync")
        return index

    def _regions(self) -> dict[str, str]:
        """Museum id -> region: the registry's word, else what the store remembers of a museum."""
        with self.db.session() as session:
            rows = session.execute(select(MuseumRow.id, MuseumRow.region))
            regions = {museum_id: region for museum_id, region in rows}
        regions.update({m.id: m.region for m in self.settings.registry.museums})
        return regions

    def regions(self) -> dict[str, str]:
        """Museum id -> ISO 3166-2:KZ region code (for outputs that name the region, such as the CSV dump)."""
        return self._regions()

    def sync_index(self) -> SyncReport:
        """Send the outbox to the engine (creating index and alias on first use)."""
        engine = self._engine()
        engine.ensure_index()
        return sync_outbox(self.db, engine, self._regions())

    def reindex(
        self, full: bool = False, *, workers: int = 1, on_progress: ProgressCallback | None = None
    ) -> SyncReport | RebuildReport:
        """Engine: pending changes, or with ``full`` a new index swapped in; embedded: always whole.

        A whole rebuild builds its documents in ``workers`` processes.
        """
        if is_embedded(self.settings.index_url):
            if not self.db.is_sqlite:
                raise ConfigError("the embedded index exists only in a SQLite store; set EMUSEUM_INDEX_URL")
            return reindex_embedded(self.db, self._regions(), workers=workers, on_progress=on_progress)
        if full:
            return rebuild(
                self.db,
                self._engine(),
                self._regions(),
                workers=workers,
                index_url=self.settings.index_url,
                on_progress=on_progress,
            )
        return self.sync_index()

    # -- reading -----------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        return self._search_index().search(query)

    def record(self, record_id: str) -> CoreRecord | None:
        with self.db.session() as session:
            return RecordStore(session).load_core(record_id)

    def records(self, record_ids: Iterable[str]) -> dict[str, CoreRecord]:
        """Stored core records by id, in one query; ids not stored, or no longer valid, are left out."""
        with self.db.session() as session:
            return RecordStore(session).load_cores(list(record_ids))

    def feed(self) -> AbstractContextManager[ChangeFeed]:
        """The store as a change feed (OAI-PMH out), on one session for one consistent answer."""
        return open_feed(self.db)

    def status(self) -> list[MuseumStatus]:
        return museum_statuses(self.db, self.settings.registry)

    # -- re-mapping ---------------------------------------------------------------
    def remap(
        self, museum_id: str | None = None, *, workers: int = 1, on_progress: ProgressCallback | None = None
    ) -> RemapSummary:
        """Map stored raw records again (after a mapping change) without asking museums, in ``workers`` processes."""
        if museum_id and self.museum(museum_id) is None:
            raise ConfigError(self.settings.registry.unknown([museum_id]))
        step = MappingStep(self._regions(), self.settings.index_url)
        summary = remap(self.db, step, museum_id, workers=workers, on_progress=on_progress)
        if summary.changed and not is_embedded(self.settings.index_url):
            note = self._sync_after_harvest()
            if note:
                summary.notes.append(note)
        return summary

    # -- runs ------------------------------------------------------------------------
    def runs(self, museum_id: str | None = None, *, limit: int = 20) -> list[dict[str, Any]]:
        if museum_id and self.museum(museum_id) is None:
            raise ConfigError(self.settings.registry.unknown([museum_id]))
        return load_runs(self.db, museum_id, limit)

    def run(self, run_id: int) -> dict[str, Any] | None:
        return load_run(self.db, run_id)

    def approve_run(self, run_id: int, *, by: str) -> AppliedRun:
        """Apply a run the breaker held (the operator checked the museum's export)."""
        applied = approve_run(self.db, run_id, self.settings.index_url, by=by)
        if not is_embedded(self.settings.index_url):
            self._sync_after_harvest()
        return applied

    def reject_run(self, run_id: int, *, by: str) -> int:
        """Discard a run the breaker held; the store stays as it was."""
        return reject_run(self.db, run_id, by=by)

    def quality(self, museum_id: str | None = None) -> list[QualitySummary]:
        with self.db.session() as session:
            return load_summaries(session, museum_id)

    # -- endpoint profiles (emuseum check-endpoint) ------------------------------------
    def museum_for_endpoint(self, url: str) -> Museum | None:
        """The registry museum whose OAI-PMH source is ``url`` (a check of it becomes its profile)."""
        wanted = url.strip().rstrip("/")
        for museum in self.settings.registry.museums:
            if isinstance(museum.source, OaiSource) and museum.source.url.strip().rstrip("/") == wanted:
                return museum
        return None

    def save_endpoint_profile(self, museum_id: str, report: dict[str, Any]) -> None:
        """Keep an endpoint check's report as the museum's profile (the harvester reads it)."""
        with self.db.session() as session:
            save_endpoint_profile(session, museum_id, report)
            session.commit()

    def endpoint_profile(self, museum_id: str) -> dict[str, Any] | None:
        with self.db.session() as session:
            return load_endpoint_profile(session, museum_id)

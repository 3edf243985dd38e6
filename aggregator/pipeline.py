"""One harvest run of one museum: source -> raw -> core -> store -> index.

Each page of records is committed in one transaction together with the
checkpoint that follows it and the index rows that reflect it.  A run killed
at any point therefore resumes from the last committed page; nothing is lost
and nothing is counted twice.  One broken record is quarantined with its
reason and never stops the run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import requests
from sqlalchemy.orm import Session

from aggregator.index.open import index_writer
from aggregator.mapping_step import Mapped, MappingStep, Unmappable, is_current
from aggregator.quality_summary import summarise_museum
from aggregator.run_owner import OWNER, owner_alive
from aggregator.store.database import Database
from aggregator.store.errors import STORE_FAILURES, StoreUnavailable, translated_store_errors
from aggregator.store.models import HarvestRun, RawRow
from aggregator.store.records import RecordStore, now
from aggregator.store.runs import ABANDONED, FAILED, RUNNING, SUCCEEDED, RunStore
from config.registry import CsvSource, Museum
from harvester.checkpoint import Checkpoint
from harvester.csv_export import deletion_guard, read_export, start_checkpoint
from harvester.errors import CsvExportError, HarvestError
from harvester.oai import OaiHarvester
from harvester.page import Page
from harvester.raw import RawRecord
from harvester.raw import record_id as raw_record_id
from mappings.csv_profiles import ProfileError, load_profile

__all__ = ["PageCallback", "Pipeline", "RunSummary"]

log = logging.getLogger("emuseum.pipeline")

PageCallback = Callable[[str, int, int], None]  # museum id, pages done, records done

_ACTIVE: set[str] = set()  # museums this process is harvesting right now


@dataclass(slots=True)
class RunSummary:
    museum_id: str
    run_id: int
    mode: str
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    pages: int = 0
    resumed: bool = False
    seconds: float = 0.0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    older_than_window: int = 0  # incremental records dated before 'from': the endpoint may ignore it

    @property
    def ok(self) -> bool:
        return self.status == SUCCEEDED

    def line(self) -> str:
        text = (
            f"{self.museum_id}: {self.status} ({self.mode}{', resumed' if self.resumed else ''}) "
            f"new {self.new}, updated {self.updated}, unchanged {self.unchanged}, "
            f"deleted {self.deleted}, failed {self.failed} in {self.seconds:.1f}s"
        )
        return text + (f" - {self.error}" if self.error else "")


def _parse_datestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class Pipeline:
    def __init__(
        self,
        db: Database,
        *,
        index_url: str = "sqlite",
        http: requests.Session | None = None,
        on_page: PageCallback | None = None,
    ) -> None:
        self.db = db
        self.index_url = index_url
        self.http = http
        self.on_page = on_page

    # -- a run -------------------------------------------------------------------
    def harvest(self, museum: Museum, *, full: bool = False) -> RunSummary:
        """Harvest one museum; a failure costs this museum's run, except a store failure, which ends the night.

        Raises StoreUnavailable when the database cannot be written (down, disk
        full): every other museum would fail the same way.  The run is marked
        failed if the store still answers, and its committed pages stay.
        """
        try:
            with translated_store_errors(self.db.engine.url):
                return self._harvest(museum, full)
        except StoreUnavailable as exc:
            self._record_store_failure(museum.id, str(exc))
            raise

    def _harvest(self, museum: Museum, full: bool) -> RunSummary:
        started = time.monotonic()
        with self.db.session() as session:
            runs = RunStore(session)
            busy = runs.latest(museum.id)
            if busy is not None and busy.status == RUNNING and self._alive(busy, museum.id):
                message = (
                    f"already being harvested by {busy.owner} (run {busy.id}, last page "
                    f"{busy.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC); wait for it to finish or stop that process"
                )
                log.warning("harvest refused museum=%s: %s", museum.id, message)
                return RunSummary(museum.id, busy.id, busy.mode, FAILED, error=message)
            run, checkpoint, last_success = self._open_run(session, museum, full)
            summary = RunSummary(
                museum_id=museum.id,
                run_id=run.id,
                mode=run.mode,
                status=RUNNING,
                # a resumed run goes on counting from what its committed pages already did
                new=run.records_new,
                updated=run.records_updated,
                unchanged=run.records_unchanged,
                deleted=run.records_deleted,
                failed=run.records_failed,
                pages=run.pages,
                resumed=checkpoint is not None,
            )
            _ACTIVE.add(museum.id)
            try:
                for page in self._pages(museum, run, checkpoint, last_success):
                    self._commit_page(session, museum, run, page, summary)
                    if self.on_page:
                        self.on_page(museum.id, run.pages, summary.new + summary.updated + summary.unchanged)
                summarise_museum(session, museum.id)
                if summary.older_than_window:
                    summary.notes.append(
                        f"{summary.older_than_window} records are dated before the incremental window: "
                        "the endpoint seems to ignore 'from' and re-sends its whole list; "
                        "nothing is lost, but each run costs as much as a full harvest"
                    )
                run.status = SUCCEEDED
                summary.status = SUCCEEDED
            except HarvestError as exc:
                self._fail(session, run, summary, exc.message)
            except STORE_FAILURES:
                raise
            except Exception as exc:  # a bug must cost this museum's run, not the night's other museums
                log.exception("harvest crashed museum=%s run=%s", museum.id, run.id)
                self._fail(session, run, summary, f"unexpected error: {type(exc).__name__}: {exc}")
            finally:
                _ACTIVE.discard(museum.id)
            run.finished_at = now()
            run.notes = summary.notes
            session.add(run)
            session.commit()
        summary.seconds = time.monotonic() - started
        log.info("harvest finished %s", summary.line())
        return summary

    def _record_store_failure(self, museum_id: str, message: str) -> None:
        """Best effort: mark this process's run failed; if the store is still down, the next run does it."""
        try:
            with self.db.session() as session:
                run = RunStore(session).latest(museum_id)
                if run is not None and run.status == RUNNING and run.owner == OWNER:
                    run.status, run.error, run.finished_at = FAILED, message, now()
                    session.commit()
        except STORE_FAILURES:
            log.warning("could not mark the run of museum=%s failed: the store is still unavailable", museum_id)

    @staticmethod
    def _fail(session: Session, run: HarvestRun, summary: RunSummary, message: str) -> None:
        """Keep the committed pages and the checkpoint: the next run resumes from there."""
        session.rollback()
        run.status = FAILED
        run.error = message
        summary.status = FAILED
        summary.error = message
        log.error("harvest failed museum=%s run=%s error=%s", summary.museum_id, run.id, message)

    @staticmethod
    def _alive(run: HarvestRun, museum_id: str) -> bool:
        """Whether a live process is still doing this run (a killed one can be resumed)."""
        return owner_alive(run.owner, run.heartbeat_at, now(), active_here=museum_id in _ACTIVE)

    def _open_run(
        self, session: Session, museum: Museum, full: bool
    ) -> tuple[HarvestRun, Checkpoint | None, datetime | None]:
        records, runs = RecordStore(session), RunStore(session)
        records.save_museum(museum)
        previous = runs.resumable(museum.id)
        last = runs.last_success(museum.id)
        last_success = _parse_datestamp(last.window_started) if last else None
        full = full or last is None or isinstance(museum.source, CsvSource)
        wanted = "full" if full else "incremental"
        if previous is not None and (previous.mode == wanted or not full):
            previous.status = "running"
            previous.error = None
            previous.resumed += 1
            previous.owner, previous.heartbeat_at = OWNER, now()
            session.commit()
            log.info("resuming museum=%s run=%s", museum.id, previous.id)
            return previous, Checkpoint.model_validate(previous.checkpoint), last_success
        if previous is not None:
            previous.status = ABANDONED
        run = runs.start(museum.id, wanted)
        run.owner, run.heartbeat_at = OWNER, now()
        session.commit()
        return run, None, last_success

    def _pages(
        self,
        museum: Museum,
        run: HarvestRun,
        checkpoint: Checkpoint | None,
        last_success: datetime | None,
    ) -> Iterator[Page]:
        source = museum.source
        if isinstance(source, CsvSource):
            try:
                profile = load_profile(source.profile)
            except ProfileError as exc:
                raise CsvExportError(museum.id, f"CSV profile {source.profile!r}: {exc}") from None
            cp = checkpoint or start_checkpoint(museum.id, source)
            return read_export(museum.id, source, id_columns=profile.id_column, checkpoint=cp, session=self.http)
        harvester = OaiHarvester(museum.id, source, session=self.http)
        cp = checkpoint or harvester.start(last_success=last_success, full=run.mode == "full")
        return harvester.pages(cp)

    # -- a page --------------------------------------------------------------------
    def _commit_page(self, session: Session, museum: Museum, run: HarvestRun, page: Page, summary: RunSummary) -> None:
        records = RecordStore(session)
        step = MappingStep({museum.id: museum.region}, self.index_url)
        # The same identifier twice in one page: the later one is the museum's last word.
        page_records = list({raw.local_id: raw for raw in page.records}.values())
        quarantined_ids = [q.local_id for q in page.quarantined if q.local_id]
        existing = records.raw_rows(museum.id, [r.local_id for r in page_records] + quarantined_ids)
        cores = records.core_rows([r.record_id for r in page_records])
        mapped: list[Mapped] = []
        removed: list[str] = []
        window_from = page.checkpoint.from_ if run.mode == "incremental" else None
        for raw in page_records:
            if window_from and raw.datestamp and raw.datestamp[:10] < window_from[:10]:
                summary.older_than_window += 1
            row = existing.get(raw.local_id)
            if raw.deleted:
                if row is not None and not row.deleted:
                    records.tombstone(museum.id, raw.local_id, raw.record_id, "deleted at source", run.id)
                    removed.append(raw.record_id)
                    summary.deleted += 1
                    records.mark_deleted(row, raw, run.id)
                continue
            core = cores.get(raw.record_id)
            if row is not None and not row.deleted and is_current(raw, row.content_hash, core):
                row.last_seen_run = run.id
                summary.unchanged += 1
                continue
            outcome = step.map(raw, core)
            if isinstance(outcome, Unmappable):
                self._quarantine(records, raw, outcome.reason, run, row, summary)
                continue
            records.save_raw(raw, run.id, row)
            mapped.append(outcome)
            if row is None or core is None:
                summary.new += 1
            else:
                summary.updated += 1
        step.save(session, mapped)
        for item in page.quarantined:
            records.quarantine(museum.id, item.local_id, item.reason, item.payload, run.id)
            summary.failed += 1
            if item.local_id and (row := existing.get(item.local_id)) is not None:
                row.last_seen_run = run.id  # still listed by the museum: not a deletion
        summary.notes.extend(page.repaired)
        if page.complete_listing:
            session.flush()
            removed += self._sweep(records, museum, run, summary)
        index_writer(session, self.index_url).delete(removed)
        run.checkpoint = page.checkpoint.model_dump(mode="json")
        run.window_started = page.checkpoint.window_started or run.window_started
        run.pages += 1
        run.heartbeat_at = now()
        run.records_new = summary.new
        run.records_updated = summary.updated
        run.records_unchanged = summary.unchanged
        run.records_deleted = summary.deleted
        run.records_failed = summary.failed
        summary.pages = run.pages
        session.commit()

    def _quarantine(
        self,
        records: RecordStore,
        raw: RawRecord,
        reason: str,
        run: HarvestRun,
        row: RawRow | None,
        summary: RunSummary,
    ) -> None:
        """Keep what is stored; the new version waits in quarantine with its reason."""
        records.quarantine(raw.museum_id, raw.local_id, reason, raw.payload, run.id)
        if row is not None:
            row.last_seen_run = run.id
        summary.failed += 1
        log.warning("quarantined museum=%s record=%s reason=%s", raw.museum_id, raw.local_id, reason)

    def _sweep(self, records: RecordStore, museum: Museum, run: HarvestRun, summary: RunSummary) -> list[str]:
        """Records a complete listing no longer contains become tombstones, behind a guard; returns their ids."""
        unseen = records.unseen_live_records(museum.id, run.id)
        if not unseen:
            return []
        seen = records.seen_in_run(museum.id, run.id)
        # Live before this run: what the listing showed again plus what it left out, less what is new.
        previous = seen + len(unseen) - summary.new
        refusal = deletion_guard(previous, seen - summary.new, museum.source.max_shrink)
        if refusal:
            note = f"{len(unseen)} records missing from the export were kept: {refusal}"
            summary.notes.append(note)
            log.warning("deletion guard museum=%s: %s", museum.id, note)
            return []
        removed = []
        for row in unseen:
            record_id = raw_record_id(museum.id, row.local_id)
            records.tombstone(museum.id, row.local_id, record_id, "absent from full export", run.id)
            row.deleted = True
            row.last_seen_run = run.id
            removed.append(record_id)
        summary.deleted += len(removed)
        return removed

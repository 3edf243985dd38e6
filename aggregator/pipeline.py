"""One harvest run of one museum: source -> raw -> core -> staged changes -> store -> index.

A run first *stages* what the museum sends: each page of records is mapped
and committed in one transaction together with the checkpoint that follows
it, so a run killed at any point resumes from the last committed page and
nothing is lost or counted twice.  One broken record is quarantined with its
reason and never stops the run.  When the listing is done, the circuit
breaker looks at what applying the run would do (``aggregator.breaker``): a
run that would delete or lose too much, or whose records largely fail to map,
is *held* for a person, and nothing of it reaches the store or the index;
otherwise it is applied (``aggregator.changeset``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import requests
from sqlalchemy.orm import Session

from aggregator.breaker import RunChanges, hold_reasons
from aggregator.changeset import apply_run
from aggregator.page_pool import PagePreparer
from aggregator.page_staging import PreparedPage, RunCounts, commit_prepared
from aggregator.prefetch import prefetched
from aggregator.run_observation import RunObservation, record_observation
from aggregator.run_owner import OWNER, owner_alive
from aggregator.store.database import Database
from aggregator.store.endpoint_profiles import endpoint_hints
from aggregator.store.errors import STORE_FAILURES, StoreUnavailable, translated_store_errors
from aggregator.store.models import HarvestRun
from aggregator.store.records import RecordStore, now
from aggregator.store.runs import ABANDONED, APPLYING, FAILED, HELD, RUNNING, SUCCEEDED, RunStore
from aggregator.store.staging import StagingStore
from config.breaker import BreakerLimits
from config.registry import CsvSource, Museum
from config.source_policy import SourcePolicy
from harvester.checkpoint import Checkpoint
from harvester.csv_export import read_export, start_checkpoint
from harvester.errors import CsvExportError, HarvestError
from harvester.limits import Deadline, harvest_deadline
from harvester.log_context import log_context
from harvester.oai import OaiHarvester
from harvester.page import Page
from mappings.csv_profiles import ProfileError, load_profile

__all__ = ["PageCallback", "Pipeline", "RunStart", "RunSummary"]

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

    @property
    def held(self) -> bool:
        return self.status == HELD

    def counts(self) -> RunCounts:
        return RunCounts(self.new, self.updated, self.unchanged, self.deleted, self.failed, self.older_than_window)

    def take(self, counts: RunCounts) -> None:
        self.new, self.updated, self.unchanged = counts.new, counts.updated, counts.unchanged
        self.deleted, self.failed, self.older_than_window = counts.deleted, counts.failed, counts.older_than_window

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


@dataclass(slots=True)
class RunStart:
    """An opened run: where it stands and where its pages come from (plain data, it may cross processes)."""

    museum: Museum
    run_id: int
    mode: str
    checkpoint: Checkpoint | None  # None: a fresh run from the start of its window
    last_success: datetime | None  # responseDate of the last applied run's window (incremental 'from')
    pages: int
    counts: RunCounts
    resumed: bool


class Pipeline:
    def __init__(
        self,
        db: Database,
        *,
        index_url: str = "sqlite",
        http: requests.Session | None = None,
        on_page: PageCallback | None = None,
        policy: SourcePolicy | None = None,
        max_seconds: float | None = None,
        map_workers: int = 1,
    ) -> None:
        self.db = db
        self.map_workers = map_workers  # processes mapping one museum's pages (aggregator.page_pool)
        self.index_url = index_url
        self.http = http
        self.on_page = on_page
        self.policy = policy if policy is not None else SourcePolicy.from_env()
        self.max_seconds = max_seconds  # a run's own limit (the CLI's --max-seconds), below the museum's
        self._observing: dict[int, RunObservation] = {}  # run id -> its HTTP figures and endpoint behaviour

    # -- a run -------------------------------------------------------------------
    def harvest(self, museum: Museum, *, full: bool = False, limits: BreakerLimits | None = None) -> RunSummary:
        """Harvest one museum; a failure costs this museum's run, except a store failure, which ends the night.

        Raises StoreUnavailable when the database cannot be written (down, disk
        full): every other museum would fail the same way.  The run is marked
        failed if the store still answers, and its committed pages stay.
        """
        started = time.monotonic()
        try:
            with translated_store_errors(self.db.engine.url), log_context(museum_id=museum.id):
                opened = self.begin(museum, full)
                if isinstance(opened, RunSummary):
                    return opened
                error = self._stage_all(opened)
                return self.finish(opened, limits or BreakerLimits(), error, started)
        except StoreUnavailable as exc:
            self._record_store_failure(museum.id, str(exc))
            raise

    def begin(self, museum: Museum, full: bool) -> RunStart | RunSummary:
        """Open (or resume) a run; a summary instead when another process runs it or a held run waits."""
        with self.db.session() as session:
            latest = RunStore(session).latest(museum.id)
            if latest is not None and latest.status in (RUNNING, APPLYING) and self._alive(latest, museum.id):
                message = (
                    f"already being harvested by {latest.owner} (run {latest.id}, last page "
                    f"{latest.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC); wait for it to finish or stop that process"
                )
                log.warning("harvest refused museum=%s: %s", museum.id, message)
                return RunSummary(museum.id, latest.id, latest.mode, FAILED, error=message)
            if latest is not None and latest.status == HELD:
                message = (
                    f"run {latest.id} is held ({latest.held_reason}); approve it with `emuseum runs approve "
                    f"{latest.id}` or reject it with `emuseum runs reject {latest.id}` before the next harvest"
                )
                return RunSummary(museum.id, latest.id, latest.mode, HELD, error=message)
        if latest is not None and latest.status == APPLYING:
            log.info("finishing the interrupted apply of run=%s museum=%s", latest.id, museum.id)
            self._apply(latest.id)
        with self.db.session() as session:
            run, checkpoint, last_success = self._open_run(session, museum, full)
            counts = RunCounts(
                run.records_new, run.records_updated, run.records_unchanged, run.records_deleted, run.records_failed
            )
            resumed = checkpoint is not None
            return RunStart(museum, run.id, run.mode, checkpoint, last_success, run.pages, counts, resumed)

    def pages(self, start: RunStart) -> Iterator[Page]:
        """The run's pages from its checkpoint (or the start of its window), read ahead in a thread."""
        observation = self._observing.setdefault(start.run_id, RunObservation(start.museum.id))
        with log_context(museum_id=start.museum.id, run_id=start.run_id):  # the prefetch thread carries it on
            source = self._pages(start.museum, start.mode, start.checkpoint, start.last_success, observation)
            return prefetched(source)

    def observation(self, run_id: int) -> dict[str, object] | None:
        """What the run's requests cost and met, as plain data (a worker sends it to the writer)."""
        observation = self._observing.pop(run_id, None)
        return observation.to_json() if observation is not None else None

    def _stage_all(self, start: RunStart) -> str | None:
        """Stage every page of the run; returns why it stopped early, or None when the listing is done."""
        museum = start.museum
        _ACTIVE.add(museum.id)
        try:
            with self.db.session() as session:
                run = session.get(HarvestRun, start.run_id)
                assert run is not None
                preparer = PagePreparer(museum, run.id, run.mode, self.index_url, self.map_workers)
                for prepared in preparer.prepared(session, self.pages(start), run.pages):
                    self.commit(session, run, prepared, start.counts)
            return None
        except HarvestError as exc:
            return exc.message
        except STORE_FAILURES:
            raise
        except Exception as exc:  # a bug must cost this museum's run, not the night's other museums
            log.exception("harvest crashed museum=%s run=%s", museum.id, start.run_id)
            return f"unexpected error: {type(exc).__name__}: {exc}"
        finally:
            _ACTIVE.discard(museum.id)

    def commit(self, session: Session, run: HarvestRun, prepared: PreparedPage, totals: RunCounts) -> None:
        """Write one prepared page with its checkpoint (the one place a run's pages are written)."""
        commit_prepared(session, run, prepared, totals)
        if prepared.notes:
            run.notes = [*(run.notes or []), *prepared.notes][-200:]
            session.commit()
        if self.on_page:
            self.on_page(run.museum_id, run.pages, totals.new + totals.updated + totals.unchanged)

    def finish(
        self,
        start: RunStart,
        limits: BreakerLimits,
        error: str | None,
        started: float,
        observed: dict[str, object] | None = None,
    ) -> RunSummary:
        """After the listing (or its failure): hold the run, apply it, or record why it failed.

        ``observed``: the run's HTTP figures from a worker process; by default
        what this pipeline's own ``pages`` observed.
        """
        museum = start.museum
        summary = RunSummary(museum.id, start.run_id, start.mode, RUNNING, resumed=start.resumed)
        summary.take(start.counts)
        if observed is None:
            observed = self.observation(start.run_id)
        with log_context(museum_id=museum.id, run_id=start.run_id):
            return self._finish(start, museum, summary, limits, error, started, observed)

    def _finish(
        self,
        start: RunStart,
        museum: Museum,
        summary: RunSummary,
        limits: BreakerLimits,
        error: str | None,
        started: float,
        observed: dict[str, object] | None,
    ) -> RunSummary:
        with self.db.session() as session:
            run = session.get(HarvestRun, start.run_id)
            assert run is not None
            summary.pages = run.pages
            summary.notes = list(run.notes or [])
            if summary.older_than_window:
                summary.notes.append(
                    f"{summary.older_than_window} records are dated before the incremental window: "
                    "the endpoint seems to ignore 'from' and re-sends its whole list; "
                    "nothing is lost, but each run costs as much as a full harvest"
                )
            if error is None:
                try:
                    self._decide(session, museum, run, summary, limits)
                except STORE_FAILURES:
                    raise
                except Exception as exc:  # noqa: BLE001 - a bug costs this run, and it resumes later
                    log.exception("deciding the run crashed museum=%s run=%s", museum.id, run.id)
                    error = f"unexpected error: {type(exc).__name__}: {exc}"
            if error is not None:
                self._fail(session, run, summary, error)
            run.notes = summary.notes
            run.seconds = (run.seconds or 0.0) + (time.monotonic() - started)
            record_observation(run, observed, summary.older_than_window)
            session.commit()
            applying = run.status == APPLYING
        if applying:
            _ACTIVE.add(museum.id)
            try:
                self._apply(start.run_id)
            finally:
                _ACTIVE.discard(museum.id)
            summary.status = SUCCEEDED
        summary.seconds = time.monotonic() - started
        log.info("harvest finished %s", summary.line())
        return summary

    def _decide(
        self, session: Session, museum: Museum, run: HarvestRun, summary: RunSummary, limits: BreakerLimits
    ) -> None:
        """The listing is staged: hold the run for a person, or let it be applied."""
        staging = StagingStore(session)
        swept = staging.count_unseen_live(museum.id, run.id) if run.complete_listing else 0
        if run.complete_listing:
            run.listed = staging.listed(run.id)
        changes = RunChanges(
            active_before=run.active_before or 0,
            brought=summary.new + summary.updated + summary.unchanged + summary.failed,
            unmappable=summary.failed,
            deletions=summary.deleted + swept,
            complete_listing=run.complete_listing,
            listed=run.listed or 0,
        )
        reasons = hold_reasons(changes, limits)
        if reasons:
            run.status = summary.status = HELD
            run.held_reason = "; ".join(reasons)
            summary.error = (
                f"held: {run.held_reason}; nothing was changed - check the museum's export, then "
                f"`emuseum runs approve {run.id}` or `emuseum runs reject {run.id}`"
            )
            run.finished_at = now()
            log.warning(
                "run held museum=%s run=%s: %s", museum.id, run.id, run.held_reason, extra={"summarised": True}
            )
            return
        summary.deleted += swept
        run.records_deleted = summary.deleted
        run.status = APPLYING
        summary.status = APPLYING

    def _apply(self, run_id: int) -> None:
        apply_run(self.db, run_id, self.index_url)
        with self.db.session() as session:
            run = session.get(HarvestRun, run_id)
            if run is not None:
                run.status = SUCCEEDED
                run.finished_at = now()
                session.commit()

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
        # "summarised": the run's summary line says the same to a person; only the structured log keeps it twice.
        log.error(
            "harvest failed museum=%s run=%s error=%s", summary.museum_id, run.id, message, extra={"summarised": True}
        )

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
            StagingStore(session).discard(previous.id)
        run = runs.start(museum.id, wanted)
        run.owner, run.heartbeat_at = OWNER, now()
        run.active_before = records.active_count(museum.id)
        session.commit()
        return run, None, last_success

    def _pages(
        self,
        museum: Museum,
        mode: str,
        checkpoint: Checkpoint | None,
        last_success: datetime | None,
        observation: RunObservation,
    ) -> Iterator[Page]:
        source = museum.source
        # One museum's trouble must not delay the others: each run has its own deadline.
        started = time.monotonic()  # the limit counts from here, and messages say it as configured
        deadline = Deadline(
            harvest_deadline(source, self.policy, max_seconds=self.max_seconds, now=started), started=started
        )
        if isinstance(source, CsvSource):
            try:
                profile = load_profile(source.profile)
            except ProfileError as exc:
                raise CsvExportError(museum.id, f"CSV profile {source.profile!r}: {exc}") from None
            cp = checkpoint or start_checkpoint(museum.id, source)
            return read_export(
                museum.id,
                source,
                id_columns=profile.id_column,
                checkpoint=cp,
                session=self.http,
                policy=self.policy,
                deadline=deadline,
                stats=observation.stats,
            )
        with self.db.session() as session:
            hints = endpoint_hints(session, museum.id, source.url)  # what `emuseum check-endpoint` measured
        harvester = OaiHarvester(
            museum.id,
            source,
            session=self.http,
            policy=self.policy,
            deadline=deadline,
            stats=observation.stats,
            endpoint_hints=hints,
        )
        observation.endpoint = harvester.observed
        cp = checkpoint or harvester.start(last_success=last_success, full=mode == "full")
        return harvester.pages(cp)

"""Many museums at once: one night's harvest spread over the machine's cores.

Fetching waits on museums' servers and mapping is pure Python, so museums
are harvested by worker *processes*.  How they write depends on the store:

* PostgreSQL takes many writers: each worker runs a whole Pipeline for one
  museum at a time.
* The embedded SQLite store takes one writer at a time, and a second one
  would wait (or fail with "database is locked" once the wait ran out).  So
  workers fetch and map (``prepare_page`` only reads the store) and send
  prepared pages to this process, the one writer, which commits each with its
  checkpoint, decides each finished run and applies it.  A search served
  meanwhile reads the WAL snapshot and is never blocked.

Nothing is lost or duplicated: each museum is in exactly one worker, its pages
are committed in order with their checkpoints, and a worker that dies costs
its museum's run a failure that the next harvest resumes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import SpawnContext
from typing import Any

from aggregator.page_staging import PreparedPage, prepare_page
from aggregator.pipeline import PageCallback, Pipeline, RunStart, RunSummary
from aggregator.store.database import Database, open_database
from aggregator.store.errors import translated_store_errors
from aggregator.store.models import HarvestRun
from aggregator.store.records import RecordStore
from config.registry import Museum
from config.settings import Settings
from harvester.errors import HarvestError

__all__ = ["default_workers", "harvest_many"]

log = logging.getLogger("emuseum.pool")

_POLL = 0.5  # seconds between looks at the workers while no page arrives


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


# -- PostgreSQL: every worker writes ----------------------------------------------------------


def _within_night(max_seconds: float | None, night_ends: float) -> float:
    """A run's own limit, shortened to what is left of the night (EMUSEUM_MAX_SECONDS_PER_NIGHT)."""
    left = max(0.001, night_ends - time.time())
    return left if max_seconds is None else min(max_seconds, left)


def _harvest_one(
    settings: Settings, museum: Museum, full: bool, max_seconds: float | None, night_ends: float
) -> RunSummary:
    """A whole run of one museum in a worker process (its own connections, its own pipeline)."""
    db = open_database(settings.database_url)
    try:
        max_seconds = _within_night(max_seconds, night_ends)
        pipeline = Pipeline(db, index_url=settings.index_url, policy=settings.source_policy, max_seconds=max_seconds)
        return pipeline.harvest(museum, full=full, limits=settings.registry.breaker_limits(museum))
    finally:
        db.dispose()


def _harvest_with_many_writers(
    settings: Settings, museums: list[Museum], workers: int, full: bool, max_seconds: float | None, night_ends: float
) -> list[RunSummary]:
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = [pool.submit(_harvest_one, settings, m, full, max_seconds, night_ends) for m in museums]
        return [future.result() for future in futures]


# -- SQLite: workers prepare, this process writes -----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Page:
    museum_id: str
    prepared: PreparedPage


@dataclass(frozen=True, slots=True)
class _Done:
    museum_id: str
    error: str | None  # why the listing stopped early; None when it is complete
    observed: dict[str, Any] | None = None  # the run's HTTP figures and endpoint behaviour (plain data)


def _prepare_pages(settings: Settings, start: RunStart, max_seconds: float | None, out: Any) -> None:
    """Worker: fetch a museum's pages, map each, and hand the prepared pages to the writer."""
    db = open_database(settings.database_url)
    error: str | None = None
    pipeline: Pipeline | None = None
    try:
        pipeline = Pipeline(db, index_url=settings.index_url, policy=settings.source_policy, max_seconds=max_seconds)
        pages_done = start.pages
        with db.session() as session:
            for page in pipeline.pages(start):
                prepared = prepare_page(
                    session, start.museum, start.run_id, start.mode, pages_done, page, settings.index_url
                )
                session.rollback()  # end the read transaction: the next page must see the writer's commits
                out.put(_Page(start.museum.id, prepared))
                pages_done += 1
    except HarvestError as exc:
        error = exc.message
    except Exception as exc:  # noqa: BLE001 - a bug costs this museum's run, reported to the writer
        logging.getLogger("emuseum.pool").exception("worker crashed museum=%s", start.museum.id)
        error = f"unexpected error: {type(exc).__name__}: {exc}"
    finally:
        db.dispose()
        observed = pipeline.observation(start.run_id) if pipeline is not None else None
        out.put(_Done(start.museum.id, error, observed))


def _harvest_with_one_writer(
    settings: Settings,
    db: Database,
    museums: list[Museum],
    workers: int,
    full: bool,
    max_seconds: float | None,
    on_page: PageCallback | None,
    night_ends: float,
) -> list[RunSummary]:
    context = _context()
    pipeline = Pipeline(
        db, index_url=settings.index_url, on_page=on_page, policy=settings.source_policy, max_seconds=max_seconds
    )
    manager = context.Manager()
    pages: Any = manager.Queue(maxsize=4 * workers)  # back-pressure: workers wait while the writer is busy
    summaries: dict[str, RunSummary] = {}
    running: dict[str, tuple[RunStart, float, Any]] = {}  # museum id -> (run, started, future)
    waiting = list(museums)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            while waiting or running:
                while waiting and len(running) < workers:
                    museum = waiting.pop(0)
                    opened = pipeline.begin(museum, full)
                    if isinstance(opened, RunSummary):
                        summaries[museum.id] = opened
                        continue
                    try:
                        limit = _within_night(max_seconds, night_ends)
                        future = pool.submit(_prepare_pages, settings, opened, limit, pages)
                    except BrokenProcessPool as exc:
                        limits = settings.registry.breaker_limits(museum)
                        reason = f"the worker pool broke: {exc}"
                        summaries[museum.id] = pipeline.finish(opened, limits, reason, time.monotonic())
                        continue
                    running[museum.id] = (opened, time.monotonic(), future)
                if running:
                    _drain(pipeline, settings, pages, running, summaries)
    finally:
        manager.shutdown()
    return [summaries[m.id] for m in museums if m.id in summaries]


def _drain(
    pipeline: Pipeline,
    settings: Settings,
    pages: Any,
    running: dict[str, tuple[RunStart, float, Any]],
    summaries: dict[str, RunSummary],
) -> None:
    """Commit what the workers sent until one museum's listing ends; then decide and apply that run."""
    db = pipeline.db
    with db.session() as session:
        while True:
            try:
                message = pages.get(timeout=_POLL)
            except queue.Empty:
                for museum_id, (_, _, future) in list(running.items()):
                    if future.done() and future.exception() is not None:  # the worker process died
                        reason = f"the worker process harvesting it died ({future.exception()})"
                        _finish(pipeline, settings, running, summaries, museum_id, reason)
                        return
                continue
            if isinstance(message, _Page):
                start = running[message.museum_id][0]
                run = session.get(HarvestRun, start.run_id)
                assert run is not None
                pipeline.commit(session, run, message.prepared, start.counts)
                continue
            _finish(pipeline, settings, running, summaries, message.museum_id, message.error, message.observed)
            return


def _finish(
    pipeline: Pipeline,
    settings: Settings,
    running: dict[str, tuple[RunStart, float, Any]],
    summaries: dict[str, RunSummary],
    museum_id: str,
    error: str | None,
    observed: dict[str, Any] | None = None,
) -> None:
    start, started, _ = running.pop(museum_id)
    limits = settings.registry.breaker_limits(start.museum)
    summaries[museum_id] = pipeline.finish(start, limits, error, started, observed)


def _context() -> SpawnContext:
    """Fresh interpreters: a forked child would inherit this process's threads, locks and connections."""
    return multiprocessing.get_context("spawn")


def harvest_many(
    settings: Settings,
    db: Database,
    museums: list[Museum],
    *,
    workers: int,
    full: bool = False,
    max_seconds: float | None = None,
    on_page: PageCallback | None = None,
) -> list[RunSummary]:
    """Harvest museums with ``workers`` processes; one worker (or one museum) runs in this process.

    The whole call is bounded by the night's limit (EMUSEUM_MAX_SECONDS_PER_NIGHT):
    each museum's run gets at most what is left of it when the run starts.
    """
    night_ends = time.time() + settings.source_policy.max_seconds_per_night
    if workers <= 1 or len(museums) <= 1:
        # One museum: its pages are mapped by the workers instead (aggregator.page_pool).
        pipeline = Pipeline(
            db,
            index_url=settings.index_url,
            on_page=on_page,
            policy=settings.source_policy,
            max_seconds=max_seconds,
            map_workers=workers,
        )
        summaries = []
        for museum in museums:
            pipeline.max_seconds = _within_night(max_seconds, night_ends)
            summaries.append(pipeline.harvest(museum, full=full, limits=settings.registry.breaker_limits(museum)))
        return summaries
    workers = min(workers, len(museums))
    log.info("harvesting %d museums with %d workers (%s store)", len(museums), workers, db.engine.dialect.name)
    with translated_store_errors(db.engine.url):
        ordered = _largest_first(db, museums)
        if db.is_sqlite:
            done = _harvest_with_one_writer(settings, db, ordered, workers, full, max_seconds, on_page, night_ends)
        else:
            done = _harvest_with_many_writers(settings, ordered, workers, full, max_seconds, night_ends)
    by_id = {summary.museum_id: summary for summary in done}
    return [by_id[m.id] for m in museums if m.id in by_id]


def _largest_first(db: Database, museums: list[Museum]) -> list[Museum]:
    """The largest funds (by what the store holds) start first, so the night does not end on one big museum."""
    with db.session() as session:
        held = RecordStore(session).counts_by_museum()
    return sorted(museums, key=lambda m: -held.get(m.id, {}).get("active", 0))


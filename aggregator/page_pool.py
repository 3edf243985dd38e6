"""One museum's pages mapped on every core, committed strictly in order.

A museum's harvest is a pipeline: a thread reads pages ahead
(``aggregator.prefetch``), this process compares each page with the store
(``plan_page``, a few indexed reads), worker processes map the records that
are new or changed (``map_for_staging``: mapping is pure Python and the
largest cost), and this process commits each page with its checkpoint in
listing order.  Several pages are in flight at once, so reading, mapping and
writing overlap; a page's checkpoint is still committed only after every page
before it, so a killed run resumes exactly as a sequential one would.

The workers start only once a run has shown it is worth it (a few hundred
records to map): a nightly incremental run of a small museum never pays for
starting processes.  A pool that breaks (a worker killed) costs nothing but
speed: the page is mapped here instead.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from aggregator.page_staging import PagePlan, PreparedPage, finish_page, map_for_staging, plan_page
from aggregator.parallel import spawn_context
from config.registry import Museum
from harvester.page import Page

__all__ = ["PagePreparer"]

log = logging.getLogger("emuseum.pipeline")

#: Records a run maps in this process before it starts worker processes.
START_AFTER = 300


@dataclass(slots=True)
class _InFlight:
    plan: PagePlan
    outcomes: list[dict[str, Any] | str] | None  # mapped here already
    future: Future[list[dict[str, Any] | str]] | None  # or being mapped by a worker


class PagePreparer:
    """Prepares one run's pages, in order, mapping them in ``workers`` processes once the run is big enough."""

    def __init__(self, museum: Museum, run_id: int, mode: str, index_url: str, workers: int = 1) -> None:
        self.museum = museum
        self.run_id = run_id
        self.mode = mode
        self.index_url = index_url
        self.workers = max(1, workers)
        self.mapped_here = 0
        self._pool: ProcessPoolExecutor | None = None

    def prepared(self, session: Session, pages: Iterator[Page], pages_done: int) -> Iterator[PreparedPage]:
        """Each page prepared, in order; the caller commits a page before asking for the next."""
        flight: deque[_InFlight] = deque()
        in_flight: dict[str, str] = {}  # local id -> hash of records on planned, uncommitted pages
        planned = pages_done
        try:
            while True:
                try:
                    page = next(pages)
                except StopIteration:
                    break
                except Exception:
                    # The listing broke off: the pages read before it are committed, as without workers.
                    while flight:
                        yield self._finish(flight.popleft(), in_flight)
                    raise
                plan = plan_page(session, self.museum, self.run_id, self.mode, planned, page, self.index_url,
                                 in_flight)  # fmt: skip
                planned += 1
                in_flight.update(plan.hashes)
                flight.append(self._start(plan))
                while len(flight) > self._depth() or (flight and self._ready(flight[0])):
                    yield self._finish(flight.popleft(), in_flight)
            while flight:
                yield self._finish(flight.popleft(), in_flight)
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    def _depth(self) -> int:
        """Pages allowed in flight: enough to keep every worker mapping, not so many that memory grows."""
        return 0 if self._pool is None else self.workers + 1

    @staticmethod
    def _ready(item: _InFlight) -> bool:
        return item.future is None or item.future.done()

    def _start(self, plan: PagePlan) -> _InFlight:
        if not plan.to_map:
            return _InFlight(plan, [], None)
        if self._pool is None and self.workers > 1 and self.mapped_here >= START_AFTER:
            log.info("mapping museum=%s run=%s in %d worker processes", self.museum.id, self.run_id, self.workers)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=spawn_context())
        if self._pool is not None:
            try:
                future = self._pool.submit(
                    map_for_staging, plan.to_map, plan.live, plan.run_id, plan.regions, plan.index_url
                )
                return _InFlight(plan, None, future)
            except BrokenProcessPool:
                self._pool = None
        self.mapped_here += len(plan.to_map)
        return _InFlight(plan, self._map_here(plan), None)

    @staticmethod
    def _map_here(plan: PagePlan) -> list[dict[str, Any] | str]:
        return map_for_staging(plan.to_map, plan.live, plan.run_id, plan.regions, plan.index_url)

    def _finish(self, item: _InFlight, in_flight: dict[str, str]) -> PreparedPage:
        outcomes = item.outcomes
        if outcomes is None:
            assert item.future is not None
            try:
                outcomes = item.future.result()
            except BrokenProcessPool:
                log.warning("mapping workers of museum=%s died; mapping here", self.museum.id)
                outcomes = self._map_here(item.plan)
        for local_id in item.plan.hashes:
            in_flight.pop(local_id, None)
        return finish_page(item.plan, outcomes)

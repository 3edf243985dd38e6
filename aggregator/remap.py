"""Re-mapping stored raw records after a mapping or vocabulary change, without asking the museums.

The store keeps every raw record verbatim, so a better mapping reaches the
whole catalogue by running the same mapping step a harvest runs over what is
stored.  The store is cut into ranges of consecutive records
(``aggregator.store.chunks``) and worker processes re-map them, one range at a
time (``aggregator.remap_batch``); each range commits with its index rows (or
outbox rows).  A record the new mapping cannot map keeps its stored core
record and is reported.  A remap killed half-way leaves every committed range
re-mapped; running it again finds those unchanged and does the rest.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from aggregator.mapping_step import MappingStep
from aggregator.parallel import ProgressCallback, spawn_context, unordered_results
from aggregator.quality_summary import summarise_museum
from aggregator.remap_batch import RemapResult, changed_fields, remap_range, write_remapped
from aggregator.store.chunks import RawRange, raw_ranges
from aggregator.store.database import Database, open_database

__all__ = ["ProgressCallback", "RemapSummary", "changed_fields", "remap"]

log = logging.getLogger("emuseum.remap")

RANGE_SIZE = 1000  # records per task: big enough to amortise a task, small enough to spread evenly


@dataclass(slots=True)
class RemapSummary:
    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    changed_fields: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    museums: set[str] = field(default_factory=set)  # museums whose records were examined
    workers: int = 1

    def add(self, result: RemapResult) -> None:
        self.examined += result.examined
        self.changed += result.changed
        self.unchanged += result.unchanged
        self.failed += result.failed
        self.changed_fields.update(result.changed_fields)
        self.failures.extend(result.failures[: max(0, 200 - len(self.failures))])
        self.museums |= result.museums


# -- in a worker process ------------------------------------------------------------------------

_WORKER: dict[str, object] = {}


def _start_worker(database_url: str, regions: dict[str, str], index_url: str) -> None:
    _WORKER["db"] = open_database(database_url)
    _WORKER["step"] = MappingStep(regions, index_url)


def _remap_in_worker(span: RawRange, write: bool) -> RemapResult:
    """Re-map one range; with ``write`` (PostgreSQL) commit it here and hand back only the counts."""
    db, step = _WORKER["db"], _WORKER["step"]
    assert isinstance(db, Database) and isinstance(step, MappingStep)
    with db.session() as session:
        result = remap_range(session, step, span)
        if write:
            write_remapped(session, result.rows, step.index_url)
            session.commit()
            result.rows = []
    return result


# -- in the calling process ---------------------------------------------------------------------


def _results_in_process(db: Database, step: MappingStep, spans: list[RawRange]) -> Iterator[RemapResult]:
    for span in spans:
        with db.session() as session:
            yield remap_range(session, step, span)


def _results_from_workers(
    db: Database, step: MappingStep, spans: list[RawRange], workers: int, write: bool
) -> Iterator[RemapResult]:
    """Results as workers finish them, at most two tasks a worker in flight (memory stays bounded)."""
    url = db.engine.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=spawn_context(),
        initializer=_start_worker,
        initargs=(url, dict(step.regions), step.index_url),
    ) as pool:
        yield from unordered_results(pool, _remap_in_worker, spans, write, in_flight=2 * workers)


def remap(
    db: Database,
    step: MappingStep,
    museum_id: str | None = None,
    *,
    workers: int = 1,
    on_progress: ProgressCallback | None = None,
    range_size: int = RANGE_SIZE,
) -> RemapSummary:
    """Map every live stored raw record again (of one museum, or all) with ``workers`` processes.

    On SQLite the workers map and this process writes each range (one writer);
    on PostgreSQL each worker writes its own ranges.
    """
    with db.session() as session:
        spans = raw_ranges(session, range_size, museum_id)
    total = sum(span.records for span in spans)
    workers = max(1, min(workers, len(spans)))
    summary = RemapSummary(workers=workers)
    write_here = db.is_sqlite or workers == 1
    log.info("remapping %d records in %d ranges with %d worker(s)", total, len(spans), workers)
    if workers == 1:
        results = _results_in_process(db, step, spans)
    else:
        results = _results_from_workers(db, step, spans, workers, write=not write_here)
    for result in results:
        if write_here and result.rows:
            with db.session() as session:
                write_remapped(session, result.rows, step.index_url)
                session.commit()
        summary.add(result)
        if on_progress is not None:
            on_progress(summary.examined, total)
    with db.session() as session:
        for museum in sorted(summary.museums):
            summarise_museum(session, museum)
        session.commit()
    return summary

"""One harvested page made ready for the store: mapped, compared with what is stored, as staged rows.

Preparing a page only *reads* the store (which records exist, which are
unchanged) and maps the rest, so it can run in any process; writing the
prepared page with its checkpoint is one short transaction
(``commit_prepared``).  With several museums harvested at once on the
embedded SQLite store, worker processes prepare pages and one writer commits
them: mapping runs on every core, and the database never sees two writers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from aggregator.mapping_step import (
    MappingStep,
    Unmappable,
    is_current,
    staged_deletion,
    staged_sighting,
    staged_upsert,
)
from aggregator.store.models import HarvestRun
from aggregator.store.records import RecordStore, now
from aggregator.store.staging import StagingStore
from config.registry import Museum
from harvester.page import Page

__all__ = ["PreparedPage", "RunCounts", "commit_prepared", "prepare_page"]

log = logging.getLogger("emuseum.pipeline")


@dataclass(slots=True)
class RunCounts:
    """What a run's pages brought so far (kept on the run row, so a resumed run counts on)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # deleted at source (a sweep adds later)
    failed: int = 0  # quarantined: unreadable or unmappable
    older_than_window: int = 0  # incremental records dated before 'from': the endpoint may ignore it

    def add(self, other: RunCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        self.failed += other.failed
        self.older_than_window += other.older_than_window


@dataclass(slots=True)
class PreparedPage:
    """Everything one page writes, as plain data (it may cross a process boundary)."""

    staged: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[tuple[str, str | None, str, bytes]] = field(default_factory=list)  # museum, local id, reason
    counts: RunCounts = field(default_factory=RunCounts)
    notes: list[str] = field(default_factory=list)
    checkpoint: dict[str, Any] = field(default_factory=dict)
    window_started: str | None = None
    complete_listing: bool = False


def prepare_page(
    session: Session, museum: Museum, run_id: int, mode: str, pages_done: int, page: Page, index_url: str
) -> PreparedPage:
    """Map a page and work out what staging it changes; reads the store, writes nothing."""
    records = RecordStore(session)
    step = MappingStep({museum.id: museum.region}, index_url)
    prepared = PreparedPage(
        notes=list(page.repaired),
        checkpoint=page.checkpoint.model_dump(mode="json"),
        window_started=page.checkpoint.window_started,
        complete_listing=page.complete_listing,
    )
    counts, staged = prepared.counts, prepared.staged
    # The same identifier twice in one page: the later one is the museum's last word.
    page_records = list({raw.local_id: raw for raw in page.records}.values())
    quarantined_ids = [q.local_id for q in page.quarantined if q.local_id]
    existing = records.stored_states(museum.id, [r.local_id for r in page_records] + quarantined_ids)
    # A restarted window (expired token, resume after the last page) lists records this run staged already.
    local_ids = [r.local_id for r in page_records]
    already = StagingStore(session).staged_hashes(run_id, local_ids) if pages_done else {}
    window_from = page.checkpoint.from_ if mode == "incremental" else None
    for raw in page_records:
        if window_from and raw.datestamp and raw.datestamp[:10] < window_from[:10]:
            counts.older_than_window += 1
        row = existing.get(raw.local_id)
        live = row is not None and not row.deleted
        core_version = row.mapping_version if row is not None else None
        if raw.deleted:
            counts.deleted += int(live)
            staged.append(staged_deletion(raw, run_id, existed=live))
            continue
        if raw.local_id in already and already[raw.local_id] == raw.content_hash:
            counts.unchanged += 1
            continue
        if live and row is not None and is_current(raw, row.content_hash, core_version):
            counts.unchanged += 1
            staged.append(staged_sighting(raw.museum_id, raw.local_id, run_id))
            continue
        outcome = step.map(raw, None)
        if isinstance(outcome, Unmappable):
            # Keep what is stored; the new version waits in quarantine with its reason.
            prepared.quarantine.append((raw.museum_id, raw.local_id, outcome.reason, raw.payload))
            counts.failed += 1
            staged.append(staged_sighting(raw.museum_id, raw.local_id, run_id))  # still listed: not a deletion
            continue
        staged.append(staged_upsert(outcome, run_id, existed=live, embedded=step.embedded))
        if raw.local_id in already:
            continue  # counted when it was first staged
        if row is None or core_version is None:
            counts.new += 1
        else:
            counts.updated += 1
    for item in page.quarantined:
        prepared.quarantine.append((museum.id, item.local_id, item.reason, item.payload))
        counts.failed += 1
        if item.local_id:
            staged.append(staged_sighting(museum.id, item.local_id, run_id))  # still listed: not a deletion
    return prepared


def commit_prepared(session: Session, run: HarvestRun, prepared: PreparedPage, totals: RunCounts) -> None:
    """Write a prepared page, its quarantines and the checkpoint after it, in one transaction."""
    records = RecordStore(session)
    for museum_id, local_id, reason, payload in prepared.quarantine:
        records.quarantine(museum_id, local_id, reason, payload, run.id)
        log.warning("quarantined museum=%s record=%s reason=%s", museum_id, local_id, reason)
    StagingStore(session).stage(prepared.staged)
    totals.add(prepared.counts)
    run.complete_listing = run.complete_listing or prepared.complete_listing
    run.checkpoint = prepared.checkpoint
    run.window_started = prepared.window_started or run.window_started
    run.pages += 1
    run.heartbeat_at = now()
    run.records_new = totals.new
    run.records_updated = totals.updated
    run.records_unchanged = totals.unchanged
    run.records_deleted = totals.deleted
    run.records_failed = totals.failed
    session.commit()

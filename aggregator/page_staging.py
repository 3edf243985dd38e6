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
from collections.abc import Mapping, Sequence
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
from harvester.raw import RawRecord

__all__ = [
    "PagePlan",
    "PreparedPage",
    "RunCounts",
    "commit_prepared",
    "finish_page",
    "map_for_staging",
    "plan_page",
    "prepare_page",
]

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


@dataclass(slots=True)
class PagePlan:
    """A page read against the store: staged rows decided, records to map listed (plain data)."""

    prepared: PreparedPage
    run_id: int
    regions: dict[str, str]
    index_url: str
    slots: list[dict[str, Any] | int] = field(default_factory=list)  # a staged row, or an index into to_map
    to_map: list[RawRecord] = field(default_factory=list)
    live: list[bool] = field(default_factory=list)  # per record to map: stored and live now
    count_as: list[str | None] = field(default_factory=list)  # "new", "updated", or None: counted before
    late_quarantine: list[tuple[str, str | None, str, bytes]] = field(default_factory=list)

    @property
    def hashes(self) -> dict[str, str]:
        """Local id -> content hash of the records this page will stage (once mapped)."""
        return {raw.local_id: raw.content_hash for raw in self.to_map}


def plan_page(
    session: Session,
    museum: Museum,
    run_id: int,
    mode: str,
    pages_done: int,
    page: Page,
    index_url: str,
    in_flight: Mapping[str, str] | None = None,
) -> PagePlan:
    """Compare a page with the store and the run's staged rows; reads the store, writes nothing, maps nothing.

    ``in_flight`` holds local id -> content hash of records on pages planned
    before this one and not yet committed: a restarted window may list them again.
    """
    records = RecordStore(session)
    plan = PagePlan(
        PreparedPage(
            notes=list(page.repaired),
            checkpoint=page.checkpoint.model_dump(mode="json"),
            window_started=page.checkpoint.window_started,
            complete_listing=page.complete_listing,
        ),
        run_id,
        {museum.id: museum.region},
        index_url,
    )
    counts, slots = plan.prepared.counts, plan.slots
    # The same identifier twice in one page: the later one is the museum's last word.
    page_records = list({raw.local_id: raw for raw in page.records}.values())
    quarantined_ids = [q.local_id for q in page.quarantined if q.local_id]
    existing = records.stored_states(museum.id, [r.local_id for r in page_records] + quarantined_ids)
    # A restarted window (expired token, resume after the last page) lists records this run staged already.
    local_ids = [r.local_id for r in page_records]
    already: dict[str, str | None] = StagingStore(session).staged_hashes(run_id, local_ids) if pages_done else {}
    if in_flight:
        already.update({local_id: in_flight[local_id] for local_id in local_ids if local_id in in_flight})
    window_from = page.checkpoint.from_ if mode == "incremental" else None
    for raw in page_records:
        if window_from and raw.datestamp and raw.datestamp[:10] < window_from[:10]:
            counts.older_than_window += 1
        row = existing.get(raw.local_id)
        live = row is not None and not row.deleted
        core_version = row.mapping_version if row is not None else None
        if raw.deleted:
            counts.deleted += int(live)
            slots.append(staged_deletion(raw, run_id, existed=live))
            continue
        if raw.local_id in already and already[raw.local_id] == raw.content_hash:
            counts.unchanged += 1
            continue
        if live and row is not None and is_current(raw, row.content_hash, core_version):
            counts.unchanged += 1
            slots.append(staged_sighting(raw.museum_id, raw.local_id, run_id))
            continue
        slots.append(len(plan.to_map))
        plan.to_map.append(raw)
        plan.live.append(live)
        if raw.local_id in already:
            plan.count_as.append(None)  # counted when it was first staged
        else:
            plan.count_as.append("new" if row is None or core_version is None else "updated")
    for item in page.quarantined:
        plan.late_quarantine.append((museum.id, item.local_id, item.reason, item.payload))
        counts.failed += 1
        if item.local_id:
            slots.append(staged_sighting(museum.id, item.local_id, run_id))  # still listed: not a deletion
    return plan


def map_for_staging(
    raws: Sequence[RawRecord], live: Sequence[bool], run_id: int, regions: dict[str, str], index_url: str
) -> list[dict[str, Any] | str]:
    """Map records into staged rows (or the reason one cannot be mapped); pure, so any process can do it."""
    step = MappingStep(regions, index_url)
    out: list[dict[str, Any] | str] = []
    for raw, existed in zip(raws, live, strict=True):
        outcome = step.map(raw, None)
        if isinstance(outcome, Unmappable):
            out.append(outcome.reason)
        else:
            out.append(staged_upsert(outcome, run_id, existed=existed, embedded=step.embedded))
    return out


def finish_page(plan: PagePlan, outcomes: Sequence[dict[str, Any] | str]) -> PreparedPage:
    """The prepared page, once its records are mapped (``outcomes`` in the order of ``plan.to_map``)."""
    prepared = plan.prepared
    counts = prepared.counts
    for slot in plan.slots:
        if not isinstance(slot, int):
            prepared.staged.append(slot)
            continue
        raw, outcome = plan.to_map[slot], outcomes[slot]
        if isinstance(outcome, str):
            # Keep what is stored; the new version waits in quarantine with its reason.
            prepared.quarantine.append((raw.museum_id, raw.local_id, outcome, raw.payload))
            counts.failed += 1
            prepared.staged.append(staged_sighting(raw.museum_id, raw.local_id, plan.run_id))  # listed: not deleted
            continue
        prepared.staged.append(outcome)
        if plan.count_as[slot] == "new":
            counts.new += 1
        elif plan.count_as[slot] == "updated":
            counts.updated += 1
    prepared.quarantine.extend(plan.late_quarantine)
    return prepared


def prepare_page(
    session: Session, museum: Museum, run_id: int, mode: str, pages_done: int, page: Page, index_url: str
) -> PreparedPage:
    """Map a page and work out what staging it changes; reads the store, writes nothing."""
    plan = plan_page(session, museum, run_id, mode, pages_done, page, index_url)
    return finish_page(plan, map_for_staging(plan.to_map, plan.live, run_id, plan.regions, index_url))


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

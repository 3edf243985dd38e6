"""``emuseum harvest``, ``status`` and ``schedule``: getting museums' records in, and seeing how it went."""

from __future__ import annotations

import json
import logging
from contextlib import nullcontext
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console
from aggregator.harvest_pool import default_workers
from aggregator.ops.service import Operations
from config.settings import load_settings

__all__ = ["harvest", "schedule", "status"]


def _progress_callback(progress: Progress | None):  # type: ignore[no-untyped-def]
    tasks: dict[str, object] = {}
    log = logging.getLogger("emuseum.progress")

    def on_page(museum_id: str, pages: int, records: int) -> None:
        if progress is None:
            log.info("museum=%s pages=%d records=%d", museum_id, pages, records)
            return
        if museum_id not in tasks:
            tasks[museum_id] = progress.add_task(museum_id, total=None)
        progress.update(tasks[museum_id], description=f"{museum_id}: {records} records, {pages} pages")  # type: ignore[arg-type]

    return on_page


@app.command()
def harvest(
    museum_ids: Annotated[list[str] | None, typer.Argument(help="Museum ids to harvest.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Harvest every enabled museum.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Full re-harvest instead of incremental.")] = False,
    max_seconds: Annotated[
        float | None,
        typer.Option("--max-seconds", min=1, help="Stop each museum's run after this long (it resumes next time)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Museums harvested at once (processes); default: the CPU count."),
    ] = None,
    enqueue: Annotated[
        bool, typer.Option("--enqueue", help="Put one job per museum on the queue for `emuseum worker` (PostgreSQL).")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Harvest museums (incremental once a museum has a successful run)."""
    if not museum_ids and not all_:
        raise Failure("name one or more museum ids, or use --all")
    if enqueue:
        _enqueue_harvests(museum_ids or None, full=full, max_seconds=max_seconds, config=config)
        return
    # A progress bar on a terminal; a log line per page for cron.
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console)
    with Catalogue.open(config) as catalogue, progress if console.is_terminal else nullcontext():
        summaries = Operations(catalogue).harvest(  # the catalogue's harvest, with the runs' trend snapshots
            museum_ids or None,
            full=full,
            on_page=_progress_callback(progress if console.is_terminal else None),
            max_seconds=max_seconds,
            workers=workers or default_workers(),
        )
    for summary in summaries:
        console.print(summary.line(), markup=False, highlight=False)
        for note in summary.notes[:10]:
            console.print(f"  note: {note}", markup=False, highlight=False)
    failed = [s for s in summaries if not s.ok and not s.held]  # a held run waits for a person: not a failure
    if failed:
        raise Failure(
            f"{len(failed)} of {len(summaries)} harvests failed: "
            + "; ".join(f"{s.museum_id}: {s.error}" for s in failed)
        )


def _enqueue_harvests(
    museum_ids: list[str] | None, *, full: bool, max_seconds: float | None, config: ConfigOption
) -> None:
    from aggregator.jobs import require_queue

    settings = load_settings(config)
    require_queue(settings.database_url, "--enqueue")
    from aggregator.jobs.enqueue import enqueue_harvests

    with Catalogue.open(config) as catalogue:  # validates the ids, and migrates a fresh store (queue included)
        ids = [m.id for m in catalogue.museums(museum_ids)]
    for queued in enqueue_harvests(settings.database_url, ids, full=full, max_seconds=max_seconds):
        console.print(queued.line(), markup=False, highlight=False)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    config: ConfigOption = None,
) -> None:
    """Per museum: active and deleted records and the last harvest run."""
    with Catalogue.open(config) as catalogue:
        statuses = catalogue.status()
    if as_json:
        print(json.dumps([s.to_json() for s in statuses], ensure_ascii=False, indent=2))
        return
    table = Table("museum", "region", "source", "active", "deleted", "quarantined", "last run")
    for s in statuses:
        run = s.last_run
        last = (
            "never"
            if run is None
            else f"{run['status']} {run['mode']} {(run['finished_at'] or run['started_at'] or '')[:19]}"
        )
        if run and run.get("error"):
            last += f" - {run['error']}"
        table.add_row(s.museum_id, s.region, s.source, str(s.active), str(s.deleted), str(s.quarantined), last)
    console.print(table)


@app.command()
def schedule(
    grace: Annotated[
        float | None,
        typer.Option(
            "--grace",
            min=0,
            help="Run a pass missed at most this many seconds ago at start-up "
            "(default EMUSEUM_SCHEDULE_GRACE_SECONDS, 6 h).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Museums harvested at once (processes).")] = 1,
    queue: Annotated[
        bool | None,
        typer.Option(
            "--queue/--no-queue",
            help="Hand each pass to the job queue's workers (default: when the store is PostgreSQL).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Run the harvest schedule from schedules.yaml until interrupted; each pass ends with the morning report."""
    from aggregator.ops.scheduler import scheduler_for

    with Catalogue.open(config) as catalogue:
        if not catalogue.settings.schedule.jobs:
            raise Failure("schedules.yaml has no jobs")
        if queue or (queue is None and not catalogue.db.is_sqlite):
            from aggregator.jobs import require_queue

            require_queue(catalogue.settings.database_url, "emuseum schedule --queue")
        scheduler = scheduler_for(Operations(catalogue), grace=grace, workers=workers, queue=queue)
        try:
            scheduler.start()
        except KeyboardInterrupt:
            pass

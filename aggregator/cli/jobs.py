"""``emuseum worker`` and ``emuseum jobs``: the job queue of a PostgreSQL store (aggregator/jobs).

``--enqueue`` on harvest, remap and reindex puts work on the queue; workers on
any machine take it.  On the embedded SQLite store there is no queue and these
commands say so in one line.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated

import typer
from rich.table import Table

from aggregator.cli.app import ConfigOption, Failure, app, console
from aggregator.jobs import require_queue
from config.settings import load_settings

__all__ = ["jobs", "worker"]


@app.command()
def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Jobs this process runs at once (threads).")
    ] = 1,
    stalled_after: Annotated[
        float,
        typer.Option("--stalled-after", min=4, help="Seconds of silence after which a worker is taken for dead."),
    ] = 60.0,
    name: Annotated[str | None, typer.Option(help="Name in logs and `emuseum jobs`; default host:pid.")] = None,
    config: ConfigOption = None,
) -> None:
    """Take harvest, remap and reindex jobs from the queue until interrupted (PostgreSQL store)."""
    settings = load_settings(config)
    require_queue(settings.database_url, "emuseum worker")
    from aggregator.jobs.worker import run_worker

    logging.getLogger().setLevel(logging.INFO)  # a worker is a service: its log is how it is watched
    run_worker(settings.database_url, config, concurrency=concurrency, stalled_after=stalled_after, name=name)


@app.command()
def jobs(
    status: Annotated[
        str | None, typer.Option(help="Only jobs in this state: queued, running, done, failed, cancelled.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many of the newest jobs.")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Jobs on the queue: queued, running, failed and done, newest first, with counts per state."""
    settings = load_settings(config)
    require_queue(settings.database_url, "emuseum jobs")
    from aggregator.jobs.queries import job_counts, list_jobs
    from aggregator.store.database import open_database

    db = open_database(settings.database_url)
    try:
        try:
            rows = list_jobs(db, status=status, limit=limit)
        except ValueError as exc:
            raise Failure(str(exc)) from None
        counts = job_counts(db)
    finally:
        db.dispose()
    if as_json:
        print(json.dumps({"counts": counts, "jobs": [row.to_json() for row in rows]}, ensure_ascii=False, indent=2))
        return
    console.print(", ".join(f"{word} {count}" for word, count in counts.items()), highlight=False)
    table = Table("job", "task", "on", "status", "tries", "worker", "since (UTC)")
    for row in rows:
        since = row.finished_at or row.started_at or row.queued_at  # when it reached its state
        worker_id = str(row.worker_id) if row.worker_id is not None else ""
        table.add_row(str(row.id), row.task, row.target, row.status, str(row.attempts), worker_id,
                      f"{since:%m-%d %H:%M:%S}" if since else "")  # fmt: skip
    console.print(table)
